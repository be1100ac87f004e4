"""CLI: `seapt publish MODEL_DIR --repo-id ORG/NAME [--bench DIR] [--private] [--dry-run DIR] [--token-env VAR]`."""

from __future__ import annotations

from pathlib import Path

import typer

from seapt.cli._common import console, handle_errors


def register(app: typer.Typer) -> None:
    """Add `seapt publish` to the main app."""

    @app.command("publish")
    @handle_errors
    def publish_cmd(
        model_dir: Path = typer.Argument(..., help="Model folder to publish, e.g. runs/x/train/final."),
        repo_id: str = typer.Option(..., "--repo-id", help="Hub repository ORG/NAME."),
        bench: Path | None = typer.Option(None, "--bench", help="seapt bench output folder (results.json)."),
        private: bool = typer.Option(False, "--private", help="Create the repository as private."),
        dry_run: Path | None = typer.Option(None, "--dry-run", help="Write what would be uploaded here; upload nothing."),
        token_env: str = typer.Option("HF_TOKEN", "--token-env", help="Environment variable holding the Hub token."),
    ) -> None:
        """Write the model card and upload model, tokenizer and card to the Hugging Face Hub."""
        from seapt.publish import publish

        result = publish(model_dir, repo_id, bench_dir=bench, private=private, dry_run=dry_run,
                         token_env=token_env, log=console.print)
        if result["url"]:
            console.print(f"published {len(result['files'])} files: {result['url']}")
