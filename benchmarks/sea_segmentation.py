"""Segmentation of Lao, Khmer and Burmese against human gold, through `seapt bench segmentation`.

    python benchmarks/sea_segmentation.py --data ../shared/data/segmentation --out /tmp/sea-seg [--max-sentences 3000]

The gold files are converted to seapt's "|"-delimited format first (OUT/<lang>.gold.txt):
- lo_yunshan dev.filtered.txt: one ``word TAG`` per line, a blank line between sentences;
- km_khpos train6.filtered.word: words split by spaces; ``_`` (joins the parts of a compound) and ``~``
  (after a prefix) are annotation marks, removed, so a compound is one word;
- my_mypos mypos-dver.1.0.word.filtered.txt: words split by spaces (compounds split).
Then one CLI call per engine (every engine in the language's registry entry: icu, syllable and the optional
package engine laonlp / khmernltk / pyidaungsu) writes OUT/<lang>-<engine>.json; for khmernltk and pyidaungsu,
which seapt runs by its own fast path of the package's CRF model, one more process times the package's own
function (row "<engine> (package function)", same gold, same timing) and counts the sentences on which its
words and seapt's are identical. The load average (os.getloadavg, 1 min) is written before and after each row;
OUT/table.md collects them.
"""

from __future__ import annotations

import argparse
import json
import os
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


REFERENCE = ("khmernltk", "pyidaungsu")
"""Engines seapt runs by its fast path: their package's own function gets a row of its own."""


def reference_row(lang: str, engine: str, gold_path: Path) -> dict:
    """The package's own function timed and scored like an engine, and its words compared with seapt's."""
    from seapt.bench.segmentation import measure, read_gold
    from seapt.text.script_segment import segment_runs
    from seapt.text.segment import _rules, segment_batch

    gold = read_gold(gold_path)
    label = f"{engine} (package function)"
    row, words = measure(lang, label, gold, lambda texts: segment_runs(texts, lang, engine, _rules, reference=True))
    fast = segment_batch([text for text, _ in gold], lang, engine)
    row["identical_to_seapt"] = sum(a == b for a, b in zip(words, fast))
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--max-sentences", type=int, default=3000)
    ap.add_argument("--engines", nargs="*", help="engines to run (default: every engine the language registers)")
    ap.add_argument("--langs", nargs="*", default=list(GOLD), help="languages (default: lo km my)")
    ap.add_argument("--reference", nargs=4, metavar=("LANG", "ENGINE", "GOLD", "JSON"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.reference:  # one reference row, in its own process
        lang, engine, gold, target = args.reference
        Path(target).write_text(json.dumps(reference_row(lang, engine, Path(gold))), encoding="utf-8")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for lang in args.langs:
        sents = [s for s in gold_sentences(lang, args.data / GOLD[lang]) if s][: args.max_sentences]
        gold = args.out / f"{lang}.gold.txt"
        gold.write_text("\n".join("|".join(s) for s in sents) + "\n", encoding="utf-8")
        for engine in args.engines or get_language(lang).segmenters:
            runs = [(engine, ["-c", "from seapt.cli import app; app()", "bench", "segmentation", "--lang", lang,
                              "--gold", str(gold), "--engine", engine])]
            if engine in REFERENCE:
                runs.append((f"{engine}-package", [__file__, "--data", str(args.data), "--out", str(args.out),
                                                   "--reference", lang, engine, str(gold)]))
            for name, argv in runs:
                target = args.out / f"{lang}-{name}.json"
                load_before = os.getloadavg()[0]
                if argv[0] == "-c":
                    argv = [*argv, "--json", str(target)]
                else:
                    argv = [*argv, str(target)]
                subprocess.run([sys.executable, *argv], check=True)
                row = json.loads(target.read_text(encoding="utf-8"))
                row.update(sentences=len(sents), load=f"{load_before:.1f}→{os.getloadavg()[0]:.1f}")
                rows.append(row)
                print(row, flush=True)
    table = ["| lang | engine | sentences | precision | recall | F1 | chars/s | load (1 min) | identical words |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        same = f"{r['identical_to_seapt']}/{r['sentences']}" if "identical_to_seapt" in r else ""
        table.append(f"| {r['lang']} | {r['engine']} | {r['sentences']} | {r['precision']:.3f} | {r['recall']:.3f} "
                     f"| {r['f1']:.3f} | {r['chars_per_s']:,.0f} | {r['load']} | {same} |")
    (args.out / "table.md").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
