"""Packing, mixing and masking: no token dropped, no attention across documents, weights within 2%."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from test_train_helpers import EN, TH, make_model_dir, make_tokenizer, one_thread, write_corpus  # noqa: F401

from seapt.errors import InputError
from seapt.train.data import MixedBlocks, TokenSource, mix_schedule, read_texts


def _source(name, docs, sep=0):
    tokens = np.concatenate([np.asarray([*d, sep], dtype=np.int32) for d in docs])
    return TokenSource.from_arrays(name, tokens, np.cumsum([len(d) + 1 for d in docs]))


def tokenize_source(name, path, tok, sep_id, tmp, words=None, tasks=1):
    """Tokenise ``path`` with `seapt corpus tokenize`'s pipeline and map it (as pretrain does)."""
    from seapt.corpus.tokenize import tokenize_corpus
    from seapt.corpus.tokenize_config import TokenizeConfig

    tok.save_pretrained(tmp / "tok")
    sep = "eos" if sep_id == tok.eos_token_id else "sep"
    tokenize_corpus(TokenizeConfig(tokenizer=str(tmp / "tok"), inputs=[str(path)], output=str(tmp / f"tokens-{name}"),
                                   separator=sep, word_lang=words, tasks=tasks, progress=False))
    return TokenSource.open(name, tmp / f"tokens-{name}")


def test_packing_drops_no_token_and_pads_only_the_last_block(tmp_path):
    path = write_corpus(tmp_path / "th.txt", TH, 50, 1, sep="")
    texts = path.read_text(encoding="utf-8").splitlines()
    tok = make_tokenizer(texts)
    src = tokenize_source("th", str(path), tok, tok.eos_token_id, tmp_path)
    expected = [t for text in texts for t in [*tok(text, add_special_tokens=False)["input_ids"], tok.eos_token_id]]
    assert src.shards[0][0].tolist() == expected and len(src.shards) == 1
    ds = MixedBlocks([src], [1.0], len(range(0, len(expected), 16)), 16, seed=0, pad_id=tok.pad_token_id)
    blocks = sorted((ds.locate(i)[1], ds[i]) for i in range(len(ds)))
    got = [int(t) for _, b in blocks for t, lab in zip(b["input_ids"], b["labels"]) if lab != -100]
    assert got == expected  # every token, in order, exactly once per epoch
    pads = sum(int((b["labels"] == -100).sum()) for _, b in blocks)
    assert pads < 16 and all((b["labels"] != -100).all() for _, b in blocks[:-1])


def test_real_token_share_is_at_least_99_percent(tmp_path):
    path = write_corpus(tmp_path / "en.txt", EN, 2000, 2)
    tok = make_tokenizer(path.read_text(encoding="utf-8").splitlines())
    src = tokenize_source("en", str(path), tok, tok.eos_token_id, tmp_path, tasks=4)
    assert len(src.shards) == 4
    ds = MixedBlocks([src], [1.0], 400, 64, seed=0, pad_id=tok.pad_token_id)
    assert ds.real_tokens().sum() / (len(ds) * 64) >= 0.99
    assert ds.real_tokens().tolist() == [int((ds[i]["labels"] != -100).sum()) for i in range(len(ds))]


def test_position_ids_restart_at_each_document():
    src = _source("x", [[5, 6, 7], [8, 9], [10, 11, 12, 13]])
    item = MixedBlocks([src], [1.0], 1, 16, seed=0, pad_id=1)[0]
    assert item["input_ids"].tolist()[:12] == [5, 6, 7, 0, 8, 9, 0, 10, 11, 12, 13, 0]
    assert item["position_ids"].tolist() == [0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 4, 0, 1, 2, 3]


def test_packed_documents_do_not_attend_to_each_other(tmp_path):
    from seapt.train.trainer import load_for_training

    model = load_for_training(str(make_model_dir(tmp_path)), "clm", "sdpa")  # as trained: train mode, no KV cache
    a, b = [20, 21, 22, 23, 24], [30, 31, 32, 33]
    src = _source("x", [a, b], sep=0)
    item = MixedBlocks([src], [1.0], 1, 11, seed=0, pad_id=1)[0]
    with torch.no_grad():
        packed = model(input_ids=item["input_ids"][None], position_ids=item["position_ids"][None]).logits[0]
        alone = model(input_ids=torch.tensor([b + [0]])).logits[0]
    torch.testing.assert_close(packed[6:11], alone, atol=1e-5, rtol=1e-5)


