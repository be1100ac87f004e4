"""`seapt text ...` and `seapt bench segmentation` through typer's CliRunner: output, exit codes, errors."""

import json

import pytest
from typer.testing import CliRunner

from seapt.bench.segmentation import RESULT_KEYS
from seapt.cli import app

runner = CliRunner()


def run(args, stdin=None):
    return runner.invoke(app, args, input=stdin)


def one_line_error(result, *needles):
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.output


def test_help():
    result = run(["text", "--help"])
    assert result.exit_code == 0
    for command in ("normalize", "segment", "sentences"):
        assert command in result.stdout


def test_segment_stdin_one_line_per_input_line():
    result = run(["text", "segment", "--lang", "th", "-"], "สวัสดีครับ วันนี้อากาศดีมาก\n\nก ข\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "สวัสดี | ครับ | วันนี้ | อากาศ | ดีมาก\n\nก | ข\n"


def test_segment_file_engine_and_sep(tmp_path):
    src = tmp_path / "vi.txt"
    src.write_text("Tôi là sinh viên đại học.\n", encoding="utf-8")
    result = run(["text", "segment", "--lang", "vi", "--sep", "/", str(src)])
    assert result.stdout == "Tôi/là/sinh viên/đại học/.\n"
    result = run(["text", "segment", "--lang", "vi", "--engine", "syllable", str(src)])
    assert result.stdout == "Tôi | là | sinh | viên | đại | học | .\n"


def test_normalize_and_sentences():
    result = run(["text", "normalize", "--lang", "vi"], "\ufeffhoà  thuỷ\u200b\nXin chào\u2028bạn\n")
    assert result.exit_code == 0 and result.stdout == "hòa thủy\nXin chào bạn\n"
    result = run(["text", "normalize", "--lang", "th", "--thai-digits", "arabic"], "นํ้า ๒๕๖๗\n")
    assert result.stdout == "น้ำ 2567\n"
    result = run(["text", "sentences", "--lang", "id"], "Dia pergi. Saya pulang!\nYa.\n")
    assert result.stdout == "Dia pergi.\nSaya pulang!\nYa.\n"


def test_user_errors_are_one_line(tmp_path):
    one_line_error(run(["text", "segment", "--lang", "xx"], "a\n"), "unsupported language 'xx'")
    one_line_error(run(["text", "segment", "--lang", "th", "--engine", "deepcut"], "a\n"), "nlpo3, newmm")
    one_line_error(run(["text", "normalize", "--lang", "th", str(tmp_path / "missing.txt")]), "missing.txt")
    one_line_error(run(["text", "normalize", "--lang", "th", "--thai-digits", "roman"], "a\n"), "thai_digits")
    one_line_error(run(["text", "segment", "--lang", "th", "--errors", "ignore"], "a\n"), "--errors")


def test_invalid_utf8_strict_and_replace(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("สวัสดี\n".encode() + b"ok \xff\xfe here\n")
    one_line_error(run(["text", "segment", "--lang", "th", str(bad)]), "bad.txt", "line 2", "--errors replace")
    result = run(["text", "segment", "--lang", "th", "--errors", "replace", str(bad)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "สวัสดี"
    assert "replaced invalid UTF-8 in 1 line" in result.stderr


def test_bench_group_without_subcommand_prints_help():
    result = run(["bench"])
    assert result.exit_code == 0 and "segmentation" in result.stdout


@pytest.mark.parametrize("name,content,lang,text", [
    ("gold.label", "สวัสดี|ครับ| |วันนี้|อากาศ|ดี|มาก\n", "th", "สวัสดีครับ วันนี้อากาศดีมาก"),
    ("gold.conllu", ("# text = Apakah dia datang?\n1-2\tApakah\t_\t_\t_\t_\t_\t_\t_\t_\n"
                    "1\tApa\t_\t_\t_\t_\t_\t_\t_\t_\n2\tkah\t_\t_\t_\t_\t_\t_\t_\t_\n"
                    "3\tdia\t_\t_\t_\t_\t_\t_\t_\t_\n4\tdatang\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
                    "5\t?\t_\t_\t_\t_\t_\t_\t_\t_\n\n"), "id", "Apakah dia datang?"),
])
def test_bench_segmentation_json(tmp_path, name, content, lang, text):
    gold = tmp_path / name
    gold.write_text(content, encoding="utf-8")
    out = tmp_path / "out" / "r.json"
    result = run(["bench", "segmentation", "--lang", lang, "--gold", str(gold), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert tuple(data) == RESULT_KEYS
    assert data["lang"] == lang and data["chars"] == len(text)
    assert 0.0 <= data["f1"] <= 1.0 and data["chars_per_s"] > 0
    if lang == "id":
        assert data["f1"] == 1.0  # "Apakah dia datang ?" is exactly what the rules engine cuts


def test_bench_segmentation_errors(tmp_path):
    one_line_error(run(["bench", "segmentation", "--lang", "th", "--gold", str(tmp_path / "nope.label")]), "nope.label")
    broken = tmp_path / "broken.conllu"
    broken.write_text("1\tonly three\tcolumns\n\n", encoding="utf-8")
    one_line_error(run(["bench", "segmentation", "--lang", "id", "--gold", str(broken)]), "broken.conllu", "line 1")
    empty = tmp_path / "empty.label"
    empty.write_text("\n\n", encoding="utf-8")
    one_line_error(run(["bench", "segmentation", "--lang", "th", "--gold", str(empty)]), "no sentences")
    gold = tmp_path / "g.label"
    gold.write_text("ก|ข\n", encoding="utf-8")
    one_line_error(run(["bench", "segmentation", "--lang", "th", "--gold", str(gold), "--engine", "x"]), "nlpo3")
