"""seapt.model.embeddings: grown embeddings keep every base row and base logit, new rows are initialised
as promised, and the saved folder reloads and generates — on tiny Llama, Qwen2, GPT-2 and BERT models."""

from __future__ import annotations

import json
import warnings

import pytest
import torch
from test_model_tiny import THAI, byte_level_pair, tiny_model, wordpiece_pair

from seapt.errors import ConfigError, IncompatibleError
from seapt.model.embeddings import extend_model

# (name, model kind, tokenizer family, tiny_model kwargs)
CASES = {
    "llama-untied": ("llama", "bpe", {"tied": False}),
    "qwen2-padded": ("qwen2", "bpe", {"extra_rows": 70}),
    "gpt2": ("gpt2", "bpe", {}),
    "bert-mlm": ("bert", "wordpiece", {}),
}


@pytest.fixture(scope="module")
def tokenizers_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("toks")
    return {"bpe": byte_level_pair(root), "wordpiece": wordpiece_pair(root)}


@pytest.fixture(scope="module")
def extended(tmp_path_factory, tokenizers_dir):
    """Each case extended once with init=mean: {case: (base_dir, ext_tok_dir, out_dir, meta)}."""
    root = tmp_path_factory.mktemp("models")
    done = {}
    for case, (kind, family, kw) in CASES.items():
        base_tok, ext_tok = tokenizers_dir[family]
        base = tiny_model(kind, base_tok, root / case, **kw)
        out = root / f"{case}-mean"
        meta = extend_model(str(base), str(ext_tok), str(out), progress=False)
        done[case] = (base, ext_tok, out, meta)
    return done


def _auto(kind):
    from transformers import AutoModelForCausalLM, AutoModelForMaskedLM

    return AutoModelForMaskedLM if kind == "bert" else AutoModelForCausalLM


def _load(case, folder):
    return _auto(CASES[case][0]).from_pretrained(folder).eval()


def _weights(model):
    inp = model.get_input_embeddings().weight
    head = model.get_output_embeddings()
    return inp, head.weight, getattr(head, "bias", None)


@pytest.mark.parametrize("case", list(CASES))
def test_base_rows_are_bit_identical(extended, case):
    base_dir, _, out, meta = extended[case]
    base, ext = _load(case, base_dir), _load(case, out)
    new_ids = set(range(meta["base_vocab_size"], meta["vocab_size"]))
    keep = torch.tensor([i for i in range(meta["rows_before"]) if i not in new_ids])
    for old, new in zip(_weights(base), _weights(ext)):
        if old is not None:
            assert new.shape[0] == meta["rows_after"]
            assert torch.equal(old[keep], new[keep])


@pytest.mark.parametrize("case", list(CASES))
def test_logits_over_the_base_vocab_are_unchanged_on_base_ids(extended, case):
    base_dir, _, out, meta = extended[case]
    base, ext = _load(case, base_dir), _load(case, out)
    gen = torch.Generator().manual_seed(1)
    ids = torch.randint(0, meta["base_vocab_size"], (2, 12), generator=gen)
    with torch.no_grad():
        a = base(input_ids=ids).logits[..., : meta["base_vocab_size"]]
        b = ext(input_ids=ids).logits[..., : meta["base_vocab_size"]]
    torch.testing.assert_close(a, b, atol=1e-5, rtol=0)


@pytest.mark.parametrize("case", ["llama-untied", "qwen2-padded", "gpt2"])
def test_mean_init_rows_are_the_mean_of_the_base_pieces(extended, case):
    from transformers import AutoTokenizer

    base_dir, ext_dir, out, meta = extended[case]
    base, ext = _load(case, base_dir), _load(case, out)
    base_tok, ext_tok = AutoTokenizer.from_pretrained(base_dir), AutoTokenizer.from_pretrained(ext_dir)
    checked = 0
    for i in range(meta["base_vocab_size"], meta["vocab_size"]):
        text = ext_tok.decode([i])  # byte-level alphabet -> real text, by the tokenizer's own decoder
        if "\ufffd" in text:
            continue  # a partial UTF-8 token: covered in test_model_pieces
        pieces = base_tok(text, add_special_tokens=False)["input_ids"]
        for old, new in zip(_weights(base)[:2], _weights(ext)[:2]):
            torch.testing.assert_close(new[i], old[pieces].mean(0), atol=1e-6, rtol=0)
        checked += 1
    assert checked >= 20


