"""CorpusConfig: every option of `seapt corpus prepare`, one docstring per field (configs/corpus/<lang>.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from seapt.config import check


@dataclass
class CleanConfig:
    """Line-level cleaning: markup remnants, boilerplate lines, lines repeated across documents."""

    strip_html: bool = True
    """Remove HTML/XML tags, entities and wiki markup (== Heading ==, [[links]]) left in the text."""
    boilerplate_patterns: list[str] = field(default_factory=list)
    """Extra regular expressions; a line matching one (re.search, case-insensitive) is removed. Built-in
    patterns already cover source lines (ที่มา: URL), cookie/share/navigation/subscribe lines and copyright."""
    builtin_boilerplate: bool = True
    """Apply the built-in boilerplate line patterns (th/vi/id/en); false keeps only boilerplate_patterns."""
    repeated_line_min_docs: int = 5
    """A line (of at least repeated_line_min_chars) found in this many documents of the whole corpus is
    boilerplate and removed from all of them (counted corpus-wide, so sharding does not change it); 0: off."""
    repeated_line_min_chars: int = 20
    """Shorter lines are never treated as cross-document repeats (list items, dates, headings)."""
    doubled_min_share: float = 0.3
    """Repair scraper-doubled documents: a stretch of the text that occurs twice (grown from a repeated line of
    20+ characters) and holds at least this share of the document's characters loses its second copy, instead
    of the quality filter dropping the whole document for duplicate lines (stats.json "repaired"); 0: off."""


@dataclass
class PiiConfig:
    """PII masking (seapt.text.pii): matches are replaced by tags such as <EMAIL> and counted in stats."""

    enabled: bool = True
    """Mask PII at all; false leaves text untouched."""
    kinds: list[str] = field(default_factory=lambda: ["email", "url", "phone", "national_id"])
    """Which kinds to mask: email, url, phone, national_id (Thai ID with checksum, Indonesian NIK, Vietnamese
    CCCD)."""


@dataclass
class LangIdConfig:
    """Language identification: script share first, then lingua restricted to the candidate languages."""

    min_script_share: float = 0.6
    """Minimum share of letters in the target language's script (Thai script for th, Latin for vi/id)."""
    use_lingua: bool = True
    """Run lingua (restricted to candidates) for Latin-script languages, where script share cannot decide."""
    candidates: list[str] = field(default_factory=lambda: ["en", "th", "vi", "id"])
    """Languages lingua may choose between (ISO 639-1); the target is always included."""
    allow_malay: bool = False
    """Add Malay to the candidates (off: lingua sends much Indonesian to Malay); Malay then counts as id."""
    min_confidence: float = 0.5
    """Minimum lingua confidence for the target language; lower-scoring documents are dropped."""
    sample_chars: int = 2000
    """Characters from the start of the document given to lingua (speed; a long article needs no more)."""


@dataclass
class QualityConfig:
    """Gopher/FineWeb-2 style document quality filters, with words from seapt's segmenters."""

    min_words: int = 20
    """Minimum number of words (segmenter words, not whitespace tokens) in a document."""
    max_words: int = 200000
    """Maximum number of words in a document."""
    min_mean_word_chars: float = 1.5
    """Minimum mean word length in characters."""
    max_mean_word_chars: float = 15.0
    """Maximum mean word length in characters (catches base64, hashes, glued text)."""
    max_symbol_word_ratio: float = 0.1
    """Maximum ratio of '#' and '...' symbols to words."""
    max_emoji_word_ratio: float = 0.15
    """Maximum ratio of pictographic symbols (Unicode category So: emoji, ✅, ©) to words. Keyword and ad spam
    decorates every phrase with them (the bundled spam samples: 0.18-0.29; its n-gram repetition is within
    the range of real Thai news, so the repetition checks cannot drop it); th_thaigov, vi_wiki and id_wiki
    reach at most 0.11, and 1.6% of Thai social-media posts of 20+ words (Wisesight) exceed 0.15."""
    max_digit_char_ratio: float = 0.35
    """Maximum share of digit characters among non-space characters."""
    max_non_word_ratio: float = 0.5
    """Maximum share of words with no letter at all (numbers, punctuation)."""
    max_bullet_lines_ratio: float = 0.9
    """Maximum share of lines starting with a bullet."""
    max_ellipsis_lines_ratio: float = 0.3
    """Maximum share of lines ending with an ellipsis."""
    max_dup_line_frac: float = 0.5
    """Maximum share of lines that duplicate an earlier line of the same document (Gopher: 0.3; news pages
    repeat their title two or three times)."""
    max_dup_line_char_frac: float = 0.3
    """Maximum share of characters in duplicated lines (Gopher: 0.2)."""
    max_top_ngram_char_frac: float = 0.4
    """Maximum share of word characters covered by the most frequent word 2-, 3- or 4-gram (Gopher: 0.20 to
    0.16 over English words; Thai and Vietnamese units are shorter, so clean news reaches 0.3)."""
    max_dup_ngram_char_frac: float = 0.75
    """Maximum share of word characters inside repeated word 5-grams (Gopher: 0.15 over English words; clean
    Thai news reaches 0.6 because official names repeat, keyword spam is above 0.95)."""
    min_stop_words: int = 2
    """Minimum number of distinct stop words of the language (seapt.languages.stopwords)."""
    max_replacement_char_ratio: float = 0.001
    """Maximum share of U+FFFD and mojibake sequences (Ã, â€) among characters (3 at least). U+FFFD alone
    is also checked on the raw text, before normalisation: those bytes were lost upstream and ftfy cannot
    restore them."""
    min_mojibake_chars: int = 3
    """Fewest U+FFFD / mojibake sequences that can drop a document (with max_replacement_char_ratio): 3 keeps a
    long article with a stray replacement character; one-sentence corpora (lo, fil) use 1, where a single
    U+FFFD already means lost letters."""


