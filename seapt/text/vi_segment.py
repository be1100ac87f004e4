"""Vietnamese word segmentation with underthesea's CRF (VLSP 2013), mapped back onto the input.

``underthesea.word_tokenize`` rewrites what it returns (NFC, hoà -> hòa, its spelling fixes), so
seapt runs the same steps itself: underthesea's syllable regex on the NFC text, its normalised
syllables as CRF features, its B-W/I-W tags, and then cuts the *original* text at those syllables.
The model is loaded once and shared with underthesea.word_tokenize.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata

VI_RUN_CHARS = 200
"""Runs without spaces longer than this are cut into pieces of this many characters (no word is that long)."""
_LONG_RUN = re.compile(rf"\S{{{VI_RUN_CHARS + 1},}}")


@functools.lru_cache(maxsize=1)
def _vi_model():
    """underthesea's word-segmentation CRF, loaded once (shared with underthesea.word_tokenize)."""
    import underthesea.pipeline.word_tokenize as wt

    if wt.word_tokenize_model is None:
        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

        model = FastCRFSequenceTagger()
        model.load(os.path.join(os.path.dirname(wt.__file__), "models", "ws_crf_vlsp2013_20230727"))
        wt.word_tokenize_model = model
    return wt.word_tokenize_model


def _vi_syllables(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """underthesea's syllable/punctuation tokens as spans of the original ``text``, plus the NFC,
    spelling-normalised forms its CRF was trained on (what underthesea.word_tokenize feeds it). Text
    between tokens that is not whitespace becomes a token of its own, so no character is lost."""
    from underthesea.pipeline.text_normalize import token_normalize
    from underthesea.pipeline.text_normalize.character_normalize import character_normalize
    from underthesea.pipeline.word_tokenize import regex_tokenize

    nfc, offsets = _nfc_with_offsets(text)
    spans, feats = [], []
    prev = 0
    for m in regex_tokenize.patterns.finditer(nfc):
        start, end = m.span() if offsets is None else (offsets[m.start()], offsets[m.end()])
        if start >= end:
            continue  # a match inside one original character cluster: it stays with the previous token
        if start > prev and not text[prev:start].isspace():
            spans.append((prev, start))
            feats.append(text[prev:start].strip())
        spans.append((start, end))
        feats.append(token_normalize(character_normalize(m.group()), use_character_normalize=False))
        prev = end
    if prev < len(text) and not text[prev:].isspace():
        spans.append((prev, len(text)))
        feats.append(text[prev:].strip())
    return spans, feats


def _nfc_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """NFC of ``text`` and, for every NFC position (and the end), the original offset it maps to;
    positions inside a composed cluster map to the end of that cluster. None: already NFC."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    import regex

    parts, offsets = [], []
    for m in regex.finditer(r"\P{M}\p{M}*|\p{M}+", text, flags=regex.DOTALL):
        composed = unicodedata.normalize("NFC", m.group())
        parts.append(composed)
        offsets.append(m.start())
        offsets.extend([m.end()] * (len(composed) - 1))
    offsets.append(len(text))
    return "".join(parts), offsets


def segment_vi_batch(texts: list[str]) -> list[list[str]]:
    """underthesea's CRF tags (B-W / I-W) over each text's syllables; words are original spans."""
    model = _vi_model()
    out = []
    for text in texts:
        words: list[str] = []
        for chunk in _chunks(text):
            words.extend(_segment_chunk(chunk, model))
        out.append(words)
    return out


def _segment_chunk(text: str, model) -> list[str]:
    spans, feats = _vi_syllables(text)
    if not feats:
        return []
    # one sentence per featurizer call, as underthesea does (a whole-batch call measured slower)
    tags = model.estimator.tag(model.featurizer.process([[[f] for f in feats]])[0])
    words: list[list[int]] = []
    for tag, (start, end) in zip(tags, spans):
        if tag == "I-W" and words:
            words[-1][1] = end
        else:
            words.append([start, end])
    joined = (" ".join(text[s:e].split()) for s, e in words)
    return [w for w in joined if w]


def _chunks(text: str) -> list[str]:
    """``text`` as is, unless it holds a run of more than VI_RUN_CHARS characters without a space: such
    runs are cut into VI_RUN_CHARS pieces, segmented apart from the text around them.

    underthesea's syllable regex takes quadratic time on long space-free runs such as "a.a.a.…"
    (0.36 s for 4,000 characters, 25 s for 32,000) while staying linear on ordinary text.
    """
    long_runs = list(_LONG_RUN.finditer(text))
    if not long_runs:
        return [text]
    chunks, prev = [], 0
    for m in long_runs:
        chunks.append(text[prev : m.start()])
        chunks.extend(text[i : i + VI_RUN_CHARS] for i in range(m.start(), m.end(), VI_RUN_CHARS))
        prev = m.end()
    chunks.append(text[prev:])
    return [c for c in chunks if c]
