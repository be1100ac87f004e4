"""Exact and MinHash near-duplicate removal across all workers, as datatrove steps.

Signatures and LSH buckets are datatrove's own (MinhashDedupSignature fed seapt's word segmenter,
MinhashDedupBuckets). Clustering is ours for one reason: the kept document of a cluster is the one with the
smallest hash of its id, not the first by (rank, index), so 1 worker and N workers keep the same documents.

    stage 1 (N tasks): ... -> DocKeys(keys/) -> MinhashDedupSignature(sigs/)
    stage 2 (num_buckets tasks): MinhashDedupBuckets(sigs/ -> buckets/)
    stage 3 (1 task): DedupCluster(keys/ + buckets/ -> remove/)
    stage 4 (N tasks): reader -> DedupFilter(remove/) -> writer
"""

from __future__ import annotations

import numpy as np
from datatrove.data import Document
from datatrove.io import get_datafolder
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.utils.binaryio import read_tuples_from_file

KEY_DTYPE = np.dtype([("idx", "<u4"), ("key", "<u8"), ("exact", "<u8")])
REMOVE_DTYPE = np.dtype([("idx", "<u4"), ("reason", "u1")])
REASONS = {1: "exact_duplicate", 2: "near_duplicate"}


def exact_key(text: str) -> int:
    """Hash of the text with whitespace collapsed (exact duplicates modulo spacing)."""
    import xxhash

    return xxhash.xxh3_64_intdigest(" ".join(text.split()).encode("utf-8"))


class WordMinhashSignature:
    """Factory for datatrove's MinhashDedupSignature whose shingles are n-grams of seapt's segmenter words
    (cached per document by the quality filter), not of whitespace tokens of datatrove's simplified text."""

    def __new__(cls, output_folder, config, lang: str):
        from datatrove.pipeline.dedup.minhash import MinhashDedupSignature

        from seapt.corpus.words import SeaptWordTokenizer

        class _Signature(MinhashDedupSignature):
            def run(self, data, rank: int = 0, world_size: int = 1):
                return super().run(self._track(data), rank, world_size)

            def _track(self, data):
                for doc in data:
                    self._doc = doc  # get_shingles(doc.text) is called right after this doc is yielded
                    yield doc

            def get_shingles(self, text: str) -> np.ndarray:
                from datatrove.utils.text import ngrams

                from seapt.corpus.words import shingle_words

                doc = getattr(self, "_doc", None)
                if doc is None or doc.text is not text:
                    return super().get_shingles(text)
                words = shingle_words(doc, self.lang)
                # datatrove's hashing of " ".join(n-gram) for each of ngrams(words, n), without a Python loop
                grams = map(" ".join, ngrams(words, self.config.n_grams))
                return np.fromiter(map(self._hash, grams), dtype=np.uint64).reshape((-1, 1))

        step = _Signature(output_folder, config=config, language=SeaptWordTokenizer(lang))
        step.lang = lang
        step._hash = _fast_hash(step._hash_func)
        return step


def _fast_hash(hash_func):
    """datatrove's xxhash64 wraps xxhash.xxh64_intdigest and passes it a str, which xxhash 4 refuses: hash the
    UTF-8 bytes ourselves (the values xxhash 3 gave for the str); any other hash function is used as it is."""
    from datatrove.utils.hashes.xxhash import xxhash64

    if hash_func is xxhash64:
        return _xxh64_utf8
    return hash_func


def _xxh64_utf8(text: str) -> int:
    import xxhash

    return xxhash.xxh64_intdigest(text.encode("utf-8"))


class DocKeys(PipelineStep):
    """Record (index, hash of id, hash of text) of every document of this rank, and the hashes of its distinct
    lines (for corpus-wide repeated-line removal); documents pass through."""

    type = "🫂 - DEDUP"
    name = "dedup keys"

    def __init__(self, output_folder, line_min_chars: int = 0):
        super().__init__()
        self.output_folder = get_datafolder(output_folder)
        self.line_min_chars = line_min_chars

    def run(self, data, rank: int = 0, world_size: int = 1):
        import xxhash

        from seapt.corpus.lines import doc_line_keys

        rows, lines = [], []
        for idx, doc in enumerate(data):
            rows.append((idx, xxhash.xxh3_64_intdigest(str(doc.id).encode("utf-8")), exact_key(doc.text)))
            if self.line_min_chars:
                lines.extend(doc_line_keys(doc.text, self.line_min_chars))
            yield doc
        with self.output_folder.open(f"{rank:05d}.keys", "wb") as f:
            f.write(np.array(rows, dtype=KEY_DTYPE).tobytes())
        with self.output_folder.open(f"{rank:05d}.lines", "wb") as f:
            f.write(np.array(sorted(lines), dtype="<u8").tobytes())


