"""Words of a document with seapt's segmenters, computed once per document and shared by the steps.

The corpus pipeline uses the fastest engine per language (nlpo3 for Thai, syllables for Vietnamese — the
quality thresholds count syllables —, rules for Indonesian), so Thai is never counted by whitespace.
"""

from __future__ import annotations

from datatrove.data import Document
from datatrove.utils.word_tokenizers import WordTokenizer

WORDS_KEY = "_words"  # hidden metadata keys (never written)
CONTENT_KEY = "_content_words"


def segment_words(text: str, lang: str, engine: str | None = None) -> list[str]:
    """seapt.text.segment with the corpus engine; whitespace items are dropped."""
    from seapt.languages import get
    from seapt.text.segment import segment

    words = segment(text, lang, engine or get(lang).corpus_engine)
    if any(map(str.isspace, words)):  # never by seapt.text.segment's contract; checked at C speed
        words = [w for w in words if not w.isspace()]
    return words


def doc_words(doc: Document, lang: str) -> list[str]:
    """The document's words, segmented on first use and cached in its hidden metadata."""
    cached = doc.metadata.get(WORDS_KEY)
    if cached is None or cached[0] != len(doc.text):
        cached = (len(doc.text), segment_words(doc.text, lang))
        doc.metadata[WORDS_KEY] = cached
    return cached[1]


def content_words(words: list[str]) -> list[str]:
    """Lower-cased words that hold a letter or digit (punctuation and symbols left out)."""
    search = _ALNUM.search
    kept = [w for w in words if w.isalnum() or search(w)]
    return _per_word(kept, str.lower)


def doc_content_words(doc: Document, lang: str) -> list[str]:
    """content_words of the document's words, cached beside them."""
    words = doc_words(doc, lang)
    cached = doc.metadata.get(CONTENT_KEY)
    if cached is None or cached[0] is not words:
        cached = (words, content_words(words))
        doc.metadata[CONTENT_KEY] = cached
    return cached[1]


class SeaptWordTokenizer(WordTokenizer):
    """datatrove WordTokenizer backed by seapt's segmenter, so MinHash shingles are Thai words, not spans
    between spaces (datatrove's own Thai tokenizer needs spaCy/pythainlp models and a network)."""

    def __init__(self, lang: str, engine: str | None = None):
        super().__init__(lang)
        self.lang = lang
        self.engine = engine

    def word_tokenize(self, text: str) -> list[str]:
        return segment_words(text, self.lang, self.engine)

    def sent_tokenize(self, text: str) -> list[str]:
        return [s for s in text.split("\n") if s.strip()]

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for w in self.word_tokenize(text):
            start = text.find(w, pos)
            if start < 0:
                continue
            spans.append((start, start + len(w)))
            pos = start + len(w)
        return spans


def shingle_words(doc: Document, lang: str) -> list[str]:
    """Words used for MinHash shingles: content words, lower-cased, digits folded to 0 (as datatrove's
    simplify_text does), reusing the words the quality filter already segmented."""
    return _per_word(doc_content_words(doc, lang), lambda joined: _DIGITS.sub("0", joined))


def _per_word(words: list[str], fn) -> list[str]:
    """``[fn(w) for w in words]`` as one call on the words joined by NUL, for a ``fn`` that acts on each word
    alone: str.lower (NUL is neither cased nor case-ignorable, so even the final-sigma rule sees a word end)
    or a digit substitution whose matches cannot cross NUL. Words holding NUL take the per-word path."""
    if not words:
        return []
    joined = _NUL.join(words)
    if joined.count(_NUL) != len(words) - 1:
        return [fn(w) for w in words]
    return fn(joined).split(_NUL)


def _compile(pattern: str):
    import re

    return re.compile(pattern)


_NUL = "\x00"
_DIGITS = _compile(r"\d+(?:[.,]\d+)*")
_ALNUM = _compile(r"[^\W_]")
