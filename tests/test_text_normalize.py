"""normalize(): idempotent for every language, script-safe for Thai, one Vietnamese tone convention."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seapt.errors import ConfigError
from seapt.text import normalize

LANGS = ("th", "vi", "id", "en")
VI_WORDS = "hoà hòa thuỷ thủy khoẻ quý Quỳnh hoàn Việt Nam học sinh đường phố tiếng"

# Alphabets that stress the normaliser: Thai letters and every Thai mark, Vietnamese composed and
# decomposed letters and tone marks, Latin-1 (mojibake look-alikes), invisible characters, emoji.
_THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn")
_VI = unicodedata.normalize("NFD", VI_WORDS + "ẮẰẲẴẶắằẳẵặ") + VI_WORDS + "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
_LATIN1 = "".join(chr(c) for c in range(0xA0, 0x100)) + "â€œ™ﬁ…–—“”‘’"
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad\u202e\x00\x07\x1b\x7f\x85\r"
_EMOJI = "😀😰👍🏽👨‍👩‍👧🇹🇭"
_SPACE = " \t\n\u00a0\u3000\u2028"
MIXED = st.text(alphabet=st.sampled_from(_THAI + _VI + _LATIN1 + _INVISIBLE + _EMOJI + _SPACE + "ab.,!?-'\""),
                max_size=40)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("lang", LANGS)
@SETTINGS
@given(text=st.one_of(MIXED, st.text(max_size=30)))
def test_idempotent_on_random_unicode(lang, text):
    once = normalize(text, lang)
    assert normalize(once, lang) == once
    assert "\u200b" not in once and "\ufeff" not in once


@pytest.mark.parametrize("lang", LANGS)
@settings(max_examples=40, deadline=None)
@given(text=MIXED)
def test_idempotent_without_whitespace_collapse(lang, text):
    once = normalize(text, lang, collapse_whitespace=False, thai_digits="arabic" if lang == "th" else "keep")
    assert normalize(once, lang, collapse_whitespace=False, thai_digits="arabic" if lang == "th" else "keep") == once


def test_thai_decomposed_sara_am_composes():
    assert normalize("นํ้า", "th") == "น้ำ"  # XCOPA-th spelling: NIKHAHIT, MAI THO, SARA AA
    assert normalize("ทํา", "th") == "ทำ"


def test_thai_sara_am_survives_and_no_nfkc():
    text = "น้ำท่วมหนักมาก กำลังทำงาน"
    assert normalize(text, "th") == text
    assert unicodedata.normalize("NFKC", text) != text  # the reason: NFKC would split SARA AM


def test_thai_mark_rules_from_pythainlp():
    assert normalize("เเปลก", "th") == "แปลก"  # two SARA E -> SARA AE
    assert normalize("นานาาา", "th") == "นานา"  # repeated vowels
    assert normalize("่ก", "th") == "ก"  # dangling mark at the start


def test_thai_digits():
    assert normalize("ปี ๒๕๖๗", "th") == "ปี ๒๕๖๗"
    assert normalize("ปี ๒๕๖๗", "th", thai_digits="arabic") == "ปี 2567"
    with pytest.raises(ConfigError, match="thai_digits"):
        normalize("x", "th", thai_digits="roman")


def test_vietnamese_one_tone_convention():
    assert normalize("hoà", "vi") == normalize("hòa", "vi") == "hòa"
    assert normalize("thuỷ", "vi") == normalize("thủy", "vi") == "thủy"
    assert normalize("khoẻ HOÀ uỷ ban", "vi") == "khỏe HÒA ủy ban"
    # a final consonant or 'qu' fixes the placement in both conventions: nothing moves
    for word in ("hoàn", "quý", "Quỳnh", "thuyền", "khuỷu", "hoài"):
        assert normalize(word, "vi") == word


def test_vietnamese_nfd_composes_and_no_space_before_punctuation():
    text = "Xin chào, bạn khỏe không? Tôi là học sinh."
    assert normalize(unicodedata.normalize("NFD", text), "vi") == text
    assert normalize(text, "vi") == text


def test_invisible_and_control_characters_removed():
    assert normalize("\ufeffab\u200bc\u200dd\x00e\x07f", "en") == "abcdef"
    assert normalize("a\tb\nc", "en", collapse_whitespace=False) == "a\tb\nc"


def test_whitespace_collapse():
    assert normalize("  a \t\u00a0 b  \n\n\n\n c ", "en") == "a b\n\nc"


def test_mojibake_fixed_and_valid_text_untouched():
    assert normalize("cafÃ©", "en") == "café"
    assert normalize("à¸ªà¸§à¸±à¸ªà¸”à¸µ", "th") == "สวัสดี"  # UTF-8 Thai read as Windows-1252
    for text, lang in [("ผู้ใหญ่ลี ตีกลอง ประชุม", "th"), ("Tiếng Việt có dấu: ă â ê ô ơ ư đ", "vi"),
                       ("Anak-anak bermain di taman.", "id"), ("&amp; stays as written", "en")]:
        assert normalize(text, lang) == text


def test_latin_punctuation_unified_for_id():
    assert normalize("“Ya” — kata… ‘anak‑anak’", "id") == "\"Ya\" - kata... 'anak-anak'"
    assert normalize("“Có”", "vi") == "“Có”"  # only id/en unify quotes


def test_unknown_language():
    with pytest.raises(ConfigError, match="unsupported language"):
        normalize("x", "xx")
