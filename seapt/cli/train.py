"""CLI of the train stage: `seapt pretrain` (flags map onto PretrainConfig fields; re-running resumes)."""

from __future__ import annotations

from pathlib import Path

import typer

from seapt.cli._common import console, handle_errors, overwrite_option, parse_pairs
from seapt.errors import ConfigError


def _path_weight(value: str, option: str) -> tuple[str, float | None]:
    """Split PATH[:WEIGHT]; the weight is the part after the last ':' when it is a number."""
    path, sep, tail = value.rpartition(":")
    if sep:
        try:
            return path, float(tail)
        except ValueError:
            pass
    if not value:
        raise ConfigError(f"{option}: expected PATH[:WEIGHT]")
    return value, None


def flags_to_dict(model, data, english, eval_, objective, output, **numbers) -> dict:
    """The config fields given as command-line flags (layered over --config, under --set)."""
    out: dict = {k: v for k, v in numbers.items() if v is not None}
    for key, value in (("model", model), ("objective", objective), ("output", output)):
        if value is not None:
            out[key] = value
    for lang, spec in parse_pairs(data, "--data"):
        path, weight = _path_weight(spec, "--data")
        out.setdefault("data", {})[lang] = path
        if weight is not None:
            out.setdefault("weights", {})[lang] = weight
    if english is not None:
        path, weight = _path_weight(english, "--english")
        out["english"] = path
        if weight is not None:
            out["english_weight"] = weight
    for lang, path in parse_pairs(eval_, "--eval"):
        out.setdefault("eval", {})[lang] = path
    return out


def register(app: typer.Typer) -> None:
    """Add `seapt pretrain` to the main app."""

    @app.command("pretrain")
    @handle_errors
    def pretrain_cmd(
        config: Path = typer.Option(None, "--config", help="PretrainConfig YAML (configs/pretrain/)."),
        set_: list[str] = typer.Option(None, "--set", help="Override a field: --set learning_rate=1e-4."),
        model: str = typer.Option(None, "--model", help="Model folder from `seapt model extend` (or Hub id)."),
        data: list[str] = typer.Option(None, "--data", help="L=PATH[:WEIGHT] per language: a `seapt corpus tokenize` folder "
                                        "(memory-mapped) or text, tokenised first into OUTPUT/tokens/L/; weights are "
                                        "shares of tokens."),
        english: str = typer.Option(None, "--english", help="PATH[:SHARE] English replay, tokenised folder or text (share 0.1 if omitted)."),
        eval_: list[str] = typer.Option(None, "--eval", help="L=PATH held-out set for bits per byte: a `seapt corpus tokenize` "
                                     "folder (memory-mapped) or text, tokenised first into OUTPUT/tokens/eval-L/."),
        objective: str = typer.Option(None, "--objective", help="clm | mlm | contrastive."),
        output: str = typer.Option(None, "--output", help="Output folder; re-running on it resumes."),
        max_steps: int = typer.Option(None, "--max-steps"),
        block_size: int = typer.Option(None, "--block-size"),
        batch_size: int = typer.Option(None, "--batch-size", help="Blocks per device per micro-step."),
        save_steps: int = typer.Option(None, "--save-steps"),
        eval_steps: int = typer.Option(None, "--eval-steps"),
        log_steps: int = typer.Option(None, "--log-steps"),
        seed: int = typer.Option(None, "--seed"),
        overwrite: bool = overwrite_option(),
    ):
        """Continue pretraining a model on per-language corpora (CLM, MLM or SimCSE) with English replay."""
        from seapt.config import _merge, load_config, load_yaml
        from seapt.train.config import PretrainConfig
        from seapt.train.pretrain import pretrain

        base = load_yaml(config) if config is not None else {}
        flags = flags_to_dict(model, data, english, eval_, objective, output, max_steps=max_steps,
                              block_size=block_size, batch_size=batch_size, save_steps=save_steps,
                              eval_steps=eval_steps, log_steps=log_steps, seed=seed)
        cfg = load_config(PretrainConfig, None, overrides=set_ or [], base=_merge(base, flags))
        summary = pretrain(cfg, overwrite=overwrite)
        metrics = summary.get("metrics", {})
        shown = ", ".join(f"{k} {v}" for k, v in metrics.items() if k.startswith(("loss", "eval_")))
        console.print(f"trained {summary['steps']} steps, {summary['tokens_seen']:,} tokens "
                      f"in {summary['seconds']:.0f} s; {shown}")
        console.print(f"final model: {summary['final_dir']}")
