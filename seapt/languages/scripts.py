"""Writing systems: Unicode blocks per script and their combining marks, derived from unicodedata (Mn/Mc).

    from seapt.languages.scripts import SCRIPTS
    SCRIPTS["Thai"].mark_class   # r"\\x{0E31}\\x{0E34}-\\x{0E3A}\\x{0E47}-\\x{0E4E}", for a tokenizers regex

The marks are never listed by hand: every code point of a script's blocks whose general category is Mn
(non-spacing) or Mc (spacing combining) is one. A GPT-2/Llama-3 split regex cuts a syllable at each of
them (they are \\p{M}, not \\p{L}); seapt.vocab.bytelevel adds them to the letter classes.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

MARK_CATEGORIES = ("Mn", "Mc")


@dataclass(frozen=True)
class Script:
    """One writing system."""

    name: str
    """ISO 15924 name (Thai, Laoo → Lao, Khmr → Khmer, Mymr → Myanmar, Latn → Latin)."""
    blocks: tuple[tuple[int, int], ...]
    """Unicode code point ranges (inclusive): the script's blocks, or for Latin its letter ranges."""
    has_marks: bool = True
    """False for Latin: its combining diacritics (U+0300 block) are shared by many scripts and NFC composes
    the ones seapt's Latin languages use, so no mark joins Latin letters in the split regex."""

    @functools.cached_property
    def marks(self) -> str:
        """Every Mn/Mc code point of the script's blocks, in code point order."""
        if not self.has_marks:
            return ""
        return "".join(
            chr(cp) for lo, hi in self.blocks for cp in range(lo, hi + 1)
            if unicodedata.category(chr(cp)) in MARK_CATEGORIES
        )

    @functools.cached_property
    def mark_ranges(self) -> tuple[tuple[int, int], ...]:
        """``marks`` as inclusive code point ranges."""
        return to_ranges(ord(c) for c in self.marks)

    @property
    def mark_class(self) -> str:
        """``marks`` as the body of a regex character class in the syntax of tokenizers' Onig and the
        ``regex`` module (``\\x{0E31}\\x{0E34}-\\x{0E3A}``)."""
        return ranges_class(self.mark_ranges)

    def contains(self, ch: str) -> bool:
        """True when ``ch`` lies in one of the script's blocks."""
        cp = ord(ch)
        return any(lo <= cp <= hi for lo, hi in self.blocks)


def to_ranges(code_points) -> tuple[tuple[int, int], ...]:
    """Sorted code points folded into inclusive (first, last) ranges."""
    out: list[list[int]] = []
    for cp in sorted(set(code_points)):
        if out and cp == out[-1][1] + 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return tuple((lo, hi) for lo, hi in out)


def ranges_class(ranges, python: bool = False) -> str:
    """Inclusive ranges as a character-class body: ``\\x{HHHH}`` escapes for tokenizers (Onig), ``\\UHHHHHHHH``
    for Python's ``re`` and ``regex`` with ``python=True``."""

    def esc(cp: int) -> str:
        return f"\\U{cp:08X}" if python else f"\\x{{{cp:04X}}}"

    return "".join(esc(lo) if lo == hi else f"{esc(lo)}-{esc(hi)}" for lo, hi in ranges)


LATIN = Script("Latin", ((0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x024F), (0x1E00, 0x1EFF)), has_marks=False)
THAI = Script("Thai", ((0x0E00, 0x0E7F),))
LAO = Script("Lao", ((0x0E80, 0x0EFF),))
KHMER = Script("Khmer", ((0x1780, 0x17FF), (0x19E0, 0x19FF)))  # Khmer, Khmer Symbols
MYANMAR = Script("Myanmar", ((0x1000, 0x109F), (0xAA60, 0xAA7F), (0xA9E0, 0xA9FF)))  # + Extended-A, -B

SCRIPTS: dict[str, Script] = {s.name: s for s in (LATIN, THAI, LAO, KHMER, MYANMAR)}
