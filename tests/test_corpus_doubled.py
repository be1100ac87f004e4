"""Scraper-doubled documents: the second copy is removed (counted as a repair), ordinary repeats are left alone."""

import json

import pytest

from seapt.corpus.config import load_corpus_config
from seapt.corpus.doubled import longest_repeat, undouble
from seapt.corpus.prepare import prepare_corpus
from test_corpus_prepare import read_dir

TITLE = "Government opens a new bridge over the river"
BODY = ("The bridge links the two halves of the city and took three years to build.\n"
        "Officials said traffic in the old town would fall by a third within a year.\n"
        "Residents welcomed the opening but asked for more buses on the new route.")
RELATED = "Read next: prices of rice rise again"


def test_a_body_written_twice_and_glued_keeps_one_copy():
    # km_news_phylypo's shape: title, title glued to the body, the body again glued to the end of the first
    text = TITLE + "\n" + TITLE + BODY + "\n" + RELATED + BODY + "\n" + RELATED
    out, removed = undouble(text, 0.3)
    assert out == TITLE + "\n" + TITLE + BODY + "\n" + RELATED
    assert removed == len(text) - len(out)


def test_a_body_repeated_after_a_line_break_keeps_one_copy():
    out, removed = undouble(TITLE + "\n" + BODY + "\n" + BODY, 0.3)
    assert out == TITLE + "\n" + BODY and removed == len(BODY) + 1


def test_a_text_written_three_times_keeps_one_copy():
    assert undouble("\n".join([BODY] * 3), 0.3)[0] == BODY


@pytest.mark.parametrize("text", [
    TITLE + "\n" + BODY + "\n" + BODY.splitlines()[0],  # one quoted line again: 21% of the characters
    BODY + "\nChorus: we walk along the river all night long\n" + BODY.splitlines()[1]
    + "\nChorus: we walk along the river all night long",  # a repeated refrain
    TITLE + "\n" + BODY,  # nothing repeated
    "short\nshort",  # lines under 20 characters never seed a repeat
])
def test_repeats_under_the_share_are_left_alone(text):
    assert undouble(text, 0.3) == (text, 0)


def test_share_zero_turns_the_repair_off():
    text = BODY + "\n" + BODY
    assert undouble(text, 0.0) == (text, 0)
    assert undouble(text, 0.45)[0] == BODY  # an exact doubling is about half of the text


def test_longest_repeat_finds_the_glued_copy():
    text = "x" * 5 + BODY + BODY
    a, b, n = longest_repeat(text)
    assert (a, b, n) == (5, 5 + len(BODY), len(BODY))


def test_doubled_min_share_is_validated():
    from seapt.errors import ConfigError

    with pytest.raises(ConfigError, match="doubled_min_share"):
        load_corpus_config("km", overrides=["clean.doubled_min_share=0.6"])


def test_prepare_repairs_a_doubled_document_and_counts_it(tmp_path):
    from test_corpus_steps import make_doc

    single, other = make_doc("id", 1), make_doc("id", 2)
    rows = [{"id": "doubled", "text": single + "\n" + single}, {"id": "other", "text": other}]
    inp = tmp_path / "id.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    stats = prepare_corpus(load_corpus_config("id", inputs=[str(inp)], output=str(tmp_path / "out"), progress=False,
                                              overrides=["langid.use_lingua=false"]))
    assert stats["repaired"] == {"doubled_text": 1} and stats["kept"] == 2
    kept = {r["id"]: r for r in read_dir(tmp_path / "out", "data")}
    assert kept["doubled"]["text"] == single and kept["doubled"]["meta"]["repaired"] == "doubled_text"
    assert "repaired" not in kept["other"]["meta"]


def test_the_summary_line_names_the_repairs(capsys):
    from seapt.cli.corpus import _summary

    _summary({"lang": "km", "read": 3, "kept": 3, "dropped": {}, "bytes_in": 900, "bytes_out": 600, "seconds": 1.0,
              "pii": {}, "repaired": {"doubled_text": 2}})
    assert "repaired (doubled text): 2" in " ".join(capsys.readouterr().out.split())
