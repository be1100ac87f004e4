"""CLI of the tokenizer stage: `seapt tokenizer extend` and `seapt tokenizer eval` (parse, call, report)."""

from __future__ import annotations

from typing import Optional

import typer

from seapt.cli._common import console, handle_errors, overwrite_option, parse_pairs

sub = typer.Typer(
    help="Extend a tokenizer's vocabulary for any registered language (`seapt languages`), and measure tokenizers.", no_args_is_help=True
)


@sub.command("extend")
@handle_errors
def extend(
    base: Optional[str] = typer.Option(
        None, "--base", help="Base tokenizer: local folder, tokenizer.json or Hub id."
    ),
    corpus: Optional[list[str]] = typer.Option(
        None, "--corpus", help="L=PATH training text (folder, .jsonl, .txt)."
    ),
    add: Optional[list[str]] = typer.Option(None, "--add", help="L=N new tokens for language L."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Output folder."),
    english: Optional[str] = typer.Option(None, "--english", help="English/code reference to protect."),
    code_reference: Optional[str] = typer.Option(
        None, "--code-reference", help="Code whose tokens stay as they were: stdlib (default), a folder, or none."
    ),
    min_frequency: Optional[int] = typer.Option(None, "--min-frequency", help="Stop below this pair count."),
    keep_accents: Optional[bool] = typer.Option(
        None, "--keep-accents/--strip-accents", help="WordPiece: keep accents/tone marks."
    ),
    segment: Optional[bool] = typer.Option(
        None, "--segment/--no-segment", help="Pre-split Thai into words before counting."
    ),
    config: Optional[str] = typer.Option(None, "--config", help="YAML config (configs/tokenizer/*.yaml)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Override a config field: key=value."),
    overwrite: bool = overwrite_option(),
) -> None:
    """Learn new tokens on target-language corpora and write an extended tokenizer + extension.json."""
    from seapt.config import apply_overrides, from_dict, load_yaml
    from seapt.errors import ConfigError
    from seapt.vocab.config import ExtendConfig
    from seapt.vocab.extend import extend_tokenizer

    data = load_yaml(config) if config else {}
    flags = {
        "base": base,
        "output": output,
        "english": english,
        "code_reference": code_reference,
        "min_frequency": min_frequency,
        "keep_accents": keep_accents,
        "segment": segment,
    }
    data.update({k: v for k, v in flags.items() if v is not None})
    if data.get("code_reference") == "none":
        data["code_reference"] = None
    if corpus:
        data["corpus"] = {**data.get("corpus", {}), **dict(parse_pairs(corpus, "--corpus"))}
    if add:
        budgets = {}
        for lang, n in parse_pairs(add, "--add"):
            if not n.isdigit():
                raise ConfigError(f"--add {lang}={n}: the number of tokens must be a positive integer")
            budgets[lang] = int(n)
        data["add"] = {**data.get("add", {}), **budgets}
    cfg = from_dict(ExtendConfig, apply_overrides(data, set_ or []))
    info = extend_tokenizer(cfg, overwrite=overwrite)
    checks = info["checks"]
    added = ", ".join(f"{lang}+{n}" for lang, n in info["added"].items())
    console.print(
        f"{info['family']}: {info['base_vocab_size']} -> {info['vocab_size']} tokens ({added}) "
        f"in {info['seconds']:.1f}s -> {cfg.output}"
    )
    console.print(
        f"checks: base ids preserved={checks['base_ids_preserved']} unreachable={checks['unreachable']} "
        f"round-trip={checks['roundtrip_rate']:.4f} english identical={checks['english_identical_rate']:.4f}"
    )
    skipped = info.get("english_reference", {}).get("skipped_target_script_lines", 0)
    if skipped:
        console.print(f"note: {skipped} line(s) of the English reference are in a target language's script; "
                      "they protect nothing (check --english)")


@sub.command("eval")
@handle_errors
def evaluate(
    tokenizer: list[str] = typer.Option(..., "--tokenizer", help="Tokenizer folder/file/Hub id (repeat)."),
    text: list[str] = typer.Option(..., "--text", help="L=PATH text to measure (repeat)."),
    parallel: bool = typer.Option(
        False, "--parallel", help="Texts are line-aligned translations: add parity."
    ),
    json_out: Optional[str] = typer.Option(None, "--json", help="Write the results as JSON here."),
) -> None:
    """Tokens, chars/bytes per token, tokens per word (real words) and parity vs English."""
    from rich.table import Table

    from seapt.io import write_json
    from seapt.vocab.metrics import evaluate_tokenizers

    texts = dict(parse_pairs(text, "--text"))
    results = evaluate_tokenizers(tokenizer, texts, parallel=parallel)
    table = Table("lang", "tokens", "chars/tok", "bytes/tok", "tok/word", *(["parity"] if parallel else []))
    table.add_column("tokenizer", overflow="fold")  # last, so long paths fold instead of squeezing numbers
    for name, rows in results.items():
        for lang, r in rows.items():
            table.add_row(
                lang,
                str(r["tokens"]),
                f"{r['chars_per_token']:.3f}",
                f"{r['bytes_per_token']:.3f}",
                f"{r['tokens_per_word']:.3f}",
                *([f"{r['parity_vs_en']:.3f}"] if parallel else []),
                name,
            )
    console.print(table)
    if json_out:
        write_json(json_out, results)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.add_typer(sub, name="tokenizer")
