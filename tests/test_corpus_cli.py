"""`seapt corpus prepare|stats` through the CLI: exit codes, one-line errors, multi-path options, plots."""

import json
import sys

from typer.testing import CliRunner

from seapt.cli import app
from test_corpus_steps import make_doc

runner = CliRunner()


def _one_line_error(result, text):
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and text in lines[0], result.output


def _write(path, docs):
    path.write_text("\n".join(json.dumps({"text": d}, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return str(path)


def test_missing_input_is_a_one_line_error(tmp_path):
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", str(tmp_path / "nope.jsonl"),
                            "--output", str(tmp_path / "out")])
    _one_line_error(r, "input not found")


def test_unsupported_language_and_bad_override(tmp_path):
    a = _write(tmp_path / "a.jsonl", ["x"])
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "xx", "--input", a, "--output", str(tmp_path / "o")])
    _one_line_error(r, "--lang")
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", a, "--output", str(tmp_path / "o"),
                            "--set", "quality.min_wrds=3"])
    _one_line_error(r, "did you mean quality.min_words")


def test_slurm_without_sbatch_and_missing_benchmark_file(tmp_path, monkeypatch):
    a = _write(tmp_path / "a.jsonl", ["x"])
    monkeypatch.setenv("PATH", str(tmp_path))
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", a, "--output", str(tmp_path / "o"),
                            "--executor", "slurm"])
    _one_line_error(r, "sbatch")
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the seapt[ray] extra were not installed
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", a, "--output", str(tmp_path / "o1"),
                            "--executor", "ray"])
    _one_line_error(r, "ray")
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", a, "--output", str(tmp_path / "o2"),
                            "--decontaminate", str(tmp_path / "missing.jsonl")])
    _one_line_error(r, "--decontaminate")


def test_prepare_with_several_inputs_after_one_flag_then_stats(tmp_path):
    a = _write(tmp_path / "a.jsonl", [make_doc("th", i) for i in range(3)])
    b = _write(tmp_path / "b.jsonl", [make_doc("th", i) for i in range(3, 6)])
    out = tmp_path / "out"
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", a, b, "--output", str(out),
                            "--workers", "2", "--quiet"])
    assert r.exit_code == 0, r.output
    stats = json.loads((out / "stats.json").read_text())
    assert stats["read"] == 6 and stats["kept"] == 6
    assert "6 of 6 documents kept" in r.output
    r = runner.invoke(app, ["corpus", "stats", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "plots" / "lengths.png").stat().st_size > 1000
    assert (out / "plots" / "lang_scores.png").is_file()
    r = runner.invoke(app, ["corpus", "stats", str(tmp_path)])
    _one_line_error(r, "no stats.json")


def test_decontaminate_takes_several_files_after_one_flag(tmp_path):
    docs = [make_doc("th", i) for i in range(6)]
    a = _write(tmp_path / "a.jsonl", docs)
    bench1 = tmp_path / "xcopa.jsonl"
    bench1.write_text(json.dumps({"premise": docs[2].split("\n")[0]}, ensure_ascii=False) + "\n", encoding="utf-8")
    bench2 = tmp_path / "other.txt"
    bench2.write_text(docs[4].split("\n")[1] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", a, "--output", str(out),
                            "--decontaminate", str(bench1), str(bench2), "--quiet", "--set",
                            "decontaminate.n_grams=8"])
    assert r.exit_code == 0, r.output
    stats = json.loads((out / "stats.json").read_text())
    assert stats["dropped"] == {"contaminated": 2} and stats["kept"] == 4


def test_nothing_kept_warns_and_the_next_stage_says_why(tmp_path):
    from seapt.errors import InputError
    from seapt.io import iter_texts

    a = _write(tmp_path / "a.jsonl", ["", "   "])
    out = tmp_path / "o"
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "th", "--input", a, "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "no document was kept" in r.output and (out / "data").is_dir()
    try:
        list(iter_texts(out))
    except InputError as exc:
        assert "kept no documents" in str(exc)
    else:
        raise AssertionError("reading an empty prepared corpus must say that nothing was kept")
