"""One tiny local task through lm-evaluation-harness on a tiny model (skipped when lm_eval is missing)."""

import json
from pathlib import Path

import pytest
import yaml
from _bench_tiny import make_tiny

from seapt.bench.choice import task_id, write_task
from seapt.bench.suite import ChoiceTask
from seapt.errors import InputError

ROWS = [
    {"premise": "Saya lapar.", "choice1": "Saya makan.", "choice2": "Saya tidur.", "question": "effect", "label": 0},
    {"premise": "ผู้ชายเปิดก๊อกนํ้า", "choice1": "ห้องเต็ม", "choice2": "นํ้าไหล", "question": "effect", "label": 1},
    {"premise": "Anak menangis.", "choice1": "Dia jatuh.", "choice2": "Dia tertawa.", "question": "cause", "label": 0},
]


@pytest.fixture
def task(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    return ChoiceTask(name="xcopa id-th", lang="id", path=str(p), format="xcopa")


def test_write_task_yaml_reads_local_json(task, tmp_path):
    path = write_task(task, tmp_path / "tasks", limit=2)
    cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert task_id(task) == "seapt_xcopa_id_th" == cfg["task"]
    assert cfg["dataset_path"] == "json" and cfg["output_type"] == "multiple_choice"
    data = cfg["dataset_kwargs"]["data_files"]["test"]
    lines = Path(data).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["query"] == "Saya lapar maka"
    assert {m["metric"] for m in cfg["metric_list"]} == {"acc", "acc_norm"}


def test_lm_eval_scores_a_tiny_local_task(task, tmp_path):
    pytest.importorskip("lm_eval")
    from seapt.bench.choice import load_lm, run_choice

    model_dir = make_tiny(tmp_path / "m")
    folder = tmp_path / "tasks"
    write_task(task, folder)
    lm = load_lm(str(model_dir), batch_size=2, device="cpu")
    got = run_choice(lm, task, folder)
    assert got["n"] == 3
    assert set(got) == {"acc", "acc_norm", "n"}
    assert all(v in (0.0, 1 / 3, 2 / 3, 1.0) for k, v in got.items() if k != "n")
    with pytest.raises(InputError, match="call write_task first"):
        run_choice(lm, ChoiceTask(name="other", lang="id", path=task.path), folder)


def test_write_task_normalizes_decomposed_thai(tmp_path):
    from seapt.text.normalize import normalize

    p = tmp_path / "th.jsonl"
    p.write_text(json.dumps(ROWS[1], ensure_ascii=False) + "\n", encoding="utf-8")
    task = ChoiceTask(name="th", lang="th", path=str(p), format="xcopa")
    raw_path = write_task(task, tmp_path / "a").with_suffix(".jsonl")
    raw = json.loads(raw_path.read_text(encoding="utf-8"))
    fixed_path = write_task(task, tmp_path / "b", normalize=lambda t: normalize(t, "th")).with_suffix(".jsonl")
    fixed = json.loads(fixed_path.read_text(encoding="utf-8"))
    assert "\u0e4d" in raw["choices"][1]  # XCOPA-th spells น้ำ with NIKHAHIT + SARA AA
    assert fixed["choices"][1] == "น\u0e49\u0e33ไหล" and "\u0e4d" not in fixed["query"]


@pytest.mark.slow
def test_hub_task_offline_is_a_one_line_dependency_error(tmp_path):
    pytest.importorskip("lm_eval")
    from seapt.bench.choice import load_lm, run_choice
    from seapt.errors import DependencyError

    lm = load_lm(str(make_tiny(tmp_path / "m")), batch_size=2, device="cpu")
    with pytest.raises(DependencyError, match="xcopa_th' needs the network"):
        run_choice(lm, ChoiceTask(name="xc", lang="th", path="xcopa_th", format="hub"), tmp_path, limit=2)
