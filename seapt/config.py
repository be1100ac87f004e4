"""Typed config machinery: dataclass schemas, YAML load, `--set a.b=c` overrides, validation, saving.

Every stage defines its config as a dataclass (in its own package, e.g. ``seapt/corpus/config.py``) with a
docstring string literal under each field, as litgpt does. This module turns YAML and ``--set`` overrides
into those dataclasses with type checks, and writes the resolved config beside every output:

    cfg = load_config(CorpusConfig, "configs/corpus/th.yaml", overrides=["quality.min_words=20"])
    save_config(cfg, out_dir / "config.yaml")

Errors are ConfigError naming the dotted field and what to change.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import difflib
import functools
import inspect
import textwrap
import types
import typing
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

import yaml

from seapt.errors import ConfigError

T = TypeVar("T")


def load_yaml(path: str | Path) -> dict:
    """Read a YAML mapping; a missing file or a non-mapping is a ConfigError naming the path."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file not found: {p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"{p}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: the top level must be a mapping of field: value, got {type(data).__name__}")
    return data


def parse_override(item: str) -> tuple[list[str], Any]:
    """Split ``a.b=c`` into (["a", "b"], parsed value); values are parsed as YAML scalars/lists."""
    if "=" not in item:
        raise ConfigError(f"--set {item!r}: expected key=value, e.g. --set train.max_steps=100")
    key, raw = item.split("=", 1)
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise ConfigError(f"--set {item!r}: the key must be a dotted field name such as train.max_steps")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key.split("."), value


def apply_overrides(data: dict, overrides: typing.Iterable[str]) -> dict:
    """Return a copy of ``data`` with each ``a.b=c`` override set (nested mappings are created)."""
    out = copy.deepcopy(data)
    for item in overrides:
        keys, value = parse_override(item)
        node = out
        for depth, k in enumerate(keys[:-1]):
            if isinstance(node, list):  # a list item by its index: stages.0.steps=10
                node = node[_index(node, k, item, keys[:depth])]
                continue
            if not isinstance(node.get(k), (dict, list)):
                node[k] = {}
            node = node[k]
        if isinstance(node, list):
            node[_index(node, keys[-1], item, keys[:-1])] = value
        else:
            node[keys[-1]] = value
    return out


def _index(items: list, key: str, item: str, path: list[str]) -> int:
    """``key`` as an index into ``items`` (the list at ``path``), or a ConfigError saying how to address it."""
    where = ".".join(path)
    if not key.isdigit():
        raise ConfigError(f"--set {item!r}: {where} is a list; address an item by its index, "
                          f"e.g. {where}.0 (or give the whole list: {where}=[...])")
    if int(key) >= len(items):
        raise ConfigError(f"--set {item!r}: {where} has {len(items)} item(s); indexes start at 0")
    return int(key)


def from_dict(cls: type[T], data: dict | None, prefix: str = "") -> T:
    """Build dataclass ``cls`` from a mapping with type checks; unknown keys name close matches."""
    data = data or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{prefix or cls.__name__}: expected a mapping, got {type(data).__name__}")
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for key in data:
        if key not in fields:
            close = difflib.get_close_matches(str(key), list(fields), n=1)
            hint = f"; did you mean {prefix}{close[0]}?" if close else f"; valid fields: {', '.join(fields)}"
            raise ConfigError(f"unknown config field {prefix}{key}{hint}")
    kwargs = {}
    for name, value in data.items():
        kwargs[name] = _coerce(value, hints[name], f"{prefix}{name}")
    try:
        return cls(**kwargs)
    except ConfigError as exc:
        field_name = str(exc).split(": ", 1)[0]
        if prefix and ": " in str(exc) and " " not in field_name and not field_name.startswith(prefix):
            # a __post_init__ check names its field; inside a recipe section it needs the section too
            raise ConfigError(f"{prefix}{exc}") from None
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{prefix or cls.__name__}: {exc}") from None


