"""bits_per_byte equals a hand computation on a tiny causal LM, for batching, windows and no-BOS tokenizers."""

import math

import pytest
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from seapt.bench.intrinsic import bits_per_byte
from seapt.errors import UnsupportedError

DOCS = [
    "สวัสดีครับ วันนี้อากาศดีมาก",
    "Tôi là sinh viên đại học ở Hà Nội.",
    "Anak-anak bermain di taman setiap sore hari.",
    "The quick brown fox jumps over the lazy dog. " * 3,
]


def _tokenizer(with_specials=True):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<s>", "</s>"] if with_specials else []
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(DOCS * 5, trainer)
    kwargs = {"bos_token": "<s>", "eos_token": "</s>"} if with_specials else {}
    return PreTrainedTokenizerFast(tokenizer_object=tok, **kwargs)


def _model(vocab):
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=256)
    return LlamaForCausalLM(cfg).eval()


def _hand(model, windows, n_bytes):
    nats = 0.0
    for ids in windows:
        with torch.no_grad():
            logp = torch.log_softmax(model(torch.tensor([ids[:-1]])).logits[0].double(), -1)
        nats -= sum(float(logp[i, t]) for i, t in enumerate(ids[1:]))
    return nats / math.log(2) / n_bytes


@pytest.mark.parametrize("batch_size", [1, 3])
def test_bpb_matches_hand_computation(batch_size):
    tok = _tokenizer()
    model = _model(len(tok))
    windows = [[tok.bos_token_id, *tok(d, add_special_tokens=False)["input_ids"]] for d in DOCS]
    n_bytes = sum(len(d.encode()) for d in DOCS)
    got = bits_per_byte(model, tok, DOCS, block_size=512, batch_size=batch_size)
    assert got["bytes"] == n_bytes
    assert got["tokens"] == sum(len(w) - 1 for w in windows)
    assert got["bpb"] == pytest.approx(_hand(model, windows, n_bytes), rel=1e-5)


def test_bpb_windows_continue_from_previous_token():
    tok = _tokenizer()
    model = _model(len(tok))
    block = 5
    windows = []
    for d in DOCS:
        ids = [tok.bos_token_id, *tok(d, add_special_tokens=False)["input_ids"]]
        windows += [ids[s : s + block + 1] for s in range(0, len(ids) - 1, block)]
    n_bytes = sum(len(d.encode()) for d in DOCS)
    got = bits_per_byte(model, tok, DOCS, block_size=block, batch_size=4)
    assert got["bpb"] == pytest.approx(_hand(model, windows, n_bytes), rel=1e-5)


def test_bpb_without_bos_or_eos_skips_first_token_bytes():
    tok = _tokenizer(with_specials=False)
    model = _model(len(tok))
    windows, n_bytes = [], 0
    for d in DOCS:
        ids = tok(d, add_special_tokens=False)["input_ids"]
        windows.append(ids)
        n_bytes += len(d.encode()) - len(tok.decode(ids[:1]).encode())
    got = bits_per_byte(model, tok, DOCS, block_size=512)
    assert got["bytes"] == n_bytes
    assert got["bpb"] == pytest.approx(_hand(model, windows, n_bytes), rel=1e-5)


def test_bpb_max_bytes_and_mode_restored():
    tok = _tokenizer()
    model = _model(len(tok)).train()
    got = bits_per_byte(model, tok, DOCS, max_bytes=1)
    assert got["bytes"] == len(DOCS[0].encode())
    assert model.training


def test_bpb_creates_no_inference_tensors_so_training_can_follow():
    """Evaluated during training: under FSDP2 the forward re-creates parameters, and inference-mode tensors
    then break the next training step (measured on an H200). A forward hook records what the model saw."""
    tok = _tokenizer()
    model = _model(len(tok))
    seen = []
    model.model.layers[0].register_forward_hook(lambda m, a, out: seen.append(torch.is_inference_mode_enabled()))
    bits_per_byte(model, tok, DOCS)
    assert seen and not any(seen)


def test_bpb_rejects_masked_lm():
    from transformers import BertConfig, BertForMaskedLM

    model = BertForMaskedLM(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1,
                                       num_attention_heads=2, intermediate_size=32))
    with pytest.raises(UnsupportedError, match="causal language model"):
        bits_per_byte(model, _tokenizer(), DOCS)