def test_mixing_weights_are_honoured_within_2_percent_over_1000_blocks():
    sources = [_source(n, [[i + 3] * 7 for i in range(40)]) for n in ("th", "vi", "id", "en")]
    weights = [0.45, 0.25, 0.2, 0.1]
    ds = MixedBlocks(sources, weights, 1000, 8, seed=3, pad_id=1)
    counts = np.bincount([ds.locate(i)[0] for i in range(1000)], minlength=4) / 1000
    assert np.abs(counts - np.asarray(weights)).max() <= 0.02
    sched = mix_schedule(weights, 5000)
    for m in (10, 100, 999, 5000):
        share = np.bincount(sched[:m], minlength=4) / m
        assert np.abs(share - np.asarray(weights)).max() <= 1 / m + 1e-12


def _stride_loop(weights, n):
    """The former Python-loop schedule: item i to the source furthest behind its share (lowest index on ties)."""
    w = np.asarray(weights, dtype=np.float64) / sum(weights)
    counts, out = np.zeros(len(w)), []
    for i in range(n):
        out.append(int(np.argmax(w * (i + 1) - counts)))
        counts[out[-1]] += 1
    return np.asarray(out)


def test_vectorised_schedule_equals_the_stride_loop_for_two_sources_and_stays_near_the_shares():
    for weights in ([0.9, 0.1], [0.3, 0.7], [0.5, 0.5], [0.123, 0.877]):
        assert np.array_equal(mix_schedule(weights, 3000), _stride_loop(weights, 3000))
    rng = np.random.default_rng(0)
    for _ in range(100):
        w = rng.dirichlet(np.ones(int(rng.integers(3, 6))))
        sched = mix_schedule(list(w), 2000)
        seen = np.cumsum(np.eye(len(w))[sched], axis=0)
        assert np.abs(seen - np.arange(1, 2001)[:, None] * w).max() <= 2  # every prefix within two items


def test_tokenised_word_flags_are_seapt_segmenter_word_starts(tmp_path):
    from seapt.text.words import word_start_flags

    path = write_corpus(tmp_path / "th.txt", TH, 30, 1, sep="")
    texts = path.read_text(encoding="utf-8").splitlines()
    tok = make_tokenizer(texts)
    src = tokenize_source("th", str(path), tok, tok.eos_token_id, tmp_path, words="th")
    expected = []
    for text in texts:
        enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
        expected += [*word_start_flags(text, enc["offset_mapping"], "th"), True]
    assert src.shards[0][2].astype(bool).tolist() == expected and 0 < sum(expected) < len(expected)


def test_order_is_deterministic_from_the_seed():
    sources = [_source(n, [[i + 3] * 5 for i in range(30)]) for n in ("th", "en")]
    def order(seed):
        return [MixedBlocks(sources, [0.7, 0.3], 200, 8, seed=seed, pad_id=1).locate(i)
                              for i in range(200)]
    assert order(1) == order(1) and order(1) != order(2)
    ds = MixedBlocks(sources, [0.7, 0.3], 200, 8, seed=1, pad_id=1)
    assert all(torch.equal(ds[i]["input_ids"], ds[i]["input_ids"]) for i in range(5))


def test_mlm_masking_is_deterministic_and_masks_whole_thai_words(tmp_path):
    from seapt.text.words import word_start_flags
    from seapt.train.objectives import MlmMasking

    text = "แมวกินข้าวที่บ้าน"
    tok = make_tokenizer([text] * 3 + TH, vocab_size=280)
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    flags = word_start_flags(text, enc["offset_mapping"], "th")
    assert flags[0] and sum(flags) < len(flags)  # some words span several tokens
    ids = torch.tensor(enc["input_ids"] * 4)
    item = {"input_ids": ids, "labels": ids.clone()}
    mask = MlmMasking(tok, 0.4, seed=0, special_ids=set(tok.all_special_ids), whole_word=True)
    out = mask(item, 5, np.asarray(flags * 4))
    again = mask(item, 5, np.asarray(flags * 4))
    assert torch.equal(out["input_ids"], again["input_ids"]) and torch.equal(out["labels"], again["labels"])
    chosen = (out["labels"] != -100).tolist()
    word = np.cumsum(flags * 4)
    for w in set(word.tolist()):
        assert len({chosen[i] for i in range(len(chosen)) if word[i] == w}) == 1  # all or none of a word


def test_hub_dataset_ids_fail_clearly_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError, match="offline"):
        list(read_texts("someorg/somecorpus"))
