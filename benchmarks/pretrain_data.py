"""Pretraining data path at scale (issue 15): memory, start-up, tokenisation speed, mixing index, exactness.

    python benchmarks/pretrain_data.py all --work /tmp/pd --old /tmp/old     # /tmp/old: `git worktree add /tmp/old c447bfe`
    python benchmarks/pretrain_data.py memory --work /tmp/pd                  # one part at a time; see --help

Parts (results appended as JSON lines to WORK/results.jsonl, printed as a table by `report`):
  gen       WORK/th_1g.jsonl (~1 GB) and th_10m.jsonl: th_thaigov documents repeated under new ids
  tokenize  `seapt corpus tokenize` MB/s vs bare tokenizers Tokenizer.encode_batch on the same documents,
            and 2 workers vs 1 (on WORK/th_200m.jsonl)
  memory    peak RSS (the largest process, children included) of `seapt pretrain` on tokenised 10 MB and 1 GB,
            and on raw 10 MB and 1 GB text (tokenised on the way), plus seconds from launch to the first step
  index     building the mixing index (and real-token counts) for 10M samples over 3 sources
  exact     loss curve of the new path vs the old in-memory one (commit c447bfe) for 20 steps
  replicate WORK/tokens-1g: the shards of WORK/tokens-200m copied 5 times (1 GB of Thai text's tokens without
            tokenising 1 GB again; `memory --sizes 10m,1g --tokenised-only` then maps it)
  scaling   2 workers vs 1 and the bare library's 2 threads vs 1, interleaved --rounds times (median)
  startup   import time (CLI, training stack) and launch -> first optimiser step of `seapt pretrain` on a
            tokenised folder (wall and CPU seconds)
A tiny Llama (hidden 32, 2 layers) with the Llama-3 tokenizer (base-tokenizers/llama3) keeps it on a CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

RAW = Path("/work/shared/data/raw/th_thaigov/thaigov_folder6.jsonl")
TOKENIZER = Path("/work/shared/base-tokenizers/llama3")


def _record(work: Path, **row) -> None:
    row["load"] = os.getloadavg()[0]
    print(json.dumps(row), flush=True)
    with open(work / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")


def gen(work: Path) -> None:
    docs = [json.loads(line)["text"] for line in RAW.open(encoding="utf-8")]
    for name, size in (("th_10m", 10e6), ("th_200m", 200e6), ("th_1g", 1e9)):
        path = work / f"{name}.jsonl"
        if path.is_file():
            continue
        written, rep = 0, 0
        with open(f"{path}.tmp", "w", encoding="utf-8") as fh:
            while written < size:
                for i, text in enumerate(docs):
                    line = json.dumps({"id": f"r{rep}-{i}", "text": text}, ensure_ascii=False) + "\n"
                    fh.write(line)
                    written += len(line.encode("utf-8"))
                    if written >= size:
                        break
                rep += 1
        os.replace(f"{path}.tmp", path)


def model_dir(work: Path) -> Path:
    """A tiny Llama with the Llama-3 tokenizer (vocabulary 128,256 + specials)."""
    out = work / "tiny-llama3"
    if (out / "config.json").is_file():
        return out
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tok = AutoTokenizer.from_pretrained(TOKENIZER)
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                      eos_token_id=tok.eos_token_id, bos_token_id=tok.bos_token_id)
    LlamaForCausalLM(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def _run(cmd: list[str], *, first_step: Path | None = None, env=None) -> tuple[float, float, float | None]:
    """(seconds, peak RSS MB of the largest process including children, seconds to the first logged step)."""
    secs, rss, first, _ = _run_cpu(cmd, first_step=first_step, env=env)
    return secs, rss, first


def _run_cpu(cmd: list[str], *, first_step: Path | None = None, env=None):
    """_run plus the CPU seconds (user + system) of the command and its children."""
    secs, rss, first, cpu, _ = _run_full(cmd, first_step=first_step, env=env)
    return secs, rss, first, cpu


WRAPPER = """import resource, subprocess, sys, json, time, os
def cpu(pid):  # user + system seconds of a running process and its waited children, from /proc
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in f[11:15]) / os.sysconf("SC_CLK_TCK")
t = time.time(); p = subprocess.Popen(sys.argv[2:]); first = first_cpu = None
m = sys.argv[1]
while p.poll() is None:
    if first is None and m and os.path.exists(m) and "loss" in open(m).read():
        first = time.time() - t
        try:
            first_cpu = cpu(p.pid)
        except OSError:
            pass
    time.sleep(0.05)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([time.time() - t, r.ru_maxrss / 1024, first, p.returncode, r.ru_utime + r.ru_stime, first_cpu]))
