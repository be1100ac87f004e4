"""Recipe runner: stage skipping, resume after a kill, --from, config-change invalidation, run.json."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from seapt import pipeline
from seapt.errors import ConfigError
from seapt.pipeline import RecipeConfig, Stage, load_recipe, run_recipe


def _fake_stages(calls: list, crash_at: dict | None = None):
    """Light stages: each appends to ``calls`` and writes steps 0..4 into its folder, one file per step,
    skipping steps already written (its own resume); ``crash_at[stage] = k`` raises before step k once."""
    crash_at = crash_at if crash_at is not None else {}

    def make(name):
        def run(cfg, run_dir):
            folder = run_dir / pipeline.STAGE_FOLDERS[name]
            calls.append(name)
            done_steps = []
            for k in range(5):
                step = folder / f"step{k}"
                if step.exists():
                    continue
                if crash_at.get(name) == k:
                    del crash_at[name]
                    raise RuntimeError(f"killed at {name} step {k}")
                step.write_text(cfg.name)
                done_steps.append(k)
            return {"new_steps": done_steps}

        return Stage(run=run, inputs=lambda cfg, run_dir: [f"in-{name}"])

    return {name: make(name) for name in pipeline.STAGE_ORDER}


@pytest.fixture
def fake():
    calls: list = []
    crash: dict = {}
    return calls, crash, _fake_stages(calls, crash)


def _cfg(tmp_path, **kw):
    kw.setdefault("stages", ["corpus", "tokenizer", "model", "pretrain", "bench"])
    kw.setdefault("tokenizer", {"add": {"th": 10}})
    return RecipeConfig(name="t", base="tiny", langs=["th"], corpus={"th": {"inputs": ["x"]}},
                        output=str(tmp_path / "run"), **kw)


def test_runs_all_then_skips_completed(tmp_path, fake):
    calls, _, stages = fake
    cfg = _cfg(tmp_path)
    manifest = run_recipe(cfg, stages=stages, log=lambda m: None)
    assert calls == ["corpus", "tokenizer", "model", "pretrain", "bench"]
    run = tmp_path / "run"
    for folder in ("corpus", "tokenizer", "model", "train", "bench"):
        assert (run / folder / ".done").is_file()
        assert sorted(p.name for p in (run / folder).glob("step*")) == [f"step{k}" for k in range(5)]
    saved = json.loads((run / "run.json").read_text())
    assert saved == json.loads(json.dumps(manifest))
    assert set(saved["versions"]) >= {"python", "torch", "transformers", "tokenizers", "seapt"}
    assert saved["stages"]["pretrain"]["inputs"] == ["in-pretrain"]
    assert saved["stages"]["bench"]["status"] == "done" and saved["stages"]["bench"]["seconds"] >= 0
    assert len(saved["config_hashes"]) == 5 and (run / "recipe.yaml").is_file()
    calls.clear()
    again = run_recipe(cfg, stages=stages, log=lambda m: None)
    assert calls == []
    assert {s["status"] for s in again["stages"].values()} == {"skipped"}


def test_resume_after_crash_continues_the_interrupted_stage(tmp_path, fake):
    calls, crash, stages = fake
    cfg = _cfg(tmp_path)
    crash["pretrain"] = 3
    with pytest.raises(RuntimeError, match="killed at pretrain"):
        run_recipe(cfg, stages=stages, log=lambda m: None)
    train = tmp_path / "run" / "train"
    assert not (train / ".done").exists() and (train / "step2").exists() and not (train / "step3").exists()
    calls.clear()
    manifest = run_recipe(cfg, stages=stages, log=lambda m: None)
    assert calls == ["pretrain", "bench"]  # completed stages skipped
    assert manifest["stages"]["pretrain"]["result"] == {"new_steps": [3, 4]}  # resumed, not restarted
    assert (train / ".done").is_file()


def test_from_stage_forces_it_and_later(tmp_path, fake):
    calls, _, stages = fake
    cfg = _cfg(tmp_path)
    run_recipe(cfg, stages=stages, log=lambda m: None)
    calls.clear()
    manifest = run_recipe(cfg, stages=stages, from_stage="pretrain", log=lambda m: None)
    assert calls == ["pretrain", "bench"]
    assert manifest["stages"]["pretrain"]["result"] == {"new_steps": [0, 1, 2, 3, 4]}  # folder was cleared
    assert manifest["stages"]["corpus"]["status"] == "skipped"
    with pytest.raises(ConfigError, match="--from publish"):
        run_recipe(cfg, stages=stages, from_stage="publish", log=lambda m: None)


def test_changed_section_reruns_that_stage_and_later(tmp_path, fake):
    calls, _, stages = fake
    run_recipe(_cfg(tmp_path), stages=stages, log=lambda m: None)
    calls.clear()
    run_recipe(_cfg(tmp_path, pretrain={"max_steps": 7}), stages=stages, log=lambda m: None)
    assert calls == ["pretrain", "bench"]
    calls.clear()
    run_recipe(_cfg(tmp_path, model={"init": "random"}), stages=stages, log=lambda m: None)
    assert calls == ["model", "pretrain", "bench"]


def test_stage_rerun_invalidates_later_even_if_marked(tmp_path, fake):
    calls, crash, stages = fake
    cfg = _cfg(tmp_path)
    run_recipe(cfg, stages=stages, log=lambda m: None)
    crash["pretrain"] = 1
    with pytest.raises(RuntimeError):
        run_recipe(cfg, stages=stages, from_stage="pretrain", log=lambda m: None)
    calls.clear()
    run_recipe(cfg, stages=stages, log=lambda m: None)
    assert calls == ["pretrain", "bench"]  # old bench results were built on the old model


KILL_SCRIPT = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from seapt.pipeline import RecipeConfig, Stage, run_recipe
    def run(cfg, run_dir):
        folder = run_dir / "train"
        for k in range(4):
            if (folder / f"s{k}").exists():
                continue
            if k == 2 and os.environ.get("KILL") == "1":
                os._exit(9)  # hard kill: no exception handlers, no cleanup
            (folder / f"s{k}").write_text("x")
        return {"steps": sorted(p.name for p in folder.glob("s*"))}
    cfg = RecipeConfig(name="k", base="b", stages=["pretrain"], output=sys.argv[1], pretrain={"data": {"th": "x"}})
    m = run_recipe(cfg, log=lambda s: None, stages={"pretrain": Stage(run=run)})
    print(m["stages"]["pretrain"]["result"]["steps"])
""")


