"""Recipe runner: `seapt run RECIPE.yaml` runs corpus -> tokenizer -> model -> pretrain -> bench (-> publish).

Each stage writes one folder under the run folder and, last, a completion marker (seapt.io.mark_done)
holding the hash of the config it ran with. A re-run skips stages whose marker matches, resumes the
interrupted one (the stage's own resume: datatrove completions, Trainer checkpoints, finished bench
tasks), and redoes a stage whose config changed together with every stage after it (seapt.outputs with
overwrite: the stages are called with overwrite too); ``from_stage``
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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from seapt import pipeline_stages
from seapt.config import save_config, to_dict
from seapt.errors import ConfigError
from seapt.io import DONE_MARKER, is_done, mark_done, read_json, write_json
from seapt.outputs import reuse_output
from seapt.pipeline_stages import Stage
from seapt.recipe import STAGE_ORDER, RecipeConfig, load_recipe

__all__ = ["STAGE_ORDER", "RecipeConfig", "Stage", "load_recipe", "run_recipe", "stage_hashes"]

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


def _saved_hash(folder: Path) -> dict | None:
    """The config hash the work in ``folder`` was made with: from its completion marker when finished, else
    from the marker written when it started; None when there is no work there."""
    for marker in (DONE_MARKER, STARTED):
        if (folder / marker).is_file():
            try:
                return {"config_hash": read_json(folder / marker).get("config_hash")}
            except Exception:  # a marker we cannot read: the work counts as made with other settings
                return {"config_hash": None}
    return None


def run_recipe(cfg: RecipeConfig, from_stage: str | None = None, log: Callable[[str], None] = print,
               stages: Mapping[str, Stage] | None = None) -> dict:
    """Run the recipe's stages in order; returns the run.json manifest (also written to the run folder).
    ``stages`` maps a stage name to the Stage that runs it (default: the real ones, seapt.pipeline_stages)."""
    stages = pipeline_stages.STAGES if stages is None else stages
    if from_stage is not None and from_stage not in cfg.stages:
        raise ConfigError(f"--from {from_stage}: not a stage of this recipe; use one of {', '.join(cfg.stages)}")
    run_dir = cfg.run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)
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
        if forcing and folder.exists():
            log(f"{label}: redoing, clearing {folder}")
            shutil.rmtree(folder)
        elif reuse_output(folder, _saved_hash(folder), {"config_hash": hashes[stage]}, overwrite=True,
                          what=f"the {stage} stage", log=lambda m, label=label: log(f"{label}: config changed; {m}")):
            if is_done(folder):
                log(f"{label}: already complete in {folder}, skipping")
                manifest["stages"][stage] = {**manifest["stages"].get(stage, {}), "status": "skipped"}
                write_json(manifest_path, manifest)
                continue
            log(f"{label}: resuming the interrupted stage in {folder}")
        log(f"{label}: {STAGE_HELP[stage]} -> {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        write_json(folder / STARTED, {"config_hash": hashes[stage]})
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
