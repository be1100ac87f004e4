"""The benchmark suite: SuiteConfig (configs/bench/*.yaml); task formats and their loaders are registered
in seapt.bench.formats (load_choice and load_classification are re-exported here).

    suite = load_suite("configs/bench/sea.yaml", overrides=["limit=50"])
    docs = load_choice(suite.choice[0])              # [{"query", "choices", "label"}, ...]
    texts, labels = load_classification(suite.classification[0], "train")

Paths in the YAML are relative to the YAML file's folder or absolute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from seapt.bench.formats import (  # noqa: F401 (load_choice, load_classification: re-exported)
    CHOICE_FORMATS,
    CLASS_FORMATS,
    XCOPA_CONNECTORS,
    load_choice,
    load_classification,
)
from seapt.config import check, load_config

@dataclass
class ChoiceTask:
    """One zero-shot multiple-choice task scored by lm-evaluation-harness."""

    name: str
    """Task name used in results and reports, e.g. xcopa_th."""
    lang: str
    """ISO 639-1 code of the task's language (th, vi, id, en)."""
    path: str
    """Local file (relative to the suite YAML or absolute), or an lm-eval task name when format is hub."""
    format: str = "choice"
    """A format registered in seapt.bench.formats.CHOICE_FORMATS: choice: jsonl {"context"?, "question"?,
    "choices", "label"}; xcopa: premise/choice1/choice2/question/label; cloze: csv of story sentences with
    correct/incorrect endings (IndoCloze, XStoryCloze layouts); belebele: flores_passage/question/
    mc_answer1..4/correct_answer_num; nli: premise/hypothesis/label (entailment, neutral, contradiction or
    0/1/2); hub: an lm-eval task name, run as is (needs the network)."""
    limit: int | None = None
    """Score at most this many examples (the first ones); null uses the suite's limit."""
    context_fields: list[str] = field(default_factory=list)
    """cloze: columns joined (with spaces) into the context; empty means every column but the endings."""
    correct_field: str = "Correct Ending"
    """cloze: column holding the right ending."""
    wrong_fields: list[str] = field(default_factory=lambda: ["Incorrect Ending"])
    """cloze: columns holding the wrong endings."""

    def __post_init__(self):
        check(self.format in CHOICE_FORMATS, "format", f"{self.format!r} is not one of {', '.join(CHOICE_FORMATS)}")
        check(self.lang in XCOPA_CONNECTORS, "choice.lang", f"{self.lang!r} is not one of th, vi, id, en")
        check(bool(self.name.strip()), "choice.name", "must not be empty")
        check(self.limit is None or self.limit > 0, "choice.limit", "must be a positive number or null")

    @property
    def local(self) -> bool:
        """Whether the task reads a local file (else lm-eval runs it from its own registry)."""
        return CHOICE_FORMATS[self.format].local


@dataclass
class ClassificationTask:
    """A labelled classification data set for label-efficiency curves."""

    name: str
    """Task name used in results and reports, e.g. wisesight_sentiment."""
    lang: str
    """ISO 639-1 code of the task's language."""
    train: str
    """Training split: a file (jsonl, csv, tsv) or, for format lines, a folder holding the two files."""
    test: str
    """Test split, in the same format as train."""
    format: str = "jsonl"
    """A format registered in seapt.bench.formats.CLASS_FORMATS: jsonl; csv or tsv (with a header row, or
    header: false and column indexes); lines: a folder with line-aligned text and label files named by
    text_field and label_field."""
    text_field: str = "text"
    """jsonl key, csv/tsv column name or 0-based index, or (lines) the text file's name, e.g. sents.txt."""
    label_field: str = "label"
    """jsonl key, csv/tsv column name or index, or (lines) the label file's name, e.g. sentiments.txt."""
    header: bool = True
    """csv/tsv: the first row names the columns; false means text_field/label_field are column indexes."""
    k: list[int] = field(default_factory=lambda: [100, 500, 1000])
    """Numbers of labelled training examples to train on; 0 means the whole training split."""
    seeds: list[int] = field(default_factory=lambda: [0, 1, 2])
    """Seeds: each draws one stratified subset per k, the same subset for every model."""
    max_test: int | None = None
    """Evaluate on a stratified sample of this many test examples (fixed seed 0); null uses them all."""

    def __post_init__(self):
        check(self.format in CLASS_FORMATS, "format", f"{self.format!r} is not one of {', '.join(CLASS_FORMATS)}")
        check(self.lang in XCOPA_CONNECTORS, "classification.lang", f"{self.lang!r} is not one of th, vi, id, en")
        check(bool(self.k) and all(k >= 0 for k in self.k), "classification.k",
              "give a list of example counts such as [100, 500, 1000] (0 = all)")
        check(bool(self.seeds), "classification.seeds", "give at least one seed, e.g. [0]")
        check(self.max_test is None or self.max_test > 1, "classification.max_test", "must be > 1 or null")


