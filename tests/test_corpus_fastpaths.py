"""The corpus steps' C-level fast paths give exactly what the plain per-word Python loops they replace gave."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from seapt.corpus import words as W
from seapt.corpus.filters import _dup_5gram_chars

# words from a small alphabet (so 5-grams repeat) with the characters the fast paths must get right:
# final sigma, a lower-case expansion (İ), ASCII and Thai digits, NUL, punctuation, Thai marks
_WORD = st.text(alphabet="aΣσΟİ1๒.,_-ดี่\x00 ", min_size=1, max_size=4)


def _dup_reference(content):
    seen, dup = set(), [False] * len(content)
    for i, gram in enumerate(zip(*(content[j:] for j in range(5)))):
        if gram in seen:
            for j in range(i, i + 5):
                dup[j] = True
        else:
            seen.add(gram)
    return sum(len(w) for w, d in zip(content, dup, strict=True) if d)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "ccc", "ดี", "x"]), min_size=6, max_size=60))
def test_duplicate_5gram_chars_match_the_loop(content):
    assert _dup_5gram_chars(content) == _dup_reference(content)


def test_duplicate_5gram_chars_examples():
    assert _dup_5gram_chars(list("abcdefgh")) == 0
    assert _dup_5gram_chars(list("abcdeabcde")) == 5  # the second abcde (five 1-char words)
    assert _dup_5gram_chars(["xx"] * 7) == 12 == _dup_reference(["xx"] * 7)  # words 1..6 (2 chars each)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORD, max_size=30))
def test_content_and_shingle_words_match_per_word_loops(words):
    alnum, digits = re.compile(r"[^\W_]"), re.compile(r"\d+(?:[.,]\d+)*")
    content = [w.lower() for w in words if w.isalnum() or alnum.search(w)]
    assert W.content_words(words) == content
    assert W._per_word(content, lambda s: digits.sub("0", s)) == [
        w if w.isalpha() else digits.sub("0", w) for w in content]


def test_final_sigma_is_lowered_per_word():
    assert W.content_words(["ΟΔΟΣ", "ΣΑ"]) == ["οδος", "σα"] == [w.lower() for w in ["ΟΔΟΣ", "ΣΑ"]]
    assert W.content_words(["a\x00Σ", "Σ"]) == ["a\x00σ", "σ"]  # a word holding NUL: per-word path


def test_segment_words_never_returns_whitespace():
    for lang, text in (("th", "ภาษาไทย  ง่าย\u2003มาก 12:30"), ("vi", "Tiếng  Việt\u00a0hay"), ("id", "a\x1cb  c")):
        got = W.segment_words(text, lang)
        assert got and not any(w.isspace() or not w for w in got)
        assert "".join(got) == "".join(text.split()).replace("\x1c", "")


def test_shingle_hash_is_datatrove_xxhash64(tmp_path):
    from datatrove.utils.hashes.xxhash import xxhash64

    from seapt.corpus.config import CorpusConfig
    from seapt.corpus.dedup import WordMinhashSignature
    from seapt.corpus.prepare import _minhash_config

    step = WordMinhashSignature(str(tmp_path), _minhash_config(CorpusConfig(lang="th")), "th")
    assert step._hash("ภาษา ไทย") == xxhash64("ภาษา ไทย")
