"""Readers, atomic writes, done-markers and manifests shared by every stage."""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from seapt.errors import InputError

DONE_MARKER = ".done"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and rename, so readers never see half a file."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the file normal permissions
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return p


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, obj: Any) -> Path:
    """Write pretty, UTF-8 JSON atomically (non-ASCII kept readable)."""
    return atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def read_json(path: str | Path) -> Any:
    """Read a JSON file; missing or malformed files are an InputError naming the path."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"file not found: {p}")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: not valid JSON ({exc})") from None


def mark_done(folder: str | Path, info: dict | None = None) -> Path:
    """Write the completion marker of a stage's output folder (last, after every other file)."""
    return write_json(Path(folder) / DONE_MARKER, info or {})


def is_done(folder: str | Path) -> bool:
    """True when ``folder`` holds a completion marker written by :func:`mark_done`."""
    return (Path(folder) / DONE_MARKER).is_file()


def require_path(path: str | Path, what: str = "input") -> Path:
    """Return ``path`` as a Path or raise InputError when it does not exist."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} not found: {p}")
    return p


def open_text(path: str | Path, errors: str = "strict") -> io.TextIOBase:
    """Open a text file (``.gz`` transparently) as UTF-8; '-' means stdin."""
    if str(path) == "-":
        import sys

        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors=errors)
    p = require_path(path)
    if p.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8", errors=errors)
    return open(p, encoding="utf-8", errors=errors, newline="")


def iter_lines(path: str | Path, errors: str = "strict", stats: dict | None = None) -> Iterator[str]:
    """Yield the lines of a UTF-8 file without line endings.

    ``errors="strict"``: invalid UTF-8 raises InputError naming the file and line number.
    ``errors="replace"``: bad bytes become U+FFFD and ``stats["replaced_lines"]`` counts affected lines.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    if str(path) == "-":
        import sys

        raw = sys.stdin.buffer
    else:
        p = require_path(path)
        raw = gzip.open(p, "rb") if p.suffix == ".gz" else open(p, "rb")
    try:
        for lineno, line in enumerate(raw, 1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                if errors != "replace":
                    raise InputError(
                        f"{name}: line {lineno} is not valid UTF-8 (byte {exc.start}); "
                        "fix the file or pass --errors replace"
                    ) from None
                text = line.decode("utf-8", errors="replace")
                if stats is not None:
                    stats["replaced_lines"] = stats.get("replaced_lines", 0) + 1
            if lineno == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield text.rstrip("\r\n")
    finally:
        if raw is not getattr(__import__("sys").stdin, "buffer", None):
            raw.close()


def iter_texts(path: str | Path, text_key: str = "text") -> Iterator[str]:
    """Yield documents' text from a .txt (a line each), .jsonl(.gz) ({text_key}), .parquet file or a
    prepared corpus folder (its data/*.jsonl.gz) — the common reader for tokenizer, training and bench."""
    p = require_path(path)
    if p.is_dir():
        files = sorted((p / "data").glob("*.jsonl.gz")) if (p / "data").is_dir() else []
        if not files and (p / "stats.json").is_file():
            raise InputError(f"{p}: this prepared corpus kept no documents (see {p / 'stats.json'})")
        files = files or sorted(p.glob("*.jsonl")) + sorted(p.glob("*.jsonl.gz")) + sorted(p.glob("*.txt"))
        if not files:
            raise InputError(f"{p}: no data/*.jsonl.gz, *.jsonl or *.txt files in this folder")
        for f in files:
            yield from iter_texts(f, text_key)
        return
    name = p.name.lower()
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        table = pq.read_table(p, columns=[text_key])
        for value in table.column(text_key).to_pylist():
            if value:
                yield value
        return
    if name.endswith((".jsonl", ".jsonl.gz", ".json.gz", ".ndjson")):
        for lineno, line in enumerate(iter_lines(p, errors="replace"), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                raise InputError(f"{p}: line {lineno} is not valid JSON") from None
            value = obj.get(text_key) if isinstance(obj, dict) else None
            if not isinstance(value, str):
                raise InputError(f"{p}: line {lineno} has no string field {text_key!r}")
            yield value
        return
    for line in iter_lines(p, errors="replace"):
        if line.strip():
            yield line
