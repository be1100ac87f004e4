"""`pretrain()` on tiny models: loss goes down per objective, stages, LoRA, exact resume, outputs."""

from __future__ import annotations

import pytest
import torch
from test_train_helpers import corpora, make_model_dir, one_thread, read_metrics  # noqa: F401
from transformers import TrainerCallback

from seapt.train.config import PretrainConfig, StageConfig
from seapt.train.pretrain import pretrain


def _cfg(tmp_path, model, c, **kw):
    base = dict(model=str(model), output=str(tmp_path / "out"), data={"th": str(c["th"])}, block_size=32,
                batch_size=4, max_steps=16, log_steps=4, eval_steps=8, save_steps=8, learning_rate=3e-3,
                warmup_ratio=0.0)
    base.update(kw)
    return PretrainConfig(**base)


def _losses(path):
    return [r["loss"] for r in read_metrics(path) if "loss" in r]


def test_clm_loss_goes_down_and_outputs_are_complete(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path, base_vocab=200)
    cfg = _cfg(tmp_path, model, c, english=str(c["en"]), english_weight=0.2,
               eval={"th": str(c["th_eval"]), "en": str(c["en_eval"])})
    summary = pretrain(cfg)
    out = tmp_path / "out"
    rows = read_metrics(out / "metrics.jsonl")
    losses = _losses(out / "metrics.jsonl")
    assert losses[-1] < losses[0] * 0.9
    assert rows[0]["step"] == 0 and "eval_bpb_th" in rows[0] and "eval_bpb_en" in rows[0]
    assert rows[-1]["step"] == 16 and rows[-1]["eval_bpb_th"] < rows[0]["eval_bpb_th"]
    assert all({"step", "loss", "lr", "tokens_seen"} <= r.keys() for r in rows[1:])
    assert all(r["tokens_th"] + r["tokens_en"] == r["tokens_seen"] and r["tokens_en"] > 0 for r in rows[1:])
    assert [r["tokens_seen"] for r in rows] == sorted(r["tokens_seen"] for r in rows)
    assert summary["steps"] == 16 and summary["tokens_seen"] == rows[-1]["tokens_seen"]
    final = out / "final"
    assert (final / ".done").is_file() and (final / "seapt_extension.json").is_file() and (out / "run.yaml").is_file()
    AutoModelForCausalLM.from_pretrained(final)
    AutoTokenizer.from_pretrained(final)
    assert pretrain(cfg)["steps"] == 16  # finished run: returns at once
    from dataclasses import replace

    from seapt.errors import ConfigError

    assert pretrain(replace(cfg, log_steps=2, eval_steps=4))["steps"] == 16  # reporting changes: same run
    with pytest.raises(ConfigError, match=r"finished run made with other settings \(max_steps: 16 -> 24\)"):
        pretrain(replace(cfg, max_steps=24))  # not the old summary for a run it did not do


def test_tokenizer_without_pad_token_trains(tmp_path):
    """Llama-3 ships no pad token: packed blocks must not need the tokenizer to pad."""
    from transformers import AutoTokenizer

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    tok = AutoTokenizer.from_pretrained(model)
    tok.pad_token = None
    tok.save_pretrained(model)
    assert AutoTokenizer.from_pretrained(model).pad_token_id is None
    summary = pretrain(_cfg(tmp_path, model, c, max_steps=2, save_steps=2, eval_steps=2))
    assert summary["steps"] == 2


class _Crash(TrainerCallback):
    def __init__(self, at):
        self.at = at

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.at:
            raise RuntimeError("simulated crash")


