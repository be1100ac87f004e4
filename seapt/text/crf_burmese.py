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

from seapt.errors import DependencyError
from seapt.text.crf_features import Template, TemplateTable, positions
from seapt.text.crf_model import CrfModel, viterbi2

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


@functools.lru_cache(maxsize=1)
def _table() -> tuple[TemplateTable, int]:
    model = CrfModel.from_bytes(model_path().read_bytes())
    return TemplateTable(model, TEMPLATES), model.labels.index("1")


def words_batch(texts: list[str]) -> list[list[str]]:
    """pyidaungsu.tokenize(text, form="word") for each text."""
    table, boundary = _table()
    sents = [t.replace(" ", "") for t in texts]
    lengths = [len(s) for s in sents]
    joined = "".join(sents)
    n = len(joined)
    values = {
        "char": list(joined),
        "bigram": [joined[p : p + 2] for p in range(n)],
        "trigram": [joined[p : p + 3] for p in range(n)],
        "quadgram": [joined[p : p + 4] for p in range(n)],
    }
    before, after = positions(lengths)
    states = table.states(values, before, after)
    s0, s1 = states[:, 0].tolist(), states[:, 1].tolist()
    out, start = [], 0
    for sent, length in zip(sents, lengths):
        end = start + length
        labels = viterbi2(s0[start:end], s1[start:end], table.transitions)
        start = end
        cuts = [i for i, label in enumerate(labels) if label == boundary]
        bounds = [0, *cuts, length]
        out.append(" ".join(sent[a:b] for a, b in zip(bounds, bounds[1:])).split())
    return out

