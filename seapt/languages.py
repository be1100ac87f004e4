"""Every fact seapt knows about th, vi, id and en: scripts, engines, sentence splitters, stop words, codes.

ISO 639-1 codes are used everywhere inside seapt; FLORES-style codes (tha_Thai) and lingua names are
produced only at library boundaries through the fields here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from seapt.errors import ConfigError

# Thai block and the Thai combining marks (\p{M}) that a GPT-2 style split regex cuts at.
THAI_BLOCK = (0x0E00, 0x0E7F)
THAI_MARKS = "\u0e31" + "".join(chr(c) for c in range(0x0E34, 0x0E3B)) + "".join(
    chr(c) for c in range(0x0E47, 0x0E4F)
)
# Vietnamese letters beyond ASCII (composed, NFC); used for script share and to recognise vi text.
VI_LETTERS = "ăâđêôơưĂÂĐÊÔƠƯ"


@dataclass(frozen=True)
class Language:
    """One language's facts."""

    code: str
    """ISO 639-1 code used inside seapt."""
    name: str
    """English name, for reports."""
    flores: str
    """FLORES-200 / NLLB code (tha_Thai), for library boundaries."""
    script: str
    """ISO 15924 script name: Thai or Latin."""
    ranges: tuple[tuple[int, int], ...]
    """Unicode code point ranges (inclusive) of the script's letters, for script-share language checks."""
    segmenters: tuple[str, ...]
    """Word segmentation engines; the first is the default."""
    sentence_splitter: str
    """Sentence splitting engine."""
    lingua: str
    """lingua.Language member name, for language identification."""
    spaces_between_words: bool
    """False for Thai: words are not separated by spaces, so whitespace never counts words."""


LATIN = ((0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x024F), (0x1E00, 0x1EFF))

LANGUAGES: dict[str, Language] = {
    "th": Language("th", "Thai", "tha_Thai", "Thai", (THAI_BLOCK,), ("nlpo3", "newmm"), "crfcut", "THAI", False),
    "vi": Language("vi", "Vietnamese", "vie_Latn", "Latin", LATIN, ("underthesea", "syllable"), "underthesea",
                   "VIETNAMESE", True),
    "id": Language("id", "Indonesian", "ind_Latn", "Latin", LATIN, ("rules",), "rules", "INDONESIAN", True),
    "en": Language("en", "English", "eng_Latn", "Latin", LATIN, ("rules",), "rules", "ENGLISH", True),
}
TARGETS = ("th", "vi", "id")


def get(code: str) -> Language:
    """The Language for an ISO code, or a ConfigError listing the supported ones."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise ConfigError(f"unsupported language {code!r}; use one of {', '.join(LANGUAGES)}") from None


def in_script(ch: str, lang: str) -> bool:
    """True when character ``ch`` is a letter of ``lang``'s script."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in get(lang).ranges)


def script_share(text: str, lang: str) -> float:
    """Share of the non-space, non-digit, non-punctuation characters of ``text`` in ``lang``'s script."""
    letters = [c for c in text if c.isalpha() or "\u0e30" <= c <= "\u0e4e"]
    if not letters:
        return 0.0
    return sum(in_script(c, lang) for c in letters) / len(letters)


@functools.lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    """Stop words for ``lang``: pythainlp's list for Thai, seapt's own short lists for vi, id, en."""
    get(lang)
    if lang == "th":
        from pythainlp.corpus import thai_stopwords

        return frozenset(thai_stopwords())
    return _STOPWORDS[lang]


_STOPWORDS = {
    "vi": frozenset(
        """và của là có được cho không những các một này trong người với đã để thì khi từ như
        cũng theo về đến nhiều sẽ ra làm đó nên vì rằng tại nhưng bị hay hoặc nếu lại vào còn
        năm trên sau đi rất mà đang chỉ những nó họ tôi chúng ta bạn anh chị ông bà cô em mình ở
        hơn nhất cùng việc nào đây sự thế đều qua giữa bởi do vẫn""".split()
    ),
    "id": frozenset(
        """yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga atau oleh
        sebagai karena ada bisa telah sudah saat lebih para tersebut mereka kami kita saya anda ia
        dia harus dapat hanya seperti bahwa agar namun tetapi jika maka masih antara setelah sebelum
        hingga sampai atas bagi secara serta yaitu kepada tentang menjadi banyak satu dua tahun
        belum pun lagi sangat bukan""".split()
    ),
    "en": frozenset(
        """the be to of and a in that have i it for not on with he as you do at this but his by
        from they we say her she or an will my one all would there their what so up out if about
        who get which go me when make can like time no just him know take people into year your
        is are was were been has had""".split()
    ),
}
