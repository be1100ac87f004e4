"""`seapt corpus tokenize`: text -> token shards on disk (seapt.corpus.token_shards), on a datatrove executor.

    from seapt.corpus.tokenize_config import load_tokenize_config
    from seapt.corpus.tokenize import tokenize_corpus
    stats = tokenize_corpus(load_tokenize_config(tokenizer="runs/th/model", inputs=["corpus/th"], output="tok/th"))

Stage 1 (N tasks): read (seapt.corpus.readers) -> tokenise in batches, separator after each document,
word-start flags when asked -> one shard per task. Stage 2 (1 task): check every shard, write stats.json
{documents, tokens, bytes_in, seconds, dtype, tokenizer, fingerprint, vocab_size, separator_id, shards, ...}.
A finished task has a datatrove completion marker; a re-run skips those and redoes the rest, and a completed
shard whose files do not match its metadata (a killed or interrupted copy) is deleted and redone.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
from datatrove.pipeline.base import PipelineStep

from seapt.config import load_yaml, save_config
from seapt.corpus import token_shards as ts
from seapt.corpus.tokenize_config import TokenizeConfig
from seapt.errors import ConfigError, IncompatibleError, InputError
from seapt.outputs import reuse_output

_RESUMABLE = ("workers", "progress", "executor", "slurm_partition", "slurm_time", "batch_size", "tokenizer_threads")


def separator_id(tokenizer, separator: str) -> int:
    """The id appended after each document (``separator``: auto, eos or sep)."""
    order = {"eos": ("eos_token_id",), "sep": ("sep_token_id",), "auto": ("eos_token_id", "sep_token_id")}
    for key in order[separator]:
        if getattr(tokenizer, key, None) is not None:
            return int(getattr(tokenizer, key))
    raise IncompatibleError(f"separator: the tokenizer has no {separator.upper() if separator != 'auto' else 'EOS or SEP'}"
                            " token to put between documents")


def worker_threads(requested: int, workers: int) -> int:
    """Tokenizer threads per worker: ``requested``, or (0) this machine's cores shared among the workers (0 again
    for a single worker: tokenizers' default, every core)."""
    if requested or workers <= 1:
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores // workers)


class TokenizeShard(PipelineStep):
    """Tokenise this task's documents (no special tokens), append the separator, write one shard.

    ``backend`` is the tokenizer's serialised `tokenizers` definition (the one its fingerprint hashes): a
    worker rebuilds it with Tokenizer.from_str, without importing transformers; empty for tokenizers without
    one (loaded with AutoTokenizer). ``threads`` caps the tokenizer's Rayon threads in this worker, so that N
    workers do not each start a thread per core (0: leave tokenizers' default)."""

    name = "seapt tokenize"

    def __init__(self, output: str, tokenizer: str, sep_id: int, dtype: str, word_lang: str | None,
                 batch_size: int, max_doc_bytes: int, backend: str = "", threads: int = 0):
        super().__init__()
        self.output, self.tokenizer, self.sep_id, self.dtype = output, tokenizer, sep_id, dtype
        self.word_lang, self.batch_size, self.max_doc_bytes = word_lang, batch_size, max_doc_bytes
        self.backend, self.threads = backend, threads

    def _load(self):
        if self.threads and os.environ.get("RAYON_NUM_THREADS") != str(self.threads):
            os.environ["RAYON_NUM_THREADS"] = str(self.threads)  # read when this process first encodes in parallel
        if self.backend:
            from tokenizers import Tokenizer

            return Tokenizer.from_str(self.backend)
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(self.tokenizer)

    def _encode(self, tok, texts: list[str]):
        if self.backend:
            if not self.word_lang:  # no offsets needed: the cheaper call
                return [e.ids for e in tok.encode_batch_fast(texts, add_special_tokens=False)], None
            enc = tok.encode_batch(texts, add_special_tokens=False)
            return [e.ids for e in enc], [e.offsets for e in enc]
        out = tok(texts, add_special_tokens=False, return_offsets_mapping=bool(self.word_lang))
        return out["input_ids"], out.get("offset_mapping")

    def _flush(self, tok, writer, texts: list[str], sizes: list[int]) -> None:
        import itertools

        ids, offsets = self._encode(tok, texts)
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)) + 1
        ends = np.cumsum(lengths)
        tokens = np.empty(int(ends[-1]), dtype=np.int64)
        is_sep = np.zeros(len(tokens), dtype=bool)
        is_sep[ends - 1] = True
        tokens[is_sep] = self.sep_id
        tokens[~is_sep] = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=len(tokens) - len(ids))
        words = None
        if self.word_lang:
            from seapt.text.words import word_start_flags_batch

            flags = word_start_flags_batch(texts, offsets, self.word_lang)
            words = np.fromiter(itertools.chain.from_iterable([*f, True] for f in flags), dtype=np.uint8,
                                count=len(tokens))
        writer.write(tokens, ends, np.asarray(sizes, dtype=np.int64), words)
        self.stat_update("documents", value=len(texts))
        self.stat_update("tokens", value=len(tokens))

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        tok = self._load()
        ts.remove_shard(self.output, rank)  # leftovers of an earlier, killed attempt at this task
        writer = ts.ShardWriter(self.output, rank, np.dtype(self.dtype), self.tokenizer, bool(self.word_lang))
        batch: list[str] = []
        sizes: list[int] = []
        skipped = 0
        for doc in data or ():
            size = len(doc.text.encode("utf-8", "surrogatepass"))
            if size > self.max_doc_bytes or doc.metadata.get("_reject"):
                skipped += 1
                continue
            batch.append(doc.text)
            sizes.append(size)
            if len(batch) >= self.batch_size:
                with self.track_time(unit="batch"):
                    self._flush(tok, writer, batch, sizes)
                batch, sizes = [], []
        if batch:
            self._flush(tok, writer, batch, sizes)
        if skipped:
            self.stat_update("skipped", value=skipped)
        writer.close()
        return iter(())