def _coerce(value: Any, tp: Any, path: str) -> Any:
    """Check ``value`` against type ``tp`` (converting where lossless) or raise ConfigError naming ``path``."""
    origin = get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg, path)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"{path}: invalid value {value!r}")
    if origin is Literal:
        choices = get_args(tp)
        if value not in choices:
            raise ConfigError(f"{path}: {value!r} is not one of {', '.join(map(str, choices))}")
        return value
    if dataclasses.is_dataclass(tp):
        if dataclasses.is_dataclass(value):
            return value
        return from_dict(tp, value, prefix=f"{path}.")
    if origin in (list, tuple) or tp in (list, tuple):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and origin is list:
            value = [value]  # --set a.paths=x gives a one-item list
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{path}: expected a list, got {value!r}")
        args = get_args(tp)
        inner = args[0] if args else Any
        items = [_coerce(v, inner, f"{path}[{i}]") for i, v in enumerate(value)]
        return items if origin is list or tp is list else tuple(items)
    if origin is dict or tp is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: expected a mapping of key: value, got {value!r}")
        args = get_args(tp)
        kt, vt = args if args else (Any, Any)
        return {_coerce(k, kt, f"{path}") : _coerce(v, vt, f"{path}.{k}") for k, v in value.items()}
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{path}: expected true or false, got {value!r}")
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ConfigError(f"{path}: expected an integer, got {value!r}")
    if tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)  # YAML 1.1 reads 1e-4 as a string
            except ValueError:
                pass
        raise ConfigError(f"{path}: expected a number, got {value!r}")
    if tp is str:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        raise ConfigError(f"{path}: expected a string, got {value!r}")
    if tp is Path:
        if isinstance(value, (str, Path)):
            return Path(value)
        raise ConfigError(f"{path}: expected a path, got {value!r}")
    return value


def load_config(cls: type[T], path: str | Path | None = None, overrides: typing.Iterable[str] = (),
                base: dict | None = None) -> T:
    """Load ``cls`` from optional YAML ``path``, layered over ``base`` and under ``overrides``."""
    data = copy.deepcopy(base or {})
    if path is not None:
        _merge(data, load_yaml(path))
    data = apply_overrides(data, overrides)
    return from_dict(cls, data)


def _merge(dst: dict, src: dict) -> dict:
    for k, v in src.items():
        if isinstance(v, dict) and isinstance(dst.get(k), dict):
            _merge(dst[k], v)
        else:
            dst[k] = v
    return dst


def to_dict(obj: Any) -> Any:
    """Plain YAML-safe data for a (nested) dataclass: Paths become strings, tuples lists."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    return obj


def config_changes(saved: dict, obj: Any, ignore: typing.Iterable[str] = (),
                   ordered: typing.Iterable[str] = ()) -> list[str]:
    """``"field: old -> new"`` for each top-level field where the config saved beside an output (``saved``)
    and ``obj`` differ, ``ignore`` left out: a re-run into that output would not be the same run. Mappings
    named in ``ordered`` also differ when only their order does (e.g. the order languages are learned in)."""
    new = to_dict(obj)
    skip, keep_order = set(ignore), set(ordered)

    def same(k: str) -> bool:
        a, b = saved.get(k), new.get(k)
        if k in keep_order and isinstance(a, dict) and isinstance(b, dict):
            return list(a.items()) == list(b.items())
        return a == b

    return [f"{k}: {saved.get(k)!r} -> {new.get(k)!r}" for k in dict.fromkeys([*saved, *new])
            if k not in skip and not same(k)]


def save_config(obj: Any, path: str | Path) -> Path:
    """Write the resolved config as YAML (atomically) and return the path."""
    from seapt.io import atomic_write_text

    text = yaml.safe_dump(to_dict(obj), sort_keys=False, allow_unicode=True)
    return atomic_write_text(path, text)


@functools.lru_cache(maxsize=None)
def field_docs(cls: type) -> dict[str, str]:
    """The docstring written under each field of dataclass ``cls`` (litgpt style)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    docs: dict[str, str] = {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for node, nxt in zip(body, body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
                docs[node.target.id] = " ".join(nxt.value.value.split())
    return docs


def undocumented_fields(cls: type) -> list[str]:
    """Dotted names of fields (recursively) that have no docstring; used by a test on every schema."""
    docs = field_docs(cls)
    missing = []
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name not in docs:
            missing.append(f"{cls.__name__}.{f.name}")
        tp = hints[f.name]
        for sub in (tp, *get_args(tp)):
            if dataclasses.is_dataclass(sub):
                missing.extend(undocumented_fields(sub))
    return missing


def check(condition: bool, field: str, message: str) -> None:
    """Raise ConfigError(f"{field}: {message}") unless ``condition``; for ``__post_init__`` checks."""
    if not condition:
        raise ConfigError(f"{field}: {message}")


# Which schema validates the YAML files under configs/ (folder -> "module:Class"); a test loads every
# shipped YAML against it. configs/accelerate/ holds accelerate's own files and is checked by accelerate.
SCHEMAS = {
    "corpus": "seapt.corpus.config:CorpusConfig",
    "tokenizer": "seapt.vocab.config:ExtendConfig",
    "pretrain": "seapt.train.config:PretrainConfig",
    "bench": "seapt.bench.suite:SuiteConfig",
    ".": "seapt.pipeline:RecipeConfig",
    "recipes": "seapt.pipeline:RecipeConfig",
}


def schema_for(folder: str) -> type:
    """The dataclass that validates YAML files in ``configs/<folder>`` (``.`` for recipes)."""
    import importlib

    module, _, name = SCHEMAS[folder].partition(":")
    return getattr(importlib.import_module(module), name)
