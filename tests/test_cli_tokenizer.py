"""`seapt tokenizer extend` / `seapt tokenizer eval`: exit codes, outputs, one-line user errors."""

from __future__ import annotations

import json

import pytest
from test_vocab_fixtures import ENGLISH, THAI, bytelevel_base, write_corpora
from typer.testing import CliRunner

from seapt.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    return {"root": root, "base": bytelevel_base(root / "base"), "corpora": write_corpora(root / "c")}


def _one_line_error(result, *needles):
    assert result.exit_code == 1, result.output
    lines = [x for x in result.output.strip().splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for n in needles:
        assert n in lines[0], lines[0]


def test_extend_then_eval(setup):
    root, c = setup["root"], setup["corpora"]
    out = root / "out"
    result = runner.invoke(
        app,
        [
            "tokenizer",
            "extend",
            "--base",
            str(setup["base"]),
            "--corpus",
            f"th={c['th']}",
            "--corpus",
            f"vi={c['vi']}",
            "--add",
            "th=50",
            "--add",
            "vi=20",
            "--output",
            str(out),
            "--min-frequency",
            "2",
            "--set",
            "check_texts_per_language=10",
        ],
    )
    assert result.exit_code == 0, result.output
    info = json.loads((out / "extension.json").read_text(encoding="utf-8"))
    assert info["added"] == {"th": 50, "vi": 20} and info["checks"]["unreachable"] == 0
    assert "unreachable=0" in result.output
    report = root / "eval.json"
    th, en = root / "th10.txt", root / "en10.txt"  # "parallel": as many lines each
    th.write_text("\n".join(THAI.splitlines()[:10]) + "\n", encoding="utf-8")
    en.write_text("\n".join(ENGLISH.splitlines()[:10]) + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "tokenizer",
            "eval",
            "--tokenizer",
            str(setup["base"]),
            "--tokenizer",
            str(out),
            "--text",
            f"th={th}",
            "--text",
            f"en={en}",
            "--parallel",
            "--json",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    base_th, new_th = data[str(setup["base"])]["th"], data[str(out)]["th"]
    assert new_th["tokens"] < base_th["tokens"] and new_th["parity_vs_en"] < base_th["parity_vs_en"]
    assert set(new_th) == {
        "tokens",
        "chars",
        "bytes",
        "words",
        "chars_per_token",
        "bytes_per_token",
        "tokens_per_word",
        "parity_vs_en",
    }
    assert data[str(out)]["en"] == data[str(setup["base"])]["en"]
    assert new_th["words"] > new_th["chars"] / 20  # real Thai words, not whitespace-separated phrases


def test_extend_from_yaml_config(setup, tmp_path):
    c = setup["corpora"]
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(f"base: {setup['base']}\ncorpus:\n  id: {c['id']}\nadd:\n  id: 10\n", encoding="utf-8")
    result = runner.invoke(
        app, ["tokenizer", "extend", "--config", str(cfg), "--output", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "o" / "extension.json").read_text())["added"] == {"id": 10}


def test_corrupt_base_is_one_line_error(setup, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "tokenizer.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "tokenizer",
            "extend",
            "--base",
            str(bad),
            "--corpus",
            f"th={setup['corpora']['th']}",
            "--add",
            "th=5",
            "--output",
            str(tmp_path / "o"),
        ],
    )
    _one_line_error(result, "tokenizer.json")


def test_unigram_base_not_supported(setup, tmp_path):
    from tokenizers import Tokenizer, models

    base = tmp_path / "uni"
    base.mkdir()
    Tokenizer(models.Unigram([("<unk>", 0.0), ("a", -1.0)], unk_id=0)).save(str(base / "tokenizer.json"))
    result = runner.invoke(
        app,
        [
            "tokenizer",
            "extend",
            "--base",
            str(base),
            "--corpus",
            f"th={setup['corpora']['th']}",
            "--add",
            "th=5",
            "--output",
            str(tmp_path / "o"),
        ],
    )
    _one_line_error(result, "Unigram", "not supported yet")


def test_hub_id_offline_says_network(setup, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = runner.invoke(
        app,
        [
            "tokenizer",
            "extend",
            "--base",
            "meta-llama/Llama-3.2-1B",
            "--corpus",
            f"th={setup['corpora']['th']}",
            "--add",
            "th=5",
            "--output",
            str(tmp_path / "o"),
        ],
    )
    _one_line_error(result, "need network")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--add", "th=lots"], "positive integer"),
        (["--add", "th=0"], "add.th"),
        (["--add", "xx=5", "--corpus", "xx=x.txt"], "unknown language"),
        (["--add", "vi=5"], "no corpus for vi"),
        (["--add", "th=5", "--corpus", "th"], "KEY=VALUE"),
        (["--add", "th=5", "--set", "min_frequency=0"], "min_frequency"),
    ],
)
def test_bad_arguments_are_one_line_errors(setup, tmp_path, args, needle):
    base = ["tokenizer", "extend", "--base", str(setup["base"]), "--output", str(tmp_path / "o")]
    if "--corpus" not in args:
        args = args + ["--corpus", f"th={setup['corpora']['th']}"]
    _one_line_error(runner.invoke(app, base + args), needle)


