"""Burmese web text in the Zawgyi font encoding: `seapt corpus prepare --lang my` counts, per document, those
detected (myanmartools) and those converted to Unicode (ICU's Zawgyi-my) in stats.json and its summary."""

import json
from pathlib import Path

import pytest
from datatrove.data import Document

from seapt.corpus.clean import Normalize
from seapt.corpus.config import load_corpus_config
from seapt.corpus.prepare import prepare_corpus
from seapt.languages import LANGUAGES
from seapt.languages import my as burmese
from test_corpus_prepare import read_dir
from test_languages_sea import UNICODE, ZAWGYI

pytest.importorskip("myanmartools")
# two real Unicode Burmese documents (FLORES-200 devtest, CC BY-SA 4.0: tests/data/SOURCE.md)
FLORES_MY = [json.loads(x)["lines"] for x in (Path(__file__).parent / "data" / "flores_devtest_first6.jsonl")
             .read_text(encoding="utf-8").splitlines() if json.loads(x)["lang"] == "my"][0]


def _normalize(texts):
    step = Normalize("my")
    out = list(step.run(Document(text=t, id=str(i), metadata={}) for i, t in enumerate(texts)))
    counts = {k: v.total for k, v in step.stats.stats.items() if k.startswith("legacy_")}
    return out, counts


def test_zawgyi_documents_are_counted_and_converted():
    pytest.importorskip("icu")
    docs = [ZAWGYI + "\n" + UNICODE, UNICODE, FLORES_MY[0], "An English line."]
    out, counts = _normalize(docs)
    assert counts == {"legacy_zawgyi_detected": 1, "legacy_zawgyi_converted": 1}
    assert out[0].text == UNICODE + "\n" + UNICODE and out[0].metadata["converted_from"] == "zawgyi"
    assert all("converted_from" not in d.metadata for d in out[1:])


def test_without_the_converter_zawgyi_is_counted_kept_and_hinted(monkeypatch):
    monkeypatch.setattr(burmese, "_converter", lambda: None)  # PyICU missing: _converter warns once, returns None
    out, counts = _normalize([ZAWGYI, UNICODE])
    assert counts == {"legacy_zawgyi_detected": 1}
    assert out[0].text == ZAWGYI and "converted_from" not in out[0].metadata


def test_the_missing_converter_hint_is_one_line(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_icu(name, *args, **kw):
        if name == "icu":
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_icu)
    burmese._converter.cache_clear()
    try:
        with pytest.warns(UserWarning) as record:
            assert burmese.zawgyi_to_unicode(ZAWGYI) == ZAWGYI
        (hint,) = [str(w.message) for w in record]
        assert "\n" not in hint and "pip install 'seapt[my]'" in hint
    finally:
        burmese._converter.cache_clear()


def test_prepare_writes_zawgyi_counts_into_stats_json(tmp_path):
    pytest.importorskip("icu")
    rows = [{"id": "zawgyi", "text": ZAWGYI + "\n" + "\n".join(FLORES_MY[:3])},
            {"id": "unicode", "text": " ".join(FLORES_MY[3:])}]
    inp = tmp_path / "my.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    stats = prepare_corpus(load_corpus_config("my", inputs=[str(inp)], output=str(tmp_path / "out"), progress=False))
    assert stats["encodings"] == {"zawgyi": {"detected": 1, "converted": 1}}
    written = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))
    assert written["encodings"] == stats["encodings"]
    kept = {r["id"]: r for r in read_dir(tmp_path / "out", "data")}
    assert UNICODE in kept["zawgyi"]["text"] and ZAWGYI not in kept["zawgyi"]["text"]
    assert kept["zawgyi"]["meta"]["converted_from"] == "zawgyi"


def test_languages_without_a_legacy_encoding_report_none(tmp_path):
    from test_corpus_steps import make_doc

    lang = "th"
    assert LANGUAGES[lang].legacy_encoding is None
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "a", "text": make_doc("th", 1)}, ensure_ascii=False) + "\n", encoding="utf-8")
    stats = prepare_corpus(load_corpus_config(lang, inputs=[str(inp)], output=str(tmp_path / "o"), progress=False))
    assert stats["encodings"] == {}


def test_the_summary_line_names_the_counts(capsys):
    from seapt.cli.corpus import _summary

    _summary({"lang": "my", "read": 3, "kept": 2, "dropped": {"too_few_words": 1}, "bytes_in": 900,
              "bytes_out": 600, "seconds": 1.0, "pii": {}, "encodings": {"zawgyi": {"detected": 2, "converted": 1}}})
    assert "Zawgyi documents: 2 detected, 1 converted" in " ".join(capsys.readouterr().out.split())
