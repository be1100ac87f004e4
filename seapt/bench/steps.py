"""The registry of per-model bench step kinds (bits per byte, zero-shot choice, label curves): each kind
plans its steps from the suite and runs one step on a loaded model; seapt.bench.run runs them all.

A step is named ``<kind>_<item>`` (bpb_th, choice_xcopa_th, class_wisesight) and cached with the settings
its kind returns for it. Adding a kind is one registered function here (plus its suite section) and its
test:

    @register_step_kind("ppl", plan=lambda suite: [(lang, {"path": p}) for lang, p in suite.ppl.items()],
                        needs_causal=True)
    def _ppl(item, run):
        return [{"model": run.label, "task": "ppl", "lang": item, "metric": "ppl", "value": ...}]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seapt.bench.suite import SuiteConfig
from seapt.config import to_dict


@dataclass
class StepRun:
    """What a step runs with: the model's label, the suite, the loaded model, the output folder."""

    label: str
    suite: SuiteConfig
    loaded: dict
    """{"model", "tokenizer", "causal", "path", "lm"} (seapt.bench.run._load); steps may cache in it."""
    out: Path
    device: str
    progress: Any
    """The rich Progress of the suite (a kind may add a sub-task)."""


@dataclass(frozen=True)
class StepKind:
    name: str
    plan: Callable[[SuiteConfig], list[tuple[str, dict]]]
    """``plan(suite)``: (item, settings that determine its result) per step of this kind."""
    run: Callable[[str, StepRun], list[dict]]
    """``run(item, step_run)``: the step's result records."""
    needs_causal: bool = False
    """The step scores next-token predictions: skipped (with SKIP_NOT_CAUSAL) on an encoder."""


STEP_KINDS: dict[str, StepKind] = {}
SKIP_NOT_CAUSAL = "needs a causal LM; this model is an encoder (masked LM or embedding model)"


def register_step_kind(name: str, *, plan: Callable[[SuiteConfig], list[tuple[str, dict]]],
                       needs_causal: bool = False):
    """Decorator: register ``run(item, step_run) -> records`` as the step kind ``name`` (no '_' in it)."""
    if "_" in name:
        raise ValueError(f"step kind {name!r}: no '_' (step names are <kind>_<item>)")

    def wrap(run):
        STEP_KINDS[name] = StepKind(name, plan, run, needs_causal)
        return run

    return wrap


def plan(suite: SuiteConfig) -> list[tuple[str, dict]]:
    """Per-model steps as (step name, settings that determine its result), kind by kind."""
    return [(f"{kind.name}_{item}", settings) for kind in STEP_KINDS.values() for item, settings in kind.plan(suite)]


def step_kind(name: str) -> tuple[StepKind, str]:
    """The kind and item of step ``name``."""
    kind, _, item = name.partition("_")
    return STEP_KINDS[kind], item


def skip_reason(name: str, loaded: dict) -> str | None:
    """Why step ``name`` cannot run on the loaded model, or None."""
    return SKIP_NOT_CAUSAL if step_kind(name)[0].needs_causal and not loaded["causal"] else None


def normalizer(lang: str, enabled: bool):
    """seapt's normaliser for ``lang`` (idempotent, script-safe), or the identity."""
    if not enabled:
        return lambda text: text
    from seapt.text.normalize import normalize

    return lambda text: normalize(text, lang)


@register_step_kind("bpb", needs_causal=True, plan=lambda suite: [
    (lang, {"path": path, "max_bytes": suite.bpb_max_bytes, "block": suite.block_size, "normalize": suite.normalize})
    for lang, path in suite.bpb.items()])
def _bpb(lang: str, run: StepRun) -> list[dict]:
    from seapt.bench.intrinsic import bits_per_byte
    from seapt.io import iter_texts

    s, loaded = run.suite, run.loaded
    norm = normalizer(lang, s.normalize)
    r = bits_per_byte(loaded["model"], loaded["tokenizer"], map(norm, iter_texts(s.bpb[lang])),
                      block_size=s.block_size, batch_size=s.batch_size, max_bytes=s.bpb_max_bytes)
    return [{"model": run.label, "task": "bpb", "lang": lang, "metric": "bpb", "value": r["bpb"]}]


@register_step_kind("choice", needs_causal=True, plan=lambda suite: [
    (t.name, {**to_dict(t), "limit": t.limit or suite.limit, "normalize": suite.normalize}) for t in suite.choice])
def _choice(name: str, run: StepRun) -> list[dict]:
    from seapt.bench import choice

    s, loaded = run.suite, run.loaded
    task = next(t for t in s.choice if t.name == name)
    limit = task.limit or s.limit
    folder = run.out / "tasks"
    if task.local:
        choice.write_task(task, folder, limit=limit, normalize=normalizer(task.lang, s.normalize))
    if loaded.get("lm") is None:
        loaded["lm"] = choice.load_lm(loaded["model"], loaded["tokenizer"], batch_size=s.batch_size,
                                      device=run.device)
    scores = choice.run_choice(loaded["lm"], task, folder, limit=limit)
    return [{"model": run.label, "task": task.name, "lang": task.lang, "metric": m, "value": v}
            for m, v in scores.items() if m != "n"]


@register_step_kind("class", plan=lambda suite: [
    (t.name, {**to_dict(t), "mode": suite.mode, "max_length": suite.max_length, "epochs": suite.finetune_epochs,
              "lr": suite.finetune_lr, "normalize": suite.normalize}) for t in suite.classification])
def _classification(name: str, run: StepRun) -> list[dict]:
    from seapt.bench import finetune
    from seapt.bench.formats import load_classification

    s, model, tok = run.suite, run.loaded["model"], run.loaded["tokenizer"]
    task = next(t for t in s.classification if t.name == name)
    x_tr, y_tr = load_classification(task, "train")
    x_te, y_te = load_classification(task, "test")
    keep = finetune.test_subset(y_te, task.max_test)
    x_te, y_te = [x_te[i] for i in keep], [y_te[i] for i in keep]
    norm = normalizer(task.lang, s.normalize)
    x_tr, x_te = [norm(x) for x in x_tr], [norm(x) for x in x_te]
    subsets = finetune.label_subsets(y_tr, task.k, task.seeds)
    mode = s.mode if s.mode != "auto" else ("finetune" if run.device.startswith("cuda") else "probe")
    if mode == "probe":
        needed = len({int(i) for p in subsets.values() for i in p}) + len(x_te)
        sub = run.progress.add_task(f"  {run.label[-30:]}: embed {task.name}", total=needed)
        rows = finetune.probe_curve(model, tok, x_tr, y_tr, x_te, y_te, subsets, max_length=s.max_length,
                                    batch_size=s.batch_size, progress=lambda n: run.progress.advance(sub, n))
        run.progress.remove_task(sub)
    else:
        rows = finetune.finetune_curve(run.loaded["path"], x_tr, y_tr, x_te, y_te, subsets,
                                       epochs=s.finetune_epochs, lr=s.finetune_lr, max_length=s.max_length,
                                       batch_size=s.batch_size, device=run.device, workdir=str(run.out))
    return [{"model": run.label, "task": task.name, "lang": task.lang, "metric": m, "value": r[m], "k": r["k"],
             "seed": r["seed"]} for r in rows for m in ("accuracy", "macro_f1")]
