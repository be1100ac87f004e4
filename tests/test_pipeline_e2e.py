"""The real stage chain on tiny data: corpus -> tokenizer -> model -> pretrain -> bench -> publish (dry run),
with a tiny byte-level BPE + 2-layer Llama base built in the test; then skipping and --from on real outputs.
About 15 s of CPU (45 s wall on the shared 2-core machine), so it runs by default."""

import json
from pathlib import Path

from seapt.io import read_json
from seapt.pipeline import load_recipe, run_recipe

ROOT = Path(__file__).resolve().parents[1]
LLAMA3_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def _tiny_base(folder: Path) -> Path:
    """Llama-3 style byte-level BPE trained on the bundled English sample, and a 2-layer Llama."""
    import torch
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    from seapt.io import iter_texts

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_SPLIT), "isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(list(iter_texts(ROOT / "corpora/en/sample.jsonl")), trainers.BpeTrainer(
        vocab_size=600, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    tok.add_special_tokens(["<|begin_of_text|>", "<|end_of_text|>", "<|pad|>"])
    # seapt pretrain's Trainer pads with the tokenizer's pad token (see the report: Llama-3 has none)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|begin_of_text|>",
                                   eos_token="<|end_of_text|>", pad_token="<|pad|>")
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=256,
                      bos_token_id=len(fast) - 3, eos_token_id=len(fast) - 2, pad_token_id=len(fast) - 1)
    LlamaForCausalLM(cfg).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


def test_real_chain_on_tiny_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = _tiny_base(tmp_path / "base")
    lines = (ROOT / "corpora/th/sample.jsonl").read_text(encoding="utf-8").splitlines()[:120]
    (tmp_path / "th.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    held = ROOT / "seapt/data/heldout"
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(f"""
name: tiny
base: {base}
langs: [th]
output: run
stages: [corpus, tokenizer, model, pretrain, bench, publish]
english: {ROOT / 'corpora/en/sample.jsonl'}
corpus:
  th: {{config: {ROOT / 'configs/corpus/th.yaml'}, inputs: [th.jsonl], progress: false,
        decontaminate: {{paths: [{held / 'th.txt'}]}}}}
tokenizer: {{add: {{th: 60}}, min_frequency: 2}}
model: {{init: mean, pad_to_multiple_of: 8}}
pretrain: {{block_size: 32, batch_size: 2, max_steps: 3, save_steps: 2, log_steps: 1, eval_steps: 100}}
bench:
  suite: {{bpb: {{th: {held / 'th.txt'}, en: {held / 'en.txt'}}}, parity: {{th: {held / 'th.txt'}, en: {held / 'en.txt'}}},
          block_size: 64, batch_size: 4, device: cpu}}
publish: {{repo_id: org/tiny-th, dry_run: true}}
""")
    cfg = load_recipe(recipe)
    manifest = run_recipe(cfg, log=lambda m: None)
    run = tmp_path / "run"
    assert [s for s, v in manifest["stages"].items() if v["status"] == "done"] == cfg.stages
    assert read_json(run / "corpus" / "th" / "stats.json")["kept"] > 50
    ext = read_json(run / "tokenizer" / "extension.json")
    assert ext["added"]["th"] > 0 and ext["checks"]["base_ids_preserved"]
    assert (run / "train" / "final" / "config.json").is_file()
    records = read_json(run / "bench" / "results.json")["records"]
    got = {(r["model"], r["task"], r["lang"], r["metric"]) for r in records}
    final = str(Path("run") / "train" / "final")  # bench labels models as the recipe names them
    assert ("baseline", "bpb", "th", "bpb") in got and (final, "bpb", "th", "bpb") in got
    assert ("baseline", "fertility", "th", "tokens_per_word") in got
    tpw = {r["model"]: r["value"] for r in records if r["metric"] == "tokens_per_word" and r["lang"] == "th"}
    assert tpw[final] < tpw["baseline"]  # the extended tokenizer needs fewer tokens per Thai word
    files = run / "publish" / "files"
    assert (files / "model.safetensors").is_file() and (files / "bench" / "results.json").is_file()
    from huggingface_hub import ModelCard

    card = ModelCard.load(files / "README.md")
    # a local base folder is no Hub id (the Hub rejects it as base_model): the card names it in its text
    assert card.data.base_model is None and str(base) in card.text and card.data.eval_results
    saved = json.loads((run / "run.json").read_text())
    assert saved["stages"]["pretrain"]["inputs"][0] == str(Path("run") / "model")

    again = run_recipe(load_recipe(recipe), log=lambda m: None)
    assert {v["status"] for v in again["stages"].values()} == {"skipped"}
    redo = run_recipe(load_recipe(recipe), from_stage="bench", log=lambda m: None)
    assert [s for s, v in redo["stages"].items() if v["status"] == "done"] == ["bench", "publish"]
