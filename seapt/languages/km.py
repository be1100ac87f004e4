"""Khmer (km): Khmer script, zero-width spaces kept as word boundaries (spaces), ICU words, sentences end at ។."""

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


def zwsp_to_space(text: str) -> str:
    """A zero-width space between Khmer characters becomes a space (a word boundary kept visible)."""
    return _ZWSP.sub(" ", text) if "\u200b" in text else text


STOPWORDS = frozenset(
    """និង នៃ ក្នុង ជា បាន មាន ដែល នេះ ទៅ ពី ថា នឹង មិន ឲ្យ អោយ ការ របស់ ដើម្បី ហើយ ក៏ នោះ នៅ
    គឺ ដោយ លើ ទេ គេ យើង""".split()
)

LANGUAGE = Language(
    code="km", name="Khmer", flores="khm_Khmr", scripts=(KHMER,),
    segmenters=("icu", "syllable"), fallbacks={"icu": "syllable"}, engine_packages={"icu": "icu"},
    packages={"pyicu-wheels": "ICU dictionary word break (icu engine)"}, extra="km",
    sentence_splitter="enders", sentence_end=r"[។៕!?]+[\"'”’»)\]]*",
    lingua=None, spaces_between_words=False, corpus_engine="icu",
    pre_normalize=zwsp_to_space, stopwords=STOPWORDS, syllable_start=SYLLABLE_START,
    lm_eval="khm_Khmr", bench_tasks=("belebele_khm_Khmr",),
    sample="ព្រះរាជាណាចក្រកម្ពុជា ជាប្រទេសមួយនៅអាស៊ីអាគ្នេយ៍។",
)
