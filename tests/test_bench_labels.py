"""Label-efficiency curves: stratified subsets shared by every model, the probe and finetune modes, label saving."""

from collections import Counter

import numpy as np
import pytest
from _bench_tiny import make_tiny

from seapt.bench.finetune import finetune_curve, label_saving, label_subsets, probe_curve, probe_fit
from seapt.bench.finetune import test_subset as eval_subset

LABELS = ["pos"] * 60 + ["neg"] * 30 + ["neu"] * 10


def test_subsets_are_stratified_and_depend_only_on_labels_and_seed():
    a = label_subsets(LABELS, [20, 50, 0], [0, 1])
    b = label_subsets(list(LABELS), [20, 50, 0], [0, 1])  # "another model": same labels, same seeds
    for key in a:
        assert np.array_equal(a[key], b[key])
    assert Counter(LABELS[i] for i in a[(20, 0)]) == {"pos": 12, "neg": 6, "neu": 2}
    assert Counter(LABELS[i] for i in a[(50, 1)]) == {"pos": 30, "neg": 15, "neu": 5}
    assert not np.array_equal(a[(20, 0)], a[(20, 1)])  # seeds differ
    assert len(a[(0, 0)]) == len(LABELS) and len(set(a[(50, 0)].tolist())) == 50


def test_eval_subset_is_stratified_and_fixed():
    idx = eval_subset(LABELS, 50)
    assert Counter(LABELS[i] for i in idx) == {"pos": 30, "neg": 15, "neu": 5}
    assert np.array_equal(idx, eval_subset(LABELS, 50))
    assert len(eval_subset(LABELS, None)) == len(LABELS)


def test_probe_fit_separable_and_single_class():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-3, 1, (20, 4)), rng.normal(3, 1, (20, 4))])
    y = ["a"] * 20 + ["b"] * 20
    assert probe_fit(x, y, x, y) == {"accuracy": 1.0, "macro_f1": 1.0}
    one = probe_fit(x[:5], ["a"] * 5, x, y)
    assert one["accuracy"] == 0.5


@pytest.mark.parametrize("adapted, expected_k", [
    ({100: 0.50, 500: 0.70, 1000: 0.80}, 300.0),   # 0.60 reached halfway between 100 and 500
    ({100: 0.65, 500: 0.70}, 100.0),                # already at the smallest k
])
def test_label_saving_interpolates(adapted, expected_k):
    base = {100: 0.40, 500: 0.55, 1000: 0.60}
    s = label_saving(adapted, base, reference_k=1000)
    assert s["target"] == 0.60 and s["reference_k"] == 1000
    assert s["k"] == pytest.approx(expected_k) and s["saving"] == pytest.approx(1 - expected_k / 1000)


def test_label_saving_not_reached_and_missing_reference():
    assert label_saving({100: 0.1, 500: 0.2}, {100: 0.3, 500: 0.4}, 1000) == {
        "reference_k": 500, "target": 0.4, "k": None, "saving": None}
    assert label_saving({100: 0.1}, {2000: 0.3}, 1000) is None


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return make_tiny(tmp_path_factory.mktemp("tiny") / "m")


def _data():
    train = [f"a good day number {i}" for i in range(12)] + [f"a bad day ผู้ชาย {i}" for i in range(12)]
    y = ["pos"] * 12 + ["neg"] * 12
    return train, y, train[::3], y[::3]


def test_probe_curve_on_a_tiny_model(tiny):
    from seapt.model.load import load_model

    model, tok = load_model(tiny)
    x_tr, y_tr, x_te, y_te = _data()
    subsets = label_subsets(y_tr, [4, 0], [0, 1])
    seen = []
    rows = probe_curve(model, tok, x_tr, y_tr, x_te, y_te, subsets, max_length=16, batch_size=5,
                       progress=seen.append)
    assert sorted((r["k"], r["seed"]) for r in rows) == [(4, 0), (4, 1), (24, 0), (24, 1)]
    assert all(0 <= r["accuracy"] <= 1 and 0 <= r["macro_f1"] <= 1 for r in rows)
    assert sum(seen) == len({int(i) for p in subsets.values() for i in p}) + len(x_te)
    # the same subsets give the same scores: the probe is deterministic
    again = probe_curve(model, tok, x_tr, y_tr, x_te, y_te, subsets, max_length=16, batch_size=3)
    assert [r["accuracy"] for r in again] == pytest.approx([r["accuracy"] for r in rows])


def test_finetune_curve_on_a_tiny_model(tiny, tmp_path):
    x_tr, y_tr, x_te, y_te = _data()
    rows = finetune_curve(str(tiny), x_tr, y_tr, x_te, y_te, label_subsets(y_tr, [6], [0]), epochs=1,
                          lr=1e-3, max_length=16, batch_size=4, device="cpu", workdir=str(tmp_path))
    assert len(rows) == 1 and rows[0]["k"] == 6 and 0 <= rows[0]["accuracy"] <= 1