"""


def _run_full(cmd: list[str], *, first_step: Path | None = None, env=None):
    """(seconds, peak RSS MB, seconds to the first logged step, CPU seconds, CPU seconds at the first step)."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, str(first_step or ""), *cmd], capture_output=True, text=True,
                         env=env)
    secs, rss, first, rc, cpu, first_cpu = json.loads(out.stdout.strip().splitlines()[-1])
    if rc:
        raise SystemExit(f"{cmd} failed:\n{out.stderr[-3000:]}")
    return secs, rss, first, cpu, first_cpu


def _pretrain_cmd(model: Path, data: str, out: Path, steps: int = 4, ranks: int = 1) -> list[str]:
    """`seapt pretrain`, or with ``ranks`` > 1 the same under `torchrun --nproc_per_node ranks` (gloo on CPU; the
    global batch is then ranks x 4 blocks)."""
    launch = ["torchrun", "--standalone", "--nproc_per_node", str(ranks), "--no-python"] if ranks > 1 else []
    return [*launch, "seapt", "pretrain", "--model", str(model), "--data", f"th={data}", "--output", str(out),
            "--max-steps", str(steps), "--block-size", "256", "--batch-size", "4", "--log-steps", "1",
            "--save-steps", str(steps), "--set", "cpu_threads=1", "--set", "tokenize_workers=2"]


def startup(work: Path, data: str) -> None:
    """Import time of the CLI and of the training stack, then `seapt pretrain` (1 step) on a tokenised folder:
    launch -> first optimiser step (its metrics.jsonl line), in wall and in CPU seconds of the process."""
    model = model_dir(work)
    for what, code in (("import seapt.cli (the CLI path)", "import seapt.cli"),
                       ("import the training stack (torch, transformers Trainer, accelerate, seapt.train.pretrain)",
                        "from transformers import Trainer; import accelerate, seapt.train.pretrain, seapt.train.trainer")):
        secs, rss, _, cpu = _run_cpu([sys.executable, "-c", code])
        _record(work, part="startup", what=what, seconds=round(secs, 2), cpu_seconds=round(cpu, 2))
    out = work / "run-startup"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    secs, rss, first, cpu, first_cpu = _run_full(_pretrain_cmd(model, str(work / data), out, steps=1),
                                                 first_step=out / "metrics.jsonl")
    _record(work, part="startup", what=f"seapt pretrain on {data}, 1 step", first_step_s=round(first, 1),
            first_step_cpu_s=None if first_cpu is None else round(first_cpu, 1), seconds=round(secs, 1),
            cpu_seconds=round(cpu, 1), peak_rss_mb=round(rss))


BARE = """import sys, time, orjson
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[2])
batch = []
with open(sys.argv[1], "rb") as fh:
    for line in fh:
        batch.append(orjson.loads(line)["text"])
        if len(batch) == 512:
            tok.encode_batch(batch, add_special_tokens=False)
            batch = []
tok.encode_batch(batch, add_special_tokens=False)
"""


def _tokenize_run(out: Path, src: Path, what: str, args: list[str], env):
    """One timed run: the bare loop (``args`` is its command) or `seapt corpus tokenize SRC` into a fresh ``out``
    with ``args`` added; _run_cpu's (seconds, peak RSS MB, first step, CPU seconds)."""
    subprocess.run(["rm", "-rf", str(out)], check=True)
    cmd = args if what.startswith("bare") else ["seapt", "corpus", "tokenize", "--tokenizer", str(TOKENIZER),
                                                 "--input", str(src), "--output", str(out), "--quiet", *args]
    return _run_cpu(cmd, env=env)


