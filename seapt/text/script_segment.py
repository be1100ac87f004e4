"""Word segmentation for languages written without spaces other than Thai (lo, km, my): ICU and syllable rules.

    segment_runs(["ព្រះរាជាណាចក្រកម្ពុជា"], "km", "icu", rules)   # [["ព្រះរាជាណាចក្រ", "កម្ពុជា"]]

The text is cut into runs of the language's script (its letters and combining marks) and the rest. Runs go to:
- ``icu``: ICU's dictionary word break (PyICU, installed as ``pyicu-wheels``; seapt's lo/km/my extras) for
  the language's locale.
- ``syllable``: the language's syllable-start rule (seapt.languages.<code>.SYLLABLE_START: the standard
  Burmese sylbreak rule, Khmer character clusters, Lao orthographic syllables); no dictionary, no package.
- optional packages, measured side by side in benchmarks/results/sea-segmentation_cpu-2core_2026-12-06.md:
  ``laonlp`` (lo, dictionary maximal matching; its own function, run by run), ``khmernltk`` (km, khmer-nltk's
  CRF) and ``pyidaungsu`` (my, its CRF word model), both run by seapt's fast path over all runs of a batch
  (seapt.text.crf_khmer, crf_burmese: the package's model and words).
The rest goes to seapt.text.segment's ``rules`` engine (URLs, numbers, punctuation). Zero-width spaces and
non-joiners are word boundaries and are dropped; otherwise the words spell the text without its whitespace.
"""

from __future__ import annotations

import functools

from seapt.errors import DependencyError
from seapt.languages import get
from seapt.languages.scripts import ranges_class
from seapt.text.crf_burmese import words_batch as burmese_words
from seapt.text.crf_khmer import words_batch as khmer_words

_ZERO_WIDTH = "\u200b\u200c"


@functools.lru_cache(maxsize=None)
def _run_pattern(lang: str):
    import regex

    blocks = ranges_class(get(lang).ranges, python=True)
    return regex.compile(r"(?V1)([[" + blocks + r"]&&[\p{L}\p{M}]]+)")


@functools.lru_cache(maxsize=None)
def _syllable_pattern(lang: str):
    import regex

    return regex.compile(get(lang).syllable_start)


@functools.lru_cache(maxsize=None)
def _icu_iterator(lang: str):
    import icu

    return icu.BreakIterator.createWordInstance(icu.Locale(lang))


def _icu_cut(run: str, lang: str) -> list[str]:
    it = _icu_iterator(lang)
    it.setText(run)  # runs hold BMP characters only: ICU's UTF-16 offsets are Python indices
    bounds = [0, *it]
    return [run[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _syllable_cut(run: str, lang: str) -> list[str]:
    starts = [m.start() for m in _syllable_pattern(lang).finditer(run) if m.start() > 0]
    bounds = [0, *starts, len(run)]
    return [run[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


@functools.lru_cache(maxsize=None)
def package_function(engine: str):
    """The optional package's own word function for ``engine`` (str -> words), imported on first use: the
    ``laonlp`` engine, and the reference the khmernltk / pyidaungsu fast paths are tested and benchmarked
    against."""
    if engine == "laonlp":
        from laonlp import word_tokenize

        return word_tokenize
    if engine == "khmernltk":
        import logging

        from khmernltk import word_tokenize

        logging.getLogger("khmer-nltk").setLevel(logging.WARNING)  # it logs its model load at INFO

        return word_tokenize
    try:
        import pyidaungsu
    except ImportError as exc:  # installed without its fasttext dependency (which compiles from source)
        raise DependencyError(f"pyidaungsu cannot be imported ({exc}); pip install fasttext-wheel") from None
    return functools.partial(pyidaungsu.tokenize, form="word")


def _batch_cutter(engine: str):
    """runs -> words of each run, for the engines seapt runs by its fast path of the package's CRF (khmernltk,
    pyidaungsu); None for the others (cut run by run)."""
    return {"khmernltk": khmer_words, "pyidaungsu": burmese_words}.get(engine)


PACKAGE_ENGINES = ("laonlp", "khmernltk", "pyidaungsu")
"""Engines backed by an optional package."""


def segment_runs(texts: list[str], lang: str, engine: str, rules, reference: bool = False) -> list[list[str]]:
    """Words of each text: script runs cut by ``engine`` (icu, syllable or a package engine), the rest by
    ``rules`` (the rules engine of seapt.text.segment, passed in so this module does not import its caller).
    ``reference``: cut khmernltk / pyidaungsu runs with the package's own function instead of seapt's fast path
    (same words, slower; for tests and benchmarks)."""
    split = _run_pattern(lang).split
    texts_parts = []
    runs: list[str] = []
    for text in texts:
        for zw in _ZERO_WIDTH:
            if zw in text:
                text = text.replace(zw, " ")
        parts = split(text)  # [other, run, other, run, ..., other]
        texts_parts.append(parts)
        runs.extend(parts[1::2])
    batch = None if reference else _batch_cutter(engine)
    if batch is not None:
        cut_runs = batch(runs)
    else:
        if engine in PACKAGE_ENGINES:
            cut = package_function(engine)
        else:
            cut = functools.partial(_icu_cut if engine == "icu" else _syllable_cut, lang=lang)
        cut_runs = [cut(run) for run in runs]
    pieces_of = iter(cut_runs)
    out = []
    for parts in texts_parts:
        words: list[str] = []
        for i, part in enumerate(parts):
            if i % 2:
                pieces = next(pieces_of)
                words.extend(pieces if "".join(pieces) == part else [part])  # never lose or invent a character
            elif part and not part.isspace():
                words.extend(rules(part))
        out.append(words)
    return out
