"""Render a bench folder's results.json as report.md and PNG plots (matplotlib, Agg backend).

    write_report(read_json("runs/x/bench/results.json"), "runs/x/bench")
    # -> report.md, learning_curves_<lang>.png, fertility.png, bpb.png

report.md: a before/after summary (tokens per word and bits per byte per language, baseline vs each model),
the bits-per-byte curve during training (results["training_curves"], from each model's metrics.jsonl), then per
language a table with the baseline, every other model and its delta vs the baseline
(BPB, tokenizer fertility/parity, zero-shot choice acc/acc_norm, classification at the largest k);
English retention (the same for en); label savings (finetune.label_saving per task and model).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from statistics import mean

from seapt.io import atomic_write_text

BASELINE = "baseline"
LOWER_IS_BETTER = {"bpb", "tokens_per_word", "parity_vs_en"}
FERTILITY = ("tokens_per_word", "chars_per_token", "parity_vs_en")


def _curves(records: list[dict], metric: str = "accuracy") -> dict:
    """{(task, lang, model): {k: mean over seeds}} for classification records."""
    acc = defaultdict(lambda: defaultdict(list))
    for r in records:
        if r["metric"] == metric and "k" in r and "seed" in r:
            acc[(r["task"], r["lang"], r["model"])][r["k"]].append(r["value"])
    return {key: {k: mean(v) for k, v in sorted(ks.items())} for key, ks in acc.items()}


def add_label_savings(records: list[dict], reference_k: int) -> list[dict]:
    """Label-saving records per task and non-baseline model (macro-F1 curves): metric label_saving (share of
    the reference_k labels saved) and label_saving_k (labels the model needs); k = the reference k."""
    from seapt.bench.finetune import label_saving

    curves = _curves(records, "macro_f1")
    out = []
    for (task, lang, model), curve in curves.items():
        base = curves.get((task, lang, BASELINE))
        if model == BASELINE or not base:
            continue
        s = label_saving(curve, base, reference_k)
        if s is None:
            continue
        for metric, key in (("label_saving", "saving"), ("label_saving_k", "k")):
            if s[key] is not None:
                out.append({"model": model, "task": task, "lang": lang, "metric": metric,
                            "value": float(s[key]), "k": s["reference_k"]})
    return out


def _models(results: dict) -> list[str]:
    seen = [BASELINE] + list(results.get("models", {}))
    seen += [r["model"] for r in results["records"]]
    return list(dict.fromkeys(m for m in seen if any(r["model"] == m for r in results["records"])))


def _rows(records: list[dict], lang: str) -> dict[tuple[str, str], dict[str, float]]:
    """{(task, metric): {model: value}}; classification reports the mean over seeds at each model's largest k."""
    rows: dict = defaultdict(dict)
    for r in records:
        if r["lang"] != lang or r["metric"].startswith("label_saving") or "seed" in r:
            continue
        rows[(r["task"], r["metric"])][r["model"]] = r["value"]
    for metric in ("accuracy", "macro_f1"):
        for (task, tl, model), curve in _curves(records, metric).items():
            if tl == lang:
                k = max(curve)
                rows[(f"{task} (k={k})", metric)][model] = curve[k]
    return rows


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.4f}" if abs(v) < 10 else f"{v:.1f}"


