"""Word segmentation for every registered language: ``segment(text, lang, engine=None) -> list[str]``.

Engines (the first per language is the default, see seapt.languages):
- th ``nlpo3``: pythainlp's dictionary maximal matching (newmm) in Rust (PyThaiNLP/nlpo3) with
  pythainlp's word list, on the Thai runs of the text; the rest goes to the ``rules`` engine. Falls
  back to ``newmm`` with a warning when nlpo3 is missing. th ``newmm``: plain
  pythainlp.tokenize.word_tokenize(engine="newmm"). Both cut Thai in windows of ``THAI_WINDOW_CHARS``
  (the last words of each window are cut again with the next), so a 1 MB line without spaces takes
  linear time and bounded memory.
- vi ``underthesea``: underthesea's CRF word segmenter (VLSP 2013), multi-syllable words as one item
  ("học sinh"), fed the original syllables so its spelling normalisation never reaches the output;
  vi ``syllable``: one item per syllable / punctuation mark.
- km ``khmernltk`` and my ``pyidaungsu`` (the defaults): the CRF word models of khmer-nltk and pyidaungsu,
  read from the installed package and run by seapt's fast path (seapt.text.crf_khmer, crf_burmese: the
  package's words, several times faster); they fall back to ``icu`` with a one-line hint when the package is
  missing. lo, km, my ``icu`` (ICU dictionary word break, the Lao default and the corpus pipeline's engine for
  all three; falls back to ``syllable`` with a warning when PyICU is missing), ``syllable`` (the language's
  syllable rules) and lo ``laonlp`` (falls back to ``icu``): seapt.text.script_segment.
- id, en ``rules``: URLs, e-mails, numbers (Rp1.000,50  12:30), words with inner hyphens or apostrophes
  (anak-anak, don't), runs of dots, ! ? - ` ' and a few more (..., ``), any other character alone.

Contract: no item is empty or whitespace, items keep inner spaces only between the syllables of a
Vietnamese word, and ``"".join(items)`` minus whitespace equals ``text`` minus whitespace (lo/km/my: minus
zero-width spaces too, which are word boundaries there).
"""

from __future__ import annotations

import functools
import re
import warnings

from seapt.errors import ConfigError, DependencyError
from seapt.languages import THAI_MARKS, get

THAI_WINDOW_CHARS = 2000
"""Thai text longer than this is segmented window by window (bounded time and memory per call)."""
THAI_BATCH_CHARS = 100_000
"""Short Thai runs are joined by newlines into one nlpo3 call of up to this many characters."""
THAI_WINDOW_REDO_WORDS = 3
"""Words at the end of a window that are discarded and re-segmented with the next window."""

PACKAGE_HINTS = {"pyidaungsu": "pip install --no-deps pyidaungsu: seapt reads only its CRF model file"}
"""Install hints for engines whose package is not in the language's seapt extra."""

_THAI_RUN = re.compile(r"([\u0e00-\u0e7f][\u0e00-\u0e7f.]*)")  # a Thai run keeps its dots (รพ., พ.ศ.)
_ODD_SPACE = re.compile(r"[\x1c-\x1f\x85]")  # whitespace to Python's str.split, not to the regex module
_NLPO3_DICT = "seapt_pythainlp_words_th"
_MARKS = frozenset(THAI_MARKS)
_SEP = "\x00"  # never inside a Thai run: runs hold Thai letters and dots only
_MARK_SEP = re.compile(f"(?<!\\n){_SEP}(?=[{THAI_MARKS}])")
_RULES = (
    # URL and e-mail lengths are bounded so that a long line without spaces stays linear-time
    r"(?:https?://|www\.)[^\s<>\"']{0,2000}[^\s<>\"'.,;:!?)\]}]"  # URL (trailing punctuation left out)
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"  # e-mail
    r"|[\p{L}\p{M}\p{N}_]+(?:(?:['’\-]|(?<=\p{N})[.,:/](?=\p{N}))[\p{L}\p{M}\p{N}_]+)*"
    # ^ words and numbers: anak-anak, don't, Rp1.000,50, 12:30, 10/11/2024
    r"|\.{2,}|!{2,}|\?{2,}|-{2,}|`{2,}|'{2,}|\*{2,}|={2,}|_{2,}|~{2,}|/{2,}"  # runs: ... !! `` --
    r"|\S"  # any other character alone (emoji too: 😰😰 is two words in Wisesight's gold)
)  # no capturing group: findall returns the words directly (a C loop; the Thai engine calls this a lot)


