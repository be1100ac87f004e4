"""Tiny base / extended tokenizers and Llama-, Qwen2-, GPT-2- and BERT-style models, built in-process
for the model tests (imported by test_model_*.py), plus checks that the fixtures are what they claim."""

from __future__ import annotations

import json
from pathlib import Path

ENGLISH = [
    "The quick brown fox jumps over the lazy dog.",
    "Language models learn from a lot of text, and then they write more text.",
    "We measure bits per byte on held-out data before and after training.",
    "Tokenizers split words into pieces; common words get their own piece.",
    "def add(a, b):\n    return a + b",
] * 4
THAI = [
    "สวัสดีครับ วันนี้อากาศดีมาก",
    "ประเทศไทยมีจังหวัดทั้งหมดเจ็ดสิบเจ็ดจังหวัด",
    "ภาษาไทยเป็นภาษาที่มีวรรณยุกต์",
    "รัฐบาลประกาศนโยบายใหม่เพื่อประชาชน",
    "น้ำท่วมหนักในภาคเหนือของประเทศ",
] * 4
SPECIALS = ["<|endoftext|>", "<pad>"]
BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _save_hf(tok, folder: Path, **specials) -> Path:
    from transformers import PreTrainedTokenizerFast

    PreTrainedTokenizerFast(tokenizer_object=tok, **specials).save_pretrained(folder)
    return folder


