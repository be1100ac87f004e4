"""`--executor slurm` (sbatch, srun, scontrol stand-ins that run the generated jobs here) and `--executor ray` (a
local Ray instance) give what `--executor local` gives, for `seapt corpus tokenize`.

Both are marked slow: every Slurm array task and Ray worker is a fresh interpreter importing datatrove and
transformers (11 minutes for the Slurm test on the shared 2-core machine at load 15); run with -m slow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from test_train_helpers import EN, make_tokenizer, write_corpus

from seapt.corpus.tokenize import tokenize_corpus
from seapt.corpus.tokenize_config import TokenizeConfig

SBATCH = """#!/bin/sh
# stand-in for sbatch: run every array task of the script now, in order, then answer like sbatch
script="$1"; for a in "$@"; do script="$a"; done
cp "$script" "$LOG/script-$(ls $LOG | wc -l).sh"
range=$(sed -n 's/^#SBATCH --array=\\([0-9]*\\)-\\([0-9]*\\).*/\\1 \\2/p' "$script")
set -- $range
i=${1:-0}; last=${2:-0}
while [ "$i" -le "$last" ]; do SLURM_ARRAY_TASK_ID=$i SLURM_NODELIST=localhost bash "$script" >>"$LOG/out" 2>&1 || exit 1; i=$((i+1)); done
echo "Submitted batch job 4242"
"""
SRUN = """#!/bin/sh
# stand-in for srun: drop the options, run the command
while [ "${1#-}" != "$1" ]; do case "$1" in -n) shift 2;; *) shift;; esac; done
exec "$@"
"""

SCONTROL = """#!/bin/sh
# stand-in for scontrol show hostnames NODELIST
echo "$3"
"""


@pytest.mark.slow
def test_slurm_executor_writes_what_local_writes(tmp_path, monkeypatch):
    path = write_corpus(tmp_path / "en.txt", EN, 80, 2)
    tok = make_tokenizer(path.read_text(encoding="utf-8").splitlines())
    tok.save_pretrained(tmp_path / "tok")
    bin_dir, log = tmp_path / "bin", tmp_path / "slurm"
    bin_dir.mkdir()
    log.mkdir()
    for name, text in (("sbatch", SBATCH), ("srun", SRUN), ("scontrol", SCONTROL)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{Path(sys.executable).parent}:{os.environ['PATH']}")
    monkeypatch.setenv("LOG", str(log))
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))
    common = dict(tokenizer=str(tmp_path / "tok"), inputs=[str(path)], separator="eos", tasks=3, progress=False)
    local = tokenize_corpus(TokenizeConfig(output=str(tmp_path / "local"), **common))
    slurm = tokenize_corpus(TokenizeConfig(output=str(tmp_path / "slurm-out"), executor="slurm", workers=2, **common))
    scripts = sorted(log.glob("script-*.sh"))
    assert "#SBATCH --array=0-2%2" in scripts[0].read_text() and "launch_pickled_pipeline" in scripts[0].read_text()
    assert any("--dependency=afterok:4242" in s.read_text() for s in scripts[1:])  # stats stage waits for stage 1
    assert {k: slurm[k] for k in ("documents", "tokens", "shards")} == {k: local[k] for k in ("documents", "tokens", "shards")}
    for r in range(3):
        for suffix in (".ds", ".ds.index"):
            name = f"{r:05d}{suffix}"
            assert (tmp_path / "slurm-out" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


@pytest.mark.slow
def test_ray_executor_gives_the_local_output_for_tokenize(tmp_path, monkeypatch):
    ray = pytest.importorskip("ray")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        path = write_corpus(tmp_path / "en.txt", EN, 80, 2)
        tok = make_tokenizer(path.read_text(encoding="utf-8").splitlines())
        tok.save_pretrained(tmp_path / "tok")
        common = dict(tokenizer=str(tmp_path / "tok"), inputs=[str(path)], separator="eos", tasks=2, progress=False)
        local = tokenize_corpus(TokenizeConfig(output=str(tmp_path / "local"), **common))
        on_ray = tokenize_corpus(TokenizeConfig(output=str(tmp_path / "ray"), executor="ray", workers=2, **common))
        assert {k: on_ray[k] for k in ("documents", "tokens", "shards")} == {k: local[k] for k in ("documents", "tokens", "shards")}
        for r in range(2):
            assert (tmp_path / "ray" / f"{r:05d}.ds").read_bytes() == (tmp_path / "local" / f"{r:05d}.ds").read_bytes()
    finally:
        ray.shutdown()
