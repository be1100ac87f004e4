"""CLI commands of the text stage: `seapt text normalize | segment | sentences` (a file or `-` for stdin).

    printf 'สวัสดีครับ วันนี้อากาศดีมาก\n' | seapt text segment --lang th -
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import typer

from seapt.cli._common import handle_errors, lang_help

BATCH_LINES = 512

text_app = typer.Typer(help="Normalise, segment and sentence-split text of any registered language, one line at a time.",
                       no_args_is_help=True)

LANG = typer.Option(..., "--lang", help=lang_help())
SOURCE = typer.Argument("-", help="Input file (UTF-8 .txt, .gz read transparently) or '-' for stdin.")
ERRORS = typer.Option("strict", "--errors",
                      help="Invalid UTF-8: 'strict' stops with the file and line; 'replace' uses U+FFFD and counts.")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.add_typer(text_app, name="text")


@text_app.command("normalize")
@handle_errors
def normalize_cmd(
    lang: str = LANG,
    source: str = SOURCE,
    errors: str = ERRORS,
    thai_digits: str = typer.Option("keep", "--thai-digits", help="Thai digits: 'keep' or 'arabic' (๑๒๓ -> 123)."),
    keep_whitespace: bool = typer.Option(False, "--keep-whitespace", help="Do not collapse runs of spaces."),
) -> None:
    """Normalise text (mojibake, NFC, invisible characters, Thai marks, Vietnamese tone placement)."""
    from seapt.text.normalize import normalize

    def run(lines: list[str]) -> list[str]:
        out = (normalize(line, lang, collapse_whitespace=not keep_whitespace, thai_digits=thai_digits)
               for line in lines)
        return [line.replace("\n", " ") for line in out]  # U+2028 & co. became newlines: keep one line each

    _stream(source, errors, lang, run)


@text_app.command("segment")
@handle_errors
def segment_cmd(
    lang: str = LANG,
    source: str = SOURCE,
    engine: str = typer.Option(None, "--engine", help="Engine (default: the language's first); `seapt languages` lists "
                                                      "them, e.g. th: nlpo3, newmm; km: khmernltk, icu, syllable."),
    sep: str = typer.Option(" | ", "--sep", help="Separator written between words."),
    errors: str = ERRORS,
) -> None:
    """Split each line into words, written joined by --sep (one output line per input line)."""
    from seapt.text.segment import resolve_engine, segment_batch

    engine = resolve_engine(lang, engine)
    _stream(source, errors, lang, lambda lines: [sep.join(w) for w in segment_batch(lines, lang, engine)])


@text_app.command("sentences")
@handle_errors
def sentences_cmd(lang: str = LANG, source: str = SOURCE, errors: str = ERRORS) -> None:
    """Split text into sentences, one per output line."""
    from seapt.text.sentences import sentences

    _stream(source, errors, lang, lambda lines: ["\n".join(sentences(line, lang)) for line in lines if line.strip()])


def _stream(source: str, errors: str, lang: str, transform: Callable[[list[str]], list[str]]) -> None:
    """Read ``source`` line by line in batches, write ``transform(batch)`` line by line to stdout."""
    from seapt.errors import ConfigError
    from seapt.io import iter_lines
    from seapt.languages import get

    get(lang)
    if errors not in ("strict", "replace"):
        raise ConfigError(f"--errors {errors!r}: use strict or replace")
    stats: dict = {}
    for batch in _batches(iter_lines(source, errors=errors, stats=stats)):
        out = transform(batch)
        if out:
            typer.echo("\n".join(out))
    if stats.get("replaced_lines"):
        print(f"replaced invalid UTF-8 in {stats['replaced_lines']} line(s)", file=sys.stderr)


def _batches(lines: Iterator[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH_LINES:
            yield batch
            batch = []
    if batch:
        yield batch
