"""Indonesian (id): Latin script, ASCII punctuation, rules words and sentences."""

from __future__ import annotations

from seapt.languages.base import Language
from seapt.languages.latin import ascii_punctuation
from seapt.languages.scripts import LATIN

STOPWORDS = frozenset(
    """yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga atau oleh
    sebagai karena ada bisa telah sudah saat lebih para tersebut mereka kami kita saya anda ia
    dia harus dapat hanya seperti bahwa agar namun tetapi jika maka masih antara setelah sebelum
    hingga sampai atas bagi secara serta yaitu kepada tentang menjadi banyak satu dua tahun
    belum pun lagi sangat bukan""".split()
)

LANGUAGE = Language(
    code="id", name="Indonesian", flores="ind_Latn", scripts=(LATIN,),
    segmenters=("rules",), sentence_splitter="rules", lingua="INDONESIAN", spaces_between_words=True,
    corpus_engine="rules", normalize_rules=ascii_punctuation, stopwords=STOPWORDS,
    lm_eval="id", bench_tasks=("xcopa_id", "belebele_ind_Latn"),
    sample="Bahasa Indonesia adalah bahasa resmi Republik Indonesia. Anak-anak bermain di taman.",
)
