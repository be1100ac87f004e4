"""Corpus preparation as datatrove pipeline steps: `prepare_corpus(cfg)` in seapt.corpus.prepare runs them.

    from seapt.corpus.config import load_corpus_config
    from seapt.corpus.prepare import prepare_corpus
    stats = prepare_corpus(load_corpus_config("th", inputs=["raw.jsonl"], output="corpus/th"))
"""
