"""io helpers: atomic writes, done markers, UTF-8 errors naming file and line, the common text reader."""

import gzip
import json

import pytest

from seapt.errors import DependencyError, InputError, require
from seapt.io import atomic_write_text, is_done, iter_lines, iter_texts, mark_done, read_json, write_json


def test_atomic_write_and_markers(tmp_path):
    p = atomic_write_text(tmp_path / "a" / "b.txt", "สวัสดี")
    assert p.read_text(encoding="utf-8") == "สวัสดี"
    assert not list((tmp_path / "a").glob(".*tmp"))
    assert p.stat().st_mode & 0o044, "atomic writes must be readable by others, not 0600"
    assert not is_done(tmp_path)
    mark_done(tmp_path, {"x": 1})
    assert is_done(tmp_path)
    write_json(tmp_path / "j.json", {"t": "ไทย"})
    assert read_json(tmp_path / "j.json") == {"t": "ไทย"}


def test_invalid_utf8_names_file_and_line(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes("ok\n".encode() + b"\xff\xfe bad\n")
    with pytest.raises(InputError, match=r"bad.txt: line 2 is not valid UTF-8"):
        list(iter_lines(p))
    stats = {}
    lines = list(iter_lines(p, errors="replace", stats=stats))
    assert lines[1].startswith("\ufffd") and stats == {"replaced_lines": 1}


def test_bom_stripped_and_missing_file(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeffhello\r\nworld\n".encode())
    assert list(iter_lines(p)) == ["hello", "world"]
    with pytest.raises(InputError, match="not found"):
        list(iter_lines(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="not found"):
        read_json(tmp_path / "nope.json")


def test_iter_texts_formats(tmp_path):
    (tmp_path / "a.txt").write_text("one\n\ntwo\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "สาม"}) + "\n", encoding="utf-8")
    corpus = tmp_path / "corpus" / "data"
    corpus.mkdir(parents=True)
    with gzip.open(corpus / "00000.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "bốn", "id": "x"}) + "\n")
    assert list(iter_texts(tmp_path / "a.txt")) == ["one", "two"]
    assert list(iter_texts(tmp_path / "b.jsonl")) == ["สาม"]
    assert list(iter_texts(tmp_path / "corpus")) == ["bốn"]
    (tmp_path / "c.jsonl").write_text('{"body": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="no string field 'text'"):
        list(iter_texts(tmp_path / "c.jsonl"))
    (tmp_path / "d.jsonl").write_text("{broken\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1 is not valid JSON"):
        list(iter_texts(tmp_path / "d.jsonl"))


def test_require_names_the_install_command():
    with pytest.raises(DependencyError, match=r"pip install 'seapt\[eval\]'"):
        require("surely_not_a_module_xyz", extra="eval")
