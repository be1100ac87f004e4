"""`seapt corpus prepare --executor ray` on a local Ray instance gives what `--executor local` gives, and a stage
whose Ray task failed stops the run with an error (datatrove's own dependency wait polled forever: the stall seen
in the buckets stage, after a failed filter task).

The Ray tests are marked slow: every Ray task is a fresh interpreter importing datatrove (about a minute on the
shared 2-core machine); run with -m slow. Ray gets 2 CPUs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_corpus_prepare import build_input, read_dir

from seapt.corpus.config import CorpusConfig
from seapt.corpus.prepare import prepare_corpus, run_remote
from seapt.errors import SeaptError


def _fails_on_rank_1(data, rank, world_size):
    if rank == 1:
        raise RuntimeError("task 1 fails")
    return iter(())


def _nothing(data, rank, world_size):
    return iter(())


class _Fake:
    """An executor whose task 1 did not complete."""

    def __init__(self, path, missing):
        self.logging_dir = type("D", (), {"path": str(path)})()
        self.world_size, self.missing, self.ran = 2, missing, False

    def run(self):
        self.ran = True

    def get_incomplete_ranks(self, ranks=None):
        return self.missing


def test_a_stage_with_an_incomplete_task_stops_the_remote_run(tmp_path):
    cfg = CorpusConfig(lang="th", inputs=["x"], output=str(tmp_path), executor="ray")
    first, second = _Fake(tmp_path / "logs" / "1_filter", [1]), _Fake(tmp_path / "logs" / "2_buckets", [])
    with pytest.raises(SeaptError, match=r"^corpus stage 1_filter: 1 of 2 Ray tasks did not complete \(first: task 1\); "
                                         r"see .*1_filter/logs; re-run to resume$"):
        run_remote(cfg, [first, second])
    assert first.ran and not second.ran


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_failed_ray_task_is_an_error_not_an_endless_wait(tmp_path, monkeypatch):
    import os

    ray = pytest.importorskip("ray")
    from datatrove.executor.ray import RayPipelineExecutor

    here = Path(__file__).parent  # Ray workers import this module to run its steps
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(here.parent), str(here)]))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        a = RayPipelineExecutor([_fails_on_rank_1], tasks=2, workers=2, logging_dir=str(tmp_path / "1_a"))
        b = RayPipelineExecutor([_nothing], tasks=2, workers=2, logging_dir=str(tmp_path / "2_b"))
        cfg = CorpusConfig(lang="th", inputs=["x"], output=str(tmp_path), executor="ray")
        with pytest.raises(SeaptError, match=r"stage 1_a: 1 of 2 Ray tasks did not complete \(first: task 1\)"):
            run_remote(cfg, [a, b])
        assert not (tmp_path / "2_b" / "completions").exists()
    finally:
        ray.shutdown()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_ray_executor_gives_the_local_output_for_prepare(tmp_path, monkeypatch):
    ray = pytest.importorskip("ray")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        inp = build_input(tmp_path)
        kw = dict(lang="th", inputs=[str(inp)], progress=False, workers=2)
        a = prepare_corpus(CorpusConfig(output=str(tmp_path / "local"), **kw))
        b = prepare_corpus(CorpusConfig(output=str(tmp_path / "ray"), executor="ray", **kw))
        assert {k: b[k] for k in ("read", "kept", "dropped")} == {k: a[k] for k in ("read", "kept", "dropped")}
        assert read_dir(tmp_path / "ray", "data") == read_dir(tmp_path / "local", "data")
        assert read_dir(tmp_path / "ray", "removed") == read_dir(tmp_path / "local", "removed")
    finally:
        ray.shutdown()
