"""Input side of the corpus pipeline: a datatrove reader for txt/jsonl/parquet/HF ids that never crashes on
bad records, and the filter that routes those records to removed/ with their reason.

    SeaptReader(["raw/th.jsonl", "more/"], text_key="text")(rank=0, world_size=2)

Bad records (invalid UTF-8, NUL bytes, over-long lines, broken JSON, a missing text field, empty text) are
yielded with ``metadata["_reject"]`` set; :class:`InputCheck` drops them with that reason, so they are
counted and written like every other drop.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.readers.base import BaseReader

from seapt.errors import InputError

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".json.gz", ".ndjson", ".json")
TEXT_SUFFIXES = (".txt", ".txt.gz")
PARQUET_SUFFIXES = (".parquet",)
SUFFIXES = JSONL_SUFFIXES + TEXT_SUFFIXES + PARQUET_SUFFIXES


def resolve_inputs(paths: list[str]) -> list[str]:
    """Expand folders into their readable files (sorted); keep ``hf://`` ids; a missing path is an InputError."""
    out: list[str] = []
    for raw in paths:
        if raw.startswith("hf://"):
            out.append(raw)
            continue
        p = Path(raw)
        if not p.exists():
            raise InputError(f"input not found: {p} (give a file, a folder, or hf://ORG/DATASET)")
        if p.is_dir():
            files = sorted(str(f) for f in p.rglob("*") if f.is_file() and f.name.lower().endswith(SUFFIXES))
            if not files:
                raise InputError(f"{p}: no .jsonl, .txt or .parquet files in this folder")
            out.extend(files)
        elif not p.name.lower().endswith(SUFFIXES):
            raise InputError(f"{p}: unsupported input type; use .jsonl(.gz), .txt(.gz), .parquet or a folder")
        else:
            out.append(str(p))
    return out


def deal_files(files: list[str], rank: int, world_size: int) -> list[str]:
    """This rank's share of ``files`` (at least one per rank): largest first, each to the rank with the fewest
    bytes so far (ties: the lowest rank), returned in their given order."""
    import os

    sizes = [os.path.getsize(f) for f in files]
    dealer, mine = Dealer(world_size), []
    for i in sorted(range(len(files)), key=lambda i: (-sizes[i], i)):
        if dealer.deal(sizes[i]) == rank:
            mine.append(i)
    return [files[i] for i in sorted(mine)]


class Dealer:
    """Deal items of known sizes to ``world_size`` ranks: each to the rank with the fewest bytes so far (ties:
    the lowest rank), O(log ranks) an item; every rank replaying the same sizes computes the same deal."""

    def __init__(self, world_size: int):
        self.heap = [(0, r) for r in range(world_size)]

    def deal(self, size: int) -> int:
        import heapq

        load, rank = self.heap[0]
        heapq.heapreplace(self.heap, (load + size, rank))
        return rank