def test_hard_kill_then_rerun_resumes(tmp_path):
    out = str(tmp_path / "run")
    env = {**os.environ, "KILL": "1"}
    first = subprocess.run([sys.executable, "-c", KILL_SCRIPT, out], env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 9
    assert not (tmp_path / "run" / "train" / ".done").exists()
    env["KILL"] = "0"
    second = subprocess.run([sys.executable, "-c", KILL_SCRIPT, out], env=env, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "['s0', 's1', 's2', 's3']"
    assert (tmp_path / "run" / "train" / ".done").is_file()


def test_recipe_validation_names_the_field(tmp_path):
    with pytest.raises(ConfigError, match="stages"):
        RecipeConfig(base="b", stages=["bench", "corpus"], corpus={"th": {}})
    with pytest.raises(ConfigError, match="corpus: no corpus section for vi"):
        RecipeConfig(base="b", langs=["vi"], stages=["corpus"])
    with pytest.raises(ConfigError, match="publish.repo_id"):
        RecipeConfig(stages=["publish"])
    with pytest.raises(ConfigError, match="langs"):
        RecipeConfig(stages=["bench"], langs=["xx"])
    # a stage config's own check names the recipe section too (was "add.xx: unknown language")
    with pytest.raises(ConfigError, match=r"^tokenizer\.add\.xx: unknown language"):
        RecipeConfig(base="b", langs=["th"], stages=["corpus", "tokenizer"], corpus={"th": {"inputs": ["t.txt"]}},
                     tokenizer={"add": {"xx": 4}})


def test_load_recipe_resolves_paths_against_the_yaml(tmp_path):
    (tmp_path / "r").mkdir()
    path = tmp_path / "r" / "rec.yaml"
    path.write_text("name: x\nstages: [bench]\nbench: {suite: suite.yaml}\n")
    cfg = load_recipe(path, overrides=["name=y"])
    assert cfg.name == "y" and cfg.run_dir() == Path("runs/y")
    assert cfg.resolve("suite.yaml") == tmp_path / "r" / "suite.yaml"
    assert cfg.resolve("/abs/p") == Path("/abs/p")
