"""seapt.text.badness.is_bad gives ftfy.badness.is_bad's answer on every input (it is only faster)."""

import json
import random
import re
from pathlib import Path

from ftfy.badness import BADNESS_RE
from ftfy.badness import is_bad as ftfy_is_bad

from seapt.text import badness

ROOT = Path(__file__).resolve().parents[1]


def test_the_fast_form_is_built_for_the_installed_ftfy():
    anchored, rest = badness._compiled()
    assert anchored.pattern.startswith("[") and rest is not None and rest.pattern.startswith(r"\A")


def test_same_answers_on_random_strings_of_the_regex_characters():
    alphabet = sorted({c for c in BADNESS_RE.pattern if not c.isspace()} | set("abcxyzABC .,?!\n\t\xa0")
                      | set("ạảấầẩẫậđươăÂÃÀÁกข่"))
    rng = random.Random(0)
    found = 0
    for _ in range(60_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
        expected = ftfy_is_bad(text)
        found += expected
        assert badness.is_bad(text) == expected, text
    assert 0.2 < found / 60_000 < 0.8  # both answers are exercised


def test_same_answers_on_the_bundled_corpora_lines_and_their_mojibake():
    lines = []
    for lang in ("th", "vi", "id", "en"):
        for row in (ROOT / "corpora" / lang / "sample.jsonl").read_text(encoding="utf-8").splitlines()[:120]:
            text = json.loads(row)["text"]
            lines += text.split("\n")
            lines.append(text.encode("utf-8").decode("cp1252", errors="replace")[:300])  # mojibake of it
    assert sum(map(ftfy_is_bad, lines)) > 50
    assert [badness.is_bad(x) for x in lines] == [ftfy_is_bad(x) for x in lines]


def test_a_regex_it_does_not_understand_falls_back_to_ftfy(monkeypatch):
    import ftfy.badness

    badness._compiled.cache_clear()
    monkeypatch.setattr(ftfy.badness, "BADNESS_RE", re.compile("Ã+¡|x"))  # a repeat it cannot anchor
    try:
        assert badness._compiled() is None
        assert badness.is_bad("abc ÃÃ¡") == ftfy_is_bad("abc ÃÃ¡")
    finally:
        badness._compiled.cache_clear()
