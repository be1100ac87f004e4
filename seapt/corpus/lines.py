"""Lines repeated across many documents (site furniture, press-office footers) removed corpus-wide.

Stage 1 records, per rank, the hashes of each document's distinct lines (DocKeys, ``<rank>.lines``); stage 3
counts them over the whole corpus and writes the hashes seen in at least ``min_docs`` documents
(``repeated.npy``); stage 4 removes those lines. Counting globally keeps the result independent of how the
input is sharded (a per-worker count would make 1 and 2 workers disagree).
"""

from __future__ import annotations

import numpy as np
from datatrove.data import Document
from datatrove.io import get_datafolder
from datatrove.pipeline.filters.base_filter import BaseFilter


def line_key(line: str) -> int:
    import xxhash

    return xxhash.xxh3_64_intdigest(line.strip().encode("utf-8"))


def doc_line_keys(text: str, min_chars: int) -> set[int]:
    """Hashes of the distinct lines of ``text`` with at least ``min_chars`` characters."""
    return {line_key(s) for s in text.split("\n") if len(s.strip()) >= min_chars}


def merge_repeated(folder, min_docs: int) -> np.ndarray:
    """Hashes present in at least ``min_docs`` documents over all ``*.lines`` files of ``folder``."""
    folder = get_datafolder(folder)
    parts = []
    for name in folder.list_files(glob_pattern="*.lines"):
        with folder.open(name, "rb") as f:
            parts.append(np.frombuffer(f.read(), dtype="<u8"))
    if not parts or min_docs <= 0:
        return np.zeros(0, dtype="<u8")
    values, counts = np.unique(np.concatenate(parts), return_counts=True)
    return values[counts >= min_docs]


class RepeatedLines(BaseFilter):
    """Remove corpus-wide repeated lines; drop a document left with fewer than ``min_words`` words
    (reason boilerplate_only)."""

    name = "repeated lines"

    def __init__(self, repeated_file, lang: str, min_chars: int, min_words: int, exclusion_writer=None):
        super().__init__(exclusion_writer)
        self.repeated_file = repeated_file
        self.lang = lang
        self.min_chars = min_chars
        self.min_words = min_words
        self._repeated: set[int] | None = None

    def _load(self) -> set[int]:
        folder = get_datafolder(str(self.repeated_file.rsplit("/", 1)[0]))
        name = self.repeated_file.rsplit("/", 1)[1]
        if not folder.isfile(name):
            return set()
        with folder.open(name, "rb") as f:
            return set(np.frombuffer(f.read(), dtype="<u8").tolist())

    def filter(self, doc: Document):
        if self._repeated is None:
            self._repeated = self._load()
        if not self._repeated:
            return True
        lines = doc.text.split("\n")
        kept, gone = [], []
        for ln in lines:
            (kept if len(ln.strip()) < self.min_chars or line_key(ln) not in self._repeated else gone).append(ln)
        if not gone:
            return True
        self.stat_update("removed_repeated_line", value=len(gone))
        doc.text = "\n".join(kept).strip()
        from seapt.corpus.words import segment_words

        if isinstance(doc.metadata.get("words"), int):  # words never span lines: subtract the removed ones
            words = doc.metadata["words"] - sum(len(segment_words(ln, self.lang)) for ln in gone)
        else:
            words = len(segment_words(doc.text, self.lang))
        doc.metadata["words"] = words
        if words < self.min_words:
            return False, "boilerplate_only"
        return True
