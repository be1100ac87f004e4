"""seapt's fast path of khmer-nltk's and pyidaungsu's CRF segmenters: the packages' words, defaults, fallbacks."""

import importlib
import json
import random
import sys
from pathlib import Path

import pytest

from seapt.errors import DependencyError, InputError
from seapt.languages import get
from seapt.text import crf_khmer, script_segment
from seapt.text.crf_model import CrfModel, viterbi, viterbi2
from seapt.text.segment import engines, resolve_engine, segment, segment_batch

SEG = importlib.import_module("seapt.text.segment")
FLORES = Path(__file__).parent / "data" / "flores_devtest_first6.jsonl"
GOLD = {"km": "km_khpos/train6.filtered.word", "my": "my_mypos/mypos-dver.1.0.word.filtered.txt"}
ENGINE = {"km": "khmernltk", "my": "pyidaungsu"}
SENTENCES = 100  # per gold file: the package's own function takes ~10 ms a sentence


def _flores(lang: str) -> list[str]:
    for line in FLORES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["lang"] == lang:
            return row["lines"]
    raise AssertionError(lang)


def _real_sentences(lang: str, shared: Path | None) -> list[str]:
    """FLORES lines, and where ../shared/data is present gold sentences as raw text (words joined) and as
    written in the gold file (spaces between words; Khmer's _ and ~ marks kept: any text must match)."""
    texts = _flores(lang)
    if shared is not None:
        lines = [x for x in (shared / "segmentation" / GOLD[lang]).read_text(encoding="utf-8").splitlines() if x]
        texts += ["".join(x.split()) for x in lines[:SENTENCES]] + lines[SENTENCES : 2 * SENTENCES]
    return texts


@pytest.fixture
def shared_or_none():
    path = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    return path if path.is_dir() else None


def test_khmer_fast_path_gives_khmer_nltks_words(shared_or_none):
    pytest.importorskip("khmernltk")
    package = script_segment.package_function("khmernltk")
    texts = _real_sentences("km", shared_or_none) + ["", "  abc 123 ១២៣ ?? ,.x៛ ", " \u200bស្ត្រី\u200b\u200b ok\n",
                                                     "ងងុយគេង", "សង្កាត់ ចោមចៅ com"]
    expected = [package(t) for t in texts]
    assert crf_khmer.words_batch(texts) == expected
    assert [crf_khmer.words_batch([t])[0] for t in texts[:20]] == expected[:20]  # batch size does not matter
    short = ["ក", "មួយ", "ការងារ", "ក្រសួង", "ជាការ"]  # batches of 1 to 4 clusters
    assert [crf_khmer.words_batch([t])[0] for t in short] == [package(t) for t in short]


def test_burmese_fast_path_gives_pyidaungsus_words(shared_or_none):
    pytest.importorskip("pyidaungsu")
    pytest.importorskip("fasttext")  # the package's own function imports it
    from seapt.text import crf_burmese

    package = script_segment.package_function("pyidaungsu")
    texts = _real_sentences("my", shared_or_none) + ["", " ၂၀၂၄ ခုနှစ် abc\tမြန်မာ ", "။"]
    assert crf_burmese.words_batch(texts) == [package(t) for t in texts]
    short = ["က", "ကို", "သည်", "နိုင်ငံ", "မြန်မာ"]  # batches of 1 to 6 characters
    assert [crf_burmese.words_batch([t])[0] for t in short] == [package(t) for t in short]


@pytest.mark.parametrize("lang", ["km", "my"])
def test_segment_with_the_fast_path_equals_the_package_run_by_run(lang, shared_or_none):
    pytest.importorskip(get(lang).engine_packages[ENGINE[lang]])
    if lang == "my":
        pytest.importorskip("fasttext")
    from seapt.text.segment import _rules

    texts = _real_sentences(lang, shared_or_none)
    fast = segment_batch(texts, lang, ENGINE[lang])
    assert fast == script_segment.segment_runs(texts, lang, ENGINE[lang], _rules, reference=True)
    for text, words in zip(texts, fast):  # seapt's contract: the words spell the text without whitespace
        assert "".join(words) == "".join(text.replace("\u200b", " ").split())


def test_crfsuite_reader_tags_like_pycrfsuite():
    pycrfsuite = pytest.importorskip("pycrfsuite")
    pytest.importorskip("pyidaungsu")
    from seapt.text.crf_burmese import model_path

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path()))
    model = CrfModel.from_bytes(model_path().read_bytes())
    assert set(model.labels) == set(tagger.labels())
    rng = random.Random(0)
    names = list(model.weights)
    for text in _flores("my"):
        items = [rng.sample(names, 12) + ["unknown attribute", f"char={c}"] for c in text]
        assert model.tag(items) == tagger.tag(items)


def test_crfsuite_reader_rejects_other_files():
    with pytest.raises(InputError, match="not a CRFsuite"):
        CrfModel.from_bytes(b"PK\x03\x04 a zip file, not a model")


