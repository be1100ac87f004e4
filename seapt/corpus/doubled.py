"""Scraper-doubled text repaired: a document that holds a long stretch of its own text twice keeps one copy.

Some scrapers write an article's body twice (km_news_phylypo: 39 of 1,000 articles are title, title + body, body
again; th_thaigov: 2 of 514). Gopher's duplicate-line checks would drop the whole article; removing the second
copy keeps it. The stretch is found from a line that occurs twice, extended character by character in both
directions (the copies may start or end inside a line: the second copy is often glued to the end of the first
without a line break), and only a stretch of at least ``min_share`` of the document's characters counts, so a
quoted sentence, a repeated caption or a refrain is left alone unless one unbroken repeat is that large.
"""

from __future__ import annotations

MIN_SEED_CHARS = 20  # a line this long that occurs twice seeds a search (short lines repeat by chance)


def _seeds(text: str) -> list[tuple[int, int]]:
    """(start of a line's first occurrence, start of its next occurrence) for lines of MIN_SEED_CHARS or more."""
    first: dict[str, int] = {}
    pairs, pos = [], 0
    for line in text.split("\n"):
        if len(line.strip()) >= MIN_SEED_CHARS:
            if line in first:
                pairs.append((first[line], pos))
            first[line] = pos
        pos += len(line) + 1
    return pairs


def _common(text: str, i: int, j: int, limit: int, step: int) -> int:
    """How many characters match going from i and j in direction step (+1 forward, -1 backward), at most limit;
    compared in slices (C speed), then character by character."""
    n, chunk = 0, 256
    while chunk:
        while n + chunk <= limit:
            if step > 0:
                same = text[i + n:i + n + chunk] == text[j + n:j + n + chunk]
            else:
                same = text[i - n - chunk:i - n] == text[j - n - chunk:j - n]
            if not same:
                break
            n += chunk
        chunk //= 4
    return n


def longest_repeat(text: str) -> tuple[int, int, int]:
    """(a, b, length) of the longest stretch text[a:a+length] == text[b:b+length], a + length <= b, grown from a
    repeated line; (0, 0, 0) when no line of MIN_SEED_CHARS characters occurs twice."""
    best = (0, 0, 0)
    for a, b in _seeds(text):
        if b - a == best[1] - best[0] and best[1] <= b < best[1] + best[2]:
            continue  # inside the stretch already found
        back = _common(text, a, b, a, -1)  # text[a-k:a] == text[b-k:b]
        a, b = a - back, b - back
        n = _common(text, a, b, min(b - a, len(text) - b), 1)
        if n > best[2]:
            best = (a, b, n)
    return best


def undouble(text: str, min_share: float) -> tuple[str, int]:
    """``text`` with the second copy of each repeated stretch of at least ``min_share`` of its characters removed,
    and the number of characters removed (0: unchanged). min_share <= 0 turns the repair off."""
    if min_share <= 0 or len(text) < 2 * MIN_SEED_CHARS:
        return text, 0
    size, removed = len(text), 0
    for _ in range(3):  # a text written three or four times loses one more copy per round
        _, b, n = longest_repeat(text)
        if n == 0 or n < min_share * size:
            break
        text = text[:b] + text[b + n:]
        removed += n
    if removed:
        import re

        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, removed
