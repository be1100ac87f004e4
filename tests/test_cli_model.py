"""`seapt model import` / `seapt model extend`: arguments reach the library, errors are one line + exit 1."""

from __future__ import annotations

import json

import pytest
from test_model_tiny import byte_level_pair, tiny_gguf, tiny_model, wordpiece_pair
from typer.testing import CliRunner

from seapt.cli import app

runner = CliRunner()


def _one_line_error(result, match: str):
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and match in lines[0], result.stderr
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    base_tok, ext_tok = byte_level_pair(root)
    _, wp_ext = wordpiece_pair(root)
    base = tiny_model("gpt2", base_tok, root / "gpt2")
    return {"root": root, "base": base, "ext": ext_tok, "other": wp_ext, "base_tok": base_tok}


def test_extend_passes_its_options_to_the_library(monkeypatch, tmp_path):
    import seapt.model.embeddings as emb

    seen = {}

    def fake(base, tokenizer_dir, output, init="mean", dtype=None, pad_to_multiple_of=64, progress=True,
             overwrite=False):
        seen.update(base=base, tokenizer=tokenizer_dir, output=output, init=init, dtype=dtype,
                    pad=pad_to_multiple_of, progress=progress)
        return {"architecture": "X", "added_tokens": 5, "base_vocab_size": 10, "vocab_size": 15,
                "rows_before": 10, "rows_after": 16, "init": init, "model_dtype": "bfloat16", "tied": True,
                "pieces_per_token": 2.0, "seconds": 0.1}

    monkeypatch.setattr(emb, "extend_model", fake)
    result = runner.invoke(app, ["model", "extend", "--base", "B", "--tokenizer", "T", "--output",
                                 str(tmp_path / "o"), "--init", "random", "--dtype", "bf16",
                                 "--pad-to-multiple-of", "8", "--quiet"])
    assert result.exit_code == 0, result.output
    assert seen == {"base": "B", "tokenizer": "T", "output": str(tmp_path / "o"), "init": "random",
                    "dtype": "bf16", "pad": 8, "progress": False}
    assert "+5 tokens" in result.stdout and "10 -> 16" in result.stdout


def test_extend_end_to_end(tiny):
    out = tiny["root"] / "extended"
    result = runner.invoke(app, ["model", "extend", "--base", str(tiny["base"]), "--tokenizer",
                                 str(tiny["ext"]), "--output", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "seapt_extension.json").read_text())
    assert meta["init"] == "mean" and meta["rows_after"] % 64 == 0 and meta["added_tokens"] > 0
    assert "GPT2LMHeadModel" in result.stdout


@pytest.mark.parametrize("case, match", [
    ("incompatible", "is not an extension of"),
    ("missing-tokenizer", "tokenizer folder not found"),
    ("bad-init", "init 'zeros' is not supported"),
    ("bad-dtype", "dtype 'int8' is not supported"),
    ("missing-base", "model folder not found"),
    ("offline-hub-id", "HF_HUB_OFFLINE=1"),
    ("gguf-base", "convert it first: seapt model import"),
])
def test_extend_errors_are_one_line(tiny, tmp_path, case, match):
    base, tok = str(tiny["base"]), str(tiny["ext"])
    extra = []
    if case == "incompatible":
        tok = str(tiny["other"])
    elif case == "missing-tokenizer":
        tok = str(tmp_path / "no-tokenizer")
    elif case == "bad-init":
        extra = ["--init", "zeros"]
    elif case == "bad-dtype":
        extra = ["--dtype", "int8"]
    elif case == "missing-base":
        base = str(tmp_path / "runs" / "missing")
    elif case == "offline-hub-id":
        base = "seapt-test-org/not-cached-model"
    elif case == "gguf-base":
        (tmp_path / "g").mkdir()
        (tmp_path / "g" / "m.gguf").write_bytes(b"GGUF")
        base = str(tmp_path / "g")
    result = runner.invoke(app, ["model", "extend", "--base", base, "--tokenizer", tok, "--output",
                                 str(tmp_path / "out"), "--quiet", *extra])
    _one_line_error(result, match)


def test_extend_rerun_with_other_init_is_refused(tiny):
    out = tiny["root"] / "rerun"
    args = ["model", "extend", "--base", str(tiny["base"]), "--tokenizer", str(tiny["ext"]), "--output",
            str(out), "--quiet"]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, args).exit_code == 0  # resumes: already done
    _one_line_error(runner.invoke(app, [*args, "--init", "random"]), "or --overwrite to redo it")


def test_import_end_to_end_and_errors(tiny, tmp_path):
    path, _ = tiny_gguf(tmp_path, tiny["base_tok"])
    out = tmp_path / "imported"
    result = runner.invoke(app, ["model", "import", str(path), "--output", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "LlamaForCausalLM" in result.stdout and (out / "model.safetensors").is_file()
    assert "GGUF tensors" not in result.stderr and "Loading weights" not in result.stderr  # --quiet
    assert runner.invoke(app, ["model", "import", str(path), "--output", str(out)]).exit_code == 0  # done
    _one_line_error(runner.invoke(app, ["model", "import", str(path.parent), "--output", str(out)]),
                    "holds an imported model made with other settings (source:")
    fresh = str(tmp_path / "fresh")
    _one_line_error(runner.invoke(app, ["model", "import", str(tmp_path / "none.gguf"), "--output", fresh]),
                    "installed package")
    (tmp_path / "empty").mkdir()
    _one_line_error(runner.invoke(app, ["model", "import", str(tmp_path / "empty"), "--output", fresh]),
                    "no .gguf file in folder")
    _one_line_error(runner.invoke(app, ["model", "import", str(path), "--output", str(tmp_path / "x"),
                                        "--dtype", "q4"]), "dtype 'q4' is not supported")


def test_help_lists_both_commands():
    result = runner.invoke(app, ["model", "--help"])
    assert result.exit_code == 0 and "import" in result.stdout and "extend" in result.stdout
