"""Zero-shot multiple-choice tasks through lm-evaluation-harness: task YAMLs for local files, then
``lm_eval.simple_evaluate`` on the ``hf`` model; we never score choices ourselves.

    folder = write_task(task, out / "tasks", limit=100)    # seapt_xcopa_th.yaml + seapt_xcopa_th.jsonl
    lm = load_lm(model, tokenizer, batch_size=8)           # or a model folder / Hub id
    run_choice(lm, task, out / "tasks")                    # {"acc": .., "acc_norm": .., "n": ..}

Local files are converted by seapt.bench.suite.load_choice to {"query", "choices", "label"} rows; the
generated YAML reads them with the ``json`` dataset builder (``dataset_kwargs.data_files``), so the
harness runs offline. Hub tasks (format ``hub``: xcopa_th, belebele_tha_Thai, xnli_th, ...) pass
straight to lm-eval's own registry and need the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from seapt.bench.formats import CHOICE_FORMATS, load_choice
from seapt.bench.suite import ChoiceTask
from seapt.errors import DependencyError, InputError, require
from seapt.io import atomic_write_text


def task_id(task: ChoiceTask) -> str:
    """The lm-eval task name: the hub name as given, else ``seapt_<name>`` (made identifier-safe)."""
    if not task.local:
        return task.path
    return "seapt_" + re.sub(r"[^0-9A-Za-z_]+", "_", task.name)


def write_task(task: ChoiceTask, folder: str | Path, limit: int | None = None, normalize=None) -> Path:
    """Write ``<id>.jsonl`` (the converted examples, at most ``limit``, texts passed through ``normalize``
    when given) and ``<id>.yaml`` into ``folder``."""
    folder = Path(folder)
    docs = load_choice(task)[:limit] if limit else load_choice(task)
    if normalize is not None:
        docs = [{**d, "query": normalize(d["query"]), "choices": [normalize(c) for c in d["choices"]]} for d in docs]
    name = task_id(task)
    data = folder / f"{name}.jsonl"
    atomic_write_text(data, "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs))
    config = {
        "task": name,
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(data.resolve())}},
        "test_split": "test",
        "output_type": "multiple_choice",
        "doc_to_text": "{{query}}",
        "doc_to_choice": "{{choices}}",
        "doc_to_target": "{{label}}",
        "target_delimiter": CHOICE_FORMATS[task.format].target_delimiter,
        "metric_list": [
            {"metric": "acc", "aggregation": "mean", "higher_is_better": True},
            {"metric": "acc_norm", "aggregation": "mean", "higher_is_better": True},
        ],
        "metadata": {"version": 1.0, "seapt_format": task.format, "lang": task.lang},
    }
    path = folder / f"{name}.yaml"
    atomic_write_text(path, yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return path


def load_lm(model, tokenizer=None, *, batch_size: int = 8, device: str = "cpu"):
    """An lm-eval ``HFLM`` around a loaded transformers model (or a model folder / Hub id)."""
    require("lm_eval", extra="eval")
    from lm_eval.models.huggingface import HFLM

    if isinstance(model, (str, Path)):
        return HFLM(pretrained=str(model), batch_size=batch_size, device=device)
    return HFLM(pretrained=model, tokenizer=tokenizer, batch_size=batch_size, device=device)


def run_choice(lm, task: ChoiceTask, folder: str | Path, limit: int | None = None) -> dict:
    """Score one task with lm-eval: {"acc", "acc_norm" (when reported), "n"}; local tasks must have been
    written to ``folder`` by :func:`write_task` (hub tasks only use ``limit``)."""
    require("lm_eval", extra="eval")
    import lm_eval
    from lm_eval.tasks import TaskManager

    name = task_id(task)
    if task.local and not (Path(folder) / f"{name}.yaml").is_file():
        raise InputError(f"{folder}: no {name}.yaml; call write_task first")
    manager = TaskManager(include_path=str(folder), include_defaults=not task.local)
    try:
        out = lm_eval.simple_evaluate(
            model=lm, tasks=[name], task_manager=manager, limit=None if task.local else limit,
            bootstrap_iters=0, log_samples=False, verbosity="ERROR",
        )
    except (ValueError, KeyError) as exc:
        raise InputError(f"lm-eval could not run task {name!r}: {exc}") from None
    except ConnectionError as exc:  # hub tasks offline
        raise DependencyError(f"lm-eval task {name!r} needs the network to fetch its data: {exc}") from None
    results = out["results"][name]
    metrics = {m: float(results[f"{m},none"]) for m in ("acc", "acc_norm") if f"{m},none" in results}
    n = out.get("n-samples", {}).get(name, {})
    metrics["n"] = int(n.get("effective", n.get("original", 0)) or 0)
    return metrics
