"""segment(): engines per language, no character lost or invented, bounded time on 1 MB Thai lines."""

import importlib
import time
import unicodedata
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seapt.errors import ConfigError
from seapt.text import segment, segment_batch
from seapt.text.segment import engines, resolve_engine

SEG = importlib.import_module("seapt.text.segment")  # the module (seapt.text.segment is the function)

THAI_SENTENCE = "ผมไปตลาดเมื่อวานนี้ซื้อผลไม้มาหลายอย่างแล้วก็กลับบ้านวันนี้อากาศดีมาก"
VI_SENTENCE = "Bác sĩ bây giờ có thể thản nhiên báo tin bệnh nhân bị ung thư, hoà thuỷ."
ALL_ENGINES = [(lang, e) for lang in ("th", "vi", "id", "en") for e in engines(lang)]

_THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn")
_VI = VI_SENTENCE + unicodedata.normalize("NFD", VI_SENTENCE)
TEXT = st.text(alphabet=st.sampled_from(_THAI + _VI + "\u200b\u0301😀👍🏽 \t\n.,!?-'\"#@/:1234567890abcXYZ"),
               max_size=60)


def squash(text):
    return "".join(text.split())


@pytest.mark.parametrize("lang,engine", ALL_ENGINES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(TEXT, st.text(max_size=30)))
def test_no_character_lost_or_invented(lang, engine, text):
    words = segment(text, lang, engine)
    assert squash("".join(words)) == squash(text)
    for w in words:
        assert w and w == w.strip() and "\n" not in w and "\t" not in w


def test_thai_engines():
    for engine in ("nlpo3", "newmm"):
        words = segment("สวัสดีครับ วันนี้อากาศดีมาก", "th", engine)
        assert words[:4] == ["สวัสดี", "ครับ", "วันนี้", "อากาศ"]
    assert resolve_engine("th", None) == "nlpo3"


def test_thai_non_thai_parts_and_marks():
    words = segment("ไปที่ https://www.eucerin.co.th/promo เวลา 13:00 น. #GOT7 หน้…😭 เวียร์", "th")
    assert "https://www.eucerin.co.th/promo" in words and "13:00" in words and "#" in words
    assert "หน้" in words and "…" in words and "😭" in words
    assert not any(w[0] in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c" for w in words)


def test_vietnamese_multisyllable_words_keep_original_text():
    words = segment(VI_SENTENCE, "vi")
    assert words[:4] == ["Bác sĩ", "bây giờ", "có thể", "thản nhiên"]
    assert words[-2:] == ["hoà thuỷ", "."]  # underthesea returns "hòa thủy": its rewrite never reaches us
    nfd = unicodedata.normalize("NFD", VI_SENTENCE)
    assert [unicodedata.normalize("NFC", w) for w in segment(nfd, "vi")] == words
    assert segment("Tôi là học sinh", "vi", "syllable") == ["Tôi", "là", "học", "sinh"]


def test_rules_engine_indonesian_and_english():
    words = segment("Anak-anak pergi ke https://x.com/a?b=1. Harga Rp1.000,50 pukul 12:30... \"Ok\"", "id")
    assert words == ["Anak-anak", "pergi", "ke", "https://x.com/a?b=1", ".", "Harga", "Rp1.000,50", "pukul",
                     "12:30", "...", '"', "Ok", '"']
    assert segment("Don't e-mail me at a.b@c.org!", "en") == ["Don't", "e-mail", "me", "at", "a.b@c.org", "!"]


def test_batch_equals_single_calls():
    texts = [THAI_SENTENCE, "", "  ", "ก ข", THAI_SENTENCE[:10] + " abc"]
    assert segment_batch(texts, "th") == [segment(t, "th") for t in texts]
    vi = [VI_SENTENCE, "", "học sinh"]
    assert segment_batch(vi, "vi") == [segment(t, "vi") for t in vi]


def test_unknown_engine_lists_valid_ones():
    with pytest.raises(ConfigError, match="nlpo3, newmm"):
        segment("x", "th", "deepcut")
    with pytest.raises(ConfigError, match="unsupported language"):
        segment("x", "xx")


def test_missing_nlpo3_falls_back_to_newmm(monkeypatch):
    monkeypatch.setattr(SEG, "_has_nlpo3", lambda: False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert resolve_engine("th", None) == "newmm"
        words = segment("สวัสดีครับ", "th")
    assert words == ["สวัสดี", "ครับ"]
    assert any("nlpo3 is not installed" in str(w.message) for w in caught)


@pytest.mark.parametrize("engine", ["nlpo3", "newmm"])
def test_one_megabyte_thai_line_in_bounded_time(engine):
    text = (THAI_SENTENCE * (1_000_000 // len(THAI_SENTENCE) + 1))[:1_000_000]
    if engine == "newmm":
        text = text[:200_000]  # newmm is ~10x slower; the windowing is the same code
    start = time.perf_counter()
    words = segment(text, "th", engine)
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"{engine}: {elapsed:.1f}s for {len(text)} characters"
    assert "".join(words) == text
    assert max(map(len, words)) < 50


def test_windows_cut_like_the_whole_text(monkeypatch):
    text = THAI_SENTENCE * 8
    whole = segment(text, "th")
    monkeypatch.setattr(SEG, "THAI_WINDOW_CHARS", 37)
    windowed = segment(text, "th")
    assert "".join(windowed) == text
    assert windowed == whole  # the re-cut tail words hide every window edge on this text


@pytest.mark.parametrize("lang", ["vi", "id", "th"])
def test_long_space_free_latin_runs_stay_linear(lang):
    # underthesea's regex is quadratic on "a.a.a…" (25 s for 32,000 characters) and a naive e-mail
    # pattern would be too: both are bounded
    text = "a." * 20_000 + " x@y.z " + "http://" * 2_000
    start = time.perf_counter()
    words = segment(text, lang)
    assert time.perf_counter() - start < 20
    assert squash("".join(words)) == squash(text)


def test_group_split_fallback_when_a_newline_is_glued_to_a_piece():
    # nlpo3 returns every newline alone; were it not so, the general walk must still split runs right
    assert SEG._split_group(["กข", "ค่"], ["ก", "ข\nค", "่"]) == [["ก", "ข"], ["ค่"]]
    assert SEG._split_group(["กข", "ค่"], ["ก", "ข", "\n", "ค", "่"]) == [["ก", "ข"], ["ค่"]]
