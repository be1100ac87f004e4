"""pyidaungsu's Burmese word segmenter, fast: its own CRF model, seapt's batch features, the same words.

    words_batch(["မြန်မာနိုင်ငံ"])      # == [pyidaungsu.tokenize("မြန်မာနိုင်ငံ", form="word")]

pyidaungsu 0.1.4 ``tokenize(text, form="word")`` removes ASCII spaces, tags every character with its CRF
(model/tokenizer.crfsuite in the package, character 1- to 4-gram attributes), puts a space before each
character tagged "1" and splits on whitespace. It opens the model file on every call and builds the attributes
in Python; measured here (benchmarks/results/sea-segmentation_cpu-2core_2026-12-06.md) that is most of its
time. This module reads the model file from the installed package once (without importing pyidaungsu, whose
import loads fastText) and scores all characters of a batch together (seapt.text.crf_features); the words are
the package's, checked on real sentences by tests/test_text_crf_segment.py. No model is trained or shipped.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from seapt.errors import DependencyError
from seapt.text.crf_features import Template, TemplateTable, batches, positions
from seapt.text.crf_model import CrfModel, viterbi2_batch

MODEL_FILE = ("model", "tokenizer.crfsuite")
"""Where pyidaungsu keeps its word-segmentation CRF, inside its package folder."""

# pyidaungsu.tokenize.Tokenize.create_char_features, in its attribute order.
TEMPLATES = [
    Template("bias", "const", bare=True),
    Template("char=", "char"),
    Template("char-1=", "char", -1, "b1"), Template("char-1:0=", "bigram", -1, "b1"),
    Template("BOS", "const", when="bos", bare=True),
    Template("char-2=", "char", -2, "b2"), Template("char-2:0=", "trigram", -2, "b2"),
    Template("char-2:-1=", "bigram", -2, "b2"),
    Template("char-3:0=", "quadgram", -3, "b3"), Template("char-3:-1=", "trigram", -3, "b3"),
    Template("char+1=", "char", 1, "a1"), Template("char:+1=", "bigram", 0, "a1"),
    Template("EOS", "const", when="eos", bare=True),
    Template("char+2=", "char", 2, "a2"), Template("char:+2=", "trigram", 0, "a2"),
    Template("char+1:+2=", "bigram", 1, "a2"),
    Template("char:+3=", "quadgram", 0, "a3"), Template("char+1:+3=", "trigram", 1, "a3"),
]


def model_path() -> Path:
    """pyidaungsu's CRF model file, found without importing the package (DependencyError when missing)."""
    from importlib.util import find_spec

    spec = find_spec("pyidaungsu")
    if spec is None or not spec.submodule_search_locations:
        raise DependencyError("pyidaungsu is not installed: pip install --no-deps pyidaungsu (seapt reads its "
                              "CRF model; its fasttext dependency is not needed)")
    path = Path(next(iter(spec.submodule_search_locations)), *MODEL_FILE)
    if not path.is_file():
        raise DependencyError(f"pyidaungsu has no {'/'.join(MODEL_FILE)}; reinstall pyidaungsu 0.1.4")
    return path


_GRAMS = ("char", "bigram", "trigram", "quadgram")


@functools.lru_cache(maxsize=1)
def _table() -> tuple[TemplateTable, int, np.ndarray, int, dict]:
    """(table, boundary label id, code point -> letter number, bits per letter, {group: (sorted n-gram codes,
    their value numbers)}): the model's n-grams as integers, so that a batch's are found with numpy."""
    model = CrfModel.from_bytes(model_path().read_bytes())
    table = TemplateTable(model, TEMPLATES)
    alphabet = sorted({c for group in _GRAMS for v in table.index(group) for c in v})
    letters = np.zeros(0x110000, dtype=np.uint64)  # 0: a character no model n-gram holds
    letters[[ord(c) for c in alphabet]] = np.arange(1, len(alphabet) + 1, dtype=np.uint64)
    bits = len(alphabet).bit_length()
    codes = {}
    for group in _GRAMS:
        pairs = sorted((_code([int(letters[ord(c)]) for c in v], bits), i) for v, i in table.index(group).items())
        codes[group] = (np.array([c for c, _ in pairs], dtype=np.uint64), np.array([i for _, i in pairs]))
    return table, model.labels.index("1"), letters, bits, codes


def _code(numbers: list[int], bits: int) -> int:
    out = 0
    for x in numbers:
        out = (out << bits) | x
    return out


def _value_numbers(joined: str, letters: np.ndarray, bits: int, codes: dict) -> dict[str, np.ndarray]:
    """Per group, the value number of the n-gram starting at each position of ``joined`` (0: unknown)."""
    n = len(joined)
    ids = letters[np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
    padded = np.concatenate([ids, np.zeros(3, dtype=np.uint64)])
    out, code = {}, np.zeros(n, dtype=np.uint64)
    for k, group in enumerate(_GRAMS):
        code = (code << np.uint64(bits)) | padded[k : k + n]  # letters p .. p+k; a 0 letter matches no n-gram
        known, numbers = codes[group]
        at = np.searchsorted(known, code).clip(max=len(known) - 1) if len(known) else np.zeros(n, dtype=np.int64)
        out[group] = np.where(known[at] == code, numbers[at], 0) if len(known) else at
    return out


def words_batch(texts: list[str]) -> list[list[str]]:
    """pyidaungsu.tokenize(text, form="word") for each text."""
    return [words for part in batches(texts) for words in _words_batch(part)]


def _words_batch(texts: list[str]) -> list[list[str]]:
    """words_batch for texts scored together."""
    table, boundary, letters, bits, codes = _table()
    sents = [t.replace(" ", "") for t in texts]
    lengths = [len(s) for s in sents]
    values = _value_numbers("".join(sents), letters, bits, codes)
    before, after = positions(lengths)
    states = table.states(values, before, after)
    labels = viterbi2_batch(states[:, 0], states[:, 1], lengths, table.transitions)
    starts = np.flatnonzero(labels == boundary).tolist()  # positions in the batch tagged "1": a space before
    out, start, k = [], 0, 0
    for sent, length in zip(sents, lengths):
        end = start + length
        cuts = []
        while k < len(starts) and starts[k] < end:
            cuts.append(starts[k] - start)
            k += 1
        start = end
        bounds = [0, *cuts, length]
        out.append(" ".join(sent[a:b] for a, b in zip(bounds, bounds[1:])).split())
    return out

