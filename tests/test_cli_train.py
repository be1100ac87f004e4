"""`seapt pretrain` CLI: flags map onto config fields, bad config is one line naming the field, exit 1."""

from __future__ import annotations

import pytest
from test_train_helpers import corpora, make_model_dir, one_thread, read_metrics  # noqa: F401
from typer.testing import CliRunner

import seapt.train.pretrain as pretrain_mod
from seapt.cli import app

runner = CliRunner()


@pytest.fixture
def captured(monkeypatch):
    seen = {}

    def fake(cfg, callbacks=(), overwrite=False):
        seen["cfg"] = cfg
        return {"steps": 3, "tokens_seen": 99, "seconds": 1.0, "final_dir": "x/final", "metrics": {"loss": 1.5}}

    monkeypatch.setattr(pretrain_mod, "pretrain", fake)
    return seen


def test_flags_map_onto_config_fields(tmp_path, captured):
    yaml_path = tmp_path / "c.yaml"
    yaml_path.write_text("model: m\noutput: o\ndata: {vi: v.txt}\nlearning_rate: 1.0e-4\nblock_size: 64\n")
    r = runner.invoke(app, ["pretrain", "--config", str(yaml_path), "--data", "th=/c/th.txt:3", "--data", "id=x:y.txt",
                            "--english", "en.txt:0.25", "--eval", "th=ev.txt", "--objective", "clm",
                            "--max-steps", "7", "--block-size", "128", "--batch-size", "2", "--save-steps", "5",
                            "--eval-steps", "6", "--log-steps", "2", "--seed", "9", "--set", "weight_decay=0.0"])
    assert r.exit_code == 0, r.output
    cfg = captured["cfg"]
    assert cfg.data == {"vi": "v.txt", "th": "/c/th.txt", "id": "x:y.txt"} and cfg.weights == {"th": 3.0}
    assert (cfg.english, cfg.english_weight, cfg.eval) == ("en.txt", 0.25, {"th": "ev.txt"})
    assert (cfg.max_steps, cfg.block_size, cfg.batch_size, cfg.save_steps, cfg.eval_steps, cfg.log_steps,
            cfg.seed, cfg.learning_rate, cfg.weight_decay) == (7, 128, 2, 5, 6, 2, 9, 1e-4, 0.0)
    assert "trained 3 steps" in r.output


@pytest.mark.parametrize("args, field", [
    (["--model", "m", "--output", "o"], "data"),
    (["--model", "m", "--output", "o", "--data", "xx=a.txt"], "data.xx"),
    (["--model", "m", "--output", "o", "--data", "th=a.txt", "--block-size", "2"], "block_size"),
    (["--model", "m", "--output", "o", "--data", "th=a.txt", "--objective", "gan"], "objective"),
    (["--model", "m", "--output", "o", "--data", "th=a.txt", "--set", "lerning_rate=1"], "lerning_rate"),
    (["--model", "m", "--output", "o", "--data", "th=a.txt", "--set", "english_weight=0.5"], "english_weight"),
    (["--model", "m", "--output", "o", "--data", "th=a.txt", "--set", "stages=[{name: a, steps: 0}]"], "stages.steps"),
    (["--model", "m", "--output", "o", "--data", "th=a.txt", "--objective", "mlm", "--eval", "th=e.txt"], "eval"),
])
def test_bad_config_is_one_line_naming_the_field(args, field, captured):
    r = runner.invoke(app, ["pretrain", *args])
    assert r.exit_code == 1
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and field in lines[0], r.stderr
    assert "cfg" not in captured


def test_missing_model_and_corpus_are_one_line_errors(tmp_path):
    c = corpora(tmp_path)
    r = runner.invoke(app, ["pretrain", "--model", str(tmp_path / "nope"), "--data", f"th={c['th']}",
                            "--output", str(tmp_path / "o1")])
    assert r.exit_code == 1 and r.stderr.startswith("error: ") and "nope" in r.stderr
    model = make_model_dir(tmp_path)
    r = runner.invoke(app, ["pretrain", "--model", str(model), "--data", f"th={tmp_path / 'none.txt'}",
                            "--output", str(tmp_path / "o2")])
    assert r.exit_code == 1 and "none.txt" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_cli_trains_and_rerun_resumes(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    args = ["pretrain", "--model", str(model), "--data", f"th={c['th']}", "--english", str(c["en"]),
            "--output", str(tmp_path / "out"), "--max-steps", "4", "--block-size", "32", "--batch-size", "2",
            "--save-steps", "2", "--log-steps", "2", "--eval", f"th={c['th_eval']}"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    rows = read_metrics(tmp_path / "out" / "metrics.jsonl")
    assert [row["step"] for row in rows] == [0, 2, 4]
    assert (tmp_path / "out" / "final" / "config.json").is_file()
    r = runner.invoke(app, args)  # finished: nothing to do, same metrics
    assert r.exit_code == 0 and read_metrics(tmp_path / "out" / "metrics.jsonl") == rows


def test_english_without_a_share_replays_ten_percent(captured):
    r = runner.invoke(app, ["pretrain", "--model", "m", "--output", "o", "--data", "th=a.txt", "--english", "en.txt"])
    assert r.exit_code == 0, r.output
    assert (captured["cfg"].english, captured["cfg"].english_weight) == ("en.txt", 0.1)
