"""seapt.model.pieces: a new token's base tokenisation, for byte-level, SentencePiece-style and WordPiece."""

from __future__ import annotations

import pytest
from test_model_tiny import ENGLISH, THAI, byte_level_pair, wordpiece_pair
from transformers import AutoTokenizer

from seapt.model.pieces import BasePieces, byte_decoder, token_bytes


def _encoder():
    return {b: c for c, b in byte_decoder().items()}


def _alphabet(text_or_bytes) -> str:
    raw = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    enc = _encoder()
    return "".join(enc[b] for b in raw)


def test_byte_decoder_inverts_gpt2_bytes_to_unicode():
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    assert byte_decoder() == {c: b for b, c in bytes_to_unicode().items()}
    assert token_bytes("Ġà¸ª") == " ส".encode()
    assert token_bytes("▁ส") is None  # not written in the byte alphabet


@pytest.fixture(scope="module")
def bpe(tmp_path_factory):
    base_dir, _ = byte_level_pair(tmp_path_factory.mktemp("bpe"))
    tok = AutoTokenizer.from_pretrained(base_dir)
    return tok, BasePieces(tok)


@pytest.mark.parametrize("text", [" สวัสดี", "ประเทศ", " the", "จังหวัด"])
def test_byte_level_tokens_are_re_encoded_as_real_text(bpe, text):
    tok, pieces = bpe
    ids = pieces(_alphabet(text))
    assert ids == tok(text, add_special_tokens=False)["input_ids"]
    assert tok.decode(ids) == text


def test_partial_utf8_tokens_are_split_in_the_byte_alphabet(bpe):
    tok, pieces = bpe
    raw = "ส".encode()[:2] + "ว".encode()  # ends a character, starts mid-way through one
    ids = pieces(_alphabet(raw))
    assert ids and b"".join(token_bytes(tok.convert_ids_to_tokens(i)) for i in ids) == raw


def test_added_tokens_are_encoded_as_literal_text(bpe):
    tok, pieces = bpe
    assert pieces("<|th|>", added=True) == tok("<|th|>", add_special_tokens=False)["input_ids"]


@pytest.fixture(scope="module")
def wordpiece(tmp_path_factory):
    base_dir, _ = wordpiece_pair(tmp_path_factory.mktemp("wp"))
    tok = AutoTokenizer.from_pretrained(base_dir)
    return tok, BasePieces(tok)


def test_wordpiece_whole_words_and_continuations(wordpiece):
    tok, pieces = wordpiece
    assert pieces("สวัสดี") == tok.convert_tokens_to_ids(tok.tokenize("สวัสดี"))
    cont = tok.convert_ids_to_tokens(pieces("##ครับ"))
    assert cont and all(p.startswith("##") for p in cont)
    assert "".join(p[2:] for p in cont) == "ครับ"
    assert pieces("龍") == []  # unknown characters give no pieces (not [UNK])


def test_wordpiece_accented_tokens_of_an_accent_stripping_base_get_the_stripped_pieces(tmp_path):
    """--keep-accents on uncased BERT adds "ặ", "##ế": the base model saw them as "a", "##e", not [UNK]."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {t: i for i, t in enumerate(["[UNK]", "[CLS]", "[SEP]", "a", "e", "##a", "##e", "ng", "##uo", "##i"])}
    base = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    base.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=None)  # uncased: strips
    base.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    base.enable_padding(pad_id=1, pad_token="[CLS]", length=16)  # as sentence-transformers' tokenizer.json
    tok = PreTrainedTokenizerFast(tokenizer_object=base, unk_token="[UNK]")
    pieces = BasePieces(tok)
    assert pieces("ặ") == [vocab["a"]]
    assert pieces("##ế") == [vocab["##e"]]
    assert pieces("người") == [vocab["ng"], vocab["##uo"], vocab["##i"]]
    assert pieces("龍") == []


def test_sentencepiece_style_bpe_with_byte_fallback(tmp_path):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    raw = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
    raw.pre_tokenizer = pre_tokenizers.Metaspace()
    raw.decoder = decoders.Sequence([decoders.ByteFallback(), decoders.Metaspace()])
    specials = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    raw.train_from_iterator(ENGLISH + THAI, trainers.BpeTrainer(vocab_size=600, special_tokens=specials,
                                                                show_progress=False))
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="<unk>", bos_token="<s>", eos_token="</s>")
    pieces = BasePieces(tok)
    assert not pieces.byte_level
    ids = pieces("▁ภาษาไทย")
    assert "".join(tok.convert_ids_to_tokens(ids)) == "▁ภาษาไทย"
    fallback = tok.convert_ids_to_tokens(pieces("龍"))
    assert fallback == ["<0xE9>", "<0xBE>", "<0x8D>"]
