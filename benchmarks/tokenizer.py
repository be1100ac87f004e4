"""Benchmark of `seapt tokenizer extend` on real bases and data (issue 4 targets), as a Markdown table.

    python benchmarks/tokenizer.py --bases ../shared/base-tokenizers --raw ../shared/data/raw \
        --flores ../shared/data/parallel/flores200_devtest --out /tmp/seapt-bench-tok [--only llama3-th ...]

Each run extends a base (8,000 tokens per language, training text from --raw), then measures on FLORES
devtest, side by side with the unchanged base: parity vs English (tokens(L) / tokens(en)), tokens per
word, English sentences with identical ids, unreachable tokens, round-trip rate, time and MB/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

RUNS = {
    "llama3-th": ("llama3", {"th": 8000}),
    "mistral-th": ("mistral-v1", {"th": 8000}),
    "llama3-vi": ("llama3", {"vi": 8000}),
    "llama3-id": ("llama3", {"id": 8000}),
    "llama3-th-vi-id": ("llama3", {"th": 8000, "vi": 8000, "id": 8000}),
}
RAW = {"th": "th_thaigov", "vi": "vi_wiki", "id": "id_wiki"}
FLORES = {
    "th": "tha_Thai.devtest",
    "vi": "vie_Latn.devtest",
    "id": "ind_Latn.devtest",
    "en": "eng_Latn.devtest",
}
TARGETS = {
    ("llama3-th", "th"): 1.35,
    ("mistral-th", "th"): 1.35,
    ("llama3-vi", "vi"): 1.25,
    ("llama3-id", "id"): 1.20,
}


def roundtrip_rate(base, new, lines):
    held = ok = 0
    for x in lines:
        if base.decode(base.encode(x, add_special_tokens=False).ids) == x:
            held += 1
            ok += new.decode(new.encode(x, add_special_tokens=False).ids) == x
    return ok / held if held else 1.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bases", default="../shared/base-tokenizers")
    ap.add_argument("--raw", default="../shared/data/raw")
    ap.add_argument("--flores", default="../shared/data/parallel/flores200_devtest")
    ap.add_argument("--out", default="/tmp/seapt-bench-tok")
    ap.add_argument("--only", nargs="*", default=list(RUNS), choices=list(RUNS))
    ap.add_argument("--segment", action="store_true", help="pre-split Thai into words before counting")
    args = ap.parse_args(argv)

    from seapt.io import write_json
    from seapt.vocab.config import ExtendConfig
    from seapt.vocab.extend import extend_tokenizer
    from seapt.vocab.metrics import evaluate_tokenizers, load_tokenizer

    flores = {lang: str(Path(args.flores) / f) for lang, f in FLORES.items()}
    en_lines = Path(flores["en"]).read_text(encoding="utf-8").splitlines()
    rows, results = [], {}
    for name in args.only:
        base_name, add = RUNS[name]
        base = str(Path(args.bases) / base_name)
        out = Path(args.out) / name
        cfg = ExtendConfig(
            base=base,
            corpus={lang: str(Path(args.raw) / RAW[lang]) for lang in add},
            add=add,
            output=str(out),
            segment=args.segment,
        )
        t0 = time.perf_counter()
        info = extend_tokenizer(cfg)
        wall = time.perf_counter() - t0
        texts = {lang: flores[lang] for lang in [*add, "en"]}
        ev = evaluate_tokenizers([base, str(out)], texts, parallel=True)
        b, n = load_tokenizer(base), load_tokenizer(str(out))
        same_en = sum(
            b.encode(x, add_special_tokens=False).ids == n.encode(x, add_special_tokens=False).ids
            for x in en_lines
        ) / len(en_lines)
        for lang in add:
            lines = Path(flores[lang]).read_text(encoding="utf-8").splitlines()
            rt = roundtrip_rate(b, n, lines)
            target = TARGETS.get((name, lang))
            parity = ev[str(out)][lang]["parity_vs_en"]
            rows.append(
                {
                    "run": name,
                    "lang": lang,
                    "base_parity": ev[base][lang]["parity_vs_en"],
                    "parity": parity,
                    "target": target,
                    "meets": None if target is None else parity <= target,
                    "base_tokens_per_word": ev[base][lang]["tokens_per_word"],
                    "tokens_per_word": ev[str(out)][lang]["tokens_per_word"],
                    "added": info["added"][lang],
                    "english_identical": same_en,
                    "unreachable": info["checks"]["unreachable"],
                    "roundtrip_flores": rt,
                    "roundtrip_corpus": info["checks"]["roundtrip_rate"],
                    "seconds": info["seconds"],
                    "learn_seconds": info.get("learn_seconds"),
                    "mb_per_s": info.get("mb_per_s"),
                    "wall_s": round(wall, 1),
                }
            )
        results[name] = {"extension": {k: v for k, v in info.items() if k != "new_tokens"}, "eval": ev}
        write_json(Path(args.out) / "results.json", {"rows": rows, "runs": results})
    print(
        "| run | lang | base parity | parity | target | tokens/word base → new | English FLORES identical "
        "| unreachable | round-trip FLORES | seconds (learn) | MB/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        tgt = "—" if r["target"] is None else f"≤ {r['target']:.2f} {'✓' if r['meets'] else '✗'}"
        print(
            f"| {r['run']} | {r['lang']} | {r['base_parity']:.2f} | {r['parity']:.3f} | {tgt} | "
            f"{r['base_tokens_per_word']:.2f} → {r['tokens_per_word']:.2f} | "
            f"{100 * r['english_identical']:.1f}% | "
            f"{r['unreachable']} | {100 * r['roundtrip_flores']:.1f}% | "
            f"{r['seconds']:.0f} ({r['learn_seconds']:.0f}) "
            f"| {r['mb_per_s']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
