"""Corpus preparation benchmark: real documents + planted junk, ours vs a plain datatrove pipeline.

    python benchmarks/corpus.py --raw ../shared/data/raw --flores ../shared/data/parallel/flores200_devtest \
        --work /tmp/seapt-corpus-bench --json benchmarks/results/corpus.json

For each language (th_thaigov, vi_wiki, id_wiki) it writes input.jsonl = the real documents (exact repeats
removed) + planted junk of five kinds (boilerplate pages, wrong-language documents from FLORES, keyword spam,
mojibake, near-duplicates of real documents with small edits), runs `prepare_corpus` with 1 and 2 workers and
datatrove's Gopher repetition + quality filters with their defaults (English stop words) on the same input
in the same run (each in a fresh interpreter, as from the command line; median of --repeats runs), and reports: share of real documents kept, share of junk dropped per kind, near-duplicate
recall/precision, MB/s per core, the ratio to the datatrove baseline and the 2-vs-1-worker speed-up, on the
input and on the input repeated --scale times (the fixed start-up of ~1 s, serial, weighs less there).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import shutil
import sys
import time
from pathlib import Path

BOILERPLATE = [
    "Home | News | Sport | Business | Contact", "หน้าแรก | ข่าว | กีฬา | ติดต่อเรา", "Trang chủ | Tin tức | Thể thao",
    "Beranda | Berita | Olahraga | Kontak", "This website uses cookies to improve your experience. Accept",
    "เว็บไซต์นี้ใช้คุกกี้เพื่อพัฒนาประสบการณ์ของท่าน", "Share on Facebook", "แชร์ Facebook", "Chia sẻ Facebook",
    "Bagikan ke WhatsApp", "Copyright © 2024 All rights reserved.", "สงวนลิขสิทธิ์ 2567", "Bản quyền thuộc về báo",
    "Hak cipta dilindungi undang-undang", "Read more", "อ่านต่อ", "Đọc thêm", "Baca juga:", "Subscribe to our newsletter",
    "สมัครสมาชิก", "Login | Register", "เข้าสู่ระบบ", "Đăng nhập", "Facebook | Twitter | Line | Email",
    "------------------------------", "* * * * *", "ที่มา : http://www.example.go.th/news/1234",
]
OTHERS = {"th": ["eng_Latn", "vie_Latn", "ind_Latn"], "vi": ["eng_Latn", "ind_Latn", "tha_Thai"],
          "id": ["eng_Latn", "vie_Latn", "tha_Thai"], "lo": ["eng_Latn", "tha_Thai", "khm_Khmr"],
          "km": ["eng_Latn", "tha_Thai", "lao_Laoo"], "my": ["eng_Latn", "tha_Thai", "khm_Khmr"],
          "ms": ["eng_Latn", "ind_Latn", "tgl_Latn"], "fil": ["eng_Latn", "ind_Latn", "zsm_Latn"]}
# real text per language under --raw: (file glob, jsonl?) — one document per line (lo and fil: sentences)
REAL = {"th": ("th_thaigov/thaigov_folder6.jsonl", True), "vi": ("vi_wiki/viwiki_sample.jsonl", True),
        "id": ("id_wiki/id_tydiqa_goldp_contexts.txt", False),
        "lo": ("lo_yunshan/lo_yunshan_train_dev_sentences.txt", False),
        "km": ("km_news_phylypo/kh_news_1000_orig.jsonl", True), "my": ("my_news_khine/my_news_paragraphs.jsonl", True),
        "ms": ("ms_news_articles/*-articles.txt", False), "fil": ("fil_ud_newscrawl/tl_newscrawl_dev_test_sentences.txt", False)}
N_JUNK = 40  # per kind and language


def load_real(raw: Path, lang: str) -> list[str]:
    pattern, is_jsonl = REAL[lang]
    texts = [json.loads(x)["text"] if is_jsonl else x.rstrip("\n")
             for f in sorted(raw.glob(pattern)) for x in open(f, encoding="utf-8")]
    seen, out = set(), []
    for t in texts:
        if t.strip() and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _edit(text: str, rng: random.Random) -> str:
    """A small edit: swap ~2% of the words for other words of the text, and maybe drop or add a line."""
    lines = text.split("\n")
    if len(lines) > 4 and rng.random() < 0.5:
        del lines[rng.randrange(1, len(lines) - 1)]
    text = "\n".join(lines)
    tokens = re.split(r"(\s+)", text) if " " in text else list(text)
    k = max(1, len(tokens) // 50)
    for i in rng.sample(range(len(tokens)), min(k, len(tokens))):
        if tokens[i].strip():
            tokens[i] = rng.choice(tokens).strip() or tokens[i]
    return "".join(tokens) + ("\n" + rng.choice(["อัปเดตล่าสุด", "Cập nhật", "Diperbarui", "Updated"]))


def make_junk(lang: str, real: list[str], flores: Path, rng: random.Random) -> list[tuple[str, str, str | None]]:
    """(kind, text, source real index for near-duplicates) tuples."""
    junk = []
    for _ in range(N_JUNK):
        junk.append(("boilerplate", "\n".join(rng.sample(BOILERPLATE, rng.randint(6, 14))), None))
    sents = {code: (flores / f"{code}.devtest").read_text(encoding="utf-8").splitlines() for code in OTHERS[lang]}
    for i in range(N_JUNK):
        code = OTHERS[lang][i % 3]
        start = rng.randrange(0, len(sents[code]) - 6)
        junk.append(("wrong_language", " ".join(sents[code][start:start + 6]), None))
    for _ in range(N_JUNK):
        words = [w for w in re.findall(r"\w+", rng.choice(real)) if len(w) > 2]
        keys = rng.sample(words, min(len(words), rng.randint(3, 8)))
        junk.append(("keyword_spam", (" ".join(keys) + " ") * rng.randint(20, 60), None))
    for _ in range(N_JUNK):
        # web pages use no-break spaces; a UTF-8 page read as cp1252 turns each into "Â\xa0" (also in
        # nearly-ASCII Indonesian), Thai and Vietnamese letters into "à¸..." / "Ä‘..." sequences
        src = rng.choice(real).replace(" ", "\u00a0").encode("utf-8").decode("cp1252", errors="replace")
        # and a lossy step after it: 3% of characters become U+FFFD, so ftfy cannot restore the page
        chars = [c if rng.random() > 0.03 else "\ufffd" for c in src]
        junk.append(("mojibake", "".join(chars), None))
    for i in rng.sample(range(len(real)), N_JUNK):
        junk.append(("near_duplicate", _edit(real[i], rng), f"real{i}"))
    return junk


def build(raw: Path, flores: Path, work: Path, lang: str, seed: int = 0) -> dict:
    rng = random.Random(seed)
    real = load_real(raw, lang)
    junk = make_junk(lang, real, flores, rng)
    rows = [{"id": f"real{i}", "text": t} for i, t in enumerate(real)]
    rows += [{"id": f"junk{j}_{kind}", "text": text, "kind": kind, "pair": pair}
             for j, (kind, text, pair) in enumerate(junk)]
    rng.shuffle(rows)
    folder = work / lang
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "input.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
    truth = {r["id"]: {"kind": r.get("kind", "real"), "pair": r.get("pair")} for r in rows}
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return truth


def read_out(folder: Path, sub: str) -> dict[str, str | None]:
    out = {}
    for f in sorted((folder / sub).glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                out[r["id"]] = r.get("reason")
    return out


def _shingles(text: str, lang: str) -> set:
    from datatrove.data import Document

    from seapt.corpus.words import shingle_words

    w = shingle_words(Document(text=text, id="x", metadata={}), lang)
    return set(zip(*(w[i:] for i in range(5))))


def verify_source_duplicates(inp: Path, lang: str, suspects: list[str], kept: set[str]) -> int:
    """How many of ``suspects`` (real documents removed as duplicates without a planted copy) really have a
    kept real document with word 5-gram Jaccard >= 0.5 in the source data (true duplicates, not errors)."""
    if not suspects:
        return 0
    texts = {r["id"]: r["text"] for r in map(json.loads, open(inp, encoding="utf-8"))
             if r["id"].startswith("real")}
    kept_sh = {i: _shingles(texts[i], lang) for i in kept if i in texts}
    true_dups = 0
    for s in suspects:
        a = _shingles(texts[s], lang)
        if any(len(a & b) / max(len(a | b), 1) >= 0.5 for b in kept_sh.values()):
            true_dups += 1
    return true_dups


def score(truth: dict, kept: set[str], removed: dict[str, str]) -> dict:
    real = [i for i, t in truth.items() if t["kind"] == "real"]
    copy_of = {t["pair"]: i for i, t in truth.items() if t["kind"] == "near_duplicate"}
    # a real document removed as a duplicate of its kept planted copy keeps its content in the corpus
    content = [i in kept or (removed.get(i, "").endswith("_duplicate") and copy_of.get(i) in kept) for i in real]
    res = {"real_docs": len(real), "real_kept": sum(content) / len(real)}
    for kind in ("boilerplate", "wrong_language", "keyword_spam", "mojibake"):
        ids = [i for i, t in truth.items() if t["kind"] == kind]
        res[f"dropped_{kind}"] = sum(i not in kept for i in ids) / len(ids)
    junk = [i for i, t in truth.items() if t["kind"] not in ("real", "near_duplicate")]
    res["junk_dropped"] = sum(i not in kept for i in junk) / len(junk)
    pairs = [(i, t["pair"]) for i, t in truth.items() if t["kind"] == "near_duplicate"]
    paired = {x for p in pairs for x in p}
    res["near_dup_recall"] = sum(not (a in kept and b in kept) for a, b in pairs) / len(pairs)
    dedup = [i for i, r in removed.items() if r in ("near_duplicate", "exact_duplicate")]
    tp = sum(i in paired for i in dedup)
    fp = sum(i not in paired and truth.get(i, {}).get("kind") == "real" for i in dedup)
    res["near_dup_precision_raw"] = tp / max(tp + fp, 1)
    res["real_removed_as_dup_unplanted"] = [i for i in dedup if i not in paired and truth[i]["kind"] == "real"]
    res["_tp"] = tp
    return res


def cold(mode: str, inp: Path, out: Path, lang: str, workers: int = 1, overrides=()) -> tuple[float, float]:
    """Run one configuration in a fresh interpreter (imports, model loading and worker start-up included, as
    from the command line); returns (wall seconds, CPU seconds of it and its workers)."""
    import subprocess

    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, __file__, "--one", mode, "--inp", str(inp), "--out", str(out), "--lang", lang,
           "--workers", str(workers)] + [f"--set={o}" for o in overrides]
    t, c = time.perf_counter(), _cpu()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t, _cpu() - c


def cold_median(repeats: int, *args, **kw) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``repeats`` cold runs (single runs vary by ~5%)."""
    import statistics

    runs = [cold(*args, **kw) for _ in range(max(1, repeats))]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def run_ours(inp: Path, out: Path, lang: str, workers: int, overrides=()) -> dict:
    from seapt.corpus.config import load_corpus_config
    from seapt.corpus.prepare import prepare_corpus

    cfg = load_corpus_config(lang, inputs=[str(inp)], output=str(out), workers=workers, progress=False,
                             overrides=overrides)
    return prepare_corpus(cfg)


