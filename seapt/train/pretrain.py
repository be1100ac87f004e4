"""Continued pretraining on transformers' Trainer: data mixture, stages, metrics, exact resume.

    seapt pretrain --model runs/th/model --data th=corpus/th --english corpus/en:0.1 --output runs/th/train
    accelerate launch --config_file configs/accelerate/fsdp.yaml cli.py pretrain --config configs/pretrain/x.yaml
    torchrun --nproc_per_node 8 --no-python seapt pretrain --config configs/pretrain/x.yaml

Library entry point: ``pretrain(cfg) -> summary``. Re-running on the same output folder resumes each stage
from its last complete checkpoint (model, optimizer, scheduler, RNG, data position) and skips finished
stages; a finished run returns at once. Only global rank 0 writes files.
"""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path

from seapt.config import save_config
from seapt.errors import ConfigError, IncompatibleError, InputError
from seapt.io import is_done, mark_done, read_json
from seapt.train.config import PretrainConfig


def _training_args(cfg: PretrainConfig, stage, out_dir: Path):
    import inspect

    import torch
    from transformers import TrainingArguments

    cuda = torch.cuda.is_available()
    if cfg.precision == "bf16" and not (cuda and torch.cuda.is_bf16_supported()):
        raise ConfigError("precision: bf16 needs a GPU with bf16 support; use auto or fp32")
    bf16 = cfg.precision == "bf16" or (cfg.precision == "auto" and cuda and torch.cuda.is_bf16_supported())
    # transformers >= 5.2x names it activation_checkpointing; earlier 5.x releases only gradient_checkpointing.
    names = inspect.signature(TrainingArguments.__init__).parameters
    ckpt = "activation_checkpointing" if "activation_checkpointing" in names else "gradient_checkpointing"
    return TrainingArguments(
        output_dir=str(out_dir), max_steps=stage.steps, per_device_train_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        learning_rate=stage.learning_rate or cfg.learning_rate, weight_decay=cfg.weight_decay,
        # transformers 5 takes the warmup ratio as warmup_steps: a float in [0, 1) is a share of max_steps
        # (it has no warmup_ratio argument); config checks 0 <= warmup_ratio < 1
        warmup_steps=cfg.warmup_ratio, lr_scheduler_type=cfg.lr_scheduler, max_grad_norm=cfg.max_grad_norm,
        seed=cfg.seed, logging_steps=cfg.log_steps, save_strategy="steps", save_steps=cfg.save_steps,
        save_total_limit=cfg.save_total_limit, eval_strategy="no", bf16=bf16, use_cpu=not cuda,
        **{ckpt: cfg.gradient_checkpointing}, torch_compile=cfg.compile, report_to=cfg.report_to,
        dataloader_num_workers=cfg.dataloader_workers, disable_tqdm=True, train_sampling_strategy="sequential",
        remove_unused_columns=False, ddp_find_unused_parameters=False,
    )


def _special_ids(tokenizer, objective: str) -> tuple[int, int]:
    """(separator, pad) ids: EOS between documents for decoders, SEP (else EOS) for encoders."""
    order = ("eos_token_id", "sep_token_id") if objective == "clm" else ("sep_token_id", "eos_token_id")
    sep = next((getattr(tokenizer, k) for k in order if getattr(tokenizer, k, None) is not None), None)
    if sep is None:
        raise IncompatibleError("the tokenizer has no EOS or SEP token to separate packed documents")
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else sep
    return int(sep), int(pad)


def _build_data(cfg: PretrainConfig, tokenizer, sources, weights, total_items: int):
    from seapt.train.data import MixedBlocks

    _, pad = _special_ids(tokenizer, cfg.objective)
    transform = None
    if cfg.objective == "mlm":
        from seapt.train.objectives import MlmMasking

        transform = MlmMasking(tokenizer, cfg.mlm_probability, cfg.seed, set(tokenizer.all_special_ids),
                               cfg.whole_word_masking)
    unit = "document" if cfg.objective == "contrastive" else "block"
    return MixedBlocks(sources, weights, total_items, cfg.block_size, seed=cfg.seed, pad_id=pad, unit=unit,
                       position_ids=cfg.objective == "clm" and cfg.document_mask, transform=transform)


def _load_sources(cfg: PretrainConfig, tokenizer):
    """Tokenise raw sources and eval sets (before any collective) and map their shards:
    (training sources, weights, eval sets)."""
    from seapt.train.eval_data import load_eval_sets
    from seapt.train.sources import load_sources

    sep, _ = _special_ids(tokenizer, cfg.objective)
    separator = "eos" if sep == tokenizer.eos_token_id else "sep"
    sources, weights = load_sources(cfg, tokenizer, sep, separator)
    return sources, weights, load_eval_sets(cfg, tokenizer, separator)


