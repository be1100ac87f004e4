"""Declared extension points: embedding initialisers, choice/classification formats, bench step kinds and
tokenizer-family hooks are found through their registries and base class, never by name matching."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from seapt.bench import formats, steps
from seapt.bench.suite import ChoiceTask, ClassificationTask, SuiteConfig
from seapt.config import from_dict
from seapt.errors import ConfigError
from seapt.model import inits
from seapt.recipe import ModelSection


def test_an_initialiser_registered_once_is_valid_everywhere(monkeypatch):
    import torch

    monkeypatch.setitem(inits.INITIALISERS, "zeros", inits.Initialiser(
        "zeros", "all zeros", lambda weight, rows: torch.zeros((len(rows.ids),) + tuple(weight.shape[1:]))))
    assert ModelSection(init="zeros").init == "zeros"
    assert inits.init_names().endswith("hf-mean or zeros")
    with pytest.raises(ConfigError, match="model.init: use mean, random, hf-mean or zeros"):
        ModelSection(init="ones")


def test_initialiser_fills_the_rows_it_is_given(monkeypatch):
    import torch

    from seapt.model.embeddings import initialise_rows

    model = torch.nn.Module()
    emb = torch.nn.Embedding(6, 3)
    model.get_input_embeddings = lambda: emb
    model.get_output_embeddings = lambda: None
    before = emb.weight.detach().clone()
    monkeypatch.setitem(inits.INITIALISERS, "sevens", inits.Initialiser(
        "sevens", "all sevens", lambda weight, rows: torch.full((len(rows.ids), weight.shape[1]), 7.0)))
    initialise_rows(model, [4, 5], {}, "sevens", base_rows=4, old_rows=4)
    assert torch.equal(emb.weight[4:], torch.full((2, 3), 7.0)) and torch.equal(emb.weight[:4], before[:4])


def test_cli_help_lists_every_registered_initialiser():
    from seapt.cli import app

    out = " ".join(CliRunner().invoke(app, ["model", "extend", "--help"], terminal_width=200).output.split())
    for name in inits.INITIALISERS:
        assert f"{name}:" in out


def test_a_registered_choice_format_is_accepted_and_read(monkeypatch, tmp_path):
    monkeypatch.setitem(formats.CHOICE_FORMATS, "yn", formats.ChoiceFormat(
        "yn", "question/answer yes or no",
        formats.jsonl_rows(lambda row, lang: {"query": row["q"], "choices": ["no", "yes"], "label": int(row["a"])})))
    path = tmp_path / "yn.jsonl"
    path.write_text(json.dumps({"q": "Is it?", "a": 1}) + "\n", encoding="utf-8")
    task = ChoiceTask(name="yn", lang="en", path=str(path), format="yn")
    assert task.local and formats.load_choice(task) == [{"query": "Is it?", "choices": ["no", "yes"], "label": 1}]
    with pytest.raises(ConfigError, match=r"choice\[0\]\.format: 'mcq' is not one of choice, xcopa, .*, yn"):
        from_dict(SuiteConfig, {"choice": [{"name": "a", "lang": "th", "path": "p", "format": "mcq"}]})
    assert not ChoiceTask(name="h", lang="en", path="copa", format="hub").local


def test_a_registered_classification_format_is_accepted_and_read(monkeypatch, tmp_path):
    monkeypatch.setitem(formats.CLASS_FORMATS, "pipe", formats.ClassFormat(
        "pipe", "text|label lines",
        lambda task, path, split: [tuple(line.split("|")) for line in open(path, encoding="utf-8").read().split()]))
    path = tmp_path / "d.txt"
    path.write_text("good|pos\nbad|neg\n", encoding="utf-8")
    task = ClassificationTask(name="p", lang="en", train=str(path), test=str(path), format="pipe")
    assert formats.load_classification(task, "train") == (["good", "bad"], ["pos", "neg"])
    with pytest.raises(ConfigError, match="format: 'xml' is not one of jsonl, csv, tsv, lines, pipe"):
        ClassificationTask(name="p", lang="en", train="a", test="b", format="xml")


def test_a_registered_step_kind_is_planned_skipped_and_run(monkeypatch, tmp_path):
    from seapt.bench import run as bench_run

    seen = []

    def run(item, step_run):
        seen.append((item, step_run.label))
        return [{"model": step_run.label, "task": "echo", "lang": item, "metric": "n", "value": 1.0}]

    monkeypatch.setitem(steps.STEP_KINDS, "echo", steps.StepKind(
        "echo", lambda suite: [(lang, {"path": p}) for lang, p in suite.bpb.items()], run, needs_causal=True))
    suite = SuiteConfig(bpb={"th": "t.txt"})
    assert steps.plan(suite) == [("bpb_th", {"path": "t.txt", "max_bytes": suite.bpb_max_bytes,
                                             "block": suite.block_size, "normalize": True}),
                                 ("echo_th", {"path": "t.txt"})]
    assert steps.skip_reason("echo_th", {"causal": False}) == steps.SKIP_NOT_CAUSAL
    assert steps.skip_reason("class_x", {"causal": False}) is None
    records = bench_run._run_step("echo_th", "m", suite, {}, tmp_path, "cpu", None)
    assert seen == [("th", "m")] and records[0]["task"] == "echo"
    with pytest.raises(ValueError, match="no '_'"):
        steps.register_step_kind("my_kind", plan=lambda suite: [])


def test_family_hooks_are_base_class_methods(tmp_path):
    from test_vocab_fixtures import bytelevel_base

    from seapt.vocab.checks import unreachable_tokens
    from seapt.vocab.extend import load_base_json, make_family
    from seapt.vocab.family import Family
    from seapt.vocab.wordpiece import WordPieceFamily

    family = make_family(load_base_json(bytelevel_base(tmp_path / "base")))
    assert isinstance(family, Family) and not family.always_segment and WordPieceFamily.always_segment
    assert family.protect_english(None, ["hello"]) == 0 and family.write_files(tmp_path, tmp_path, None) == {}
    hello = family.base_vocab["hello"] if "hello" in family.base_vocab else next(iter(family.base_vocab.values()))
    token = family.tokenizer.id_to_token(hello)
    assert unreachable_tokens(family.tokenizer, family, [(hello, token, "en")]) == []

    class Strict(type(family)):
        def reachable_ok(self, tokenizer, tid, token):
            return False

    strict = Strict(family.tj)
    assert unreachable_tokens(strict.tokenizer, strict, [(hello, token, "en")]) == [token]