def test_two_label_viterbi_equals_the_general_one():
    rng = random.Random(1)
    for n in (0, 1, 2, 7, 50):
        s0 = [rng.choice([rng.uniform(-3, 3), 0.5]) for _ in range(n)]  # ties included
        s1 = [rng.choice([rng.uniform(-3, 3), 0.5]) for _ in range(n)]
        trans = ((rng.uniform(-1, 1), 0.25), (0.25, rng.uniform(-1, 1)))
        assert viterbi2(s0, s1, trans) == viterbi([[a, b] for a, b in zip(s0, s1)], trans)


def test_batch_viterbi_equals_one_sequence_at_a_time():
    import numpy as np

    from seapt.text.crf_model import viterbi2_batch

    rng = random.Random(2)
    for _ in range(100):
        lengths = [rng.choice([0, 1, 2, 3, 8, 30, 70]) for _ in range(rng.randint(0, 10))]
        s0 = [rng.choice([rng.uniform(-3, 3), 0.5]) for _ in range(sum(lengths))]
        s1 = [rng.choice([rng.uniform(-3, 3), 0.5]) for _ in range(sum(lengths))]
        trans = ((rng.uniform(-1, 1), 0.25), (0.25, rng.uniform(-1, 1)))
        expected, start = [], 0
        for n in lengths:
            expected += viterbi2(s0[start : start + n], s1[start : start + n], trans)
            start += n
        longest = rng.choice([5, 512])  # sequences longer than this are decoded one by one
        together = rng.choice([1, 32])  # fewer sequences than this: all one by one
        assert viterbi2_batch(np.array(s0), np.array(s1), lengths, trans, longest, together).tolist() == expected


def test_khmer_and_burmese_default_to_the_crf_engines():
    assert engines("km")[0] == "khmernltk" and engines("my")[0] == "pyidaungsu"
    assert engines("lo")[0] == "icu"  # measured best for Lao
    for lang in ("km", "my"):
        assert get(lang).corpus_engine == "icu"  # the corpus pipeline counts words with the fast engine
        if SEG._importable(get(lang).engine_packages[ENGINE[lang]]):
            assert resolve_engine(lang, None) == ENGINE[lang]


@pytest.mark.parametrize("lang, module, hint", [("km", "khmernltk", r"seapt\[km\]"),
                                                ("my", "pyidaungsu", "--no-deps pyidaungsu")])
def test_missing_package_falls_back_to_icu_with_a_hint(monkeypatch, lang, module, hint):
    pytest.importorskip("icu")
    SEG._importable.cache_clear()
    monkeypatch.setitem(sys.modules, module, None)  # import fails, as when the package is not installed
    try:
        hinted = rf"{ENGINE[lang]} is not installed \(pip install .*{hint}.*the icu engine"
        with pytest.warns(UserWarning, match=hinted):
            assert resolve_engine(lang, None) == "icu"
        with pytest.warns(UserWarning, match="is not installed"):
            words = segment(get(lang).sample, lang)
        assert words == segment(get(lang).sample, lang, "icu")
    finally:
        SEG._importable.cache_clear()


def test_burmese_fast_path_needs_no_fasttext(monkeypatch):
    pytest.importorskip("pyidaungsu")
    monkeypatch.setitem(sys.modules, "fasttext", None)
    monkeypatch.delitem(sys.modules, "pyidaungsu", raising=False)
    assert len(segment(get("my").sample, "my", "pyidaungsu")) > 3
    assert "pyidaungsu" not in sys.modules  # only its model file was read


def test_missing_models_are_one_line_dependency_errors(monkeypatch):
    from seapt.text import crf_burmese

    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(DependencyError, match="--no-deps pyidaungsu"):
        crf_burmese.model_path()
    monkeypatch.setitem(sys.modules, "khmernltk.word_tokenize", None)
    with pytest.raises(DependencyError, match=r"seapt\[km\]"):
        crf_khmer.model_bytes()


def test_batches_are_bounded_and_keep_every_text_in_order():
    from seapt.text.crf_features import batches

    texts = ["ab", "cde", "f", "ghijklmn", "", "o"]
    parts = list(batches(texts, 4))
    assert parts == [["ab"], ["cde", "f"], ["ghijklmn"], ["", "o"]]
    assert list(batches([], 4)) == []


@pytest.mark.parametrize("missing, default", [((), "khmernltk"), (("khmernltk",), "icu"),
                                              (("khmernltk", "icu"), "syllable")])
def test_languages_table_shows_the_engine_actually_used(monkeypatch, missing, default):
    from seapt.languages import report

    monkeypatch.setattr(report, "_installed", lambda module: module not in missing)
    row = next(r for r in report.language_rows() if r["code"] == "km")
    assert row["default_engine"] == default
    assert list(row["engines"]) == ["khmernltk", "icu", "syllable"]
