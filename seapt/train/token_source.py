"""One training source: the shards of a tokenised folder as memory maps, cut into blocks or documents.

    src = TokenSource.open("th", "runs/th/train/tokens/th")            # reads stats.json, maps the shards
    ids, doc_starts, word_starts = src.unit(7, "block", 1024)           # block 7, as arrays
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from seapt.errors import InputError


class TokenSource:
    """Token shards of one source; ``max_tokens`` keeps only the first tokens (shards in task order)."""

    def __init__(self, name: str, shards: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]],
                 max_tokens: int | None = None, info: dict | None = None):
        self.name, self.info = name, info or {}
        self.shards, self.lengths = [], []
        left = max_tokens
        for tokens, ends, words in shards:
            n = len(tokens) if left is None else min(len(tokens), left)
            if n:
                self.shards.append((tokens, ends, words))
                self.lengths.append(n)
            left = None if left is None else left - n
        self.lengths = np.asarray(self.lengths, dtype=np.int64)
        self.has_words = bool(self.shards) and self.shards[0][2] is not None
        # documents per shard that start before the (possibly truncated) end
        self.docs = np.asarray([int(np.searchsorted(e, n, side="left")) + 1 for (_, e, _), n in
                                zip(self.shards, self.lengths)], dtype=np.int64)

    @classmethod
    def open(cls, name: str, folder: str | Path, max_tokens: int | None = None) -> TokenSource:
        """Map the shards listed in ``folder``/stats.json after checking their sizes."""
        from seapt.corpus import token_shards as ts

        info = ts.finished_info(folder)
        src = cls(name, ts.open_checked(folder, info), max_tokens, info)
        if not src.lengths.sum():
            raise InputError(f"{folder}: source {name} holds no tokens (empty input?)")
        return src

    @classmethod
    def from_arrays(cls, name: str, tokens, doc_ends, words=None) -> TokenSource:
        """One in-memory shard (tests, small data)."""
        w = None if words is None else np.asarray(words, dtype=np.uint8)
        return cls(name, [(np.asarray(tokens), np.asarray(doc_ends, dtype=np.uint64), w)])

    @property
    def tokens(self) -> int:
        """Tokens in this source (after max_tokens)."""
        return int(self.lengths.sum())

    def max_id(self) -> int:
        """Largest token id, read shard by shard in chunks (bounded memory)."""
        top = 0
        for (tokens, _, _), n in zip(self.shards, self.lengths):
            for a in range(0, int(n), 1 << 24):
                top = max(top, int(tokens[a:min(a + (1 << 24), int(n))].max()))
        return top

    def n_units(self, unit: str, block_size: int) -> int:
        """Blocks (only each shard's last one short) or documents."""
        if unit == "block":
            return int(((self.lengths + block_size - 1) // block_size).sum())
        return int(self.docs.sum())

    def _where(self, j, unit: str, block_size: int):
        per = (self.lengths + block_size - 1) // block_size if unit == "block" else self.docs
        cum = np.cumsum(per)
        shard = np.searchsorted(cum, j, side="right")
        return shard, j - (cum[shard] - per[shard])

    def _span(self, shard: int, local: int, unit: str, block_size: int) -> tuple[int, int]:
        n = int(self.lengths[shard])
        if unit == "block":
            a = local * block_size
            return a, min(a + block_size, n)
        ends = self.shards[shard][1]
        a = int(ends[local - 1]) if local else 0
        return a, min(int(ends[local]), n, a + block_size)

    def unit_lengths(self, units: np.ndarray, unit: str, block_size: int) -> np.ndarray:
        """Token count of each of ``units`` (vectorised for blocks)."""
        shard, local = self._where(np.asarray(units, dtype=np.int64), unit, block_size)
        if unit == "block":
            return np.minimum(block_size, self.lengths[shard] - local * block_size)
        return np.asarray([b - a for a, b in (self._span(int(s), int(t), unit, block_size)
                                                for s, t in zip(shard, local))], dtype=np.int64)

    def unit(self, j: int, unit: str, block_size: int):
        """(token ids int64, document-start flags, word-start flags or None) of unit ``j``."""
        shard, local = (int(x) for x in self._where(j, unit, block_size))
        a, b = self._span(shard, local, unit, block_size)
        tokens, ends, words = self.shards[shard]
        ids = np.asarray(tokens[a:b], dtype=np.int64)
        starts = np.zeros(b - a, dtype=bool)
        lo, hi = np.searchsorted(ends, [a, b], side="left")
        at = np.asarray(ends[lo:hi], dtype=np.int64) - a
        starts[at[(at >= 0) & (at < b - a)]] = True
        if a == 0:
            starts[0] = True
        flags = None if words is None else np.asarray(words[a:b], dtype=bool)
        return ids, starts, flags
