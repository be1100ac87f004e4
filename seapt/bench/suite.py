"""The benchmark suite: SuiteConfig (configs/bench/*.yaml) and the loaders for every task format.

    suite = load_suite("configs/bench/sea.yaml", overrides=["limit=50"])
    docs = load_choice(suite.choice[0])              # [{"query", "choices", "label"}, ...]
    texts, labels = load_classification(suite.classification[0], "train")

Paths in the YAML are relative to the YAML file's folder or absolute. Choice formats are converted to
one shape, {"query", "choices", "label"}, that choice.py hands to lm-evaluation-harness; the prompts
follow lm-eval's own task configs (xcopa connectors, xnli "right? Yes/Also/No", xstorycloze joins).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from seapt.config import check, load_config
from seapt.errors import InputError
from seapt.io import iter_lines, require_path

# lm-eval's xcopa connectors (lm_eval/tasks/xcopa/utils.py) and xnli words (tasks/xnli/utils.py).
XCOPA_CONNECTORS = {
    "en": {"cause": "because", "effect": "therefore"},
    "th": {"cause": "เพราะ", "effect": "ดังนั้น"},
    "vi": {"cause": "bởi vì", "effect": "vì vậy"},
    "id": {"cause": "karena", "effect": "maka"},
}
NLI_WORDS = {  # (question word, entailment, neutral, contradiction)
    "en": ("right", "Yes", "Also", "No"),
    "th": ("ถูกต้อง", "ใช่", "ดังนั้น", "ไม่"),
    "vi": ("đúng", "Vâng", "Nên", "Không"),
    "id": ("benar", "Ya", "Juga", "Tidak"),
}
NLI_LABELS = {"entailment": 0, "neutral": 1, "contradiction": 2}
ChoiceFormat = Literal["choice", "xcopa", "cloze", "belebele", "nli", "hub"]
ClassFormat = Literal["jsonl", "csv", "tsv", "lines"]


@dataclass
class ChoiceTask:
    """One zero-shot multiple-choice task scored by lm-evaluation-harness."""

    name: str
    """Task name used in results and reports, e.g. xcopa_th."""
    lang: str
    """ISO 639-1 code of the task's language (th, vi, id, en)."""
    path: str
    """Local file (relative to the suite YAML or absolute), or an lm-eval task name when format is hub."""
    format: ChoiceFormat = "choice"
    """choice: jsonl {"context"?, "question"?, "choices", "label"}; xcopa: premise/choice1/choice2/question/label;
    cloze: csv of story sentences with correct/incorrect endings (IndoCloze, XStoryCloze layouts);
    belebele: flores_passage/question/mc_answer1..4/correct_answer_num; nli: premise/hypothesis/label
    (entailment, neutral, contradiction or 0/1/2); hub: an lm-eval task name, run as is (needs the network)."""
    limit: int | None = None
    """Score at most this many examples (the first ones); null uses the suite's limit."""
    context_fields: list[str] = field(default_factory=list)
    """cloze: columns joined (with spaces) into the context; empty means every column but the endings."""
    correct_field: str = "Correct Ending"
    """cloze: column holding the right ending."""
    wrong_fields: list[str] = field(default_factory=lambda: ["Incorrect Ending"])
    """cloze: columns holding the wrong endings."""

    def __post_init__(self):
        check(self.lang in XCOPA_CONNECTORS, "choice.lang", f"{self.lang!r} is not one of th, vi, id, en")
        check(bool(self.name.strip()), "choice.name", "must not be empty")
        check(self.limit is None or self.limit > 0, "choice.limit", "must be a positive number or null")


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
    format: ClassFormat = "jsonl"
    """jsonl; csv or tsv (with a header row, or header: false and column indexes); lines: a folder with
    line-aligned text and label files named by text_field and label_field."""
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
        for section in ("bpb", "parity"):
            for lang in getattr(self, section):
                check(lang in XCOPA_CONNECTORS, f"{section}.{lang}", "unknown language; use th, vi, id or en")
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
        if t.format != "hub":
            t.path = _resolve(t.path, base)
    for t in suite.classification:
        t.train, t.test = _resolve(t.train, base), _resolve(t.test, base)
    return suite