def test_qwen_padded_rows_taken_by_new_tokens_are_initialised(extended):
    base_dir, _, out, meta = extended["qwen2-padded"]
    assert meta["rows_after"] == meta["rows_before"] and meta["reused_rows"] == meta["added_tokens"] > 0
    old, new = _weights(_load("qwen2-padded", base_dir))[0], _weights(_load("qwen2-padded", out))[0]
    new_rows = slice(meta["base_vocab_size"], meta["vocab_size"])
    assert not torch.isclose(old[new_rows], new[new_rows]).all(dim=1).any()


@pytest.mark.parametrize("case", list(CASES))
def test_saved_folder_reloads_ties_and_runs(extended, case):
    from transformers import AutoTokenizer

    kind = CASES[case][0]
    _, _, out, meta = extended[case]
    model, info = _auto(kind).from_pretrained(out, output_loading_info=True)
    tok = AutoTokenizer.from_pretrained(out)
    assert not info["missing_keys"]
    assert len(tok) == meta["vocab_size"]
    assert model.config.vocab_size == meta["rows_after"]
    if meta["rows_after"] != meta["rows_before"]:
        assert meta["rows_after"] % 64 == 0
    inp, head, _ = _weights(model)
    assert (inp.data_ptr() == head.data_ptr()) == meta["tied"]
    ids = tok(THAI[1], return_tensors="pt")
    assert ids["input_ids"].max() >= meta["base_vocab_size"]  # the text uses new tokens
    with torch.no_grad():
        if kind == "bert":
            assert model(**ids).logits.shape[-1] == meta["rows_after"]
        else:
            generated = model.generate(**ids, max_new_tokens=3, do_sample=False)
            assert generated.shape[1] == ids["input_ids"].shape[1] + 3
    saved = json.loads((out / "seapt_extension.json").read_text())
    assert saved["init"] == "mean" and saved["added_tokens"] == meta["vocab_size"] - meta["base_vocab_size"]


def test_metadata_records_the_extension(extended):
    _, ext_dir, _, meta = extended["gpt2"]
    assert meta["added"] == json.loads((ext_dir / "extension.json").read_text())["added"]
    assert meta["tokenizer"] == str(ext_dir) and meta["objective"] == "clm" and meta["tied"]


@pytest.mark.parametrize("init", ["random", "hf-mean"])
def test_other_inits_fill_new_rows_from_base_statistics(tmp_path, extended, init):
    for case in ("llama-untied", "qwen2-padded"):
        base_dir, ext_dir, mean_out, meta = extended[case]
        out = tmp_path / f"{case}-{init}"
        extend_model(str(base_dir), str(ext_dir), str(out), init=init, progress=False)
        base, ext, mean = (_load(case, d) for d in (base_dir, out, mean_out))
        new = slice(meta["base_vocab_size"], meta["vocab_size"])
        base_rows = _weights(base)[0][: meta["base_vocab_size"]]
        rows = _weights(ext)[0][new]
        assert not torch.allclose(rows, _weights(mean)[0][new])
        if init == "hf-mean":  # centred on the mean of the old rows with a tiny covariance
            centre = _weights(base)[0][: meta["rows_before"]].mean(0)
            torch.testing.assert_close(rows, centre.expand_as(rows), atol=1e-3, rtol=0)
        else:
            assert abs(rows.std() - base_rows.std()) < 0.3 * base_rows.std()
            assert (rows - base_rows.mean(0)).abs().mean() > 0.5 * base_rows.std()


def test_random_init_is_reproducible(tmp_path, extended):
    base_dir, ext_dir, _, _ = extended["gpt2"]
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        extend_model(str(base_dir), str(ext_dir), str(out), init="random", progress=False)
    a, b = (_weights(_load("gpt2", o))[0] for o in outs)
    assert torch.equal(a, b)


def test_dtype_is_kept_unless_asked(tmp_path, tokenizers_dir):
    base_tok, ext_tok = tokenizers_dir["bpe"]
    base = tiny_model("llama", base_tok, tmp_path / "bf16", dtype=torch.bfloat16)
    kept = extend_model(str(base), str(ext_tok), str(tmp_path / "kept"), progress=False)
    assert kept["model_dtype"] == "bfloat16"
    assert _weights(_load("llama-untied", tmp_path / "kept"))[0].dtype == torch.bfloat16
    cast = extend_model(str(base), str(ext_tok), str(tmp_path / "fp32"), dtype="fp32", progress=False)
    assert cast["model_dtype"] == "float32"
    assert _weights(_load("llama-untied", tmp_path / "fp32"))[0].dtype == torch.float32


