"""Thai (th): Thai script, pythainlp mark rules + SARA AM composition, nlpo3/newmm words, crfcut sentences."""

from __future__ import annotations

import functools
import re

from seapt.languages.base import Language
from seapt.languages.scripts import THAI

# Decomposed NIKHAHIT (+ tone marks) + SARA AA -> (tone marks +) SARA AM; NFC never composes it (ำ has only
# a compatibility decomposition) and NFKC would split it.
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]*)\u0e32")


@functools.lru_cache(maxsize=1)
def thai_triggers() -> tuple[re.Pattern, re.Pattern, str]:
    """Where one of the Thai mark rules below could change the text: (marks, repeats, dangling). With no
    match of either regex, no NIKHAHIT, LAKKHANGYAO or SARA E + SARA E and no dangling mark at the start,
    none of the rules does anything (each needs one of these patterns, and a rule that changes nothing
    creates none for the next). Built from the same pythainlp character classes as its rules."""
    from pythainlp import thai_above_vowels as above, thai_below_vowels as below, thai_follow_vowels as follow
    from pythainlp import thai_lead_vowels as lead, thai_tonemarks as tones

    dangling = f"{above}{below}{tones}\u0e3a\u0e4c\u0e4d\u0e4e"
    norepeat = f"{follow}{lead}{above}{below}\u0e3a\u0e4c\u0e4d\u0e4e"
    # one leading character class, then the branch picked by a look-behind at it: the same matches as the
    # plain alternation [ \n][dangling]|[tones์][above below]|[follow][tones]|[tones]{2}, but faster
    # (sre scans for the leading class, then tries the branches only there)
    marks = re.compile(
        f"[ \n{tones}\u0e4c{follow}](?:"
        f"(?<=[ \n])[{dangling}]"  # dangling marks (line start, after a space); spaces before marks
        f"|(?<=[{tones}\u0e4c])[{above}{below}]|(?<=[{follow}])[{tones}]|(?<=[{tones}])[{tones}])"  # reordering,
    )  # repeated tones
    return marks, re.compile(f"([{norepeat}]) *\\1"), dangling  # repeated vowels and signs


def _rules_apply(text: str) -> bool:
    marks, repeats, dangling = thai_triggers()
    return ("\u0e4d" in text or "\u0e45" in text or "\u0e40\u0e40" in text or (text[:1] != "" and text[0] in dangling)
            or marks.search(text) is not None or repeats.search(text) is not None)


def normalize_thai(text: str) -> str:
    """pythainlp's Thai mark rules (spaces before marks, vowel/tone reordering, repeated and dangling marks;
    not its whitespace rules, which seapt applies itself) and ํ+า → ำ (XCOPA-th writes นํ้า for น้ำ)."""
    if not _rules_apply(text):
        return text
    from pythainlp.util.normalize import remove_dangling, remove_repeat_vowels, remove_spaces_before_marks

    # pythainlp composes SARA AM too, but only after other rules that may see the decomposed pair first
    text = _SARA_AM.sub("\\1\u0e33", text)
    text = remove_spaces_before_marks(text)
    text = remove_repeat_vowels(text)
    # dangling marks at the start of each line, not only of the whole text
    return "\n".join(remove_dangling(line) for line in text.split("\n"))


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


LANGUAGE = Language(
    code="th", name="Thai", flores="tha_Thai", scripts=(THAI,),
    segmenters=("nlpo3", "newmm"), fallbacks={"nlpo3": "newmm"},
    engine_packages={"nlpo3": "nlpo3", "newmm": "pythainlp"},
    sentence_splitter="crfcut", lingua="THAI", spaces_between_words=False, corpus_engine="nlpo3",
    normalize_rules=normalize_thai, stopwords=_stopwords,
    lm_eval="th", bench_tasks=("xcopa_th", "belebele_tha_Thai", "xnli_th"),
    sample="ภาษาไทยเป็นภาษาราชการของประเทศไทย มีผู้พูดหลายสิบล้านคน",
)
