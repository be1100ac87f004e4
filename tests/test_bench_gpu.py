"""GPU path of the bench: `auto` picks finetune on CUDA; the suite runs BPB + label curves on the GPU."""

import json

import pytest
from _bench_tiny import make_tiny

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.gpu


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_suite_on_cuda_finetunes_with_auto_mode(tmp_path, monkeypatch):
    from seapt.bench import finetune
    from seapt.bench.run import run_bench
    from seapt.bench.suite import load_suite

    base, adapted = make_tiny(tmp_path / "base", 0), make_tiny(tmp_path / "adapted", 1)
    (tmp_path / "th.txt").write_text("ผู้ชายเปิดก๊อกน้ำ\nอาหารอร่อยมาก\n", encoding="utf-8")
    rows = [{"text": f"a good day {i}", "label": "pos"} for i in range(10)]
    rows += [{"text": f"a bad day {i}", "label": "neg"} for i in range(10)]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        "bpb: {th: th.txt}\nclassification: [{name: s, lang: en, train: t.jsonl, test: t.jsonl, k: [4, 0], seeds: [0]}]\n"
        "mode: auto\ndevice: auto\nfinetune_epochs: 2\nfinetune_lr: 0.001\nmax_length: 16\n", encoding="utf-8")
    calls = []
    real = finetune.finetune_curve
    monkeypatch.setattr(finetune, "finetune_curve", lambda *a, **k: calls.append(k["device"]) or real(*a, **k))
    res = run_bench([str(adapted)], str(base), load_suite(tmp_path / "s.yaml"), tmp_path / "out")
    steps = json.loads((tmp_path / "out" / "steps" / "baseline" / "class_s.json").read_text())
    assert steps["settings"]["mode"] == "auto" and calls == ["cuda", "cuda"]
    ks = sorted({r["k"] for r in res["records"] if r["task"] == "s"})
    assert ks == [4, 20]
    bpb = [r for r in res["records"] if r["task"] == "bpb"]
    assert len(bpb) == 2 and all(r["value"] > 0 for r in bpb)
    assert (tmp_path / "out" / "report.md").is_file()
