"""CLI commands of the bench stage: the `seapt bench` group and `seapt bench segmentation`.

    seapt bench segmentation --lang vi --gold ../shared/data/segmentation/vi_ud_vtb/vi_vtb-ud-dev.conllu --json vi.json
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from seapt.cli._common import handle_errors, lang_help, overwrite_option

bench_app = typer.Typer(help="Benchmark segmenters, tokenizers and models.", invoke_without_command=True)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.add_typer(bench_app, name="bench")


@bench_app.callback()
@handle_errors
def bench_main(
    ctx: typer.Context,
    model: list[str] = typer.Option(None, "--model", help="Model folder or Hub id to benchmark; repeat for several."),
    baseline: str = typer.Option(None, "--baseline", help="Baseline model folder or Hub id (records say 'baseline')."),
    suite: Path = typer.Option(None, "--suite", help="Suite YAML, e.g. configs/bench/sea.yaml."),
    output: Path = typer.Option(None, "--output", help="Output folder: results.json, report.md, *.png."),
    set_: list[str] = typer.Option(None, "--set", help="Override a suite field: --set limit=50 (repeatable)."),
    overwrite: bool = overwrite_option(),
) -> None:
    """Benchmark segmenters, tokenizers and models: `seapt bench --model DIR --baseline B --suite YAML --output DIR`
    runs a model suite (BPB, fertility, zero-shot choice, label curves) against the baseline."""
    if ctx.invoked_subcommand is not None:
        return
    if suite is None and not model and baseline is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    from seapt.errors import ConfigError

    # without --model only the baseline runs: its finished steps are reused when models are added later
    missing = [name for name, v in (("--baseline", baseline), ("--suite", suite), ("--output", output)) if not v]
    if missing:
        raise ConfigError(f"seapt bench needs {', '.join(missing)}: seapt bench --model DIR --baseline DIR|HUB_ID "
                          "--suite YAML --output DIR")
    from seapt.bench.run import run_bench
    from seapt.bench.suite import load_suite

    results = run_bench(list(model or []), baseline, load_suite(suite, set_ or []), output,
                        overwrite=overwrite)
    typer.echo(f"{len(results['records'])} records in {results['seconds']:.0f} s -> {output}/results.json, "
               f"{output}/report.md")


@bench_app.command("segmentation")
@handle_errors
def segmentation_cmd(
    lang: str = typer.Option(..., "--lang", help=lang_help()),
    gold: Path = typer.Option(..., "--gold", help="Gold segmentation: .conllu, or lines with words split by '|'."),
    engine: str = typer.Option(None, "--engine", help="Segmentation engine (default: the language's default)."),
    json_out: Path = typer.Option(None, "--json", help="Write the result JSON here (else print it)."),
) -> None:
    """Precision, recall and F1 over word boundaries, and chars/s, of a segmenter on gold data."""
    from seapt.bench.segmentation import benchmark_segmentation
    from seapt.io import write_json

    result = benchmark_segmentation(lang, gold, engine)
    if json_out is None:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    write_json(json_out, result)
    typer.echo(f"{lang} {result['engine']}: F1 {result['f1']:.4f}  P {result['precision']:.4f}  "
               f"R {result['recall']:.4f}  {result['chars_per_s']:,.0f} chars/s -> {json_out}")
