"""The quickstart's real text ships inside the package: ThaiGov / Wikipedia slices (corpora/<lang>/), FLORES-200
devtest held-out sentences (data/heldout/), each with its source and licence; no held-out sentence is in a corpus."""

import gzip
import json

import pytest

from seapt.pipeline import load_recipe
from seapt.resources import shipped

REAL = {"th": ("thaigov.jsonl.gz", "Public domain"), "vi": ("viwiki.jsonl.gz", "CC BY-SA"),
        "id": ("idwiki.jsonl.gz", "CC BY-SA")}
HELDOUT = ("th", "vi", "id", "en")


def _docs(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def _heldout(lang):
    return shipped("data", "heldout", f"{lang}.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("lang", sorted(REAL))
def test_real_corpus_is_shipped_with_its_source_and_licence(lang):
    name, licence = REAL[lang]
    docs = _docs(shipped("corpora", lang, name))
    assert len(docs) >= 90 and 500_000 <= sum(len(d.encode("utf-8")) for d in docs) <= 3_000_000
    source = shipped("corpora", lang, "SOURCE.md").read_text(encoding="utf-8")
    assert licence in source and name in source and f"{len(docs)} documents" in source
    assert "messy.jsonl.gz" in source and len(_docs(shipped("corpora", lang, "messy.jsonl.gz"))) > 0


def test_heldout_is_flores_devtest_line_aligned_with_its_licence():
    lines = {lang: _heldout(lang) for lang in HELDOUT}
    assert len({len(v) for v in lines.values()}) == 1 and len(lines["th"]) >= 200
    assert all(line.strip() for v in lines.values() for line in v)
    source = shipped("data", "heldout", "SOURCE.md").read_text(encoding="utf-8")
    assert "FLORES-200" in source and "CC BY-SA 4.0" in source
    assert "Attribution-ShareAlike 4.0" in shipped("data", "heldout", "LICENSE-CC-BY-SA").read_text(encoding="utf-8")


def test_no_heldout_sentence_is_in_a_bundled_corpus():
    corpora = shipped("corpora")
    files = sorted(corpora.glob("*/*.jsonl.gz")) + sorted(corpora.glob("*/*.jsonl"))
    text = "\n".join(d for f in files for d in _docs(f))
    assert len(files) >= 7 and len(text) > 2_000_000
    leaked = [s for lang in HELDOUT for s in _heldout(lang) if len(s) >= 20 and s in text]
    assert not leaked, leaked[:3]


def test_english_replay_is_flores_devtest_after_the_heldout_with_its_licence():
    docs = _docs(shipped("corpora", "en", "flores.jsonl.gz"))
    source = shipped("corpora", "en", "SOURCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in source and f"{len(docs)} documents" in source
    assert "Attribution-ShareAlike 4.0" in shipped("corpora", "en", "LICENSE-CC-BY-SA").read_text(encoding="utf-8")
    assert len(docs) >= 100 and not any(s in d for s in _heldout("en") for d in docs)


def test_quickstart_trains_on_the_real_text_and_measures_on_flores():
    cfg = load_recipe(shipped("configs", "quickstart.yaml"))
    for lang, (name, _) in REAL.items():
        inputs = [cfg.resolve(p).resolve() for p in cfg.corpus[lang]["inputs"]]
        assert shipped("corpora", lang, name).resolve() in inputs
        decont = [cfg.resolve(p).resolve() for p in cfg.corpus[lang]["decontaminate"]["paths"]]
        assert decont == [shipped("data", "heldout", f"{lang}.txt").resolve()]
    assert cfg.resolve(cfg.english).resolve() == shipped("corpora", "en", "flores.jsonl.gz").resolve()
    assert cfg.resolve(cfg.tokenizer["english"]).resolve() == shipped("data", "english_reference.txt").resolve()
    suite = cfg.bench["suite"]
    for section in ("bpb", "parity"):
        assert {k: cfg.resolve(v).resolve() for k, v in suite[section].items()} == {
                lang: shipped("data", "heldout", f"{lang}.txt").resolve() for lang in HELDOUT}
    assert suite["bpb_max_bytes"] > 0  # the bench's bits per byte fits the quickstart's time on a byte budget
