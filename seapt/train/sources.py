"""Training sources from `--data`/`--english`: use a tokenised folder as it is, or tokenise raw text first.

Raw text (a file, a prepared corpus folder, a Hub id) is tokenised into OUTPUT/tokens/<L>/ by the
`seapt corpus tokenize` pipeline *before* the process group starts: with N processes, each runs its own
share of the tasks, then waits on the files (no collective, so no timeout); the task count is fixed
(``tokenize_tasks``), so the shards, and the training order, do not depend on the number of processes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from seapt.corpus import token_shards as ts
from seapt.errors import IncompatibleError
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


def check_identity(folder: str, info: dict, tokenizer, model: str, sep_id: int | None, words: bool) -> None:
    """A tokenised folder must come from this tokenizer, with this separator (None: any) and word flags when
    needed."""
    ident = ts.tokenizer_identity(tokenizer)
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
    done = out / "logs" / "1_tokenize" / "completions"
    while not (out / "stats.json").is_file():
        if rank == 0 and len(list(done.glob("*"))) >= tcfg.num_tasks:
            tokenize_corpus(tcfg)  # every task is done: only the stats stage runs
        time.sleep(0.5)


def load_sources(cfg: PretrainConfig, tokenizer, sep_id: int, separator: str) -> tuple[list[TokenSource], list[float]]:
    """The training sources (tokenising raw ones into OUTPUT/tokens/<L>/) and their weights (token shares)."""
    langs = list(cfg.data)
    raw = [cfg.weights.get(lang, 1.0) for lang in langs]
    weights = [(1 - cfg.english_weight) * w / sum(raw) for w in raw]
    paths = [cfg.data[lang] for lang in langs]
    if cfg.english and cfg.english_weight > 0:
        langs, paths, weights = [*langs, "en"], [*paths, cfg.english], [*weights, cfg.english_weight]
    sources = []
    for lang, path in zip(langs, paths):
        folder = Path(path)
        if not is_tokenised(path):
            folder = Path(cfg.output) / "tokens" / lang
            tokenise(cfg, lang, path, folder, separator, word_lang=lang if cfg.whole_word_masking else None)
        src = TokenSource.open(lang, folder, cfg.max_tokens_per_source)
        check_identity(str(folder), src.info, tokenizer, cfg.model, sep_id, cfg.whole_word_masking)
        sources.append(src)
    return sources, weights
