"""``is_bad(text)``: the answer of ftfy.badness.is_bad (does its mojibake regex match anywhere?), found faster.

ftfy's BADNESS_RE is an alternation of ~37 short sequences, each starting with a broad character class, so
Python's regex engine tries every branch at every position (~30 µs for a line of Vietnamese, whose accented
letters send most lines to the check). Only whether a match exists matters, so each sequence is rewritten
around its rarest item (its "anchor"): the pattern becomes ``[anchors](?:(?<=items before and the
anchor)items after|...)``, which the engine scans for with one character-class loop and tries the branches
only there. Same matches, shifted to the anchor: a sequence occurs at position p exactly when its rewritten
branch matches at p + (anchor index). Optional items (``\\s?``) become two sequences; the sequences it cannot
rewrite (``^...``) keep their own small regex. If ftfy's regex holds anything else, ftfy's function is used.
tests/test_text_badness.py compares the two on random strings over the regex's own characters.
"""

from __future__ import annotations

import functools
import re

try:  # the regex parser's modules: re._parser / re._constants since Python 3.11, sre_* before
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

# characters of ordinary th/vi/id/en text: an anchor class should hold as few of them as possible
_COMMON = "".join(map(chr, range(0x20, 0x7F))) + "\n\t" + (
    "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)


def is_bad(text: str) -> bool:
    """ftfy.badness.is_bad(text)."""
    fast = _compiled()
    if fast is None:
        from ftfy.badness import is_bad as ftfy_is_bad

        return ftfy_is_bad(text)
    anchored, rest = fast
    return anchored.search(text) is not None or (rest is not None and rest.search(text) is not None)


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern, re.Pattern | None] | None:
    """(anchored pattern, pattern of the sequences kept as they are), or None to use ftfy's own function."""
    try:
        from ftfy.badness import BADNESS_RE

        tree = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).data
        if BADNESS_RE.flags & ~(re.VERBOSE | re.UNICODE) or len(tree) != 1 or tree[0][0] is not _c.BRANCH:
            return None
        anchored, anchors, rest = [], set(), []
        for branch in tree[0][1][1]:
            for seq in _expand(list(branch)):
                if any(op is _c.AT for op, _ in seq):
                    rest.append("".join(map(_item, seq)))
                    continue
                a = min(range(len(seq)), key=lambda i: _commonness(seq[i]))
                chars = _positive_set(seq[a])
                if chars is None:
                    return None  # an anchor that matches too much to scan for: keep ftfy's function
                anchors |= chars
                behind = "".join(map(_item, seq[: a + 1]))
                anchored.append(f"(?<={behind})" + "".join(map(_item, seq[a + 1:])))
        head = "[" + "".join(_class_part(lo, hi) for lo, hi in _ranges(anchors)) + "]"
        return re.compile(head + "(?:" + "|".join(anchored) + ")"), re.compile("|".join(rest)) if rest else None
    except Exception:  # noqa: BLE001 - a new ftfy regex this code does not understand: only speed is lost
        return None


class _Unsupported(Exception):
    pass


def _expand(seq: list) -> list[list]:
    """Sequences without optional items: X? becomes one sequence without X and one with it."""
    for i, (op, av) in enumerate(seq):
        if op is _c.MAX_REPEAT:
            lo, hi, sub = av
            if (lo, hi) != (0, 1) or len(sub) != 1:
                raise _Unsupported(op)
            return _expand(seq[:i] + seq[i + 1:]) + _expand(seq[:i] + list(sub) + seq[i + 1:])
    return [seq]


def _item(node) -> str:
    """Regex text of one item: a single character (literal, class, any) or an \\A assertion."""
    op, av = node
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is _c.NOT_LITERAL:
        return "[^" + re.escape(chr(av)) + "]"
    if op is _c.ANY:
        return "."  # no DOTALL in ftfy's flags: any character but a newline, as there
    if op is _c.AT and av is _c.AT_BEGINNING:
        return r"\A"  # ^ without MULTILINE
    if op is _c.IN:
        negate = bool(av) and av[0][0] is _c.NEGATE
        parts = []
        for o, a in av[1:] if negate else av:
            if o is _c.LITERAL:
                parts.append(_class_part(a, a))
            elif o is _c.RANGE:
                parts.append(_class_part(*a))
            elif o is _c.CATEGORY and a in _CATEGORIES:
                parts.append(_CATEGORIES[a])
            else:
                raise _Unsupported(o)
        return "[" + ("^" if negate else "") + "".join(parts) + "]"
    raise _Unsupported(op)


_CATEGORIES = {_c.CATEGORY_SPACE: r"\s", _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w",
               _c.CATEGORY_NOT_WORD: r"\W", _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D"}


def _class_part(lo: int, hi: int) -> str:
    """A character-class item for the code points lo..hi, with the characters special in a class escaped."""
    return _class_char(lo) if lo == hi else f"{_class_char(lo)}-{_class_char(hi)}"


def _class_char(code: int) -> str:
    return "\\" + chr(code) if chr(code) in "\\]^-[" else chr(code)


def _positive_set(node) -> set[int] | None:
    """The code points a single literal or a plain character class matches (None: negated, categories, any)."""
    op, av = node
    if op is _c.LITERAL:
        return {av}
    if op is not _c.IN:
        return None
    out: set[int] = set()
    for o, a in av:
        if o is _c.LITERAL:
            out.add(a)
        elif o is _c.RANGE:
            out.update(range(a[0], a[1] + 1))
        else:
            return None
    return out


def _commonness(node) -> int:
    chars = _positive_set(node)
    return len(_COMMON) + 1 if chars is None else sum(ord(c) in chars for c in _COMMON)


def _ranges(points: set[int]):
    run = None
    for p in sorted(points):
        if run and p == run[1] + 1:
            run[1] = p
        else:
            if run:
                yield tuple(run)
            run = [p, p]
    if run:
        yield tuple(run)
