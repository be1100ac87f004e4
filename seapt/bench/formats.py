"""The registries of bench task formats: choice formats (CHOICE_FORMATS) and classification formats
(CLASS_FORMATS), each a name, a one-line help and a reader; suite validation and the loaders read them.

    docs = load_choice(task)                          # [{"query", "choices", "label"}, ...]
    texts, labels = load_classification(task, "train")

Choice formats become one shape, {"query", "choices", "label"}, that seapt.bench.choice hands to
lm-evaluation-harness; the prompts follow lm-eval's own task configs (xcopa connectors, xnli "right?
Yes/Also/No", xstorycloze joins). Adding a format is one registered reader here and its test:

    @register_choice_format("boolq", "passage/question/answer (true/false)")
    @jsonl_rows
    def _boolq(row, lang):
        return {"query": f"{row['passage']}\\n{row['question']}?", "choices": ["no", "yes"],
                "label": int(row["answer"])}
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class ChoiceFormat:
    name: str
    help: str
    read: Callable[[Any], list[dict]] | None
    """``read(task)``: the task's examples as [{"query", "choices", "label"}]; None for tasks that lm-eval
    runs from its own registry (no local file)."""
    target_delimiter: str = " "
    """What lm-eval puts between the query and each choice."""

    @property
    def local(self) -> bool:
        return self.read is not None


@dataclass(frozen=True)
class ClassFormat:
    name: str
    help: str
    read: Callable[[Any, str, str], list[tuple[str, str]]]
    """``read(task, path, split)``: (text, label) pairs of one split, labels as strings."""


CHOICE_FORMATS: dict[str, ChoiceFormat] = {}
CLASS_FORMATS: dict[str, ClassFormat] = {}


def register_choice_format(name: str, help: str, *, target_delimiter: str = " "):
    """Decorator: register ``read(task) -> docs`` as the choice format ``name``."""

    def wrap(read):
        CHOICE_FORMATS[name] = ChoiceFormat(name, help, read, target_delimiter)
        return read

    return wrap


def register_class_format(name: str, help: str):
    """Decorator: register ``read(task, path, split) -> [(text, label)]`` as the classification format ``name``."""

    def wrap(read):
        CLASS_FORMATS[name] = ClassFormat(name, help, read)
        return read

    return wrap


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


def jsonl_rows(convert: Callable[[dict, str], dict]) -> Callable[[Any], list[dict]]:
    """A choice reader from ``convert(row, lang) -> doc`` applied to each line of a .jsonl file."""

    def read(task) -> list[dict]:
        docs = []
        for n, row in enumerate(_jsonl(task.path), 1):
            try:
                doc = convert(row, task.lang)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise InputError(f"{task.path}: example {n} does not fit format {task.format!r} ({exc!r})") from None
            if not 0 <= doc["label"] < len(doc["choices"]):
                raise InputError(f"{task.path}: example {n} has label {doc['label']} outside its "
                                 f"{len(doc['choices'])} choices")
            docs.append(doc)
        if not docs:
            raise InputError(f"{task.path}: no examples")
        return docs

    return read


@register_choice_format("choice", 'jsonl {"context"?, "question"?, "choices", "label"}')
@jsonl_rows
def _choice(row: dict, lang: str) -> dict:
    context = " ".join(str(row[k]).strip() for k in ("context", "question") if row.get(k))
    return {"query": context, "choices": [str(c) for c in row["choices"]], "label": int(row["label"])}


@register_choice_format("xcopa", "jsonl premise/choice1/choice2/question/label")
@jsonl_rows
def _xcopa(row: dict, lang: str) -> dict:
    # lm-eval xcopa: premise without its final period + connector, lower-cased first letter
    conn = XCOPA_CONNECTORS[lang][row["question"]]
    premise = row["premise"].strip()
    premise = premise[:-1] if premise[-1:] in ".。" else premise
    lower = [c[:1].lower() + c[1:] for c in (row["choice1"], row["choice2"])]
    return {"query": f"{premise} {conn}", "choices": lower, "label": int(row["label"])}


@register_choice_format("cloze", "csv of story sentences with correct/incorrect endings (IndoCloze, XStoryCloze)")
def _cloze(task) -> list[dict]:
    docs = []
    for n, row in enumerate(_csv(task.path, ",", True), 1):
        endings = [task.correct_field, *task.wrong_fields]
        ctx_cols = task.context_fields or [c for c in row if c not in endings]
        ends = [str(_get(row, c, task.path, n)).strip() for c in endings]
        label = (n - 1) % len(ends)  # rotate so the right ending is not always first
        ends = ends[-label:] + ends[:-label] if label else ends
        context = " ".join(str(_get(row, c, task.path, n)).strip() for c in ctx_cols)
        docs.append({"query": context, "choices": ends, "label": label})
    return docs


@register_choice_format("belebele", "jsonl flores_passage/question/mc_answer1..4/correct_answer_num")
@jsonl_rows
def _belebele(row: dict, lang: str) -> dict:
    query = f"{row['flores_passage'].strip()}\n{row['question'].strip()}\n"
    choices = [str(row[f"mc_answer{i}"]) for i in range(1, 5)]
    return {"query": query.rstrip(), "choices": choices, "label": int(row["correct_answer_num"]) - 1}


# NLI rows put the whole statement in each choice (lm-eval's xnli); no separator before it then
@register_choice_format("nli", "jsonl premise/hypothesis/label (entailment, neutral, contradiction or 0/1/2)",
                        target_delimiter="")
@jsonl_rows
def _nli(row: dict, lang: str) -> dict:
    q, yes, also, no = NLI_WORDS[lang]
    label = row["label"]
    label = NLI_LABELS[label.lower()] if isinstance(label, str) and not label.isdigit() else int(label)
    p, h = row["premise"].strip(), row["hypothesis"].strip()
    return {"query": "", "choices": [f"{p}, {q}? {w}, {h}" for w in (yes, also, no)], "label": label}


register_choice_format("hub", "an lm-eval task name, run as is (needs the network)")(None)


def _field_pairs(rows: list, task, path: str) -> list[tuple[str, str]]:
    return [(str(_get(r, task.text_field, path, n)), str(_get(r, task.label_field, path, n)).strip())
            for n, r in enumerate(rows, 1)]


@register_class_format("jsonl", "one JSON object a line; text_field and label_field are its keys")
def _class_jsonl(task, path: str, split: str) -> list[tuple[str, str]]:
    return _field_pairs(_jsonl(path), task, path)


@register_class_format("csv", "a header row (or header: false and column indexes)")
def _class_csv(task, path: str, split: str) -> list[tuple[str, str]]:
    return _field_pairs(_csv(path, ",", task.header), task, path)


@register_class_format("tsv", "as csv, tab-separated, quotes literal")
def _class_tsv(task, path: str, split: str) -> list[tuple[str, str]]:
    return _field_pairs(_csv(path, "\t", task.header), task, path)


@register_class_format("lines", "a folder with line-aligned text and label files named by text_field and label_field")
def _class_lines(task, path: str, split: str) -> list[tuple[str, str]]:
    folder = require_path(path, f"{task.name} {split} folder")
    texts = list(iter_lines(folder / task.text_field))
    labels = [x.strip() for x in iter_lines(folder / task.label_field)]
    while labels and not labels[-1] and len(labels) > len(texts):
        labels.pop()
    if len(texts) != len(labels):
        raise InputError(f"{folder}: {task.text_field} has {len(texts)} lines but {task.label_field} "
                         f"has {len(labels)}; the files must be line-aligned")
    return list(zip(texts, labels))


def load_choice(task) -> list[dict]:
    """Examples of a local choice task as [{"query", "choices", "label"}] (label indexes choices)."""
    fmt = CHOICE_FORMATS[task.format]
    if not fmt.local:
        raise InputError(f"{task.name}: {task.format} tasks are run by lm-eval directly and have no local file")
    return fmt.read(task)


def load_classification(task, split: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of one split; labels are kept as strings so every format compares alike."""
    path = getattr(task, split)
    pairs = [(t, y) for t, y in CLASS_FORMATS[task.format].read(task, path, split) if t.strip() and y]
    if len(pairs) < 2:
        raise InputError(f"{path}: fewer than 2 labelled examples in the {split} split of {task.name}")
    return [t for t, _ in pairs], [y for _, y in pairs]