def _check_model(cfg: PretrainConfig, model, tokenizer, sources=()) -> None:
    rows = model.get_input_embeddings().weight.shape[0]
    for src in sources:
        top = src.info.get("max_id", -1)
        if top >= rows:
            raise IncompatibleError(f"source {src.name} holds token id {top} but the model has only {rows} "
                                    "embedding rows; tokenise it with this model's tokenizer")
    if len(tokenizer) > rows:
        raise IncompatibleError(f"the tokenizer has {len(tokenizer)} tokens but the model only {rows} embedding "
                                "rows; run `seapt model extend` with this tokenizer first")
    limit = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", None)
    if limit and model.config.model_type in ("roberta", "xlm-roberta", "camembert"):
        limit -= 2  # these offset positions by padding_idx + 1
    if limit and cfg.block_size > limit:
        raise ConfigError(f"block_size: {cfg.block_size} exceeds the model's {limit} positions; lower it")


def _save_final(trainer, model, tokenizer, cfg: PretrainConfig, model_dir: str, final: Path, info: dict) -> None:
    config = trainer.accelerator.unwrap_model(model).config
    if hasattr(config, "seapt_use_cache"):
        config.use_cache = config.seapt_use_cache
        del config.seapt_use_cache
    if hasattr(model, "merge_and_unload"):  # peft: merge LoRA into the weights, save a plain model
        model = model.merge_and_unload()
        if trainer.args.process_index == 0:
            model.save_pretrained(final)
    else:
        trainer.save_model(str(final))
    if trainer.args.process_index == 0:
        tokenizer.save_pretrained(final)
        for name in ("seapt_extension.json", "tokenizer.model"):  # tokenizer.save_pretrained drops the latter
            if (meta := Path(model_dir) / name).is_file() and not (final / name).is_file():
                shutil.copy2(meta, final / name)
        mark_done(final, info)


# fields that do not change the trained weights: a finished run re-run with other values is still that run
_NOT_IN_RESULT = {"output", "eval", "eval_max_bytes", "eval_batch_size", "save_steps", "save_total_limit",
                  "eval_steps", "log_steps", "gradient_checkpointing", "compile", "attn_implementation",
                  "report_to", "dataloader_workers", "cpu_threads", "tokenize_workers", "tokenize_wait_s"}


def _check_finished(cfg: PretrainConfig, out: Path, overwrite: bool) -> bool:
    """Whether ``out`` holds a finished run of these settings (the seapt.outputs rule for other settings)."""
    from seapt.config import load_yaml
    from seapt.outputs import reuse_output

    if not (out / "run.yaml").is_file():  # finished before run.yaml was written beside it: nothing to compare
        return True
    return reuse_output(out, load_yaml(out / "run.yaml"), cfg, ignore=_NOT_IN_RESULT, overwrite=overwrite,
                        what="a finished run")


