"""run_bench end to end on tiny models: records, resume, report; and the `seapt bench` CLI errors."""

import json

import pytest
from _bench_tiny import make_tiny
from typer.testing import CliRunner

from seapt.bench import run as bench_run
from seapt.bench.steps import SKIP_NOT_CAUSAL
from seapt.bench.suite import load_suite
from seapt.errors import ConfigError
from seapt.io import read_json


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    base, adapted = make_tiny(root / "base", seed=0), make_tiny(root / "adapted", seed=1)
    (root / "th.txt").write_text("ผู้ชายเปิดก๊อกน้ำ\nอาหารอร่อยมาก\n", encoding="utf-8")
    (root / "en.jsonl").write_text('{"text": "the cat sat on the mat"}\n', encoding="utf-8")
    (root / "par.th").write_text("อาหารอร่อยมาก\nวันนี้ดี\n", encoding="utf-8")
    (root / "par.en").write_text("the food is very good\ntoday is good\n", encoding="utf-8")
    rows = [{"premise": f"Saya lapar {i}.", "choice1": "Saya makan.", "choice2": "Saya tidur.",
             "question": "effect", "label": i % 2} for i in range(4)]
    (root / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    train = [{"text": f"a good day {i}", "label": "pos"} for i in range(8)]
    train += [{"text": f"a bad day {i}", "label": "neg"} for i in range(8)]
    (root / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in train), encoding="utf-8")
    (root / "suite.yaml").write_text(
        "bpb: {th: th.txt, en: en.jsonl}\nparity: {th: par.th, en: par.en}\n"
        "choice: [{name: xcopa_id, lang: id, path: x.jsonl, format: xcopa}]\n"
        "classification: [{name: sent, lang: en, train: train.jsonl, test: train.jsonl, k: [4, 8], seeds: [0, 1],"
        " max_test: 6}]\n"
        "limit: 3\nbatch_size: 4\nmax_length: 16\nreference_k: 8\nmode: probe\ndevice: cpu\n", encoding="utf-8")
    return root, str(base), str(adapted)


def test_run_bench_records_resume_and_report(setup, monkeypatch):
    root, base, adapted = setup
    out = root / "out"
    res = bench_run.run_bench([adapted], base, root / "suite.yaml", out)
    recs = res["records"]
    assert {r["model"] for r in recs} == {"baseline", adapted}
    keys = {(r["model"], r["task"], r["lang"], r["metric"]) for r in recs}
    for model in ("baseline", adapted):
        assert {(model, "bpb", "th", "bpb"), (model, "bpb", "en", "bpb"), (model, "xcopa_id", "id", "acc"),
                (model, "xcopa_id", "id", "acc_norm")} <= keys
        curve = [r for r in recs if r["model"] == model and r["task"] == "sent" and r["metric"] == "accuracy"]
        assert sorted((r["k"], r["seed"]) for r in curve) == [(4, 0), (4, 1), (8, 0), (8, 1)]
        fert = {(r["lang"], r["metric"]): r["value"] for r in recs if r["model"] == model and r["task"] == "fertility"}
        assert fert[("en", "parity_vs_en")] == 1.0 and fert[("th", "parity_vs_en")] > 0
        assert fert[("th", "tokens_per_word")] > 0
    assert all(set(r) <= {"model", "task", "lang", "metric", "value", "k", "seed"} for r in recs)
    assert read_json(out / "results.json")["records"] == json.loads(json.dumps(recs))
    assert (out / "report.md").is_file() and (out / "bpb.png").is_file() and (out / "suite.yaml").is_file()
    assert (out / "learning_curves_en.png").is_file() and (out / "fertility.png").is_file()

    # BPB record equals bits_per_byte on the same text with the same model
    from seapt.bench.intrinsic import bits_per_byte
    from seapt.model.load import load_model

    model, tok = load_model(base)
    want = bits_per_byte(model, tok, ["ผู้ชายเปิดก๊อกน้ำ", "อาหารอร่อยมาก"], block_size=512, batch_size=4)["bpb"]
    got = next(r["value"] for r in recs if r["model"] == "baseline" and r["task"] == "bpb" and r["lang"] == "th")
    assert got == pytest.approx(want, rel=1e-6)

    # resume: nothing is recomputed; a changed setting is an error (seapt.outputs), and with overwrite it
    # reruns only the affected steps
    calls = []
    monkeypatch.setattr(bench_run, "_run_step", lambda name, *a, **k: calls.append(name) or [])
    monkeypatch.setattr(bench_run, "_fertility", lambda *a: calls.append("fertility") or [])
    again = bench_run.run_bench([adapted], base, root / "suite.yaml", out)
    assert calls == [] and again["records"] == recs
    with pytest.raises(ConfigError, match=r"holds a bench made with other settings \(limit: 3 -> 2\)"):
        bench_run.run_bench([adapted], base, load_suite(root / "suite.yaml", ["limit=2"]), out)
    bench_run.run_bench([adapted], base, load_suite(root / "suite.yaml", ["limit=2"]), out, overwrite=True)
    assert calls == ["choice_xcopa_id", "choice_xcopa_id"]


