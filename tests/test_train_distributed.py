"""A 2-process CPU run (torchrun, gloo) matches the 1-process run with the same global batch."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess

import pytest
from test_train_helpers import corpora, make_model_dir, read_metrics


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow  # two fresh interpreters plus torchrun: ~50 s on the shared 2-core machine
@pytest.mark.skipif(shutil.which("torchrun") is None or shutil.which("seapt") is None, reason="needs torchrun")
def test_two_processes_match_one_process(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    common = ["pretrain", "--model", str(model), "--data", f"th={c['th']}", "--english", f"{c['en']}:0.3",
              "--max-steps", "6", "--block-size", "32", "--log-steps", "1", "--save-steps", "3",
              "--set", "learning_rate=3e-3"]
    env = dict(os.environ, OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    one = subprocess.run(["seapt", *common, "--batch-size", "4", "--output", str(tmp_path / "one")],
                         env=env, capture_output=True, text=True, timeout=240)
    assert one.returncode == 0, one.stderr[-2000:]
    two = subprocess.run(["torchrun", "--nproc_per_node", "2", "--master_port", str(_free_port()), "--no-python",
                          "seapt", *common, "--batch-size", "2", "--output", str(tmp_path / "two")],
                         env=env, capture_output=True, text=True, timeout=240)
    assert two.returncode == 0, two.stderr[-2000:]
    a, b = read_metrics(tmp_path / "one" / "metrics.jsonl"), read_metrics(tmp_path / "two" / "metrics.jsonl")
    assert [r["step"] for r in b] == [1, 2, 3, 4, 5, 6]  # one line per step: only rank 0 wrote
    for ra, rb in zip(a, b):
        assert ra["tokens_seen"] == rb["tokens_seen"] and rb["lr"] == pytest.approx(ra["lr"])
        assert rb["loss"] == pytest.approx(ra["loss"], rel=1e-5)
    assert (tmp_path / "two" / "final" / ".done").is_file()
    assert sorted(p.name for p in (tmp_path / "two").glob("checkpoint-*")) == ["checkpoint-3", "checkpoint-6"]
