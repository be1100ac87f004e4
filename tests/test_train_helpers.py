"""Tiny in-process tokenizers, models and corpora for the train tests (no tests here)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

TH = ["แมว", "หมา", "บ้าน", "รถ", "น้ำ", "ข้าว", "กิน", "เดิน", "ไป", "มา", "ดี", "มาก", "สวย", "ร้อน", "เย็น"]
EN = ["the", "cat", "dog", "house", "car", "water", "rice", "eat", "walk", "go", "come", "good", "very", "nice", "hot", "cold"]


def write_corpus(path: Path, words: list[str], n_docs: int, seed: int, sep: str = " ") -> Path:
    """A .txt corpus of patterned documents (one a line) that a tiny model can learn."""
    rng = random.Random(seed)
    lines = []
    for _ in range(n_docs):
        start = rng.randrange(len(words))
        lines.append(sep.join(words[(start + k) % len(words)] for k in range(rng.randint(4, 12))))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_tokenizer(texts: list[str], vocab_size: int = 320):
    """A byte-level BPE fast tokenizer trained here, with EOS, PAD and MASK tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<eos>", "<pad>", "<mask>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<eos>", pad_token="<pad>", mask_token="<mask>")


def make_model_dir(tmp: Path, kind: str = "llama", base_vocab: int | None = None, tie: bool = False) -> Path:
    """A tiny model folder (llama: causal LM; bert: masked LM) with its tokenizer and extension metadata."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, LlamaConfig, LlamaForCausalLM

    th = write_corpus(tmp / "th_tok.txt", TH, 200, 1, sep="")
    en = write_corpus(tmp / "en_tok.txt", EN, 200, 2)
    texts = th.read_text(encoding="utf-8").splitlines() + en.read_text(encoding="utf-8").splitlines()
    tok = make_tokenizer(texts)
    torch.manual_seed(0)
    if kind == "llama":
        cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                          num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                          tie_word_embeddings=tie, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                          bos_token_id=None)
        model = LlamaForCausalLM(cfg)
    else:
        cfg = BertConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, max_position_embeddings=256, pad_token_id=tok.pad_token_id)
        model = BertForMaskedLM(cfg)
    out = tmp / f"model-{kind}"
    model.save_pretrained(out)
    tok.save_pretrained(out)
    if base_vocab is not None:
        (out / "seapt_extension.json").write_text(json.dumps({"base_vocab_size": base_vocab}))
    return out


def corpora(tmp: Path) -> dict[str, Path]:
    """Training and held-out corpora for th and en."""
    return {"th": write_corpus(tmp / "th.txt", TH, 300, 3, sep=""),
            "en": write_corpus(tmp / "en.txt", EN, 300, 4),
            "th_eval": write_corpus(tmp / "th_eval.txt", TH, 20, 5, sep=""),
            "en_eval": write_corpus(tmp / "en_eval.txt", EN, 20, 6)}


def read_metrics(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models run fastest on one thread; on a shared 2-core machine more threads only contend."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)