def test_missing_corpus_file(setup, tmp_path):
    result = runner.invoke(
        app,
        [
            "tokenizer",
            "extend",
            "--base",
            str(setup["base"]),
            "--corpus",
            f"th={tmp_path / 'nope.txt'}",
            "--add",
            "th=5",
            "--output",
            str(tmp_path / "o"),
        ],
    )
    _one_line_error(result, "nope.txt")


def test_eval_errors(setup, tmp_path):
    c = setup["corpora"]
    result = runner.invoke(
        app, ["tokenizer", "eval", "--tokenizer", str(setup["base"]), "--text", f"th={c['th']}", "--parallel"]
    )
    _one_line_error(result, "--text en=")
    result = runner.invoke(
        app, ["tokenizer", "eval", "--tokenizer", str(tmp_path / "none"), "--text", f"th={c['th']}"]
    )
    _one_line_error(result, "not found")


def test_eval_vietnamese_counts_words_and_syllables(setup):
    from seapt.vocab.metrics import evaluate_tokenizers

    base = str(setup["base"])
    res = evaluate_tokenizers([base], {"vi": str(setup["corpora"]["vi"])})[base]["vi"]
    assert res["syllables"] > res["words"] > 0  # underthesea joins syllables into words ("Việt Nam")
    assert res["tokens_per_syllable"] < res["tokens_per_word"]


def test_extend_notes_target_script_lines_in_the_english_reference(setup, tmp_path):
    c = setup["corpora"]
    english = tmp_path / "en.txt"
    english.write_text(ENGLISH + "\n" + THAI.splitlines()[0] + "\n", encoding="utf-8")
    args = ["tokenizer", "extend", "--base", str(setup["base"]), "--corpus", f"th={c['th']}", "--add", "th=20",
            "--set", "check_texts_per_language=5"]
    result = runner.invoke(app, [*args, "--english", str(english), "--output", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "1 line(s) of the English reference are in a target language's script" in " ".join(result.output.split())
    clean = runner.invoke(app, [*args, "--output", str(tmp_path / "o2")])
    assert clean.exit_code == 0 and "English reference are in" not in clean.output


def test_code_reference_option(setup, tmp_path):
    """--code-reference none protects no code (extension.json says so); a missing folder is a one-line error."""
    base, c = str(setup["base"]), setup["corpora"]
    args = ["tokenizer", "extend", "--base", base, "--corpus", f"th={c['th']}", "--add", "th=10"]
    done = runner.invoke(app, [*args, "--output", str(tmp_path / "none"), "--code-reference", "none"])
    assert done.exit_code == 0, done.output
    ext = json.loads((tmp_path / "none" / "extension.json").read_text(encoding="utf-8"))
    assert ext["code_reference"] == {"source": None, "files": 0, "pieces": 0}
    missing = runner.invoke(app, [*args, "--output", str(tmp_path / "m"), "--code-reference", str(tmp_path / "nope")])
    _one_line_error(missing, "code reference not found", "nope")
