"""Run a benchmark suite on a baseline and one or more models: `seapt bench --model DIR --baseline B --suite YAML`.

    from seapt.bench.run import run_bench
    run_bench(["runs/x/train/final"], "models/smollm2-135m", "configs/bench/sea.yaml", "runs/x/bench")

Steps: tokenizer fertility/parity (all models at once), then per model bits per byte per language,
zero-shot choice tasks (lm-eval) and label-efficiency curves. Each finished step is written to
``OUT/steps/<model>/<step>.json`` together with the settings it ran with, and is skipped when re-run
with the same settings (resume). OUT/results.json gathers every record; OUT/report.md and OUT/*.png
are rendered from it; OUT/suite.yaml is the resolved suite.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

from seapt.bench.suite import SuiteConfig, load_suite
from seapt.config import to_dict
from seapt.errors import ConfigError, DependencyError
from seapt.io import read_json, require_path, write_json

BASELINE = "baseline"


def _slug(label: str) -> str:
    if label == BASELINE:
        return BASELINE
    tail = "_".join(Path(label).parts[-2:]).replace(" ", "_")
    return f"{tail}-{hashlib.sha1(label.encode()).hexdigest()[:8]}"


@contextlib.contextmanager
def _quiet():
    """Silence the libraries' own tqdm bars and info logs so the one suite progress display stays readable."""
    keys = {"TQDM_DISABLE": "1", "TRANSFORMERS_VERBOSITY": "error", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}
    old = {k: os.environ.get(k) for k in keys}
    os.environ.update(keys)
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def _device(name: str) -> str:
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(f"device: {name!r} asked for but no CUDA device is available; use cpu or auto")
    return name


def plan(suite: SuiteConfig) -> list[tuple[str, dict]]:
    """Per-model steps as (step name, settings that determine its result)."""
    steps = []
    for lang, path in suite.bpb.items():
        steps.append((f"bpb_{lang}", {"path": path, "max_bytes": suite.bpb_max_bytes, "block": suite.block_size,
                                      "normalize": suite.normalize}))
    for t in suite.choice:
        steps.append((f"choice_{t.name}", {**to_dict(t), "limit": t.limit or suite.limit, "normalize": suite.normalize}))
    for t in suite.classification:
        steps.append((f"class_{t.name}", {**to_dict(t), "mode": suite.mode, "max_length": suite.max_length,
                                           "epochs": suite.finetune_epochs, "lr": suite.finetune_lr,
                                           "normalize": suite.normalize}))
    return steps


def check_inputs(suite: SuiteConfig) -> None:
    """Fail before any model is loaded when a data path of the suite does not exist."""
    paths = [*(f"bpb.{k}" for k in suite.bpb), *(f"parity.{k}" for k in suite.parity)]
    values = [*suite.bpb.values(), *suite.parity.values()]
    for t in suite.choice:
        if t.format != "hub":
            paths.append(f"choice {t.name}")
            values.append(t.path)
    for t in suite.classification:
        paths += [f"classification {t.name} train", f"classification {t.name} test"]
        values += [t.train, t.test]
    for what, path in zip(paths, values):
        require_path(path, what)


def _done(path: Path, settings: dict) -> list | None:
    if path.is_file():
        data = read_json(path)
        if data.get("settings") == json.loads(json.dumps(settings)):
            return data["records"]
    return None


def _skip_note(path: Path) -> str | None:
    return read_json(path).get("skipped") if path.is_file() else None


SKIP_NOT_CAUSAL = "needs a causal LM; this model is an encoder (masked LM or embedding model)"


def _skip_reason(name: str, loaded: dict) -> str | None:
    """Why step ``name`` cannot run on the loaded model (bits per byte and choice tasks need a causal LM)."""
    return SKIP_NOT_CAUSAL if name.startswith(("bpb_", "choice_")) and not loaded["causal"] else None


