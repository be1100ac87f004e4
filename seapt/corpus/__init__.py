"""Corpus preparation as datatrove pipeline steps: `prepare_corpus(cfg)` in seapt.corpus.prepare runs them.

    from seapt.corpus.config import load_corpus_config
    from seapt.corpus.prepare import prepare_corpus
    stats = prepare_corpus(load_corpus_config("th", inputs=["raw.jsonl"], output="corpus/th"))
"""

from seapt.corpus._hf_lazy import import_datatrove_io as _import_datatrove_io

_import_datatrove_io()  # before any corpus module imports datatrove (each imports this package first)
