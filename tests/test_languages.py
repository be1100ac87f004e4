"""Language facts: codes, script shares, stop words."""

import pytest

from seapt import languages
from seapt.errors import ConfigError


def test_codes_and_scripts():
    assert set(languages.LANGUAGES) == {"th", "vi", "id", "en"}
    assert languages.get("th").flores == "tha_Thai"
    assert languages.script_share("ภาษาไทย", "th") == 1.0
    assert languages.script_share("hello", "th") == 0.0
    assert languages.script_share("Tiếng Việt", "vi") == 1.0
    assert languages.script_share("123 !!", "th") == 0.0
    with pytest.raises(ConfigError, match="unsupported language 'xx'"):
        languages.get("xx")


def test_thai_marks_are_combining():
    import unicodedata

    assert all(unicodedata.category(c) == "Mn" for c in languages.THAI_MARKS)
    assert len(languages.THAI_MARKS) == 1 + 7 + 8


@pytest.mark.parametrize("lang, word", [("th", "และ"), ("vi", "của"), ("id", "yang"), ("en", "the")])
def test_stopwords(lang, word):
    assert word in languages.stopwords(lang)
