"""PretrainConfig: every option of `seapt pretrain` as a typed dataclass (YAML under configs/pretrain/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from seapt.config import check

TRAIN_MODES = ("new_embeddings", "all_but_base_rows", "all", "lora")


@dataclass
class StageConfig:
    """One training stage; stages run in order, each from the previous stage's final weights."""

    name: str = "full"
    """Short name; earlier stages write to OUTPUT/stage-<name>/, the last stage to OUTPUT itself."""
    steps: int = 1000
    """Optimizer steps in this stage."""
    train: Literal["new_embeddings", "all_but_base_rows", "all", "lora"] = "all"
    """What trains: new_embeddings (only rows >= base_vocab_size of the input and output embeddings; base
    rows stay bit-identical), all_but_base_rows (every parameter, but the base vocabulary's embedding rows stay
    bit-identical), all (every parameter), lora (peft LoRA adapters plus full embeddings and head)."""
    learning_rate: float | None = None
    """Peak learning rate of this stage; empty means the top-level learning_rate."""
    embedding_learning_rate: float | None = None
    """Peak learning rate of the embeddings and head in this stage; empty means the top-level value."""

    def __post_init__(self):
        check(bool(self.name) and "/" not in self.name, "stages.name", "give each stage a short name without '/'")
        check(self.steps >= 1, "stages.steps", f"must be at least 1, got {self.steps}")
        for key in ("learning_rate", "embedding_learning_rate"):
            value = getattr(self, key)
            check(value is None or value > 0, f"stages.{key}", f"must be positive, got {value}")


@dataclass
class LoraSettings:
    """peft LoRA settings used by stages with train: lora."""

    r: int = 16
    """LoRA rank."""
    alpha: int = 32
    """LoRA scaling alpha."""
    dropout: float = 0.05
    """Dropout on the LoRA path."""
    target_modules: list[str] = field(default_factory=lambda: ["all-linear"])
    """Module names to adapt; ["all-linear"] adapts every linear layer except the head."""

    def __post_init__(self):
        check(self.r >= 1, "lora.r", f"must be at least 1, got {self.r}")
        check(0 <= self.dropout < 1, "lora.dropout", f"must be in [0, 1), got {self.dropout}")
        check(bool(self.target_modules), "lora.target_modules", "list at least one module name or all-linear")