@dataclass
class SuiteConfig:
    """What `seapt bench` measures; every section is optional."""

    bpb: dict[str, str] = field(default_factory=dict)
    """Held-out raw text per language for bits per byte: {th: PATH, ...}; .txt (a document a line) or .jsonl {"text"}."""
    parity: dict[str, str] = field(default_factory=dict)
    """Line-aligned parallel text per language for tokenizer fertility and parity vs en: {th: PATH, en: PATH}."""
    choice: list[ChoiceTask] = field(default_factory=list)
    """Zero-shot multiple-choice tasks run through lm-evaluation-harness (acc, acc_norm)."""
    classification: list[ClassificationTask] = field(default_factory=list)
    """Classification tasks for label-efficiency curves (accuracy, macro-F1 per k and seed)."""
    mode: Literal["auto", "probe", "finetune"] = "auto"
    """Label curves: probe (frozen model, mean-pooled states, logistic regression), finetune (head + Trainer),
    auto = finetune on a GPU, probe on a CPU."""
    limit: int | None = None
    """Choice tasks: score at most this many examples per task (null = all); small on a CPU."""
    bpb_max_bytes: int | None = 200000
    """Bits per byte: stop after documents totalling this many bytes per language (null = all)."""
    block_size: int = 512
    """Bits per byte: tokens predicted per window."""
    batch_size: int = 8
    """Batch size of every forward pass (BPB, lm-eval, feature extraction, finetuning)."""
    max_length: int = 256
    """Classification: tokens kept per example."""
    reference_k: int = 1000
    """Label saving: the baseline's score at this many labels is the target the adapted model must reach."""
    finetune_epochs: float = 3.0
    """Finetune mode: epochs over the k examples."""
    finetune_lr: float = 2e-5
    """Finetune mode: peak learning rate."""
    device: str = "auto"
    """auto (cuda when available, else cpu), cpu, cuda or cuda:N."""
    normalize: bool = True
    """Pass every evaluated text through seapt's normaliser for its language first (as corpus prepare does
    for training text): XCOPA-th, for one, holds decomposed Thai (นํ้า) that an adapted model never saw."""

    def __post_init__(self):
        from seapt.languages import LANGUAGES

        for section in ("bpb", "parity"):
            for lang in getattr(self, section):
                check(lang in LANGUAGES, f"{section}.{lang}", f"unknown language; use one of {', '.join(LANGUAGES)}")
        names = [t.name for t in [*self.choice, *self.classification]]
        dup = sorted({n for n in names if names.count(n) > 1})
        check(not dup, "choice/classification.name", f"task names must be unique; repeated: {', '.join(dup)}")
        check(self.limit is None or self.limit > 0, "limit", "must be a positive number or null")
        check(self.block_size > 1, "block_size", "must be at least 2")
        check(self.batch_size > 0, "batch_size", "must be positive")
        check(self.max_length > 1, "max_length", "must be at least 2")
        check(self.reference_k > 0, "reference_k", "must be positive")


def _resolve(path: str, base: Path) -> str:
    p = Path(path).expanduser()
    return str(p if p.is_absolute() else (base / p).resolve())


def load_suite(path: str | Path, overrides=()) -> SuiteConfig:
    """Load a suite YAML; relative data paths are resolved against the YAML file's folder."""
    suite = load_config(SuiteConfig, path, overrides)
    base = Path(path).resolve().parent
    suite.bpb = {k: _resolve(v, base) for k, v in suite.bpb.items()}
    suite.parity = {k: _resolve(v, base) for k, v in suite.parity.items()}
    for t in suite.choice:
        if t.local:
            t.path = _resolve(t.path, base)
    for t in suite.classification:
        t.train, t.test = _resolve(t.train, base), _resolve(t.test, base)
    return suite
