"""On-disk token shards (datatrove's .ds layout): write one shard atomically, verify it, memory-map it.

One shard per task ``NNNNN``:
  NNNNN.ds           tokens, little-endian uint16 (vocabulary <= 65,536) or uint32, documents back to back,
                     each followed by the separator token
  NNNNN.ds.index     uint64 end offset (in tokens) of every document, as datatrove's DocumentTokenizer
  NNNNN.ds.words     optional: one byte per token, 1 where a word starts (whole-word masking)
  NNNNN.ds.bytes     uint32 UTF-8 byte count of every document's text (bits per byte of a tokenised eval set)
  NNNNN.ds.metadata  text: "<tokenizer>|<bytes per token>", token count (as datatrove's), then document
                     count and largest token id
Files are written under a .tmp name and renamed when complete, metadata last: a shard whose metadata exists
was finished; sizes that disagree with it mean a damaged file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from seapt.errors import InputError


def dtype_for(vocab_size: int) -> np.dtype:
    """uint16 when every id fits, else uint32."""
    return np.dtype("<u2") if vocab_size <= 65536 else np.dtype("<u4")


def tokenizer_identity(tokenizer, definition: str | None = None) -> dict:
    """{fingerprint, vocab_size} of a transformers tokenizer: a hash of its full definition (``definition``: its
    backend's to_str(), when the caller has it already) and its length."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if definition is not None or backend is not None:
        text = definition if definition is not None else backend.to_str()
    else:
        import json

        text = json.dumps(sorted(tokenizer.get_vocab().items()), ensure_ascii=False)
    return {"fingerprint": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], "vocab_size": len(tokenizer)}


class ShardWriter:
    """Append documents' tokens to one shard; ``close()`` makes it visible, ``abort()`` removes the parts."""

    def __init__(self, folder: str | Path, rank: int, dtype: np.dtype, tokenizer_name: str, words: bool):
        self.base = Path(folder) / f"{rank:05d}.ds"
        self.dtype, self.name, self.count = dtype, tokenizer_name, 0
        self.tokens = open(f"{self.base}.tmp", "wb")
        self.words = open(f"{self.base}.words.tmp", "wb") if words else None
        self.doc_bytes = open(f"{self.base}.bytes.tmp", "wb")
        self.ends: list[np.ndarray] = []
        self.max_id = -1

    def write(self, tokens: np.ndarray, doc_ends: np.ndarray, doc_bytes: np.ndarray,
              words: np.ndarray | None = None) -> None:
        """Tokens of several whole documents; ``doc_ends`` relative to their start; ``doc_bytes`` their texts'
        UTF-8 sizes."""
        if len(tokens):
            self.max_id = max(self.max_id, int(tokens.max()))
        self.tokens.write(tokens.astype(self.dtype, copy=False).tobytes())
        if self.words is not None:
            self.words.write(words.astype(np.uint8, copy=False).tobytes())
        self.doc_bytes.write(np.asarray(doc_bytes, dtype="<u4").tobytes())
        self.ends.append(doc_ends.astype(np.uint64) + np.uint64(self.count))
        self.count += len(tokens)

    def close(self) -> int:
        """Flush, write the index and metadata, rename into place; returns the token count."""
        self.tokens.close()
        self.doc_bytes.close()
        parts = [(f"{self.base}.tmp", str(self.base)), (f"{self.base}.bytes.tmp", f"{self.base}.bytes")]
        if self.words is not None:
            self.words.close()
            parts.append((f"{self.base}.words.tmp", f"{self.base}.words"))
        ends = np.concatenate(self.ends) if self.ends else np.zeros(0, np.uint64)
        ends.astype("<u8").tofile(f"{self.base}.index.tmp")
        parts.append((f"{self.base}.index.tmp", f"{self.base}.index"))
        Path(f"{self.base}.metadata.tmp").write_text(
            f"{self.name}|{self.dtype.itemsize}\n{self.count}\n{len(ends)}\n{self.max_id}\n", encoding="utf-8")
        parts.append((f"{self.base}.metadata.tmp", f"{self.base}.metadata"))
        for tmp, final in parts:
            os.replace(tmp, final)
        return self.count


