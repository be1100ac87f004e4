"""`prepare_corpus` end to end on a small Thai corpus built here: stats add up, every drop is written with its
reason, inputs are untouched, two workers keep what one keeps, and a killed run resumes to the same output."""

import gzip
import hashlib
import json

import pytest

from seapt.corpus.config import CorpusConfig, QualityConfig
from seapt.corpus.prepare import prepare_corpus
from seapt.errors import SeaptError
from test_corpus_steps import make_doc


def build_input(tmp_path, n: int = 24):
    """Clean docs + exact copies + a near-duplicate + junk; returns (path, planted junk kinds)."""
    docs = [make_doc("th", i) for i in range(n)]
    near = docs[1].replace("\n\n", "\nโครงการ\n\n", 1)  # one word added
    rows = [json.dumps({"text": t, "id": f"doc{i}"}, ensure_ascii=False) for i, t in enumerate(docs)]
    rows += [json.dumps({"text": docs[0], "id": "copy0"}, ensure_ascii=False),
             json.dumps({"text": near, "id": "near1"}, ensure_ascii=False),
             json.dumps({"text": "The weather is nice today in London and everyone is happy.", "id": "en"}),
             json.dumps({"text": "ซื้อเลยราคาถูก " * 60, "id": "spam"}, ensure_ascii=False),
             "{broken json", json.dumps({"body": "x", "id": "notext"})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def read_dir(folder, sub):
    out = []
    for f in sorted((folder / sub).glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            out += [json.loads(line) for line in fh]
    return out


def run(tmp_path, inp, name, **kw):
    cfg = CorpusConfig(lang="th", inputs=[str(inp)], output=str(tmp_path / name), progress=False, **kw)
    return prepare_corpus(cfg), tmp_path / name


def test_prepare_end_to_end_stats_add_up_and_nothing_is_lost(tmp_path):
    inp = build_input(tmp_path)
    digest = hashlib.sha256(inp.read_bytes()).hexdigest()
    stats, out = run(tmp_path, inp, "out")
    assert stats["read"] == 30
    assert stats["read"] == stats["kept"] + sum(stats["dropped"].values())
    assert stats["dropped"] == {"broken_json": 1, "exact_duplicate": 1, "missing_text_field": 1,
                                "near_duplicate": 1, "top_ngram": 1, "wrong_script": 1}
    kept, removed = read_dir(out, "data"), read_dir(out, "removed")
    assert len(kept) == stats["kept"] == 24
    assert {r["id"] for r in removed if r["reason"] == "exact_duplicate"} <= {"doc0", "copy0"}
    assert {r["id"] for r in removed if r["reason"] == "near_duplicate"} <= {"doc1", "near1"}
    assert len(removed) == sum(stats["dropped"].values()) and all(r["reason"] for r in removed)
    assert all(set(r) == {"text", "id", "lang", "meta"} for r in kept) and {r["lang"] for r in kept} == {"th"}
    assert stats["bytes_in"] == inp.stat().st_size and 0 < stats["bytes_out"] < stats["bytes_in"]
    assert hashlib.sha256(inp.read_bytes()).hexdigest() == digest  # the input is never modified
    assert (out / "config.yaml").is_file() and (out / ".done").is_file()
    # a second run of the same command finds everything complete and changes nothing
    again, _ = run(tmp_path, inp, "out")
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in stats.items() if k != "seconds"}


def _kept_set(folder):
    return sorted((r["id"], r["text"]) for r in read_dir(folder, "data"))


def test_two_workers_keep_the_same_set_as_one(tmp_path):
    inp = build_input(tmp_path)
    s1, one = run(tmp_path, inp, "one", workers=1)
    s2, two = run(tmp_path, inp, "two", workers=2)
    assert len(list((two / "data").glob("*.jsonl.gz"))) == 2
    assert _kept_set(one) == _kept_set(two)
    assert s1["dropped"] == s2["dropped"]


def test_killed_run_resumes_to_identical_output(tmp_path, monkeypatch):
    import random

    from seapt.corpus import filters

    inp = build_input(tmp_path)
    _, full = run(tmp_path, inp, "full", tasks=3)
    kill_at = random.Random(7).randint(3, 20)
    original = filters.QualityFilter.filter
    seen = {"n": 0}

    def dying(self, doc):
        seen["n"] += 1
        if seen["n"] == kill_at:
            raise KeyboardInterrupt("killed")
        return original(self, doc)

    monkeypatch.setattr(filters.QualityFilter, "filter", dying)
    with pytest.raises((SeaptError, KeyboardInterrupt)):
        run(tmp_path, inp, "resumed", tasks=3)
    monkeypatch.setattr(filters.QualityFilter, "filter", original)
    stats, resumed = run(tmp_path, inp, "resumed", tasks=3)
    assert _kept_set(full) == _kept_set(resumed)
    for sub in ("data", "removed"):
        for f in sorted((full / sub).glob("*.jsonl.gz")):
            assert gzip.decompress(f.read_bytes()) == gzip.decompress((resumed / sub / f.name).read_bytes()), f.name
    assert stats["read"] == stats["kept"] + sum(stats["dropped"].values())


def test_resume_with_a_different_config_or_split_is_refused(tmp_path):
    inp = build_input(tmp_path, n=4)
    run(tmp_path, inp, "out")
    with pytest.raises(SeaptError, match=r"holds a corpus made with other settings \(quality: "):
        run(tmp_path, inp, "out", quality=QualityConfig(min_words=5))
    with pytest.raises(SeaptError, match="tasks=1"):
        run(tmp_path, inp, "out", workers=2)
    run(tmp_path, inp, "out", workers=2, tasks=1)  # more processes, same split: fine


def test_sigkill_at_a_random_point_then_rerun_gives_identical_output(tmp_path):
    """A real kill -9 of the CLI mid-run (after the first shard completes), then the same command again."""
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    inp = build_input(tmp_path, n=60)
    _, full = run(tmp_path, inp, "full", tasks=4)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-c", "from seapt.cli import app; app()"]
    args = ["corpus", "prepare", "--lang", "th", "--input", str(inp), "--output", str(out), "--quiet",
            "--set", "tasks=4"]
    proc = subprocess.Popen(cmd + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    marker = out / "logs" / "1_filter" / "completions" / "00000"
    deadline = time.time() + 120
    while not marker.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(random.Random(3).uniform(0.0, 0.3))
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / ".done").exists(), "the run finished before the kill; make the input larger"
    r = subprocess.run(cmd + args, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert _kept_set(full) == _kept_set(out)
    for sub in ("data", "removed"):
        names = sorted(f.name for f in (full / sub).glob("*.jsonl.gz"))
        assert names == sorted(f.name for f in (out / sub).glob("*.jsonl.gz"))
        for name in names:
            assert gzip.decompress((full / sub / name).read_bytes()) == gzip.decompress((out / sub / name).read_bytes())


def test_slurm_executors_chain_every_stage(tmp_path, monkeypatch):
    """--executor slurm builds one SlurmPipelineExecutor per stage, each depending on the previous
    (nothing is submitted here; sbatch is a stand-in on PATH)."""
    from datatrove.executor import SlurmPipelineExecutor

    from seapt.corpus.prepare import build_executors, build_stages

    fake = tmp_path / "bin" / "sbatch"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Submitted batch job 1'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    inp = build_input(tmp_path, n=2)
    cfg = CorpusConfig(lang="th", inputs=[str(inp)], output=str(tmp_path / "o"), executor="slurm", workers=4,
                       tasks=8, progress=False)
    executors = build_executors(cfg, build_stages(cfg, [str(inp)]))
    assert all(isinstance(e, SlurmPipelineExecutor) for e in executors)
    assert [e.tasks for e in executors] == [8, 14, 1, 8, 1]
    assert [e.depends for e in executors[1:]] == executors[:-1] and executors[0].depends is None


def test_bundled_thai_sample_drops_every_planted_keyword_spam(tmp_path):
    from pathlib import Path

    sample = Path(__file__).parents[1] / "corpora" / "th" / "sample.jsonl"
    stats, out = run(tmp_path, sample, "sample")
    removed = read_dir(out, "removed")
    spam = [r for r in removed if r["meta"].get("kind") == "spam"]
    assert len(spam) == 4 and {r["reason"] for r in spam} == {"emoji_ratio"}
    assert not [r for r in read_dir(out, "data") if r["meta"].get("kind") == "spam"]
    assert stats["read"] == stats["kept"] + sum(stats["dropped"].values())


def test_startup_shortcuts_give_the_same_answers():
    from datatrove.utils import _import_utils as iu
    from loguru._better_exceptions import ExceptionFormatter

    from seapt.corpus.runner import _cache_loguru_lib_dirs, fast_distribution_check

    before = ExceptionFormatter._get_lib_dirs()
    _cache_loguru_lib_dirs()
    assert ExceptionFormatter._get_lib_dirs() == before
    fast_distribution_check()
    fast_distribution_check()  # idempotent: patched once
    assert iu._is_distribution_available.seapt_fast
    assert iu._is_distribution_available("orjson") is True
    assert iu._is_distribution_available("no-such-distribution-seapt") is None  # the full scan's answer


def test_small_bucket_stages_run_in_process_large_ones_in_the_pool(tmp_path):
    from seapt.corpus.runner import SMALL_STAGE_BYTES, stage_workers

    sigs = tmp_path / "work" / "sigs" / "bucket_000"
    sigs.mkdir(parents=True)
    (sigs / "00000.minhash.sig").write_bytes(b"x" * 1000)
    assert stage_workers("2_buckets", 2, tmp_path) == 1
    assert stage_workers("1_filter", 2, tmp_path) == 2 and stage_workers("4_dedup", 2, tmp_path) == 2
    with open(sigs / "00001.minhash.sig", "wb") as fh:  # sparse: counts its size, takes no disk
        fh.truncate(SMALL_STAGE_BYTES)
    assert stage_workers("2_buckets", 2, tmp_path) == 2
    assert stage_workers("2_buckets", 1, tmp_path) == 1


def test_two_workers_for_a_lingua_language_do_not_hang_and_keep_what_one_keeps(tmp_path):
    """Indonesian goes through lingua, whose models load in the parent before the workers fork (a model
    loading thread pool in the parent once made forked workers hang): run it in a child with a time limit."""
    import subprocess
    import sys

    docs = [make_doc("id", i) for i in range(30)] + ["The weather is nice today in London and everyone is happy "
                                                     "about the long weekend that starts tomorrow morning."]
    inp = tmp_path / "id.jsonl"
    inp.write_text("".join(json.dumps({"text": t, "id": f"d{i}"}) + "\n" for i, t in enumerate(docs)),
                   encoding="utf-8")
    kept = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        code = ("from seapt.corpus.config import CorpusConfig; from seapt.corpus.prepare import prepare_corpus; "
                f"prepare_corpus(CorpusConfig(lang='id', inputs=[{str(inp)!r}], output={str(out)!r}, "
                f"progress=False, workers={workers}))")
        subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
        kept[workers] = {r["id"] for r in read_dir(out, "data")}
    assert kept[1] == kept[2] and len(kept[1]) == 30
