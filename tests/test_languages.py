"""Language registry facts: codes, scripts and marks derived from Unicode, stop words, one-line errors."""

import unicodedata

import pytest

from seapt import languages
from seapt.errors import ConfigError
from seapt.languages.scripts import SCRIPTS

CODES = list(languages.LANGUAGES)


def test_codes_and_scripts():
    assert {"th", "vi", "id", "en"} <= set(languages.LANGUAGES)
    assert "en" not in languages.TARGETS and set(languages.TARGETS) == set(CODES) - {"en"}
    assert languages.get("th").flores == "tha_Thai"
    assert languages.script_share("ภาษาไทย", "th") == 1.0
    assert languages.script_share("hello", "th") == 0.0
    assert languages.script_share("Tiếng Việt", "vi") == 1.0
    assert languages.script_share("123 !!", "th") == 0.0


def test_unknown_code_lists_every_registered_one():
    with pytest.raises(ConfigError, match="unsupported language 'xx'") as err:
        languages.get("xx")
    assert "\n" not in str(err.value)
    assert all(code in str(err.value) for code in CODES)


def test_thai_marks_are_the_known_ones():
    assert languages.THAI_MARKS == "\u0e31" + "".join(map(chr, range(0x0E34, 0x0E3B))) + "".join(
        map(chr, range(0x0E47, 0x0E4F))
    )


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_script_marks_come_from_unicode_categories(name):
    script = SCRIPTS[name]
    in_blocks = [chr(c) for lo, hi in script.blocks for c in range(lo, hi + 1)]
    expected = [c for c in in_blocks if unicodedata.category(c) in ("Mn", "Mc")] if script.has_marks else []
    assert list(script.marks) == expected
    assert all(script.contains(c) for c in script.marks)
    assert (name == "Latin") == (script.marks == "")


@pytest.mark.parametrize("code", CODES)
def test_every_language_is_complete(code):
    lang = languages.get(code)
    assert lang.code == code and lang.name and lang.flores.endswith("_" + lang.flores.split("_")[1])
    assert len(lang.flores.split("_")) == 2 and len(lang.flores.split("_")[1]) == 4
    assert lang.segmenters and lang.corpus_engine in lang.segmenters + ("syllable",)
    assert all(fb in lang.segmenters for fb in lang.fallbacks.values())
    assert lang.sentence_splitter in ("crfcut", "underthesea", "rules", "enders")
    assert lang.sentence_splitter != "enders" or lang.sentence_end
    assert languages.stopwords(code), code
    assert languages.script_share(lang.sample, code) >= 0.9
    if lang.script != "Latin":
        assert not lang.spaces_between_words or lang.marks


@pytest.mark.parametrize("code", ["th", "vi", "id", "en"])
def test_stopwords(code):
    word = {"th": "และ", "vi": "của", "id": "yang", "en": "the"}[code]
    assert word in languages.stopwords(code)


def test_marks_of_mixes_scripts():
    marks = languages.marks_of(["th", "vi"])
    assert marks == languages.THAI_MARKS  # Latin contributes none
