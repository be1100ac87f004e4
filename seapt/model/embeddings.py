"""Grow a model's embeddings for an extended tokenizer and initialise the new rows; change nothing else.

    seapt model extend --base models/smollm2-135m --tokenizer tokenizers/smollm2-th --output runs/th/model
    from seapt.model.embeddings import extend_model
    extend_model("models/smollm2-135m", "tokenizers/smollm2-th", "runs/th/model", init="mean")

Rows are added to the input embeddings and, when untied, to the output head (and its bias), padded to a
multiple of ``pad_to_multiple_of``. Rows of base tokens are copied bit for bit, so on base-only input the
logits over the base vocabulary are unchanged. Rows a new token uses are initialised by ``init``, a name
registered in seapt.model.inits: ``mean`` (mean of the base rows of the token's base tokenisation — input
and output rows; Gee et al. 2022), ``random`` (per-dimension normal with the base rows' mean and std) or
``hf-mean`` (transformers' ``resize_token_embeddings(mean_resizing=True)``, Hewitt 2021). Rows that already
existed beyond the base tokenizer (Qwen pads its vocabulary) are initialised too when a new token takes them.
"""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path

from seapt.errors import ConfigError, IncompatibleError, InputError
from seapt.model.inits import INITIALISERS, Rows, init_names
from seapt.outputs import reuse_output
from seapt.quiet import quiet

METADATA = "seapt_extension.json"
SEED = 0
_REQUEST_KEYS = ("base", "tokenizer", "init", "dtype", "pad_to_multiple_of")


def _load_extended_tokenizer(tokenizer_dir: str | Path):
    from transformers import AutoTokenizer

    path = Path(tokenizer_dir)
    if not (path / "tokenizer.json").is_file() and not (path / "tokenizer_config.json").is_file():
        raise InputError(f"tokenizer folder {path} has no tokenizer.json (build it with seapt tokenizer extend)")
    try:
        return AutoTokenizer.from_pretrained(str(path))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot load tokenizer {path}: {str(exc).splitlines()[0]}") from None


def plan(base_tokenizer, extended_tokenizer, base_name: str = "the base") -> dict:
    """Check that ``extended_tokenizer`` keeps every base token at its id; return
    {"base_vocab_size", "vocab_size", "new_ids", "added_ids"} (added_ids: new ids that are added tokens)."""
    base_vocab = base_tokenizer.get_vocab()
    ext_vocab = extended_tokenizer.get_vocab()
    moved = [(tok, i) for tok, i in base_vocab.items() if ext_vocab.get(tok) != i]
    if moved:
        tok, i = moved[0]
        raise IncompatibleError(
            f"tokenizer is not an extension of {base_name}: {len(moved)} of {len(base_vocab)} base tokens "
            f"lost their id (e.g. {tok!r}: {i} -> {ext_vocab.get(tok)}); extend this base's tokenizer with "
            f"seapt tokenizer extend --base {base_name}"
        )
    base_ids = set(base_vocab.values())
    new_ids = sorted({i for i in ext_vocab.values() if i not in base_ids})
    added_ids = set(extended_tokenizer.added_tokens_decoder) - base_ids
    return {
        "base_vocab_size": max(base_ids) + 1,
        "vocab_size": max(ext_vocab.values()) + 1,
        "new_ids": new_ids,
        "added_ids": added_ids,
    }


def target_rows(old_rows: int, vocab_size: int, pad_to_multiple_of: int | None) -> int:
    """Rows after extension: never fewer than before; grown to ``vocab_size`` rounded up to the padding."""
    if vocab_size <= old_rows:
        return old_rows
    step = pad_to_multiple_of or 1
    return int(math.ceil(vocab_size / step) * step)


def _weights(model):
    """(input weight, output weight or None when tied/absent, output bias or None)."""
    inp = model.get_input_embeddings().weight
    out_module = model.get_output_embeddings()
    if out_module is None:
        return inp, None, None
    out = out_module.weight
    bias = getattr(out_module, "bias", None)
    return inp, (None if out.data_ptr() == inp.data_ptr() else out), bias


def initialise_rows(model, rows: list[int], pieces: dict[int, list[int]], init: str, base_rows: int,
                    old_rows: int) -> None:
    """Write rows ``rows`` of the input (and untied output) embeddings and output bias with the registered
    initialiser ``init`` (seapt.model.inits); base statistics come from the first ``base_rows`` rows."""
    import torch

    if not rows:
        return
    fill = INITIALISERS[init].fill
    ctx = Rows(rows, torch.tensor(rows, dtype=torch.long), pieces, base_rows, old_rows,
               torch.Generator().manual_seed(SEED))
    inp, out, bias = _weights(model)
    with torch.no_grad():
        for weight in (inp, out, bias):
            if weight is not None:
                ctx.bias = weight is bias
                values = fill(weight, ctx)
                if values is not None:
                    weight[ctx.index] = values.to(weight.dtype)


def _request(base, tokenizer_dir, init, dtype, pad_to_multiple_of) -> dict:
    return {"base": str(base), "tokenizer": str(tokenizer_dir), "init": init, "dtype": dtype,
            "pad_to_multiple_of": pad_to_multiple_of}


