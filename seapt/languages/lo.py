"""Lao (lo): Lao script, NFC with ໍ+າ → ຳ, ICU words (syllable-rule fallback), sentences end at . ! ?."""

from __future__ import annotations

import re

from seapt.languages.base import Language
from seapt.languages.scripts import LAO

# Decomposed NIGGAHITA (+ tone marks) + AA -> (tone marks +) AM: NFC never composes ຳ (U+0EB3 has only a
# compatibility decomposition, which NFKC would apply the other way), as with Thai ำ.
_AM = re.compile("\u0ecd([\u0ec8-\u0ecb]*)\u0eb2")

# Where a new syllable may start inside a run of Lao letters and marks: before a leading vowel (ເ ແ ໂ ໃ ໄ),
# and before a consonant that does not follow a leading vowel or a HO SUNG marking the tone of ງ ຍ ນ ມ ລ ວ
# (ຫງ ຫນ …), and is not a final (ກ ງ ດ ນ ບ ມ ຍ ວ after a vowel sign, tone mark or a leading vowel + consonant,
# with no vowel sign of its own after it). Marks never start a syllable.
_C = "\u0e81-\u0eae\u0edc-\u0edf"
_V = "\u0eb0-\u0ebd\u0ec8-\u0ecd"  # vowel signs, semivowel ຽ, tone marks
SYLLABLE_START = (
    r"[\u0ec0-\u0ec4]"
    r"|(?<![\u0ec0-\u0ec4])(?<!\u0eab(?=[\u0e87\u0e8d\u0e99\u0ea1\u0ea5\u0ea7]))"
    rf"(?!(?<=[{_V}]|[\u0ec0-\u0ec4][{_C}])[\u0e81\u0e87\u0e94\u0e99\u0e9a\u0ea1\u0e8d\u0ea7](?![{_V}]))[{_C}]"
)


def normalize_lao(text: str) -> str:
    """ໍ (+ tone marks) + າ → (tone marks +) ຳ."""
    return _AM.sub("\\1\u0eb3", text) if "\u0ecd" in text else text


# Function words (particles and pronouns of news and social-media text too: ເຮົາ ກະ ເດີ ບໍ ລະ …), checked
# against the most frequent ICU words of ../shared/data/raw/lo_yunshan.
STOPWORDS = frozenset(
    """ແລະ ຂອງ ໃນ ທີ່ ເປັນ ໄດ້ ມີ ກັບ ຈະ ບໍ່ ໃຫ້ ແມ່ນ ນີ້ ຈາກ ໄປ ມາ ຫຼື ຕໍ່ ກໍ່ ວ່າ ຢູ່ ການ ເພື່ອ ແຕ່ ໂດຍ
    ຄື ນັ້ນ ເຊິ່ງ ຊຶ່ງ ແລ້ວ ເຮົາ ກະ ທ່ານ ມັນ ເຈົ້າ ພວກ ຍັງ ກັນ ກໍ ຜູ້ ເດີ ເຂົາ ໃດ ຖ້າ ເລີຍ ບໍ ລະ ຕ້ອງ ນໍາ
    ຂ້ອຍ ກູ ຈັ່ງ ຊິ ແນ່ ເນາະ""".split()
)

LANGUAGE = Language(
    code="lo", name="Lao", flores="lao_Laoo", scripts=(LAO,),
    segmenters=("icu", "syllable", "laonlp"), fallbacks={"icu": "syllable", "laonlp": "icu"},
    engine_packages={"icu": "icu", "laonlp": "laonlp"},
    packages={"pyicu-wheels": "ICU dictionary word break (icu engine)", "laonlp": "dictionary word segmentation (laonlp engine)"}, extra="lo",
    sentence_splitter="enders", sentence_end=r"[.!?]+[\"'”’)\]]*(?=\s)",
    lingua=None, spaces_between_words=False, corpus_engine="icu",
    normalize_rules=normalize_lao, stopwords=STOPWORDS, syllable_start=SYLLABLE_START,
    lm_eval="lao_Laoo", bench_tasks=("belebele_lao_Laoo",),
    sample="ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ ເປັນປະເທດໜຶ່ງໃນອາຊີຕາເວັນອອກສ່ຽງໃຕ້.",
)