def engines(lang: str) -> tuple[str, ...]:
    """The segmentation engines of ``lang``; the first is the default."""
    return get(lang).segmenters


def resolve_engine(lang: str, engine: str | None) -> str:
    """The engine to use for ``lang`` (default when None), or a ConfigError listing the valid ones."""
    valid = engines(lang)
    if engine is None:
        engine = valid[0]
    if engine not in valid:
        raise ConfigError(f"unknown segmentation engine {engine!r} for {lang}; use one of {', '.join(valid)}")
    language = get(lang)
    fallback = language.fallback(engine)
    while fallback is not None and not _installed(engine, language.engine_packages.get(engine)):
        hint = PACKAGE_HINTS.get(engine) or (f"pip install 'seapt[{language.extra}]'" if language.extra else "")
        hint = f" ({hint})" if hint else ""
        warnings.warn(f"{engine} is not installed{hint}; segmenting {language.name} with the {fallback} engine",
                      stacklevel=3)
        engine, fallback = fallback, language.fallback(fallback)
    return engine


def _installed(engine: str, module: str | None) -> bool:
    """True when ``engine``'s package can be imported (engines without a package always are)."""
    if engine == "nlpo3":
        return _has_nlpo3()  # kept separate: tests switch it off
    return module is None or _importable(module)


@functools.lru_cache(maxsize=None)
def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def segment(text: str, lang: str, engine: str | None = None) -> list[str]:
    """Split ``text`` into words (see the module docstring for the engines and the contract)."""
    return segment_batch([text], lang, engine)[0]


def segment_batch(texts: list[str], lang: str, engine: str | None = None) -> list[list[str]]:
    """Segment many texts with one engine lookup and one model load."""
    engine = resolve_engine(lang, engine)
    if engine == "nlpo3":
        return _nlpo3_batch(texts)
    if engine == "newmm":
        return [[w for piece in _windowed(t, _newmm_cut) for w in piece.split()] for t in texts]
    if engine == "underthesea":
        from seapt.text.vi_segment import segment_vi_batch

        return segment_vi_batch(texts)
    if engine in ("icu", "laonlp", "khmernltk", "pyidaungsu") or (engine == "syllable" and get(lang).syllable_start):
        from seapt.text.script_segment import segment_runs

        return segment_runs(texts, lang, engine, _rules)
    return [_rules(t) for t in texts]


def _nlpo3_batch(texts: list[str]) -> list[list[str]]:
    """nlpo3 on the Thai runs of each text and the rules engine on everything else.

    Measured on wisesight-1000 against plain nlpo3/newmm: non-Thai stretches (URLs, #hashtags, 13:00,
    Kiehl’s, emoji) are better cut by the rules engine than by newmm's dictionary walk, and splitting at
    the script change cuts หน้… and อ😭 right. A Thai run keeps its dots, so dictionary abbreviations
    (รพ., พ.ศ.) stay whole; a piece that starts with a Thai mark (nlpo3's เวียร + ์) joins the one before.
    Short Thai runs are cut together, joined by newlines, to save nlpo3's per-call overhead.
    """
    splits = [_THAI_RUN.split(t) for t in texts]  # [other, Thai run, other, Thai run, ..., other]
    cut_runs = iter(_cut_thai_runs([run for parts in splits for run in parts[1::2]], _nlpo3_cut()))
    findall = _rules_pattern().findall
    out = []
    for text, parts in zip(texts, splits):
        # _rules without its odd-whitespace pass, when the whole text has none (the usual case)
        rules = _rules if _ODD_SPACE.search(text) else findall
        words: list[str] = rules(parts[0]) if parts[0] and not parts[0].isspace() else []
        extend = words.extend
        for i in range(1, len(parts), 2):
            extend(next(cut_runs))
            other = parts[i + 1]
            if other and not other.isspace():
                extend(rules(other))
        out.append(words)
    return out


