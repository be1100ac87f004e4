"""ExtendConfig: the typed config of `seapt tokenizer extend` (configs/tokenizer/*.yaml validate against it).

cfg = load_config(ExtendConfig, "configs/tokenizer/llama3-th.yaml", overrides=["add.th=4000"])
extend_tokenizer(cfg)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seapt.config import check
from seapt.languages import LANGUAGES


@dataclass
class ExtendConfig:
    """Extend a base tokenizer's vocabulary with tokens learned on target-language corpora."""

    base: str = ""
    """Base tokenizer: a local folder holding tokenizer.json (and tokenizer.model for SentencePiece bases),
    a tokenizer.json file, or a Hugging Face Hub id (needs network)."""
    corpus: dict[str, str] = field(default_factory=dict)
    """Training text per language code, e.g. {th: corpus/th}: a prepared corpus folder, .jsonl, .txt or
    .parquet file."""
    add: dict[str, int] = field(default_factory=dict)
    """Number of new tokens to learn per language, e.g. {th: 8000}; every language here needs a corpus."""
    output: str = ""
    """Output folder for tokenizer.json, tokenizer_config.json, tokenizer.model (SentencePiece) and
    extension.json."""
    english: str | None = None
    """English/code reference text (.txt/.jsonl/folder): merges whose pair occurs in its base tokenisation
    are never learned. Default: seapt's built-in English + Python sample."""
    code_reference: str | None = "stdlib"
    """Source code whose every word and identifier must keep its base tokens, besides ``english``: "stdlib"
    (the running Python's standard library, without tests and site-packages; PSF licence, on every machine),
    a folder of .py files, or null for none. Merges that would change any of its pieces are never learned."""
    min_frequency: int = 2
    """Stop a language early when its best remaining pair occurs fewer than this many times."""
    segment: bool = False
    """Pre-split text of languages written without spaces (Thai) into words with seapt.text.segment before
    counting, so merges stay inside words. Shapes the counts only; the saved tokenizer does not use it.
    Off by default: on Llama-3 + Thai it gave a worse (higher) FLORES parity than without it."""
    phrase_spaces: float = 0.25
    """Languages written without spaces between words (th, lo, km, my) still put a space between phrases
    (real Khmer and Thai news: about one per 4 words). When such a language's corpus has almost none (fewer
    than one per 50 words, e.g. text re-joined from a segmented corpus), insert one at this share of its word
    boundaries before counting, so the tokens real text needs after a space are learned. 0: off. Shapes the
    counts only."""
    thai_marks_fix: bool = True
    """When a language written with combining marks (th, lo, km, my: Unicode Mn/Mc of its script's blocks) is
    added to a byte-level BPE base with a GPT-2/Llama-3 split regex, rewrite the regex so those marks join the
    letter classes, for any mix of languages (text without such marks pre-tokenises identically)."""
    vi_syllable_chains: bool = True
    """Byte-level bases with Vietnamese added: let runs of syllables that each hold a Vietnamese-only letter
    (ă â đ ê ô ơ ư, ạ…ỹ) form one pre-token, so tokens can span syllables ("người được"); text without two
    such syllables in a row is split as before. Llama-3 + 8k vi, FLORES parity: 1.29 without, 1.13 with."""
    fil_particle_chains: bool = True
    """Byte-level bases with Filipino added: let a run of two or more Filipino particles (ng, sa, ang, mga, ay,
    na, para, ito…; seapt.languages.fil.CHAIN_WORDS, none an English word) form one pre-token, so tokens such as
    " ng mga" can be learned; text without such a run is split as before."""
    skip_names: bool = True
    """Latin-script languages (vi, id): leave words with a capital letter and no letter specific to the
    language (foreign names and acronyms such as Moldova, Asunción, NHK, shared with English text) out of
    the counts, so no merge learned from them changes how English is encoded. Vietnamese names with
    Vietnamese letters (Việt, Nguyễn) are kept."""
    keep_accents: bool = False
    """WordPiece bases that strip accents: drop the accent stripping so Vietnamese keeps its tone marks
    (changes how accented English is tokenised; the English impact is reported in extension.json)."""
    max_chars_per_language: int = 50_000_000
    """Read at most this many characters of each corpus (bounds memory and time on huge corpora)."""
    check_texts_per_language: int = 500
    """Number of corpus documents per language used for the round-trip check."""

    def __post_init__(self) -> None:
        for lang, n in self.add.items():
            check(lang in LANGUAGES, f"add.{lang}", f"unknown language; use one of {', '.join(LANGUAGES)}")
            check(
                isinstance(n, int) and n > 0, f"add.{lang}", f"must be a positive number of tokens, got {n}"
            )
            check(lang in self.corpus, f"add.{lang}", f"no corpus for {lang}; pass --corpus {lang}=PATH")
        for lang in self.corpus:
            check(lang in LANGUAGES, f"corpus.{lang}", f"unknown language; use one of {', '.join(LANGUAGES)}")
        check(self.min_frequency >= 1, "min_frequency", f"must be at least 1, got {self.min_frequency}")
        check(0 <= self.phrase_spaces <= 1, "phrase_spaces", f"must be between 0 and 1, got {self.phrase_spaces}")
        check(self.max_chars_per_language > 0, "max_chars_per_language", "must be positive")
        check(self.check_texts_per_language >= 0, "check_texts_per_language", "must be 0 or more")

    def validate_for_run(self) -> None:
        """Checks that only matter when actually extending (a shipped YAML may leave paths to the CLI)."""
        check(bool(self.base), "base", "give the base tokenizer: --base PATH|HUB_ID")
        check(bool(self.output), "output", "give the output folder: --output DIR")
        check(bool(self.add), "add", "give at least one budget: --add th=8000")
