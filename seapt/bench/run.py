"""Run a benchmark suite on a baseline and one or more models: `seapt bench --model DIR --baseline B --suite YAML`.

    from seapt.bench.run import run_bench
    run_bench(["runs/x/train/final"], "models/smollm2-135m", "configs/bench/sea.yaml", "runs/x/bench")

Steps: tokenizer fertility/parity (all models at once), then per model the steps of each registered kind
(seapt.bench.steps: bits per byte per language, zero-shot choice tasks, label-efficiency curves). Each finished step is written to
``OUT/steps/<model>/<step>.json`` together with the settings it ran with, and is skipped when re-run
with the same settings (resume). OUT/results.json gathers every record; OUT/report.md and OUT/*.png
are rendered from it; OUT/suite.yaml is the resolved suite.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from seapt.bench.steps import StepRun, plan, skip_reason, step_kind
from seapt.bench.suite import SuiteConfig, load_suite
from seapt.config import load_yaml, to_dict
from seapt.errors import ConfigError, DependencyError
from seapt.io import read_json, require_path, write_json
from seapt.outputs import reuse_output
from seapt.quiet import quiet

BASELINE = "baseline"


def _slug(label: str) -> str:
    if label == BASELINE:
        return BASELINE
    tail = "_".join(Path(label).parts[-2:]).replace(" ", "_")
    return f"{tail}-{hashlib.sha1(label.encode()).hexdigest()[:8]}"


def _device(name: str) -> str:
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(f"device: {name!r} asked for but no CUDA device is available; use cpu or auto")
    return name


def check_inputs(suite: SuiteConfig) -> None:
    """Fail before any model is loaded when a data path of the suite does not exist."""
    paths = [*(f"bpb.{k}" for k in suite.bpb), *(f"parity.{k}" for k in suite.parity)]
    values = [*suite.bpb.values(), *suite.parity.values()]
    for t in suite.choice:
        if t.local:
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


def _finished(out: Path, suite: SuiteConfig, labels: dict[str, str], overwrite: bool) -> dict | None:
    """results.json of a finished bench of this suite, baseline and models (the seapt.outputs rule: another
    suite or baseline is an error, or with ``overwrite`` redone; other models only add steps)."""
    if not ((out / "results.json").is_file() and (out / "suite.yaml").is_file()):
        return None
    results = read_json(out / "results.json")
    saved = {**load_yaml(out / "suite.yaml"), "baseline": (results.get("models") or {}).get(BASELINE)}
    same = reuse_output(out, saved, {**to_dict(suite), "baseline": labels[BASELINE]}, overwrite=overwrite,
                        what="a bench", keep=("steps",))  # each step's result is keyed by its own settings
    return results if same and results.get("models") == labels else None


def _skip_note(path: Path) -> str | None:
    return read_json(path).get("skipped") if path.is_file() else None


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


def _run_step(name: str, label: str, suite: SuiteConfig, loaded: dict, out: Path, device: str, progress) -> list:
    """Run step ``name`` (its kind from seapt.bench.steps) on the loaded model; returns its records."""
    kind, item = step_kind(name)
    return kind.run(item, StepRun(label, suite, loaded, out, device, progress))


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


def run_bench(models: list[str], baseline: str, suite: str | Path | SuiteConfig, output: str | Path,
              overwrite: bool = False) -> dict:
    """Benchmark ``baseline`` and every model in ``models`` on ``suite``; returns the results.json content.
    Records of the baseline carry model "baseline"; the others the path or id given. A finished output of
    the same suite returns at once; of another suite it is an error, or with ``overwrite`` it is redone,
    reusing the steps whose settings did not change."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from seapt.bench.report import add_label_savings, write_report
    from seapt.config import save_config

    from seapt.model.load import resolve_model

    suite = suite if isinstance(suite, SuiteConfig) else load_suite(suite)
    check_inputs(suite)
    for model in (baseline, *models):  # a typo'd folder says so before any step runs
        resolve_model(model)
    out = Path(output)
    labels = {BASELINE: str(baseline), **{str(m): str(m) for m in models}}
    if (done := _finished(out, suite, labels, overwrite)) is not None:
        return done
    out.mkdir(parents=True, exist_ok=True)
    save_config(suite, out / "suite.yaml")
    device = _device(suite.device)
    steps = plan(suite)
    records: list[dict] = []
    skipped: list[dict] = []
    seconds: dict[str, float] = {}
    start = time.time()
    total = (1 if suite.parity else 0) + len(steps) * len(labels)
    with quiet(progress=False), Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
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
                    skip = skip_reason(name, loaded)
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
