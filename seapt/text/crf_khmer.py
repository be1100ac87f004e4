"""khmer-nltk's Khmer word segmenter, fast: its own CRF model, seapt's batch features, the same words.

    words_batch(["ព្រះរាជាណាចក្រកម្ពុជា"])      # == [khmernltk.word_tokenize("ព្រះរាជាណាចក្រកម្ពុជា")]

khmer-nltk 1.6 ``word_tokenize(text)`` cleans the text (cleanup_str: zero-width spaces around spaces, its
table of 195 known mis-segmentations), cuts it into Khmer character clusters (seg_kcc), tags each cluster with
its CRF (word_tokenize/sklearn_crf_ner_10000.sav: a pickled sklearn-crfsuite CRF holding the CRFsuite model
file) on cluster 1- to 4-gram attributes, and starts a word at each cluster tagged "1". Measured here
(benchmarks/results/sea-segmentation_cpu-2core_2026-12-06.md), building the attributes in Python and passing
them through pycrfsuite is nearly all its time. This module does the same steps: the package's own cleaning
table and character classes (cleanup and cluster cuts as C-level string and regex passes), the model bytes
taken from the package's pickle (read with a restricted unpickler that builds no sklearn object), and all
clusters of a batch scored together (seapt.text.crf_features). tests/test_text_crf_segment.py checks the words
against the package on real sentences. No model is trained or shipped.
"""

from __future__ import annotations

import functools
import pickle
import re

import numpy as np

from seapt.errors import DependencyError, InputError
from seapt.text.crf_features import Template, TemplateTable, batches, positions
from seapt.text.crf_model import CrfModel, viterbi2_batch

_ZWSP = "\u200b"

# khmernltk.word_tokenize.features.kcc_to_features, in its attribute order.
TEMPLATES = [
    Template("kcc:", "kcc"), Template("t:", "type"), Template("ns", "ns", bare=True),
    Template("kcc[-1]:", "kcc", -1, "b1"), Template("kcc[-1]t:", "type", -1, "b1"),
    Template("kcc[-1:0]:", "bigram", -1, "b1"), Template("ns-1", "ns", -1, "b1", bare=True),
    Template("BOS", "const", when="bos", bare=True),
    Template("kcc[-2]:", "kcc", -2, "b2"), Template("kcc[-2]t:", "type", -2, "b2"),
    Template("kcc[-2:-1]:", "bigram", -2, "b2"), Template("kcc[-2:0]:", "trigram", -2, "b2"),
    Template("kcc[-3]:", "kcc", -3, "b3"), Template("kcc[-3]t:", "type", -3, "b3"),
    Template("kcc[-3:0]:", "quadgram", -3, "b3"), Template("kcc[-3:-1]:", "trigram", -3, "b3"),
    Template("kcc[-3:-2]:", "bigram", -3, "b3"),
    Template("kcc[+1]:", "kcc", 1, "a1"), Template("kcc[+1]t:", "type", 1, "a1"),
    Template("kcc[+1:0]:", "bigram", 0, "a1"), Template("ns+1", "ns", 1, "a1", bare=True),
    Template("EOS", "const", when="eos", bare=True),
    Template("kcc[+2]:", "kcc", 2, "a2"), Template("kcc[+2]t:", "type", 2, "a2"),
    Template("kcc[+1:+2]:", "bigram", 1, "a2"), Template("kcc[0:+2]:", "trigram", 0, "a2"),
    Template("ns+2", "ns", 2, "a2", bare=True),
    Template("kcc[+3]:", "kcc", 3, "a3"), Template("kcc[+3]t:", "type", 3, "a3"),
    Template("kcc[+2:+3]:", "bigram", 2, "a3"), Template("kcc[+1:+3]:", "trigram", 1, "a3"),
    Template("kcc[0:+3]:", "quadgram", 0, "a3"),
]


class _Stub:
    """Stands for the classes in khmer-nltk's model pickle: only their attribute dicts are kept."""

    def __setstate__(self, state):
        self.__dict__.update(state if isinstance(state, dict) else {})


