"""Training data: tokenise each language's corpus, pack it into fixed-length blocks, mix languages by weight.

Each source (a language, or the English replay corpus) becomes one token stream in which every document
is followed by the separator (EOS; SEP for encoders), cut into ``block_size`` blocks; only a source's
last block is padded, so no token is dropped. The mixture is a map-style dataset whose item ``i`` is a
fixed function of (seed, i): the source comes from stride scheduling over the weights (every prefix is
within one block of the exact shares), the block from a seeded permutation of that source's blocks,
reshuffled each epoch. Exact resume and N-process runs therefore see the same blocks in the same order.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seapt.errors import InputError

IGNORE = -100


@dataclass
class Source:
    """One tokenised corpus: the token stream, which tokens start a document, and which start a word."""

    name: str
    tokens: np.ndarray
    doc_starts: np.ndarray
    word_starts: np.ndarray | None = None


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


def _fingerprint(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode())
        p = Path(str(part))
        if isinstance(part, (str, Path)) and p.exists():
            files = sorted(p.rglob("*")) if p.is_dir() else [p]
            h.update(repr([(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file()]).encode())
    return h.hexdigest()[:16]


def tokenize_source(name: str, path: str, tokenizer, sep_id: int, *, text_key: str = "text",
                    max_tokens: int | None = None, word_lang: str | None = None,
                    cache_dir: str | Path | None = None, progress=None) -> Source:
    """Tokenise every document of ``path`` (no special tokens) and append ``sep_id`` after each.

    ``word_lang`` also records word starts (seapt's segmenters) for whole-word masking. With ``cache_dir``
    the arrays are cached under a key of the tokenizer, the input files and the options.
    """
    cache = None
    if cache_dir is not None:
        key = _fingerprint(path, len(tokenizer), tokenizer.name_or_path, type(tokenizer).__name__, sep_id,
                           text_key, max_tokens, word_lang)
        cache = Path(cache_dir) / f"tokens-{name}-{key}.npz"
        if cache.is_file():
            z = np.load(cache)
            return Source(name, z["tokens"], z["doc_starts"], z["word_starts"] if "word_starts" in z else None)
    tokens: list[np.ndarray] = []
    words: list[np.ndarray] = []
    total = 0
    batch: list[str] = []

    def flush():
        nonlocal total
        enc = tokenizer(batch, add_special_tokens=False, return_offsets_mapping=word_lang is not None)
        for i, ids in enumerate(enc["input_ids"]):
            tokens.append(np.asarray([*ids, sep_id], dtype=np.int32))
            if word_lang is not None:
                from seapt.train.objectives import word_start_flags

                flags = word_start_flags(batch[i], enc["offset_mapping"][i], word_lang)
                words.append(np.asarray([*flags, True], dtype=bool))
            total += len(ids) + 1
            if progress is not None:
                progress(len(ids) + 1)
        batch.clear()

    for text in read_texts(path, text_key):
        batch.append(text)
        if len(batch) >= 256:
            flush()
            if max_tokens is not None and total >= max_tokens:
                break
    if batch and (max_tokens is None or total < max_tokens):
        flush()
    if not tokens:
        raise InputError(f"{path}: no text found for {name}")
    stream = np.concatenate(tokens)
    doc_starts = np.zeros(len(stream), dtype=bool)
    doc_starts[np.cumsum([0] + [len(t) for t in tokens[:-1]])] = True
    word_starts = np.concatenate(words) if word_lang is not None else None
    if max_tokens is not None:
        stream, doc_starts = stream[:max_tokens], doc_starts[:max_tokens]
        word_starts = word_starts[:max_tokens] if word_starts is not None else None
    source = Source(name, stream, doc_starts, word_starts)
    if cache is not None:
        from seapt.io import atomic_write_bytes

        buf = io.BytesIO()
        arrays = {"tokens": stream, "doc_starts": doc_starts}
        if word_starts is not None:
            arrays["word_starts"] = word_starts
        np.savez(buf, **arrays)
        atomic_write_bytes(cache, buf.getvalue())
    return source


def mix_schedule(weights: list[float], n: int) -> np.ndarray:
    """Source index of each of ``n`` items by stride scheduling: item i goes to the source furthest behind
    its share, so every prefix of length m holds within one item of m * weight for each source."""
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    counts = np.zeros(len(w))
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        s = int(np.argmax(w * (i + 1) - counts))
        out[i] = s
        counts[s] += 1
    return out


class MixedBlocks:
    """Map-style dataset of ``n_items`` units mixed from ``sources`` by ``weights`` (see module docstring).

    ``unit="block"``: fixed-length packed blocks (clm, mlm); ``unit="document"``: one document per item,
    truncated to ``block_size`` (contrastive). Items are dicts of int64 tensors ready for the model.
    """

    def __init__(self, sources: list[Source], weights: list[float], n_items: int, block_size: int, *,
                 seed: int, pad_id: int, unit: str = "block", position_ids: bool = True, transform=None):
        if len(sources) != len(weights):
            raise ValueError("one weight per source")
        self.sources, self.block_size, self.seed, self.pad_id = sources, block_size, seed, pad_id
        self.unit, self.position_ids, self.transform = unit, position_ids, transform
        self.spans = [self._spans(s) for s in sources]
        self.src = mix_schedule(weights, n_items)
        self.k = np.empty(n_items, dtype=np.int64)
        for s in range(len(sources)):
            idx = np.nonzero(self.src == s)[0]
            self.k[idx] = np.arange(len(idx))
        self._perms: dict[tuple[int, int], np.ndarray] = {}

    def _spans(self, source: Source) -> np.ndarray:
        n = len(source.tokens)
        if self.unit == "block":
            starts = np.arange(0, n, self.block_size)
            return np.stack([starts, np.minimum(starts + self.block_size, n)], axis=1)
        starts = np.nonzero(source.doc_starts)[0]
        ends = np.append(starts[1:], n)
        return np.stack([starts, np.minimum(ends, starts + self.block_size)], axis=1)

    def __len__(self) -> int:
        return len(self.src)

    def locate(self, i: int) -> tuple[int, int]:
        """(source index, span index) of item ``i``."""
        s, k = int(self.src[i]), int(self.k[i])
        n_units = len(self.spans[s])
        epoch = k // n_units
        if (s, epoch) not in self._perms:
            rng = np.random.default_rng([self.seed, s, epoch])
            self._perms[(s, epoch)] = rng.permutation(n_units)
        return s, int(self._perms[(s, epoch)][k % n_units])

    def real_tokens(self) -> np.ndarray:
        """Real (non-pad) tokens of every item, in order; their cumulative sum is tokens seen."""
        lengths = [sp[:, 1] - sp[:, 0] for sp in self.spans]
        return np.asarray([lengths[s][j] for s, j in map(self.locate, range(len(self)))], dtype=np.int64)

    def __getitem__(self, i: int) -> dict:
        import torch

        s, j = self.locate(i)
        src = self.sources[s]
        a, b = (int(x) for x in self.spans[s][j])
        ids = src.tokens[a:b].astype(np.int64)
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
            starts = np.concatenate([src.doc_starts[a:b], np.zeros(pad, dtype=bool)])
            starts[0] = True
            if pad:
                starts[n] = True
            idx = np.arange(self.block_size)
            last = np.maximum.accumulate(np.where(starts, idx, 0))
            item["position_ids"] = torch.from_numpy(idx - last)
        if self.transform is not None:
            words = src.word_starts[a:b] if src.word_starts is not None else None
            item = self.transform(item, i, words)
        return item