def _cut_thai_runs(runs: list[str], cut) -> list[list[str]]:
    """Words of each Thai run (no newlines inside): long runs alone in windows, short ones joined by
    newlines into calls of up to THAI_BATCH_CHARS characters and split back at the newlines."""
    out: list[list[str]] = []
    group: list[str] = []
    size = 0
    for run in runs + [None]:
        if group and (run is None or size + len(run) > THAI_BATCH_CHARS or len(run) > THAI_WINDOW_CHARS):
            out.extend(_split_group(group, _exact("\n".join(group), cut)))
            group, size = [], 0
        if run is None:
            break
        if len(run) > THAI_WINDOW_CHARS:
            words = []
            for piece in _windowed(run, cut):
                _add_thai(words, piece)
            out.append(words)
        else:
            group.append(run)
            size += len(run) + 1
    return out


def _split_group(group: list[str], pieces: list[str]) -> list[list[str]]:
    """Words of each run of ``group`` from the pieces of ``"\\n".join(group)``.

    The hot path of Thai segmentation, done with C-level string operations: join the pieces with a
    separator, drop the separator before a piece that starts with a Thai mark, split at the newlines.
    """
    joined = _MARK_SEP.sub("", _SEP.join(pieces))
    per_run = joined.split(_SEP + "\n" + _SEP)
    # The pieces spell the group exactly (_exact), so one piece per newline gives one part per run.
    if len(per_run) == len(group):
        return [r.split(_SEP) for r in per_run]
    out, words = [], []  # nlpo3 cut next to a newline differently: the slow, general walk
    for piece in pieces:
        first, *rest = piece.split("\n")
        _add_thai(words, first)
        for sub in rest:
            out.append(words)
            words = []
            _add_thai(words, sub)
    out.append(words)
    return out


def _add_thai(words: list[str], piece: str) -> None:
    if not piece:
        return
    if words and piece[0] in _MARKS:
        words[-1] += piece
    else:
        words.append(piece)


def _windowed(text: str, cut) -> list[str]:
    """``cut`` (str -> pieces that concatenate to it) in windows of THAI_WINDOW_CHARS characters: the
    last THAI_WINDOW_REDO_WORDS pieces of a window are cut again with the next, so time and memory per
    call stay bounded for any line length."""
    if len(text) <= THAI_WINDOW_CHARS:
        return _exact(text, cut)
    pieces: list[str] = []
    start = 0
    while start < len(text):
        window = text[start : start + THAI_WINDOW_CHARS]
        got = _exact(window, cut)
        if start + len(window) >= len(text):
            pieces.extend(got)
            break
        keep = got[:-THAI_WINDOW_REDO_WORDS] or got[:1]  # at least one piece: always progresses
        pieces.extend(keep)
        start += sum(map(len, keep))
    return pieces


def _exact(text: str, cut) -> list[str]:
    """``cut(text)``, checked to give back exactly ``text`` (else the text as one piece: a character
    is never lost or invented, whatever the engine does)."""
    pieces = [p for p in cut(text) if p]
    if "".join(pieces) == text:
        return pieces
    return [text]


@functools.lru_cache(maxsize=1)
def _has_nlpo3() -> bool:
    try:
        import nlpo3  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _nlpo3_cut():
    """nlpo3's segmenter on pythainlp's Thai word list (the dictionary newmm uses), loaded once."""
    from importlib.resources import as_file, files

    import nlpo3

    with as_file(files("pythainlp.corpus").joinpath("words_th.txt")) as path:
        message, ok = nlpo3.load_dict(str(path), _NLPO3_DICT)
    if not ok and "already" not in message.lower():
        raise DependencyError(f"nlpo3 could not load pythainlp's dictionary ({message}); reinstall pythainlp")
    return functools.partial(nlpo3.segment, dict_name=_NLPO3_DICT)


def _newmm_cut(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", keep_whitespace=True) if text else []


@functools.lru_cache(maxsize=1)
def _rules_pattern():
    import regex

    return regex.compile(_RULES)


def _rules(text: str) -> list[str]:
    words = _rules_pattern().findall(text)
    if _ODD_SPACE.search(text):  # keep the contract: no item holds what str.split calls whitespace
        words = [w for word in words for w in word.split()]
    return words

