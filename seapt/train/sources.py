"""Training sources from `--data`/`--english`: use a tokenised folder as it is, or tokenise raw text first.

Raw text (a file, a prepared corpus folder, a Hub id) is tokenised into OUTPUT/tokens/<L>/ by the
`seapt corpus tokenize` pipeline *before* the process group starts: with N processes, each runs its own
share of the tasks, then waits on the files (no collective; the wait ends in an error after
``tokenize_wait_s`` seconds in which no task made progress, e.g. when a process died); the task count is fixed
(``tokenize_tasks``), so the shards, and the training order, do not depend on the number of processes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from seapt.corpus import token_shards as ts
from seapt.errors import IncompatibleError, InputError
from seapt.train.config import PretrainConfig
from seapt.train.token_source import TokenSource


def is_tokenised(path: str) -> bool:
    """Whether ``path`` is a folder written by `seapt corpus tokenize` (finished or not)."""
    p = Path(path)
    if not p.is_dir():
        return False
    stats = p / "stats.json"
    if stats.is_file():
        return "fingerprint" in stats.read_text(encoding="utf-8")
    return any(p.glob("[0-9]*.ds*"))


def check_identity(folder: str, info: dict, tokenizer, model: str, sep_id: int | None, words: bool,
                   ident: dict | None = None) -> None:
    """A tokenised folder must come from this tokenizer, with this separator (None: any) and word flags when
    needed. ``ident``: the tokenizer's tokenizer_identity, when the caller computed it already (hashing a large
    tokenizer's definition takes a fraction of a second, once per run is enough)."""
    ident = ident or ts.tokenizer_identity(tokenizer)
    if (info.get("fingerprint"), info.get("vocab_size")) != (ident["fingerprint"], ident["vocab_size"]):
        raise IncompatibleError(
            f"{folder} was tokenised with {info.get('tokenizer')} (fingerprint {info.get('fingerprint')}, "
            f"{info.get('vocab_size')} tokens), not with the tokenizer of {model} (fingerprint "
            f"{ident['fingerprint']}, {ident['vocab_size']} tokens); tokenise it again with --tokenizer {model}")
    if sep_id is not None and info.get("separator_id") != sep_id:
        raise IncompatibleError(f"{folder} separates documents with token {info.get('separator_id')}, this objective "
                                f"needs {sep_id}; tokenise it again with --set separator=...")
    if words and not info.get("word_lang"):
        raise IncompatibleError(f"{folder} has no word-start flags, which whole_word_masking needs; tokenise it "
                                "again with --set word_lang=<language>")


def tokenise(cfg: PretrainConfig, lang: str, path: str, out: Path, separator: str, *, tasks: int | None = None,
             word_lang: str | None = None) -> None:
    """Tokenise source ``path`` into ``out`` in ``tasks`` tasks (default cfg.tokenize_tasks), this rank's share
    here; returns once stats.json is written (by rank 0)."""
    from seapt.corpus.tokenize import tokenize_corpus
    from seapt.corpus.tokenize_config import TokenizeConfig

    rank, world = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    if not Path(path).exists() and path.count("/") == 1 and not path.startswith((".", "/", "hf://")):
        path = f"hf://{path}"  # a Hub dataset id, streamed
    tcfg = TokenizeConfig(tokenizer=cfg.model, inputs=[path], output=str(out), separator=separator,
                          word_lang=word_lang, text_key=cfg.text_key, workers=cfg.tokenize_workers,
                          tasks=cfg.tokenize_tasks if tasks is None else tasks, progress=rank == 0)
    if world == 1:
        tokenize_corpus(tcfg)
        return
    per = -(-tcfg.num_tasks // world)
    first, n = rank * per, max(0, min(per, tcfg.num_tasks - rank * per))
    if n and not (out / "stats.json").is_file():
        tokenize_corpus(tcfg, local_tasks=(first, n))
    wait_for_others(out, tcfg.num_tasks, cfg.tokenize_wait_s, path,
                    finish=(lambda: tokenize_corpus(tcfg)) if rank == 0 else None)


def _last_progress(out: Path) -> float:
    """Newest change under the tokenising tasks' progress files and completion markers (0 when none)."""
    logs = out / "logs"
    times = [f.stat().st_mtime for d in (logs / "progress", logs / "1_tokenize" / "completions") if d.is_dir()
             for f in d.iterdir()]
    return max(times, default=0.0)


def wait_for_others(out: Path, tasks: int, wait_s: float, source: str, finish=None, poll_s: float = 0.5) -> None:
    """Wait until ``out``/stats.json exists. ``finish`` (rank 0) runs once all ``tasks`` are done (the stats
    stage). After ``wait_s`` seconds without any task making progress, a one-line error: another process
    probably died."""
    done = out / "logs" / "1_tokenize" / "completions"
    last_change, seen = time.monotonic(), _last_progress(out)
    while not (out / "stats.json").is_file():
        n_done = len(list(done.glob("*"))) if done.is_dir() else 0
        if finish is not None and n_done >= tasks:
            finish()  # every task is done: only the stats stage runs
            finish = None
            continue
        now, newest = time.monotonic(), _last_progress(out)
        if newest != seen:
            last_change, seen = now, newest
        elif now - last_change > wait_s:
            raise InputError(
                f"{source}: waited {wait_s:g} s for the other processes' tokenising tasks ({n_done}/{tasks} done) "
                f"into {out} without progress; one of them probably stopped: see its log and re-run (finished "
                "tasks are kept), tokenise it beforehand with `seapt corpus tokenize`, or raise --set tokenize_wait_s")
        time.sleep(poll_s)


def load_sources(cfg: PretrainConfig, tokenizer, sep_id: int, separator: str) -> tuple[list[TokenSource], list[float]]:
    """The training sources (tokenising raw ones into OUTPUT/tokens/<L>/) and their weights (token shares)."""
    langs = list(cfg.data)
    raw = [cfg.weights.get(lang, 1.0) for lang in langs]
    weights = [(1 - cfg.english_weight) * w / sum(raw) for w in raw]
    paths = [cfg.data[lang] for lang in langs]
    if cfg.english and cfg.english_weight > 0:
        langs, paths, weights = [*langs, "en"], [*paths, cfg.english], [*weights, cfg.english_weight]
    sources, ident = [], ts.tokenizer_identity(tokenizer)
    for lang, path in zip(langs, paths):
        folder = Path(path)
        if not is_tokenised(path):
            folder = Path(cfg.output) / "tokens" / lang
            tokenise(cfg, lang, path, folder, separator, word_lang=lang if cfg.whole_word_masking else None)
        src = TokenSource.open(lang, folder, cfg.max_tokens_per_source)
        check_identity(str(folder), src.info, tokenizer, cfg.model, sep_id, cfg.whole_word_masking, ident)
        sources.append(src)
    return sources, weights
