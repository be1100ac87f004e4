"""Build the quickstart's bundled real text from ../shared/data: small slices of ThaiGov news (public domain),
Vietnamese and Indonesian Wikipedia (CC BY-SA), and FLORES-200 devtest held-out sentences (CC BY-SA 4.0).

    python benchmarks/quickstart_data.py --shared ../shared/data --max-bytes 1000000 --heldout 250

Documents are taken in file order until --max-bytes of UTF-8 text per language; a document holding any
FLORES devtest sentence (any language) is skipped, so held-out text never appears in a bundled corpus.
Text is copied unchanged (BOMs, source lines and all: the corpus stage cleans it). The planted messy documents
of the hand-written samples (corpora/<lang>/sample.jsonl, kind != clean) go to corpora/<lang>/messy.jsonl.gz.
English replay (corpora/en/flores.jsonl.gz): FLORES-200 devtest English from sentence --english-from on (never the
held-out first --heldout sentences), one document per source article (consecutive sentences with the same URL).
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
    ap.add_argument("--english-from", type=int, default=300, help="first FLORES devtest sentence of the English replay")
    ap.add_argument("--langs", default="th,vi,id,en", help="what to (re)build: th, vi, id (corpora), en (replay)")
    ap.add_argument("--out", default="seapt")
    args = ap.parse_args(argv)
    langs = args.langs.split(",")
    shared, out = Path(args.shared), Path(args.out)
    flores = {k: (shared / "parallel/flores200_devtest" / f"{v}.devtest").read_text(encoding="utf-8").splitlines()
              for k, v in FLORES.items()}
    held = out / "data" / "heldout"
    for lang, lines in flores.items():
        (held / f"{lang}.txt").write_text("\n".join(lines[: args.heldout]) + "\n", encoding="utf-8")
    sentences = [s.strip() for lines in flores.values() for s in lines if len(s.strip()) >= 20]
    if "en" in langs:
        english_replay(shared, out, flores["en"], args.english_from, args.heldout)
    for lang, rel in RAW.items():
        if lang not in langs:
            continue
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


def english_replay(shared: Path, out: Path, english: list[str], start: int, heldout: int) -> None:
    """FLORES devtest English sentences [start:], grouped into one document per source article."""
    if start < heldout:
        raise SystemExit(f"--english-from {start} would replay held-out sentences (the first {heldout})")
    meta = (shared / "parallel/flores200_devtest/metadata_devtest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    urls = [line.split("\t")[0] for line in meta]
    docs: list[list[str]] = []
    for i in range(start, len(english)):
        if not docs or urls[i] != urls[i - 1]:
            docs.append([])
        docs[-1].append(english[i])
    target = out / "corpora" / "en" / "flores.jsonl.gz"
    with gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as raw:
        raw.write("".join(json.dumps({"text": " ".join(d)}, ensure_ascii=False) + "\n" for d in docs).encode())
    size = sum(len(" ".join(d).encode("utf-8")) for d in docs)
    print(f"en: {len(docs)} documents, {len(english) - start} sentences, {size} bytes -> {target}")


if __name__ == "__main__":
    raise SystemExit(main())
