"""`seapt languages`: the registered languages, their engines and whether each optional package is installed."""

from __future__ import annotations

import importlib.util


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def language_rows() -> list[dict]:
    """One dict per registered language: code, name, flores, scripts, engines ({engine: installed}), the
    default engine actually used, sentences, packages ({pip name: installed}), extra, corpus_config (shipped
    or not; None for en, which is no corpus target)."""
    from seapt.languages import LANGUAGES, TARGETS
    from seapt.resources import shipped_config

    rows = []
    for code, lang in LANGUAGES.items():
        engines = {e: _installed(lang.engine_packages[e]) if e in lang.engine_packages else True
                   for e in lang.segmenters}
        default = lang.segmenters[0]
        while not engines.get(default, True) and lang.fallback(default):
            default = lang.fallback(default)
        packages = {}
        for pip_name in lang.packages:
            module = {"pyicu-wheels": "icu", "khmer-nltk": "khmernltk"}.get(pip_name, pip_name.replace("-", "_"))
            packages[pip_name] = _installed(module)
        rows.append({
            "code": code, "name": lang.name, "flores": lang.flores, "scripts": [s.name for s in lang.scripts],
            "engines": engines, "default_engine": default, "sentences": lang.sentence_splitter,
            "packages": packages, "extra": lang.extra,
            "corpus_config": None if code not in TARGETS else shipped_config("corpus", f"{code}.yaml") is not None,
        })
    return rows