def test_bert_without_mlm_head_gets_one_with_a_warning(tmp_path, tokenizers_dir):
    from transformers import AutoModelForMaskedLM

    base_tok, ext_tok = tokenizers_dir["wordpiece"]
    base = tiny_model("bert-no-head", base_tok, tmp_path / "enc")
    with pytest.warns(UserWarning, match="no masked-LM head"):
        meta = extend_model(str(base), str(ext_tok), str(tmp_path / "out"), progress=False)
    assert meta["mlm_head_initialised"] and meta["objective"] == "mlm"
    _, info = AutoModelForMaskedLM.from_pretrained(tmp_path / "out", output_loading_info=True)
    assert not info["missing_keys"]


def test_a_tokenizer_of_another_base_is_incompatible(tmp_path, extended, tokenizers_dir):
    base_dir = extended["gpt2"][0]
    _, other = tokenizers_dir["wordpiece"]
    with pytest.raises(IncompatibleError, match="not an extension of"):
        extend_model(str(base_dir), str(other), str(tmp_path / "x"), progress=False)
    assert not (tmp_path / "x").exists()


def test_rerun_resumes_and_other_arguments_are_refused(extended):
    base_dir, ext_dir, out, meta = extended["gpt2"]
    weights = out / "model.safetensors"
    before = weights.stat().st_mtime_ns
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = extend_model(str(base_dir), str(ext_dir), str(out), progress=False)
    assert again == meta and weights.stat().st_mtime_ns == before
    with pytest.raises(ConfigError, match=r"made with other settings \(init: 'mean' -> 'random'\)"):
        extend_model(str(base_dir), str(ext_dir), str(out), init="random", progress=False)


@pytest.mark.parametrize("kwargs, field", [({"init": "zeros"}, "init"), ({"dtype": "int8"}, "dtype"),
                                           ({"pad_to_multiple_of": 0}, "pad_to_multiple_of")])
def test_bad_arguments_name_the_field(tmp_path, extended, kwargs, field):
    base_dir, ext_dir, _, _ = extended["gpt2"]
    with pytest.raises(ConfigError, match=field):
        extend_model(str(base_dir), str(ext_dir), str(tmp_path / "y"), progress=False, **kwargs)