def tokenize(work: Path, size: str = "200m") -> None:
    """Side by side on the same file: the bare `tokenizers` loop (read + orjson + Tokenizer.encode_batch in
    batches of 512, its own process, tokenizer load included) and `seapt corpus tokenize` (whole command: imports,
    tokenizer load, shards, stats), on 1 core (RAYON_NUM_THREADS=1 / --set tokenizer_threads=1) and on 2."""
    src = work / f"th_{size}.jsonl"
    mb = src.stat().st_size / 1e6
    one = dict(os.environ, RAYON_NUM_THREADS="1")
    runs = [("bare encode_batch, 1 thread", [sys.executable, "-c", BARE, str(src), str(TOKENIZER / "tokenizer.json")], one),
            ("seapt --workers 1 --set tokenizer_threads=1", ["--workers", "1", "--set", "tokenizer_threads=1"], None),
            ("seapt --workers 2 --set tokenizer_threads=1", ["--workers", "2", "--set", "tokenizer_threads=1"], None),
            ("bare encode_batch, 2 threads", [sys.executable, "-c", BARE, str(src), str(TOKENIZER / "tokenizer.json")],
             dict(os.environ, RAYON_NUM_THREADS="2")),
            ("seapt --workers 1 (2 tokenizer threads)", ["--workers", "1"], None)]
    got = {}
    for what, args, env in runs:
        secs, rss, _, cpu = _tokenize_run(work / "tok-bench", src, what, args, env)
        got[what] = secs
        row = dict(mb=round(mb, 1), seconds=round(secs, 1), cpu_seconds=round(cpu, 1), mb_s=round(mb / secs, 2),
                   peak_rss_mb=round(rss))
        if what.startswith("seapt --workers 1 --set"):
            row["ratio_vs_bare_1_thread"] = round(got["bare encode_batch, 1 thread"] / secs, 3)
        if what.startswith("seapt --workers 2"):
            row["ratio_vs_bare_1_thread"] = round(got["bare encode_batch, 1 thread"] / secs, 3)
            row["speedup_vs_1_worker"] = round(got["seapt --workers 1 --set tokenizer_threads=1"] / secs, 3)
        if what.startswith("seapt --workers 1 (2"):
            row["ratio_vs_bare_2_threads"] = round(got["bare encode_batch, 2 threads"] / secs, 3)
        if what.startswith("bare encode_batch, 2"):
            row["seapt_2_workers_ratio_vs_this"] = round(secs / got["seapt --workers 2 --set tokenizer_threads=1"], 3)
        _record(work, part="tokenize", what=what, **row)


def scaling(work: Path, size: str = "200m", rounds: int = 3) -> None:
    """2 workers vs 1 (one tokenizer thread each), interleaved ``rounds`` times on the same file, with the bare
    library's 2 threads vs 1 in the same rounds: on a shared machine one pair's ratio moves by 15% between runs
    (other tenants, CPU time per run varies), so each round is recorded and the median ratio reported."""
    import statistics

    src = work / f"th_{size}.jsonl"
    bare = [sys.executable, "-c", BARE, str(src), str(TOKENIZER / "tokenizer.json")]
    runs = [("seapt --workers 1", ["--workers", "1", "--set", "tokenizer_threads=1"], None),
            ("seapt --workers 2", ["--workers", "2", "--set", "tokenizer_threads=1"], None),
            ("bare 1 thread", bare, dict(os.environ, RAYON_NUM_THREADS="1")),
            ("bare 2 threads", bare, dict(os.environ, RAYON_NUM_THREADS="2"))]
    ratios: dict[str, list[float]] = {"seapt": [], "bare": []}
    for r in range(rounds):
        got = {}
        for what, args, env in runs:
            got[what] = _tokenize_run(work / "tok-scaling", src, what, args, env)
        ratios["seapt"].append(got["seapt --workers 1"][0] / got["seapt --workers 2"][0])
        ratios["bare"].append(got["bare 1 thread"][0] / got["bare 2 threads"][0])
        _record(work, part="scaling", what=f"round {r + 1}/{rounds}, {size}",
                **{f"{k} s": round(v[0], 1) for k, v in got.items()},
                **{f"{k} cpu s": round(v[3], 1) for k, v in got.items()},
                seapt_2_vs_1=round(ratios["seapt"][-1], 3), bare_2_vs_1=round(ratios["bare"][-1], 3))
    _record(work, part="scaling", what=f"median of {rounds} rounds, {size}",
            seapt_2_vs_1=round(statistics.median(ratios["seapt"]), 3),
            bare_2_vs_1=round(statistics.median(ratios["bare"]), 3))