def test_kill_and_resume_equals_uninterrupted(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    kw = dict(english=str(c["en"]), english_weight=0.3, max_steps=12, log_steps=3, save_steps=4, eval_steps=6,
              eval={"th": str(c["th_eval"])})
    ref = _cfg(tmp_path, model, c, output=str(tmp_path / "ref"), **kw)
    pretrain(ref)
    run = _cfg(tmp_path, model, c, output=str(tmp_path / "run"), **kw)
    with pytest.raises(RuntimeError, match="simulated crash"):
        pretrain(run, callbacks=[_Crash(7)])
    # an interrupted checkpoint write (no completion marker) must never be resumed from
    (tmp_path / "run" / "checkpoint-11").mkdir()
    pretrain(run)
    a, b = read_metrics(tmp_path / "ref" / "metrics.jsonl"), read_metrics(tmp_path / "run" / "metrics.jsonl")
    assert [r["step"] for r in a] == [r["step"] for r in b] == [0, 3, 4, 6, 8, 9, 12]
    for ra, rb in zip(a, b):
        assert ra.keys() == rb.keys() and ra["tokens_seen"] == rb["tokens_seen"]
        for k in ra:
            if isinstance(ra[k], float):
                assert rb[k] == pytest.approx(ra[k], abs=1e-6, rel=1e-6), (ra["step"], k)
    assert not (tmp_path / "run" / "checkpoint-11").exists()


def test_killed_before_first_checkpoint_resumes_without_a_second_step_zero_line(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    run = _cfg(tmp_path, model, c, max_steps=4, log_steps=2, save_steps=4, eval_steps=4,
               eval={"th": str(c["th_eval"])})
    with pytest.raises(RuntimeError, match="simulated crash"):
        pretrain(run, callbacks=[_Crash(1)])
    pretrain(run)
    assert [r["step"] for r in read_metrics(tmp_path / "out" / "metrics.jsonl")] == [0, 2, 4]


def test_stage_one_changes_only_new_embedding_rows(tmp_path):
    from safetensors.torch import load_file

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path, base_vocab=200)
    cfg = _cfg(tmp_path, model, c, stages=[StageConfig(name="emb", steps=6, train="new_embeddings"),
                                           StageConfig(name="all", steps=4, train="all")],
               embedding_learning_rate=1e-2, max_steps=None)
    pretrain(cfg)
    before = load_file(model / "model.safetensors")
    mid = load_file(tmp_path / "out" / "stage-emb" / "final" / "model.safetensors")
    after = load_file(tmp_path / "out" / "final" / "model.safetensors")
    for name in ("model.embed_tokens.weight", "lm_head.weight"):
        assert torch.equal(mid[name][:200], before[name][:200]), name  # base rows bit-identical
        assert not torch.equal(mid[name][200:], before[name][200:]), name  # new rows learned
    for name, w in before.items():
        if "embed_tokens" not in name and "lm_head" not in name:
            assert torch.equal(mid[name], w), name
    assert not torch.equal(after["model.layers.0.mlp.up_proj.weight"], before["model.layers.0.mlp.up_proj.weight"])
    steps = [r["step"] for r in read_metrics(tmp_path / "out" / "metrics.jsonl")]
    assert steps == sorted(steps) and steps[-1] == 10


def test_all_but_base_rows_trains_everything_except_the_base_embedding_rows(tmp_path):
    from safetensors.torch import load_file

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path, base_vocab=200)
    cfg = _cfg(tmp_path, model, c, stages=[StageConfig(name="body", steps=4, train="all_but_base_rows")],
               embedding_learning_rate=1e-2, max_steps=None)
    pretrain(cfg)
    before = load_file(model / "model.safetensors")
    after = load_file(tmp_path / "out" / "final" / "model.safetensors")
    for name in ("model.embed_tokens.weight", "lm_head.weight"):
        assert torch.equal(after[name][:200], before[name][:200]), name  # base rows bit-identical
        assert not torch.equal(after[name][200:], before[name][200:]), name  # new rows learned
    assert not torch.equal(after["model.layers.0.mlp.up_proj.weight"], before["model.layers.0.mlp.up_proj.weight"])
    assert not torch.equal(after["model.norm.weight"], before["model.norm.weight"])


def test_mlm_with_whole_word_masking_loss_goes_down(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path, kind="bert")
    cfg = _cfg(tmp_path, model, c, objective="mlm", whole_word_masking=True, max_steps=24, mlm_probability=0.3)
    pretrain(cfg)
    losses = _losses(tmp_path / "out" / "metrics.jsonl")
    assert losses[-1] < losses[0] * 0.9


def test_contrastive_loss_goes_down(tmp_path):
    from transformers import AutoModel

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path, kind="bert")
    cfg = _cfg(tmp_path, model, c, objective="contrastive", max_steps=24, batch_size=8, learning_rate=1e-3)
    pretrain(cfg)
    losses = _losses(tmp_path / "out" / "metrics.jsonl")
    assert losses[-1] < losses[0] * 0.9
    AutoModel.from_pretrained(tmp_path / "out" / "final")


def test_lora_stage_saves_a_merged_model_with_full_embeddings(tmp_path):
    from transformers import AutoModelForCausalLM

    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    cfg = _cfg(tmp_path, model, c, stages=[StageConfig(name="lora", steps=12, train="lora")], max_steps=None)
    pretrain(cfg)
    losses = _losses(tmp_path / "out" / "metrics.jsonl")
    assert losses[-1] < losses[0]
    base = AutoModelForCausalLM.from_pretrained(model)
    tuned = AutoModelForCausalLM.from_pretrained(tmp_path / "out" / "final")
    assert set(base.state_dict()) == set(tuned.state_dict())  # plain model, no adapter keys
    assert not torch.equal(base.model.embed_tokens.weight, tuned.model.embed_tokens.weight)
    assert not torch.equal(base.model.layers[0].mlp.up_proj.weight, tuned.model.layers[0].mlp.up_proj.weight)


