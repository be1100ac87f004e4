"""The fast normalize() returns exactly what the previous, straightforward implementation returned.

The oracle below is seapt.text.normalize as it was before the fast paths (commit 4a64a40), copied verbatim
(only ``normalize`` renamed ``normalize_reference``): every step applied to every text, ftfy on the whole
text, all of pythainlp's mark rules on any Thai text.
"""
# ruff: noqa: E501

import functools
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from seapt.errors import ConfigError
from seapt.languages import get
from seapt.text import normalize

# --- oracle: the previous implementation -------------------------------------------------------------------
THAI_DIGIT_MODES = ("keep", "arabic")
MAX_ROUNDS = 6  # fixed-point bound; every test input settles in at most 3 rounds

_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
)
_CONTROLS = "".join(chr(c) for c in list(range(0x20)) + list(range(0x7F, 0xA0)) if chr(c) not in "\n\t")
_DROP = str.maketrans("", "", _INVISIBLE + _CONTROLS)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_LATIN_PUNCT = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2026": "...",
    }
)
_HSPACE = re.compile(r"[^\S\n]+")  # horizontal whitespace: spaces, tabs, NBSP, other Zs
_EDGE_SPACES = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")

# Vietnamese tone marks (combining, as in NFD) and the open-syllable nuclei whose tone moves.
_VI_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VI_OPEN = re.compile(
    rf"(?<![qQ\u0300-\u036f])"  # not 'qu' + y (quý), not after a marked vowel (a longer vowel group)
    rf"([oO](?=[aAeE])|[uU](?=[yY]))([aAeEyY])([{_VI_TONES}])(?![\w\u0300-\u036f])"
)


def normalize_reference(text: str, lang: str, *, collapse_whitespace: bool = True, thai_digits: str = "keep") -> str:
    """Normalise ``text`` for ``lang`` (see the module docstring); pure and idempotent.

    ``thai_digits``: "keep" (default) or "arabic" (๐–๙ → 0–9, Thai only).
    """
    get(lang)
    if thai_digits not in THAI_DIGIT_MODES:
        raise ConfigError(f"thai_digits={thai_digits!r}: use one of {', '.join(THAI_DIGIT_MODES)}")
    out = text
    for _ in range(MAX_ROUNDS):
        new = _normalize_once(out, lang, collapse_whitespace, thai_digits)
        if new == out:
            break
        out = new
    return out


def _normalize_once(text: str, lang: str, collapse_whitespace: bool, thai_digits: str) -> str:
    text = _ftfy(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP)
    text = unicodedata.normalize("NFC", text)
    if lang == "th":
        text = _thai(text)
        if thai_digits == "arabic":
            text = text.translate(_THAI_DIGITS)
    elif lang == "vi":
        text = vi_tone_placement(text)
    else:
        text = text.translate(_LATIN_PUNCT)
    if collapse_whitespace:
        text = _HSPACE.sub(" ", text)
        text = _EDGE_SPACES.sub("\n", text).strip(" ")
        text = _BLANK_LINES.sub("\n\n", text)
    return text


@functools.lru_cache(maxsize=1)
def _ftfy_config():
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,  # "&amp;" may be the text itself; not an encoding error
        fix_character_width=False,  # width folding is NFKC-like; it changes words
        uncurl_quotes=False,  # done per language below (id/en only)
        fix_latin_ligatures=False,
        normalization=None,  # NFC is applied by seapt; ftfy's NFKC option must never reach Thai
        explain=False,
    )


