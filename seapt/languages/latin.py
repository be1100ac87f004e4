"""Rules shared by the Latin-script languages (id, en, ms, fil): typographic punctuation to ASCII."""

from __future__ import annotations

_LATIN_PUNCT = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2026": "...",
    }
)


def ascii_punctuation(text: str) -> str:
    """Typographic quotes become ASCII quotes, hyphen and dash variants ``-``, ``…`` ``...``."""
    return text.translate(_LATIN_PUNCT)
