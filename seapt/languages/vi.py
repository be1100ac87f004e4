"""Vietnamese (vi): Latin script, one tone-mark placement, underthesea words and sentences."""

from __future__ import annotations

import re
import unicodedata

from seapt.languages.base import Language
from seapt.languages.scripts import LATIN

VI_LETTERS = "ăâđêôơưĂÂĐÊÔƠƯ"
"""Vietnamese letters beyond ASCII (composed, NFC); used for script share and to recognise vi text."""

# Vietnamese tone marks (combining, as in NFD) and the open-syllable nuclei whose tone moves.
_VI_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VI_OPEN = re.compile(
    rf"(?<![qQ\u0300-\u036f])"  # not 'qu' + y (quý), not after a marked vowel (a longer vowel group)
    rf"([oO](?=[aAeE])|[uU](?=[yY]))([aAeEyY])([{_VI_TONES}])(?![\w\u0300-\u036f])"
)


def vi_tone_placement(text: str) -> str:
    """Move Vietnamese tone marks to the traditional placement used by most Vietnamese text, the UD-VTB
    treebank and underthesea's models: in the open syllables oa, oe, uy the tone sits on the first vowel
    (hoà → hòa, thuỷ → thủy); with a final consonant or after qu nothing moves. NFC out, no spaces added."""
    if text.isascii():
        return text
    nfd = unicodedata.normalize("NFD", text)
    moved = _VI_OPEN.sub(lambda m: m.group(1) + m.group(3) + m.group(2), nfd)
    return unicodedata.normalize("NFC", moved)


STOPWORDS = frozenset(
    """và của là có được cho không những các một này trong người với đã để thì khi từ như
    cũng theo về đến nhiều sẽ ra làm đó nên vì rằng tại nhưng bị hay hoặc nếu lại vào còn
    năm trên sau đi rất mà đang chỉ những nó họ tôi chúng ta bạn anh chị ông bà cô em mình ở
    hơn nhất cùng việc nào đây sự thế đều qua giữa bởi do vẫn""".split()
)

LANGUAGE = Language(
    code="vi", name="Vietnamese", flores="vie_Latn", scripts=(LATIN,),
    segmenters=("underthesea", "syllable"), engine_packages={"underthesea": "underthesea"},
    sentence_splitter="underthesea", lingua="VIETNAMESE", spaces_between_words=True, corpus_engine="syllable",
    normalize_rules=vi_tone_placement, stopwords=STOPWORDS,
    lm_eval="vi", bench_tasks=("xcopa_vi", "belebele_vie_Latn", "xnli_vi"),
    sample="Tiếng Việt là ngôn ngữ chính thức của Việt Nam. Hòa bình và thủy lợi.",
)