def run_datatrove(inp: Path, out: Path) -> None:
    """Plain datatrove: JsonlReader -> GopherRepetitionFilter -> GopherQualityFilter (defaults) -> JsonlWriter.
    Words split by a regex (datatrove's English tokenizer needs spaCy, which is not installed)."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.word_tokenizers import WordTokenizer

    class Regex(WordTokenizer):
        def word_tokenize(self, text):
            return re.findall(r"\w+|[^\w\s]+", text)

        def sent_tokenize(self, text):
            return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]

        def span_tokenize(self, text):
            return [m.span() for m in re.finditer(r"\w+|[^\w\s]+", text)]

    shutil.rmtree(out, ignore_errors=True)
    tok = Regex()
    pipe = [JsonlReader(str(inp.parent), glob_pattern=inp.name), GopherRepetitionFilter(language=tok),
            GopherQualityFilter(language=tok), JsonlWriter(str(out / "data"))]
    LocalPipelineExecutor(pipe, tasks=1, workers=1, logging_dir=str(out / "logs")).run()


def quality_only(truth: dict, inp: Path, out: Path, lang: str, overrides=()) -> dict:
    """One in-process run: share of real documents kept, junk dropped per kind, and the reasons real documents
    were dropped for (what a threshold calibration looks at)."""
    from collections import Counter

    shutil.rmtree(out, ignore_errors=True)
    stats = run_ours(inp, out, lang, 1, overrides)
    kept, removed = set(read_out(out, "data")), read_out(out, "removed")
    res = score(truth, kept, removed)
    suspects = res.pop("real_removed_as_dup_unplanted")
    res.pop("_tp")
    true_src = verify_source_duplicates(inp, lang, suspects, kept)
    # a real document removed as a duplicate of another kept real one (Jaccard >= 0.5) keeps its content too
    res["real_content_kept"] = res["real_kept"] + true_src / res["real_docs"]
    res["source_dups_removed"] = f"{true_src} of {len(suspects)} verified (Jaccard >= 0.5)"
    passed = [i for i, t in truth.items() if t["kind"] == "real" and removed.get(i) not in ("wrong_language", "wrong_script")]
    res["real_kept_after_langid"] = sum(i in kept for i in passed) / max(len(passed), 1)
    res["real_dropped_by_reason"] = dict(Counter(r for i, r in removed.items() if truth[i]["kind"] == "real"))
    res["junk_kept"] = dict(Counter(t["kind"] for i, t in truth.items()
                                    if i in kept and t["kind"] not in ("real", "near_duplicate")))
    res["dropped"] = stats["dropped"]
    res["load_avg_1min"] = round(__import__("os").getloadavg()[0], 1)
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in res.items()}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the machine is shared: wall time is noisy)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, required=True)
    ap.add_argument("--flores", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("/tmp/seapt-corpus-bench"))
    ap.add_argument("--langs", nargs="+", default=["th", "vi", "id"])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--repeats", type=int, default=3, help="cold runs per timing; the median is reported")
    ap.add_argument("--scale", type=int, default=8,
                    help="also time 1 vs 2 workers on the input repeated this many times (1: skip)")
    ap.add_argument("--set", dest="overrides", action="append", default=[], help="config override for ours, a.b=c")
    ap.add_argument("--quality-only", action="store_true",
                    help="calibration: one in-process run per language; share kept, junk dropped and why (no timings)")
    ap.add_argument("--one", choices=["ours", "datatrove"], help=argparse.SUPPRESS)  # internal: one cold run
    ap.add_argument("--inp", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--lang", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    if argv is None and "--one" in sys.argv:
        argv = sys.argv[1:] + ["--raw", ".", "--flores", "."]
    args = ap.parse_args(argv)
    from loguru import logger

    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    if args.one == "ours":
        run_ours(args.inp, args.out, args.lang, args.workers, args.overrides)
        return 0
    if args.one == "datatrove":
        run_datatrove(args.inp, args.out)
        return 0
    results = {}
    for lang in args.langs:
        truth = build(args.raw, args.flores, args.work, lang)
        inp = args.work / lang / "input.jsonl"
        if args.quality_only:
            results[lang] = quality_only(truth, inp, args.work / lang / "out1", lang, args.overrides)
            print(lang, json.dumps(results[lang], ensure_ascii=False), flush=True)
            continue
        mb = inp.stat().st_size / 1e6
        r = args.repeats
        t1, c1 = cold_median(r, "ours", inp, args.work / lang / "out1", lang, 1, args.overrides)
        t2, c2 = cold_median(r, "ours", inp, args.work / lang / "out2", lang, 2, args.overrides)
        tb, cb = cold_median(r, "datatrove", inp, args.work / lang / "datatrove", lang)
        # fixed start-up cost (interpreter, imports, dictionary and models, 5 stages): a cold run on 5 documents
        tiny = args.work / lang / "tiny.jsonl"
        tiny.write_text("".join(open(inp, encoding="utf-8").readlines()[:5]), encoding="utf-8")
        _, f_ours = cold_median(r, "ours", tiny, args.work / lang / "tiny_ours", lang, 1, args.overrides)
        _, f_dt = cold_median(r, "datatrove", tiny, args.work / lang / "tiny_datatrove", lang)
        s1 = json.loads((args.work / lang / "out1" / "stats.json").read_text(encoding="utf-8"))
        dt_kept = set(read_out(args.work / lang / "datatrove", "data"))
        kept = set(read_out(args.work / lang / "out1", "data"))
        res = score(truth, kept, read_out(args.work / lang / "out1", "removed"))
        suspects = res.pop("real_removed_as_dup_unplanted")
        true_src = verify_source_duplicates(inp, lang, suspects, kept)
        tp = res.pop("_tp")
        res["near_dup_precision"] = (tp + true_src) / max(tp + len(suspects), 1)
        res["source_dups_removed"] = f"{true_src} of {len(suspects)} verified (Jaccard >= 0.5)"
        same = kept == set(read_out(args.work / lang / "out2", "data"))
        scaled = {}
        if args.scale > 1:  # the same documents K times (own ids): start-up (~1 s) weighs K times less
            big = args.work / lang / f"input_x{args.scale}.jsonl"
            rows = [json.loads(x) for x in open(inp, encoding="utf-8")]
            with open(big, "w", encoding="utf-8") as fh:
                for k in range(args.scale):
                    for r in rows:
                        fh.write(json.dumps({"id": f"{r['id']}_x{k}", "text": r["text"]}, ensure_ascii=False) + "\n")
            b1, bc1 = cold("ours", big, args.work / lang / "big1", lang, 1, args.overrides)
            b2, _ = cold("ours", big, args.work / lang / "big2", lang, 2, args.overrides)
            scaled = {f"x{args.scale}_input_mb": round(big.stat().st_size / 1e6, 2), f"x{args.scale}_wall_s_1_worker": round(b1, 2),
                      f"x{args.scale}_wall_s_2_workers": round(b2, 2), f"x{args.scale}_speedup_2_vs_1_wall": round(b1 / b2, 2),
                      f"x{args.scale}_mb_per_cpu_s": round(big.stat().st_size / 1e6 / bc1, 3)}
            for sub in ("big1", "big2"):
                shutil.rmtree(args.work / lang / sub, ignore_errors=True)
            big.unlink()
        real = [i for i, t in truth.items() if t["kind"] == "real"]
        res.update({
            "input_mb": round(mb, 3), "wall_s_1_worker": round(t1, 2), "wall_s_2_workers": round(t2, 2),
            "cpu_s_1_worker": round(c1, 2), "cpu_s_2_workers": round(c2, 2), "mb_per_cpu_s": round(mb / c1, 3), "mb_per_wall_s_1_worker": round(mb / t1, 3),
            "speedup_2_vs_1_wall": round(t1 / t2, 2), "two_workers_same_kept_set": same,
            "datatrove_wall_s": round(tb, 2), "datatrove_cpu_s": round(cb, 2),
            "datatrove_mb_per_cpu_s": round(mb / cb, 3), "cpu_ratio_ours_vs_datatrove": round(cb / c1, 3),
            "startup_cpu_s": round(f_ours, 2), "datatrove_startup_cpu_s": round(f_dt, 2),
            "marginal_mb_per_cpu_s": round(mb / max(c1 - f_ours, 1e-9), 3),
            "datatrove_marginal_mb_per_cpu_s": round(mb / max(cb - f_dt, 1e-9), 3),
            "datatrove_real_kept": round(sum(i in dt_kept for i in real) / len(real), 4),
            "load_avg_1min": round(__import__("os").getloadavg()[0], 1), "dropped": s1["dropped"],
        })
        res.update(scaled)
        results[lang] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in res.items()}
        print(lang, json.dumps(results[lang], ensure_ascii=False), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