class _ModelUnpickler(pickle.Unpickler):
    """Unpickles khmer-nltk's model without running or importing sklearn-crfsuite: its three classes become
    stubs and any other global is refused."""

    ALLOWED = {("sklearn_crfsuite.estimator", "CRF"), ("sklearn_crfsuite._fileresource", "FileResource"),
               ("pycrfsuite._logparser", "TrainLogParser")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return _Stub
        raise pickle.UnpicklingError(f"unexpected global {module}.{name} in khmer-nltk's model")


def model_bytes() -> bytes:
    """The CRFsuite model file inside khmer-nltk's pickled CRF (DependencyError when khmer-nltk is missing)."""
    try:
        from khmernltk.word_tokenize import model_path
    except ImportError:
        raise DependencyError("khmer-nltk is not installed: pip install 'seapt[km]'") from None
    with open(model_path, "rb") as f:
        crf = _ModelUnpickler(f).load()
    data = getattr(getattr(crf, "modelfile", None), "__dict__", {}).get("__FILE_RESOURCE_DATA__")
    if not isinstance(data, bytes):
        raise InputError(f"{model_path}: no CRFsuite model inside; this khmer-nltk version is not supported")
    return data


@functools.lru_cache(maxsize=1)
def _setup():
    """(table, boundary label id, cleanup table, cluster cut regex), built once."""
    from khmernltk.utils import constants
    from khmernltk.utils.data import is_khmer_char, is_start_of_kcc

    table = TemplateTable(CrfModel.from_bytes(model_bytes()), TEMPLATES)
    fixes = list(constants.mistokenized_dict.items())
    # the table changes a text only when one of its entries occurs; one without a zero-width space (spaces get
    # them in cleanup) can only hold an entry without one
    entries = list(constants.mistokenized_dict)
    any_fix = tuple(re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))
                    for keys in (entries, [k for k in entries if _ZWSP not in k]))

    # seg_kcc decides a cut between two characters from five facts about each: group the characters by their
    # facts (every character outside the package's sets is like "a") and write the cuts as one regex of
    # lookbehind / lookahead character classes, which re.split applies in C.
    def facts(c: str) -> tuple:
        return (is_khmer_char(c), c in constants.KHNUMBER, c == " ", is_start_of_kcc(c), c in constants.KHSUB)

    special = set(map(chr, range(0x1780, 0x1800))) | constants.KHSYM | constants.KHLUNAR | constants.KHNUMBER
    special |= constants.KHSUB
    plain = facts("a")
    kinds: dict[tuple, set[str]] = {plain: set()}
    for c in special:
        kinds.setdefault(facts(c), set()).add(c)

    def chars(selected: list[tuple]) -> str:
        """A character class of the characters whose facts are in ``selected``."""
        if plain in selected:  # every character but the special ones of the other kinds
            return "[^" + "".join(re.escape(c) for f in kinds if f not in selected for c in sorted(kinds[f])) + "]"
        return "[" + "".join(re.escape(c) for f in selected for c in sorted(kinds[f])) + "]"

    cuts = []
    for fa in kinds:
        follow = [fb for fb in kinds if _cut_after(fa, fb)]
        if follow:
            cuts.append(f"(?<={chars([fa])})(?={chars(follow)})")
    return table, table.labels.index("1"), (fixes, any_fix), re.compile("|".join(cuts))


def _cut_after(c: tuple, n: tuple) -> bool:
    """khmernltk.utils.data.seg_kcc's rule: is a cluster closed between characters with facts ``c`` and ``n``
    (is_khmer_char, in KHNUMBER, is a space, is_start_of_kcc, in KHSUB)?"""
    c_khmer, c_number, _, _, c_sub = c
    n_khmer, n_number, n_space, n_start, _ = n
    if not c_khmer and not n_space and not n_khmer:
        return False
    if c_number and n_number:
        return False
    return not c_khmer or n_space or (n_start and not c_sub)