def test_cli_bench_errors(setup, tmp_path):
    from seapt.cli import app

    root, base, adapted = setup
    runner = CliRunner()
    r = runner.invoke(app, ["bench", "--model", adapted, "--baseline", base, "--suite", str(tmp_path / "no.yaml"),
                            "--output", str(tmp_path / "o")])
    assert r.exit_code == 1 and "error: config file not found" in r.output
    assert len(r.output.strip().splitlines()) == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("choice: [{name: a, lang: xx, path: p}]\n", encoding="utf-8")
    r = runner.invoke(app, ["bench", "--model", adapted, "--baseline", base, "--suite", str(bad),
                            "--output", str(tmp_path / "o")])
    assert r.exit_code == 1 and "choice.lang" in r.output and len(r.output.strip().splitlines()) == 1
    r = runner.invoke(app, ["bench", "--model", adapted, "--suite", str(root / "suite.yaml"),
                            "--output", str(tmp_path / "o")])
    assert r.exit_code == 1 and "needs --baseline" in r.output
    missing = tmp_path / "m.yaml"
    missing.write_text(f"bpb: {{th: {tmp_path / 'nothing.txt'}}}\n", encoding="utf-8")
    r = runner.invoke(app, ["bench", "--model", adapted, "--baseline", base, "--suite", str(missing),
                            "--output", str(tmp_path / "o")])
    assert r.exit_code == 1 and "nothing.txt" in r.output and len(r.output.strip().splitlines()) == 1
    r = runner.invoke(app, ["bench", "--model", str(tmp_path / "typo"), "--baseline", base, "--suite",
                            str(root / "suite.yaml"), "--output", str(tmp_path / "o")])
    assert r.exit_code == 1 and r.output.strip().splitlines()[-1] == f"error: model folder not found: {tmp_path / 'typo'}"


def test_cli_bench_passes_models_baseline_and_overrides(setup, tmp_path, monkeypatch):
    from seapt.cli import app

    root, base, adapted = setup
    seen = {}

    def fake(models, baseline, suite, output, overwrite=False):
        seen.update(models=models, baseline=baseline, limit=suite.limit, output=output)
        return {"records": [{}] * 3, "seconds": 1.0}

    monkeypatch.setattr(bench_run, "run_bench", fake)
    args = ["bench", "--model", "ckpt-500", "--model", adapted, "--baseline", base, "--suite",
            str(root / "suite.yaml"), "--output", str(tmp_path / "o"), "--set", "limit=2"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert seen == {"models": ["ckpt-500", adapted], "baseline": base, "limit": 2, "output": tmp_path / "o"}
    assert "3 records" in r.output
    r = CliRunner().invoke(app, args[:1] + args[5:])  # no --model: the baseline alone
    assert r.exit_code == 0 and seen["models"] == []


def test_an_encoder_without_mlm_head_loads_as_an_encoder(tmp_path):
    """all-MiniLM or a contrastive (SimCSE) final/ is a bare BertModel: bench embeds it as is, no MLM head
    is invented (and no warning says one was)."""
    import warnings

    from test_model_tiny import tiny_model, wordpiece_pair

    base_dir, _ = wordpiece_pair(tmp_path)
    model = tiny_model("bert-no-head", base_dir, tmp_path / "enc")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = bench_run._load(str(model), "cpu")
    assert type(loaded["model"]).__name__ == "BertModel" and not loaded["causal"]


def test_steps_an_encoder_cannot_run_are_reported_as_skipped_not_silently_empty(tmp_path):
    from test_model_tiny import tiny_model, wordpiece_pair

    base_dir, _ = wordpiece_pair(tmp_path)
    model = str(tiny_model("bert-no-head", base_dir, tmp_path / "enc"))
    (tmp_path / "th.txt").write_text("ผู้ชายเปิดก๊อกน้ำ\n", encoding="utf-8")
    (tmp_path / "suite.yaml").write_text("bpb: {th: th.txt}\ndevice: cpu\nbatch_size: 2\n", encoding="utf-8")
    for _ in range(2):  # the second run reads the finished steps back and still says why they are empty
        res = bench_run.run_bench([], model, tmp_path / "suite.yaml", tmp_path / "out")
        assert res["records"] == []
        assert res["skipped"] == [{"model": "baseline", "step": "bpb_th", "reason": SKIP_NOT_CAUSAL}]
        assert "## Skipped" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_bpb_max_bytes_measures_whole_sentences_up_to_the_byte_budget(setup):
    """The quickstart's bench fits its time with a byte budget: only the first documents reaching it are scored."""
    from seapt.bench.intrinsic import bits_per_byte
    from seapt.model.load import load_model

    root, base, adapted = setup
    (root / "budget.yaml").write_text("bpb: {th: th.txt}\nbpb_max_bytes: 10\nbatch_size: 4\ndevice: cpu\n",
                                      encoding="utf-8")
    res = bench_run.run_bench([], base, root / "budget.yaml", root / "out_budget")
    got = next(r["value"] for r in res["records"] if r["task"] == "bpb")
    model, tok = load_model(base)
    first = bits_per_byte(model, tok, ["ผู้ชายเปิดก๊อกน้ำ"], block_size=512, batch_size=4)["bpb"]
    both = bits_per_byte(model, tok, ["ผู้ชายเปิดก๊อกน้ำ", "อาหารอร่อยมาก"], block_size=512, batch_size=4)["bpb"]
    assert got == pytest.approx(first, rel=1e-6) and got != pytest.approx(both, rel=1e-6)
