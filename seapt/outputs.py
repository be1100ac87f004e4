"""The one rule every stage applies to an output folder that already holds work (finished or started).

Same settings: the stage returns the finished result at once (or resumes the started work). Other
settings: a one-line ConfigError naming the fields that differ, unless ``overwrite`` is set, in which case
the folder is deleted and the stage redoes it. The recipe runner (seapt.pipeline) passes overwrite for the
stages whose config changed.

    if is_done(out) and reuse_output(out, load_yaml(out / "config.yaml"), cfg, overwrite=overwrite, what="a tokenizer"):
        return read_json(out / "extension.json")
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from seapt.config import config_changes
from seapt.errors import ConfigError

REDO_HINT = "use a new --output, or --overwrite to redo it"
_MAX_VALUE_CHARS = 60  # a changed list of paths is cut, so that the error stays one readable line


def _short(change: str) -> str:
    name, _, values = change.partition(": ")
    return f"{name}: {values[:_MAX_VALUE_CHARS]}…" if len(values) > _MAX_VALUE_CHARS else change


def reuse_output(out: str | Path, saved: dict | None, settings: Any, *, ignore: Iterable[str] = (),
                 overwrite: bool = False, what: str = "an output", keep: Iterable[str] = (),
                 log: Callable[[str], Any] | None = None, ordered: Iterable[str] = ()) -> bool:
    """Whether the work in ``out`` can be reused for ``settings`` (a dataclass config or a dict).

    ``saved`` is the settings the work in ``out`` was made with (None: there is no work there); fields in
    ``ignore`` do not change the result (worker counts, log intervals). Returns True when the settings
    match, False when there is nothing to reuse (nothing there, or ``overwrite`` and it was deleted; entries
    named in ``keep`` survive: caches keyed by their own settings, such as bench's per-step results). Mappings
    named in ``ordered`` differ when only their order does (seapt.config.config_changes).
    Raises ConfigError, one line naming the differing fields, when they differ and ``overwrite`` is off."""
    if saved is None:
        return False
    changes = config_changes(saved, settings, ignore, ordered)
    if not changes:
        return True
    listed = "; ".join(_short(c) for c in changes)
    if not overwrite:
        raise ConfigError(f"{out} holds {what} made with other settings ({listed}); {REDO_HINT}")
    if log is not None:
        log(f"{out}: settings changed ({listed}), deleting it to redo it")
    kept = set(keep)
    for entry in list(Path(out).iterdir()) if Path(out).is_dir() else []:
        if entry.name not in kept:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    return False