def test_training_arguments_follow_the_config(tmp_path):
    from seapt.errors import ConfigError
    from seapt.train.pretrain import _training_args

    base = dict(model="m", output="o", data={"th": "x.txt"})
    cfg = PretrainConfig(**base, gradient_checkpointing=True, compile=True, report_to=["tensorboard"])
    args = _training_args(cfg, cfg.resolved_stages()[0], tmp_path)
    assert getattr(args, "activation_checkpointing", None) or args.gradient_checkpointing
    assert args.torch_compile and args.report_to == ["tensorboard"]
    default = PretrainConfig(**base)
    args = _training_args(default, default.resolved_stages()[0], tmp_path)
    assert args.report_to in ([], ["none"], "none")  # never an integration (or a login prompt) by default
    assert args.bf16 is torch.cuda.is_available() and args.train_sampling_strategy == "sequential"
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="^precision: "):
            _training_args(PretrainConfig(**base, precision="bf16"), default.resolved_stages()[0], tmp_path)


def test_embeddings_get_their_own_learning_rate_and_no_decay(tmp_path):
    from transformers import TrainingArguments

    from seapt.train.trainer import SeaptTrainer, embedding_module_names, load_for_training

    model = load_for_training(str(make_model_dir(tmp_path)), "clm", "sdpa")
    args = TrainingArguments(output_dir=str(tmp_path / "o"), learning_rate=1e-4, weight_decay=0.1, use_cpu=True,
                             report_to="none")
    trainer = SeaptTrainer(model=model, args=args, embedding_lr=3e-3, embedding_names=embedding_module_names(model))
    groups = trainer.create_optimizer().param_groups
    emb = {id(model.model.embed_tokens.weight), id(model.lm_head.weight)}
    by_lr = {g["lr"]: {id(p) for p in g["params"]} for g in groups if g["lr"] == 3e-3}
    assert by_lr[3e-3] == emb and all(g["weight_decay"] == 0 for g in groups if g["lr"] == 3e-3)
    assert sum(len(g["params"]) for g in groups) == len(list(model.parameters()))


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_bf16_on_gpu(tmp_path):
    c = corpora(tmp_path)
    model = make_model_dir(tmp_path)
    summary = pretrain(_cfg(tmp_path, model, c, eval={"th": str(c["th_eval"])}))
    assert summary["steps"] == 16
    run = (tmp_path / "out" / "checkpoint-16" / "training_args.bin")
    assert torch.load(run, weights_only=False).bf16 is torch.cuda.is_bf16_supported()


def test_new_embeddings_stage_refuses_sharded_launches(tmp_path, monkeypatch):
    from seapt.errors import UnsupportedError
    from seapt.train.trainer import load_for_training, setup_trainable

    model = load_for_training(str(make_model_dir(tmp_path)), "clm", "sdpa")
    monkeypatch.setenv("ACCELERATE_USE_FSDP", "true")
    for mode in ("new_embeddings", "all_but_base_rows"):
        with pytest.raises(UnsupportedError, match=f"stages.train: {mode}"):
            setup_trainable(model, mode, base_rows=200)


def test_auto_attention_is_flex_on_cuda_for_masked_causal_lm_else_sdpa(tmp_path, monkeypatch):
    from seapt.train.trainer import attn_candidates, load_for_training

    assert attn_candidates("eager", "clm", True) == ["eager"]  # an explicit choice is kept
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert attn_candidates("auto", "clm", True) == ["sdpa"]  # CPU: FlexAttention has no backward there
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert attn_candidates("auto", "clm", True) == ["flex_attention", "sdpa"]
    assert attn_candidates("auto", "clm", False) == ["sdpa"] and attn_candidates("auto", "mlm", True) == ["sdpa"]
    model = load_for_training(str(make_model_dir(tmp_path)), "clm", "auto", document_mask=True)  # loading works on CPU
    assert model.config._attn_implementation == "flex_attention"


def test_auto_attention_falls_back_to_sdpa_when_flex_does_not_load():
    from seapt.train.trainer import _first_loadable

    class Model:
        @classmethod
        def from_pretrained(cls, path, dtype, attn_implementation):
            if attn_implementation == "flex_attention":
                raise ValueError("this model does not support flex_attention")
            return attn_implementation

    assert _first_loadable(Model, "m", ["flex_attention", "sdpa"]) == "sdpa"
    with pytest.raises(ValueError, match="flex_attention"):  # the last candidate's error is the one raised
        _first_loadable(Model, "m", ["flex_attention"])


def test_an_attention_kernel_the_model_cannot_use_is_a_config_error(tmp_path):
    from seapt.errors import ConfigError
    from seapt.train.trainer import load_for_training

    with pytest.raises(ConfigError, match="attn_implementation: 'no_such_kernel'"):
        load_for_training(str(make_model_dir(tmp_path)), "clm", "no_such_kernel")
