"""Tokenizer efficiency (`seapt tokenizer eval`): tokens, chars/bytes per token, tokens per word, parity.

    seapt tokenizer eval --tokenizer ../shared/base-tokenizers/llama3 --tokenizer tokenizers/llama3-th \
        --text th=flores/tha_Thai.devtest --text en=flores/eng_Latn.devtest --parallel --json eval.json

Words are counted with seapt.text.segment (dictionary word segmentation for Thai, CRF words for
Vietnamese, rules for Indonesian/English) — never whitespace for Thai. With ``parallel`` (line-aligned
translations, e.g. FLORES), parity_vs_en = tokens(L) / tokens(en), as in Petrov et al. 2023.
"""

from __future__ import annotations

from pathlib import Path

from seapt.errors import InputError
from seapt.io import iter_texts


def load_tokenizer(spec: str):
    """A `tokenizers.Tokenizer` from a folder/tokenizer.json, else through transformers (Hub id, .model)."""
    from seapt.vocab.family import plain_tokenizer

    p = Path(spec).expanduser()
    path = p / "tokenizer.json" if p.is_dir() else p
    if path.is_file() and path.suffix == ".json":
        try:
            return plain_tokenizer(path=path)
        except Exception as exc:
            raise InputError(f"{path}: cannot load tokenizer ({str(exc).splitlines()[0]})") from None
    from seapt.vocab.extend import load_base_json
    from seapt.vocab.sources import resolve_base

    return plain_tokenizer(load_base_json(resolve_base(spec)))


def count_words(lines: list[str], lang: str, engine: str | None = None) -> int:
    """Words of ``lines`` by seapt's segmenter for ``lang`` (whitespace for languages it does not know)."""
    from seapt.languages import LANGUAGES

    if lang not in LANGUAGES:
        return sum(len(x.split()) for x in lines)
    from seapt.text.segment import segment_batch

    return sum(len(ws) for ws in segment_batch(lines, lang, engine))


def evaluate_tokenizers(tokenizers: list[str], texts: dict[str, str], parallel: bool = False) -> dict:
    """{tokenizer: {lang: {"tokens","chars","bytes","words","chars_per_token","bytes_per_token",
    "tokens_per_word","parity_vs_en"?}}} for each tokenizer spec and each language's text file (Vietnamese
    also gets "syllables" and "tokens_per_syllable")."""
    if parallel and "en" not in texts:
        raise InputError(
            "--parallel needs an English text: add --text en=PATH (line-aligned with the others)"
        )
    lines = {lang: [t for t in iter_texts(path)] for lang, path in texts.items()}
    for lang, ls in lines.items():
        if not ls:
            raise InputError(f"{texts[lang]}: no text found")
    if parallel:
        n_en = len(lines["en"])
        bad = [lang for lang, ls in lines.items() if len(ls) != n_en]
        if bad:
            raise InputError(f"--parallel: {', '.join(bad)} do not have as many lines as en ({n_en})")
    words = {lang: count_words(ls, lang) for lang, ls in lines.items()}
    # Vietnamese words span syllables ("học sinh"): report tokens per syllable too
    syllables = {lang: count_words(ls, lang, "syllable") for lang, ls in lines.items() if lang == "vi"}
    results: dict = {}
    for spec in tokenizers:
        tok = load_tokenizer(spec)
        row = {}
        for lang, ls in lines.items():
            n_tokens = sum(len(e.ids) for e in tok.encode_batch(ls, add_special_tokens=False))
            chars = sum(len(x) for x in ls)
            n_bytes = sum(len(x.encode("utf-8")) for x in ls)
            row[lang] = {
                "tokens": n_tokens,
                "chars": chars,
                "bytes": n_bytes,
                "words": words[lang],
                "chars_per_token": chars / max(n_tokens, 1),
                "bytes_per_token": n_bytes / max(n_tokens, 1),
                "tokens_per_word": n_tokens / max(words[lang], 1),
            }
            if lang in syllables:
                row[lang]["syllables"] = syllables[lang]
                row[lang]["tokens_per_syllable"] = n_tokens / max(syllables[lang], 1)
        if parallel:
            for lang in row:
                row[lang]["parity_vs_en"] = row[lang]["tokens"] / max(row["en"]["tokens"], 1)
        results[spec] = row
    return results


def english_identical(base: str, new: str, path: str) -> float:
    """Share of the lines of ``path`` that ``new`` encodes to exactly ``base``'s ids."""
    lines = list(iter_texts(path))
    a, b = load_tokenizer(base), load_tokenizer(new)
    ea = a.encode_batch(lines, add_special_tokens=False)
    eb = b.encode_batch(lines, add_special_tokens=False)
    return sum(x.ids == y.ids for x, y in zip(ea, eb)) / max(len(lines), 1)
