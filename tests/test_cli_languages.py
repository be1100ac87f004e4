"""`seapt languages` and `--lang` everywhere: any registered code is accepted, a typo lists them in one line."""

import json

import pytest
from typer.testing import CliRunner

from seapt.cli import app
from seapt.languages import LANGUAGES

runner = CliRunner()
CODES = list(LANGUAGES)


def _one_line_error(result, *needles):
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_languages_json_lists_every_registered_language():
    r = runner.invoke(app, ["languages", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [row["code"] for row in rows] == CODES
    for row in rows:
        lang = LANGUAGES[row["code"]]
        assert list(row["engines"]) == list(lang.segmenters)
        assert row["default_engine"] in lang.segmenters
        assert set(row["packages"]) == set(lang.packages)
    assert all(row["corpus_config"] is True for row in rows if row["code"] != "en")


def test_languages_table_says_what_is_missing(monkeypatch):
    from seapt.languages import report

    monkeypatch.setattr(report, "_installed", lambda module: False)
    r = runner.invoke(app, ["languages"], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    assert all(f" {code} " in r.stdout for code in CODES)
    assert "icu✗" in r.stdout and "pip install 'seapt[my]'" in r.stdout
    rows = report.language_rows()
    assert next(row for row in rows if row["code"] == "km")["default_engine"] == "syllable"  # the fallback


@pytest.mark.parametrize(
    "args",
    [
        ["text", "segment", "--lang", "xx", "-"],
        ["text", "normalize", "--lang", "xx", "-"],
        ["text", "sentences", "--lang", "xx", "-"],
    ],
    ids=["segment", "normalize", "sentences"],
)
def test_lang_typo_lists_registered_codes(args):
    _one_line_error(runner.invoke(app, args, input="x\n"), "'xx'", ", ".join(CODES))


def test_bench_segmentation_lang_typo(tmp_path):
    gold = tmp_path / "g.txt"
    gold.write_text("a|b\n", encoding="utf-8")
    _one_line_error(runner.invoke(app, ["bench", "segmentation", "--lang", "xx", "--gold", str(gold)]), "xx", "lo")


def test_tokenizer_extend_add_typo(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("x\n", encoding="utf-8")
    r = runner.invoke(app, ["tokenizer", "extend", "--base", str(tmp_path), "--corpus", f"xx={corpus}",
                            "--add", "xx=5", "--output", str(tmp_path / "o")])
    _one_line_error(r, "xx", ", ".join(CODES))


@pytest.mark.parametrize("code", [c for c in CODES if c in ("lo", "km", "my")])
def test_new_languages_segment_through_the_cli(code):
    sample = LANGUAGES[code].sample
    r = runner.invoke(app, ["text", "segment", "--lang", code, "--engine", "syllable", "-"], input=sample + "\n")
    assert r.exit_code == 0, r.output
    assert "".join(r.stdout.replace(" | ", "").split()) == "".join(sample.split())


def test_corpus_prepare_without_a_calibrated_config(tmp_path, monkeypatch):
    # every registered target ships one (tests/test_corpus_languages.py); a new module without one is refused
    import dataclasses

    import seapt.languages as registry

    monkeypatch.setitem(registry.LANGUAGES, "xx", dataclasses.replace(LANGUAGES["my"], code="xx"))
    monkeypatch.setattr(registry, "TARGETS", registry.TARGETS + ("xx",))
    data = tmp_path / "a.txt"
    data.write_text(LANGUAGES["my"].sample + "\n", encoding="utf-8")
    r = runner.invoke(app, ["corpus", "prepare", "--lang", "xx", "--input", str(data), "--output", str(tmp_path / "o")])
    _one_line_error(r, "no calibrated corpus config", "--config")
