"""Decontamination: drop documents that share a long word n-gram with benchmark files (GPT-3 style, 13-grams).

Benchmark items shorter than n words are matched whole (if they have at least n/2 words), so short test
sentences such as XCOPA premises are still caught. Words come from seapt's segmenter for the corpus language.
"""

from __future__ import annotations

import json
from pathlib import Path

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from seapt.corpus.words import content_words, doc_content_words, segment_words
from seapt.errors import InputError


def benchmark_texts(path: str | Path):
    """Yield the text items of a benchmark file: .txt/.tsv lines, every string of .jsonl/.json records,
    the '# text =' lines of .conllu, the cells of .csv."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"--decontaminate {p}: file not found")
    name = p.name.lower()
    with open(p, encoding="utf-8", errors="replace") as fh:
        if name.endswith(".conllu"):
            for line in fh:
                if line.startswith("# text ="):
                    yield line.split("=", 1)[1].strip()
        elif name.endswith((".jsonl", ".json")):
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    yield from _strings(json.loads(line))
                except json.JSONDecodeError:
                    yield line
        elif name.endswith(".csv"):
            import csv

            for row in csv.reader(fh):
                yield from row
        else:
            for line in fh:
                yield from (part for part in line.rstrip("\n").split("\t") if part.strip())


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def _hash(gram: tuple[str, ...]) -> int:
    import xxhash

    return xxhash.xxh3_64_intdigest("\x1f".join(gram).encode("utf-8"))


class DecontFilter(BaseFilter):
    """Drop documents containing an n-gram of any benchmark item (reason: contaminated)."""

    name = "decontaminate"

    def __init__(self, paths: list[str], lang: str, n_grams: int = 13, exclusion_writer=None):
        super().__init__(exclusion_writer)
        self.paths = list(paths)
        self.lang = lang
        self.n_grams = n_grams
        self._index: dict[int, set[int]] | None = None

    def build_index(self) -> dict[int, set[int]]:
        """n-gram length -> set of hashed n-grams of the benchmark items."""
        index: dict[int, set[int]] = {}
        n, shortest = self.n_grams, max(3, self.n_grams // 2)
        for path in self.paths:
            for text in benchmark_texts(path):
                words = content_words(segment_words(text, self.lang))
                if len(words) >= n:
                    grams = index.setdefault(n, set())
                    for i in range(len(words) - n + 1):
                        grams.add(_hash(tuple(words[i:i + n])))
                elif len(words) >= shortest:
                    index.setdefault(len(words), set()).add(_hash(tuple(words)))
        return index

    def filter(self, doc: Document):
        if self._index is None:
            self._index = self.build_index()
        if not self._index:
            return True
        words = doc_content_words(doc, self.lang)
        for k, grams in self._index.items():
            for i in range(len(words) - k + 1):
                if _hash(tuple(words[i:i + k])) in grams:
                    return False, "contaminated"
        return True
