"""Malay (ms): Latin script, Indonesian's rules (ASCII punctuation, rules words and sentences), own stop words."""

from __future__ import annotations

from seapt.languages.base import Language
from seapt.languages.latin import ascii_punctuation
from seapt.languages.scripts import LATIN

# Function words among the most frequent words of ../shared/data/raw/ms_news_articles, with the Malay forms
# Indonesian lacks (kerana, boleh, iaitu, ialah, apabila, manakala, sahaja).
STOPWORDS = frozenset(
    """yang dan di ini itu dengan untuk dalam tidak pada dari juga akan ada ke mereka kepada sebagai lebih
    bagi adalah tersebut oleh ia atau sudah dia kita dapat kami seperti serta telah secara namun masih lagi
    para kerana bukan terhadap selain antara boleh iaitu ialah apabila manakala tetapi jika supaya hingga
    sahaja bahawa turut sebuah seorang setiap semua hanya sangat tanpa kini pula sendiri ketika semasa sejak
    mahu perlu sebelum selepas katanya berkata""".split()
)

LANGUAGE = Language(
    code="ms", name="Malay", flores="zsm_Latn", scripts=(LATIN,),
    segmenters=("rules",), sentence_splitter="rules", lingua="MALAY", spaces_between_words=True,
    corpus_engine="rules", normalize_rules=ascii_punctuation, stopwords=STOPWORDS,
    lm_eval="zsm_Latn", bench_tasks=("belebele_zsm_Latn",),
    sample="Bahasa Melayu ialah bahasa kebangsaan Malaysia dan digunakan oleh berjuta-juta orang.",
)