@dataclass
class PretrainConfig:
    """Continued pretraining of one model on per-language corpora with English replay."""

    model: str = ""
    """Model folder (from `seapt model extend`) or Hub id; its tokenizer is loaded from the same place."""
    output: str = ""
    """Output folder: checkpoint-*/, final/, metrics.jsonl, run.yaml. Re-running on it resumes."""
    objective: Literal["clm", "mlm", "contrastive"] = "clm"
    """clm: next-token prediction (decoders); mlm: masked LM (BERT family); contrastive: unsupervised
    SimCSE sentence embeddings (encoders)."""
    data: dict[str, str] = field(default_factory=dict)
    """Training data per language code: {th: PATH}; PATH is a folder from `seapt corpus tokenize` (memory-mapped
    as it is), or text: a prepared corpus folder, .jsonl(.gz), .txt, .parquet or hf://ORG/DATASET, first
    tokenised into OUTPUT/tokens/<L>/."""
    weights: dict[str, float] = field(default_factory=dict)
    """Mixing weight per language in data (relative shares of training blocks, i.e. of tokens; missing
    languages get 1.0)."""
    english: str | None = None
    """English replay text (same formats as data); guards against forgetting."""
    english_weight: float | None = None
    """Share of all training blocks drawn from english, in [0, 1); empty means 0.1 when english is set."""
    eval: dict[str, str] = field(default_factory=dict)
    """Held-out data per language (en allowed) for bits-per-byte evaluation during training: a folder from
    `seapt corpus tokenize` (memory-mapped as it is), or text (same formats as data), first tokenised into
    OUTPUT/tokens/eval-<L>/ in one task, keeping the documents' order."""
    eval_max_bytes: int | None = 200000
    """Evaluate on at most this many UTF-8 bytes per language (whole documents); empty means all."""
    eval_batch_size: int = 4
    """Batch size of the bits-per-byte evaluation."""
    max_tokens_per_source: int | None = None
    """Use at most this many tokens of each training source (the first ones, shards in task order); empty
    means all."""
    tokenize_tasks: int = 4
    """Raw-text sources are tokenised into OUTPUT/tokens/<L>/ in this many shards (fixed, so the data order
    does not depend on the number of processes); a source's last block per shard is padded."""
    tokenize_workers: int = 1
    """Tokenising processes per training process (their tasks split among the training processes)."""
    tokenize_wait_s: float = 600.0
    """With several training processes: seconds a process waits for the others' tokenising tasks while none of
    them makes progress (reads documents or finishes a task) before it stops with an error."""
    text_key: str = "text"
    """Field holding the text in .jsonl / .parquet inputs."""
    block_size: int = 1024
    """Tokens per packed training block (and the evaluation window)."""
    document_mask: bool = True
    """clm: reset position ids at each document so that packed documents do not attend to each other
    (transformers' packed-sequence masks); false gives plain causal attention across the EOS separator."""
    batch_size: int = 8
    """Blocks per device per micro-step."""
    gradient_accumulation_steps: int = 1
    """Micro-steps per optimizer step; global batch = batch_size * this * number of processes."""
    max_steps: int | None = None
    """Optimizer steps when stages is empty (default 1000); with stages, must be empty or their sum."""
    stages: list[StageConfig] = field(default_factory=list)
    """Training stages in order; empty means one stage training everything for max_steps."""
    lora: LoraSettings = field(default_factory=LoraSettings)
    """LoRA settings for stages with train: lora."""
    base_vocab_size: int | None = None
    """Rows below this id are base vocabulary; empty means read seapt_extension.json in the model folder."""
    learning_rate: float = 2e-4
    """Peak learning rate of the non-embedding parameters."""
    embedding_learning_rate: float | None = None
    """Peak learning rate of the input embeddings and the output head; empty means learning_rate."""
    weight_decay: float = 0.1
    """AdamW weight decay (never applied to embeddings, norms or biases)."""
    warmup_ratio: float = 0.05
    """Share of each stage's steps with linear warm-up."""
    lr_scheduler: str = "cosine"
    """transformers scheduler name: cosine, linear, constant_with_warmup, ..."""
    max_grad_norm: float = 1.0
    """Gradient clipping norm."""
    seed: int = 42
    """Seed of the model RNG and of the data order (block order within each language)."""
    save_steps: int = 500
    """Write a checkpoint every this many steps (and always at the end)."""
    save_total_limit: int | None = 2
    """Keep at most this many checkpoints; empty keeps all."""
    eval_steps: int = 500
    """Evaluate bits per byte every this many steps (and at the start and end)."""
    log_steps: int = 10
    """Append a line to metrics.jsonl every this many steps."""
    precision: Literal["auto", "bf16", "fp32"] = "auto"
    """auto: bf16 mixed precision on a GPU that supports it, fp32 on CPU."""
    gradient_checkpointing: bool = False
    """Recompute activations in the backward pass to save memory."""
    compile: bool = False
    """torch.compile the model (Trainer's torch_compile)."""
    attn_implementation: str = "sdpa"
    """Attention kernel passed to from_pretrained: sdpa, eager, flash_attention_2, flex_attention, ... or auto:
    flex_attention on a CUDA GPU for a causal LM with document_mask (the per-document mask becomes
    block-sparse), sdpa otherwise. Not the default yet: on a GPU it was not reliably faster than sdpa and
    adds a compilation per run (losses identical)."""
    mlm_probability: float = 0.15
    """mlm: share of tokens (or words) masked."""
    whole_word_masking: bool = False
    """mlm: mask whole words found by seapt's segmenters (Thai, Vietnamese) or spaces."""
    contrastive_temperature: float = 0.05
    """contrastive: softmax temperature of the InfoNCE loss (SimCSE uses 0.05)."""
    contrastive_pooling: Literal["mean", "cls"] = "mean"
    """contrastive: sentence embedding = mean of token states or the first token's state."""
    report_to: list[str] = field(default_factory=lambda: ["none"])
    """Trainer integrations: none, tensorboard, wandb, mlflow, ... (never enabled by default)."""
    dataloader_workers: int = 0
    """DataLoader worker processes."""
    cpu_threads: int | None = None
    """torch CPU threads (torch.set_num_threads); empty keeps torch's default. On a shared machine a small
    number avoids oversubscribed cores."""

    def __post_init__(self):
        from seapt.languages import LANGUAGES

        check(bool(self.model), "model", "set the model folder, e.g. --model runs/th/model")
        check(bool(self.output), "output", "set the output folder, e.g. --output runs/th/train")
        check(bool(self.data), "data", "give at least one training corpus, e.g. --data th=corpus/th")
        for where, mapping in (("data", self.data), ("eval", self.eval), ("weights", self.weights)):
            for lang in mapping:
                check(lang in LANGUAGES, f"{where}.{lang}", f"unknown language; use one of {', '.join(LANGUAGES)}")
        for lang, w in self.weights.items():
            check(w > 0, f"weights.{lang}", f"must be positive, got {w}")
            check(lang in self.data, f"weights.{lang}", "has a weight but no corpus in data")
        if self.english_weight is None:
            self.english_weight = 0.1 if self.english else 0.0
        check(0 <= self.english_weight < 1, "english_weight", f"must be in [0, 1), got {self.english_weight}")
        check(self.english_weight == 0 or bool(self.english), "english_weight",
              "is set but english (the replay corpus) is empty; pass --english PATH")
        check(self.block_size >= 8, "block_size", f"must be at least 8, got {self.block_size}")
        for key in ("batch_size", "gradient_accumulation_steps", "save_steps", "eval_steps", "log_steps",
                    "eval_batch_size"):
            check(getattr(self, key) >= 1, key, f"must be at least 1, got {getattr(self, key)}")
        check(self.max_steps is None or self.max_steps >= 1, "max_steps", f"must be at least 1, got {self.max_steps}")
        if self.stages:
            total = sum(s.steps for s in self.stages)
            check(self.max_steps is None or self.max_steps == total, "max_steps",
                  f"is {self.max_steps} but stages sum to {total} steps; drop one of them")
            names = [s.name for s in self.stages]
            check(len(set(names)) == len(names), "stages.name", f"stage names must differ, got {names}")
        check(self.learning_rate > 0, "learning_rate", f"must be positive, got {self.learning_rate}")
        check(self.embedding_learning_rate is None or self.embedding_learning_rate > 0, "embedding_learning_rate",
              f"must be positive, got {self.embedding_learning_rate}")
        check(0 <= self.warmup_ratio < 1, "warmup_ratio", f"must be in [0, 1), got {self.warmup_ratio}")
        check(0 < self.mlm_probability < 1, "mlm_probability", f"must be in (0, 1), got {self.mlm_probability}")
        check(self.contrastive_temperature > 0, "contrastive_temperature", "must be positive")
        check(not (self.eval and self.objective != "clm"), "eval",
              "bits per byte needs a causal LM; drop eval or use objective clm")
        check(self.whole_word_masking is False or self.objective == "mlm", "whole_word_masking",
              "only applies to objective mlm")
        check(self.base_vocab_size is None or self.base_vocab_size >= 1, "base_vocab_size", "must be positive")
        check(self.cpu_threads is None or self.cpu_threads >= 1, "cpu_threads", "must be at least 1")
        check(self.tokenize_tasks >= 1, "tokenize_tasks", "must be at least 1")
        check(self.tokenize_workers >= 1, "tokenize_workers", "must be at least 1")
        check(self.tokenize_wait_s > 0, "tokenize_wait_s", "must be positive")

    def resolved_stages(self) -> list[StageConfig]:
        """The stages to run: the configured ones, or one stage training everything for max_steps."""
        return list(self.stages) or [StageConfig(name="full", steps=self.max_steps or 1000, train="all")]