def _resume(out: Path, request: dict, overwrite: bool) -> dict | None:
    """The metadata of a finished output made with ``request`` (the seapt.outputs rule for other settings)."""
    from seapt.io import is_done, read_json

    meta = read_json(out / METADATA) if is_done(out) else None
    saved = {k: meta.get(k) for k in _REQUEST_KEYS} if meta is not None else None
    return meta if reuse_output(out, saved, request, overwrite=overwrite, what="an extended model") else None


def extend_model(base: str, tokenizer_dir: str, output: str, init: str = "mean", dtype: str | None = None,
                 pad_to_multiple_of: int = 64, *, progress: bool = True, overwrite: bool = False) -> dict:
    """Write ``output``: the base model with embeddings grown for ``tokenizer_dir`` (an extension of the
    base's tokenizer), that tokenizer, and seapt_extension.json (returned). Re-running on a finished
    output with the same arguments returns its metadata; with other arguments it is a ConfigError, or with
    ``overwrite`` the output is deleted and redone (seapt.outputs)."""
    import torch
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from seapt.io import mark_done, read_json, require_path, write_json
    from seapt.model.load import load_config_and_tokenizer, load_with_info, torch_dtype
    from seapt.model.pieces import BasePieces

    if init not in INITIALISERS:
        raise ConfigError(f"init {init!r} is not supported: use {init_names()}")
    if pad_to_multiple_of is not None and pad_to_multiple_of < 1:
        raise ConfigError("pad_to_multiple_of must be a positive integer (64 suits tensor cores)")
    out = Path(output)
    request = _request(base, tokenizer_dir, init, dtype, pad_to_multiple_of)
    if (done := _resume(out, request, overwrite)) is not None:
        return done
    target_dtype = torch_dtype(dtype)
    require_path(tokenizer_dir, "tokenizer folder")
    started = time.perf_counter()
    steps = ["check tokenizer", "load base model", "resize embeddings", f"initialise ({init})", "save"]
    with quiet(progress), Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                      disable=not progress, transient=True) as bar:
        task = bar.add_task(steps[0], total=len(steps))
        _, base_tok = load_config_and_tokenizer(base)
        ext_tok = _load_extended_tokenizer(tokenizer_dir)
        info = plan(base_tok, ext_tok, str(base))
        bar.update(task, advance=1, description=steps[1])
        model, base_tok, head_missing = load_with_info(base, objective=None)
        bar.update(task, advance=1, description=steps[2])
        old_rows = model.get_input_embeddings().weight.shape[0]
        new_rows = target_rows(old_rows, info["vocab_size"], pad_to_multiple_of)
        if new_rows != old_rows:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(SEED)  # hf-mean samples; keeps re-runs identical
                model.resize_token_embeddings(new_rows, mean_resizing=INITIALISERS[init].mean_resizing)
        bar.update(task, advance=1, description=steps[3])
        splitter = BasePieces(base_tok)
        pieces = {i: splitter(ext_tok.convert_ids_to_tokens(i), added=i in info["added_ids"])
                  for i in info["new_ids"]}
        rows = sorted(set(info["new_ids"]) | set(range(old_rows, new_rows)))
        base_rows = min(info["base_vocab_size"], old_rows)
        initialise_rows(model, rows, pieces, init, base_rows, old_rows)
        if target_dtype is not None:
            model = model.to(target_dtype)
        bar.update(task, advance=1, description=steps[4])
        if not ext_tok.chat_template and getattr(base_tok, "chat_template", None):
            ext_tok.chat_template = base_tok.chat_template
        out.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(out)
        ext_tok.save_pretrained(out)
        sp_model = Path(tokenizer_dir) / "tokenizer.model"  # transformers 5 saves only tokenizer.json;
        if sp_model.is_file():  # keep the grown SentencePiece model (llama.cpp conversion, slow tokenizers)
            shutil.copy2(sp_model, out / sp_model.name)
        bar.update(task, advance=1)
    ext_json = Path(tokenizer_dir) / "extension.json"
    inp, untied_out, _ = _weights(model)
    n_pieces = [len(p) for p in pieces.values()]
    meta = {
        **request,
        "architecture": type(model).__name__,
        "objective": "mlm" if type(model).__name__.endswith("ForMaskedLM") else "clm",
        "model_dtype": str(inp.dtype).removeprefix("torch."),
        "tied": model.get_output_embeddings() is not None and untied_out is None,
        "base_vocab_size": info["base_vocab_size"],
        "vocab_size": info["vocab_size"],
        "added_tokens": len(info["new_ids"]),
        "added": read_json(ext_json).get("added") if ext_json.is_file() else None,
        "rows_before": old_rows,
        "rows_after": new_rows,
        "reused_rows": sum(1 for i in info["new_ids"] if i >= base_rows and i < old_rows),
        "padding_rows": len(set(range(old_rows, new_rows)) - set(info["new_ids"])),
        "pieces_per_token": round(sum(n_pieces) / len(n_pieces), 3) if n_pieces else 0.0,
        "tokens_without_pieces": sum(1 for n in n_pieces if n == 0),
        "mlm_head_initialised": head_missing,
        "seed": SEED,
        "seconds": round(time.perf_counter() - started, 2),
    }
    write_json(out / METADATA, meta)
    mark_done(out, {"stage": "model extend"})
    return meta
