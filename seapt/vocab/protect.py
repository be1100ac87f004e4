"""What the extension must leave untouched: the English reference plus a code reference (the running Python's
standard library source by default), as unique pre-tokenizer pieces, and the merge pairs they ban.

A new merge whose pair never occurs in the base tokenisation of a protected piece can never change that
piece's tokens, so protecting a piece = banning every adjacent pair of its base tokens. The code reference
is read as text (memory: its unique pieces only): the interpreter's ``sysconfig`` stdlib folder (PSF licence,
present on every machine that runs seapt), without site-packages and test suites.
"""

from __future__ import annotations

import json
import sysconfig
from collections.abc import Iterable, Iterator
from pathlib import Path

from seapt.errors import InputError

SKIP_DIRS = {"site-packages", "dist-packages", "test", "tests", "idle_test", "__pycache__"}


def code_files(spec: str | None) -> list[Path]:
    """Python source files of the code reference: ``"stdlib"`` (the running interpreter's standard library),
    a folder (its ``*.py`` files, recursively) or a file; ``None``/``""``: none."""
    if not spec:
        return []
    root = Path(sysconfig.get_paths()["stdlib"]) if spec == "stdlib" else Path(spec).expanduser()
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputError(f"code reference not found: {spec} (give 'stdlib', a folder of .py files or a file)")
    files = sorted(
        p for p in root.rglob("*.py") if not SKIP_DIRS.intersection(p.relative_to(root).parts[:-1])
    )
    if not files:
        raise InputError(f"{spec}: no .py files in this folder")
    return files


def code_texts(files: Iterable[Path]) -> Iterator[str]:
    """The files' text, one file at a time (undecodable bytes replaced)."""
    for f in files:
        yield f.read_text(encoding="utf-8", errors="replace")


_CACHE: dict[tuple, frozenset[str]] = {}


def code_pieces(family, spec: str | None, skip_ranges: list[tuple[int, int]]) -> tuple[int, set[str]]:
    """(number of files, protected pieces) of the code reference ``spec``; the pieces of one reference under
    one pre-tokenizer and normaliser are computed once per process (the stdlib takes seconds)."""
    files = code_files(spec)
    key = (spec, str(spec and Path(spec).expanduser().resolve()), len(files),
           family.name, json.dumps(family.tj.get("pre_tokenizer")), json.dumps(family.tj.get("normalizer")))
    if key not in _CACHE:
        _CACHE[key] = frozenset(protected_pieces(family, code_texts(files), []))
    return len(files), _skip(family, _CACHE[key], skip_ranges)


def protected_pieces(family, texts: Iterable[str], skip_ranges: list[tuple[int, int]]) -> set[str]:
    """Unique pre-tokenizer pieces of ``texts`` (each a document), leaving out pieces holding a letter in
    ``skip_ranges`` (an added language's own script: protecting it would forbid that language's commonest
    pairs)."""
    pieces: set[str] = set()
    for text in texts:
        pieces.update(family.pieces(text, True))
    return _skip(family, pieces, skip_ranges)


def in_ranges(text: str, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``text`` holds a character of one of the code-point ``ranges``."""
    return any(lo <= ord(c) <= hi for c in text for lo, hi in ranges)


def _skip(family, pieces, skip_ranges) -> set[str]:
    return {p for p in pieces if not in_ranges(family.to_text(p), skip_ranges)} if skip_ranges else set(pieces)


def banned_pairs(family, state, pieces: Iterable[str]) -> set[tuple[int, int]]:
    """Adjacent pairs of base token ids over the base tokenisation of every piece."""
    banned = set()
    for word in pieces:
        ids = [state.ids[t] for t in family.base_tokenize(word)]
        banned.update(zip(ids, ids[1:]))
    return banned
