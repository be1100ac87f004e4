"""Word boundaries for whole-word masking: character spans of seapt's segmenter words, word-start flags per token.

    flags = word_start_flags_batch(texts, [enc.offsets for enc in encodings], "th")
"""

from __future__ import annotations

import numpy as np

from seapt.text.segment import segment_batch


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Locate each word in ``text`` in order (a Vietnamese word's inner spacing may differ from the text's)."""
    spans, pos = [], 0
    for w in words:
        at = text.find(w, pos)
        if at >= 0:
            end = at + len(w)
        else:
            pieces = w.split()
            at = text.find(pieces[0], pos)
            if at < 0:
                continue
            end, p = at + len(pieces[0]), at + len(pieces[0])
            for piece in pieces[1:]:
                q = text.find(piece, p)
                if q < 0:
                    break
                end = p = q + len(piece)
        spans.append((at, end))
        pos = end
    return spans


def word_spans_batch(texts: list[str], lang: str, engine: str | None = None) -> list[list[tuple[int, int]]]:
    """(start, end) character spans of the words of each text (seapt.text.segment's ``engine``, by default the
    language's default engine)."""
    return [_spans(t, ws) for t, ws in zip(texts, segment_batch(texts, lang, engine))]


def word_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the words of ``text``."""
    return word_spans_batch([text], lang)[0]


def _flags(text: str, spans: list[tuple[int, int]], offsets) -> list[bool]:
    word_of = np.full(len(text) + 1, -1, dtype=np.int64)
    for n, (a, b) in enumerate(spans):
        word_of[a:b] = n
    flags, prev = [], None
    for a, b in offsets:
        cur = int(word_of[min(a, len(text))]) if b > a else prev
        # a token starting in whitespace (e.g. GPT-2 "Ġword") belongs to the word that follows it
        if cur == -1:
            nxt = word_of[a:b]
            cur = int(nxt[nxt >= 0][0]) if (nxt >= 0).any() else -1
        flags.append(cur != prev or cur == -1)
        prev = cur
    return flags


def word_start_flags_batch(texts: list[str], offsets: list, lang: str) -> list[list[bool]]:
    """For each text and each of its tokens ((start, end) character offsets), whether the token begins a word."""
    return [_flags(t, s, o) for t, s, o in zip(texts, word_spans_batch(texts, lang), offsets)]


def word_start_flags(text: str, offsets, lang: str) -> list[bool]:
    """For each token of ``text`` (given its (start, end) character offsets), whether it begins a new word."""
    return word_start_flags_batch([text], [offsets], lang)[0]
