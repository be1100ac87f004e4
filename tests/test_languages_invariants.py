"""DESIGN.md invariant 1 and the segmentation/sentence contracts, for every registered language."""

import unicodedata

import pytest

from seapt.languages import LANGUAGES, get
from seapt.text.normalize import normalize
from seapt.text.segment import segment
from seapt.text.sentences import sentences

CODES = list(LANGUAGES)


def _squash(text: str) -> str:
    return "".join(text.split())


def _noisy(code: str) -> list[str]:
    """The language's sample, decomposed, with invisible characters, doubled spaces and its own marks alone."""
    lang = get(code)
    s = lang.sample
    marks = lang.marks[:6]
    return [
        s,
        unicodedata.normalize("NFD", s),
        s.replace(" ", "  \u200b", 2) + "\ufeff",
        "\u200d" + s[: len(s) // 2] + "\u00ad" + s[len(s) // 2 :],
        " ".join(marks) + " " + s,
        s + "\n\n\n\n" + s.upper(),
    ]


@pytest.mark.parametrize("code", CODES)
def test_normalize_idempotent(code):
    for text in _noisy(code):
        once = normalize(text, code)
        assert normalize(once, code) == once, (code, text)


@pytest.mark.parametrize("code", CODES)
def test_normalize_is_script_safe(code):
    """Clean text is unchanged (up to Vietnamese tone placement), and NFKC is never applied: characters of
    the language's scripts with a compatibility decomposition (Thai ำ, Lao ຳ) survive."""
    lang = get(code)
    assert normalize(lang.sample, code) == lang.sample
    compat = [chr(c) for lo, hi in lang.ranges for c in range(lo, hi + 1)
              if unicodedata.category(chr(c)).startswith("L")
              and unicodedata.normalize("NFKC", chr(c)) != unicodedata.normalize("NFC", chr(c))]
    for ch in compat:
        assert ch in normalize(lang.sample[:3] + ch + lang.sample[3:], code), (code, hex(ord(ch)))


@pytest.mark.parametrize("code", CODES)
def test_normalize_removes_invisible_characters(code):
    out = normalize("\ufeff" + get(code).sample + "\u200e\u00ad", code)
    assert not any(c in out for c in "\ufeff\u200e\u00ad\u200b")


@pytest.mark.parametrize("code", CODES)
def test_every_engine_loses_nothing(code):
    import warnings

    for engine in get(code).segmenters:
        for text in _noisy(code):
            text = normalize(text, code)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # an engine's package may be missing: its fallback runs
                words = segment(text, code, engine)
            assert all(w and not w.isspace() for w in words), (code, engine)
            assert _squash("".join(words)) == _squash(text), (code, engine, text)


@pytest.mark.parametrize("code", CODES)
def test_sentences_lose_nothing(code):
    text = normalize(get(code).sample + " " + get(code).sample, code)
    out = sentences(text, code)
    assert out and all(s == s.strip() and s for s in out)
    assert _squash("".join(out)) == _squash(text)


@pytest.mark.parametrize("code", CODES)
def test_normalize_idempotent_on_random_script_text(code):
    """Random strings of the language's script characters (marks in any order), spaces and zero-width spaces."""
    import random

    rng = random.Random(17)
    lang = get(code)
    alphabet = [chr(c) for lo, hi in lang.ranges for c in range(lo, hi + 1)
                if unicodedata.category(chr(c)) not in ("Cn", "Co", "Cs")] + [" ", "\u200b", "a"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16)))
        once = normalize(text, code)
        assert normalize(once, code) == once, (code, [hex(ord(c)) for c in text])
