"""CLI command `seapt languages`: the registered languages with their engines and optional packages.

    seapt languages            # a table
    seapt languages --json     # the same as JSON
"""

from __future__ import annotations

import json

import typer

from seapt.cli._common import console, handle_errors


def register(app: typer.Typer) -> None:
    """Add this command to the main app."""
    app.command("languages")(languages_cmd)


@handle_errors
def languages_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """The supported languages and, for each, its segmenter engines and whether their packages are installed."""
    from rich.markup import escape
    from rich.table import Table

    from seapt.languages.report import language_rows

    rows = language_rows()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title="seapt languages (engines: ✓ installed, ✗ missing; the first is the default)")
    for col in ("code", "name", "script", "word engines", "in use", "sentences", "optional packages", "corpus config"):
        table.add_column(col)
    for r in rows:
        engines = " ".join(f"{e}{'✓' if ok else '✗'}" for e, ok in r["engines"].items())
        packages = " ".join(f"{p}{'✓' if ok else '✗'}" for p, ok in r["packages"].items())
        if r["extra"] and not all(r["packages"].values()):
            packages += f"  (pip install 'seapt[{r['extra']}]')"
        table.add_row(r["code"], r["name"], "+".join(r["scripts"]), engines, r["default_engine"], r["sentences"],
                      escape(packages) or "-", {True: "shipped", False: "pass --config", None: "-"}[r["corpus_config"]])
    console.print(table)