def _continue_bpe(base, texts: list[str], n_new: int):
    """Continue training a byte-level BPE: learn merges on ``texts`` and append the ones whose parts
    exist, giving new tokens ids after the largest existing id (what seapt tokenizer extend does)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    learner = Tokenizer(models.BPE())
    learner.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    learner.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=256 + 4 * n_new, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    spec = json.loads(base.to_str())
    vocab, merges = spec["model"]["vocab"], spec["model"]["merges"]
    next_id = max(vocab.values()) + 1
    learned = json.loads(learner.to_str())["model"]["merges"]
    added = 0
    for a, b in (m if isinstance(m, list) else m.split(" ") for m in learned):
        if added >= n_new:
            break
        if a in vocab and b in vocab and a + b not in vocab:
            vocab[a + b] = next_id
            merges.append([a, b])
            next_id += 1
            added += 1
    ext = Tokenizer.from_str(json.dumps(spec))
    ext.decoder = decoders.ByteLevel()
    return ext, added


def byte_level_pair(root: Path, n_new: int = 40) -> tuple[Path, Path]:
    """A tiny byte-level BPE base tokenizer (English + a little Thai) and its Thai extension folder."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    base = Tokenizer(models.BPE())
    base.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    base.decoder = decoders.ByteLevel()
    base.train_from_iterator(ENGLISH + THAI[:2], trainers.BpeTrainer(
        vocab_size=420, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    specials = {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<pad>"}
    base_dir = _save_hf(base, root / "base_tok", **specials)
    ext, added = _continue_bpe(base, THAI, n_new)
    ext_dir = _save_hf(ext, root / "ext_tok", **specials)
    (ext_dir / "extension.json").write_text(json.dumps({
        "base": str(base_dir), "family": "byte-level-bpe", "base_vocab_size": base.get_vocab_size(),
        "vocab_size": ext.get_vocab_size(), "added": {"th": added}, "checks": {}, "seconds": 0.0}))
    return base_dir, ext_dir


def wordpiece_pair(root: Path) -> tuple[Path, Path]:
    """A tiny BERT-style WordPiece base tokenizer and an extension with whole and '##' Thai pieces."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    base = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    base.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    base.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    base.decoder = decoders.WordPiece()
    base.train_from_iterator(ENGLISH + THAI[:3], trainers.WordPieceTrainer(
        vocab_size=300, special_tokens=BERT_SPECIALS, show_progress=False))
    specials = {"unk_token": "[UNK]", "pad_token": "[PAD]", "cls_token": "[CLS]", "sep_token": "[SEP]",
                    "mask_token": "[MASK]"}
    base_dir = _save_hf(base, root / "bert_base_tok", **specials)
    spec = json.loads(base.to_str())
    vocab = spec["model"]["vocab"]
    next_id = max(vocab.values()) + 1
    for word in ["สวัสดี", "ประเทศ", "##ครับ", "##จังหวัด", "น้ำท่วม", "##ไทย"]:
        if word not in vocab:
            vocab[word] = next_id
            next_id += 1
    ext = Tokenizer.from_str(json.dumps(spec))
    ext_dir = _save_hf(ext, root / "bert_ext_tok", **specials)
    return base_dir, ext_dir


def tiny_model(kind: str, tokenizer_dir: Path, folder: Path, *, dtype=None, extra_rows: int = 0,
               tied: bool | None = None, seed: int = 0) -> Path:
    """Save a randomly initialised 2-layer model of ``kind`` (llama, qwen2, gpt2, bert, bert-no-head)
    with the tokenizer of ``tokenizer_dir``; ``extra_rows`` pads the config vocab beyond the tokenizer."""
    import torch
    from transformers import (
        AutoTokenizer,
        BertConfig,
        BertForMaskedLM,
        BertModel,
        GPT2Config,
        GPT2LMHeadModel,
        LlamaConfig,
        LlamaForCausalLM,
        Qwen2Config,
        Qwen2ForCausalLM,
    )

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    vocab = len(tok) + extra_rows
    torch.manual_seed(seed)
    small = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64}
    if kind == "llama":
        model = LlamaForCausalLM(LlamaConfig(vocab_size=vocab, num_key_value_heads=2,
                                             tie_word_embeddings=bool(tied), **small))
    elif kind == "qwen2":
        model = Qwen2ForCausalLM(Qwen2Config(vocab_size=vocab, num_key_value_heads=2,
                                             tie_word_embeddings=tied is not False, **small))
    elif kind == "gpt2":
        model = GPT2LMHeadModel(GPT2Config(vocab_size=vocab, n_embd=32, n_layer=2, n_head=4, n_positions=128))
    elif kind in ("bert", "bert-no-head"):
        cls = BertForMaskedLM if kind == "bert" else BertModel
        model = cls(BertConfig(vocab_size=vocab, max_position_embeddings=128, **small))
    else:
        raise ValueError(kind)
    for name in ("pad_token_id", "bos_token_id", "eos_token_id"):
        setattr(model.config, name, getattr(tok, name))
        if getattr(model, "generation_config", None) is not None:
            setattr(model.generation_config, name, getattr(tok, name))
    if dtype is not None:
        model = model.to(dtype)
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def test_byte_level_extension_keeps_base_ids_and_adds_thai_tokens(tmp_path):
    from transformers import AutoTokenizer

    base_dir, ext_dir = byte_level_pair(tmp_path)
    base, ext = AutoTokenizer.from_pretrained(base_dir), AutoTokenizer.from_pretrained(ext_dir)
    base_vocab, ext_vocab = base.get_vocab(), ext.get_vocab()
    assert all(ext_vocab[t] == i for t, i in base_vocab.items())
    assert len(ext) > len(base) + 20
    text = THAI[1]
    assert len(ext(text)["input_ids"]) < len(base(text)["input_ids"])
    assert ext.decode(ext(text)["input_ids"]) == text
    assert ext(ENGLISH[0])["input_ids"] == base(ENGLISH[0])["input_ids"]


def test_wordpiece_extension_appends_after_the_largest_id(tmp_path):
    from transformers import AutoTokenizer

    base_dir, ext_dir = wordpiece_pair(tmp_path)
    base, ext = AutoTokenizer.from_pretrained(base_dir), AutoTokenizer.from_pretrained(ext_dir)
    assert ext.convert_tokens_to_ids("สวัสดี") >= len(base)
    assert "สวัสดี" in ext.tokenize("สวัสดี")


def _permute(weight, n_head: int):
    """llama.cpp's rotary permutation of q/k rows (transformers undoes it when reading GGUF)."""
    return weight.reshape(n_head, 2, weight.shape[0] // n_head // 2, *weight.shape[1:]).swapaxes(1, 2).reshape(
        weight.shape)


def tiny_gguf(root: Path, tokenizer_dir: Path) -> tuple[Path, Path]:
    """Write a tiny tied Llama as an F32 GGUF file the way llama.cpp's converter lays it out.
    Returns (gguf path, folder of the same model saved by transformers) for comparisons."""
    import gguf
    from transformers import AutoModelForCausalLM

    ref = tiny_model("llama", tokenizer_dir, root / "gguf_ref", tied=True)
    model = AutoModelForCausalLM.from_pretrained(ref)
    cfg = model.config
    spec = json.loads((tokenizer_dir / "tokenizer.json").read_text())
    vocab = spec["model"]["vocab"]
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    merges = [" ".join(m) if isinstance(m, list) else m for m in spec["model"]["merges"]]
    path = root / "tiny.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("tiny llama")
    w.add_block_count(cfg.num_hidden_layers)
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(cfg.num_key_value_heads)
    w.add_rope_dimension_count(cfg.hidden_size // cfg.num_attention_heads)
    w.add_rope_freq_base(float(cfg.rope_parameters["rope_theta"]))
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    w.add_vocab_size(len(tokens))
    w.add_tokenizer_model("gpt2")
    w.add_token_list(tokens)
    w.add_token_types([3 if t in SPECIALS else 1 for t in tokens])
    w.add_token_merges(merges)
    w.add_bos_token_id(vocab["<|endoftext|>"])
    w.add_eos_token_id(vocab["<|endoftext|>"])
    w.add_pad_token_id(vocab["<pad>"])
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    w.add_tensor("token_embd.weight", sd["model.embed_tokens.weight"])
    w.add_tensor("output_norm.weight", sd["model.norm.weight"])
    names = {"input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm", "self_attn.q_proj": "attn_q",
             "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
             "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    for i in range(cfg.num_hidden_layers):
        for hf, gg in names.items():
            t = sd[f"model.layers.{i}.{hf}.weight"]
            if gg == "attn_q":
                t = _permute(t, cfg.num_attention_heads)
            elif gg == "attn_k":
                t = _permute(t, cfg.num_key_value_heads)
            w.add_tensor(f"blk.{i}.{gg}.weight", t)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path, ref
