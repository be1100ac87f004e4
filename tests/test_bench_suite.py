"""Suite YAML loading and the task loaders for every choice and classification format."""

import json

import pytest

from seapt.bench.suite import (
    ChoiceTask,
    ClassificationTask,
    SuiteConfig,
    load_choice,
    load_classification,
    load_suite,
)
from seapt.config import from_dict
from seapt.errors import ConfigError, InputError


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_choice_generic_format(tmp_path):
    p = _jsonl(tmp_path / "c.jsonl", [{"context": "Ctx.", "question": "Q?", "choices": ["a", "b", "c"], "label": 2},
                                      {"choices": ["x", "y"], "label": 0}])
    docs = load_choice(ChoiceTask(name="t", lang="en", path=p))
    assert docs == [{"query": "Ctx. Q?", "choices": ["a", "b", "c"], "label": 2},
                    {"query": "", "choices": ["x", "y"], "label": 0}]


def test_choice_xcopa_uses_lm_eval_connectors(tmp_path):
    p = _jsonl(tmp_path / "x.jsonl", [
        {"premise": "Saya lapar.", "choice1": "Saya makan.", "choice2": "Saya tidur.", "question": "effect", "label": 0},
        {"premise": "ผู้หญิงเกษียณ", "choice1": "ก", "choice2": "ข", "question": "cause", "label": 1}])
    id_docs = load_choice(ChoiceTask(name="x", lang="id", path=p, format="xcopa"))
    assert id_docs[0] == {"query": "Saya lapar maka", "choices": ["saya makan.", "saya tidur."], "label": 0}
    th_docs = load_choice(ChoiceTask(name="x", lang="th", path=p, format="xcopa"))
    assert th_docs[1]["query"] == "ผู้หญิงเกษียณ เพราะ" and th_docs[1]["label"] == 1


