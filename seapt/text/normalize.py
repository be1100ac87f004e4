"""Script-safe, idempotent text normalisation for every registered language: ``normalize(text, lang)``.

Steps, in order (then repeated to a fixed point, so ``normalize(normalize(x)) == normalize(x)``):

1. ftfy repairs mojibake, terminal escapes, C1 controls, surrogates and line breaks. Its own Unicode
   normalisation is switched off (seapt applies NFC itself and never NFKC: NFKC splits Thai SARA AM ำ),
   as are HTML unescaping, width folding, ligature splitting and quote uncurling (they change words, not
   encodings).
2. The language's ``pre_normalize`` rules (seapt.languages; Khmer: a zero-width space between Khmer
   characters, the writers' word separator, becomes a space so words are not merged); then BOM, zero-width, bidi-control and soft-hyphen characters and control characters except ``\\n`` and
   ``\\t`` are removed.
3. NFC.
4. The language's ``normalize_rules`` (its module in seapt.languages), e.g.:
   - th: pythainlp's mark rules (spaces before marks, vowel/tone reordering, repeated and dangling
     marks), decomposed NIKHAHIT + SARA AA (``ํ`` + ``า``, also with a tone mark between) becomes SARA AM
     ``ำ`` (XCOPA-th writes นํ้า for น้ำ); Thai digits are kept unless ``thai_digits="arabic"``.
   - vi: one tone-mark convention, the traditional ("old") placement used by most Vietnamese text, the
     UD-VTB treebank and underthesea's models: in the open syllables oa, oe, uy the tone sits on the
     first vowel (hòa, khỏe, thủy; hoà → hòa, thuỷ → thủy); with a final consonant or after qu both
     conventions agree (hoàn, quý) and nothing moves. NFD input composes. No spaces are ever inserted.
   - id, en: typographic quotes become ASCII quotes, hyphen and dash variants ``-``, ``…`` ``...``.
5. Whitespace (``collapse_whitespace=True``): every run of spaces, tabs and other Unicode spaces becomes
   one space, lines are stripped, and runs of blank lines become one blank line.

Speed without changing a character of the output: every step first checks, with one precompiled regex,
for the characters it can act on and skips itself when there are none (ftfy runs only on the lines holding a
character its mojibake heuristic or its fixers look at; pythainlp's ~26 mark rules run only when a pattern
they rewrite is present; ftfy's mojibake check is skipped on lines whose only suspicious characters are
punctuation it never flags alone — proved on the installed ftfy's regex at first use; the heuristic itself is
evaluated by seapt.text.badness, ftfy's regex rewritten around rare anchor characters: same answers, much
faster on Vietnamese lines). Whitespace is collapsed
with str.split (the same whitespace as the regex ``\\s``). tests/test_text_normalize_fast.py compares the
result with the previous implementation on random Unicode.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from seapt.errors import ConfigError
from seapt.languages import get
from seapt.languages.latin import _LATIN_PUNCT  # noqa: F401 - kept importable from here
from seapt.languages.th import normalize_thai as _thai, thai_triggers as _thai_triggers  # noqa: F401
from seapt.languages.vi import vi_tone_placement  # noqa: F401 - kept importable from here

THAI_DIGIT_MODES = ("keep", "arabic")
MAX_ROUNDS = 6  # fixed-point bound; every test input settles in at most 3 rounds

_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
)
_CONTROLS = "".join(chr(c) for c in list(range(0x20)) + list(range(0x7F, 0xA0)) if chr(c) not in "\n\t")
_DROP = str.maketrans("", "", _INVISIBLE + _CONTROLS)
_DROP_RE = re.compile("[" + re.escape(_INVISIBLE + _CONTROLS) + "]")  # str.translate is slow on non-ASCII
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize(text: str, lang: str, *, collapse_whitespace: bool = True, thai_digits: str = "keep") -> str:
    """Normalise ``text`` for ``lang`` (see the module docstring); pure and idempotent.

    ``thai_digits``: "keep" (default) or "arabic" (๐–๙ → 0–9, Thai only).
    """
    language = get(lang)
    if thai_digits not in THAI_DIGIT_MODES:
        raise ConfigError(f"thai_digits={thai_digits!r}: use one of {', '.join(THAI_DIGIT_MODES)}")
    out = text
    for _ in range(MAX_ROUNDS):
        new = _normalize_once(out, language, collapse_whitespace, thai_digits)
        if new == out:
            break
        out = new
    return out


def _normalize_once(text: str, language, collapse_whitespace: bool, thai_digits: str) -> str:
    text = _ftfy(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if language.pre_normalize is not None:
        text = language.pre_normalize(text)
    if _DROP_RE.search(text):
        text = text.translate(_DROP)
    text = unicodedata.normalize("NFC", text)
    if language.normalize_rules is not None:
        text = language.normalize_rules(text)
    if thai_digits == "arabic" and language.code == "th":
        text = text.translate(_THAI_DIGITS)
    if collapse_whitespace:
        # every run of horizontal whitespace (str.split's whitespace is the regex \s: spaces, tabs, NBSP, other
        # Zs) becomes one space and lines are stripped; faster than the equivalent regex substitutions
        text = "\n".join([" ".join(line.split()) for line in text.split("\n")])
        text = _BLANK_LINES.sub("\n\n", text)
    return text


@functools.lru_cache(maxsize=1)
def _ftfy_config():
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,  # "&amp;" may be the text itself; not an encoding error
        fix_character_width=False,  # width folding is NFKC-like; it changes words
        uncurl_quotes=False,  # done per language below (id/en only)
        fix_latin_ligatures=False,
        normalization=None,  # NFC is applied by seapt; ftfy's NFKC option must never reach Thai
        explain=False,
    )


@functools.lru_cache(maxsize=1)
def _ftfy_triggers() -> tuple[re.Pattern, re.Pattern]:
    """(any, fixers): ``any`` matches every character ftfy's mojibake heuristic (ftfy.badness.BADNESS_RE,
    each branch of which needs one of them) is built from and every character its fixers act on; ``fixers``
    only the latter (line breaks, surrogates, terminal escapes, C1 and other control characters)."""
    from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES
    from ftfy.chardata import CONTROL_CHARS

    fixers = "\r\x1b\u2028\u2029" + "".join(map(chr, CONTROL_CHARS))
    literal = "".join(sorted({c for c in BADNESS_RE.pattern if not c.isascii()}))
    any_ = re.compile("[" + "".join(MOJIBAKE_CATEGORIES.values()) + re.escape(literal + fixers) + "\ud800-\udfff]")
    return any_, re.compile("[" + re.escape(fixers) + "\x80-\x9f\ud800-\udfff]")


# Punctuation common in clean Thai and Vietnamese text (NBSP, curly quotes, dashes, bullet, ellipsis) that
# ftfy's heuristic only flags next to another of its characters: a line whose only such characters are
# these is not bad. _lone_safe() proves this on the installed ftfy's regex, else nothing is skipped.
_LONE_SAFE = "\u00a0\u00ad\u00b7\u2013\u2014\u2015\u2026\u2018\u2019\u201c\u201d\u2022"


@functools.lru_cache(maxsize=1)
def _lone_safe() -> re.Pattern | None:
    """A regex for the characters that, unlike _LONE_SAFE, can make a line bad (None when the proof fails):
    every branch of ftfy.badness.BADNESS_RE must hold an item that matches only characters of the ``any``
    trigger class that are not in _LONE_SAFE, so each of its matches contains such a character."""
    from seapt.text.badness import _c as sre, _parser  # re's parser modules, on every Python

    from ftfy.badness import BADNESS_RE

    any_ = _ftfy_triggers()[0]

    def chars(op, av) -> set | None:
        if op is sre.LITERAL:
            return {chr(av)}
        if op is sre.IN and all(o in (sre.LITERAL, sre.RANGE) for o, _ in av):
            out = set()
            for o, a in av:
                out |= {chr(a)} if o is sre.LITERAL else set(map(chr, range(a[0], a[1] + 1)))
            return out
        return None

    def required(op, av) -> bool:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            return av[0] >= 1 and any(required(*i) for i in av[2])
        if op is sre.SUBPATTERN:
            return any(required(*i) for i in av[-1])
        found = chars(op, av)
        return bool(found) and not found & set(_LONE_SAFE) and all(any_.match(c) for c in found)

    try:
        tree = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).data
        if len(tree) != 1 or tree[0][0] is not sre.BRANCH:
            return None
        if not all(any(required(*item) for item in branch) for branch in tree[0][1][1]):
            return None
    except Exception:  # noqa: BLE001 - a parser change only costs speed
        return None
    return re.compile(f"(?![{_LONE_SAFE}]){any_.pattern}")


def _ftfy(text: str) -> str:
    """ftfy.fix_text(text, _ftfy_config()), run only where it can change something.

    fix_text fixes each line (with its "\n") as an independent segment, and a segment comes back unchanged
    when its encoding fixer gives up at once (``ftfy.badness.is_bad`` is false: the first check of every
    round) and none of the other fixers' characters is present; such lines are not passed to it."""
    if text.isascii() and text.isprintable():
        return text  # nothing for ftfy to repair; skips its per-call overhead on plain ASCII
    any_, fixers = _ftfy_triggers()
    if not any_.search(text):
        return text
    import ftfy
    from seapt.text.badness import is_bad  # ftfy.badness.is_bad, same answers, faster

    config = _ftfy_config()
    lone = _lone_safe()
    segments = text.split("\n")
    if max(map(len, segments)) >= config.max_decode_length:
        return ftfy.fix_text(text, config)  # ftfy would split this line further: let it do all of it
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        if i != last and seg.endswith("\r") and not fixers.search(seg, 0, len(seg) - 1):
            # a CRLF line (Windows files): ftfy's first round only turns "\r\n" into "\n" when the line is
            # not bad with and without the "\r"; its second round then changes nothing
            if not is_bad(seg + "\n") and not is_bad(seg[:-1] + "\n"):
                segments[i] = seg[:-1]
                continue
        if any_.search(seg) and (fixers.search(seg) or (not (lone and not lone.search(seg))
                                                         and is_bad(seg if i == last else seg + "\n"))):
            fixed = ftfy.fix_text(seg if i == last else seg + "\n", config)
            if i != last and not fixed.endswith("\n"):  # a fix changed the line end itself
                return ftfy.fix_text(text, config)
            segments[i] = fixed if i == last else fixed[:-1]
    return "\n".join(segments)