def pretrain(cfg: PretrainConfig, callbacks=(), overwrite: bool = False) -> dict:
    """Run (or resume) every stage of ``cfg``; returns {steps, tokens_seen, seconds, final_dir, metrics}.
    A finished run of other settings is an error, or with ``overwrite`` deleted and redone (seapt.outputs)."""
    import numpy as np
    from accelerate import PartialState
    from torch.utils.data import Subset
    from transformers import AutoTokenizer, PrinterCallback, default_data_collator, set_seed
    from transformers.utils import logging as hf_logging

    from seapt.train import callbacks as cb
    from seapt.train.trainer import (
        SeaptTrainer,
        base_vocab_size,
        embedding_module_names,
        load_for_training,
        setup_trainable,
    )

    hf_logging.disable_progress_bar()  # our rich bar is the progress; no per-shard bars
    out = Path(cfg.output)
    final = out / "final"
    if is_done(final) and _check_finished(cfg, out, overwrite):
        return read_json(final / ".done")
    start = time.time()
    if cfg.cpu_threads is not None:
        import torch

        torch.set_num_threads(cfg.cpu_threads)
    stages = cfg.resolved_stages()
    total_steps = sum(s.steps for s in stages)
    if not Path(cfg.model).exists() and (cfg.model.count("/") != 1 or cfg.model.startswith((".", "/"))):
        raise InputError(f"model not found: {cfg.model} (give a model folder or a Hub id ORG/NAME)")
    try:
        tokenizer = AutoTokenizer.from_pretrained(cfg.model)
    except (OSError, ValueError) as exc:
        raise InputError(f"{cfg.model}: cannot load its tokenizer ({str(exc).splitlines()[0]})") from None
    sources, weights, eval_sets = _load_sources(cfg, tokenizer)  # before the process group: no rank waits in a collective
    args = _training_args(cfg, stages[0], out)
    if args.process_index == 0:
        out.mkdir(parents=True, exist_ok=True)
        save_config(cfg, out / "run.yaml")
    global_batch = cfg.batch_size * cfg.gradient_accumulation_steps * args.world_size
    data = _build_data(cfg, tokenizer, sources, weights, total_steps * global_batch)
    if args.process_index == 0:
        epochs = data.epochs(len(data))
        print("epochs per source: " + ", ".join(f"{k} {v:g}" for k, v in epochs.items()), flush=True)
    metrics_path = out / "metrics.jsonl"
    model_dir, offset, summary = cfg.model, 0, {}
    for n, stage in enumerate(stages):
        last = n == len(stages) - 1
        stage_dir = out if last else out / f"stage-{stage.name}"
        stage_final = final if last else stage_dir / "final"
        items = slice(offset * global_batch, (offset + stage.steps) * global_batch)
        if is_done(stage_final):
            model_dir, offset = str(stage_final), offset + stage.steps
            continue
        args = _training_args(cfg, stage, stage_dir)
        resume = None
        if args.process_index == 0:
            cb.remove_incomplete(stage_dir)
        PartialState().wait_for_everyone()  # all ranks see the folder after rank 0 cleaned it
        done = cb.complete_checkpoints(stage_dir)
        if done:
            resume = str(done[-1])
        if args.process_index == 0:
            # without a checkpoint the first stage re-makes its step-0 eval line, so drop the old one
            kept = offset + int(done[-1].name.split("-")[1]) if done else (offset if n else -1)
            cb.truncate_metrics(metrics_path, kept)
        set_seed(cfg.seed)
        model = load_for_training(model_dir, cfg.objective, cfg.attn_implementation, cfg.document_mask)
        _check_model(cfg, model, tokenizer, sources)
        emb_names = embedding_module_names(model)
        base_rows = base_vocab_size(cfg.model, cfg.base_vocab_size) if stage.train in ("new_embeddings", "all_but_base_rows") else None
        model = setup_trainable(model, stage.train, base_rows=base_rows, lora=cfg.lora, objective=cfg.objective)
        real = data.real_tokens(0, items.stop)
        src = data.src[: items.stop]
        by_source = {s.name: (int(real[: items.start][src[: items.start] == k].sum()),
                              np.cumsum(np.where(src[items] == k, real[items], 0)))
                     for k, s in enumerate(data.sources)}
        metrics = cb.Metrics(metrics_path, stage=stage.name, step_offset=offset,
                             tokens_before=int(real[: items.start].sum()), tokens_cum=np.cumsum(real[items]),
                             by_source=by_source, global_batch=global_batch, eval_sets=eval_sets,
                             eval_max_bytes=cfg.eval_max_bytes,
                             tokenizer=tokenizer, eval_steps=cfg.eval_steps, block_size=cfg.block_size,
                             eval_batch_size=cfg.eval_batch_size, eval_at_start=n == 0 and resume is None)
        # Blocks are already packed to one length: stack them. (Left as None, Trainer would pad with the
        # tokenizer, which fails for tokenizers without a pad token, e.g. Llama-3.)
        collator = default_data_collator
        if cfg.objective == "contrastive":
            from seapt.train.objectives import SentenceCollator

            collator = SentenceCollator(tokenizer, cfg.block_size)
        simcse = ({"temperature": cfg.contrastive_temperature, "pooling": cfg.contrastive_pooling}
                  if cfg.objective == "contrastive" else None)
        trainer = SeaptTrainer(
            model=model, args=args, train_dataset=Subset(data, range(items.start, items.stop)),
            processing_class=tokenizer, data_collator=collator,
            callbacks=[cb.CheckpointMarker(), metrics, cb.RichProgress(f"{stage.name} ({n + 1}/{len(stages)})"),
                       *callbacks],
            embedding_lr=stage.embedding_learning_rate or cfg.embedding_learning_rate,
            embedding_names=emb_names, simcse=simcse)
        trainer.remove_callback(PrinterCallback)
        result = trainer.train(resume_from_checkpoint=resume)
        offset += stage.steps
        summary = {"steps": offset, "tokens_seen": metrics.tokens_seen(stage.steps),
                   "seconds": round(time.time() - start, 3), "final_dir": str(final),
                   "metrics": metrics.last, "train_loss": result.training_loss}
        _save_final(trainer, trainer.model, tokenizer, cfg, cfg.model, stage_final, summary)
        model_dir = str(stage_final)
        trainer.accelerator.wait_for_everyone()
    if not math.isfinite(summary.get("train_loss", 0.0)):
        raise ConfigError("learning_rate: training diverged (loss is not finite); lower the learning rate")
    return summary
