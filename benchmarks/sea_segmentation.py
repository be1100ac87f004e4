"""Segmentation of Lao, Khmer and Burmese against human gold, through `seapt bench segmentation`.

    python benchmarks/sea_segmentation.py --data ../shared/data/segmentation --out /tmp/sea-seg [--max-sentences 3000]

The gold files are converted to seapt's "|"-delimited format first (OUT/<lang>.gold.txt):
- lo_yunshan dev.filtered.txt: one ``word TAG`` per line, a blank line between sentences;
- km_khpos train6.filtered.word: words split by spaces; ``_`` (joins the parts of a compound) and ``~``
  (after a prefix) are annotation marks, removed, so a compound is one word;
- my_mypos mypos-dver.1.0.word.filtered.txt: words split by spaces (compounds split).
Then one CLI call per engine (every engine in the language's registry entry: icu, syllable and the optional
package engine laonlp / khmernltk / pyidaungsu) writes OUT/<lang>-<engine>.json; OUT/table.md collects them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from seapt.languages import get as get_language

GOLD = {
    "lo": "lo_yunshan/dev.filtered.txt",
    "km": "km_khpos/train6.filtered.word",
    "my": "my_mypos/mypos-dver.1.0.word.filtered.txt",
}


def gold_sentences(lang: str, path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if lang == "lo":
        out, words = [], []
        for line in lines + [""]:
            if not line.strip():
                if words:
                    out.append(words)
                words = []
            else:
                words.append(line.rsplit(" ", 1)[0].strip())
        return out
    if lang == "km":
        return [[w.replace("_", "").replace("~", "") for w in line.split()] for line in lines if line.strip()]
    return [line.split() for line in lines if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--max-sentences", type=int, default=3000)
    ap.add_argument("--engines", nargs="*", help="engines to run (default: every engine the language registers)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for lang, rel in GOLD.items():
        sents = [s for s in gold_sentences(lang, args.data / rel) if s][: args.max_sentences]
        gold = args.out / f"{lang}.gold.txt"
        gold.write_text("\n".join("|".join(s) for s in sents) + "\n", encoding="utf-8")
        for engine in args.engines or get_language(lang).segmenters:
            target = args.out / f"{lang}-{engine}.json"
            subprocess.run([sys.executable, "-c", "from seapt.cli import app; app()", "bench", "segmentation",
                            "--lang", lang, "--gold", str(gold), "--engine", engine, "--json", str(target)],
                           check=True)
            row = json.loads(target.read_text(encoding="utf-8"))
            row["sentences"] = len(sents)
            rows.append(row)
    table = ["| lang | engine | sentences | precision | recall | F1 | chars/s |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        table.append(f"| {r['lang']} | {r['engine']} | {r['sentences']} | {r['precision']:.3f} | {r['recall']:.3f} "
                     f"| {r['f1']:.3f} | {r['chars_per_s']:,.0f} |")
    (args.out / "table.md").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
