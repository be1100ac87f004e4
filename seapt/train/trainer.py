"""Model loading, per-stage trainable parameters and the Trainer subclass (embedding LR, SimCSE loss).

Stage ``new_embeddings`` freezes everything except the input embeddings and the output head and zeroes
the gradient of rows below ``base_vocab_size``; embeddings get no weight decay, so AdamW leaves those base
rows bit-identical. Stage ``all_but_base_rows`` trains every parameter with the same row mask (the base
vocabulary's rows, which English text uses, stay the base's). Stage ``lora`` wraps the model with peft LoRA, keeping embeddings and head fully
trainable (``modules_to_save``) so that new token rows learn and are saved in full.
"""

from __future__ import annotations

from pathlib import Path

from transformers import Trainer

from seapt.errors import ConfigError, IncompatibleError, InputError
from seapt.model.load import auto_class


def attn_candidates(requested: str, objective: str, document_mask: bool) -> list[str]:
    """Attention implementations to try in order: ``requested``, or for "auto" flex_attention (CUDA, causal
    LM, per-document mask: the mask becomes block-sparse instead of a dense SDPA mask) then sdpa."""
    if requested != "auto":
        return [requested]
    import torch

    flex = objective == "clm" and document_mask and torch.cuda.is_available()
    return ["flex_attention", "sdpa"] if flex else ["sdpa"]


def _first_loadable(cls, path: str, candidates: list[str]):
    """from_pretrained (fp32) with the first of ``candidates`` the model and torch support ("auto": FlexAttention,
    else sdpa); the last candidate's error is raised."""
    import torch

    for attn in candidates[:-1]:
        try:
            return cls.from_pretrained(path, dtype=torch.float32, attn_implementation=attn)
        except (ValueError, ImportError):
            continue
    return cls.from_pretrained(path, dtype=torch.float32, attn_implementation=candidates[-1])


def load_for_training(path: str, objective: str, attn_implementation: str, document_mask: bool = False):
    """The model for ``objective`` (causal LM, masked LM or bare encoder: seapt.model.load.auto_class) in fp32
    (Trainer casts for bf16), with the first attention kernel that loads and no KV cache."""
    cls = auto_class(objective)
    if not Path(path).exists() and path.count("/") != 1:
        raise InputError(f"model not found: {path}")
    candidates = attn_candidates(attn_implementation, objective, document_mask)
    attn_implementation = candidates[-1]  # the one an error below is about
    try:
        model = _first_loadable(cls, path, candidates)
    except ValueError as exc:
        msg = str(exc)
        if "attn" in msg.lower() or "attention" in msg.lower():
            raise ConfigError(f"attn_implementation: {attn_implementation!r} is not supported by this model; "
                              f"try eager ({msg.splitlines()[0]})") from None
        raise IncompatibleError(f"{path}: cannot load as {cls.__name__} for objective {objective} "
                                f"({msg.splitlines()[0]})") from None
    except OSError as exc:
        raise InputError(f"{path}: not a loadable model folder ({str(exc).splitlines()[0]})") from None
    # No KV cache in training: besides wasting memory, a cache makes transformers skip the packed-sequence
    # (per-document) attention mask built from position_ids. _save_final restores the saved value.
    model.config.seapt_use_cache = getattr(model.config, "use_cache", None)
    model.config.use_cache = False
    return model


def base_vocab_size(model_dir: str, configured: int | None) -> int:
    """Rows below this id are the base vocabulary: the config value, else seapt_extension.json's."""
    if configured is not None:
        return configured
    meta = Path(model_dir) / "seapt_extension.json"
    if meta.is_file():
        from seapt.io import read_json

        value = read_json(meta).get("base_vocab_size")
        if isinstance(value, int):
            return value
    raise ConfigError("base_vocab_size: a new_embeddings stage needs it, and the model folder has no "
                      "seapt_extension.json with base_vocab_size; set it with --set base_vocab_size=N")


def embedding_module_names(model) -> set[str]:
    """Qualified module names of the input embeddings and the output head."""
    targets = {id(m) for m in (model.get_input_embeddings(), getattr(model, "get_output_embeddings", lambda: None)())
               if m is not None}
    return {name for name, mod in model.named_modules() if id(mod) in targets}


