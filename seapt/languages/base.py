"""The Language record: every fact seapt knows about one language, filled in by its module (th.py, …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from seapt.languages.scripts import Script


@dataclass(frozen=True)
class Language:
    """One language's facts. ISO 639-1 codes inside seapt; the other codes only at library boundaries."""

    code: str
    """ISO 639-1 code used inside seapt (ISO 639-3 where there is none, e.g. fil)."""
    name: str
    """English name, for reports and model cards."""
    flores: str
    """FLORES-200 / NLLB code (tha_Thai), for library boundaries and FLORES file names."""
    scripts: tuple[Script, ...]
    """Writing systems, the main one first; their blocks and combining marks come from seapt.languages.scripts."""
    segmenters: tuple[str, ...]
    """Word segmentation engines (seapt.text.segment); the first is the default."""
    sentence_splitter: str
    """Sentence splitting engine (seapt.text.sentences): crfcut, underthesea, rules or enders."""
    lingua: str | None
    """lingua.Language member name for language identification; None where lingua lacks the language (script
    share alone decides then)."""
    spaces_between_words: bool
    """False for Thai, Lao, Khmer, Burmese: words are not separated by spaces, so whitespace never counts words."""
    corpus_engine: str
    """The fastest engine, used by the corpus pipeline to count words for the quality filters."""
    fallbacks: dict[str, str] = field(default_factory=dict)
    """Engine → engine used instead (with a warning) when the first one's package is not installed."""
    engine_packages: dict[str, str] = field(default_factory=dict)
    """Engine → importable module it needs (engines not listed need only seapt's own dependencies)."""
    packages: dict[str, str] = field(default_factory=dict)
    """Optional package (pip name) → what it adds, e.g. {"myanmartools": "Zawgyi detection"}."""
    extra: str | None = None
    """seapt's optional extra that installs ``packages`` (pip install 'seapt[EXTRA]')."""
    normalize_rules: Callable[[str], str] | None = None
    """Language rules applied by seapt.text.normalize after NFC (pure, idempotent, never NFKC)."""
    pre_normalize: Callable[[str], str] | None = None
    """Rules applied before invisible characters are removed (Khmer: zero-width spaces become spaces)."""
    syllable_start: str = ""
    """Regex (``regex`` module) matching where a syllable starts inside a run of the script's letters and
    marks, for the ``syllable`` engine of languages written without spaces (lo, km, my)."""
    sentence_end: str = ""
    """Regex (``regex`` module) matching a sentence end, for the ``enders`` splitter."""
    stopwords: Callable[[], frozenset[str]] | frozenset[str] = frozenset()
    """Stop words, or a loader of them (Thai: pythainlp's list), for the quality filter's stop-word check."""
    legacy_encoding: str | None = None
    """A legacy font encoding much of the language's web text is in (Burmese: zawgyi). Documents holding it
    are counted in corpus stats.json ("encodings": {name: {"detected", "converted"}})."""
    legacy_detect: Callable[[str], bool] | None = None
    """True when a text holds a line in ``legacy_encoding`` (``normalize_rules`` converts such lines)."""
    lm_eval: str | None = None
    """Language tag of lm-eval-harness task names (xcopa_th, belebele_tha_Thai use th / tha_Thai)."""
    bench_tasks: tuple[str, ...] = ()
    """Default lm-eval tasks for this language (names as in lm-eval-harness)."""
    sample: str = "warm up"
    """A short real sentence in the language: segmented once per worker to load engines before timing starts,
    and the input of the registry-wide invariant tests."""

    @property
    def script(self) -> str:
        """Name of the main script (Thai, Latin, …)."""
        return self.scripts[0].name

    @property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        """Code point ranges (inclusive) of the language's scripts, for script-share language checks."""
        return tuple(r for s in self.scripts for r in s.blocks)

    @property
    def marks(self) -> str:
        """Combining marks (Mn/Mc) of the language's scripts."""
        return "".join(s.marks for s in self.scripts)

    def fallback(self, engine: str) -> str | None:
        """The engine used when ``engine``'s package is missing (None: no fallback)."""
        return self.fallbacks.get(engine)
