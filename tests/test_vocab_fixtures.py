"""Tiny base tokenizers (byte-level BPE, SentencePiece BPE, WordPiece) trained in-process, and sample text.

Imported by the tests/test_vocab_*.py files; the one test here checks that the fixtures are what the other
tests assume (English-only bases that spell Thai as bytes or single characters).
"""

from __future__ import annotations

import json
from pathlib import Path

ENGLISH = """The quick brown fox jumps over the lazy dog near the river bank.
Researchers said on Tuesday that the new model was trained on public data.
It was the best of times, it was the worst of times, it was the age of wisdom.
The committee will publish its report in March, according to a statement.
Prices rose by 3.5 percent last year while wages grew more slowly than expected.
She didn't know whether they'll arrive before the meeting starts at 10 am.
def tokenize(text: str) -> list[str]:
    return [word for word in text.split() if word]
for i in range(10):
    print(f"value {i} = {i * 2}")
import json; data = json.loads(payload)  # parse the payload
The government announced new measures to support small businesses and farmers.
Scientists observed the comet for three nights from the mountain observatory."""

THAI = """ประเทศไทยมีประชากรประมาณหกสิบหกล้านคน และมีกรุงเทพมหานครเป็นเมืองหลวง
รัฐบาลประกาศมาตรการใหม่เพื่อช่วยเหลือเกษตรกรและผู้ประกอบการรายย่อยทั่วประเทศ
นายกรัฐมนตรีกล่าวว่ารัฐบาลจะสนับสนุนการศึกษาและการพัฒนาเทคโนโลยีอย่างต่อเนื่อง
ที่นี่มีร้านอาหารไทยที่อร่อยมากและราคาไม่แพง นักท่องเที่ยวจึงนิยมมาที่นี่
กระทรวงสาธารณสุขแนะนำให้ประชาชนล้างมือบ่อย ๆ และสวมหน้ากากอนามัยเมื่ออยู่ในที่สาธารณะ
เด็กนักเรียนไปโรงเรียนทุกวันจันทร์ถึงวันศุกร์ และเรียนภาษาไทย ภาษาอังกฤษ และคณิตศาสตร์
การประชุมคณะรัฐมนตรีวันนี้ได้อนุมัติงบประมาณเพื่อพัฒนาโครงสร้างพื้นฐานของประเทศ
น้ำท่วมในภาคเหนือทำให้ประชาชนหลายพันครัวเรือนได้รับความเดือดร้อน รัฐบาลจึงส่งความช่วยเหลือ
ผู้ว่าราชการจังหวัดเชียงใหม่กล่าวว่าจำนวนนักท่องเที่ยวเพิ่มขึ้นอย่างมากในปีนี้
ธนาคารแห่งประเทศไทยคาดว่าเศรษฐกิจไทยจะเติบโตร้อยละสามในปีหน้า"""

VIETNAMESE = """Việt Nam là một quốc gia nằm ở phía đông bán đảo Đông Dương thuộc khu vực Đông Nam Á.
Thủ đô của Việt Nam là Hà Nội, còn thành phố lớn nhất là Thành phố Hồ Chí Minh.
Chính phủ đã công bố các biện pháp mới nhằm hỗ trợ nông dân và doanh nghiệp nhỏ.
Người dân Việt Nam thường ăn phở vào buổi sáng trước khi đi làm hoặc đi học.
Trường học ở Việt Nam bắt đầu năm học mới vào tháng chín hằng năm.
Các nhà khoa học Việt Nam đã nghiên cứu thành công giống lúa mới chịu hạn tốt."""

INDONESIAN = """Indonesia adalah negara kepulauan terbesar di dunia yang terletak di Asia Tenggara.
Pemerintah mengumumkan kebijakan baru untuk membantu petani dan pengusaha kecil di seluruh Indonesia.
Jakarta merupakan ibu kota negara dan kota terbesar di Indonesia dengan jutaan penduduk.
Masyarakat Indonesia memiliki berbagai macam bahasa daerah, suku, dan kebudayaan yang beragam.
Para peneliti mengatakan bahwa penggunaan teknologi akan meningkatkan kesejahteraan masyarakat.
Sekolah-sekolah di Indonesia memulai tahun ajaran baru pada bulan Juli setiap tahun."""

