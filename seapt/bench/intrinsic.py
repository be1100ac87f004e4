"""Bits per byte of a causal LM on raw text: comparable across vocabularies (nanochat's evaluate_bpb).

    from seapt.bench.intrinsic import bits_per_byte
    bits_per_byte(model, tokenizer, ["สวัสดีครับ ..."], block_size=512)["bpb"]

Every document is scored on its own: it is encoded without special tokens, a context token (BOS, else
EOS — the separator packed pretraining puts between documents) is put in front so that its first token
is scored too, and the token sequence is cut into windows of ``block_size`` predictions, each window
starting from the previous window's last token. BPB = total negative log-likelihood in bits of all
predicted tokens / UTF-8 bytes of the documents. Without any BOS/EOS token, the first token of a
document is context only and its bytes are not counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from seapt.errors import UnsupportedError


def _context_id(tokenizer) -> int | None:
    for name in ("bos_token_id", "eos_token_id"):
        value = getattr(tokenizer, name, None)
        if value is not None:
            return int(value)
    return None


def _encoded(texts: Iterable[str], tokenizer):
    """(ids without special tokens, UTF-8 bytes) of every non-empty text."""
    for text in texts:
        if text:
            yield tokenizer(text, add_special_tokens=False)["input_ids"], len(text.encode("utf-8"))


def _windows(docs: Iterable[tuple[list[int], int]], tokenizer, block_size: int, max_bytes: int | None):
    """Yield (ids, n_bytes) windows: ids has <= block_size + 1 tokens; n_bytes is only set on a
    document's first window (bytes are counted per document)."""
    ctx = _context_id(tokenizer)
    seen = 0
    for ids, n_bytes in docs:
        if max_bytes is not None and seen >= max_bytes:
            break
        if ctx is not None:
            ids = [ctx, *ids]
        else:
            if len(ids) < 2:
                continue
            n_bytes -= len(tokenizer.decode(ids[:1]).encode("utf-8"))
        seen += n_bytes
        first = True
        for start in range(0, len(ids) - 1, block_size):
            chunk = ids[start : start + block_size + 1]
            if len(chunk) < 2:
                break
            yield chunk, (n_bytes if first else 0)
            first = False


def _is_causal(model) -> bool:
    name = type(model).__name__
    cfg = model.config
    return name.endswith(("ForCausalLM", "LMHeadModel")) or bool(getattr(cfg, "is_decoder", False))


def bits_per_byte(model, tokenizer, texts: Iterable[str], *, block_size: int = 512, batch_size: int = 4,
                  max_bytes: int | None = None) -> dict:
    """Bits per UTF-8 byte of ``texts`` under causal LM ``model``.

    Returns {"bpb", "bits", "bytes", "tokens"}: total bits, bytes counted and tokens predicted.
    ``max_bytes`` stops after documents totalling at least that many bytes (whole documents).
    """
    return bits_per_byte_encoded(model, tokenizer, _encoded(texts, tokenizer), block_size=block_size,
                                 batch_size=batch_size, max_bytes=max_bytes)


def bits_per_byte_encoded(model, tokenizer, docs: Iterable[tuple[list[int], int]], *, block_size: int = 512,
                          batch_size: int = 4, max_bytes: int | None = None) -> dict:
    """bits_per_byte of documents already tokenised: (token ids without special tokens, UTF-8 bytes of the
    text) each, e.g. from a `seapt corpus tokenize` folder (seapt.train.eval_data); same result as the text."""
    import torch
    import torch.nn.functional as F

    if not _is_causal(model):
        raise UnsupportedError(
            f"bits per byte needs a causal language model; {type(model).__name__} is not one"
        )
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total_nats = 0.0
    total_bytes = 0
    total_tokens = 0
    batch: list[list[int]] = []

    def flush():
        nonlocal total_nats, total_tokens
        width = max(len(ids) for ids in batch)
        pad = 0
        input_ids = torch.full((len(batch), width - 1), pad, dtype=torch.long)
        targets = torch.full((len(batch), width - 1), -100, dtype=torch.long)
        mask = torch.zeros((len(batch), width - 1), dtype=torch.long)
        for i, ids in enumerate(batch):
            n = len(ids) - 1
            input_ids[i, :n] = torch.tensor(ids[:-1])
            targets[i, :n] = torch.tensor(ids[1:])
            mask[i, :n] = 1
        # no_grad, not inference_mode: during training (FSDP2) the forward unshards parameters, and tensors made
        # under inference_mode cannot be used by the training steps after it
        with torch.no_grad():
            logits = model(input_ids=input_ids.to(device), attention_mask=mask.to(device)).logits
            loss = F.cross_entropy(
                logits.float().reshape(-1, logits.shape[-1]), targets.to(device).reshape(-1),
                ignore_index=-100, reduction="sum",
            )
        total_nats += float(loss)
        total_tokens += int((targets != -100).sum())
        batch.clear()

    try:
        for ids, n_bytes in _windows(docs, tokenizer, block_size, max_bytes):
            total_bytes += n_bytes
            batch.append(ids)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    finally:
        model.train(was_training)
    bits = total_nats / math.log(2)
    return {
        "bpb": bits / total_bytes if total_bytes else float("nan"),
        "bits": bits,
        "bytes": total_bytes,
        "tokens": total_tokens,
    }
