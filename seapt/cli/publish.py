"""CLI commands of the publish stage (filled in by the stage's issue)."""

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
