"""`--eval L=PATH` on token shards: a tokenised folder or text tokenised first; bits per byte equals the text's."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_train_helpers import EN, TH, corpora, make_model_dir, make_tokenizer, one_thread, read_metrics, write_corpus  # noqa: F401

from seapt.bench.intrinsic import bits_per_byte, bits_per_byte_encoded
from seapt.corpus.tokenize import tokenize_corpus
from seapt.corpus.tokenize_config import TokenizeConfig
from seapt.errors import IncompatibleError
from seapt.train.config import PretrainConfig
from seapt.train.eval_data import EvalSet
from seapt.train.pretrain import pretrain


def _tokenize(tmp_path, tok_dir, path, out, **kw):
    return tokenize_corpus(TokenizeConfig(tokenizer=str(tok_dir), inputs=[str(path)], output=str(out),
                                          separator="eos", progress=False, **kw))


@pytest.mark.parametrize("max_bytes", [None, 300])
def test_bits_per_byte_of_a_tokenised_folder_equals_the_texts(tmp_path, max_bytes):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    c = corpora(tmp_path)
    model_dir = make_model_dir(tmp_path)
    tok, model = AutoTokenizer.from_pretrained(model_dir), AutoModelForCausalLM.from_pretrained(model_dir)
    _tokenize(tmp_path, model_dir, c["th_eval"], tmp_path / "ev")
    texts = c["th_eval"].read_text(encoding="utf-8").splitlines()
    sizes = np.fromfile(tmp_path / "ev" / "00000.ds.bytes", dtype="<u4")
    assert sizes.tolist() == [len(t.encode("utf-8")) for t in texts]  # .ds.bytes: each document's UTF-8 size
    docs = list(EvalSet("th", tmp_path / "ev").documents())
    assert [d[0] for d in docs] == [tok(t, add_special_tokens=False)["input_ids"] for t in texts]
    want = bits_per_byte(model, tok, texts, block_size=16, max_bytes=max_bytes)
    got = bits_per_byte_encoded(model, tok, EvalSet("th", tmp_path / "ev").documents(), block_size=16,
                                max_bytes=max_bytes)
    assert got == want and got["bytes"] > 0


def _pretrain_cfg(tmp_path, model, c, out, eval_path, **kw):
    return PretrainConfig(model=str(model), output=str(tmp_path / out), data={"th": str(c["th"])}, block_size=32,
                          batch_size=4, max_steps=4, log_steps=2, eval_steps=2, save_steps=4, learning_rate=3e-3,
                          warmup_ratio=0.0, eval={"th": str(eval_path)}, **kw)


def test_pretrain_eval_on_a_tokenised_folder_equals_eval_on_the_text(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    _tokenize(tmp_path, model, c["th_eval"], tmp_path / "ev", tasks=2)  # any task split: the folder's order
    pretrain(_pretrain_cfg(tmp_path, model, c, "raw", c["th_eval"], eval_max_bytes=None))
    pretrain(_pretrain_cfg(tmp_path, model, c, "tok", tmp_path / "ev", eval_max_bytes=None))
    a, b = read_metrics(tmp_path / "raw" / "metrics.jsonl"), read_metrics(tmp_path / "tok" / "metrics.jsonl")
    assert [r["eval_bpb_th"] for r in a] == [r["eval_bpb_th"] for r in b] and len(a) == 3
    # the text was tokenised through the corpus pipeline, in one task (the file's document order)
    stats = json.loads((tmp_path / "raw" / "tokens" / "eval-th" / "stats.json").read_text())
    assert stats["documents"] == 20 and len(stats["shards"]) == 1 and stats["doc_bytes"] is True


def test_an_eval_folder_of_another_tokenizer_or_without_byte_counts_is_refused(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    other = make_tokenizer(EN * 3)
    other.save_pretrained(tmp_path / "other")
    _tokenize(tmp_path, tmp_path / "other", c["th_eval"], tmp_path / "ev-other")
    with pytest.raises(IncompatibleError, match=r"ev-other was tokenised with .*other \(fingerprint \w+"):
        pretrain(_pretrain_cfg(tmp_path, model, c, "o1", tmp_path / "ev-other"))
    path = write_corpus(tmp_path / "th2.txt", TH, 10, 9, sep="")
    _tokenize(tmp_path, model, path, tmp_path / "ev-old")
    stats = json.loads((tmp_path / "ev-old" / "stats.json").read_text())
    del stats["doc_bytes"]  # a folder written before .ds.bytes existed
    (tmp_path / "ev-old" / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(IncompatibleError, match=r"ev-old holds no per-document byte counts .*tokenise it again") as err:
        pretrain(_pretrain_cfg(tmp_path, model, c, "o2", tmp_path / "ev-old"))
    assert "\n" not in str(err.value)
