"""`seapt corpus tokenize` and training on its shards: format, resume, damaged shards, and bad input."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest
from test_train_helpers import EN, TH, corpora, make_model_dir, make_tokenizer, one_thread, read_metrics, write_corpus  # noqa: F401
from typer.testing import CliRunner

from seapt.cli import app
from seapt.corpus.tokenize import tokenize_corpus
from seapt.corpus.tokenize_config import TokenizeConfig
from seapt.errors import IncompatibleError, InputError
from seapt.train.config import PretrainConfig
from seapt.train.pretrain import pretrain
from seapt.train.token_source import TokenSource


def _tok_dir(tmp_path, texts):
    tok = make_tokenizer(texts)
    tok.save_pretrained(tmp_path / "tok")
    return tok, tmp_path / "tok"


def _cfg(tmp_path, **kw):
    base = dict(output=str(tmp_path / "tokens"), separator="eos", progress=False)
    base.update(kw)
    return TokenizeConfig(**base)


def test_cli_tokenizes_a_prepared_corpus_folder_into_shards(tmp_path):
    texts = write_corpus(tmp_path / "th.txt", TH, 40, 1, sep="").read_text(encoding="utf-8").splitlines()
    tok, tok_dir = _tok_dir(tmp_path, texts)
    corpus = tmp_path / "corpus"
    (corpus / "data").mkdir(parents=True)
    (corpus / "removed").mkdir()
    with gzip.open(corpus / "data" / "00000.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"text": t, "id": str(i)}) + "\n" for i, t in enumerate(texts))
    with gzip.open(corpus / "removed" / "0_quality.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "never tokenised", "id": "x"}) + "\n")
    out = tmp_path / "tokens"
    res = CliRunner().invoke(app, ["corpus", "tokenize", "--tokenizer", str(tok_dir), "--input", str(corpus),
                                   "--output", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "40 documents" in res.output and "MB/s" in res.output
    stats = json.loads((out / "stats.json").read_text())
    expected = [t for text in texts for t in [*tok(text, add_special_tokens=False)["input_ids"], tok.eos_token_id]]
    assert {k: stats[k] for k in ("documents", "tokens", "dtype", "tokenizer")} == {
        "documents": 40, "tokens": len(expected), "dtype": "uint16", "tokenizer": str(tok_dir)}
    assert stats["bytes_in"] > sum(len(t.encode()) for t in texts) and stats["vocab_size"] == len(tok)
    assert np.fromfile(out / "00000.ds", dtype="<u2").tolist() == expected
    ends = np.fromfile(out / "00000.ds.index", dtype="<u8")
    assert ends.tolist() == np.cumsum([len(tok(t, add_special_tokens=False)["input_ids"]) + 1 for t in texts]).tolist()
    meta = (out / "00000.ds.metadata").read_text().splitlines()
    assert meta[0] == f"{tok_dir}|2" and int(meta[1]) == len(expected)  # datatrove's metadata lines first


def test_two_tasks_split_the_documents_and_a_damaged_shard_is_redone(tmp_path):
    path = write_corpus(tmp_path / "en.txt", EN, 60, 2)
    tok, tok_dir = _tok_dir(tmp_path, path.read_text(encoding="utf-8").splitlines())
    one = tokenize_corpus(_cfg(tmp_path, tokenizer=str(tok_dir), inputs=[str(path)], output=str(tmp_path / "one")))
    cfg = _cfg(tmp_path, tokenizer=str(tok_dir), inputs=[str(path)], workers=2)
    two = tokenize_corpus(cfg)
    assert len(two["shards"]) == 2 and (two["tokens"], two["documents"]) == (one["tokens"], one["documents"])
    out = tmp_path / "tokens"
    whole = (out / "00001.ds").read_bytes()
    with open(out / "00001.ds", "r+b") as fh:  # a killed writer / interrupted copy
        fh.truncate(len(whole) // 2)
    with pytest.raises(InputError, match=r"00001.ds has \d+ bytes, its metadata says \d+ .*re-run `seapt corpus tokenize`"):
        TokenSource.open("en", out)
    again = tokenize_corpus(cfg)
    assert (out / "00001.ds").read_bytes() == whole and again["tokens"] == two["tokens"]
    assert TokenSource.open("en", out).tokens == two["tokens"]


def _pretrain_cfg(tmp_path, model, data, **kw):
    base = dict(model=str(model), output=str(tmp_path / "out"), data=data, block_size=32, batch_size=4,
                max_steps=6, log_steps=2, eval_steps=6, save_steps=6, learning_rate=3e-3, warmup_ratio=0.0)
    base.update(kw)
    return PretrainConfig(**base)


def test_pretrain_on_a_tokenised_folder_equals_pretrain_on_the_raw_text(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    raw = _pretrain_cfg(tmp_path, model, {"th": str(c["th"])}, output=str(tmp_path / "raw"), tokenize_tasks=2)
    pretrain(raw)
    tokenize_corpus(_cfg(tmp_path, tokenizer=str(model), inputs=[str(c["th"])], tasks=2))
    pre = _pretrain_cfg(tmp_path, model, {"th": str(tmp_path / "tokens")}, output=str(tmp_path / "pre"))
    pretrain(pre)
    a, b = read_metrics(tmp_path / "raw" / "metrics.jsonl"), read_metrics(tmp_path / "pre" / "metrics.jsonl")
    assert [r["loss"] for r in a] == [r["loss"] for r in b] and len(a) == 3
    assert [r["tokens_th"] for r in a] == [r["tokens_seen"] for r in b]
    assert (tmp_path / "raw" / "tokens" / "th" / "00001.ds").read_bytes() == (tmp_path / "tokens" / "00001.ds").read_bytes()


def test_a_folder_tokenised_with_another_tokenizer_is_refused_naming_both(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    _, other = _tok_dir(tmp_path, EN * 3)
    tokenize_corpus(_cfg(tmp_path, tokenizer=str(other), inputs=[str(c["th"])]))
    cfg = _pretrain_cfg(tmp_path, model, {"th": str(tmp_path / "tokens")})
    with pytest.raises(IncompatibleError, match=rf"tokenised with {other} \(fingerprint \w+, \d+ tokens\), not with the "
                                                rf"tokenizer of {model} \(fingerprint \w+, \d+ tokens\)"):
        pretrain(cfg)


def test_an_empty_source_is_a_one_line_error(tmp_path):
    model = make_model_dir(tmp_path)
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="source th holds no tokens") as err:
        pretrain(_pretrain_cfg(tmp_path, model, {"th": str(tmp_path / "empty.txt")}))
    assert "\n" not in str(err.value)


def test_token_ids_beyond_the_embedding_rows_fail_before_step_one(tmp_path):
    from transformers import AutoModelForCausalLM

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    m = AutoModelForCausalLM.from_pretrained(model)
    m.resize_token_embeddings(100)  # fewer rows than the ids the corpus holds
    m.save_pretrained(model)
    with pytest.raises(IncompatibleError, match=r"source th holds token id \d+ but the model has only 100 embedding rows"):
        pretrain(_pretrain_cfg(tmp_path, model, {"th": str(c["th"])}))
    assert not (tmp_path / "out" / "metrics.jsonl").exists() or "loss" not in (tmp_path / "out" / "metrics.jsonl").read_text()


def test_a_folder_with_another_separator_or_without_word_flags_is_refused(tmp_path):
    from seapt.corpus.token_shards import tokenizer_identity
    from seapt.train.sources import check_identity

    tok, _ = _tok_dir(tmp_path, EN * 3)
    info = {**tokenizer_identity(tok), "separator_id": tok.eos_token_id, "word_lang": None, "tokenizer": "t"}
    check_identity("d", info, tok, "m", tok.eos_token_id, words=False)  # matches: no error
    with pytest.raises(IncompatibleError, match=rf"d separates documents with token {tok.eos_token_id}, this "
                                                rf"objective needs {tok.pad_token_id}"):
        check_identity("d", info, tok, "m", tok.pad_token_id, words=False)
    with pytest.raises(IncompatibleError, match="d has no word-start flags, which whole_word_masking needs"):
        check_identity("d", info, tok, "m", tok.eos_token_id, words=True)


def test_a_process_waiting_for_a_dead_one_stops_with_a_one_line_error(tmp_path, monkeypatch):
    """Two training processes tokenise a raw source, two tasks each: rank 1 finishes its share and waits for
    rank 0, which never comes (dead): a bounded wait, then an error saying what to do. Rank 0, started later,
    runs its share and the stats stage, and rank 1's tasks are kept."""
    from seapt.train.sources import tokenise

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    cfg = _pretrain_cfg(tmp_path, model, {"th": str(c["th"])}, tokenize_tasks=4, tokenize_wait_s=1.0)
    out = tmp_path / "out" / "tokens" / "th"
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "1")
    with pytest.raises(InputError, match=r"waited 1 s for the other processes' tokenising tasks \(2/4 done\) into "
                                         r".*probably stopped: see its log and re-run") as err:
        tokenise(cfg, "th", str(c["th"]), out, "eos")
    assert "\n" not in str(err.value) and not (out / "stats.json").exists()
    kept = (out / "00002.ds").read_bytes()
    monkeypatch.setenv("RANK", "0")
    tokenise(cfg, "th", str(c["th"]), out, "eos")
    assert json.loads((out / "stats.json").read_text())["documents"] == 300 and (out / "00002.ds").read_bytes() == kept
