"""Training data over memory-mapped token shards: packed blocks, documents, and a vectorised mixing index.

Each source (a language, or the English replay corpus) is a tokenised folder (seapt.corpus.token_shards)
read through memory maps: its tokens stay in the page cache, never in the process. Every shard is cut into
``block_size`` blocks; only a shard's last block is padded, so no token is dropped. The mixture is a
map-style dataset whose item ``i`` is a fixed function of (seed, sources, i): the source comes from
``mix_schedule`` (vectorised, in numpy), the block from a seeded permutation of that source's blocks,
reshuffled each epoch (a small source repeats). Exact resume and N-process runs (each rank reads only its
own items) therefore see the same blocks in the same order.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from seapt.errors import InputError
from seapt.train.labels import IGNORE
from seapt.train.token_source import TokenSource

__all__ = ["IGNORE", "MixedBlocks", "TokenSource", "mix_schedule", "read_texts"]


def read_texts(path: str, text_key: str = "text"):
    """Documents of a local file/folder (seapt.io.iter_texts) or, online, a streamed Hub dataset."""
    from seapt.io import iter_texts

    if Path(path).exists():
        yield from iter_texts(path, text_key)
        return
    if os.environ.get("HF_HUB_OFFLINE") == "1" or os.environ.get("HF_DATASETS_OFFLINE") == "1":
        raise InputError(f"{path}: no such file or folder, and Hub datasets cannot be streamed offline "
                         "(HF_HUB_OFFLINE=1)")
    if path.count("/") != 1:
        raise InputError(f"{path}: no such file or folder (nor a Hub dataset id ORG/NAME)")
    import datasets

    try:
        stream = datasets.load_dataset(path, split="train", streaming=True)
    except Exception as exc:  # datasets raises many types for a missing / private / offline id
        raise InputError(f"{path}: cannot stream this Hub dataset ({type(exc).__name__}: {exc})") from None
    for row in stream:
        text = row.get(text_key)
        if isinstance(text, str) and text:
            yield text


def mix_schedule(weights: list[float], n: int) -> np.ndarray:
    """Source index of each of ``n`` items: the k-th item of source s is due at (k + 1/2) / w_s and items are
    taken in due order, ties to the lower source (Sainte-Laguë). With one or two sources this is exactly
    stride scheduling (item i to the source furthest behind its share; every prefix within one item of the
    shares); with more, prefixes stay within two items of the shares (tests/test_train_data.py)."""
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    keys, src = [], []
    for s, ws in enumerate(w):
        m = int(np.ceil(n * ws)) + 2
        keys.append((np.arange(m, dtype=np.float64) + 0.5) / ws)
        src.append(np.full(m, s, dtype=np.int8))
    order = np.argsort(np.concatenate(keys), kind="stable")[:n]
    return np.concatenate(src)[order].astype(np.int64)


class MixedBlocks:
    """Map-style dataset of ``n_items`` units mixed from ``sources`` by ``weights`` (see module docstring).

    ``unit="block"``: fixed-length packed blocks (clm, mlm); ``unit="document"``: one document per item,
    truncated to ``block_size`` (contrastive). Items are dicts of int64 tensors ready for the model.
    """

    def __init__(self, sources: list[TokenSource], weights: list[float], n_items: int, block_size: int, *,
                 seed: int, pad_id: int, unit: str = "block", position_ids: bool = True, transform=None):
        if len(sources) != len(weights):
            raise ValueError("one weight per source")
        self.sources, self.block_size, self.seed, self.pad_id = sources, block_size, seed, pad_id
        self.unit, self.position_ids, self.transform = unit, position_ids, transform
        self.n_units = np.asarray([s.n_units(unit, block_size) for s in sources], dtype=np.int64)
        self.src = mix_schedule(weights, n_items).astype(np.int8)
        self.k = np.empty(n_items, dtype=np.int64)
        for s in range(len(sources)):
            idx = np.flatnonzero(self.src == s)
            self.k[idx] = np.arange(len(idx))
        self._perm: dict[int, tuple[int, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.src)

    def _permutation(self, s: int, epoch: int) -> np.ndarray:
        cached = self._perm.get(s)
        if cached is None or cached[0] != epoch:  # one epoch cached per source: items come in order
            cached = (epoch, np.random.default_rng([self.seed, s, epoch]).permutation(int(self.n_units[s])))
            self._perm[s] = cached
        return cached[1]

    def locate(self, i: int) -> tuple[int, int]:
        """(source index, unit index) of item ``i``."""
        s, k = int(self.src[i]), int(self.k[i])
        return s, int(self._permutation(s, k // int(self.n_units[s]))[k % int(self.n_units[s])])

    def locate_range(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """(sources, unit indices) of items [start, stop), vectorised (one permutation per source epoch)."""
        src, k = self.src[start:stop].astype(np.int64), self.k[start:stop]
        units = np.empty(len(src), dtype=np.int64)
        for s in range(len(self.sources)):
            sel = np.flatnonzero(src == s)
            if not len(sel):
                continue
            n = int(self.n_units[s])
            epochs = k[sel] // n
            for e in np.unique(epochs):
                at = sel[epochs == e]
                units[at] = np.random.default_rng([self.seed, s, int(e)]).permutation(n)[k[at] % n]
        return src, units

    def real_tokens(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Real (non-pad) tokens of items [start, stop), in order; their cumulative sum is tokens seen."""
        stop = len(self) if stop is None else stop
        src, units = self.locate_range(start, stop)
        out = np.zeros(len(src), dtype=np.int64)
        for s, source in enumerate(self.sources):
            sel = src == s
            out[sel] = source.unit_lengths(units[sel], self.unit, self.block_size)
        return out

    def epochs(self, n_items: int) -> dict[str, float]:
        """Passes over each source's units made by the first ``n_items`` items."""
        counts = np.bincount(self.src[:n_items].astype(np.int64), minlength=len(self.sources))
        return {s.name: round(float(c / n), 4) for s, c, n in zip(self.sources, counts, self.n_units)}

    def __getitem__(self, i: int) -> dict:
        import torch

        s, j = self.locate(i)
        src = self.sources[s]
        ids, starts, words = src.unit(j, self.unit, self.block_size)
        if self.unit == "document":
            item = {"input_ids": torch.from_numpy(ids)}
            return self.transform(item, i, None) if self.transform else item
        n = len(ids)
        pad = self.block_size - n
        input_ids = np.concatenate([ids, np.full(pad, self.pad_id, dtype=np.int64)])
        labels = np.concatenate([ids, np.full(pad, IGNORE, dtype=np.int64)])
        item = {"input_ids": torch.from_numpy(input_ids), "labels": torch.from_numpy(labels)}
        if self.position_ids:
            # Positions restart at every document (and at the padding, a segment of its own), which
            # transformers turns into a block-diagonal causal mask: no attention across documents.
            starts = np.concatenate([starts, np.zeros(pad, dtype=bool)])
            starts[0] = True
            if pad:
                starts[n] = True
            idx = np.arange(self.block_size)
            last = np.maximum.accumulate(np.where(starts, idx, 0))
            item["position_ids"] = torch.from_numpy(idx - last)
        if self.transform is not None:
            item = self.transform(item, i, words)
        return item
