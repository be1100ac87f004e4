"""The bits-per-byte curve during training: read from the pretrain metrics.jsonl beside final/, shown in report.md
next to the before/after summary, drawn as bpb_training.png."""

import json

from seapt.bench.curves import curve_markdown, metrics_file, training_curves
from seapt.bench.report import render_markdown, write_report


def _run(tmp_path):
    train = tmp_path / "train"
    (train / "final").mkdir(parents=True)
    rows = [{"step": 0, "stage": "embeddings", "tokens_seen": 0, "eval_bpb_th": 2.5, "eval_bpb_en": 1.0},
            {"step": 5, "stage": "embeddings", "loss": 3.0},
            {"step": 10, "stage": "embeddings", "eval_bpb_th": 2.2, "eval_bpb_en": 1.01},
            {"step": 10, "stage": "full", "eval_bpb_th": 2.1, "eval_bpb_en": 1.0}]  # resumed: last value wins
    (train / "metrics.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + '\n{"step": 12, "eval_b',
                                         encoding="utf-8")
    return train / "final"


def test_training_curves_come_from_the_metrics_beside_final(tmp_path):
    final = _run(tmp_path)
    assert metrics_file(final) == tmp_path / "train" / "metrics.jsonl"
    got = training_curves([str(final), str(tmp_path / "nothing"), "HuggingFaceTB/SmolLM2-135M"])
    assert got == {str(final): {"en": [[0, 1.0], [10, 1.0]], "th": [[0, 2.5], [10, 2.1]]}}
    md = "\n".join(curve_markdown(got))
    assert "| step | en | th |" in md and "| 0 | 1.0000 | 2.5000 |" in md and "| 10 | 1.0000 | 2.1000 |" in md


def test_report_has_before_after_and_the_training_curve(tmp_path):
    final = str(_run(tmp_path))
    recs = [{"model": m, "task": t, "lang": lang, "metric": metric, "value": v}
            for m, t, lang, metric, v in (
                ("baseline", "bpb", "th", "bpb", 2.0), (final, "bpb", "th", "bpb", 1.5),
                ("baseline", "fertility", "th", "tokens_per_word", 9.5), (final, "fertility", "th", "tokens_per_word", 2.0),
                ("baseline", "bpb", "en", "bpb", 1.0), (final, "bpb", "en", "bpb", 1.005))]
    results = {"models": {"baseline": "base", final: final}, "records": recs,
               "training_curves": training_curves([final])}
    md = render_markdown(results)
    assert "## Before → after" in md and "## Bits per byte during training" in md
    assert "| th | 9.5000 → 2.0000 | 2.0000 → 1.5000 | -25.0% |" in md
    assert "| en | – → – | 1.0000 → 1.0050 | +0.5% |" in md
    assert md.index("## Before → after") < md.index("## Bits per byte during training") < md.index("## th")
    written = write_report(results, tmp_path / "bench")
    assert (tmp_path / "bench" / "bpb_training.png") in written
    results.pop("training_curves")
    assert "during training" not in render_markdown(results)
