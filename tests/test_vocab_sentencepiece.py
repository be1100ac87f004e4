"""SentencePiece-BPE extension (byte-fallback base trained with sentencepiece in-process): tokenizer.json and
tokenizer.model grow together and agree; DESIGN.md invariant 2."""

from __future__ import annotations

import pytest
from test_vocab_fixtures import ENGLISH, INDONESIAN, THAI, VIETNAMESE, sentencepiece_base, write_corpora
from tokenizers import Tokenizer

from seapt.vocab.config import ExtendConfig
from seapt.vocab.extend import extend_tokenizer

CODE = 'def f(x):\n    return {"a": x ** 2}  # ok'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("sp")
    base = sentencepiece_base(root / "base")
    corpora = write_corpora(root / "corpora")
    out = {}
    for name, langs, budgets in (("th", ["th"], [120]), ("multi", ["th", "vi", "id"], [120, 40, 40])):
        cfg = ExtendConfig(
            base=str(base),
            corpus={lang: str(corpora[lang]) for lang in langs},
            add=dict(zip(langs, budgets)),
            output=str(root / name),
            segment=False,
        )
        out[name] = extend_tokenizer(cfg)
    return {"root": root, "base": base, **out}


def _tok(path):
    return Tokenizer.from_file(str(path / "tokenizer.json"))


def test_extension_json_and_checks(built):
    for name in ("th", "multi"):
        info = built[name]
        assert info["family"] == "sentencepiece-bpe"
        assert info["vocab_size"] == info["base_vocab_size"] + sum(info["added"].values())
        checks = info["checks"]
        assert checks["base_ids_preserved"] and checks["unreachable"] == 0
        assert checks["roundtrip_rate"] == 1.0 and checks["english_identical_rate"] == 1.0
        assert checks["sentencepiece_agreement"] == 1.0


def test_missing_thai_characters_become_single_tokens(built):
    base, new = _tok(built["base"]), _tok(built["root"] / "th")
    assert (
        base.encode("ก", add_special_tokens=False).tokens[-1].startswith("<0x")
    )  # byte fallback in the base
    assert any(len(t["token"]) == 1 and t["token"] == "ก" for t in built["th"]["new_tokens"])
    for line in THAI.splitlines():
        assert "<0x" not in "".join(new.encode(line, add_special_tokens=False).tokens)
    assert len(new.encode(THAI).ids) < 0.4 * len(base.encode(THAI).ids)


@pytest.mark.parametrize("name", ["th", "multi"])
def test_base_ids_kept(built, name):
    base, new = _tok(built["base"]), _tok(built["root"] / name)
    nv = new.get_vocab(with_added_tokens=True)
    assert all(nv[s] == i for s, i in base.get_vocab(with_added_tokens=True).items())


@pytest.mark.parametrize("text", ENGLISH.splitlines() + [CODE, VIETNAMESE, INDONESIAN], ids=lambda t: t[:12])
def test_non_thai_text_unchanged_by_thai_extension(built, text):
    base, new = _tok(built["base"]), _tok(built["root"] / "th")
    assert new.encode(text).ids == base.encode(text).ids


@pytest.mark.parametrize("text", ENGLISH.splitlines() + [CODE], ids=lambda t: t[:12])
def test_english_unchanged_by_multilingual_extension(built, text):
    base, new = _tok(built["base"]), _tok(built["root"] / "multi")
    assert new.encode(text).ids == base.encode(text).ids


@pytest.mark.parametrize(
    "text", [THAI, VIETNAMESE, INDONESIAN, ENGLISH, CODE], ids=["th", "vi", "id", "en", "code"]
)
def test_roundtrip_and_model_file_agree(built, text):
    import sentencepiece as spm

    folder = built["root"] / "multi"
    new = _tok(folder)
    sp = spm.SentencePieceProcessor(model_file=str(folder / "tokenizer.model"))
    base_sp = spm.SentencePieceProcessor(model_file=str(built["base"] / "tokenizer.model"))
    base = _tok(built["base"])
    assert sp.get_piece_size() == new.get_vocab_size(with_added_tokens=True)
    compared = 0
    for line in text.splitlines():
        ids = new.encode(line, add_special_tokens=False).ids
        base_ids = base.encode(line, add_special_tokens=False).ids
        if base.decode(base_ids) == line:  # round-trip wherever the base round-trips
            assert new.decode(ids) == line
        if (
            base_sp.encode(line) == base.encode(line, add_special_tokens=False).ids
        ):  # the base's own files agree
            assert sp.encode(line) == ids
            compared += 1
    assert compared >= len(text.splitlines()) // 2


def test_model_scores_below_base_in_order(built):
    from sentencepiece import sentencepiece_model_pb2 as pb

    base = pb.ModelProto()
    base.ParseFromString((built["base"] / "tokenizer.model").read_bytes())
    new = pb.ModelProto()
    new.ParseFromString((built["root"] / "multi" / "tokenizer.model").read_bytes())
    n = len(base.pieces)
    assert [p.piece for p in new.pieces[:n]] == [p.piece for p in base.pieces]
    scores = [p.score for p in new.pieces[n:]]
    assert max(scores) < min(p.score for p in base.pieces)
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_transformers_reload_same_ids(built):
    from transformers import AutoTokenizer

    folder = built["root"] / "multi"
    hf = AutoTokenizer.from_pretrained(str(folder))
    new = _tok(folder)
    for text in (THAI, VIETNAMESE, INDONESIAN, ENGLISH):
        assert hf.encode(text) == new.encode(text).ids
