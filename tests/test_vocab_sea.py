"""Extension for Lao, Khmer, Burmese: merges aligned to characters, phrase spaces restored for counting."""

from __future__ import annotations

import pytest
from test_vocab_fixtures import bytelevel_base
from tokenizers import Tokenizer
from transformers.convert_slow_tokenizer import bytes_to_unicode

from seapt.errors import ConfigError
from seapt.languages import get as get_language
from seapt.vocab.bytelevel import ByteLevelFamily, char_part, token_bytes
from seapt.vocab.config import ExtendConfig
from seapt.vocab.extend import extend_tokenizer
from seapt.vocab.sources import restore_phrase_spaces

TABLE = bytes_to_unicode()


def bl(raw: bytes) -> str:
    """The byte-level alphabet string of raw bytes (b" \\xe0" -> "Ġà")."""
    return "".join(TABLE[b] for b in raw)


KA, SARA = "ກ".encode(), "ັ".encode()  # Lao KO (E0 BA 81), MAI KAN (a mark)


@pytest.mark.parametrize(
    "raw, part",
    [
        (KA[:1], True),  # the head of a character
        (KA[:2], True),
        (KA[1:], True),  # its tail
        (b" " + KA[:2], True),  # a space then a head: the step after a base "Ġà"
        (KA + KA[:1], False),  # a whole character and the head of the next
        (KA[2:] + KA[:1], False),  # the tail of one and the head of the next
        (b" " + KA[1:], False),
        (b"a", False),
    ],
)
def test_char_part(raw, part):
    assert char_part(raw) is part


@pytest.mark.parametrize(
    "a, b, ok",
    [
        (KA[:1], KA[1:], True),  # builds one character
        (KA, SARA, True),  # whole characters
        (b" " + KA[:1], KA[1:2], True),
        (KA + SARA, KA[:1], False),  # a whole character glued to a bare head
        (KA[2:], KA[:2], False),  # a bare tail glued to the next head
        ("ក".encode(), "្".encode() + "ន".encode()[:2], True),  # continues a base coeng + head token
        ("ធ".encode()[:2], "ធ".encode()[2:] + "ា".encode()[:2], True),  # a base token crossing a boundary
    ],
)
def test_merges_stay_aligned_to_characters(a, b, ok):
    assert bool(ByteLevelFamily.aligned(None, bl(a), bl(b))) is ok


@pytest.mark.parametrize("lang", ["lo", "km", "my"])
def test_phrase_spaces_restored_only_where_the_corpus_lost_them(lang):
    sample = get_language(lang).sample
    joined = [sample.replace(" ", "")] * 20
    restored = restore_phrase_spaces(joined, lang, 0.5)
    assert restored != joined and [t.replace(" ", "") for t in restored] == joined
    assert all(not t.startswith(" ") for t in restored)
    assert restore_phrase_spaces(joined, lang, 0.0) == joined
    spaced = [sample] * 20  # real text with its phrase spaces stays as it is
    assert restore_phrase_spaces(spaced, lang, 0.5) == spaced


def test_phrase_spaces_must_be_a_share():
    with pytest.raises(ConfigError, match="phrase_spaces"):
        ExtendConfig(phrase_spaces=1.5)


def _extend(tmp_path, **kw):
    base = bytelevel_base(tmp_path / "base")
    corpus = tmp_path / "lo.txt"
    text = get_language("lo").sample.replace(" ", "")
    corpus.write_text((text + "\n") * 40, encoding="utf-8")
    out = tmp_path / f"out{len(kw)}"
    cfg = ExtendConfig(base=str(base), corpus={"lo": str(corpus)}, add={"lo": 150}, output=str(out), **kw)
    return extend_tokenizer(cfg, progress=False), Tokenizer.from_file(str(out / "tokenizer.json"))


def test_lao_tokens_are_whole_characters_or_steps_to_one(tmp_path):
    info, _ = _extend(tmp_path)
    for t in info["new_tokens"]:
        raw = token_bytes(t["token"])
        assert char_part(raw) or raw.decode("utf-8", errors="replace") == t["text"], t["text"]


def test_space_before_a_lao_phrase_learned_from_a_corpus_without_spaces(tmp_path):
    spaced, tok = _extend(tmp_path)
    plain, plain_tok = _extend(tmp_path, phrase_spaces=0.0)
    assert any(t["text"].startswith(" ") for t in spaced["new_tokens"])
    assert not any(t["text"].startswith(" ") for t in plain["new_tokens"])
    phrase = " " + get_language("lo").sample.split()[1]
    assert len(tok.encode(phrase).ids) < len(plain_tok.encode(phrase).ids)


def test_latin_tokens_never_glue_letters_to_punctuation(tmp_path):
    """A SentencePiece base keeps "team." as one word: a Malay corpus quoting English must not teach it
    "team." or "ing," (English would encode differently)."""
    from test_vocab_fixtures import sentencepiece_base

    from seapt.vocab.extend import _LATIN_WORDS

    base = sentencepiece_base(tmp_path / "base")
    corpus = tmp_path / "ms.txt"
    lines = ["Pasukan itu menang, kata jurulatih team. Mereka sedang training, bukan bermain.",
             "Kerajaan negeri akan memastikan semua sekolah dibuka semula, kata menteri itu semalam."]
    corpus.write_text("\n".join(lines * 12) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    info = extend_tokenizer(ExtendConfig(base=str(base), corpus={"ms": str(corpus)}, add={"ms": 120},
                                         output=str(out)), progress=False)
    texts = [t["text"].replace("\u2581", " ").strip() for t in info["new_tokens"]]
    assert texts and all(_LATIN_WORDS.fullmatch(t) for t in texts if any(c.isalpha() for c in t))
    english = "The team was training, not playing."
    new, old = Tokenizer.from_file(str(out / "tokenizer.json")), Tokenizer.from_file(str(base / "tokenizer.json"))
    assert new.encode(english).ids == old.encode(english).ids
