"""CLI: `seapt run RECIPE.yaml [--set key=value ...] [--from STAGE]` and `seapt quickstart [--output DIR]`."""

from __future__ import annotations

from pathlib import Path

import typer

from seapt.cli._common import console, handle_errors


def register(app: typer.Typer) -> None:
    """Add `seapt run` and `seapt quickstart` to the main app."""

    @app.command("run")
    @handle_errors
    def run_cmd(
        recipe: Path = typer.Argument(..., help="Recipe YAML, e.g. configs/recipes/qwen2.5-0.5b-th.yaml."),
        set_: list[str] = typer.Option(None, "--set", help="Override a recipe field: --set pretrain.max_steps=100."),
        from_stage: str | None = typer.Option(None, "--from", help="Redo this stage and every later one."),
    ) -> None:
        """Run a recipe's stages in order; completed stages are skipped, an interrupted one resumes."""
        from seapt.pipeline import load_recipe, run_recipe

        cfg = load_recipe(recipe, set_ or [])
        manifest = run_recipe(cfg, from_stage=from_stage, log=console.print)
        console.print(f"run finished: {cfg.run_dir() / 'run.json'}")
        bench = manifest["stages"].get("bench")
        if bench:
            console.print(f"report: {Path(bench['output']) / 'report.md'}")

    @app.command("quickstart")
    @handle_errors
    def quickstart_cmd(
        output: Path = typer.Option(Path("runs/quickstart"), "--output", help="Run folder."),
        set_: list[str] = typer.Option(None, "--set", help="Override a field of configs/quickstart.yaml."),
    ) -> None:
        """Offline, on CPU: adapt SmolLM2-135M to th, vi and id on the bundled corpora and benchmark it."""
        from seapt.quickstart import quickstart

        quickstart(output, overrides=set_ or [], log=console.print)  # it ends with the report's path
