"""Installed = cloned: everything a command reads by default ships inside the package (importlib.resources),
and the defaults do not depend on the working directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import seapt.config as config_module
from seapt.corpus.config import load_corpus_config
from seapt.languages import TARGETS
from seapt.pipeline import load_recipe
from seapt.resources import shipped, shipped_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", TARGETS)
def test_corpus_defaults_come_from_the_shipped_config_in_any_directory(lang, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the clone: the shipped file must still be found and read
    read = []
    real_load_yaml = config_module.load_yaml
    monkeypatch.setattr(config_module, "load_yaml", lambda path: read.append(Path(path)) or real_load_yaml(path))
    cfg = load_corpus_config(lang)
    assert read == [shipped_config("corpus", f"{lang}.yaml")]
    shipped_yaml = yaml.safe_load(shipped_config("corpus", f"{lang}.yaml").read_text(encoding="utf-8"))
    assert shipped_yaml, "the shipped per-language config is empty"
    for section, values in shipped_yaml.items():
        if isinstance(values, dict):
            for key, value in values.items():
                assert getattr(getattr(cfg, section), key) == value, f"{section}.{key}"
        else:
            assert getattr(cfg, section) == values, section


def test_every_file_the_quickstart_recipe_names_is_shipped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_recipe(shipped("configs", "quickstart.yaml"))
    package = Path(str(shipped(".")))
    named = [cfg.resolve(p) for lang in cfg.langs for p in (cfg.corpus[lang].get("inputs") or [])]
    named += [cfg.resolve(cfg.english)] if cfg.english else []
    for section in ("bpb", "parity"):
        named += [cfg.resolve(p) for p in (cfg.bench.get("suite", {}).get(section) or {}).values()]
    assert named
    for path in named:
        assert path.is_file(), path
        assert package in path.resolve().parents, f"{path} is outside the package: it would not be installed"


def test_a_user_recipe_can_name_the_shipped_corpus_defaults(tmp_path):
    recipe = tmp_path / "mine.yaml"
    recipe.write_text("name: mine\nbase: some/model\nlangs: [th]\nstages: [corpus]\n"
                      "corpus:\n  th: {config: corpus/th.yaml, inputs: [in.jsonl]}\n", encoding="utf-8")
    (tmp_path / "in.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    from seapt.recipe import corpus_config

    cfg = load_recipe(recipe)
    ccfg = corpus_config(cfg, "th", str(tmp_path / "out"))
    assert ccfg == load_corpus_config("th", inputs=[str(tmp_path / "in.jsonl")], output=str(tmp_path / "out"))
    assert ccfg.inputs == [str(tmp_path / "in.jsonl")]  # relative to the recipe file, not the cwd


def test_the_wheel_holds_the_package_data(tmp_path):
    """Build the wheel a `pip install .` installs and check it holds every shipped file of the clone."""
    pytest.importorskip("setuptools")  # torch brings it; without it there is nothing to build the wheel with
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=280, env={**os.environ, "PIP_NO_INPUT": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("seapt-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "seapt"
    expected = {f"seapt/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel: {missing[:10]}"
    assert "seapt/configs/quickstart.yaml" in names and "seapt/data/english_reference.txt" in names