def test_through_seapt_tokenizer_extend(tmp_path, tokenizers_dir):
    """The real pipeline: seapt.vocab extends the tiny base tokenizer (Thai-marks pre-tokenizer fix
    included), then the model grows for it with every invariant holding."""
    from transformers import AutoTokenizer

    from seapt.vocab.config import ExtendConfig
    from seapt.vocab.extend import extend_tokenizer

    base_tok, _ = tokenizers_dir["bpe"]
    corpus = tmp_path / "th.txt"
    corpus.write_text("\n".join(THAI * 3) + "\n", encoding="utf-8")
    english = tmp_path / "en.txt"
    english.write_text("The quick brown fox.\ndef f(x):\n    return x\n", encoding="utf-8")
    ext_dir = tmp_path / "tok"
    extend_tokenizer(ExtendConfig(base=str(base_tok), corpus={"th": str(corpus)}, add={"th": 30},
                                  english=str(english), output=str(ext_dir)), progress=False)
    base = tiny_model("llama", base_tok, tmp_path / "base", tied=False)
    meta = extend_model(str(base), str(ext_dir), str(tmp_path / "out"), progress=False)
    assert meta["added_tokens"] > 10 and meta["tokens_without_pieces"] == 0
    old, new = _load("llama-untied", base), _load("llama-untied", tmp_path / "out")
    n = meta["base_vocab_size"]
    ids = torch.randint(0, n, (1, 16), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        torch.testing.assert_close(old(ids).logits, new(ids).logits[..., :n], atol=1e-5, rtol=0)
    base_hf, ext_hf = AutoTokenizer.from_pretrained(base_tok), AutoTokenizer.from_pretrained(ext_dir)
    for i in range(n, meta["vocab_size"]):
        text = ext_hf.decode([i])
        if "\ufffd" not in text:
            pieces = base_hf(text, add_special_tokens=False)["input_ids"]
            for a, b in zip(_weights(old)[:2], _weights(new)[:2]):
                torch.testing.assert_close(b[i], a[pieces].mean(0), atol=1e-6, rtol=0)


@pytest.mark.slow
@pytest.mark.parametrize("name, kind, rows", [("qwen2", "qwen2", 151936), ("llama3", "llama", None),
                                              ("mistral-v1", "llama", None)])
def test_real_base_tokenizers_with_tiny_models(tmp_path, shared_data, name, kind, rows):
    """Real vocabularies (../shared/base-tokenizers) extended by seapt.vocab on real Thai news, on tiny
    models: Qwen2's config vocab padded beyond its tokenizer, Llama-3's 256 added specials, Mistral's
    SentencePiece byte fallback."""
    from seapt.vocab.config import ExtendConfig
    from seapt.vocab.extend import extend_tokenizer

    base_tok = shared_data.parent / "base-tokenizers" / name
    if not base_tok.is_dir():
        pytest.skip(f"{base_tok} is not present")
    ext_dir = tmp_path / "tok"
    thaigov = shared_data / "raw/th_thaigov/thaigov_folder6.jsonl"
    extend_tokenizer(ExtendConfig(base=str(base_tok), corpus={"th": str(thaigov)},
                                  add={"th": 300}, output=str(ext_dir), max_chars_per_language=200_000,
                                  check_texts_per_language=20), progress=False)
    from transformers import AutoTokenizer

    n_tok = len(AutoTokenizer.from_pretrained(base_tok))
    base = tiny_model(kind, base_tok, tmp_path / "base", extra_rows=(rows - n_tok) if rows else 0, tied=True)
    meta = extend_model(str(base), str(ext_dir), str(tmp_path / "out"), progress=False)
    assert meta["added_tokens"] == 300 and meta["tokens_without_pieces"] == 0
    if rows:
        assert meta["rows_before"] == rows and meta["reused_rows"] > 0
    old, new = _load("gpt2", base), _load("gpt2", tmp_path / "out")
    old_w, new_w = _weights(old)[0], _weights(new)[0]
    n = meta["base_vocab_size"]
    assert torch.equal(old_w[:n], new_w[:n])
    added = slice(n, meta["vocab_size"])
    assert (new_w[added].abs().sum(1) > 0).all()
    if rows:  # the padded rows new tokens took were re-initialised
        taken = slice(n, min(meta["vocab_size"], rows))
        assert not torch.isclose(old_w[taken], new_w[taken]).all(dim=1).any()
    base_hf, ext_hf = AutoTokenizer.from_pretrained(base_tok), AutoTokenizer.from_pretrained(ext_dir)
    checked = 0
    for i in range(n, meta["vocab_size"]):
        text = ext_hf.decode([i])
        pieces = base_hf(text, add_special_tokens=False)["input_ids"]
        if "\ufffd" not in text and name != "mistral-v1":  # SentencePiece adds a "▁" to a bare string
            torch.testing.assert_close(new_w[i], old_w[pieces].mean(0), atol=1e-6, rtol=0)
            checked += 1
    assert checked > 200 or name == "mistral-v1"
    ids = torch.randint(0, n, (1, 24), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        torch.testing.assert_close(old(ids).logits[..., :n], new(ids).logits[..., :n], atol=1e-5, rtol=0)


def test_sentencepiece_tokenizer_model_reaches_the_model_and_the_trained_model(tmp_path):
    """transformers 5 saves only tokenizer.json: the grown tokenizer.model must still travel with the model."""
    from test_vocab_fixtures import sentencepiece_base, write_corpora

    from seapt.train.config import PretrainConfig
    from seapt.train.pretrain import pretrain
    from seapt.vocab.config import ExtendConfig
    from seapt.vocab.extend import extend_tokenizer

    base_tok = sentencepiece_base(tmp_path / "sp")
    corpora = write_corpora(tmp_path / "corpora")
    extend_tokenizer(ExtendConfig(base=str(base_tok), corpus={"th": str(corpora["th"])}, add={"th": 40},
                                  output=str(tmp_path / "tok"), segment=False))
    base = tiny_model("llama", base_tok, tmp_path / "base", tied=False)
    extend_model(str(base), str(tmp_path / "tok"), str(tmp_path / "model"), progress=False)
    grown = (tmp_path / "tok" / "tokenizer.model").read_bytes()
    assert (tmp_path / "model" / "tokenizer.model").read_bytes() == grown
    pretrain(PretrainConfig(model=str(tmp_path / "model"), data={"th": str(corpora["th"])},
                            output=str(tmp_path / "train"), max_steps=1, block_size=16, batch_size=2,
                            save_steps=1, eval_steps=1, log_steps=1))
    assert (tmp_path / "train" / "final" / "tokenizer.model").read_bytes() == grown
