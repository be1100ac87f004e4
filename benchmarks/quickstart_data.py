"""Build the quickstart's bundled real text from ../shared/data: small slices of ThaiGov news (public domain),
Vietnamese and Indonesian Wikipedia (CC BY-SA), and FLORES-200 devtest held-out sentences (CC BY-SA 4.0).

    python benchmarks/quickstart_data.py --shared ../shared/data --max-bytes 1000000 --heldout 250

Documents are taken in file order until --max-bytes of UTF-8 text per language; a document holding any
FLORES devtest sentence (any language) is skipped, so held-out text never appears in a bundled corpus.
Text is copied unchanged (BOMs, source lines and all: the corpus stage cleans it). The planted messy documents
of the hand-written samples (corpora/<lang>/sample.jsonl, kind != clean) go to corpora/<lang>/messy.jsonl.gz.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

FLORES = {"th": "tha_Thai", "vi": "vie_Latn", "id": "ind_Latn", "en": "eng_Latn"}
RAW = {"th": "raw/th_thaigov/thaigov_folder6.jsonl", "vi": "raw/vi_wiki/viwiki_sample.jsonl",
       "id": "raw/id_wiki/id_tydiqa_goldp_contexts.txt"}
NAMES = {"th": "thaigov", "vi": "viwiki", "id": "idwiki"}


def _docs(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if path.suffix == ".jsonl":
                yield json.loads(line)["text"]
            elif line.strip():
                yield line.rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--max-bytes", type=int, default=1_000_000, help="UTF-8 bytes of text per language")
    ap.add_argument("--heldout", type=int, default=250, help="FLORES devtest sentences per language")
    ap.add_argument("--out", default="seapt")
    args = ap.parse_args(argv)
    shared, out = Path(args.shared), Path(args.out)
    flores = {k: (shared / "parallel/flores200_devtest" / f"{v}.devtest").read_text(encoding="utf-8").splitlines()
              for k, v in FLORES.items()}
    held = out / "data" / "heldout"
    for lang, lines in flores.items():
        (held / f"{lang}.txt").write_text("\n".join(lines[: args.heldout]) + "\n", encoding="utf-8")
    sentences = [s.strip() for lines in flores.values() for s in lines if len(s.strip()) >= 20]
    for lang, rel in RAW.items():
        kept, skipped, size = 0, 0, 0
        target = out / "corpora" / lang / f"{NAMES[lang]}.jsonl.gz"
        with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as fh:
            for text in _docs(shared / rel):
                if size >= args.max_bytes:
                    break
                if any(s in text for s in sentences):
                    skipped += 1
                    continue
                fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                kept += 1
                size += len(text.encode("utf-8"))
        messy = [line for line in (out / "corpora" / lang / "sample.jsonl").open(encoding="utf-8")
                 if json.loads(line)["kind"] != "clean"]
        with gzip.open(out / "corpora" / lang / "messy.jsonl.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.writelines(messy)
        print(f"{lang}: {len(messy)} planted messy documents; {kept} documents, {size} bytes of text, {skipped} skipped (FLORES), "
              f"{target.stat().st_size} bytes compressed -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