def memory(work: Path, sizes: list[str], kinds: tuple[str, ...] = ("tokenised", "raw"), ranks: int = 1) -> None:
    """Peak RSS of `seapt pretrain` per corpus size; with ``ranks`` > 1 under torchrun, where the peak is the
    largest process of the job (every rank is at most that: each rank's own peak)."""
    model = model_dir(work)
    for size in sizes:
        tokens = work / f"tokens-{size}"
        if not (tokens / "stats.json").is_file():
            secs, rss, _ = _run(["seapt", "corpus", "tokenize", "--tokenizer", str(model), "--input",
                                 str(work / f"th_{size}.jsonl"), "--output", str(tokens), "--workers", "2", "--quiet"])
            _record(work, part="memory", what=f"tokenize {size} (2 workers)", seconds=round(secs, 1),
                    peak_rss_mb=round(rss), mb_s=round((work / f"th_{size}.jsonl").stat().st_size / 1e6 / secs, 2))
        for kind, data in (("tokenised", tokens), ("raw", work / f"th_{size}.jsonl")):
            if kind not in kinds:
                continue
            out = work / f"run-{kind}-{size}"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            secs, rss, first, _, first_cpu = _run_full(_pretrain_cmd(model, str(data), out, ranks=ranks),
                                                       first_step=out / "metrics.jsonl")
            launch = f"torchrun {ranks} processes, largest rank" if ranks > 1 else "1 process"
            _record(work, part="memory", what=f"pretrain on {kind} {size} ({launch})", seconds=round(secs, 1),
                    peak_rss_mb=round(rss), first_step_s=None if first is None else round(first, 1),
                    first_step_cpu_s=None if first_cpu is None else round(first_cpu, 1))


def replicate(work: Path, src: str = "tokens-200m", copies: int = 5, name: str = "tokens-1g") -> None:
    """WORK/<name>: the shards of the tokenised folder WORK/<src> copied ``copies`` times (distinct files, new
    task numbers) with a matching stats.json: a tokenised corpus ``copies`` times larger without tokenising it
    again. For the memory rows, which measure how pretrain maps shards, not what the tokens are."""
    import shutil

    s, out = json.loads((work / src / "stats.json").read_text()), work / name
    if (out / "stats.json").is_file():
        return
    out.mkdir(parents=True, exist_ok=True)
    shards = []
    for _ in range(copies):
        for shard in s["shards"]:
            new = f"{len(shards):05d}.ds"
            for f in (work / src).glob(shard["name"] + "*"):
                shutil.copyfile(f, out / (new + f.name[len(shard["name"]):]))
            shards.append({**shard, "name": new})
    stats = {**s, "documents": s["documents"] * copies, "tokens": s["tokens"] * copies,
             "bytes_in": s["bytes_in"] * copies, "shards": shards, "replicated_from": f"{src} x {copies}"}
    (out / "stats.json").write_text(json.dumps(stats, indent=2))


