"""Training throughput of `seapt pretrain` vs a bare transformers Trainer on the same model, data and batch.

    python benchmarks/pretrain_throughput.py                        # CPU: a small Llama built here
    python benchmarks/pretrain_throughput.py --device cuda --model PATH --steps 30 --block-size 2048

Both sides train with transformers' Trainer for ``--steps`` optimizer steps; tokens/s is timed over the
steps after ``--warmup`` (callbacks mark the step boundaries), sides alternate ``--repeats`` times and the
median of each is reported, so that load from other processes hits both alike. The bare side is the
run_clm.py recipe: concatenate documents, cut blocks (dropping the remainder), default collator.
On CUDA (bf16) it also reports MFU = 6 * N * tokens/s / peak bf16 FLOP/s (N = parameters without the
input embedding; --peak-tflops overrides the device table). Prints one JSON object. Needs only torch,
transformers and accelerate for the bare side; the seapt side imports seapt from this checkout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PEAK_BF16_TFLOPS = {"H200": 989.0, "H100": 989.0, "A100": 312.0, "L40S": 362.0, "A10G": 125.0, "L4": 121.0}


def synthetic_texts(n_docs: int, seed: int = 0) -> list[str]:
    words = ["the", "cat", "sat", "on", "a", "mat", "while", "rain", "fell", "over", "the", "quiet", "town", "and", "people", "walked", "home", "แมว", "กิน", "ข้าว", "ที่", "บ้าน", "ของ", "ฉัน", "ทุก", "วัน", "con", "mèo", "ăn", "cơm", "ở", "nhà", "kucing", "makan", "nasi", "di", "rumah"]
    rng = random.Random(seed)
    return [" ".join(rng.choice(words) for _ in range(rng.randint(20, 400))) for _ in range(n_docs)]


def read_texts(path: str) -> list[str]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(json.loads(line)["text"] if path.endswith(".jsonl") else line)
    return out


def build_model(folder: Path, texts: list[str]) -> Path:
    """A small Llama (4 layers, hidden 256) and a byte-level BPE tokenizer trained on ``texts``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=2000, special_tokens=["<eos>", "<pad>"],
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                                       show_progress=False))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<eos>", pad_token="<pad>")
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=256, intermediate_size=688, num_hidden_layers=4,
                      num_attention_heads=8, num_key_value_heads=4, max_position_embeddings=4096,
                      eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id, bos_token_id=None)
    LlamaForCausalLM(cfg).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


class Timer:
    """Trainer callback: wall time from the end of step ``warmup`` to the end of the last step."""

    def __new__(cls, warmup: int):
        from transformers import TrainerCallback

        class _Timer(TrainerCallback):
            def __init__(self):
                self.t0 = self.t1 = self.c0 = self.c1 = None

            def on_step_end(self, args, state, control, **kwargs):
                if args.device.type == "cuda":
                    import torch

                    torch.cuda.synchronize()
                if state.global_step == warmup:
                    self.t0, self.c0 = time.perf_counter(), time.process_time()
                if state.global_step == state.max_steps:
                    self.t1, self.c1 = time.perf_counter(), time.process_time()

            def rates(self, tokens: int) -> dict:
                # CPU seconds of this process (all its threads): robust to other processes' load
                return {"tokens_per_s": tokens / (self.t1 - self.t0),
                        "tokens_per_cpu_s": tokens / (self.c1 - self.c0)}

        return _Timer()


def run_bare(model_dir: str, texts: list[str], a, out_dir: str) -> dict:
    import torch
    from transformers import (
        AutoModelForCausalLM,
        AutoTokenizer,
        Trainer,
        TrainingArguments,
        default_data_collator,
    )

    tok = AutoTokenizer.from_pretrained(model_dir)
    ids = [t for text in texts for t in [*tok(text, add_special_tokens=False)["input_ids"], tok.eos_token_id]]
    n = len(ids) // a.block_size * a.block_size  # run_clm's group_texts: the remainder is dropped
    blocks = torch.tensor(ids[:n]).view(-1, a.block_size)
    need = a.steps * a.batch_size
    data = [{"input_ids": blocks[i % len(blocks)], "labels": blocks[i % len(blocks)]} for i in range(need)]
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    args = TrainingArguments(output_dir=out_dir, max_steps=a.steps, per_device_train_batch_size=a.batch_size,
                             learning_rate=1e-4, logging_steps=10_000, save_strategy="no", report_to="none",
                             bf16=a.device == "cuda", use_cpu=a.device == "cpu", disable_tqdm=True)
    timer = Timer(a.warmup)
    Trainer(model=model, args=args, train_dataset=data, data_collator=default_data_collator,
            callbacks=[timer]).train()
    tokens = (a.steps - a.warmup) * a.batch_size * a.block_size
    return {**timer.rates(tokens), "real_token_share": 1.0,
            "dropped_tokens": len(ids) - n, "blocks_available": len(blocks)}


