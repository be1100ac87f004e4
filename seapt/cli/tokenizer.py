"""CLI commands of the tokenizer stage (filled in by the stage's issue)."""

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
