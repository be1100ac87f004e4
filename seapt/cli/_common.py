"""Helpers shared by the CLI modules: error handling, consoles, KEY=VALUE argument parsing, --overwrite."""

from __future__ import annotations

import functools
import os
import sys

import typer
from rich.console import Console

from seapt.errors import SeaptError, dependency_error

console = Console()


def lang_help(what: str = "Language code") -> str:
    """``--lang`` help naming every registered language (seapt.languages)."""
    from seapt.languages import LANGUAGES

    return f"{what}: {', '.join(LANGUAGES)} (see `seapt languages`)."



err_console = Console(stderr=True)


def overwrite_option():
    """The --overwrite flag every stage command with an --output takes (the seapt.outputs rule)."""
    return typer.Option(False, "--overwrite", help="When --output holds a result made with other settings, "
                        "delete it and redo the stage (default: stop with an error naming what differs).")


def handle_errors(func):
    """Turn SeaptError into a one-line message on stderr and exit code 1 (traceback with SEAPT_DEBUG=1)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SeaptError as exc:
            _fail(exc)
        except ImportError as exc:  # a dependency missing or broken: one line naming it, not a traceback box
            _fail(dependency_error(exc))
        except KeyboardInterrupt:
            print("interrupted; re-run the same command to resume", file=sys.stderr)
            raise typer.Exit(130) from None

    return wrapper


def _fail(exc: SeaptError):
    if os.environ.get("SEAPT_DEBUG") == "1":
        raise exc
    message = " ".join(str(exc).split())
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(exc.exit_code) from None


def parse_pairs(items: list[str] | None, option: str) -> list[tuple[str, str]]:
    """Parse repeated ``KEY=VALUE`` options (e.g. ``--corpus th=PATH``) into pairs, in order."""
    out = []
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise SeaptError(f"{option} {item!r}: expected KEY=VALUE, e.g. {option} th=corpus/th")
        out.append((key.strip(), value.strip()))
    return out