def setup_trainable(model, mode: str, *, base_rows: int | None = None, lora=None, objective: str = "clm"):
    """Set requires_grad for a stage and return the (possibly peft-wrapped) model."""
    if mode == "all":
        for p in model.parameters():
            p.requires_grad_(True)
        return model
    if mode in ("new_embeddings", "all_but_base_rows"):
        for p in model.parameters():
            p.requires_grad_(mode == "all_but_base_rows")
        _freeze_base_rows(model, base_rows, mode)
        return model
    from seapt.errors import require

    peft = require("peft", extra="peft")
    names = embedding_module_names(model)
    tied = getattr(model.config, "tie_word_embeddings", False)
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    if tied and head is not None:  # one shared matrix: adapting the input side trains both
        names = {n for n in names if dict(model.named_modules())[n] is model.get_input_embeddings()}
    task = {"clm": "CAUSAL_LM", "mlm": None, "contrastive": "FEATURE_EXTRACTION"}[objective]
    targets = lora.target_modules[0] if lora.target_modules == ["all-linear"] else list(lora.target_modules)
    config = peft.LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout, target_modules=targets,
                             modules_to_save=sorted(n.split(".")[-1] for n in names), task_type=task)
    return peft.get_peft_model(model, config)


def _freeze_base_rows(model, base_rows: int, mode: str) -> None:
    """Make the input embeddings and head trainable with the gradient of rows below ``base_rows`` zeroed (no
    weight decay on embeddings, so AdamW leaves those base rows bit-identical). Other parameters are untouched."""
    import os

    import torch

    from seapt.errors import UnsupportedError

    if "true" in (os.environ.get("ACCELERATE_USE_FSDP", "").lower(), os.environ.get("ACCELERATE_USE_DEEPSPEED", "").lower()):
        # FSDP / ZeRO-3 shard the embedding matrix, so the per-row gradient mask would be lost silently
        raise UnsupportedError(f"stages.train: {mode} masks base embedding rows, which FSDP and "
                               "DeepSpeed shard; run that stage with configs/accelerate/ddp.yaml")
    weights = {id(m.weight): m.weight for m in (model.get_input_embeddings(), model.get_output_embeddings())
               if m is not None and getattr(m, "weight", None) is not None}
    rows = next(iter(weights.values())).shape[0]
    if not 0 < base_rows < rows:
        raise ConfigError(f"base_vocab_size: {base_rows} leaves no new rows in an embedding of {rows} rows; "
                          "train a model from `seapt model extend` or use train: all")
    for w in weights.values():
        w.requires_grad_(True)
        keep = torch.ones(w.shape[0], 1, dtype=w.dtype)
        keep[:base_rows] = 0
        w.register_hook(lambda g, keep=keep: g * keep.to(g.device, g.dtype))


class SeaptTrainer(Trainer):
    """Trainer with a separate learning rate (and no decay) for embeddings and head, and SimCSE loss."""

    def __init__(self, *args, embedding_lr: float | None = None, embedding_names: set[str] = frozenset(),
                 simcse: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.embedding_lr, self.embedding_names, self.simcse = embedding_lr, embedding_names, simcse

    def _is_embedding(self, name: str) -> bool:
        return any(f"{n}." in name or name.startswith(n) for n in self.embedding_names)

    def create_optimizer(self, model=None):
        if self.optimizer is not None:
            return self.optimizer
        opt_model = self.model if model is None else model
        decay = set(self.get_decay_parameter_names(opt_model))
        groups = {"decay": [], "no_decay": [], "embeddings": []}
        seen = set()
        for name, p in opt_model.named_parameters():
            if not p.requires_grad or id(p) in seen:
                continue
            seen.add(id(p))
            key = "embeddings" if self._is_embedding(name) else ("decay" if name in decay else "no_decay")
            groups[key].append(p)
        lr = self.args.learning_rate
        spec = [{"params": groups["decay"], "weight_decay": self.args.weight_decay, "lr": lr},
                {"params": groups["no_decay"], "weight_decay": 0.0, "lr": lr},
                {"params": groups["embeddings"], "weight_decay": 0.0, "lr": self.embedding_lr or lr}]
        cls, kwargs = self.get_optimizer_cls_and_kwargs(self.args, opt_model)
        self.optimizer = cls([g for g in spec if g["params"]], **kwargs)
        return self.optimizer

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if self.simcse is None:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        from seapt.train.objectives import simcse_loss

        loss, out = simcse_loss(model, inputs, **self.simcse)
        return (loss, out) if return_outputs else loss
