"""Continued BPE: learn new merges on top of a base tokenizer's own tokenisation, incremental pair counts.

The learner is family-agnostic. It receives word counts (pre-tokens in the base model's alphabet, e.g.
byte-level ``Ġ``-strings or ``▁``-strings), a ``base_tokenize`` callable giving the base model's token
strings for a word, and filters. Each word starts in its base tokenisation with the merges already learned
(for earlier languages) applied; merges are then learned greedily, most frequent pair first, keeping
pair counts and the pair -> words index up to date incrementally and a lazy max-heap of counts (as in
Sennrich et al. 2016 and the HF `tokenizers` trainer). New merges rank after every base merge, so the base
keeps priority and text the new merges never touch encodes exactly as before.

    state = MergeState.from_vocab(base_vocab)
    n = learn_merges(state, counts, budget=8000, base_tokenize=..., min_frequency=2)
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class MergeState:
    """The growing vocabulary: token strings by id, new merges in order, and their ranks."""

    ids: dict[str, int]
    """Token string -> id, base and new."""
    strings: dict[int, str]
    """Id -> token string."""
    next_id: int
    """Id the next new token gets (one past the largest existing id)."""
    merges: list[tuple[int, int]] = field(default_factory=list)
    """New merges (pairs of ids) in rank order, appended after the base merges."""
    ranks: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    """Pair -> (rank among new merges, id of the merged token)."""
    new_tokens: list[tuple[int, str, str]] = field(default_factory=list)
    """New tokens in id order: (id, string, language that introduced it)."""

    @classmethod
    def from_vocab(cls, vocab: dict[str, int]) -> "MergeState":
        return cls(ids=dict(vocab), strings={i: s for s, i in vocab.items()}, next_id=max(vocab.values()) + 1)

    def add_token(self, string: str, lang: str) -> int:
        """Add a new token string (no-op for an existing one) and return its id."""
        if string in self.ids:
            return self.ids[string]
        tid = self.next_id
        self.next_id += 1
        self.ids[string] = tid
        self.strings[tid] = string
        self.new_tokens.append((tid, string, lang))
        return tid

    def add_merge(self, pair: tuple[int, int], merged: int) -> None:
        if pair not in self.ranks:
            self.ranks[pair] = (len(self.merges), merged)
            self.merges.append(pair)


def apply_merges(symbols: list[int], ranks: dict[tuple[int, int], tuple[int, int]]) -> list[int]:
    """Apply merges by rank (lowest first) to a symbol sequence, as a BPE model does."""
    if not ranks or len(symbols) < 2:
        return symbols
    symbols = list(symbols)
    while len(symbols) > 1:
        best = None
        for i in range(len(symbols) - 1):
            r = ranks.get((symbols[i], symbols[i + 1]))
            if r is not None and (best is None or r[0] < best[0]):
                best = (r[0], r[1], symbols[i], symbols[i + 1])
        if best is None:
            break
        _, merged, a, b = best
        out, i = [], 0
        while i < len(symbols):
            if i < len(symbols) - 1 and symbols[i] == a and symbols[i + 1] == b:
                out.append(merged)
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        symbols = out
    return symbols


def _pairs(syms: list[int]) -> Iterable[tuple[int, int]]:
    return zip(syms, syms[1:])


def learn_merges(
    state: MergeState,
    counts: Counter,
    budget: int,
    *,
    base_tokenize: Callable[[str], list[str]],
    lang: str = "",
    min_frequency: int = 2,
    banned_pairs: set[tuple[int, int]] | frozenset = frozenset(),
    allow: Callable[[str], bool] | None = None,
    join: Callable[[str, str], str] = str.__add__,
    reachable: Callable[[str, int, int], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Learn up to ``budget`` new tokens for ``lang`` from word ``counts``; return how many were added.

    A candidate pair is skipped (for good) when it is in ``banned_pairs`` (English protection), when
    ``allow(merged_string)`` is false (e.g. a Thai token must contain a Thai letter), or when
    ``reachable(merged_string, a, b)`` is false (encoding the merged string alone would not end in the pair,
    so the token could never be produced for its own string). A merge whose string already exists (a token
    shared with an earlier language) is added without a new token and does not count against the budget.
    Learning stops at the budget or when the best pair occurs fewer than ``min_frequency`` times.
    """
    words: list[list[int]] = []
    freqs: list[int] = []
    for word, c in counts.items():
        syms = [state.ids[t] for t in base_tokenize(word)]
        syms = apply_merges(syms, state.ranks)
        if len(syms) > 1:
            words.append(syms)
            freqs.append(c)
    pair_count: dict[tuple[int, int], int] = defaultdict(int)
    where: dict[tuple[int, int], set[int]] = defaultdict(set)
    for wi, syms in enumerate(words):
        c = freqs[wi]
        for p in _pairs(syms):
            pair_count[p] += c
            where[p].add(wi)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    rejected: set[tuple[int, int]] = set(banned_pairs)
    added = 0
    while added < budget and heap:
        negc, pair = heapq.heappop(heap)
        cnt = pair_count.get(pair, 0)
        if cnt != -negc:
            if cnt > 0:
                heapq.heappush(heap, (-cnt, pair))
            continue
        if cnt < min_frequency:
            break
        if pair in rejected:
            continue
        a, b = pair
        merged_str = join(state.strings[a], state.strings[b])
        if (allow is not None and not allow(merged_str)) or (
            reachable is not None and not reachable(merged_str, a, b)
        ):
            rejected.add(pair)
            continue
        is_new = merged_str not in state.ids
        merged = state.add_token(merged_str, lang)
        state.add_merge(pair, merged)
        if is_new:
            added += 1
            if progress is not None:
                progress(1)
        _merge_words(pair, merged, words, freqs, pair_count, where, heap)
    return added


def _merge_words(pair, merged, words, freqs, pair_count, where, heap) -> None:
    """Replace ``pair`` by ``merged`` in every word holding it, updating only the pairs next to each
    occurrence (counts, the pair -> words index, and heap entries for the new pairs)."""
    a, b = pair
    pushed: dict[tuple[int, int], None] = {}
    for wi in where.pop(pair, ()):
        syms = words[wi]
        n = len(syms)
        occ, i = [], 0
        try:
            while True:
                i = syms.index(a, i)
                if i + 1 < n and syms[i + 1] == b:
                    occ.append(i)
                    i += 2
                else:
                    i += 1
        except ValueError:
            pass
        if not occ:
            continue  # a stale index entry: an earlier merge consumed the pair here
        c = freqs[wi]
        old_k = {k for i in occ for k in (i - 1, i, i + 1) if 0 <= k < n - 1}
        out, prev = [], 0
        for i in occ:
            out.extend(syms[prev:i])
            out.append(merged)
            prev = i + 2
        out.extend(syms[prev:])
        m = len(out)
        new_k = {k for j, i in enumerate(occ) for k in (i - j - 1, i - j) if 0 <= k < m - 1}
        for k in old_k:
            pair_count[(syms[k], syms[k + 1])] -= c
        for k in new_k:
            p = (out[k], out[k + 1])
            pair_count[p] += c
            where[p].add(wi)
            pushed[p] = None
        words[wi] = out
    pair_count.pop(pair, None)
    for p in pushed:
        c = pair_count.get(p, 0)
        if c > 0:
            heapq.heappush(heap, (-c, p))


def encode_with_state(word: str, state: MergeState, base_tokenize: Callable[[str], list[str]]) -> list[int]:
    """Ids of ``word`` under the base tokenisation plus the new merges (for reachability tests)."""
    return apply_merges([state.ids[t] for t in base_tokenize(word)], state.ranks)
