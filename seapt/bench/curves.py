"""Bits per byte during training: the eval_bpb_<L> series of a model's pretrain metrics.jsonl, for the bench
report (a table and bpb_training.png) next to fertility and bits per byte before/after.

    from seapt.bench.curves import training_curves
    training_curves(["runs/x/train/final"])   # {"runs/x/train/final": {"th": [[0, 2.31], [25, 1.98], ...]}}

A model folder written by `seapt pretrain` (OUTPUT/final/) has its metrics.jsonl one folder up; a model
without one (the baseline, a Hub id) has no curve.
"""

from __future__ import annotations

import json
from pathlib import Path

PREFIX = "eval_bpb_"


def metrics_file(model: str | Path) -> Path | None:
    """The pretrain metrics.jsonl belonging to ``model`` (OUTPUT/final -> OUTPUT/metrics.jsonl), or None."""
    path = Path(model)
    for candidate in (path / "metrics.jsonl", path.parent / "metrics.jsonl"):
        if candidate.is_file():
            return candidate
    return None


def training_curves(models: list[str]) -> dict[str, dict[str, list[list[float]]]]:
    """{model: {lang: [[step, bpb], ...]}} from each model's metrics.jsonl (steps ascending; a step logged
    twice — a resumed run — keeps its last value). Models without evaluations are left out."""
    out: dict = {}
    for model in models:
        f = metrics_file(model)
        if f is None:
            continue
        series: dict[str, dict[int, float]] = {}
        for line in f.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:  # a line cut short by a killed run
                continue
            for key, value in row.items():
                if key.startswith(PREFIX) and isinstance(value, (int, float)):
                    series.setdefault(key[len(PREFIX):], {})[int(row.get("step", 0))] = float(value)
        if series:
            out[str(model)] = {lang: [[s, v] for s, v in sorted(pts.items())] for lang, pts in sorted(series.items())}
    return out


def curve_markdown(curves: dict, short=str) -> list[str]:
    """report.md lines: per model, a table of bits per byte (held-out, during training) by step and language."""
    lines: list[str] = []
    for model, by_lang in curves.items():
        langs = list(by_lang)
        steps = sorted({int(s) for pts in by_lang.values() for s, _ in pts})
        values = {(lang, int(s)): v for lang, pts in by_lang.items() for s, v in pts}
        lines += [f"`{short(model)}` — bits per byte on the held-out text during training (pretrain "
                  "metrics.jsonl; evaluated on its eval_max_bytes budget, so not the bench's own numbers):", "",
                  "| step | " + " | ".join(langs) + " |", "|---|" + "---|" * len(langs)]
        for step in steps:
            cells = [f"{values[(lang, step)]:.4f}" if (lang, step) in values else "–" for lang in langs]
            lines.append(f"| {step} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def plot_curves(curves: dict, path: Path, short=str) -> bool:
    """bpb_training.png: one line per model and language; False when there is nothing to draw."""
    if not curves:
        return False
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.8))
    for model, by_lang in curves.items():
        for lang, pts in by_lang.items():
            label = lang if len(curves) == 1 else f"{lang} {short(model)}"
            ax.plot([s for s, _ in pts], [v for _, v in pts], marker="o", label=label)
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("bits per byte (held-out)")
    ax.set_title("bits per byte during training (lower is better)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