@dataclass
class DedupConfig:
    """Exact and MinHash near-duplicate removal over the whole corpus (all workers)."""

    exact: bool = True
    """Drop documents whose normalised text equals an earlier one (reason exact_duplicate)."""
    near: bool = True
    """Drop near-duplicates found by MinHash LSH over word n-grams (reason near_duplicate)."""
    n_grams: int = 5
    """Words per shingle (words from seapt's segmenter, so Thai is not shingled by whitespace)."""
    num_buckets: int = 14
    """LSH bands; with hashes_per_bucket=8 the match threshold is about Jaccard 0.72."""
    hashes_per_bucket: int = 8
    """Hashes per LSH band."""
    seed: int = 1
    """Seed of the MinHash permutations (same on every worker)."""


@dataclass
class DecontConfig:
    """Decontamination: drop documents sharing a long word n-gram with benchmark files."""

    paths: list[str] = field(default_factory=list)
    """Benchmark files (.txt lines, .jsonl with any string fields, .conllu); --decontaminate adds to these."""
    n_grams: int = 13
    """Words per n-gram; a document sharing one with a benchmark item is dropped (GPT-3 used 13)."""


@dataclass
class CorpusConfig:
    """Options of `seapt corpus prepare` (see configs/corpus/<lang>.yaml for per-language defaults)."""

    lang: str = "th"
    """Target language: a registered code other than en (`seapt languages`)."""
    inputs: list[str] = field(default_factory=list)
    """Input files or folders (.jsonl(.gz), .txt(.gz), .parquet) or hf://ORG/DATASET ids; --input sets it."""
    output: str = ""
    """Output folder (data/, removed/, stats.json, config.yaml, logs/); --output sets it."""
    text_key: str = "text"
    """Field holding the text in .jsonl/.parquet/HF dataset input."""
    id_key: str = "id"
    """Field holding a document id; when absent the id is <file>/<line>."""
    hf_split: str = "train"
    """Split read when an input is a Hugging Face dataset id (streamed)."""
    hf_config: str | None = None
    """Config (subset) name of a Hugging Face dataset input, e.g. tha_Thai for FineWeb-2."""
    workers: int = 1
    """Processes running at once on this machine."""
    tasks: int = 0
    """Shards the input is split into (0: same as workers); more tasks than workers = finer resume units."""
    executor: Literal["local", "slurm", "ray"] = "local"
    """datatrove executor: local processes, Slurm jobs, or a Ray cluster."""
    slurm_partition: str = "cpu"
    """Slurm partition (executor slurm)."""
    slurm_time: str = "12:00:00"
    """Slurm time limit per job (executor slurm)."""
    max_doc_bytes: int = 1_000_000
    """Documents longer than this (UTF-8 bytes) are dropped as too_long (a 10 MB line never stalls a worker)."""
    normalize: bool = True
    """Apply seapt.text.normalize (idempotent, Thai-safe) before anything else."""
    clean: CleanConfig = field(default_factory=CleanConfig)
    """Line cleaning options."""
    pii: PiiConfig = field(default_factory=PiiConfig)
    """PII masking options."""
    langid: LangIdConfig = field(default_factory=LangIdConfig)
    """Language identification options."""
    quality: QualityConfig = field(default_factory=QualityConfig)
    """Quality filter thresholds."""
    dedup: DedupConfig = field(default_factory=DedupConfig)
    """Deduplication options."""
    decontaminate: DecontConfig = field(default_factory=DecontConfig)
    """Decontamination options."""
    progress: bool = True
    """Show a rich progress display and summary table."""

    def __post_init__(self):
        from seapt.languages import LANGUAGES, TARGETS

        check(self.lang in TARGETS, "lang", f"{self.lang!r} is not supported; use one of {', '.join(TARGETS)}")
        check(self.workers >= 1, "workers", "must be at least 1")
        check(self.tasks >= 0, "tasks", "must be 0 (same as workers) or more")
        check(self.max_doc_bytes >= 1000, "max_doc_bytes", "must be at least 1000")
        for c in self.langid.candidates:
            check(c in LANGUAGES, "langid.candidates", f"{c!r} is unknown; use codes from {', '.join(LANGUAGES)}")
        check(0.0 <= self.langid.min_script_share <= 1.0, "langid.min_script_share", "must be within 0..1")
        check(0.0 <= self.langid.min_confidence <= 1.0, "langid.min_confidence", "must be within 0..1")
        for k in self.pii.kinds:
            check(k in ("email", "url", "phone", "national_id"), "pii.kinds",
                  f"{k!r} is unknown; use email, url, phone, national_id")
        q = self.quality
        check(0 <= q.min_words <= q.max_words, "quality.min_words", "must be >= 0 and <= quality.max_words")
        check(q.min_mean_word_chars < q.max_mean_word_chars, "quality.min_mean_word_chars",
              "must be below quality.max_mean_word_chars")
        check(q.min_mojibake_chars >= 1, "quality.min_mojibake_chars", "must be at least 1")
        check(self.dedup.n_grams >= 1, "dedup.n_grams", "must be at least 1")
        check(self.dedup.num_buckets >= 1 and self.dedup.hashes_per_bucket >= 1, "dedup.num_buckets",
              "num_buckets and hashes_per_bucket must be at least 1")
        check(self.decontaminate.n_grams >= 3, "decontaminate.n_grams", "must be at least 3")
        check(self.clean.repeated_line_min_docs >= 0, "clean.repeated_line_min_docs", "must be 0 (off) or more")
        check(0.0 <= self.clean.doubled_min_share <= 0.5, "clean.doubled_min_share",
              "must be within 0 (off)..0.5 (a second copy is at most half of a text)")

    @property
    def num_tasks(self) -> int:
        """Number of shards actually used."""
        return self.tasks or self.workers


