"""sentences(): crfcut for Thai, underthesea for Vietnamese, rules with abbreviations for id/en."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seapt.errors import ConfigError
from seapt.text import sentences


def squash(text):
    return "".join(text.split())


def test_thai_crfcut():
    text = "ผมไปตลาดเมื่อวานนี้ ซื้อผลไม้มาหลายอย่าง แล้วก็กลับบ้าน วันนี้อากาศดีมาก"
    out = sentences(text, "th")
    assert len(out) >= 2 and out[0] == "ผมไปตลาดเมื่อวานนี้"
    assert squash("".join(out)) == squash(text)


def test_vietnamese_underthesea():
    out = sentences("Ông Lộc nói: bán đất. Đây là cái sai! TP. HCM đẹp lắm... Xin chào.", "vi")
    assert out == ["Ông Lộc nói: bán đất.", "Đây là cái sai!", "TP. HCM đẹp lắm...", "Xin chào."]


def test_indonesian_rules_and_abbreviations():
    text = 'Dr. Budi tinggal di Jl. Merdeka no. 5. Harga naik 5.5 persen! "Benar?" Ya. J. K. Rowling menulis.'
    assert sentences(text, "id") == ["Dr. Budi tinggal di Jl. Merdeka no. 5.", "Harga naik 5.5 persen!",
                                     '"Benar?"', "Ya.", "J. K. Rowling menulis."]


def test_english_rules():
    assert sentences("Mr. Smith left. He came back (twice.) Then e.g. this. Ok", "en") == [
        "Mr. Smith left.", "He came back (twice.)", "Then e.g. this.", "Ok"]


def test_newlines_always_split_and_blank_lines_dropped():
    assert sentences("first line\n\n  \nsecond line", "en") == ["first line", "second line"]
    assert sentences("", "th") == []


@settings(max_examples=80, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("abcXYZ .!?…\"')(\n\tDr"), max_size=60))
def test_rules_keep_every_character(text):
    out = sentences(text, "id")
    assert squash("".join(out)) == squash(text)
    assert all(s and s == s.strip() for s in out)


def test_unknown_language():
    with pytest.raises(ConfigError):
        sentences("x", "xx")