def cleanup(text: str, fixes, any_fix) -> str:
    """khmernltk.utils.data.cleanup_str, the same replacements in the same order (its table is applied only
    when one of its entries occurs, which is when it changes anything)."""
    text = text.strip(_ZWSP).strip()
    text = text.replace("  ", " ")
    text = text.replace(" ", "\u200b \u200b")
    text = text.replace("\u200b\u200b", "\u200b")
    text = text.replace("\u200b\u200b", "\u200b")
    if any_fix[_ZWSP not in text].search(text):
        for token, fixed in fixes:
            text = text.replace(token, fixed)
    text = text.replace("\u2028", "")
    text = text.replace("\u200a", "")
    return text.strip().replace("\n", "").replace("  ", " ")


def clusters(text: str, cut) -> list[str]:
    """khmernltk.utils.data.seg_kcc: the text's character clusters, zero-width spaces dropped."""
    if _ZWSP not in text:
        return cut.split(text) if text else []
    return [c for word in text.split(_ZWSP) if word for c in cut.split(word)]


def words_batch(texts: list[str]) -> list[list[str]]:
    """khmernltk.word_tokenize(text) for each text."""
    return [words for part in batches(texts) for words in _words_batch(part)]


def _value_numbers(k: list[str], table) -> dict[str, np.ndarray]:
    """Per group, the value number (TemplateTable.index) at each position of the cluster list ``k``: each
    distinct cluster, bigram, trigram and 4-gram of the batch is spelled and looked up once (n-grams are
    numbered with numpy from the numbers of their parts)."""
    from khmernltk.word_tokenize.features import is_no_space, kcc_type

    n = len(k)
    local: dict[str, int] = {}
    ids = np.array([local.setdefault(c, len(local)) for c in k], dtype=np.int64)
    spelled = [*local, ""]  # local id -> cluster; the last one pads n-grams past the end of the batch
    base = len(spelled)
    index = table.index
    out = {
        "kcc": np.array([index("kcc").get(c, 0) for c in spelled], dtype=np.int64)[ids],
        "type": np.array([index("type").get(kcc_type(c), 0) if c else 0 for c in spelled], dtype=np.int64)[ids],
        "ns": np.array([index("ns").get("", 0) if c and is_no_space(c) else 0 for c in spelled],
                       dtype=np.int64)[ids],
    }
    padded = np.concatenate([ids, np.full(3, base - 1, dtype=np.int64)])
    prev_index, prev_spelled = padded[:n], spelled  # the (k-1)-gram starting at each position, numbered
    for k_gram, group in enumerate(("bigram", "trigram", "quadgram"), 1):
        codes = prev_index * base + padded[k_gram : k_gram + n]
        uniq, inverse = np.unique(codes, return_inverse=True)
        grams = [prev_spelled[a] + spelled[b] for a, b in zip((uniq // base).tolist(), (uniq % base).tolist())]
        get = index(group).get
        out[group] = np.array([get(g, 0) for g in grams], dtype=np.int64)[inverse.reshape(-1)]
        prev_index, prev_spelled = inverse.reshape(-1), grams
    return out


def _words_batch(texts: list[str]) -> list[list[str]]:
    """words_batch for texts scored together."""
    table, boundary, fixes, cut = _setup()
    seqs = [clusters(cleanup(t, *fixes), cut) for t in texts]
    values = _value_numbers([c for seq in seqs for c in seq], table)
    lengths = [len(s) for s in seqs]
    before, after = positions(lengths)
    states = table.states(values, before, after)
    labels = viterbi2_batch(states[:, 0], states[:, 1], lengths, table.transitions)
    starts = np.flatnonzero(labels == boundary).tolist()  # positions in the batch where a word starts
    out, start, k = [], 0, 0
    for seq in seqs:
        end = start + len(seq)
        cuts = []
        while k < len(starts) and starts[k] < end:
            if starts[k] > start:
                cuts.append(starts[k] - start)
            k += 1
        start = end
        bounds = [0, *cuts, len(seq)]
        out.append(["".join(seq[a:b]) for a, b in zip(bounds, bounds[1:])] if seq else [])
    return out
