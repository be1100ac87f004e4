"""Every target language's shipped corpus config, on real text with planted junk: real documents kept, junk
dropped with a reason (parametrised over the registry, so a new language is tested by adding its module, its
configs/corpus/<code>.yaml and its six FLORES lines in tests/data)."""

import json
from pathlib import Path

import pytest
from datatrove.data import Document

from seapt.corpus.config import load_corpus_config
from seapt.corpus.filters import LanguageFilter, QualityFilter
from seapt.languages import TARGETS

REAL = {r["lang"]: r["lines"] for r in map(json.loads, (Path(__file__).parent / "data" / "flores_devtest_first6.jsonl")
                                          .read_text(encoding="utf-8").splitlines())}
# a language a careless filter would let through: the same script, or the closest relative
NEIGHBOUR = {"th": "lo", "vi": "id", "id": "vi", "lo": "th", "km": "th", "my": "km", "ms": "id", "fil": "ms"}
BOILERPLATE = "\n".join(["Home | News | Sport | Contact", "Share on Facebook", "Login | Register",
                         "This website uses cookies to improve your experience. Accept", "Read more",
                         "Copyright © 2024 All rights reserved."])


def _filters(lang: str):
    cfg = load_corpus_config(lang)
    li = cfg.langid
    return (LanguageFilter(lang, li.min_script_share, li.use_lingua, tuple(li.candidates), li.allow_malay,
                           li.min_confidence, li.sample_chars), QualityFilter(lang, cfg.quality))


def _verdict(lang: str, text: str) -> str | None:
    """None when both filters keep ``text``, else the first drop reason."""
    doc = Document(text=text, id="x", metadata={})
    for step in _filters(lang):
        out = step.filter(doc)
        if out is not True:
            return out[1]
    return None


def _spacer(lang: str) -> str:
    from seapt.languages import get

    return " " if get(lang).spaces_between_words else ""


@pytest.mark.parametrize("lang", TARGETS)
def test_every_target_ships_a_calibrated_corpus_config(lang):
    cfg = load_corpus_config(lang)
    assert cfg.lang == lang and lang in REAL, "add the language's six FLORES lines to tests/data"


@pytest.mark.parametrize("lang", TARGETS)
def test_real_documents_are_kept(lang):
    lines = REAL[lang]
    docs = [_spacer(lang).join(lines[:3]), _spacer(lang).join(lines[3:]), "\n".join(lines)]
    assert [_verdict(lang, d) for d in docs] == [None, None, None]


@pytest.mark.parametrize("lang", TARGETS)
def test_planted_junk_is_dropped_with_its_reason(lang):
    import random

    rng = random.Random(0)
    real = "\n".join(REAL[lang])
    keywords = _spacer(lang).join(REAL[lang][0].split()[:4]) if _spacer(lang) else REAL[lang][0][:24]
    spam = (keywords + " ") * 40
    lost = "".join(c if rng.random() > 0.05 else "\ufffd" for c in real.replace(" ", "\u00a0")
                   .encode("utf-8").decode("cp1252", errors="replace"))
    verdicts = {
        "boilerplate": _verdict(lang, BOILERPLATE),
        "english": _verdict(lang, " ".join(REAL["en"])),
        "neighbour": _verdict(lang, _spacer(NEIGHBOUR[lang]).join(REAL[NEIGHBOUR[lang]])),
        "keyword_spam": _verdict(lang, spam),
        "mojibake": _verdict(lang, lost),
    }
    assert all(verdicts.values()), verdicts
    assert verdicts["english"] in ("wrong_language", "wrong_script")
    assert verdicts["neighbour"] in ("wrong_language", "wrong_script")
    assert verdicts["keyword_spam"] in ("top_ngram", "duplicate_ngrams")


@pytest.mark.parametrize("lang", TARGETS)
def test_a_doubled_real_document_is_repaired_and_kept(lang):
    from seapt.corpus.clean import Clean

    cfg = load_corpus_config(lang)
    real = "\n".join(REAL[lang])
    clean = Clean(doubled_min_share=cfg.clean.doubled_min_share)
    assert _verdict(lang, real + "\n" + real) in ("duplicate_lines", "duplicate_line_chars")  # unrepaired: dropped
    single = REAL[lang][0] + "\n" + real  # a headline, then the article
    (out,) = clean.run([Document(text=single + "\n" + real, id="x", metadata={})])
    (same,) = clean.run([Document(text=single, id="y", metadata={})])  # a real document is not repaired
    assert out.text == same.text and out.metadata["repaired"] == "doubled_text" and "repaired" not in same.metadata
    assert _verdict(lang, out.text) is None


def test_indonesian_documents_are_not_kept_as_malay():
    indonesian = ("Pemerintah provinsi akan membangun jalan baru karena warga desa selama ini kesulitan menjual hasil "
                  "panen ke pasar kota, kata gubernur dalam rapat hari Senin. Menurut dia, proyek itu bisa selesai "
                  "tahun depan jika anggaran dari pemerintah pusat sudah cair.")
    assert _verdict("ms", indonesian) == "wrong_language"
    assert _verdict("id", indonesian) is None


def test_taglish_stays_filipino():
    # UD Tagalog-NewsCrawl (CC BY-SA 4.0): Tagalog with English phrases
    taglish = ["Dahil kapwa sila Kapamilya ay hindi rin daw maiiwasan na magkakatrabaho sila in the future.",
               "May live band music dito gabi-gabi.",
               "Nilinaw ni Agra na ang proposed increase na P6 ay para sa mga empleyado."]
    assert [_verdict("fil", t) for t in taglish] == [None, None, None]


@pytest.mark.parametrize("min_chars, dropped", [(1, True), (3, False)])
def test_one_lost_character_drops_a_sentence_only_when_configured(min_chars, dropped):
    from seapt.corpus.config import QualityConfig

    sentence = "Madalas ko pong binabasa ang inyong c\ufffdlumn tuwing umaga bago ako pumasok sa opisina."
    step = QualityFilter("fil", QualityConfig(min_words=5, min_stop_words=1, min_mojibake_chars=min_chars))
    assert (step.filter(Document(text=sentence, id="x", metadata={})) is not True) == dropped


def test_min_mojibake_chars_is_validated():
    from seapt.errors import ConfigError

    with pytest.raises(ConfigError, match="min_mojibake_chars"):
        load_corpus_config("fil", overrides=["quality.min_mojibake_chars=0"])