def _ftfy(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text  # nothing for ftfy to repair; skips its per-call overhead on plain ASCII
    import ftfy

    return ftfy.fix_text(text, _ftfy_config())


def _thai(text: str) -> str:
    """pythainlp's Thai mark rules (not its whitespace rules, which seapt applies itself)."""
    if not any("\u0e00" <= c <= "\u0e7f" for c in text):
        return text
    from pythainlp.util.normalize import remove_dangling, remove_repeat_vowels, remove_spaces_before_marks

    # NIKHAHIT (+ tone marks) + SARA AA -> (tone marks +) SARA AM; pythainlp does this too, but only
    # after other rules that may see the decomposed pair first.
    text = re.sub("\u0e4d([\u0e48-\u0e4b]*)\u0e32", "\\1\u0e33", text)
    text = remove_spaces_before_marks(text)
    text = remove_repeat_vowels(text)
    # dangling marks at the start of each line, not only of the whole text
    return "\n".join(remove_dangling(line) for line in text.split("\n"))


def vi_tone_placement(text: str) -> str:
    """Move Vietnamese tone marks to the traditional placement (hoà → hòa, thuỷ → thủy), NFC out."""
    if text.isascii():
        return text
    nfd = unicodedata.normalize("NFD", text)
    moved = _VI_OPEN.sub(lambda m: m.group(1) + m.group(3) + m.group(2), nfd)
    return unicodedata.normalize("NFC", moved)


# --- comparison --------------------------------------------------------------------------------------------
_THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn")
_VI_WORDS = "hoà hòa thuỷ thủy khoẻ quý Quỳnh hoàn Việt Nam học sinh đường phố tiếng ĐẠI HỌC"
_VI = unicodedata.normalize("NFD", _VI_WORDS) + _VI_WORDS + "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
_MOJIBAKE = ["cafÃ©", "à¸ªà¸§à¸±à¸ªà¸”à¸µ", "â€œquoteâ€", "Ä‘Æ°á»ng", "Ã\xa0 ", "Â ", "×²", "вЂ™", "\ufffd",
             "Ã¡Ã©", "à¹€", "Â\xa0"]
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad\u202e\x00\x07\x1b\x7f\x85\r\u2028\u2029\ufff9\u206a\x0b"
_CHARS = (_THAI + _VI + "".join(chr(c) for c in range(0xA0, 0x100)) + "â€œ™ﬁ…–—“”‘’€‚ƒ„†‡‰Š‹ŒŽ•˜›œžŸ"
          + _INVISIBLE + "😀😰👍🏽👨‍👩‍👧🇹🇭" + " \t\n\u00a0\u3000\x1c\x1f\u1680\u2000\u205f\u202f\x0c" + "ab.,!?-'\"[1;31m" + "αβΓДЖ╬│°√")
PIECES = st.one_of(st.sampled_from(_CHARS), st.sampled_from(_MOJIBAKE),
                   st.sampled_from(["น้ำ", "นํ้า", "เเปลก", "นานาาา", "่ก", " ุ่", "ก่่", "ฤๅ", "กๅ", "ก ั", "\x1b[31m"]))
TEXTS = st.one_of(st.lists(PIECES, max_size=30).map("".join), st.text(max_size=40))


@pytest.mark.parametrize("lang", ["th", "vi", "id", "en"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, collapse=st.booleans(), arabic=st.booleans())
@example(text="à¸ªà¸§à¸±à¸ªà¸”à¸µ\nline two\r\nÂ three", collapse=True, arabic=False)
@example(text="ก\n่ข ุ\nเเ\u0e4d\u0e48\u0e32", collapse=False, arabic=True)
@example(text="cafÃ©\r\nÂ x\r\nTiếng Việt\r\n\r\nà¸ªà¸§\r", collapse=False, arabic=False)
def test_fast_normalize_equals_reference(lang, text, collapse, arabic):
    digits = "arabic" if arabic and lang == "th" else "keep"
    assert normalize(text, lang, collapse_whitespace=collapse, thai_digits=digits) == normalize_reference(
        text, lang, collapse_whitespace=collapse, thai_digits=digits)


def test_fast_normalize_equals_reference_on_multiline_documents():
    rng = __import__("random").Random(0)
    lines = ["ข่าวรัฐบาล “นายกรัฐมนตรี” – ประชุม", "à¸‚à¹ˆà¸²à¸§ mojibake line", "Tiếng Việt hoà thuỷ", "plain ascii line",
             "\ufeffBOM line", "นานาาา ่ก", "Share prices fell 3% on Monday.", "Ã©tÃ© cafÃ©", "", "Windows line\r", "Ã©tÃ©\r"]
    for _ in range(200):
        text = "\n".join(rng.choice(lines) for _ in range(rng.randint(1, 12)))
        for lang in ("th", "vi", "id"):
            assert normalize(text, lang) == normalize_reference(text, lang)


def test_thai_mark_trigger_regex_matches_the_plain_alternation():
    """The look-behind form of the Thai trigger regex finds exactly what the four-branch alternation finds."""
    import random
    import re

    from pythainlp import thai_above_vowels as above, thai_below_vowels as below
    from pythainlp import thai_follow_vowels as follow, thai_tonemarks as tones

    from seapt.text.normalize import _thai_triggers

    marks, _, dangling = _thai_triggers()
    plain = re.compile(f"[ \n][{dangling}]|[{tones}\u0e4c][{above}{below}]|[{follow}][{tones}]|[{tones}]{{2}}")
    alphabet = " \nกขค" + dangling + follow + tones + "\u0e4c"
    rng = random.Random(0)
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        a, b = plain.search(text), marks.search(text)
        assert (a and a.span()) == (b and b.span()), text
