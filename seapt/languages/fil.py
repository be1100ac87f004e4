"""Filipino (fil): Latin script, Indonesian's rules (ASCII punctuation, rules words and sentences), own stop words."""

from __future__ import annotations

from seapt.languages.base import Language
from seapt.languages.latin import ascii_punctuation
from seapt.languages.scripts import LATIN

# Function words among the most frequent words of ../shared/data/raw/fil_ud_newscrawl.
STOPWORDS = frozenset(
    """sa ang ng na at mga ay ni si hindi pa kung ito dahil may para niya nang lang naman isang kanyang siya
    rin kay ko pero nito kaya kanilang raw noong sila o din nila lamang wala ngayon daw ako nga upang kahit
    ba mas habang itong lahat ayon dito natin namin hanggang""".split()
)

# Case markers, linkers and pronouns that run together ("ng mga", "sa mga", "para sa", "ito ay"): 2,160 such
# pairs in FLORES tgl devtest. None is an English word ("at", "may", "o" are left out), so a chain of two or more
# of them never occurs in English text; byte-level bases let such a chain form one pre-token (fil_particle_chains).
CHAIN_WORDS = (
    "kanilang", "kanyang", "hindi", "isang", "nang", "nito", "niya", "siya", "sila", "nila", "para", "ang", "mga",
    "kay", "ito", "ng", "sa", "na", "ay", "ni", "si",
)

LANGUAGE = Language(
    code="fil", name="Filipino", flores="tgl_Latn", scripts=(LATIN,),
    segmenters=("rules",), sentence_splitter="rules", lingua="TAGALOG", spaces_between_words=True,
    corpus_engine="rules", normalize_rules=ascii_punctuation, stopwords=STOPWORDS,
    lm_eval="tgl_Latn", bench_tasks=("belebele_tgl_Latn",),
    sample="Ang wikang Filipino ay ang pambansang wika ng Pilipinas at ginagamit ng milyun-milyong tao.",
)
