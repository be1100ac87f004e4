"""WordPiece extension (BERT-uncased style base trained in-process): pieces, accents, English kept."""

from __future__ import annotations

import pytest
from test_vocab_fixtures import ENGLISH, INDONESIAN, THAI, VIETNAMESE, wordpiece_base, write_corpora
from tokenizers import Tokenizer

from seapt.vocab.config import ExtendConfig
from seapt.vocab.extend import extend_tokenizer


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("wp")
    base = wordpiece_base(root / "base")
    corpora = write_corpora(root / "corpora")
    out = {}
    for keep in (False, True):
        cfg = ExtendConfig(
            base=str(base),
            corpus={lang: str(corpora[lang]) for lang in ("th", "vi", "id")},
            add={"th": 160, "vi": 100, "id": 40},
            output=str(root / f"keep{keep}"),
            keep_accents=keep,
        )
        out[keep] = extend_tokenizer(cfg)
    return {"root": root, "base": base, **out}


def _tok(path):
    return Tokenizer.from_file(str(path / "tokenizer.json"))


@pytest.mark.parametrize("keep", [False, True])
def test_checks_and_base_ids(built, keep):
    info = built[keep]
    assert info["family"] == "wordpiece"
    assert info["checks"]["base_ids_preserved"] and info["checks"]["unreachable"] == 0
    assert info["checks"]["english_identical_rate"] == 1.0
    assert info["accents_kept"] is keep and info["strips_accents"] is (not keep)
    base, new = _tok(built["base"]), _tok(built["root"] / f"keep{keep}")
    nv = new.get_vocab()
    assert all(nv[s] == i for s, i in base.get_vocab().items())
    assert sorted(i for s, i in nv.items() if s not in base.get_vocab()) == list(
        range(info["base_vocab_size"], info["vocab_size"])
    )
    lines = (built["root"] / f"keep{keep}" / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert lines == [s for s, _ in sorted(nv.items(), key=lambda kv: kv[1])]


@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("text", ENGLISH.splitlines(), ids=lambda t: t[:12])
def test_english_ids_unchanged(built, keep, text):
    base, new = _tok(built["base"]), _tok(built["root"] / f"keep{keep}")
    assert new.encode(text).ids == base.encode(text).ids


def test_fewer_tokens_and_no_unk_for_targets(built):
    base, new = _tok(built["base"]), _tok(built["root"] / "keepTrue")
    for text in (THAI, VIETNAMESE, INDONESIAN):
        assert len(new.encode(text).ids) < len(base.encode(text).ids) or "[UNK]" in base.encode(text).tokens
    for line in THAI.splitlines():  # (a whole Thai line is longer than BERT's 100-character word limit)
        assert "[UNK]" not in new.encode(line).tokens
    assert "[UNK]" in base.encode(THAI).tokens


def test_keep_accents_keeps_vietnamese_tones(built):
    stripped, kept = _tok(built["root"] / "keepFalse"), _tok(built["root"] / "keepTrue")
    assert "ệ" not in "".join(stripped.encode("Việt Nam").tokens)
    assert new_text(kept.encode("Việt Nam").tokens) == "việt nam"


def new_text(tokens):
    out = ""
    for t in tokens:
        out += t[2:] if t.startswith("##") else (" " + t if out else t)
    return out


def test_transformers_reload_same_ids(built):
    from transformers import AutoTokenizer

    folder = built["root"] / "keepTrue"
    hf = AutoTokenizer.from_pretrained(str(folder))
    new = _tok(folder)
    for text in (THAI, VIETNAMESE, INDONESIAN, ENGLISH):
        assert hf.encode(text, add_special_tokens=False) == new.encode(text, add_special_tokens=False).ids


def test_base_padding_and_truncation_are_carried_over_but_not_counted(tmp_path):
    import json

    base = wordpiece_base(tmp_path / "base")
    tj = json.loads((base / "tokenizer.json").read_text(encoding="utf-8"))
    tok = Tokenizer.from_str(json.dumps(tj))
    tok.enable_padding(length=64, pad_id=0, pad_token="[PAD]")  # as MiniLM ships it
    tok.enable_truncation(max_length=64)
    tok.save(str(base / "tokenizer.json"))
    corpora = write_corpora(tmp_path / "c")
    info = extend_tokenizer(ExtendConfig(base=str(base), corpus={"vi": str(corpora["vi"])}, add={"vi": 80},
                                         output=str(tmp_path / "out"), keep_accents=True))
    assert info["checks"]["unreachable"] == 0 and info["checks"]["english_identical_rate"] == 1.0
    saved = json.loads((tmp_path / "out" / "tokenizer.json").read_text(encoding="utf-8"))
    assert saved["padding"]["strategy"] == {"Fixed": 64} and saved["truncation"]["max_length"] == 64
