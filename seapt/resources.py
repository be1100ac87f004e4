"""Files seapt ships inside the package (recipes, per-language configs, bundled corpora, held-out text),
found with importlib.resources so an installed seapt reads the same defaults as a clone.

    from seapt.resources import shipped
    shipped("configs", "corpus", "th.yaml")   # -> Path inside the installed package
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from seapt.errors import InputError


def shipped(*parts: str) -> Path:
    """Path of a file or folder shipped in the seapt package; InputError naming it when it is missing."""
    path = Path(str(files("seapt").joinpath(*parts)))
    if not path.exists():
        raise InputError(f"{'/'.join(parts)} is missing from the installed seapt package ({path}); "
                         "reinstall seapt (pip install --force-reinstall seapt)")
    return path


def shipped_config(*parts: str) -> Path | None:
    """A YAML under seapt/configs/ (e.g. ``shipped_config("corpus", "th.yaml")``), or None if not shipped."""
    path = Path(str(files("seapt").joinpath("configs", *parts)))
    return path if path.is_file() else None