def _table(rows: dict, models: list[str]) -> list[str]:
    others = [m for m in models if m != BASELINE]
    head = ["task", "metric", BASELINE, *(cell for m in others for cell in (m, "Δ"))]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (task, metric), vals in sorted(rows.items()):
        base = vals.get(BASELINE)
        cells = [task, metric + (" ↓" if metric in LOWER_IS_BETTER else ""), _fmt(base)]
        for m in others:
            v = vals.get(m)
            cells += [_fmt(v), f"{v - base:+.4f}" if v is not None and base is not None else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _short(model: str) -> str:
    return model if len(model) <= 40 else "…" + model[-39:]


def _before_after(records: list[dict], models: list[str]) -> list[str]:
    """Tokens per word and bits per byte per language: baseline -> each model (with the relative change)."""
    vals = {(r["model"], r["lang"], r["metric"]): r["value"] for r in records
            if (r["task"], r["metric"]) in (("fertility", "tokens_per_word"), ("bpb", "bpb"))}
    langs = sorted({lang for _, lang, _ in vals}, key=lambda x: (x == "en", x not in ("th", "vi", "id"), x))
    lines = []
    for m in (m for m in models if m != BASELINE):
        lines += [f"`{_short(m)}` against the baseline:", "",
                  "| lang | tokens/word base → model | bits/byte base → model | bits/byte change |", "|---|---|---|---|"]
        for lang in langs:
            cells = []
            for metric in ("tokens_per_word", "bpb"):
                b, v = vals.get((BASELINE, lang, metric)), vals.get((m, lang, metric))
                cells.append(f"{_fmt(b)} → {_fmt(v)}")
            b, v = vals.get((BASELINE, lang, "bpb")), vals.get((m, lang, "bpb"))
            cells.append(f"{(v - b) / b:+.1%}" if b and v is not None else "–")
            lines.append(f"| {lang} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def render_markdown(results: dict) -> str:
    """The report.md text."""
    records = results["records"]
    models = _models(results)
    langs = [lang for lang in ("th", "vi", "id") if any(r["lang"] == lang for r in records)]
    langs += sorted({r["lang"] for r in records} - {"th", "vi", "id", "en"})
    lines = ["# Benchmark report", "", "Models: " + ", ".join(
        f"`{m}`" + (f" = `{results['models'][m]}`" if m == BASELINE and m in results.get("models", {}) else "")
        for m in models), "", "Δ = model − baseline; ↓ marks metrics where lower is better.", ""]
    summary = _before_after(records, models)
    if summary and any("→" in line for line in summary):
        lines += ["## Before → after", "", *summary]
    if results.get("training_curves"):
        from seapt.bench.curves import curve_markdown

        lines += ["## Bits per byte during training", "", *curve_markdown(results["training_curves"], _short),
                  "![bits per byte during training](bpb_training.png)", ""]
    for lang in langs:
        lines += [f"## {lang}", "", *_table(_rows(records, lang), models), ""]
    if any(r["lang"] == "en" for r in records):
        lines += ["## English retention", "", *_table(_rows(records, "en"), models), ""]
    if results.get("skipped"):
        lines += ["## Skipped", "", *(f"- `{_short(x['model'])}` {x['step']}: {x['reason']}" for x in results["skipped"]),
                  ""]
    savings = [r for r in records if r["metric"] in ("label_saving", "label_saving_k")]
    if savings:
        lines += ["## Label savings", "", ("Smallest k at which the model reaches the baseline's macro-F1 at the "
                                           "reference k (interpolated), and the share of labels saved."), "",
                  "| model | task | lang | reference k | k needed | saving |", "|---|---|---|---|---|---|"]
        smallest = {key: list(c) for key, c in _curves(records, "macro_f1").items()}
        by = defaultdict(dict)
        for r in savings:
            by[(r["model"], r["task"], r["lang"], r["k"])][r["metric"]] = r["value"]
        for (model, task, lang, ref), v in sorted(by.items()):
            k_need = v.get("label_saving_k")
            share = v.get("label_saving")
            # reached already at the smallest measured k: the true k may be lower, the saving higher
            low = k_need is not None and k_need <= min(smallest.get((task, lang, model), [k_need]))
            lines.append(f"| {_short(model)} | {task} | {lang} | {ref} | "
                         f"{'not reached' if k_need is None else ('≤ ' if low else '') + f'{k_need:.0f}'} | "
                         f"{'–' if share is None else ('≥ ' if low else '') + f'{share:.0%}'} |")
        lines.append("")
    if results.get("seconds") is not None:
        lines += [f"Wall time: {results['seconds']:.0f} s.", ""]
    return "\n".join(lines)


def _bars(records: list[dict], metric: str, task: str, models: list[str], path: Path, title: str) -> bool:
    import matplotlib.pyplot as plt

    vals = {(r["lang"], r["model"]): r["value"] for r in records if r["task"] == task and r["metric"] == metric}
    if not vals:
        return False
    langs = sorted({lang for lang, _ in vals})
    width = 0.8 / len(models)
    fig, ax = plt.subplots(figsize=(1.6 + 1.4 * len(langs), 3.6))
    for i, m in enumerate(models):
        ax.bar([j + i * width for j in range(len(langs))], [vals.get((lang, m), 0) for lang in langs],
               width, label=_short(m))
    ax.set_xticks([j + width * (len(models) - 1) / 2 for j in range(len(langs))], langs)
    ax.set_title(title)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_report(results: dict, folder: str | Path) -> list[Path]:
    """Write report.md and the PNG plots into ``folder``; returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    records = results["records"]
    models = _models(results)
    written = [atomic_write_text(folder / "report.md", render_markdown(results))]
    for metric, task, name, title in (("tokens_per_word", "fertility", "fertility.png", "tokens per word (lower is better)"),
                                      ("bpb", "bpb", "bpb.png", "bits per byte (lower is better)")):
        if _bars(records, metric, task, models, folder / name, title):
            written.append(folder / name)
    from seapt.bench.curves import plot_curves

    if plot_curves(results.get("training_curves") or {}, folder / "bpb_training.png", _short):
        written.append(folder / "bpb_training.png")
    curves = _curves(records, "accuracy")
    for lang in sorted({lang for _, lang, _ in curves}):
        tasks = sorted({t for t, tl, _ in curves if tl == lang})
        fig, axes = plt.subplots(1, len(tasks), figsize=(4.2 * len(tasks), 3.4), squeeze=False)
        for ax, task in zip(axes[0], tasks):
            for m in models:
                c = curves.get((task, lang, m))
                if c:
                    ax.plot(list(c), list(c.values()), marker="o", label=_short(m))
            ax.set_xscale("log")
            ax.set_xlabel("labelled examples (k)")
            ax.set_ylabel("accuracy (mean over seeds)")
            ax.set_title(f"{task} ({lang})")
            ax.legend(fontsize=7)
        fig.tight_layout()
        path = folder / f"learning_curves_{lang}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written
