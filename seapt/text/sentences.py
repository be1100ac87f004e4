"""Sentence splitting for every registered language: ``sentences(text, lang) -> list[str]``.

The engine is the language's ``sentence_splitter`` (seapt.languages):

- th: pythainlp's CRF sentence splitter ``crfcut`` (needs python-crfsuite, a seapt dependency because
  pythainlp does not install it).
- vi: underthesea's Punkt-style ``sent_tokenize``.
- id, en: rules: a sentence ends at ``.`` ``!`` ``?`` ``…`` (plus closing quotes or brackets) before
  whitespace and an upper-case letter, a digit or an opening quote, unless the dot ends a known
  abbreviation (dr., dll., Jl., Mr., e.g.) or a single-letter initial.
- enders (lo, km, my): a sentence ends after a match of the language's ``sentence_end`` regex (Burmese ။,
  Khmer ។ ៕, Lao . ! ? before whitespace), closing quotes and brackets included.

Every language: a newline always ends a sentence; sentences are stripped and never empty; no character
other than whitespace is lost or added.
"""

from __future__ import annotations

import functools

from seapt.languages import get

ABBREVIATIONS = frozenset(
    ["dr", "drs", "dra", "prof", "ir", "h", "hj", "st", "sdr", "sdri", "bpk", "no", "nr", "jl", "jln", "tn", "ny", "nn", "dll", "dsb", "dst", "dkk", "tsb", "yth", "kab", "kec", "kel", "prov", "pt", "cv", "tbk", "hlm", "kg", "km", "cm", "mm", "rp", "a.n", "u.p", "s.h", "m.si", "s.e", "s.pd", "s.kom", "mr", "mrs", "ms", "jr", "sr", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "fig", "mt", "gen", "col", "lt", "sgt", "u.s", "a.m", "p.m", "approx", "dept", "est", "vol"]
)
"""Lower-cased words that a dot does not end a sentence after (id and en)."""

_RULE_END = (
    r"[.!?…]+[\"'”’)\]]*"
    r"(?=\s+[\"'“‘(\[]?[\p{Lu}\p{N}])"
)


def sentences(text: str, lang: str) -> list[str]:
    """Split ``text`` into sentences (see the module docstring)."""
    language = get(lang)
    splitter = language.sentence_splitter
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        pieces = _enders(line, language.sentence_end) if splitter == "enders" else _SPLITTERS[splitter](line)
        if _squash("".join(pieces)) != _squash(line):
            pieces = [line]  # an engine that rewrote the text: keep the line rather than alter it
        out.extend(p.strip() for p in pieces if p.strip())
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def _crfcut(text: str) -> list[str]:
    from pythainlp.tokenize import sent_tokenize

    return sent_tokenize(text, engine="crfcut")


def _underthesea(text: str) -> list[str]:
    from underthesea import sent_tokenize

    return sent_tokenize(text)


@functools.lru_cache(maxsize=1)
def _rule_pattern():
    import regex

    return regex.compile(_RULE_END)


def _rules(text: str) -> list[str]:
    pieces, start = [], 0
    for m in _rule_pattern().finditer(text):
        if m.group().startswith(".") and len(m.group().rstrip("\"'”’)]")) == 1:
            before = text[start : m.start()].split()
            word = before[-1].lstrip("\"'“‘([").lower() if before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        pieces.append(text[start : m.end()])
        start = m.end()
    pieces.append(text[start:])
    return pieces


@functools.lru_cache(maxsize=None)
def _ender_pattern(pattern: str):
    import regex

    return regex.compile(pattern)


def _enders(text: str, pattern: str) -> list[str]:
    pieces, start = [], 0
    for m in _ender_pattern(pattern).finditer(text):
        pieces.append(text[start : m.end()])
        start = m.end()
    pieces.append(text[start:])
    return pieces


_SPLITTERS = {"crfcut": _crfcut, "underthesea": _underthesea, "rules": _rules}
