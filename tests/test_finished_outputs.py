"""Every stage applies one rule to an --output that already holds its work (seapt.outputs): same settings
return at once, other settings are a one-line error naming the fields, --overwrite redoes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from _bench_tiny import make_tiny
from test_corpus_prepare import build_input
from test_model_tiny import byte_level_pair, tiny_gguf, tiny_model
from test_train_helpers import TH, corpora, make_model_dir, make_tokenizer, one_thread, write_corpus  # noqa: F401
from test_vocab_fixtures import bytelevel_base, write_corpora
from typer.testing import CliRunner

from seapt.cli import app
from seapt.errors import ConfigError
from seapt.outputs import reuse_output

runner = CliRunner()


def _corpus(root: Path):
    out = root / "out"
    args = ["corpus", "prepare", "--lang", "th", "--input", str(build_input(root, n=4)), "--output", str(out),
            "--quiet"]
    return args, ["--set", "quality.min_words=5"], "quality", out


def _tokenizer(root: Path):
    out, c = root / "out", write_corpora(root / "c")
    args = ["tokenizer", "extend", "--base", str(bytelevel_base(root / "base")), "--corpus", f"th={c['th']}",
            "--add", "th=20", "--output", str(out)]
    return args, ["--min-frequency", "3"], "min_frequency", out


def _model_import(root: Path):
    base_tok, _ = byte_level_pair(root)
    path, _ = tiny_gguf(root, base_tok)
    out = root / "out"
    return ["model", "import", str(path), "--output", str(out), "--quiet"], ["--dtype", "bf16"], "dtype", out


def _model_extend(root: Path):
    base_tok, ext_tok = byte_level_pair(root)
    out = root / "out"
    args = ["model", "extend", "--base", str(tiny_model("gpt2", base_tok, root / "gpt2")), "--tokenizer",
            str(ext_tok), "--output", str(out), "--quiet"]
    return args, ["--init", "random"], "init", out


def _pretrain(root: Path):
    c, out = corpora(root), root / "out"
    args = ["pretrain", "--model", str(make_model_dir(root)), "--data", f"th={c['th']}", "--output", str(out),
            "--max-steps", "2", "--block-size", "32", "--batch-size", "2", "--save-steps", "2", "--log-steps", "1"]
    return args, ["--max-steps", "3"], "max_steps", out


def _bench(root: Path):
    (root / "th.txt").write_text("ผู้ชายเปิดก๊อกน้ำ\nอาหารอร่อยมาก\n", encoding="utf-8")
    (root / "s.yaml").write_text(f"bpb: {{th: {root / 'th.txt'}}}\ndevice: cpu\n", encoding="utf-8")
    out = root / "out"
    args = ["bench", "--baseline", str(make_tiny(root / "base")), "--suite", str(root / "s.yaml"), "--output", str(out)]
    return args, ["--set", "bpb_max_bytes=100"], "bpb_max_bytes", out


def _tokenize(root: Path):
    texts = write_corpus(root / "th.txt", TH, 20, 1, sep="").read_text(encoding="utf-8").splitlines()
    tok = make_tokenizer(texts)
    tok.save_pretrained(root / "tok")
    out = root / "out"
    args = ["corpus", "tokenize", "--tokenizer", str(root / "tok"), "--input", str(root / "th.txt"),
            "--output", str(out), "--quiet"]
    return args, ["--set", "separator=eos"], "separator", out


STAGES = {"corpus prepare": _corpus, "corpus tokenize": _tokenize, "tokenizer extend": _tokenizer, "model import": _model_import,
          "model extend": _model_extend, "pretrain": _pretrain, "bench": _bench}


def _files(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("stage", list(STAGES))
def test_finished_output_same_settings_other_settings_overwrite(stage, tmp_path):
    args, other, field, out = STAGES[stage](tmp_path)
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    written = _files(out)
    again = runner.invoke(app, args)  # same settings: the finished output is returned, nothing rewritten
    assert again.exit_code == 0, again.output
    assert _files(out) == written
    refused = runner.invoke(app, [*args, *other])
    assert refused.exit_code == 1, refused.output
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {out} holds "), refused.stderr
    assert f"made with other settings ({field}: " in lines[0] and "--overwrite" in lines[0], lines[0]
    assert _files(out) == written  # the refused run touched nothing
    redone = runner.invoke(app, [*args, *other, "--overwrite"])
    assert redone.exit_code == 0, redone.output
    assert _files(out) != written
    assert runner.invoke(app, [*args, *other]).exit_code == 0  # the redone output is finished with the new settings


def test_reuse_output_rule(tmp_path):
    out = tmp_path / "out"
    (out / "steps").mkdir(parents=True)
    (out / "steps" / "a.json").write_text("{}")
    (out / "result.json").write_text("{}")
    saved = {"init": "mean", "workers": 1, "paths": ["x" * 200]}
    assert reuse_output(out, None, saved) is False  # nothing there
    assert reuse_output(out, saved, {**saved, "workers": 8}, ignore=("workers",)) is True
    with pytest.raises(ConfigError) as err:
        reuse_output(out, saved, {**saved, "init": "random", "paths": ["y" * 200]}, what="a model")
    message = str(err.value)
    assert message.startswith(f"{out} holds a model made with other settings (init: 'mean' -> 'random'; paths: ")
    assert "\n" not in message and len(message) < 300 and message.endswith("--overwrite to redo it")
    logged = []
    assert reuse_output(out, saved, {**saved, "init": "random"}, overwrite=True, keep=("steps",),
                        log=logged.append) is False
    assert sorted(p.name for p in out.iterdir()) == ["steps"] and "init" in logged[0]


def test_tokenizer_extend_add_order_is_a_setting(tmp_path):
    """Languages are learned in --add order, so the same languages in another order are other settings."""
    out, c = tmp_path / "out", write_corpora(tmp_path / "c")
    args = ["tokenizer", "extend", "--base", str(bytelevel_base(tmp_path / "base")), "--corpus", f"th={c['th']}",
            "--corpus", f"vi={c['vi']}", "--output", str(out)]
    assert runner.invoke(app, [*args, "--add", "th=20", "--add", "vi=20"]).exit_code == 0
    assert runner.invoke(app, [*args, "--add", "th=20", "--add", "vi=20"]).exit_code == 0  # same order: reused
    swapped = runner.invoke(app, [*args, "--add", "vi=20", "--add", "th=20"])
    assert swapped.exit_code == 1, swapped.output
    assert "made with other settings (add: {'th': 20, 'vi': 20} -> {'vi': 20, 'th': 20})" in swapped.stderr


def test_reuse_output_ordered_mappings(tmp_path):
    saved = {"add": {"th": 1, "vi": 2}, "corpus": {"th": "a", "vi": "b"}}
    swapped = {"add": {"vi": 2, "th": 1}, "corpus": {"vi": "b", "th": "a"}}
    assert reuse_output(tmp_path, saved, swapped) is True  # order ignored unless asked
    with pytest.raises(ConfigError, match=r"other settings \(add: "):
        reuse_output(tmp_path, saved, swapped, ordered=("add",))
