"""Word-segmentation benchmark against gold data: precision, recall and F1 over word boundaries, chars/s.

    seapt bench segmentation --lang th --gold ../shared/data/segmentation/th_wisesight/wisesight-1000-samples-tokenised.label --json th.json

Gold formats: CoNLL-U (``.conllu``: the FORM column; a multiword-token range line such as ``13-14
membelinya`` gives the surface token and its parts are skipped; empty nodes are skipped) and lines whose
words are separated by ``|`` (whitespace-only items are spaces between words, not words).

Scoring follows the usual boundary evaluation of word segmenters (e.g. pythainlp's benchmark): with
whitespace removed, the end offset of every word is a boundary; precision = correct predicted boundaries /
predicted boundaries, recall = correct / gold, micro-averaged over the file.

Timing: the whole file is segmented in one ``segment_batch`` call after a warm-up (dictionary and model
loads are not timed); passes repeat until MIN_TIMING_SECONDS have been timed (at most MAX_PASSES) and
``seconds`` is the fastest pass, as timeit does, so that fast engines are not judged on one noisy pass
on a shared machine. ``chars`` counts the characters of the raw sentences.
"""

from __future__ import annotations

import time
from pathlib import Path

from seapt.errors import InputError
from seapt.io import iter_lines, require_path

MIN_TIMING_SECONDS = 1.0
MAX_PASSES = 20
RESULT_KEYS = ("lang", "engine", "precision", "recall", "f1", "chars", "seconds", "chars_per_s")


def read_gold(path: str | Path) -> list[tuple[str, list[str]]]:
    """(raw text, gold words) per sentence of a ``.conllu`` or ``|``-delimited file."""
    p = require_path(path, "gold file")
    items = _read_conllu(p) if p.suffix.lower() == ".conllu" else _read_delimited(p)
    if not items:
        raise InputError(f"{p}: no sentences found; expected CoNLL-U (.conllu) or '|'-delimited lines")
    return items


def _read_delimited(path: Path) -> list[tuple[str, list[str]]]:
    out = []
    for line in iter_lines(path):
        if not line.strip():
            continue
        parts = line.split("|")
        out.append(("".join(parts), [w.strip() for w in parts if w.strip()]))
    return out


def _read_conllu(path: Path) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    text, forms, spaced, skip_to = None, [], [], 0
    for lineno, line in enumerate(iter_lines(path), 1):
        if not line.strip():
            if forms:
                out.append((_sentence_text(text, forms, spaced), forms))
            text, forms, spaced, skip_to = None, [], [], 0
            continue
        if line.startswith("#"):
            if line.startswith("# text ="):
                text = line.split("=", 1)[1].strip()
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise InputError(f"{path}: line {lineno} is not a CoNLL-U token line (expected 10 tab-separated columns)")
        ident, form, misc = cols[0], cols[1], cols[9]
        if "." in ident:
            continue  # empty node
        if "-" in ident:
            skip_to = int(ident.split("-")[1])
        elif int(ident) <= skip_to:
            continue  # part of the multiword token already added
        forms.append(form)
        spaced.append("SpaceAfter=No" not in misc)
    if forms:
        out.append((_sentence_text(text, forms, spaced), forms))
    return out


def _sentence_text(text: str | None, forms: list[str], spaced: list[bool]) -> str:
    """The ``# text`` line when it spells the same characters as the forms; else the forms re-joined."""
    if text is not None and _squash(text) == "".join(map(_squash, forms)):
        return text
    return "".join(f + (" " if s else "") for f, s in zip(forms, spaced)).strip()


def _squash(text: str) -> str:
    return "".join(text.split())


def boundaries(words: list[str]) -> set[int]:
    """End offsets of the words in the text with whitespace removed."""
    ends, pos = set(), 0
    for word in words:
        pos += len(_squash(word))
        ends.add(pos)
    return ends


def score(pairs: list[tuple[list[str], list[str]]]) -> dict:
    """Micro-averaged boundary precision, recall, F1 over (gold words, predicted words) pairs."""
    correct = n_pred = n_gold = 0
    for i, (gold, pred) in enumerate(pairs, 1):
        if sum(len(_squash(w)) for w in gold) != sum(len(_squash(w)) for w in pred):
            raise InputError(f"sentence {i}: the segmentation does not spell the gold text; cannot score it")
        g, p = boundaries(gold), boundaries(pred)
        correct += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def benchmark_segmentation(lang: str, gold_path: str | Path, engine: str | None = None) -> dict:
    """Segment every gold sentence with seapt (one batch; fastest of repeated passes) and score it."""
    from seapt.text.segment import resolve_engine, segment_batch

    engine = resolve_engine(lang, engine)
    return measure(lang, engine, read_gold(gold_path), lambda texts: segment_batch(texts, lang, engine))[0]


def measure(lang: str, engine: str, gold: list[tuple[str, list[str]]], segment_texts) -> tuple[dict, list]:
    """(result dict, predicted words) of ``segment_texts`` (texts -> words of each) on ``gold``, timed as the
    module docstring says; ``engine`` is the label written in the result."""
    texts = [text for text, _ in gold]
    segment_texts(texts[:1])  # warm-up: loads the dictionary / model outside the timing
    passes: list[float] = []
    while not passes or (sum(passes) < MIN_TIMING_SECONDS and len(passes) < MAX_PASSES):
        start = time.perf_counter()
        predicted = segment_texts(texts)
        passes.append(time.perf_counter() - start)
    seconds = min(passes)
    chars = sum(len(t) for t in texts)
    result = {"lang": lang, "engine": engine}
    result.update(score([(words, pred) for (_, words), pred in zip(gold, predicted)]))
    result.update(chars=chars, seconds=round(seconds, 4), chars_per_s=round(chars / seconds, 1) if seconds else 0.0)
    return result, predicted