def test_choice_cloze_csv_rotates_the_right_ending(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("Kalimat-1,Kalimat-2,Correct Ending,Incorrect Ending\n"
                 "A satu.,A dua.,benar1,salah1\n\"B, satu.\",B dua.,benar2,salah2\n", encoding="utf-8")
    docs = load_choice(ChoiceTask(name="c", lang="id", path=str(p), format="cloze"))
    assert docs[0] == {"query": "A satu. A dua.", "choices": ["benar1", "salah1"], "label": 0}
    assert docs[1] == {"query": "B, satu. B dua.", "choices": ["salah2", "benar2"], "label": 1}
    for d in docs:
        assert d["choices"][d["label"]].startswith("benar")


def test_choice_belebele_and_nli(tmp_path):
    b = _jsonl(tmp_path / "b.jsonl", [{"flores_passage": "P.", "question": "Q?", "mc_answer1": "a", "mc_answer2": "b",
                                       "mc_answer3": "c", "mc_answer4": "d", "correct_answer_num": "3"}])
    assert load_choice(ChoiceTask(name="b", lang="th", path=b, format="belebele")) == [
        {"query": "P.\nQ?", "choices": ["a", "b", "c", "d"], "label": 2}]
    n = _jsonl(tmp_path / "n.jsonl", [{"premise": "Hujan", "hypothesis": "Basah", "label": "contradiction"},
                                      {"premise": "A", "hypothesis": "B", "label": 1}])
    docs = load_choice(ChoiceTask(name="n", lang="id", path=n, format="nli"))
    assert docs[0]["label"] == 2 and docs[0]["choices"][2] == "Hujan, benar? Tidak, Basah"
    assert docs[1]["label"] == 1 and len(docs[1]["choices"]) == 3


def test_choice_errors_name_the_file_and_line(tmp_path):
    bad = _jsonl(tmp_path / "bad.jsonl", [{"choices": ["a", "b"], "label": 5}])
    with pytest.raises(InputError, match="bad.jsonl: example 1 has label 5"):
        load_choice(ChoiceTask(name="t", lang="en", path=bad))
    wrong = _jsonl(tmp_path / "w.jsonl", [{"text": "no choices"}])
    with pytest.raises(InputError, match="does not fit format 'xcopa'"):
        load_choice(ChoiceTask(name="t", lang="en", path=wrong, format="xcopa"))
    with pytest.raises(InputError, match="not found"):
        load_choice(ChoiceTask(name="t", lang="en", path=str(tmp_path / "missing.jsonl")))


def test_classification_jsonl_csv_tsv_and_lines(tmp_path):
    j = _jsonl(tmp_path / "t.jsonl", [{"texts": "ดีมาก", "category": "pos"}, {"texts": "แย่", "category": "neg"}])
    task = ClassificationTask(name="j", lang="th", train=j, test=j, text_field="texts", label_field="category")
    assert load_classification(task, "train") == (["ดีมาก", "แย่"], ["pos", "neg"])
    c = tmp_path / "t.csv"
    c.write_text('label,sentence\n1,"good, really"\n0,bad\n', encoding="utf-8")
    task = ClassificationTask(name="c", lang="en", train=str(c), test=str(c), format="csv", text_field="sentence")
    assert load_classification(task, "test") == (["good, really", "bad"], ["1", "0"])
    t = tmp_path / "t.tsv"
    t.write_text('enak "banget" .\tpositive\njelek .\tnegative\n', encoding="utf-8")
    task = ClassificationTask(name="t", lang="id", train=str(t), test=str(t), format="tsv", header=False,
                              text_field="0", label_field="1")
    assert load_classification(task, "train") == (['enak "banget" .', "jelek ."], ["positive", "negative"])
    d = tmp_path / "train"
    d.mkdir()
    (d / "sents.txt").write_text("tốt quá\ntệ\n", encoding="utf-8")
    (d / "sentiments.txt").write_text("2\n0\n", encoding="utf-8")
    task = ClassificationTask(name="l", lang="vi", train=str(d), test=str(d), format="lines",
                              text_field="sents.txt", label_field="sentiments.txt")
    assert load_classification(task, "train") == (["tốt quá", "tệ"], ["2", "0"])


def test_classification_errors(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "sents.txt").write_text("a\nb\nc\n", encoding="utf-8")
    (d / "labels.txt").write_text("1\n0\n", encoding="utf-8")
    task = ClassificationTask(name="l", lang="vi", train=str(d), test=str(d), format="lines",
                              text_field="sents.txt", label_field="labels.txt")
    with pytest.raises(InputError, match="line-aligned"):
        load_classification(task, "train")
    j = _jsonl(tmp_path / "t.jsonl", [{"text": "x", "y": 1}, {"text": "z", "y": 0}])
    with pytest.raises(InputError, match="no field 'label'"):
        load_classification(ClassificationTask(name="j", lang="en", train=j, test=j), "train")


def test_suite_paths_resolve_against_the_yaml(tmp_path):
    (tmp_path / "conf").mkdir()
    y = tmp_path / "conf" / "s.yaml"
    y.write_text("bpb: {th: ../data/th.txt}\nchoice:\n  - {name: a, lang: en, path: a.jsonl}\n"
                 "  - {name: copa, lang: en, path: copa, format: hub}\n"
                 "classification:\n  - {name: c, lang: vi, train: /abs/train, test: t, k: [10]}\n", encoding="utf-8")
    s = load_suite(y, overrides=["limit=5"])
    assert s.bpb["th"] == str((tmp_path / "data" / "th.txt").resolve())
    assert s.choice[0].path == str((tmp_path / "conf" / "a.jsonl").resolve())
    assert s.choice[1].path == "copa"
    assert s.classification[0].train == "/abs/train" and s.limit == 5


@pytest.mark.parametrize("data, match", [
    ({"bpb": {"xx": "a.txt"}}, "bpb.xx"),
    ({"choice": [{"name": "a", "lang": "th", "path": "p", "format": "mcq"}]}, "choice\\[0\\].format"),
    ({"classification": [{"name": "a", "lang": "th", "train": "a", "test": "b", "k": []}]}, "classification.k"),
    ({"choice": [{"name": "a", "lang": "th", "path": "p"}, {"name": "a", "lang": "vi", "path": "q"}]}, "unique"),
    ({"limits": 3}, "did you mean limit"),
])
def test_suite_validation_names_the_field(data, match):
    with pytest.raises(ConfigError, match=match):
        from_dict(SuiteConfig, data)


@pytest.mark.slow
def test_shipped_suite_loads_the_real_shared_data(shared_data):
    """configs/bench/sea.yaml reads every shared data set with the counts their SOURCE.md files state."""
    from pathlib import Path

    suite = load_suite(Path(__file__).resolve().parents[1] / "configs" / "bench" / "sea.yaml")
    sizes = {t.name: len(load_choice(t)) for t in suite.choice}
    assert sizes == {"xcopa_th": 500, "xcopa_vi": 500, "xcopa_id": 500, "indocloze": 1135}
    counts = {t.name: (len(load_classification(t, "train")[0]), len(load_classification(t, "test")[1]))
              for t in suite.classification}
    assert counts["uit_vsfc_sentiment"] == (11426, 3166)
    assert counts["smsa"] == (11000, 500)
    assert counts["wisesight_sentiment"][1] == 2671
    _, labels = load_classification(suite.classification[0], "test")
    assert {y: labels.count(y) for y in set(labels)} == {"neu": 1453, "neg": 683, "pos": 478, "q": 57}
