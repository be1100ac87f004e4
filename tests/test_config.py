"""Config machinery: YAML load, --set overrides with type checks, errors naming the field."""

from dataclasses import dataclass, field
from typing import Literal

import pytest

from seapt.config import check, field_docs, from_dict, load_config, save_config, undocumented_fields
from seapt.errors import ConfigError


@dataclass
class Inner:
    steps: int = 10
    """How many steps."""
    lr: float = 1e-3
    """Learning rate."""


@dataclass
class Outer:
    name: str = "x"
    """A name."""
    mode: Literal["a", "b"] = "a"
    """A mode."""
    paths: list[str] = field(default_factory=list)
    """Some paths."""
    weights: dict[str, float] = field(default_factory=dict)
    """Weights per language."""
    inner: Inner = field(default_factory=Inner)
    """Nested section."""
    flag: bool = False
    """A switch."""

    def __post_init__(self):
        check(self.inner.steps > 0, "inner.steps", "must be > 0; set e.g. --set inner.steps=100")


def test_yaml_and_overrides(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("name: y\ninner:\n  steps: 5\nweights: {th: 2}\n")
    cfg = load_config(Outer, p, ["inner.lr=1e-4", "mode=b", "paths=a.txt", "flag=true"])
    assert cfg.name == "y" and cfg.inner.steps == 5 and cfg.inner.lr == pytest.approx(1e-4)
    assert cfg.mode == "b" and cfg.paths == ["a.txt"] and cfg.flag is True and cfg.weights == {"th": 2.0}


@pytest.mark.parametrize(
    "override, message",
    [
        ("inner.steps=abc", "inner.steps: expected an integer"),
        ("mode=c", "mode: 'c' is not one of a, b"),
        ("inner.stpes=3", "did you mean inner.steps"),
        ("flag=maybe", "flag: expected true or false"),
        ("inner.steps=0", "inner.steps: must be > 0"),
        ("novalue", "expected key=value"),
    ],
)
def test_errors_name_the_field(override, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_config(Outer, None, [override])


def test_roundtrip_and_docs(tmp_path):
    cfg = from_dict(Outer, {"inner": {"steps": 3}})
    path = save_config(cfg, tmp_path / "out.yaml")
    assert load_config(Outer, path) == cfg
    assert field_docs(Inner)["lr"] == "Learning rate."
    assert undocumented_fields(Outer) == []


def test_bad_yaml(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("a: [1, 2\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(Outer, p)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(Outer, tmp_path / "missing.yaml")


def test_overrides_address_list_items_by_index(tmp_path):
    from seapt.config import apply_overrides

    data = {"stages": [{"name": "a", "steps": 5}, {"name": "b", "steps": 7}], "paths": ["x", "y"]}
    out = apply_overrides(data, ["stages.1.steps=20", "paths.0=z", "stages.0.lr=0.1"])
    assert out == {"stages": [{"name": "a", "steps": 5, "lr": 0.1}, {"name": "b", "steps": 20}], "paths": ["z", "y"]}
    assert data["stages"][1]["steps"] == 7  # the input is not changed
    with pytest.raises(ConfigError, match=r"stages has 2 item\(s\); indexes start at 0"):
        apply_overrides(data, ["stages.2.steps=1"])
    with pytest.raises(ConfigError, match=r"stages is a list; address an item by its index, e.g. stages.0"):
        apply_overrides(data, ["stages.steps=1"])
    p = tmp_path / "c.yaml"
    p.write_text("paths: [a.txt, b.txt]\n")
    assert load_config(Outer, p, ["paths.1=c.txt"]).paths == ["a.txt", "c.txt"]
