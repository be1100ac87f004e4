"""A CRFsuite model file read into Python, and Viterbi decoding that gives exactly CRFsuite's labels.

    model = CrfModel.from_bytes(Path("tokenizer.crfsuite").read_bytes())
    labels = model.tag([["bias", "char=က"], ["bias", "char=ာ"]])    # what pycrfsuite.Tagger.tag returns

Why not pycrfsuite.Tagger: measured on Khmer and Burmese gold, its ``tag`` (Python strings converted to C++
attributes, each looked up in the model's hash database) costs more than the package's own feature extraction,
so a fast path through it stays slow. Here the model's weights are read once from the file (the CRF1d format of
CRFsuite 0.12: a header, the FEAT chunk of (type, src, dst, weight) records, label and attribute string
databases) into dicts, and a sequence is scored and decoded in Python the way crf1d_tag.c / crf1d_context.c do:
state scores summed attribute by attribute in the item's order (same float additions, same result), the
Viterbi search keeping the first of equal scores. Weights of 0.0-valued attributes are skipped (x + 0.0 == x).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from seapt.errors import InputError

_HEADER = struct.Struct("<4sI4sIIIIIIIII")  # magic, size, type, version, num_features (unused), num_labels,
# num_attrs, off_features, off_labels, off_attrs, off_labelrefs, off_attrrefs
_FEATURE = struct.Struct("<IIId")  # type (0 state: attribute -> label; 1 transition: label -> label), src, dst, weight
_CQDB = struct.Struct("<4sIIIII")  # chunk id, size, flag, byte order, backward array size, backward array offset
_STATE, _TRANSITION = 0, 1


@dataclass(frozen=True)
class CrfModel:
    """A linear-chain CRF: label names, per-attribute state weights, transition weights."""

    labels: tuple[str, ...]
    """Label names by label id (CRFsuite's ids: the order labels were first seen in training)."""
    weights: dict[str, tuple[float, ...]]
    """Attribute name -> its weight towards each label id (0.0 where the model has no such feature)."""
    transitions: tuple[tuple[float, ...], ...]
    """transitions[i][j]: weight of label id i followed by label id j."""

    @classmethod
    def from_bytes(cls, data: bytes) -> CrfModel:
        """Read a CRFsuite CRF1d model file's bytes (InputError when they are not one)."""
        if len(data) < _HEADER.size or data[:4] != b"lCRF" or data[8:12] != b"FOMC":
            raise InputError("not a CRFsuite CRF1d model file (expected the lCRF/FOMC header)")
        (_, _, _, _, _, num_labels, num_attrs, off_features, off_labels, off_attrs, _, _) = _HEADER.unpack_from(data)
        labels = tuple(_strings(data, off_labels, num_labels))
        attrs = _strings(data, off_attrs, num_attrs)
        chunk, _, num = struct.unpack_from("<4sII", data, off_features)
        if chunk != b"FEAT":
            raise InputError("CRFsuite model: the feature chunk is missing")
        state: list[list[float] | None] = [None] * num_attrs
        trans = [[0.0] * num_labels for _ in range(num_labels)]
        seen = set()
        for kind, src, dst, weight in _FEATURE.iter_unpack(data[off_features + 12 : off_features + 12 + num * 20]):
            if (kind, src, dst) in seen:  # CRFsuite writes each feature once; a sum order would matter otherwise
                raise InputError("CRFsuite model: a feature is written twice")
            seen.add((kind, src, dst))
            if kind == _TRANSITION:
                trans[src][dst] = weight
            elif kind == _STATE:
                row = state[src]
                if row is None:
                    row = state[src] = [0.0] * num_labels
                row[dst] = weight
        weights = {name: tuple(row) for name, row in zip(attrs, state) if row is not None}
        return cls(labels, weights, tuple(map(tuple, trans)))

    def tag(self, items: list[list[str]]) -> list[str]:
        """Label names of a sequence of items, each a list of attribute names of value 1.0 (unknown ones ignored),
        as ``pycrfsuite.Tagger.tag`` gives them."""
        get = self.weights.get
        zero = (0.0,) * len(self.labels)
        states = []
        for item in items:
            score = [0.0] * len(self.labels)
            for name in item:
                for j, w in enumerate(get(name, zero)):
                    score[j] += w
            states.append(score)
        return [self.labels[i] for i in viterbi(states, self.transitions)]


def _strings(data: bytes, offset: int, count: int) -> list[str]:
    """The strings of ids 0..count-1 of the CQDB database at ``offset`` (its backward array: id -> record of
    id, key size, NUL-terminated UTF-8 key)."""
    chunk, _, _, _, bwd_size, bwd_offset = _CQDB.unpack_from(data, offset)
    if chunk != b"CQDB" or bwd_size < count:
        raise InputError("CRFsuite model: a string database is missing or short")
    out = []
    for rec in struct.unpack_from(f"<{count}I", data, offset + bwd_offset):
        _, size = struct.unpack_from("<II", data, offset + rec + 4 - 4)
        start = offset + rec + 8
        out.append(data[start : start + size - 1].decode("utf-8"))
    return out


def viterbi(states: list[list[float]], trans) -> list[int]:
    """Best label ids for per-item state scores and transition weights, as crf1dc_viterbi finds them (a later
    candidate replaces the best only when strictly better)."""
    if not states:
        return []
    n_labels = len(trans)
    prev = list(states[0])
    backs = []
    for state in states[1:]:
        curr, back = [], []
        for j in range(n_labels):
            best, arg = -1.7976931348623157e308, 0  # -FLOAT_MAX, as CRFsuite starts
            for i in range(n_labels):
                score = prev[i] + trans[i][j]
                if best < score:
                    best, arg = score, i
            back.append(arg)
            curr.append(best + state[j])
        backs.append(back)
        prev = curr
    last, best = 0, -1.7976931348623157e308
    for i in range(n_labels):
        if best < prev[i]:
            best, last = prev[i], i
    path = [last]
    for back in reversed(backs):
        path.append(back[path[-1]])
    return path[::-1]


def viterbi2(s0: list[float], s1: list[float], trans) -> list[int]:
    """``viterbi`` for two labels, unrolled (the hot loop of the Khmer and Burmese segmenters): the same
    additions and comparisons, so the same ids for finite scores."""
    n = len(s0)
    if not n:
        return []
    (t00, t01), (t10, t11) = trans
    p0, p1 = s0[0], s1[0]
    back0 = [0] * n
    back1 = [0] * n
    for t in range(1, n):
        a, b = p0 + t00, p1 + t10  # into label 0 from label 0, from label 1
        c, d = p0 + t01, p1 + t11  # into label 1
        if a < b:
            back0[t] = 1
            a = b
        if c < d:
            back1[t] = 1
            c = d
        p0, p1 = a + s0[t], c + s1[t]
    last = 1 if p0 < p1 else 0
    path = [0] * n
    path[-1] = last
    for t in range(n - 1, 0, -1):
        last = back1[t] if last else back0[t]
        path[t - 1] = last
    return path


def viterbi2_batch(s0: np.ndarray, s1: np.ndarray, lengths: list[int], trans, longest: int = 512,
                   together: int = 32) -> np.ndarray:
    """``viterbi2`` for many sequences at once (their scores concatenated in ``s0`` / ``s1``): label ids of
    every position. When there are at least ``together`` sequences, those up to ``longest`` items go step by
    step together with numpy (the same additions and comparisons per item); the others one by one in Python,
    where numpy's per-step cost would not pay (a long sequence, or a few short ones: one short document)."""
    n = len(s0)
    labels = np.zeros(n, dtype=np.int8)
    lengths_a = np.asarray(lengths, dtype=np.int64)
    starts = np.cumsum(lengths_a) - lengths_a
    if len(lengths) < together:
        longest = 0
    for i in np.flatnonzero(lengths_a > longest).tolist():
        a, b = int(starts[i]), int(starts[i] + lengths_a[i])
        labels[a:b] = viterbi2(s0[a:b].tolist(), s1[a:b].tolist(), trans)
    short = np.flatnonzero((lengths_a > 0) & (lengths_a <= longest))
    if not len(short):
        return labels
    order = short[np.argsort(-lengths_a[short], kind="stable")]  # longest first: the live ones are a prefix
    seq_starts, seq_lengths = starts[order], lengths_a[order]
    live = np.searchsorted(-seq_lengths, -np.arange(int(seq_lengths[0])), side="left")  # live[t]: len > t
    (t00, t01), (t10, t11) = trans
    back0 = np.zeros(n, dtype=np.int8)
    back1 = np.zeros(n, dtype=np.int8)
    p0, p1 = s0[seq_starts], s1[seq_starts]
    last = np.zeros(len(order), dtype=np.int8)
    for t in range(int(seq_lengths[0])):
        count = live[t]
        if t:
            at = seq_starts[:count] + t
            a, b = p0[:count] + t00, p1[:count] + t10  # into label 0 from label 0, from label 1
            c, d = p0[:count] + t01, p1[:count] + t11  # into label 1
            from1_0, from1_1 = a < b, c < d
            back0[at], back1[at] = from1_0, from1_1
            p0 = np.where(from1_0, b, a) + s0[at]
            p1 = np.where(from1_1, d, c) + s1[at]
        ending = seq_lengths[:count] == t + 1
        last[:count][ending] = p0[ending] < p1[ending]
    ends = seq_starts + seq_lengths - 1
    labels[ends] = last
    for t in range(int(seq_lengths[0]) - 1, 0, -1):
        at = seq_starts[: live[t]] + t
        labels[at - 1] = np.where(labels[at] == 1, back1[at], back0[at])
    return labels
