"""CLI commands of the corpus stage: `seapt corpus prepare`, `seapt corpus tokenize` and `seapt corpus stats`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperCommand

from seapt.cli._common import console, err_console, handle_errors, lang_help, overwrite_option

MULTI = ("--input", "--decontaminate")


class _Greedy(TyperCommand):
    """Let `--input a b c` mean `--input a --input b --input c` (DESIGN.md spells multi-path options so)."""

    def parse_args(self, ctx, args):
        out, current = [], None
        for tok in args:
            if tok in MULTI:
                current = tok
                out.append(tok)
                continue
            if tok.startswith("-"):
                current = None
            elif current is not None and out and out[-1] != current:
                out.append(current)
            out.append(tok)
        return super().parse_args(ctx, out)


def _summary(stats: dict) -> None:
    from rich.table import Table

    table = Table(title=f"corpus {stats.get('lang', '')}: {stats['kept']:,} of {stats['read']:,} documents kept")
    table.add_column("outcome")
    table.add_column("documents", justify="right")
    table.add_column("share", justify="right")
    read = max(stats["read"], 1)
    table.add_row("kept", f"{stats['kept']:,}", f"{stats['kept'] / read:.1%}")
    for reason, n in sorted(stats["dropped"].items(), key=lambda kv: -kv[1]):
        table.add_row(f"dropped: {reason}", f"{n:,}", f"{n / read:.1%}")
    console.print(table)
    mb = stats["bytes_in"] / 1e6
    secs = max(stats.get("seconds", 0.0), 1e-9)
    pii = ", ".join(f"{k} {v}" for k, v in stats.get("pii", {}).items()) or "none"
    legacy = "".join(f"; {name.capitalize()} documents: {c['detected']:,} detected, {c['converted']:,} converted"
                     for name, c in stats.get("encodings", {}).items())
    repaired = "".join(f"; repaired ({kind.replace('_', ' ')}): {n:,}" for kind, n in stats.get("repaired", {}).items())
    console.print(f"{mb:.1f} MB in, {stats['bytes_out'] / 1e6:.1f} MB out, {secs:.1f} s "
                  f"({mb / secs:.2f} MB/s); PII masked: {pii}{legacy}{repaired}")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    sub = typer.Typer(help="Prepare corpora: clean, identify language, filter, deduplicate, mask PII.",
                      no_args_is_help=True)
    app.add_typer(sub, name="corpus")

    @sub.command("prepare", cls=_Greedy)
    @handle_errors
    def prepare(
        lang: str = typer.Option(..., "--lang", help=lang_help("Target language")),
        inputs: List[str] = typer.Option(..., "--input", help="Input files/folders (jsonl, txt, parquet) or "
                                         "hf://ORG/DATASET; several may follow one --input."),
        output: Path = typer.Option(..., "--output", help="Output folder (data/, removed/, stats.json)."),
        workers: Optional[int] = typer.Option(None, "--workers", help="Processes running at once."),
        executor: Optional[str] = typer.Option(None, "--executor", help="local, slurm or ray."),
        decontaminate: Optional[List[str]] = typer.Option(None, "--decontaminate",
                                                          help="Benchmark files whose long n-grams are removed."),
        config: Optional[Path] = typer.Option(None, "--config", help="YAML config (default configs/corpus/<lang>.yaml)."),
        overrides: Optional[List[str]] = typer.Option(None, "--set", help="Override a config field: a.b=c."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
        overwrite: bool = overwrite_option(),
    ):
        """Clean, filter and deduplicate raw text into DIR/data/*.jsonl.gz (re-run the same command to resume)."""
        from seapt.corpus.config import load_corpus_config
        from seapt.corpus.prepare import prepare_corpus

        cfg = load_corpus_config(lang, config, inputs=inputs, output=str(output), workers=workers,
                                 executor=executor, decontaminate=decontaminate or [], overrides=overrides or [],
                                 progress=not quiet)
        stats = prepare_corpus(cfg, overwrite=overwrite)
        if "kept" in stats:
            _summary(stats)
            if stats["kept"] == 0:
                err_console.print(f"warning: no document was kept; the reasons are in {output}/removed/")
        else:
            console.print(f"submitted {stats['submitted']} stages; stats.json appears in {output} when done")

    @sub.command("tokenize", cls=_Greedy)
    @handle_errors
    def tokenize(
        tokenizer: str = typer.Option(..., "--tokenizer", help="Tokenizer (or model) folder, or Hub id."),
        inputs: List[str] = typer.Option(..., "--input", help="Prepared corpus folders, jsonl/txt/parquet files "
                                         "or folders, hf://ORG/DATASET; several may follow one --input."),
        output: Path = typer.Option(..., "--output", help="Output folder (NNNNN.ds shards, stats.json)."),
        workers: Optional[int] = typer.Option(None, "--workers", help="Processes running at once."),
        executor: Optional[str] = typer.Option(None, "--executor", help="local, slurm or ray."),
        overrides: Optional[List[str]] = typer.Option(None, "--set", help="Override a config field: key=value."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
        overwrite: bool = overwrite_option(),
    ):
        """Tokenise text once into memory-mappable token shards for `seapt pretrain --data L=DIR` (re-run to resume)."""
        from seapt.corpus.tokenize import tokenize_corpus
        from seapt.corpus.tokenize_config import load_tokenize_config

        cfg = load_tokenize_config(tokenizer=tokenizer, inputs=inputs, output=str(output), workers=workers,
                                   executor=executor, overrides=overrides or [], progress=not quiet)
        st = tokenize_corpus(cfg, overwrite=overwrite)
        if "tokens" not in st:
            console.print(f"submitted {st['submitted']} stages; stats.json appears in {output} when done")
            return
        secs = max(st["seconds"], 1e-9)
        console.print(f"{st['documents']:,} documents, {st['tokens']:,} tokens ({st['dtype']}) in "
                      f"{len(st['shards'])} shards; {st['bytes_in'] / 1e6:.1f} MB in {secs:.1f} s "
                      f"({st['bytes_in'] / 1e6 / secs:.2f} MB/s)")

    @sub.command("stats")
    @handle_errors
    def stats(
        folder: Path = typer.Argument(..., help="A folder written by `seapt corpus prepare`."),
        plots: Optional[Path] = typer.Option(None, "--plots", help="Folder for the PNG plots (default DIR/plots)."),
    ):
        """Print a prepared corpus's statistics and plot length and language-score distributions (PNG)."""
        from seapt.corpus.stats import corpus_stats

        report = corpus_stats(folder, plots)
        _summary(report["stats"])
        for name, values in report["distributions"].items():
            console.print(f"{name}: " + ", ".join(f"{k} {v:,.2f}" for k, v in values.items()))
        for png in report["plots"]:
            console.print(f"wrote {png}")