def _value(x) -> int:
    return int(x.get("total", 0)) if isinstance(x, dict) else int(x or 0)


class WriteTokenStats(PipelineStep):
    """Last stage: check every shard and write stats.json."""

    name = "seapt token stats"

    def __init__(self, output: str, info: dict, tasks: int, started: float):
        super().__init__()
        self.output, self.info, self.tasks, self.started = output, info, tasks, started

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        import json

        from seapt.io import write_json

        out, itemsize = Path(self.output), np.dtype(self.info["dtype"]).itemsize
        shards, tokens, docs = [], 0, 0
        for r in range(self.tasks):
            base = out / f"{r:05d}.ds"
            problem = ts.shard_problem(base, itemsize, bool(self.info["word_lang"]), doc_bytes=True)
            if problem:
                raise InputError(f"{base}: {problem}; re-run `seapt corpus tokenize` to redo it")
            n_tok = base.stat().st_size // itemsize
            n_doc = Path(f"{base}.index").stat().st_size // 8
            shards.append({"name": base.name, "tokens": n_tok, "documents": n_doc, "max_id": ts.shard_max_id(base)})
            tokens, docs = tokens + n_tok, docs + n_doc
        bytes_in = skipped = 0
        for f in sorted((out / "logs" / "1_tokenize" / "stats").glob("*.json")):
            for step in json.loads(f.read_text(encoding="utf-8")):
                if step["name"].endswith("seapt reader"):
                    bytes_in += _value(step["stats"].get("bytes_in"))
                elif step["name"].endswith("seapt tokenize"):
                    skipped += _value(step["stats"].get("skipped"))
        max_id = max((s["max_id"] for s in shards), default=-1)
        stats = {"documents": docs, "tokens": tokens, "bytes_in": bytes_in, "max_id": max_id,
                 "seconds": round(time.time() - self.started, 3), **self.info, "skipped": skipped, "shards": shards}
        write_json(out / "stats.json", stats)
        return iter(())


def resolve_token_inputs(paths: list[str]) -> list[str]:
    """Input files: a prepared corpus folder gives its data/*.jsonl.gz (never removed/), the rest as the corpus reader."""
    from seapt.corpus.readers import resolve_inputs

    out: list[str] = []
    for p in paths:
        data = Path(p) / "data"
        if data.is_dir():
            files = sorted(str(f) for f in data.glob("*.jsonl.gz"))
            if not files:
                raise InputError(f"{p}: this prepared corpus kept no documents (see {Path(p) / 'stats.json'})")
            out += files
        else:
            out += resolve_inputs([p])
    return out


def _check_output(cfg: TokenizeConfig, out: Path, overwrite: bool) -> None:
    """seapt.outputs' rule: same settings resume or return; other settings are an error, or redone."""
    saved = out / "config.yaml"
    reuse_output(out, load_yaml(saved) if saved.is_file() else None, cfg, ignore=_RESUMABLE, overwrite=overwrite,
                 what="tokens")