def _jsonl(path: str) -> list[dict]:
    rows = []
    for n, line in enumerate(iter_lines(path), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                raise InputError(f"{path}: line {n} is not valid JSON") from None
    return rows


def _csv(path: str, delimiter: str, header: bool) -> list:
    require_path(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        # TSV files are rarely quoted (IndoNLU's hold bare quotes inside text), so quotes are literal there
        kw = {"delimiter": delimiter, "quoting": csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL}
        reader = csv.DictReader(fh, **kw) if header else csv.reader(fh, **kw)
        return [row for row in reader if row]


def _get(row, key: str, path: str, n: int):
    try:
        return row[key] if isinstance(row, dict) else row[int(key)]
    except (KeyError, IndexError, ValueError, TypeError):
        raise InputError(f"{path}: example {n} has no field {key!r}; set text_field/label_field "
                         "(a column name, or an index with header: false)") from None


def _choice_doc(row: dict, fmt: str, lang: str) -> dict:
    if fmt == "choice":
        context = " ".join(str(row[k]).strip() for k in ("context", "question") if row.get(k))
        return {"query": context, "choices": [str(c) for c in row["choices"]], "label": int(row["label"])}
    if fmt == "xcopa":  # lm-eval xcopa: premise without its final period + connector, lower-cased first letter
        conn = XCOPA_CONNECTORS[lang][row["question"]]
        premise = row["premise"].strip()
        premise = premise[:-1] if premise[-1:] in ".。" else premise
        lower = [c[:1].lower() + c[1:] for c in (row["choice1"], row["choice2"])]
        return {"query": f"{premise} {conn}", "choices": lower, "label": int(row["label"])}
    if fmt == "belebele":
        query = f"{row['flores_passage'].strip()}\n{row['question'].strip()}\n"
        choices = [str(row[f"mc_answer{i}"]) for i in range(1, 5)]
        return {"query": query.rstrip(), "choices": choices, "label": int(row["correct_answer_num"]) - 1}
    if fmt == "nli":  # lm-eval xnli: each choice is the whole "premise, right? Yes, hypothesis" string
        q, yes, also, no = NLI_WORDS[lang]
        label = row["label"]
        label = NLI_LABELS[label.lower()] if isinstance(label, str) and not label.isdigit() else int(label)
        p, h = row["premise"].strip(), row["hypothesis"].strip()
        return {"query": "", "choices": [f"{p}, {q}? {w}, {h}" for w in (yes, also, no)], "label": label}
    raise InputError(f"unknown choice format {fmt!r}")


def load_choice(task: ChoiceTask) -> list[dict]:
    """Examples of a local choice task as [{"query", "choices", "label"}] (label indexes choices)."""
    if task.format == "hub":
        raise InputError(f"{task.name}: hub tasks are run by lm-eval directly and have no local file")
    if task.format == "cloze":
        rows = _csv(task.path, ",", True)
        docs = []
        for n, row in enumerate(rows, 1):
            endings = [task.correct_field, *task.wrong_fields]
            ctx_cols = task.context_fields or [c for c in row if c not in endings]
            ends = [str(_get(row, c, task.path, n)).strip() for c in endings]
            label = (n - 1) % len(ends)  # rotate so the right ending is not always first
            ends = ends[-label:] + ends[:-label] if label else ends
            context = " ".join(str(_get(row, c, task.path, n)).strip() for c in ctx_cols)
            docs.append({"query": context, "choices": ends, "label": label})
        return docs
    docs = []
    for n, row in enumerate(_jsonl(task.path), 1):
        try:
            doc = _choice_doc(row, task.format, task.lang)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"{task.path}: example {n} does not fit format {task.format!r} ({exc!r})") from None
        if not 0 <= doc["label"] < len(doc["choices"]):
            raise InputError(f"{task.path}: example {n} has label {doc['label']} outside its {len(doc['choices'])} choices")
        docs.append(doc)
    if not docs:
        raise InputError(f"{task.path}: no examples")
    return docs


def load_classification(task: ClassificationTask, split: Literal["train", "test"]) -> tuple[list[str], list[str]]:
    """(texts, labels) of one split; labels are kept as strings so every format compares alike."""
    path = getattr(task, split)
    if task.format == "lines":
        folder = require_path(path, f"{task.name} {split} folder")
        texts = list(iter_lines(folder / task.text_field))
        labels = [x.strip() for x in iter_lines(folder / task.label_field)]
        while labels and not labels[-1] and len(labels) > len(texts):
            labels.pop()
        if len(texts) != len(labels):
            raise InputError(f"{folder}: {task.text_field} has {len(texts)} lines but {task.label_field} "
                             f"has {len(labels)}; the files must be line-aligned")
        pairs = list(zip(texts, labels))
    else:
        if task.format == "jsonl":
            rows = _jsonl(path)
        else:
            rows = _csv(path, "\t" if task.format == "tsv" else ",", task.header)
        pairs = [(str(_get(r, task.text_field, path, n)), str(_get(r, task.label_field, path, n)).strip())
                 for n, r in enumerate(rows, 1)]
    pairs = [(t, y) for t, y in pairs if t.strip() and y]
    if len(pairs) < 2:
        raise InputError(f"{path}: fewer than 2 labelled examples in the {split} split of {task.name}")
    return [t for t, _ in pairs], [y for _, y in pairs]