def remove_shard(folder: str | Path, rank: int) -> None:
    """Delete a shard's files and its leftovers (.tmp parts of a killed writer)."""
    for f in Path(folder).glob(f"{rank:05d}.ds*"):
        f.unlink(missing_ok=True)


def shard_problem(base: str | Path, itemsize: int, words: bool, doc_bytes: bool = False) -> str | None:
    """Why shard ``base`` (…/NNNNN.ds) is not usable, or None when its sizes agree with its metadata
    (``doc_bytes``: its .ds.bytes too, which folders written before it existed lack)."""
    base = Path(base)
    meta = Path(f"{base}.metadata")
    if not meta.is_file():
        return "no .ds.metadata (its writer did not finish)"
    try:
        _, count, docs = meta.read_text(encoding="utf-8").split("\n")[:3]
        count, docs = int(count), int(docs)
    except ValueError:
        return "unreadable .ds.metadata"
    expect = {base: count * itemsize, Path(f"{base}.index"): docs * 8}
    if words:
        expect[Path(f"{base}.words")] = count
    if doc_bytes:
        expect[Path(f"{base}.bytes")] = docs * 4
    for path, size in expect.items():
        if not path.is_file() or path.stat().st_size != size:
            have = path.stat().st_size if path.is_file() else "missing"
            return f"{path.name} has {have} bytes, its metadata says {size} (truncated by a killed writer?)"
    if docs and int(np.fromfile(f"{base}.index", dtype="<u8", offset=(docs - 1) * 8)[0]) != count:
        return f"{base.name}.index does not end at the token count"
    return None


def shard_max_id(base: str | Path) -> int:
    """Largest token id of a finished shard (-1 when empty), from its metadata."""
    return int(Path(f"{base}.metadata").read_text(encoding="utf-8").split("\n")[3])


def open_shard(base: str | Path, dtype: np.dtype, words: bool):
    """(tokens, doc_ends, words or None) as read-only memory maps (never read whole)."""
    base = Path(base)
    if not base.is_file():
        raise InputError(f"{base}: missing token shard")
    n_tok = base.stat().st_size // dtype.itemsize

    def mm(path, dt, n):
        return np.memmap(path, dtype=dt, mode="r", shape=(n,)) if n else np.zeros(0, dt)

    tokens = mm(base, dtype, n_tok)
    ends = mm(f"{base}.index", np.dtype("<u8"), Path(f"{base}.index").stat().st_size // 8)
    flags = mm(f"{base}.words", np.uint8, n_tok) if words else None
    return tokens, ends, flags


def finished_info(folder: str | Path) -> dict:
    """stats.json of a finished tokenised folder (InputError when the folder is unfinished)."""
    from seapt.io import read_json

    folder = Path(folder)
    if not (folder / "stats.json").is_file():
        raise InputError(f"{folder}: no stats.json; this tokenised folder is unfinished, re-run "
                         "`seapt corpus tokenize` on it")
    return read_json(folder / "stats.json")


def open_checked(folder: str | Path, info: dict, doc_bytes: bool = False) -> list[tuple]:
    """(tokens, doc_ends, words or None) memory maps of every shard ``info`` lists, each checked first (a damaged
    shard is an InputError); ``doc_bytes``: their .ds.bytes must be whole too."""
    folder = Path(folder)
    dtype = np.dtype(info["dtype"]).newbyteorder("<")
    words = bool(info.get("word_lang"))
    shards = []
    for s in info["shards"]:
        base = folder / s["name"]
        problem = shard_problem(base, dtype.itemsize, words, doc_bytes=doc_bytes)
        if problem:
            raise InputError(f"{base}: {problem}; re-run `seapt corpus tokenize` to redo it")
        shards.append(open_shard(base, dtype, words))
    return shards


def open_doc_bytes(base: str | Path) -> np.ndarray:
    """UTF-8 byte count of every document of a finished shard, memory-mapped."""
    path = Path(f"{base}.bytes")
    n = path.stat().st_size // 4
    return np.memmap(path, dtype="<u4", mode="r", shape=(n,)) if n else np.zeros(0, "<u4")