def _redo_damaged(out: Path, logs: Path, tasks: int, itemsize: int, words: bool) -> None:
    """A completed task whose shard does not match its metadata loses its completion marker (redone)."""
    for r in range(tasks):
        marker = logs / "1_tokenize" / "completions" / f"{r:05d}"
        if marker.is_file() and ts.shard_problem(out / f"{r:05d}.ds", itemsize, words, doc_bytes=True):
            ts.remove_shard(out, r)
            marker.unlink()
            (out / "stats.json").unlink(missing_ok=True)
            (logs / "2_stats" / "completions" / "00000").unlink(missing_ok=True)


def tokenize_corpus(cfg: TokenizeConfig, *, local_tasks: tuple[int, int] | None = None,
                    overwrite: bool = False) -> dict:
    """Tokenise ``cfg.inputs`` into shards in ``cfg.output``; returns stats.json's content.

    ``local_tasks=(offset, n)`` runs only tasks [offset, offset + n) of stage 1 here and no stats stage (the
    other ranks of a training job run the rest); the caller waits for all of them. A folder made with other
    settings is an error naming them, or with ``overwrite`` deleted and redone.
    """
    from transformers import AutoTokenizer

    from seapt.corpus.prepare import build_executors, run_remote
    from seapt.corpus.readers import SeaptReader
    from seapt.corpus.runner import fast_distribution_check
    from seapt.corpus.runner import run_local
    from seapt.io import read_json

    if not cfg.inputs:
        raise ConfigError("inputs: give at least one --input file, folder or hf:// dataset id")
    if not cfg.output:
        raise ConfigError("output: give --output DIR")
    out, logs = Path(cfg.output), Path(cfg.output) / "logs"
    _check_output(cfg, out, overwrite)
    if (out / "stats.json").is_file() and local_tasks is None:
        stats = read_json(out / "stats.json")
        if all(ts.shard_problem(out / s["name"], np.dtype(stats["dtype"]).itemsize, bool(stats["word_lang"]),
                                doc_bytes=bool(stats.get("doc_bytes"))) is None
               for s in stats["shards"]):
            return stats
    inputs = resolve_token_inputs(cfg.inputs)
    try:
        tok = AutoTokenizer.from_pretrained(cfg.tokenizer)
    except (OSError, ValueError) as exc:
        raise InputError(f"{cfg.tokenizer}: cannot load this tokenizer ({str(exc).splitlines()[0]})") from None
    backend = getattr(tok, "backend_tokenizer", None)
    definition = backend.to_str() if backend is not None else ""
    ident = ts.tokenizer_identity(tok, definition or None)
    dtype = ts.dtype_for(ident["vocab_size"])
    info = {"dtype": dtype.name, "tokenizer": cfg.tokenizer, **ident, "separator_id": separator_id(tok, cfg.separator),
            "word_lang": cfg.word_lang, "doc_bytes": True}
    out.mkdir(parents=True, exist_ok=True)
    save_config(cfg, out / "config.yaml")
    _redo_damaged(out, logs, cfg.num_tasks, dtype.itemsize, bool(cfg.word_lang))
    fast_distribution_check()
    stage1 = [SeaptReader(inputs, cfg.text_key, "id", 2**62, cfg.hf_split, cfg.hf_config,
                          progress_folder=str(logs / "progress")),
              TokenizeShard(str(out), cfg.tokenizer, info["separator_id"], dtype.str, cfg.word_lang,
                            cfg.batch_size, cfg.max_doc_bytes, definition,
                            worker_threads(cfg.tokenizer_threads, cfg.workers) if cfg.executor == "local" else 0)]
    stages = {"1_tokenize": (stage1, cfg.num_tasks)}
    if local_tasks is None:
        stages["2_stats"] = ([WriteTokenStats(str(out), info, cfg.num_tasks, time.time())], 1)
    executors = build_executors(cfg, stages)
    if cfg.executor != "local":
        run_remote(cfg, executors, "tokenize")
        if (out / "stats.json").is_file():
            return read_json(out / "stats.json")
        return {"submitted": len(executors), "output": cfg.output}
    run_local(cfg, executors, inputs, what="tokenize", label=f"tokenize {Path(cfg.output).name}",
              local_tasks=local_tasks)
    return read_json(out / "stats.json") if local_tasks is None else {}
