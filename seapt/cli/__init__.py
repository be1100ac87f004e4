"""The `seapt` command line: a typer app whose commands only parse, call one library function, and report.

Each stage's commands live in one module here (languages, text, corpus, tokenizer, model, train, bench, publish, run);
each module's ``register(app)`` adds them. User errors (SeaptError) become one line on stderr and exit 1;
set SEAPT_DEBUG=1 for the full traceback.
"""

import typer

from seapt.cli import bench, corpus, languages, model, pipeline, publish, text, tokenizer, train

app = typer.Typer(
    name="seapt",
    help="Adapt English-centric language models to Southeast-Asian languages (`seapt languages` lists them).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # never print locals: they may hold tokens
    rich_markup_mode="rich",
    add_completion=False,
)



def _print_version(value: bool) -> None:
    if value:
        from seapt.about import version_text

        typer.echo(version_text())
        raise typer.Exit(0)


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print seapt's version and those of torch, transformers, tokenizers, "
                                      "datatrove and the segmenters it found, then exit."),
) -> None:
    """Adapt English-centric language models to Southeast-Asian languages: corpus, tokenizer, model,
    pretraining, benchmarks, publishing."""


for _module in (languages, text, corpus, tokenizer, model, train, bench, publish, pipeline):
    _module.register(app)
