"""Tiny in-process models for the bench tests: a byte-level BPE tokenizer and a 2-layer Llama, saved to a folder."""

from pathlib import Path

TEXTS = [
    "the cat sat on the mat", "a good day", "a bad day", "ผู้ชายเปิดก๊อกน้ำ", "อาหารอร่อยมาก",
    "Xin chào các bạn", "giáo viên rất vui tính", "saya suka makan nasi", "tempat nya kotor",
]


def make_tiny(folder: Path, seed: int = 0) -> Path:
    """Save a tiny random causal LM (hidden 32, 2 layers) and its tokenizer to ``folder``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(TEXTS * 10, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>")
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=512,
                      bos_token_id=0, eos_token_id=1, architectures=["LlamaForCausalLM"])
    LlamaForCausalLM(cfg).save_pretrained(folder)
    fast.save_pretrained(folder)
    return Path(folder)