TEXTS = {"th": THAI, "vi": VIETNAMESE, "id": INDONESIAN, "en": ENGLISH}
LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_0|>"]


def write_corpora(folder: Path, repeat: int = 6) -> dict[str, Path]:
    """Write each language's sample (repeated, so pairs pass min_frequency) as a .txt corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for lang, text in TEXTS.items():
        p = folder / f"{lang}.txt"
        p.write_text("\n".join([text] * repeat) + "\n", encoding="utf-8")
        out[lang] = p
    return out


def bytelevel_base(folder: Path, gpt2_style: bool = False, vocab_size: int = 420) -> Path:
    """A Llama-3 style byte-level BPE (Split regex + ByteLevel) or GPT-2 style (ByteLevel regex) on English,
    with special tokens after the model vocab, as Llama-3 has them."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE())
    if gpt2_style:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    else:
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(LLAMA3_PATTERN), "isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False
    )
    tok.train_from_iterator(ENGLISH.splitlines() * 3, trainer)
    tok.add_special_tokens(SPECIALS)
    folder.mkdir(parents=True, exist_ok=True)
    tok.save(str(folder / "tokenizer.json"))
    (folder / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "PreTrainedTokenizerFast",
                "bos_token": SPECIALS[0],
                "eos_token": SPECIALS[1],
                "chat_template": "{% for m in messages %}{{ m['content'] }}{% endfor %}",
            }
        ),
        encoding="utf-8",
    )
    return folder


def sentencepiece_base(folder: Path, vocab_size: int = 600) -> Path:
    """A SentencePiece BPE model with byte fallback (Llama-2/Mistral style) trained on English, saved as
    tokenizer.model and converted by transformers into tokenizer.json."""
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "train.txt"
    text.write_text(ENGLISH * 3, encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(folder / "sp"),
        vocab_size=vocab_size,
        model_type="bpe",
        byte_fallback=True,
        character_coverage=1.0,
        bos_id=1,
        eos_id=2,
        unk_id=0,
        pad_id=-1,
        add_dummy_prefix=True,
        normalization_rule_name="identity",
        minloglevel=2,
    )
    (folder / "sp.model").rename(folder / "tokenizer.model")
    for f in ("sp.vocab", "train.txt"):
        (folder / f).unlink()
    from transformers import LlamaTokenizer

    # from_pretrained converts tokenizer.model (LlamaTokenizerFast(vocab_file=...) would give 3 tokens)
    LlamaTokenizer.from_pretrained(str(folder), legacy=False).save_pretrained(str(folder))
    return folder


def wordpiece_base(folder: Path, vocab_size: int = 300) -> Path:
    """A BERT-uncased style WordPiece (lower-casing, accent-stripping normaliser) trained on English."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size,
        show_progress=False,
        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
    )
    tok.train_from_iterator(ENGLISH.splitlines() * 3, trainer)
    folder.mkdir(parents=True, exist_ok=True)
    tok.save(str(folder / "tokenizer.json"))
    (folder / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "BertTokenizer",
                "do_lower_case": True,
                "unk_token": "[UNK]",
                "cls_token": "[CLS]",
                "sep_token": "[SEP]",
                "pad_token": "[PAD]",
                "mask_token": "[MASK]",
            }
        ),
        encoding="utf-8",
    )
    return folder


def test_fixture_bases_are_english_only(tmp_path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(bytelevel_base(tmp_path / "bl") / "tokenizer.json"))
    ids = tok.encode("ก", add_special_tokens=False).ids
    assert len(ids) == 3  # Thai letters are three bytes in the English-only base
    assert tok.token_to_id(SPECIALS[0]) == tok.get_vocab_size(with_added_tokens=False)
