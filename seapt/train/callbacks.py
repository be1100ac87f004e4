"""Trainer callbacks: metrics.jsonl with bits-per-byte evaluation, checkpoint completion markers, progress.

A checkpoint counts only once ``on_save`` has run, i.e. after Trainer wrote the model, optimizer,
scheduler, RNG and trainer state: the marker ``seapt_complete.json`` is written then (by rank 0, atomically).
A folder without it is an interrupted write and is never resumed from (torchtitan does the same).
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

from transformers import TrainerCallback

COMPLETE = "seapt_complete.json"
_CKPT = re.compile(r"^checkpoint-(\d+)$")


def complete_checkpoints(folder: str | Path) -> list[Path]:
    """Complete checkpoint-N folders under ``folder``, oldest first."""
    found = []
    for p in Path(folder).glob("checkpoint-*"):
        m = _CKPT.match(p.name)
        if m and p.is_dir() and (p / COMPLETE).is_file():
            found.append((int(m.group(1)), p))
    return [p for _, p in sorted(found)]


def remove_incomplete(folder: str | Path) -> list[Path]:
    """Delete checkpoint-N folders without a completion marker (interrupted writes); returns them."""
    gone = []
    for p in Path(folder).glob("checkpoint-*"):
        if _CKPT.match(p.name) and p.is_dir() and not (p / COMPLETE).is_file():
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p)
    return gone


def truncate_metrics(path: Path, last_step: int) -> None:
    """Keep only metrics.jsonl lines up to ``last_step`` (lines after a checkpoint are re-made on resume)."""
    if not path.is_file():
        return
    from seapt.io import atomic_write_text

    keep = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and json.loads(line)["step"] <= last_step]
    atomic_write_text(path, "".join(line + "\n" for line in keep))


class CheckpointMarker(TrainerCallback):
    """Mark each checkpoint complete after Trainer finished writing it."""

    def on_save(self, args, state, control, **kwargs):
        if state.is_world_process_zero:
            from seapt.io import write_json

            folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
            write_json(folder / COMPLETE, {"step": state.global_step})


class Metrics(TrainerCallback):
    """Append {step, stage, loss, lr, tokens_seen, tokens_<L>, eval_bpb_<L>} to metrics.jsonl at each log step.

    ``eval_sets`` maps a language to its held-out documents (seapt.train.eval_data.EvalSet, at most
    ``eval_max_bytes`` of them, whole documents); bits per byte (seapt.bench.intrinsic) is measured on
    every process (FSDP needs all ranks in the forward) at step 0 of the first stage, every ``eval_steps``
    and at the last step; only rank 0 writes.
    """

    def __init__(self, path: Path, *, stage: str, step_offset: int, tokens_before: int, tokens_cum,
                 global_batch: int, eval_sets: dict, tokenizer, eval_steps: int, block_size: int,
                 eval_batch_size: int, eval_at_start: bool, printer=None, by_source: dict | None = None,
                 eval_max_bytes: int | None = None):
        self.path, self.stage, self.offset, self.tokens_before = path, stage, step_offset, tokens_before
        self.tokens_cum, self.global_batch = tokens_cum, global_batch
        self.by_source = by_source or {}  # source name -> (tokens before this stage, cumulative per item)
        self.eval_sets, self.tokenizer, self.eval_steps = eval_sets, tokenizer, eval_steps
        self.block_size, self.eval_batch_size, self.eval_at_start = block_size, eval_batch_size, eval_at_start
        self.eval_max_bytes = eval_max_bytes
        self.pending: dict = {}
        self.printer = printer
        self.last: dict = {}

    def tokens_seen(self, step: int) -> int:
        n = min(step * self.global_batch, len(self.tokens_cum))
        return self.tokens_before + (int(self.tokens_cum[n - 1]) if n else 0)

    def source_tokens(self, step: int) -> dict:
        """{tokens_<L>: tokens of source L seen after ``step`` steps of this stage}."""
        n = min(step * self.global_batch, len(self.tokens_cum))
        return {f"tokens_{name}": before + (int(cum[n - 1]) if n else 0)
                for name, (before, cum) in self.by_source.items()}

    def _evaluate(self, model) -> dict:
        from seapt.bench.intrinsic import bits_per_byte_encoded

        out = {}
        for lang, docs in self.eval_sets.items():
            res = bits_per_byte_encoded(model, self.tokenizer, docs.documents(), block_size=self.block_size,
                                        batch_size=self.eval_batch_size, max_bytes=self.eval_max_bytes)
            out[f"eval_bpb_{lang}"] = round(res["bpb"], 6)
        return out

    def _write(self, record: dict, state) -> None:
        self.last = record
        if state.is_world_process_zero:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")
            if self.printer is not None:
                self.printer(record)

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        if self.eval_sets and self.eval_at_start and state.global_step == 0:
            record = {"step": self.offset, "stage": self.stage, "tokens_seen": self.tokens_before}
            record.update(self._evaluate(model))
            self._write(record, state)

    def on_step_end(self, args, state, control, model=None, **kwargs):
        step = state.global_step
        if self.eval_sets and (step % self.eval_steps == 0 or step == state.max_steps):
            self.pending = self._evaluate(model)
            control.should_log = True
        if step == state.max_steps or control.should_save:
            # a log line at every checkpoint: the loss a resumed run logs next averages the same steps
            control.should_log = True

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if "loss" not in logs:  # Trainer's end-of-training summary, not a log step
            return
        record = {"step": self.offset + state.global_step, "stage": self.stage,
                  "loss": round(float(logs["loss"]), 8), "lr": float(logs.get("learning_rate", math.nan)),
                  "tokens_seen": self.tokens_seen(state.global_step), **self.source_tokens(state.global_step)}
        if "grad_norm" in logs:
            record["grad_norm"] = round(float(logs["grad_norm"]), 6)
        record.update(self.pending)
        self.pending = {}
        self._write(record, state)


class RichProgress(TrainerCallback):
    """A rich progress bar over the optimizer steps of a stage (rank 0 only)."""

    def __init__(self, description: str):
        self.description, self.progress, self.task = description, None, None

    def on_train_begin(self, args, state, control, **kwargs):
        if not state.is_world_process_zero:
            return
        try:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        except ImportError:  # the library runs without rich (e.g. a bare GPU box); the bar is optional
            return

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[info]}"), TimeRemainingColumn(), transient=False,
                                 refresh_per_second=2)
        self.progress.start()
        self.task = self.progress.add_task(self.description, total=state.max_steps,
                                           completed=state.global_step, info="")

    def on_step_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.update(self.task, completed=state.global_step)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if self.progress is not None and logs and "loss" in logs:
            self.progress.update(self.task, info=f"loss {logs['loss']:.4f}")

    def on_train_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