def _fertility(labels: dict[str, str], suite: SuiteConfig) -> list[dict]:
    from seapt.vocab.metrics import evaluate_tokenizers

    paths = list(dict.fromkeys(labels.values()))
    table = evaluate_tokenizers(paths, dict(suite.parity), parallel="en" in suite.parity)
    records = []
    for label, path in labels.items():
        for lang, stats in table[path].items():
            for metric in ("tokens_per_word", "chars_per_token", "bytes_per_token", "parity_vs_en"):
                if stats.get(metric) is not None:
                    records.append({"model": label, "task": "fertility", "lang": lang, "metric": metric,
                                    "value": float(stats[metric])})
    return records


def _normalizer(lang: str, enabled: bool):
    """seapt's normaliser for ``lang`` (idempotent, script-safe), or the identity."""
    if not enabled:
        return lambda text: text
    from seapt.text.normalize import normalize

    return lambda text: normalize(text, lang)


def _run_step(name: str, label: str, suite: SuiteConfig, loaded: dict, out: Path, device: str, progress) -> list:
    from seapt.bench import choice, finetune
    from seapt.bench.intrinsic import bits_per_byte
    from seapt.bench.suite import load_classification
    from seapt.io import iter_texts

    model, tok, path = loaded["model"], loaded["tokenizer"], loaded["path"]
    rec = {"model": label}
    if name.startswith("bpb_"):
        lang = name[4:]
        norm = _normalizer(lang, suite.normalize)
        r = bits_per_byte(model, tok, map(norm, iter_texts(suite.bpb[lang])), block_size=suite.block_size,
                          batch_size=suite.batch_size, max_bytes=suite.bpb_max_bytes)
        return [{**rec, "task": "bpb", "lang": lang, "metric": "bpb", "value": r["bpb"]}]
    if name.startswith("choice_"):
        task = next(t for t in suite.choice if f"choice_{t.name}" == name)
        limit = task.limit or suite.limit
        folder = out / "tasks"
        if task.format != "hub":
            choice.write_task(task, folder, limit=limit, normalize=_normalizer(task.lang, suite.normalize))
        if loaded.get("lm") is None:
            loaded["lm"] = choice.load_lm(model, tok, batch_size=suite.batch_size, device=device)
        scores = choice.run_choice(loaded["lm"], task, folder, limit=limit)
        return [{**rec, "task": task.name, "lang": task.lang, "metric": m, "value": v}
                for m, v in scores.items() if m != "n"]
    task = next(t for t in suite.classification if f"class_{t.name}" == name)
    x_tr, y_tr = load_classification(task, "train")
    x_te, y_te = load_classification(task, "test")
    keep = finetune.test_subset(y_te, task.max_test)
    x_te, y_te = [x_te[i] for i in keep], [y_te[i] for i in keep]
    norm = _normalizer(task.lang, suite.normalize)
    x_tr, x_te = [norm(x) for x in x_tr], [norm(x) for x in x_te]
    subsets = finetune.label_subsets(y_tr, task.k, task.seeds)
    mode = suite.mode if suite.mode != "auto" else ("finetune" if device.startswith("cuda") else "probe")
    if mode == "probe":
        needed = len({int(i) for p in subsets.values() for i in p}) + len(x_te)
        sub = progress.add_task(f"  {label[-30:]}: embed {task.name}", total=needed)
        rows = finetune.probe_curve(model, tok, x_tr, y_tr, x_te, y_te, subsets, max_length=suite.max_length,
                                    batch_size=suite.batch_size,
                                    progress=lambda n: progress.advance(sub, n))
        progress.remove_task(sub)
    else:
        rows = finetune.finetune_curve(path, x_tr, y_tr, x_te, y_te, subsets, epochs=suite.finetune_epochs,
                                       lr=suite.finetune_lr, max_length=suite.max_length,
                                       batch_size=suite.batch_size, device=device, workdir=str(out))
    return [{**rec, "task": task.name, "lang": task.lang, "metric": m, "value": r[m], "k": r["k"],
             "seed": r["seed"]} for r in rows for m in ("accuracy", "macro_f1")]