class DedupCluster(PipelineStep):
    """Decide, over the whole corpus, which documents are exact or near duplicates (one task).

    Exact groups keep their smallest-key document; each MinHash cluster (union of LSH matches) keeps its
    smallest-key document. Writes ``{rank:05d}.remove`` (index, reason code) sorted by index.
    """

    type = "🫂 - DEDUP"
    name = "dedup cluster"

    def __init__(self, keys_folder, dups_folder, output_folder, exact: bool = True, near: bool = True,
                 repeated_line_min_docs: int = 0):
        super().__init__()
        self.repeated_line_min_docs = repeated_line_min_docs
        self.keys_folder = get_datafolder(keys_folder)
        self.dups_folder = get_datafolder(dups_folder) if dups_folder else None
        self.output_folder = get_datafolder(output_folder)
        self.exact = exact
        self.near = near

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        keys: dict[tuple[int, int], int] = {}
        removed: dict[tuple[int, int], int] = {}
        groups: dict[int, tuple[int, tuple[int, int]]] = {}
        for name in self.keys_folder.list_files(glob_pattern="*.keys"):
            r = int(name.split("/")[-1].split(".")[0])
            with self.keys_folder.open(name, "rb") as f:
                arr = np.frombuffer(f.read(), dtype=KEY_DTYPE)
            for idx, key, ex in arr.tolist():
                node = (r, idx)
                keys[node] = key
                if not self.exact:
                    continue
                best = groups.get(ex)
                if best is None:
                    groups[ex] = (key, node)
                elif key < best[0]:
                    removed[best[1]] = 1
                    groups[ex] = (key, node)
                else:
                    removed[node] = 1
        self.stat_update("exact_duplicate", value=len(removed))
        if self.near and self.dups_folder is not None:
            parent: dict = {}
            nodes: set = set()

            def find(x):
                while parent.get(x, x) != x:
                    parent[x] = parent.get(parent[x], parent[x])
                    x = parent[x]
                return x

            for name in self.dups_folder.list_files(glob_pattern="*.dups"):
                with self.dups_folder.open(name, "rb") as f:
                    for f1, d1, f2, d2 in read_tuples_from_file(f, "4I", lines_to_buffer=1000):
                        nodes.update(((f1, d1), (f2, d2)))
                        a, b = find((f1, d1)), find((f2, d2))
                        if a != b:
                            parent[max(a, b)] = min(a, b)
            clusters: dict = {}
            for node in sorted(nodes):
                clusters.setdefault(find(node), []).append(node)
            for members in clusters.values():
                keep = min(members, key=lambda m: (keys.get(m, 0), m))
                for m in members:
                    if m != keep and m not in removed:
                        removed[m] = 2
                        self.stat_update("near_duplicate")
        by_rank: dict[int, list] = {}
        for (r, idx), code in removed.items():
            by_rank.setdefault(r, []).append((idx, code))
        if self.repeated_line_min_docs:
            from seapt.corpus.lines import merge_repeated

            repeated = merge_repeated(self.keys_folder, self.repeated_line_min_docs)
            self.stat_update("repeated_lines", value=len(repeated))
            with self.output_folder.open("repeated.lines", "wb") as f:
                f.write(repeated.tobytes())
        for r in {r for r, _ in keys} | set(by_rank):
            rows = sorted(by_rank.get(r, []))
            with self.output_folder.open(f"{r:05d}.remove", "wb") as f:
                f.write(np.array(rows, dtype=REMOVE_DTYPE).tobytes())
        if data:
            yield from data


class DedupFilter(BaseFilter):
    """Drop the documents DedupCluster marked, with reason exact_duplicate or near_duplicate."""

    name = "dedup filter"

    def __init__(self, remove_folder, exclusion_writer=None):
        super().__init__(exclusion_writer)
        self.remove_folder = get_datafolder(remove_folder)
        self._remove: dict[int, int] = {}
        self._idx = 0

    def run(self, data, rank: int = 0, world_size: int = 1):
        name = f"{rank:05d}.remove"
        self._remove = {}
        if self.remove_folder.isfile(name):
            with self.remove_folder.open(name, "rb") as f:
                arr = np.frombuffer(f.read(), dtype=REMOVE_DTYPE)
            self._remove = dict(arr.tolist())
        self._idx = 0
        yield from super().run(data, rank, world_size)

    def filter(self, doc: Document):
        code = self._remove.get(self._idx)
        self._idx += 1
        return (False, REASONS[code]) if code else True

