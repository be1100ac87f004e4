"""English (en): the base models' language; the reference for parity and for unchanged token ids."""

from __future__ import annotations

from seapt.languages.base import Language
from seapt.languages.latin import ascii_punctuation
from seapt.languages.scripts import LATIN

STOPWORDS = frozenset(
    """the be to of and a in that have i it for not on with he as you do at this but his by
    from they we say her she or an will my one all would there their what so up out if about
    who get which go me when make can like time no just him know take people into year your
    is are was were been has had""".split()
)

LANGUAGE = Language(
    code="en", name="English", flores="eng_Latn", scripts=(LATIN,),
    segmenters=("rules",), sentence_splitter="rules", lingua="ENGLISH", spaces_between_words=True,
    corpus_engine="rules", normalize_rules=ascii_punctuation, stopwords=STOPWORDS,
    lm_eval="en", bench_tasks=("belebele_eng_Latn",),
    sample="English is the language most base models were trained on. They do not know Thai well.",
)