def _load(path: str, device: str) -> dict:
    from seapt.model.load import detect_objective, load_config_and_tokenizer, load_model

    config = load_config_and_tokenizer(path)[0]
    archs = getattr(config, "architectures", None) or []
    # a bare encoder (all-MiniLM, a SimCSE final/) is embedded as is: no MLM head to invent
    bare = bool(archs) and detect_objective(config) == "mlm" and not any(a.endswith("ForMaskedLM") for a in archs)
    model, tok = load_model(path, objective="encoder" if bare else None,
                            dtype=None if device == "cpu" else "bf16")
    causal = detect_objective(model.config) == "clm"
    return {"model": model.to(device), "tokenizer": tok, "causal": causal, "path": path, "lm": None}


def run_bench(models: list[str], baseline: str, suite: str | Path | SuiteConfig, output: str | Path) -> dict:
    """Benchmark ``baseline`` and every model in ``models`` on ``suite``; returns the results.json content.
    Records of the baseline carry model "baseline"; the others the path or id given."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from seapt.bench.report import add_label_savings, write_report
    from seapt.config import save_config

    from seapt.model.load import resolve_model

    suite = suite if isinstance(suite, SuiteConfig) else load_suite(suite)
    check_inputs(suite)
    for model in (baseline, *models):  # a typo'd folder says so before any step runs
        resolve_model(model)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    save_config(suite, out / "suite.yaml")
    labels = {BASELINE: str(baseline), **{str(m): str(m) for m in models}}
    device = _device(suite.device)
    steps = plan(suite)
    records: list[dict] = []
    skipped: list[dict] = []
    seconds: dict[str, float] = {}
    start = time.time()
    total = (1 if suite.parity else 0) + len(steps) * len(labels)
    with _quiet(), Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn()) as progress:
        overall = progress.add_task("bench suite", total=total)
        if suite.parity:
            f = out / "steps" / "fertility.json"
            settings = {"parity": suite.parity, "tokenizers": labels}
            got = _done(f, settings)
            if got is None:
                progress.update(overall, description="bench: tokenizer fertility")
                t0 = time.time()
                try:
                    got = _fertility(labels, suite)
                except ImportError as exc:
                    raise DependencyError(f"fertility needs seapt.vocab.metrics ({exc})") from None
                write_json(f, {"settings": settings, "records": got, "seconds": time.time() - t0})
            records += got
            progress.advance(overall)
        for label, path in labels.items():
            loaded = None
            for name, settings in steps:
                f = out / "steps" / _slug(label) / f"{name}.json"
                settings = {**settings, "model_path": path}  # a different baseline must not reuse results
                got = _done(f, settings)
                if got is None:
                    progress.update(overall, description=f"bench: {label[-40:]} {name}")
                    loaded = loaded or _load(path, device)
                    t0 = time.time()
                    skip = _skip_reason(name, loaded)
                    got = [] if skip else _run_step(name, label, suite, loaded, out, device, progress)
                    seconds[f"{label}:{name}"] = time.time() - t0
                    write_json(f, {"settings": settings, "records": got, "seconds": seconds[f"{label}:{name}"],
                                   "skipped": skip})
                if note := _skip_note(f):
                    skipped.append({"model": label, "step": name, "reason": note})
                    progress.console.print(f"[yellow]{label}: {name} skipped — {note}[/]")
                records += got
                progress.advance(overall)
            del loaded
    records += add_label_savings(records, suite.reference_k)
    from seapt.bench.curves import training_curves

    results = {"models": labels, "records": records, "seconds": time.time() - start, "step_seconds": seconds,
               "skipped": skipped, "training_curves": training_curves([str(m) for m in models])}
    write_json(out / "results.json", results)
    write_report(results, out)
    return results