def run_seapt(model_dir: str, text_file: str, a, out_dir: str, document_mask: bool, attn: str = "auto") -> dict:
    from seapt.train.config import PretrainConfig
    from seapt.train.pretrain import pretrain

    cfg = PretrainConfig(model=model_dir, output=out_dir, data={"th": text_file}, block_size=a.block_size,
                         batch_size=a.batch_size, max_steps=a.steps, save_steps=10_000, log_steps=10_000,
                         learning_rate=1e-4, document_mask=document_mask, save_total_limit=1,
                         attn_implementation=attn)
    timer = Timer(a.warmup)
    summary = pretrain(cfg, callbacks=[timer])
    tokens = (a.steps - a.warmup) * a.batch_size * a.block_size
    return {**timer.rates(tokens), "real_token_share": summary["tokens_seen"] / (a.steps * a.batch_size * a.block_size)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", help="HF model folder (causal LM + tokenizer); default: a small Llama built here")
    p.add_argument("--text", help=".txt (a document a line) or .jsonl {text}; default: synthetic documents")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--steps", type=int, default=12)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--block-size", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    p.add_argument("--sides", default="seapt,seapt-nomask,bare", help="comma list of seapt (defaults), seapt-nomask, seapt-sdpa / seapt-flex (the document "
                   "mask as a dense SDPA mask / a FlexAttention block mask), bare")
    p.add_argument("--peak-tflops", type=float, help="peak bf16 TFLOP/s for MFU (default: by GPU name)")
    a = p.parse_args()
    import torch

    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit("error: --device cuda but no CUDA device is visible")
    if a.device == "cpu":
        os.environ["CUDA_VISIBLE_DEVICES"] = ""
    if a.threads:
        torch.set_num_threads(a.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    tmp = Path(tempfile.mkdtemp(prefix="seapt-bench-"))
    texts = read_texts(a.text) if a.text else synthetic_texts(600 if a.device == "cpu" else 6000)
    text_file = tmp / "train.txt"
    text_file.write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n", encoding="utf-8")
    model_dir = a.model or str(build_model(tmp / "model", texts))
    from transformers import AutoConfig, AutoModelForCausalLM

    with torch.device("meta"):
        meta = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(model_dir))
    n_params = sum(p.numel() for p in meta.parameters())
    n_embed = meta.get_input_embeddings().weight.numel()
    results: dict = {"device": torch.cuda.get_device_name() if a.device == "cuda" else f"cpu x{torch.get_num_threads()}",
                     "model": model_dir if a.model else "llama-4x256 (built here)", "params": n_params,
                     "params_without_embedding": n_params - n_embed, "steps": a.steps, "warmup": a.warmup,
                     "block_size": a.block_size, "batch_size": a.batch_size, "precision":
                     "bf16" if a.device == "cuda" else "fp32", "runs": {}}
    with contextlib.redirect_stdout(sys.stderr):  # Trainer / progress output must not mix with the JSON
        _run_sides(a, model_dir, texts, text_file, tmp, results)
    summarise(a, results)
    print(json.dumps(results, indent=2))


def _run_sides(a, model_dir, texts, text_file, tmp, results) -> None:
    for r in range(a.repeats):
        for side in a.sides.split(","):
            out = str(tmp / f"{side}-{r}")
            try:
                if side == "bare":
                    res = run_bare(model_dir, texts, a, out)
                else:
                    attn = {"seapt-flex": "flex_attention", "seapt-sdpa": "sdpa"}.get(side, "auto")
                    res = run_seapt(model_dir, str(text_file), a, out, document_mask=side != "seapt-nomask",
                                    attn=attn)
            except ImportError as exc:
                res = {"error": f"{type(exc).__name__}: {exc}"}
            results["runs"].setdefault(side, []).append(res)


def summarise(a, results) -> None:
    import torch

    best: dict = {}
    import statistics

    for key in ("tokens_per_s", "tokens_per_cpu_s"):
        # the median over repeats: a shared machine's load spikes hit single runs of either side
        top = {s: statistics.median([x[key] for x in runs if key in x]) if any(key in x for x in runs) else None
               for s, runs in results["runs"].items()}
        results[key] = {s: round(v, 1) for s, v in top.items() if v}
        if top.get("bare"):
            results[f"ratio_vs_bare_{key}"] = {s: round(v / top["bare"], 3) for s, v in top.items()
                                                if v and s != "bare"}
        if key == "tokens_per_s":
            best = top
    shares = [x["real_token_share"] for s, runs in results["runs"].items() if s != "bare" for x in runs
              if "real_token_share" in x]
    if shares:
        results["seapt_real_token_share"] = round(min(shares), 5)
    if a.device == "cuda":
        name = torch.cuda.get_device_name()
        peak = a.peak_tflops or next((v for k, v in PEAK_BF16_TFLOPS.items() if k in name), None)
        if peak:
            results["peak_tflops"] = peak
            results["mfu"] = {s: round(6 * results["params_without_embedding"] * v / (peak * 1e12), 4)
                              for s, v in best.items() if v}


if __name__ == "__main__":
    main()
