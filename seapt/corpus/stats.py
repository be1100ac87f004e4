"""`seapt corpus stats DIR`: stats.json plus length and language-score distributions, plotted as PNG."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson

from seapt.errors import InputError
from seapt.io import read_json


def _quantiles(values: list[float]) -> dict[str, float]:
    import numpy as np

    if not values:
        return {"n": 0}
    a = np.asarray(values, dtype=float)
    q = np.percentile(a, [5, 50, 95])
    return {"n": float(len(a)), "mean": float(a.mean()), "p5": float(q[0]), "p50": float(q[1]), "p95": float(q[2])}


def corpus_stats(folder: str | Path, plots: str | Path | None = None) -> dict:
    """Read DIR/stats.json and DIR/data/*.jsonl.gz; write lengths.png and lang_scores.png into ``plots``
    (default DIR/plots). Returns {"stats", "distributions", "plots"}."""
    folder = Path(folder)
    if not (folder / "stats.json").is_file():
        raise InputError(f"{folder}: no stats.json here; give a folder written by `seapt corpus prepare`")
    stats = read_json(folder / "stats.json")
    chars, scores = [], []
    for path in sorted((folder / "data").glob("*.jsonl.gz")):
        with gzip.open(path, "rb") as fh:
            for line in fh:
                rec = orjson.loads(line)
                chars.append(len(rec["text"]))
                score = (rec.get("meta") or {}).get("lang_score")
                if score is not None:
                    scores.append(score)
    out = Path(plots) if plots else folder / "plots"
    out.mkdir(parents=True, exist_ok=True)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    for name, values, xlabel, log in (("lengths", chars, "characters per document", True),
                                      ("lang_scores", scores, "language score", False)):
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.hist(values or [0], bins=50, log=log, color="#3b7dd8")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("documents")
        ax.set_title(f"{stats.get('lang', '')} corpus: {xlabel} ({len(values):,} kept documents)")
        fig.tight_layout()
        fig.savefig(out / f"{name}.png", dpi=100)
        plt.close(fig)
        written.append(str(out / f"{name}.png"))
    return {"stats": stats, "distributions": {"chars": _quantiles(chars), "lang_score": _quantiles(scores)},
            "plots": written}
