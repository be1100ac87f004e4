"""Byte-level BPE extension (Llama-3 and GPT-2 style bases trained in-process): DESIGN.md invariant 2."""

from __future__ import annotations

import json

import pytest
from test_vocab_fixtures import ENGLISH, INDONESIAN, SPECIALS, THAI, VIETNAMESE, bytelevel_base, write_corpora
from tokenizers import Tokenizer

from seapt.languages import LANGUAGES, THAI_MARKS, marks_of
from seapt.languages import get as get_language
from seapt.vocab import bytelevel as b_
from seapt.vocab.config import ExtendConfig
from seapt.vocab.extend import extend_tokenizer

EXTENSION_KEYS = {"base", "family", "base_vocab_size", "vocab_size", "added", "checks", "seconds"}
CHECK_KEYS = {"base_ids_preserved", "unreachable", "roundtrip_rate", "english_identical_rate"}
CODE = 'def f(x):\n    return {"a": x ** 2}  # ok\n\tprint("héllo", [1, 2, 3])'


def _extend(tmp, base, langs, budgets, corpora, **kw):
    # no stdlib code reference by default here: on these ~420-token, nearly character-level bases it bans most
    # Latin letter pairs (tests/test_vocab_protect.py tests it)
    kw.setdefault("code_reference", None)
    cfg = ExtendConfig(
        base=str(base),
        corpus={lang: str(corpora[lang]) for lang in langs},
        add=dict(zip(langs, budgets)),
        output=str(tmp),
        **kw,
    )
    return extend_tokenizer(cfg)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One Llama-3 style base, extended once with Thai only and once with th+vi+id."""
    root = tmp_path_factory.mktemp("bytelevel")
    base = bytelevel_base(root / "base")
    corpora = write_corpora(root / "corpora")
    thai = _extend(root / "th", base, ["th"], [120], corpora, segment=False)
    multi = _extend(root / "multi", base, ["th", "vi", "id"], [120, 60, 60], corpora, segment=False)
    return {"root": root, "base": base, "corpora": corpora, "th": thai, "multi": multi}


def _tok(path):
    return Tokenizer.from_file(str(path / "tokenizer.json"))


def test_extension_json_contract(built):
    info = built["multi"]
    assert EXTENSION_KEYS <= set(info) and CHECK_KEYS <= set(info["checks"])
    on_disk = json.loads((built["root"] / "multi" / "extension.json").read_text(encoding="utf-8"))
    assert on_disk["added"] == info["added"] == {"th": 120, "vi": 60, "id": 60}
    assert info["family"] == "byte-level-bpe"
    assert info["vocab_size"] == info["base_vocab_size"] + 240
    assert info["checks"]["unreachable"] == 0 and info["checks"]["base_ids_preserved"] is True
    assert info["checks"]["roundtrip_rate"] == 1.0 and info["checks"]["english_identical_rate"] == 1.0
    assert (built["root"] / "multi" / "config.yaml").is_file()


@pytest.mark.parametrize("name", ["th", "multi"])
def test_base_ids_kept_and_new_ids_after_specials(built, name):
    base, new = _tok(built["base"]), _tok(built["root"] / name)
    base_vocab = base.get_vocab(with_added_tokens=True)
    new_vocab = new.get_vocab(with_added_tokens=True)
    assert all(new_vocab[s] == i for s, i in base_vocab.items())
    first_new = max(base_vocab.values()) + 1
    new_ids = sorted(i for s, i in new_vocab.items() if s not in base_vocab)
    assert new_ids == list(range(first_new, first_new + len(new_ids)))
    # the specials sit after the model vocab, as in Llama-3; they must not move onto new tokens
    for s in SPECIALS:
        assert new.token_to_id(s) == base.token_to_id(s)
        assert (
            new.decode(new.encode(f"{s}hello", add_special_tokens=False).ids, skip_special_tokens=False)
            == f"{s}hello"
        )


@pytest.mark.parametrize("name", ["th", "multi"])
def test_added_tokens_reachable(built, name):
    new = _tok(built["root"] / name)
    for item in built[name]["new_tokens"]:
        text = item["text"]
        try:
            raw = bytes(item["text"], "utf-8")
        except UnicodeEncodeError:  # pragma: no cover
            continue
        if new.encode(text, add_special_tokens=False).ids == [item["id"]]:
            continue
        # partial UTF-8 tokens have no text of their own: the model must produce them from their string
        assert [t.id for t in new.model.tokenize(item["token"])] == [item["id"]], (item, raw)


@pytest.mark.parametrize(
    "lang, text",
    [("th", THAI), ("vi", VIETNAMESE), ("id", INDONESIAN), ("en", ENGLISH), ("code", CODE)],
    ids=["th", "vi", "id", "en", "code"],
)
def test_roundtrip_every_language(built, lang, text):
    new = _tok(built["root"] / "multi")
    for line in text.splitlines() + [text]:
        assert new.decode(new.encode(line, add_special_tokens=False).ids) == line


@pytest.mark.parametrize("text", ENGLISH.splitlines() + [CODE, VIETNAMESE, INDONESIAN], ids=lambda t: t[:12])
def test_text_without_thai_unchanged_by_thai_extension(built, text):
    base, new = _tok(built["base"]), _tok(built["root"] / "th")
    assert new.encode(text, add_special_tokens=False).ids == base.encode(text, add_special_tokens=False).ids


@pytest.mark.parametrize("text", ENGLISH.splitlines() + [CODE], ids=lambda t: t[:12])
def test_english_and_code_unchanged_by_multilingual_extension(built, text):
    base, new = _tok(built["base"]), _tok(built["root"] / "multi")
    assert new.encode(text, add_special_tokens=False).ids == base.encode(text, add_special_tokens=False).ids


def test_thai_fewer_tokens_and_token_spans_marks(built):
    base, new = _tok(built["base"]), _tok(built["root"] / "th")
    assert built["th"]["pretokenizer_rewritten"] is True
    word = "ที่นี่"  # ท + ี + ่: the stock regex cuts before every mark
    base_pieces = [p for p, _ in base.pre_tokenizer.pre_tokenize_str(word)]
    assert len(base_pieces) > 1
    enc = new.encode(word, add_special_tokens=False)
    spans = [new.decode([i]) for i in enc.ids]
    assert any(len(s) > 1 and s[0] not in THAI_MARKS and any(c in THAI_MARKS for c in s[1:]) for s in spans)
    assert len(new.encode(THAI).ids) < 0.5 * len(base.encode(THAI).ids)


def test_transformers_reload_same_ids(built):
    from transformers import AutoTokenizer

    folder = built["root"] / "multi"
    hf = AutoTokenizer.from_pretrained(str(folder))
    new = _tok(folder)
    for text in (THAI, VIETNAMESE, INDONESIAN, ENGLISH):
        assert hf.encode(text, add_special_tokens=False) == new.encode(text, add_special_tokens=False).ids
    assert hf.chat_template  # carried over from tokenizer_config.json


def test_gpt2_style_regex_is_rewritten_and_survives_transformers(tmp_path):
    from transformers import AutoTokenizer

    base = bytelevel_base(tmp_path / "gpt2", gpt2_style=True)
    # transformers 5's GPT2Tokenizer rebuilds its own split regex: the output must load tokenizer.json as is
    cfg_path = base / "tokenizer_config.json"
    cfg_path.write_text(json.dumps({**json.loads(cfg_path.read_text()), "tokenizer_class": "GPT2Tokenizer"}))
    corpora = write_corpora(tmp_path / "c")
    info = _extend(tmp_path / "out", base, ["th"], [60], corpora, segment=False)
    assert info["pretokenizer_rewritten"] and info["checks"]["unreachable"] == 0
    assert info["tokenizer_class_was"] == "GPT2Tokenizer"
    b, n = _tok(base), _tok(tmp_path / "out")
    for text in ENGLISH.splitlines() + [CODE, VIETNAMESE]:
        assert n.encode(text).ids == b.encode(text).ids
    assert len(n.encode(THAI).ids) < len(b.encode(THAI).ids)
    hf = AutoTokenizer.from_pretrained(str(tmp_path / "out"))
    assert hf.encode(THAI, add_special_tokens=False) == n.encode(THAI, add_special_tokens=False).ids


def test_segmented_counts_and_resume(tmp_path):
    base = bytelevel_base(tmp_path / "base")
    corpora = write_corpora(tmp_path / "c")
    info = _extend(tmp_path / "out", base, ["th"], [80], corpora, segment=True)
    assert info["added"] == {"th": 80} and info["checks"]["unreachable"] == 0
    again = _extend(tmp_path / "out", base, ["th"], [80], corpora, segment=True)
    assert again == json.loads((tmp_path / "out" / "extension.json").read_text(encoding="utf-8"))


def test_min_frequency_stops_early(tmp_path):
    base = bytelevel_base(tmp_path / "base")
    corpora = write_corpora(tmp_path / "c", repeat=1)
    info = _extend(tmp_path / "out", base, ["id"], [5000], corpora, segment=False, min_frequency=3)
    assert 0 < info["added"]["id"] < 5000


def test_foreign_names_in_latin_corpus_leave_english_alone(tmp_path):
    base = bytelevel_base(tmp_path / "base")
    corpus = tmp_path / "vi.txt"
    names = (
        "Tổng thống Moldova đến thăm Asunción và Paraguay cùng đoàn NASA.\n"  # (the base spells ó in bytes)
    )
    corpus.write_text((VIETNAMESE + "\n" + names) * 8, encoding="utf-8")
    english = "The president of Moldova visited Paraguay with NASA; a decision in the chinese city."
    b = _tok(base)
    for skip, same in ((True, True), (False, False)):
        out = tmp_path / f"skip{skip}"
        extend_tokenizer(
            ExtendConfig(
                base=str(base), corpus={"vi": str(corpus)}, add={"vi": 150}, output=str(out), skip_names=skip,
                code_reference=None,  # the stdlib alone would protect these names on this tiny base
            )
        )
        n = _tok(out)
        assert (n.encode(english).ids == b.encode(english).ids) is same
        assert len(n.encode("Việt Nam").ids) < len(b.encode("Việt Nam").ids)


@pytest.mark.parametrize(
    "text",
    ENGLISH.splitlines() + [CODE, INDONESIAN, THAI, "café crème, São Paulo, Zürich 2024"],
    ids=lambda t: t[:12],
)
def test_vi_syllable_chains_leave_other_text_split_as_before(text):
    from tokenizers import Regex, pre_tokenizers

    from test_vocab_fixtures import LLAMA3_PATTERN
    from seapt.vocab.bytelevel import GPT2_PATTERN, vi_chain_regex

    for pattern in (LLAMA3_PATTERN, GPT2_PATTERN):
        old = pre_tokenizers.Split(Regex(pattern), "isolated")
        new = pre_tokenizers.Split(Regex(vi_chain_regex(pattern)), "isolated")
        assert new.pre_tokenize_str(text) == old.pre_tokenize_str(text)


def test_vietnamese_tokens_span_syllables(built, tmp_path):
    info = _extend(tmp_path / "vi", built["base"], ["vi"], [250], built["corpora"], segment=False)
    assert info["pretokenizer_rewritten"] and info["checks"]["unreachable"] == 0
    new = _tok(tmp_path / "vi")
    pieces = [p for p, _ in new.pre_tokenizer.pre_tokenize_str("Người dân Việt Nam")]
    assert len(pieces) == 2  # "Người dân Việt" is one chain; "Nam" has no Vietnamese-only letter
    spans = [new.decode([i]) for i in new.encode("Người dân Việt Nam", add_special_tokens=False).ids]
    assert any(" " in s.strip() for s in spans), spans
    base = _tok(built["base"])
    for text in ENGLISH.splitlines() + [CODE, INDONESIAN]:
        assert new.encode(text).ids == base.encode(text).ids


def test_bare_tokenizer_json_base_gets_a_tokenizer_config(tmp_path):
    from transformers import AutoTokenizer

    base = bytelevel_base(tmp_path / "base")
    (base / "tokenizer_config.json").unlink()
    corpora = write_corpora(tmp_path / "c")
    _extend(tmp_path / "out", base / "tokenizer.json", ["id"], [20], corpora)
    hf = AutoTokenizer.from_pretrained(str(tmp_path / "out"))
    assert hf.encode(INDONESIAN, add_special_tokens=False) == _tok(tmp_path / "out").encode(INDONESIAN).ids


MARKED = [code for code, lang in LANGUAGES.items() if lang.marks]  # every registered script with Mn/Mc marks


@pytest.mark.parametrize("pattern", ["llama3", "gpt2"])
def test_marks_regex_keeps_every_registered_scripts_marks_with_their_letters(pattern):
    from tokenizers import Regex, pre_tokenizers

    from test_vocab_fixtures import LLAMA3_PATTERN
    from seapt.vocab.bytelevel import GPT2_PATTERN, mark_class, marks_regex

    pattern = {"llama3": LLAMA3_PATTERN, "gpt2": GPT2_PATTERN}[pattern]
    old = pre_tokenizers.Split(Regex(pattern), "isolated")
    new = pre_tokenizers.Split(Regex(marks_regex(pattern, mark_class(marks_of(LANGUAGES)))), "isolated")
    for code in MARKED:
        marks = set(get_language(code).marks)
        sample = get_language(code).sample
        pieces = [p for p, _ in new.pre_tokenize_str(sample)]
        assert not any(p.lstrip()[:1] in marks for p in pieces), (code, pieces)
        assert len(pieces) < len(old.pre_tokenize_str(sample)), code
    for text in ENGLISH.splitlines() + [CODE, VIETNAMESE, INDONESIAN, "café crème, São Paulo, Zürich 2024"]:
        assert new.pre_tokenize_str(text) == old.pre_tokenize_str(text)


def test_one_add_with_every_marked_language(tmp_path):
    """One extension adding every registered language written with marks: each keeps its marks on its letters,
    English and code keep the base ids, every language round-trips."""
    base = bytelevel_base(tmp_path / "base")
    corpora = write_corpora(tmp_path / "c")
    for code in MARKED:
        if code not in corpora:
            corpora[code] = tmp_path / "c" / f"{code}.txt"
            corpora[code].write_text((get_language(code).sample + "\n") * 40, encoding="utf-8")
    info = _extend(tmp_path / "out", base, MARKED, [30] * len(MARKED), corpora, segment=False)
    assert info["pretokenizer_rewritten"] and info["checks"]["unreachable"] == 0
    assert info["checks"]["english_identical_rate"] == 1.0 and info["checks"]["roundtrip_rate"] == 1.0
    b, n = _tok(base), _tok(tmp_path / "out")
    for text in ENGLISH.splitlines() + [CODE]:
        assert n.encode(text, add_special_tokens=False).ids == b.encode(text, add_special_tokens=False).ids
    for code in MARKED:
        sample, marks = get_language(code).sample, set(get_language(code).marks)
        pieces = [p for p, _ in n.pre_tokenizer.pre_tokenize_str(sample)]
        assert not any(b_.token_bytes(p).decode("utf-8")[:1] in marks for p in pieces), code
        assert n.decode(n.encode(sample, add_special_tokens=False).ids) == sample
        assert len(n.encode(sample).ids) < len(b.encode(sample).ids), code


@pytest.mark.parametrize("lang", ["vi", "id"])
def test_latin_extension_learns_no_number_or_punctuation_tokens(tmp_path, lang):
    """Years and amounts are everywhere in Wikipedia text; a token made only of digits, spaces and punctuation
    (`` 2016``) would change how English with numbers is encoded (seen on FLORES English)."""
    base = bytelevel_base(tmp_path / "base")
    text = VIETNAMESE if lang == "vi" else INDONESIAN
    numbers = "".join(f"Năm {y}, ({y}), {y}. " if lang == "vi" else f"Tahun {y}, ({y}), {y}. "
                      for y in (1975, 2016, 2016, 2020, 2024) * 4)
    corpus = tmp_path / f"{lang}.txt"
    corpus.write_text((text + "\n" + numbers + "\n") * 8, encoding="utf-8")
    out = tmp_path / "out"
    extend_tokenizer(ExtendConfig(base=str(base), corpus={lang: str(corpus)}, add={lang: 300}, output=str(out),
                                  segment=False))
    added = json.loads((out / "extension.json").read_text())["added"][lang]
    assert added > 0
    b, n = Tokenizer.from_file(str(base / "tokenizer.json")), Tokenizer.from_file(str(out / "tokenizer.json"))
    english = "In 2016, the budget rose to 1975 (about 2024), then 2020."
    assert n.encode(english).ids == b.encode(english).ids
    new = [t for t, i in n.get_vocab().items() if i >= b.get_vocab_size()]
    from seapt.vocab.bytelevel import token_bytes

    assert not [t for t in new if all(c < 128 and not chr(c).isalpha() for c in token_bytes(t))]


def test_thai_tokens_are_whole_letters_or_steps_towards_one(built):
    """A byte-level base that spells Thai letters in bytes: no new token ends in part of the next letter."""
    from seapt.model.pieces import token_bytes

    for tok in built["th"]["new_tokens"]:
        raw = token_bytes(tok["token"])
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            assert b_.char_part(raw), tok


def test_target_script_lines_in_the_english_reference_protect_nothing(built, tmp_path):
    """A Thai document in the "English" reference (e.g. a planted wrong-language sample) must not forbid
    Thai's commonest pairs: the Thai tokens learned are those learned without it."""
    english = tmp_path / "en.txt"
    english.write_text(ENGLISH + "\n" + THAI + "\n" + CODE + "\n", encoding="utf-8")
    clean = tmp_path / "en_clean.txt"
    clean.write_text(ENGLISH + "\n" + CODE + "\n", encoding="utf-8")
    runs = {}
    for name, ref in (("mixed", english), ("clean", clean)):
        runs[name] = _extend(tmp_path / name, built["base"], ["th"], [120], built["corpora"], segment=False,
                             english=str(ref))
    assert runs["mixed"]["new_tokens"] == runs["clean"]["new_tokens"]
    assert runs["mixed"]["english_reference"]["skipped_target_script_lines"] == len(THAI.splitlines())
    assert runs["clean"]["english_reference"]["skipped_target_script_lines"] == 0