class SeaptReader(BaseReader):
    """Read documents from files or streamed HF datasets, one shard per rank.

    With at least as many files as tasks, each rank reads whole files, dealt by size (largest first, each to
    the rank with the fewest bytes so far); otherwise every rank walks all records and keeps those dealt to it
    the same way (each record to the rank with the most text left to take: the fewest characters of text so
    far, computed alike by every rank), so one big file still splits evenly, whatever the order of long and
    short documents, and wherever it was written (a JSON line's id or metadata never changes the deal).
    """

    name = "seapt reader"

    def __init__(self, inputs: list[str], text_key: str = "text", id_key: str = "id", max_doc_bytes: int = 1_000_000,
                 hf_split: str = "train", hf_config: str | None = None, progress_folder: str | None = None):
        super().__init__(text_key=text_key, id_key=id_key)
        self.progress_folder = progress_folder
        self.inputs = list(inputs)
        self.max_doc_bytes = max_doc_bytes
        self.hf_split = hf_split
        self.hf_config = hf_config

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        if data:
            yield from data
        local = [p for p in self.inputs if not p.startswith("hf://")]
        by_file = len(local) >= world_size
        files = deal_files(local, rank, world_size) if by_file else local
        # Hub datasets are split by datasets' own split_dataset_by_node (by shard files when they divide evenly)
        files += [p for p in self.inputs if p.startswith("hf://")]
        done = 0
        dealer = Dealer(world_size)  # records of files shared by every rank
        for path in files:
            hub = path.startswith("hf://")
            records = self._hf_records(path[len("hf://"):], rank, world_size) if hub else self._records(path)
            for record in records:
                done += record[1]  # bytes walked, shown by the progress display
                if not by_file and not hub:
                    if dealer.deal(self._deal_size(record) + 1) != rank:  # +1: empty records are dealt out too
                        continue
                doc = self._document(path, *record)
                self.stat_update("documents")
                self.stat_update("bytes_in", value=record[1])
                if self.stats["documents"].total % 200 == 0:
                    self._progress(rank, done, by_file or rank == 0)
                yield doc
        self._progress(rank, done, by_file or rank == 0)

    def _deal_size(self, record) -> int:
        """The size a shared file's record is dealt by: its text's, not its line's, so that where the corpus was
        written (ids and metadata holding absolute paths) never changes which task gets which document."""
        kind, value = record[2]
        if kind != "json":
            return record[1]
        import orjson

        try:
            obj = orjson.loads(value)
        except orjson.JSONDecodeError:
            return record[1]
        text = obj.get(self.text_key) if isinstance(obj, dict) else None
        return len(text) if isinstance(text, str) else record[1]

    def _progress(self, rank: int, done: int, counts: bool) -> None:
        if self.progress_folder and counts:
            from seapt.io import atomic_write_text

            atomic_write_text(f"{self.progress_folder}/{rank:05d}", str(done))

    # -- records: (index, raw size in bytes, payload) ------------------------------------------------------
    def _records(self, path: str):
        name = path.lower()
        if name.endswith(PARQUET_SUFFIXES):
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(path)
            cols = [c for c in (self.text_key, self.id_key) if c in pf.schema_arrow.names]
            i = 0
            for batch in pf.iter_batches(columns=cols or None, batch_size=1024):
                for row in batch.to_pylist():
                    i += 1
                    text = row.get(self.text_key)
                    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else 0
                    yield i, size, ("row", row)
            return
        opener = gzip.open if name.endswith(".gz") else open
        kind = "json" if name.endswith(JSONL_SUFFIXES) else "line"
        i = 0
        try:
            with opener(path, "rb") as fh:
                for i, line in enumerate(fh, 1):
                    if kind == "line" and not line.strip():
                        continue  # blank lines separate documents in .txt input
                    if kind == "json" and not line.strip():
                        yield i, len(line), ("empty", b"")
                        continue
                    yield i, len(line), (kind, line)
        except (OSError, EOFError, zlib.error) as exc:  # truncated or corrupt .gz: count it, keep going
            yield i + 1, 0, ("unreadable", f"{type(exc).__name__}: {exc}")

    def _hf_records(self, dataset_id: str, rank: int = 0, world_size: int = 1):
        from seapt.errors import require

        datasets = require("datasets")
        ds = datasets.load_dataset(dataset_id, self.hf_config, split=self.hf_split, streaming=True)
        if world_size > 1:
            from datasets.distributed import split_dataset_by_node

            ds = split_dataset_by_node(ds, rank=rank, world_size=world_size)
        for i, row in enumerate(ds, 1):
            text = row.get(self.text_key)
            yield i, len(text.encode("utf-8")) if isinstance(text, str) else 0, ("row", row)

    def _document(self, path: str, index: int, size: int, payload) -> Document:
        kind, value = payload
        doc_id = f"{path}/{index}"
        meta: dict = {"source": path}
        reject = None
        text = ""
        if size > self.max_doc_bytes:
            reject = "too_long"
        if kind == "empty":
            reject = reject or "empty"
        elif kind == "unreadable":
            reject = "unreadable_file"
            meta["error"] = value
        elif kind == "row":
            text = value.get(self.text_key)
            if not isinstance(text, str):
                reject, text = reject or "missing_text_field", ""
                meta["raw"] = {k: str(v)[:1000] for k, v in value.items()}
            if value.get(self.id_key) is not None:
                doc_id = str(value[self.id_key])
        else:
            raw = value.rstrip(b"\r\n")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                reject = reject or "invalid_utf8"
            if kind == "line":
                text = line
            else:
                text, doc_id, meta, reject = self._from_json(line, doc_id, meta, reject)
        if "\x00" in text:
            reject = reject or "nul_bytes"
        if not reject and not text.strip():
            reject = "empty"
        if reject:
            meta["_reject"] = reject
        return Document(text=text, id=doc_id, metadata=meta)

    def _from_json(self, line: str, doc_id: str, meta: dict, reject: str | None):
        import orjson

        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            return line, doc_id, meta, reject or "broken_json"  # keep the raw line: nothing is lost
        if not isinstance(obj, dict) or not isinstance(obj.get(self.text_key), str):
            meta["raw"] = line[:100_000]
            return "", doc_id, meta, reject or "missing_text_field"
        text = obj.pop(self.text_key)
        if obj.get(self.id_key) is not None:
            doc_id = str(obj.pop(self.id_key))
        extra = {k: v for k, v in obj.items() if isinstance(v, (str, int, float, bool)) and k != "metadata"}
        meta.update(extra)
        return text, doc_id, meta, reject


class InputCheck(BaseFilter):
    """Drop the records the reader marked as unreadable, with the reader's reason; with
    ``max_replacement_ratio``, also text that lost its bytes before it reached us (reason mojibake).

    A document whose U+FFFD replacement characters alone are at least ``min_lost`` (3) and over that share of its characters
    is dropped here, before normalisation: the quality filter would drop it later for the same share (its
    mojibake count includes U+FFFD), and ftfy cannot restore lost bytes. Trying costs ~15x more per
    byte than clean text (0.35 of 0.6 CPU-s of normalising the Thai benchmark input went to 40 such pages).
    """

    name = "input check"

    def __init__(self, max_replacement_ratio: float | None = None, exclusion_writer=None, min_lost: int = 3):
        super().__init__(exclusion_writer)
        self.max_replacement_ratio = max_replacement_ratio
        self.min_lost = min_lost

    def filter(self, doc: Document):
        reason = doc.metadata.pop("_reject", None)
        if reason:
            return False, reason
        if self.max_replacement_ratio is not None:
            lost = doc.text.count("\ufffd")
            if lost >= self.min_lost and lost / len(doc.text) > self.max_replacement_ratio:
                return False, "mojibake"
        return True


class RankFileReader(BaseReader):
    """Read back this rank's own shard ``<rank>.jsonl`` written by CorpusWriter (none: no documents)."""

    name = "rank shard reader"

    def __init__(self, folder: str):
        super().__init__()
        from datatrove.io import get_datafolder

        self.folder = get_datafolder(folder)

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        import orjson

        if data:
            yield from data
        name = f"{rank:05d}.jsonl"
        if not self.folder.isfile(name):
            return
        with self.folder.open(name, "rb") as fh:
            for line in fh:
                rec = orjson.loads(line)
                meta = dict(rec.get("meta") or {})
                if rec.get("lang") is not None:
                    meta["lang"] = rec["lang"]
                self.stat_update("documents")
                yield Document(text=rec["text"], id=rec["id"], metadata=meta)
