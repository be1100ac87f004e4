"""TokenizeConfig: every option of `seapt corpus tokenize`, one docstring per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from seapt.config import check


@dataclass
class TokenizeConfig:
    """Options of `seapt corpus tokenize` (text -> token shards on disk, see seapt.corpus.tokenize)."""

    tokenizer: str = ""
    """Tokenizer folder (a model folder from `seapt model extend` or `seapt tokenizer extend`) or Hub id."""
    inputs: list[str] = field(default_factory=list)
    """Prepared corpus folders (their data/*.jsonl.gz), .jsonl(.gz), .txt(.gz) (a document a line), .parquet
    files or folders of them, or hf://ORG/DATASET ids; --input sets it."""
    output: str = ""
    """Output folder: <task>.ds token shards, .ds.index, .ds.words, .ds.metadata, stats.json, logs/."""
    separator: Literal["auto", "eos", "sep"] = "auto"
    """Token appended after every document: eos, sep, or auto (EOS when the tokenizer has one, else SEP).
    `seapt pretrain` asks for EOS for clm and SEP (else EOS) for mlm and contrastive."""
    word_lang: str | None = None
    """Also write <task>.ds.words (a byte per token: 1 where a word starts, by seapt's segmenter of this
    language) for whole-word masking; empty: no word flags."""
    text_key: str = "text"
    """Field holding the text in .jsonl / .parquet / Hub dataset input."""
    hf_split: str = "train"
    """Split read when an input is a Hugging Face dataset id (streamed)."""
    hf_config: str | None = None
    """Config (subset) name of a Hugging Face dataset input."""
    max_doc_bytes: int = 100_000_000
    """Documents longer than this (UTF-8 bytes) are skipped and counted in stats.json's skipped."""
    batch_size: int = 512
    """Documents per tokenizer call (Tokenizer.encode_batch)."""
    workers: int = 1
    """Processes running at once on this machine (each tokenises whole tasks)."""
    tokenizer_threads: int = 0
    """Tokenizer (Rayon) threads per worker process; 0: this machine's cores divided among the workers (local
    executor), tokenizers' default elsewhere. 1 makes a worker use one core."""
    tasks: int = 0
    """Shards the input is split into (0: same as workers); one .ds file per task, the unit of resume."""
    executor: Literal["local", "slurm", "ray"] = "local"
    """datatrove executor: local processes, Slurm jobs, or a Ray cluster."""
    slurm_partition: str = "cpu"
    """Slurm partition (executor slurm)."""
    slurm_time: str = "12:00:00"
    """Slurm time limit per job (executor slurm)."""
    progress: bool = True
    """Show a progress display (MB/s, ETA) on stderr."""

    def __post_init__(self):
        from seapt.languages import LANGUAGES

        check(self.workers >= 1, "workers", "must be at least 1")
        check(self.tasks >= 0, "tasks", "must be 0 (same as workers) or more")
        check(self.batch_size >= 1, "batch_size", "must be at least 1")
        check(1 <= self.max_doc_bytes < 2**32, "max_doc_bytes", "must be in [1, 2**32) (sizes are stored as uint32)")
        check(self.tokenizer_threads >= 0, "tokenizer_threads", "must be 0 (automatic) or more")
        check(self.word_lang is None or self.word_lang in LANGUAGES, "word_lang",
              f"{self.word_lang!r} is unknown; use one of {', '.join(LANGUAGES)}")

    @property
    def num_tasks(self) -> int:
        """Number of shards actually used."""
        return self.tasks or self.workers


def load_tokenize_config(*, tokenizer: str, inputs=(), output: str = "", workers: int | None = None,
                         executor: str | None = None, overrides=(), progress: bool = True) -> TokenizeConfig:
    """TokenizeConfig from CLI flags, then ``--set`` overrides."""
    from seapt.config import load_config

    base: dict = {"tokenizer": tokenizer, "inputs": list(inputs), "output": output, "progress": progress}
    if workers is not None:
        base["workers"] = workers
    if executor is not None:
        base["executor"] = executor
    return load_config(TokenizeConfig, None, overrides, base=base)
