"""Inputs of the extension: the base (folder, file or Hub id), corpora, segmentation, English reference."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from seapt.errors import InputError
from seapt.io import iter_texts
from seapt.languages import get as get_language
from seapt.text.words import word_spans_batch

TOKENIZER_FILES = [
    "tokenizer.json",
    "tokenizer.model",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "chat_template.jinja",
    "chat_template.json",
    "added_tokens.json",
    "vocab.txt",
]


def resolve_base(base: str) -> Path:
    """A local folder holding the base tokenizer files; Hub ids are downloaded (network needed)."""
    p = Path(base).expanduser()
    if p.is_file():
        return p.parent
    if p.is_dir():
        if not (p / "tokenizer.json").is_file() and not (p / "tokenizer.model").is_file():
            raise InputError(f"{p}: no tokenizer.json or tokenizer.model in this folder")
        return p
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", base):
        raise InputError(
            f"base tokenizer not found: {base} (give a local folder or a Hub id such as org/name)"
        )
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        raise InputError(
            f"{base}: not a local folder, and Hub ids need network (HF_HUB_OFFLINE=1 is set); "
            "download the tokenizer first or pass a local folder"
        )
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(base, allow_patterns=TOKENIZER_FILES))
    except Exception as exc:  # offline, gated, missing: all one user-facing message
        raise InputError(
            f"{base}: could not download from the Hub (Hub ids need network and access): {type(exc).__name__}"
        ) from None


def read_corpus(path: str, max_chars: int) -> list[str]:
    """Documents of a corpus (folder, .jsonl, .txt, .parquet), BOMs stripped, up to ``max_chars``."""
    out, total = [], 0
    for text in iter_texts(path):
        text = text.lstrip("\ufeff")
        if not text.strip():
            continue
        out.append(text[: max_chars - total])
        total += len(out[-1])
        if total >= max_chars:
            break
    if not out:
        raise InputError(f"{path}: no text found")
    return out


def english_reference(path: str | None) -> list[str]:
    """Lines of the English/code reference: ``path``, else the shipped seapt/data/english_reference.txt."""
    if path:
        return [t for t in iter_texts(path) if t.strip()]
    from seapt.resources import shipped

    text = shipped("data", "english_reference.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def restore_phrase_spaces(texts: list[str], lang: str, rate: float, seed: int = 0) -> list[str]:
    """Texts of a language written without spaces between words whose corpus has lost its phrase spaces
    (fewer than one space per 50 words, e.g. re-joined from a segmented corpus): a space inserted before
    ``rate`` of the words that start with a letter or digit (seapt's segmenter: the corpus engine, fast on a
    whole corpus), chosen at random with ``seed``. Other corpora come back as they are. Only the counts see
    this text."""
    import random

    spans = word_spans_batch(texts, lang, get_language(lang).corpus_engine)
    words = sum(len(s) for s in spans)
    spaces = sum(len(_GAP.findall(t)) for t in texts)
    if rate <= 0 or not words or spaces * 50 >= words:
        return texts
    rng = random.Random(seed)
    out = []
    for t, ss in zip(texts, spans):
        cuts = [a for a, _ in ss[1:] if t[a].isalnum() and not t[a - 1].isspace() and rng.random() < rate]
        bounds = [0, *cuts, len(t)]
        out.append(" ".join(t[i:j] for i, j in zip(bounds, bounds[1:])))
    return out


_GAP = re.compile(r"\S\s+(?=\S)")


def word_chunks(texts: list[str], lang: str, segment: bool) -> Iterator[list[str]]:
    """Per document, its text cut before each word (whitespace stays with the following word)."""
    if not segment:
        for t in texts:
            yield [t]
        return
    for t, spans in zip(texts, word_spans_batch(texts, lang)):
        cuts = []
        for j, _ in spans:
            while j > 0 and t[j - 1].isspace():  # whitespace stays with the following word
                j -= 1
            cuts.append(j)
        bounds = sorted(set([0] + [c for c in cuts if c > 0] + [len(t)]))
        yield [t[i:j] for i, j in zip(bounds, bounds[1:]) if j > i]
