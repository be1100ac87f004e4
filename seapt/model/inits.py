"""The registry of embedding initialisers for new vocabulary rows (`seapt model extend --init NAME`).

An initialiser is a function ``fill(weight, rows) -> values | None`` registered under a name with a one-line
help; config validation, the CLI help and the recipe's model section read the names from INITIALISERS.
Adding one is one function here (or in any module imported before use) and its test:

    @register_init("zeros", "all zeros (a baseline)")
    def _zeros(weight, rows):
        return torch.zeros((len(rows.ids),) + tuple(weight.shape[1:]))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Rows:
    """What an initialiser knows about the rows it fills (one weight at a time: input, output, bias)."""

    ids: list[int]
    """The rows to fill (new tokens' ids and padding rows)."""
    index: Any
    """``ids`` as a torch.long tensor."""
    pieces: dict[int, list[int]]
    """Per new token id, the base token ids of its base tokenisation (empty when it has none)."""
    base_rows: int
    """Rows of the base vocabulary: base statistics come from weight[:base_rows]."""
    old_rows: int
    """Rows the weight had before it was resized."""
    generator: Any
    """torch.Generator seeded once per extension, shared by the weights in order (re-runs are identical)."""
    bias: bool = False
    """True for the output bias (a vector): initialisers that sample should not favour new tokens there."""


@dataclass(frozen=True)
class Initialiser:
    name: str
    help: str
    """One line for the CLI help and docs."""
    fill: Callable[[Any, Rows], Any]
    """``fill(weight, rows)``: values for rows.ids (cast to weight's dtype by the caller), or None when it
    wrote the weight itself."""
    mean_resizing: bool = False
    """Ask transformers' resize_token_embeddings for mean_resizing (its own sampled init of the new rows)."""


INITIALISERS: dict[str, Initialiser] = {}


def register_init(name: str, help: str, *, mean_resizing: bool = False):
    """Decorator: register ``fill`` as the initialiser ``name``."""

    def wrap(fill):
        if name in INITIALISERS:
            raise ValueError(f"embedding initialiser {name!r} is registered twice")
        INITIALISERS[name] = Initialiser(name, help, fill, mean_resizing)
        return fill

    return wrap


def init_names() -> str:
    """The registered names as a sentence fragment: 'mean, random or hf-mean'."""
    names = list(INITIALISERS)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _piece_means(weight, pieces: list[list[int]], fallback):
    """Row i = mean of ``weight[pieces[i]]`` in fp32 (``fallback`` where pieces[i] is empty)."""
    import torch

    flat = torch.tensor([p for ps in pieces for p in ps], dtype=torch.long)
    owner = torch.tensor([k for k, ps in enumerate(pieces) for _ in ps], dtype=torch.long)
    sums = torch.zeros((len(pieces),) + tuple(weight.shape[1:]), dtype=torch.float32)
    if len(flat):
        sums.index_add_(0, owner, weight[flat].float())
    counts = torch.tensor([len(ps) for ps in pieces], dtype=torch.float32)
    means = sums / counts.clamp(min=1).view(-1, *([1] * (weight.dim() - 1)))
    means[counts == 0] = fallback
    return means


@register_init("mean", "mean of the base pieces' rows (Gee et al. 2022)")
def _mean(weight, rows: Rows):
    mu = weight[: rows.base_rows].float().mean(0)
    return _piece_means(weight, [rows.pieces.get(r, []) for r in rows.ids], mu)


@register_init("random", "normal with the base rows' per-dimension mean and std")
def _random(weight, rows: Rows):
    import torch

    base = weight[: rows.base_rows].float()
    mu = base.mean(0)
    if rows.bias:  # a bias gets its mean, so no new token starts out favoured
        return mu.expand((len(rows.ids),) + tuple(weight.shape[1:]))
    noise = torch.randn((len(rows.ids),) + tuple(weight.shape[1:]), generator=rows.generator)
    return mu + base.std(0) * noise


@register_init("hf-mean", "transformers' mean_resizing (Hewitt 2021)", mean_resizing=True)
def _hf_mean(weight, rows: Rows):
    # transformers sampled the rows it added; rows that existed beyond the base tokenizer (below old_rows)
    # get the mean its sampler is centred on
    index = rows.index[rows.index < rows.old_rows]
    weight[index] = weight[: rows.old_rows].float().mean(0).to(weight.dtype)
    return None
