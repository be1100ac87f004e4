"""Khmer (km): Khmer script, canonical syllable order, zero-width spaces kept as word boundaries (spaces), words by
khmer-nltk's CRF (seapt's fast path; ICU without the package), sentences end at ។."""

from __future__ import annotations

import re

from seapt.languages.base import Language
from seapt.languages.scripts import KHMER

# Khmer writers put a zero-width space (U+200B) between words; seapt's normaliser removes zero-width
# characters, which would glue the words together and lose the boundary. Between two Khmer characters it
# becomes a space instead, so segmenters and tokenizers see the boundary (elsewhere, e.g. before ។, it is
# removed as usual).
_ZWSP = re.compile("(?<=[\u1780-\u17d3\u17dc\u17dd\u17e0-\u17e9])[\u200b\u200c]*\u200b[\u200b\u200c]*"
                   "(?=[\u1780-\u17b3\u17e0-\u17e9])")  # after a letter, mark or digit, before a letter or digit

# Khmer syllables: one starts at a consonant or independent vowel that is not a subscript (after COENG
# U+17D2), not a final killed by BANTOC/TOANDAKHIAT (U+17CB, U+17CD), and not a final after a dependent vowel
# (U+17B6–U+17C5) with no vowel sign or COENG of its own after it.
SYLLABLE_START = (
    r"(?<!\u17d2)(?!(?<=[\u17b6-\u17c5])[\u1780-\u17a2](?![\u17b6-\u17d3]))[\u1780-\u17b3](?![\u17cb\u17cd])"
)


# Canonical order inside a Khmer syllable (the Unicode Khmer encoding model, as khmer-normalizer applies it):
# base, ROBAT, subscripts (COENG + consonant, COENG RO last), register shifter, dependent vowel, other signs.
# Writers type the same syllable in several orders (ស្រ្តី for ស្ត្រី, a vowel before its subscript), which
# render alike but are different strings for a tokenizer.
_COENG, _RO = "\u17d2", "\u179a"
_CLUSTER = re.compile("[\u1780-\u17b3][\u17b6-\u17d1\u17d3\u17dd]*(?:\u17d2[\u1780-\u17b3][\u17b6-\u17d1\u17d3\u17dd]*)*")
_PART = re.compile("\u17d2[\u1780-\u17b3]|[\u17b6-\u17d1\u17d3\u17dd]")


def _rank(part: str) -> int:
    if part[0] == _COENG:
        return 3 if part[1] == _RO else 2
    cp = ord(part)
    if cp == 0x17CC:
        return 1  # ROBAT
    if cp in (0x17C9, 0x17CA):
        return 4  # register shifters
    if 0x17B6 <= cp <= 0x17C5:
        return 5  # dependent vowels
    return 6  # signs: NIKAHIT, REAHMUK, YUUKALEAPINTU, BANTOC, …


def _canonical(m: re.Match) -> str:
    cluster = m.group()
    parts = _PART.findall(cluster, 1)
    if len(parts) < 2 or "".join(parts) != cluster[1:]:
        return cluster
    ordered = sorted(parts, key=_rank)  # stable: parts of one rank keep their order
    out = [p for i, p in enumerate(ordered) if i == 0 or p != ordered[i - 1] or p[0] == _COENG]  # no doubled marks
    return cluster[0] + "".join(out)


def khmer_order(text: str) -> str:
    """Put each Khmer syllable's subscripts, register shifter, vowel and signs in the canonical order and drop
    doubled marks (ស ្ រ ្ ត ី → ស ្ ត ្ រ ី; ក ា ្ រ → ក ្ រ ា); text without Khmer is returned as is."""
    if not any("\u1780" <= c <= "\u17ff" for c in text):
        return text
    return _CLUSTER.sub(_canonical, text)


def zwsp_to_space(text: str) -> str:
    """A zero-width space between Khmer characters becomes a space (a word boundary kept visible)."""
    return _ZWSP.sub(" ", text) if "\u200b" in text else text


STOPWORDS = frozenset(
    """និង នៃ ក្នុង ជា បាន មាន ដែល នេះ ទៅ ពី ថា នឹង មិន ឲ្យ អោយ ការ របស់ ដើម្បី ហើយ ក៏ នោះ នៅ
    គឺ ដោយ លើ ទេ គេ យើង""".split()
)

LANGUAGE = Language(
    code="km", name="Khmer", flores="khm_Khmr", scripts=(KHMER,),
    segmenters=("khmernltk", "icu", "syllable"), fallbacks={"khmernltk": "icu", "icu": "syllable"},
    engine_packages={"icu": "icu", "khmernltk": "khmernltk"},
    packages={"pyicu-wheels": "ICU dictionary word break (icu engine)",
              "khmer-nltk": "CRF word segmentation (khmernltk engine, the default; its model)"}, extra="km",
    sentence_splitter="enders", sentence_end=r"[។៕!?]+[\"'”’»)\]]*",
    lingua=None, spaces_between_words=False, corpus_engine="icu",
    pre_normalize=zwsp_to_space, normalize_rules=khmer_order, stopwords=STOPWORDS, syllable_start=SYLLABLE_START,
    lm_eval="khm_Khmr", bench_tasks=("belebele_khm_Khmr",),
    sample="ព្រះរាជាណាចក្រកម្ពុជា ជាប្រទេសមួយនៅអាស៊ីអាគ្នេយ៍។",
)
