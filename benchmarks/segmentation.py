"""Segmentation benchmark table on ../shared/data/segmentation: F1 and chars/s per engine, plus the ratios
the issue targets, measured side by side in one run (best of --repeats, interleaved: the machine is shared).

    python benchmarks/segmentation.py --data ../shared/data/segmentation --out /tmp/seg-bench --repeats 3

Per engine, the JSON comes from `seapt bench segmentation ... --json OUT/<lang>-<engine>.json` (one CLI
call each). The ratios come from in-process runs of the same function: seapt's default Thai engine
(nlpo3) against plain pythainlp newmm, and seapt's Vietnamese segmenter against calling
underthesea.word_tokenize directly. Writes OUT/table.md and OUT/summary.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

GOLD = {
    "th": ("th_wisesight/wisesight-1000-samples-tokenised.label", ("nlpo3", "newmm")),
    "vi": ("vi_ud_vtb/vi_vtb-ud-dev.conllu", ("underthesea", "syllable")),
    "id": ("id_ud_gsd/id_gsd-ud-dev.conllu", ("rules",)),
}


def cli_runs(data: Path, out: Path) -> list[dict]:
    rows = []
    for lang, (rel, engines) in GOLD.items():
        for engine in engines:
            target = out / f"{lang}-{engine}.json"
            cmd = [sys.executable, "-c", "from seapt.cli import app; app()", "bench", "segmentation", "--lang", lang, "--gold", str(data / rel), "--engine", engine,
                    "--json", str(target)]
            subprocess.run(cmd, check=True)
            rows.append(json.loads(target.read_text(encoding="utf-8")))
    return rows


def side_by_side(data: Path, repeats: int) -> dict:
    from underthesea import word_tokenize

    from seapt.bench.segmentation import benchmark_segmentation, read_gold, score

    th_gold = data / GOLD["th"][0]
    vi_gold_path = data / GOLD["vi"][0]
    vi_gold = read_gold(vi_gold_path)
    word_tokenize(vi_gold[0][0])  # load the model outside the timing
    runs: dict[str, list] = {"nlpo3": [], "newmm": [], "vi_seapt": [], "vi_direct": []}
    direct_f1 = None
    for _ in range(repeats):
        runs["nlpo3"].append(benchmark_segmentation("th", th_gold, "nlpo3"))
        runs["newmm"].append(benchmark_segmentation("th", th_gold, "newmm"))
        runs["vi_seapt"].append(benchmark_segmentation("vi", vi_gold_path, "underthesea"))
        start = time.perf_counter()
        direct = [word_tokenize(text) for text, _ in vi_gold]
        runs["vi_direct"].append(time.perf_counter() - start)
        direct_f1 = score([(words, pred) for (_, words), pred in zip(vi_gold, direct)])["f1"]
    best = {k: max(v, key=lambda r: r["chars_per_s"]) for k, v in runs.items() if k != "vi_direct"}
    vi_direct_s = min(runs["vi_direct"])
    return {
        "repeats": repeats,
        "th_nlpo3_chars_per_s": best["nlpo3"]["chars_per_s"],
        "th_newmm_chars_per_s": best["newmm"]["chars_per_s"],
        "th_speed_ratio": round(best["nlpo3"]["chars_per_s"] / best["newmm"]["chars_per_s"], 2),
        "th_f1": {"nlpo3": best["nlpo3"]["f1"], "newmm": best["newmm"]["f1"]},
        "vi_seapt_seconds": best["vi_seapt"]["seconds"],
        "vi_direct_seconds": round(vi_direct_s, 4),
        "vi_time_ratio": round(best["vi_seapt"]["seconds"] / vi_direct_s, 3),
        "vi_f1": {"seapt": best["vi_seapt"]["f1"], "underthesea_direct": direct_f1},
    }


def table(rows: list[dict], ratios: dict) -> str:
    lines = ["| lang | engine | precision | recall | F1 | chars/s |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['lang']} | {r['engine']} | {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} "
                     f"| {r['chars_per_s']:,.0f} |")
    lines += [
        "",
        (f"Side by side (best of {ratios['repeats']}, interleaved): Thai nlpo3 {ratios['th_nlpo3_chars_per_s']:,.0f} "
        f"vs newmm {ratios['th_newmm_chars_per_s']:,.0f} chars/s = **{ratios['th_speed_ratio']}×** (target ≥ 3×), "
        f"F1 {ratios['th_f1']['nlpo3']:.4f} vs {ratios['th_f1']['newmm']:.4f} (target ≥)."),
        (f"Vietnamese seapt {ratios['vi_seapt_seconds']:.3f} s vs underthesea.word_tokenize directly "
        f"{ratios['vi_direct_seconds']:.3f} s = **{ratios['vi_time_ratio']}×** time (target ≤ 1.10), "
        f"F1 {ratios['vi_f1']['seapt']:.4f} vs {ratios['vi_f1']['underthesea_direct']:.4f} (target ≥)."),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/segmentation"))
    parser.add_argument("--out", type=Path, default=Path("seg-bench"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = cli_runs(args.data, args.out)
    ratios = side_by_side(args.data, args.repeats)
    text = table(rows, ratios)
    (args.out / "table.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "summary.json").write_text(json.dumps({"runs": rows, "side_by_side": ratios}, indent=2,
                                                      ensure_ascii=False) + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