def index(work: Path) -> None:
    import numpy as np

    from seapt.train.data import MixedBlocks, TokenSource

    rng = np.random.default_rng(0)
    sources = []
    for name, n_tok in (("th", 2_000_000_000), ("vi", 500_000_000), ("en", 100_000_000)):
        ends = np.cumsum(rng.integers(200, 2000, n_tok // 1100)).astype(np.uint64)
        sources.append(TokenSource("x", [(np.zeros(int(ends[-1]), dtype=np.uint8), ends, None)]))
        sources[-1].name = name
    t = time.time()
    ds = MixedBlocks(sources, [0.6, 0.3, 0.1], 10_000_000, 2048, seed=1, pad_id=0)
    built = time.time() - t
    real = ds.real_tokens()
    both = time.time() - t
    _record(work, part="index", what="10M samples, 3 sources (2B/0.5B/0.1B tokens, block 2048)",
            seconds_index=round(built, 2), seconds_index_and_real_tokens=round(both, 2),
            epochs=ds.epochs(len(ds)), real_share=round(float(real.sum() / (len(ds) * 2048)), 5))


def exact(work: Path, old: Path) -> None:
    model = model_dir(work)
    en = work / "en.txt"
    if not en.is_file():
        words = "the cat and the dog went to the market to buy rice and fish for dinner".split()
        en.write_text("\n".join(" ".join(words[i % 7:] + words[: i % 7]) for i in range(2000)) + "\n")
    common = ["pretrain", "--model", str(model), "--data", f"th={work / 'th_10m.jsonl'}", "--english",
              f"{en}:0.2", "--max-steps", "20", "--block-size", "128", "--batch-size", "4", "--log-steps", "1",
              "--save-steps", "20", "--set", "cpu_threads=1", "--set", "max_tokens_per_source=400000"]
    runs = {}
    for name, root, extra in (("old", old, []), ("new", Path(__file__).resolve().parents[1], ["--set", "tokenize_tasks=1"])):
        out = work / f"exact-{name}"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        env = dict(os.environ, PYTHONPATH=str(root))
        secs, rss, _ = _run([sys.executable, str(root / "cli.py"), *common, *extra, "--output", str(out)], env=env)
        runs[name] = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
        _record(work, part="exact", what=f"{name} path, 20 steps", seconds=round(secs, 1), peak_rss_mb=round(rss))
    a = [r["loss"] for r in runs["old"] if "loss" in r]
    b = [r["loss"] for r in runs["new"] if "loss" in r]
    tok = [r["tokens_seen"] for r in runs["old"] if "loss" in r] == [r["tokens_seen"] for r in runs["new"] if "loss" in r]
    _record(work, part="exact", what="old vs new loss curve", steps=len(a),
            max_abs_diff=max(abs(x - y) for x, y in zip(a, b)) if len(a) == len(b) else None, tokens_seen_equal=tok)


def report(work: Path) -> None:
    for line in (work / "results.jsonl").read_text().splitlines():
        row = json.loads(line)
        print("| " + row.pop("part") + " | " + row.pop("what") + " | " + ", ".join(f"{k} {v}" for k, v in row.items()) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("part", choices=["gen", "tokenize", "memory", "index", "exact", "startup", "replicate", "report", "scaling",
                                     "all"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/pretrain_data"))
    ap.add_argument("--sizes", default="10m,1g", help="memory: corpus sizes to run (10m, 200m, 1g)")
    ap.add_argument("--tokenize-size", default="200m", help="tokenize: the corpus size to run (10m, 200m, 1g)")
    ap.add_argument("--rounds", type=int, default=3, help="scaling: interleaved rounds (the median is reported)")
    ap.add_argument("--ranks", type=int, default=1, help="memory: run pretrain under torchrun with this many "
                    "processes (gloo, CPU); the peak RSS is then the largest rank's")
    ap.add_argument("--tokenised-only", action="store_true", help="memory: skip the raw-text runs")
    ap.add_argument("--startup-data", default="tokens-10m", help="startup: a tokenised folder under WORK")
    ap.add_argument("--old", type=Path, default=Path("/tmp/old"), help="a checkout of the old in-memory path (c447bfe)")
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parts = ["gen", "index", "exact", "tokenize", "memory", "startup"] if a.part == "all" else [a.part]
    for part in parts:
        if part == "exact":
            exact(a.work, a.old)
        elif part == "memory":
            memory(a.work, a.sizes.split(","), ("tokenised",) if a.tokenised_only else ("tokenised", "raw"), a.ranks)
        elif part == "tokenize":
            tokenize(a.work, a.tokenize_size)
        elif part == "scaling":
            scaling(a.work, a.tokenize_size, a.rounds)
        elif part == "startup":
            startup(a.work, a.startup_data)
        else:
            globals()[part](a.work)


if __name__ == "__main__":
    main()
