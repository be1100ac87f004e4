"""Language ID confusion on FLORES-200 devtest: which sentences each language's shipped corpus config keeps.

    python benchmarks/langid.py --flores ../shared/data/parallel/flores200_devtest --langs ms id fil \
        --texts zsm_Latn ind_Latn tgl_Latn eng_Latn

For each target language L (its LanguageFilter built from configs/corpus/L.yaml, as `seapt corpus prepare`
builds it) and each FLORES file, the share of the 1012 sentences kept (one sentence a document: harder than
real documents) and of the 169 six-sentence documents kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flores", type=Path, required=True)
    ap.add_argument("--langs", nargs="+", default=["ms", "id", "fil"])
    ap.add_argument("--texts", nargs="+", default=["zsm_Latn", "ind_Latn", "tgl_Latn", "eng_Latn"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from seapt.corpus.config import load_corpus_config
    from seapt.corpus.filters import LanguageFilter
    from seapt.text.normalize import normalize

    out = {}
    for lang in args.langs:
        li = load_corpus_config(lang).langid
        f = LanguageFilter(lang, li.min_script_share, li.use_lingua, tuple(li.candidates), li.allow_malay,
                           li.min_confidence, li.sample_chars)
        for code in args.texts:
            lines = (args.flores / f"{code}.devtest").read_text(encoding="utf-8").splitlines()
            docs = [" ".join(lines[i:i + 6]) for i in range(0, len(lines), 6)]

            def kept(texts):
                return sum(f.score(t)[0] == lang and f.score(t)[1] >= li.min_confidence
                           for t in (normalize(x, lang) for x in texts))

            out[f"{lang}<-{code}"] = {"sentences": len(lines), "sentences_kept": kept(lines),
                                      "docs6": len(docs), "docs6_kept": kept(docs)}
            print(lang, code, json.dumps(out[f"{lang}<-{code}"]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
