"""The language registry: ISO code → Language, read by every other part of seapt.

    from seapt.languages import get
    get("th").segmenters        # ("nlpo3", "newmm")

Each language is one module here (th.py, vi.py, …) that defines ``LANGUAGE``; adding a language is adding
its module to ``_MODULES`` (and, for `seapt corpus prepare`, a calibrated configs/corpus/<code>.yaml).
Tests of the invariants are parametrised over ``LANGUAGES``, so a new module is tested automatically.
"""

from __future__ import annotations

import functools
import importlib

from seapt.errors import ConfigError
from seapt.languages.base import Language
from seapt.languages.scripts import LATIN, SCRIPTS, THAI, Script
from seapt.languages.vi import VI_LETTERS

_MODULES = ("th", "vi", "id", "lo", "km", "my", "ms", "fil", "en")

LANGUAGES: dict[str, Language] = {
    m: importlib.import_module(f"seapt.languages.{m}").LANGUAGE for m in _MODULES
}
TARGETS = tuple(code for code in LANGUAGES if code != "en")
"""The languages seapt adapts a model to (English is the base models' own)."""

THAI_BLOCK = THAI.blocks[0]
THAI_MARKS = THAI.marks
"""Thai combining marks (Mn: U+0E31, U+0E34–U+0E3A, U+0E47–U+0E4E), derived from unicodedata."""

__all__ = ["LANGUAGES", "LATIN", "SCRIPTS", "TARGETS", "THAI_BLOCK", "THAI_MARKS", "VI_LETTERS", "Language",
           "Script", "by_lingua_name", "get", "in_script", "marks_of", "script_share", "stopwords"]


def get(code: str) -> Language:
    """The Language for an ISO code, or a one-line ConfigError listing the registered ones."""
    try:
        return LANGUAGES[code]
    except (KeyError, TypeError):
        raise ConfigError(f"unsupported language {code!r}; use one of {', '.join(LANGUAGES)}") from None


def by_lingua_name(name: str) -> str | None:
    """The registered code whose lingua name is ``name`` (TAGALOG → fil), or None."""
    return next((code for code, lang in LANGUAGES.items() if lang.lingua == name), None)


def in_script(ch: str, lang: str) -> bool:
    """True when character ``ch`` is in one of ``lang``'s scripts."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in get(lang).ranges)


@functools.lru_cache(maxsize=1)
def all_marks() -> frozenset[str]:
    """Combining marks of every registered script: letters too for script shares."""
    return frozenset(c for lang in LANGUAGES.values() for c in lang.marks)


def marks_of(langs) -> str:
    """Combining marks (Mn/Mc) of the scripts of ``langs``, each once, in code point order."""
    return "".join(sorted({c for code in langs for c in get(code).marks}))


def script_share(text: str, lang: str) -> float:
    """Share of ``text``'s letters (alphabetic characters and registered scripts' combining marks) that are
    in ``lang``'s scripts."""
    marks = all_marks()
    letters = [c for c in text if c.isalpha() or c in marks]
    if not letters:
        return 0.0
    return sum(in_script(c, lang) for c in letters) / len(letters)


@functools.lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    """Stop words of ``lang`` (its module's list, or the list its loader returns)."""
    words = get(lang).stopwords
    return frozenset(words() if callable(words) else words)
