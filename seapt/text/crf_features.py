"""Feature templates of a CRF segmenter, scored for a whole batch of sequences at once with numpy.

A template is one kind of attribute the package's feature function writes, e.g. khmer-nltk's ``kcc[-1]:X`` (the
cluster before this one) or pyidaungsu's ``char:+1=XY``: an attribute-name prefix, the sequence of values it
reads (a ``group``: characters, bigrams, …), the offset of the value from the item, and when it is present
(``when``: always, at least k items before / after the item, first / last item). A TemplateTable turns the
model's weights into one matrix whose row 0 is zeros and numbers each group's values (value -> value number,
0 for values the model does not know; per template, value number -> matrix row). Every item of a batch is then
scored with one value number per group and position (a dict lookup, or numpy for the caller that numbers its
n-grams itself) and one vectorised add per template, in the package's attribute order, so the sums are the ones
CRFsuite computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from seapt.errors import InputError
from seapt.text.crf_model import CrfModel


@dataclass(frozen=True)
class Template:
    """One attribute kind of a package's feature function."""

    prefix: str
    """Attribute name before the value ("kcc[-1]:"); a bare attribute ("BOS", "ns") is its whole name."""
    group: str
    """Name of the value sequence it reads ("kcc", "bigram", …; "const" for bare attributes)."""
    offset: int = 0
    """The value read for item p is the group's value at position p + offset."""
    when: str = ""
    """Present: "" always, "b<k>" with at least k items before, "a<k>" at least k after, "bos", "eos"."""
    bare: bool = False
    """True for attributes without a value: present (with weight 1.0) where the group's value is ""."""


class TemplateTable:
    """A model's weights indexed by template, for batch scoring of items (see the module docstring)."""

    def __init__(self, model: CrfModel, templates: list[Template]):
        self.templates = templates
        self.labels = model.labels
        self.transitions = model.transitions
        bare = {t.prefix: t for t in templates if t.bare}
        prefixed = [t.prefix for t in templates if not t.bare]
        if any(a != b and b.startswith(a) for a in prefixed for b in prefixed):
            raise ValueError("template prefixes must not be prefixes of one another")
        route = re.compile("|".join(map(re.escape, sorted(prefixed, key=len, reverse=True))))
        rows: dict[str, dict[str, int]] = {t.prefix: {} for t in templates}
        matrix = [(0.0,) * len(model.labels)]
        for name, weights in model.weights.items():
            if name in bare:
                prefix, value = name, ""
            else:
                m = route.match(name)
                if m is None:
                    raise InputError(f"the CRF model has an attribute no feature template writes ({name!r}); "
                                     "this package version is not supported by seapt's fast path")
                prefix, value = m.group(), name[m.end():]
            rows[prefix][value] = len(matrix)
            matrix.append(weights)
        self.matrix = np.array(matrix, dtype=np.float64)
        self.groups: dict[str, tuple[list[Template], dict[str, int], np.ndarray]] = {}
        for group in dict.fromkeys(t.group for t in templates):
            members = [t for t in templates if t.group == group]
            values = sorted(set().union(*(rows[t.prefix] for t in members)))
            index = {v: i for i, v in enumerate(values, 1)}  # value -> its row in ``table`` (0: unknown value)
            table = np.zeros((len(values) + 1, len(members)), dtype=np.int64)
            for g, t in enumerate(members):
                for v, row in rows[t.prefix].items():
                    table[index[v], g] = row
            self.groups[group] = (members, index, table)
        self.columns = {t: np.ascontiguousarray(table[:, members.index(t)])
                        for members, _, table in self.groups.values() for t in members}
        """Per template: value number -> row of ``matrix``."""
        self.by_label = [np.ascontiguousarray(self.matrix[:, j]) for j in range(len(self.labels))]
        """Per label id: row of ``matrix`` -> weight."""

    def index(self, group: str) -> dict[str, int]:
        """The group's value -> value number (0 for a value the model does not know)."""
        return self.groups[group][1]

    def states(self, values: dict[str, list], before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """(items, labels) state scores: ``values[group][p]`` is the group's value at position p of the batch
        (sequences concatenated) or, as an integer array, its value number (``index``); ``before[p]`` /
        ``after[p]`` the number of items of p's sequence before / after it."""
        n = len(before)
        numbers: dict[str, np.ndarray] = {}
        for group, (_, index, _) in self.groups.items():
            if group == "const":
                numbers[group] = np.full(n, index.get("", 0), dtype=np.int64)
            elif isinstance(values[group], np.ndarray):  # value numbers already found (see ``index``)
                numbers[group] = values[group]
            else:
                get = index.get
                numbers[group] = np.array([get(v, 0) for v in values[group]], dtype=np.int64)
        per_label = [np.zeros(n, dtype=np.float64) for _ in self.labels]
        for t in self.templates:  # the package's attribute order: the same float additions as CRFsuite
            shifted = np.zeros(n, dtype=np.int64)  # value number 0: no weight
            if abs(t.offset) >= n:
                pass  # no item of the batch has a value that far away
            elif t.offset >= 0:
                shifted[: n - t.offset] = numbers[t.group][t.offset :]
            else:
                shifted[-t.offset :] = numbers[t.group][: n + t.offset]
            mask = self._masks(t.when, before, after)
            if mask is not None:
                shifted[~mask] = 0
            rows = self.columns[t][shifted]  # rows of self.matrix
            for acc, weights in zip(per_label, self.by_label):
                acc += weights[rows]
        return np.stack(per_label, axis=1) if n else np.zeros((0, len(self.labels)))

    @staticmethod
    def _masks(when: str, before: np.ndarray, after: np.ndarray) -> np.ndarray | None:
        """Where a template with presence rule ``when`` is present (None: everywhere)."""
        if not when:
            return None
        if when == "bos":
            return before == 0
        if when == "eos":
            return after == 0
        return (before if when[0] == "b" else after) >= int(when[1:])


def positions(lengths: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(before, after) arrays for sequences of ``lengths`` concatenated."""
    lengths_a = np.asarray(lengths, dtype=np.int64)
    total = int(lengths_a.sum())
    starts = np.repeat(np.cumsum(lengths_a) - lengths_a, lengths_a)
    before = np.arange(total, dtype=np.int64) - starts
    after = np.repeat(lengths_a, lengths_a) - 1 - before
    return before, after


BATCH_CHARS = 200_000
"""Texts are scored together up to this many characters (memory stays bounded: ~100 bytes per character)."""


def batches(texts: list[str], limit: int = BATCH_CHARS):
    """Consecutive slices of ``texts`` of at most ``limit`` characters (a longer text alone)."""
    start, size = 0, 0
    for i, text in enumerate(texts):
        if size and size + len(text) > limit:
            yield texts[start:i]
            start, size = i, 0
        size += len(text)
    if start < len(texts):
        yield texts[start:]