def load_corpus_config(lang: str, path=None, *, inputs=(), output: str = "", workers: int | None = None,
                       executor: str | None = None, decontaminate=(), overrides=(), progress: bool = True
                       ) -> CorpusConfig:
    """CorpusConfig from configs/corpus/<lang>.yaml (or ``path``), CLI flags, then ``--set`` overrides."""
    from seapt.config import load_config, load_yaml
    from seapt.errors import ConfigError
    from seapt.languages import TARGETS
    from seapt.resources import shipped_config

    if lang not in TARGETS:
        raise ConfigError(f"--lang {lang!r} is not supported; use one of {', '.join(TARGETS)}")
    if path is None:
        path = shipped_config("corpus", f"{lang}.yaml")
        if path is None:  # thresholds not calibrated on real text of this language yet: no silent defaults
            raise ConfigError(f"no calibrated corpus config ships for {lang!r}; pass --config YAML "
                              "(fields: seapt/corpus/config.py)")
    base = load_yaml(path)
    base["lang"] = lang
    base["inputs"] = list(inputs)
    base["output"] = output
    base["progress"] = progress
    if workers is not None:
        base["workers"] = workers
    if executor is not None:
        base["executor"] = executor
    if decontaminate:
        dec = base.setdefault("decontaminate", {})
        dec["paths"] = list(dec.get("paths") or []) + list(decontaminate)
    return load_config(CorpusConfig, None, overrides, base=base)
