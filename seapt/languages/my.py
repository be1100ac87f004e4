"""Burmese (my): Myanmar script, Zawgyi detected and converted to Unicode, words by pyidaungsu's
CRF (seapt's fast path; ICU without the package), sentences end at ။."""

from __future__ import annotations

import functools
import re
import warnings

from seapt.languages.base import Language
from seapt.languages.scripts import MYANMAR

ZAWGYI_MIN_PROBABILITY = 0.95
"""A line whose Zawgyi probability (myanmartools) reaches this is converted to Unicode."""

# The standard Burmese syllable-break rule (Ye Kyaw Thu's sylbreak): a syllable starts at a consonant that
# is not stacked (after VIRAMA U+1039) and not killed (before ASAT U+103A or VIRAMA), or at an independent
# vowel or symbol (ဣ ဤ ဥ ဦ ဧ ဩ ဪ ဿ ၌ ၍ ၏).
SYLLABLE_START = r"(?<!\u1039)[\u1000-\u1021](?![\u103a\u1039])|[\u1023-\u102a\u103f\u104c-\u104f]"
_MYANMAR = re.compile("[\u1000-\u109f]")


@functools.lru_cache(maxsize=1)
def _detector():
    try:
        from myanmartools import ZawgyiDetector
    except ImportError:
        warnings.warn("Burmese text is not checked for Zawgyi: pip install 'seapt[my]' (myanmartools)", stacklevel=4)
        return None
    return ZawgyiDetector()


@functools.lru_cache(maxsize=1)
def _converter():
    """ICU's Zawgyi-my transliterator (measured best: 89 of 91 real Zawgyi lines exactly right, vs 57 for
    paraencoder), or None with a one-time warning when PyICU is missing."""
    try:
        import icu
    except ImportError:
        warnings.warn("Zawgyi lines are kept as they are: pip install 'seapt[my]' (pyicu-wheels) to convert "
                      "them to Unicode", stacklevel=4)
        return None
    return icu.Transliterator.createInstance("Zawgyi-my")


def zawgyi_probability(text: str) -> float:
    """myanmartools' probability that ``text`` is Zawgyi-encoded (0.0 without Myanmar characters or package)."""
    if not _MYANMAR.search(text):
        return 0.0
    return _probability(text)


@functools.lru_cache(maxsize=4096)  # normalize() runs its rules until a fixed point: each line is seen twice
def _probability(text: str) -> float:
    detector = _detector()
    return 0.0 if detector is None else float(detector.get_zawgyi_probability(text))


def zawgyi_to_unicode(text: str) -> str:
    """Each line that myanmartools calls Zawgyi (probability >= ZAWGYI_MIN_PROBABILITY), converted to Unicode."""
    if not _MYANMAR.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if zawgyi_probability(line) >= ZAWGYI_MIN_PROBABILITY:
            convert = _converter()
            if convert is None:
                break
            lines[i] = convert.transliterate(line)
    return "\n".join(lines)


def has_zawgyi(text: str) -> bool:
    """Whether a line of ``text`` is Zawgyi by myanmartools (False without Myanmar characters or the package)."""
    return _MYANMAR.search(text) is not None and any(
        zawgyi_probability(line) >= ZAWGYI_MIN_PROBABILITY for line in text.split("\n"))


STOPWORDS = frozenset(
    """သည် ကို နှင့် ၏ တွင် များ က မှ ဖြင့် ရန် သော ခဲ့ နေ ပါ တယ် ဒီ ဟု လည်း အတွက် ပြီး
    သို့ မည် ရှိ ကြ တို့ ဖြစ် အား မှာ တွေ သည့် တဲ့ တော့ နဲ့ လို့ သူ ပြီ လား""".split()
)

LANGUAGE = Language(
    code="my", name="Burmese", flores="mya_Mymr", scripts=(MYANMAR,),
    segmenters=("pyidaungsu", "icu", "syllable"), fallbacks={"pyidaungsu": "icu", "icu": "syllable"},
    engine_packages={"icu": "icu", "pyidaungsu": "pyidaungsu"},
    packages={"pyicu-wheels": "ICU word break (icu engine), Zawgyi-my conversion",
              "myanmartools": "Zawgyi detection",
              "pyidaungsu": "CRF word segmentation (pyidaungsu engine, the default; its model)"},
    extra="my",
    sentence_splitter="enders", sentence_end=r"[။!?]+[\"'”’)\]]*",
    lingua=None, spaces_between_words=False, corpus_engine="icu",
    normalize_rules=zawgyi_to_unicode, legacy_encoding="zawgyi", legacy_detect=has_zawgyi, stopwords=STOPWORDS, syllable_start=SYLLABLE_START,
    lm_eval="mya_Mymr", bench_tasks=("belebele_mya_Mymr",),
    sample="မြန်မာနိုင်ငံသည် အရှေ့တောင်အာရှတွင် တည်ရှိသော နိုင်ငံတစ်ခု ဖြစ်သည်။",
)
