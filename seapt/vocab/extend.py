"""Extend a base tokenizer with tokens learned on Thai/Vietnamese/Indonesian text (`seapt tokenizer extend`).

    seapt tokenizer extend --base ../shared/base-tokenizers/llama3 --corpus th=corpus/th --add th=8000 \
        --output tokenizers/llama3-th

Steps: resolve the base; detect its family; adapt the pre-tokenizer (Thai marks); count the corpus's words
in the base's own pre-tokenisation (optionally pre-split by seapt's word segmenters); learn continued-BPE
merges per language (bpe.py) with English protection; splice them into tokenizer.json (+ tokenizer.model);
run the invariant checks; write extension.json. Re-running with the same config on a finished output
returns its extension.json; with another config it stops (or, with --overwrite, redoes it).
"""

from __future__ import annotations

import functools

import json
import re
import shutil
import time
from collections import Counter
from pathlib import Path

from seapt.config import load_yaml, save_config
from seapt.errors import InputError, SeaptError
from seapt.io import atomic_write_text, is_done, mark_done, read_json, write_json
from seapt.languages import VI_LETTERS
from seapt.languages import get as get_language
from seapt.outputs import reuse_output
from seapt.vocab.bpe import MergeState, encode_with_state, learn_merges
from seapt.vocab.config import ExtendConfig
from seapt.vocab.family import Family, detect_family, plain_tokenizer
from seapt.vocab.protect import banned_pairs, code_pieces, in_ranges, protected_pieces
from seapt.vocab.sources import english_reference, read_corpus, resolve_base, restore_phrase_spaces, word_chunks

COPY_SKIP = {
    "tokenizer.json",
    "tokenizer.model",
    "vocab.json",
    "merges.txt",
    "vocab.txt",
    "extension.json",
    "config.yaml",
    ".done",
}


def make_family(tj: dict) -> Family:
    """The Family object for a tokenizer.json dict."""
    name = detect_family(tj)
    if name == "byte-level-bpe":
        from seapt.vocab.bytelevel import ByteLevelFamily

        return ByteLevelFamily(tj)
    if name == "sentencepiece-bpe":
        from seapt.vocab.sentencepiece import SentencePieceFamily

        return SentencePieceFamily(tj)
    from seapt.vocab.wordpiece import WordPieceFamily

    return WordPieceFamily(tj)


def load_base_json(base_dir: Path) -> dict:
    """The base's tokenizer.json as a dict (converted by transformers when only tokenizer.model exists)."""
    path = base_dir / "tokenizer.json"
    if not path.is_file():
        try:
            from transformers import AutoTokenizer

            return json.loads(AutoTokenizer.from_pretrained(str(base_dir)).backend_tokenizer.to_str())
        except Exception as exc:
            raise InputError(
                f"{base_dir}: cannot build a tokenizer.json from tokenizer.model ({exc})"
            ) from None
    try:
        tj = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a valid tokenizer.json ({exc.__class__.__name__})") from None
    if not isinstance(tj, dict) or not isinstance(tj.get("model"), dict):
        raise InputError(f"{path}: not a tokenizer.json (no 'model' section)")
    return tj


def _latin_allow(family: Family, token: str) -> bool:
    """A Latin-script language's new token must hold a letter or part of a multi-byte character: one made only
    of ASCII digits, punctuation and spaces (`` 2016``, ``),``) is no language's own and would change how English
    text is encoded; so would letters glued to punctuation or digits (SentencePiece bases keep ``team.`` as one
    word)."""
    text = family.to_text(token)
    if text and all(c.isascii() and not c.isalpha() for c in text):
        return False
    core = text.replace("\u2581", " ").strip()
    if any(c.isalpha() for c in core) and not _LATIN_WORDS.fullmatch(core):
        return False  # letters glued to punctuation or digits ("ing," "team." "16th" "’s"): English's too
    return family.not_mixed_partial(token)


# letters, with hyphens, apostrophes or spaces only between them (anak-anak, người được), or after one leading
# hyphen: the byte-level split regex cuts "mag-aaral" / "araw-araw" as "mag" + "-aaral" / "araw" + "-araw"
_LATIN_WORDS = re.compile(r"-?[^\W\d_]+(?:[-'’ ][^\W\d_]+)*")


def _script_filter(family: Family, lang: str):
    """New tokens of a non-Latin language must contain one of its letters (so other text is untouched);
    those of a Latin-script language must not glue ASCII to part of a multi-byte letter (``iÃ``, which any
    i before an accented letter would use)."""
    language = get_language(lang)
    if language.script == "Latin":
        return functools.partial(_latin_allow, family)
    lo_hi = language.ranges
    # two-byte beginnings of the script's three-byte UTF-8 letters (E0 B8 / E0 B9 for Thai): a byte-level
    # base may need them as steps towards whole letters, and no other script's text contains them
    prefixes = frozenset(
        chr(cp).encode("utf-8")[:2]
        for lo, hi in lo_hi
        for cp in range(lo, hi + 1)
        if len(chr(cp).encode("utf-8")) == 3
    )

    def allow(token: str) -> bool:
        return any(
            lo <= ord(c) <= hi for c in family.to_text(token) for lo, hi in lo_hi
        ) or family.partial_in_script(token, prefixes)

    return allow


def _count_words(
    family: Family, texts: list[str], lang: str, segment: bool, skip_names: bool, phrase_spaces: float = 0.0
) -> Counter:
    counts: Counter = Counter()
    texts = [t.replace(SOFT_HYPHEN, "") for t in texts]
    spaced = get_language(lang).spaces_between_words
    if not spaced and phrase_spaces:
        texts = restore_phrase_spaces(texts, lang, phrase_spaces)
    split = (segment or family.always_segment) and not spaced
    names = skip_names and get_language(lang).script == "Latin"
    own = SPECIFIC_LETTERS.get(lang, frozenset())
    # a lower-casing normaliser (uncased BERT) hides capitals from the pieces: drop names from the text
    drop_in_text = names and family.tokenizer.normalizer is not None and family.names_dropped_from_text
    for chunks in word_chunks(texts, lang, split):
        for k, chunk in enumerate(chunks):
            if drop_in_text:
                chunk = _WORD.sub(lambda m: "" if _shared_name(m.group(), own) else m.group(), chunk)
            counts.update(family.pieces(chunk, k == 0))
    if names:
        for word in [w for w in counts if _shared_name(family.to_text(w), own)]:
            del counts[word]
    return counts


_WORD = re.compile(r"\w+")
# an invisible line-break hint inside words (typeset news: "Ma\u00adyon"): it cut the words apart in the counts
SOFT_HYPHEN = "\u00ad"


# Letters only the language uses among Latin scripts: a capitalised word without any is likely a name
# that English text shares.
SPECIFIC_LETTERS = {
    "vi": frozenset(VI_LETTERS + VI_LETTERS.lower() + "".join(map(chr, range(0x1EA0, 0x1EFA))))
}


def _shared_name(text: str, own: frozenset) -> bool:
    return any(c.isupper() for c in text) and not any(c in own for c in text)


def foreign_lines(english: list[str], langs: list[str]) -> list[str]:
    """Reference lines holding a letter of an added non-Latin language (a Thai line in an "English" sample):
    protecting them would forbid that language's own commonest pairs, so they protect nothing."""
    ranges = _script_ranges(langs)
    return [t for t in english if in_ranges(t, ranges)]


def _script_ranges(langs: list[str]) -> list[tuple[int, int]]:
    return [r for lang in langs if get_language(lang).script != "Latin" for r in get_language(lang).ranges]


def _plain_tokenizer_class(path: Path) -> str | None:
    """transformers 5 model-specific tokenizer classes (Qwen2Tokenizer, GPT2Tokenizer...) rebuild the
    pre-tokenizer from their own regex, dropping the Thai-mark fix: load tokenizer.json as it is instead."""
    if not path.is_file():
        write_json(path, {"tokenizer_class": "PreTrainedTokenizerFast"})
        return None
    data = read_json(path)
    was = data.get("tokenizer_class")
    if was not in (None, "PreTrainedTokenizerFast", "TokenizersBackend"):
        write_json(path, {**data, "tokenizer_class": "PreTrainedTokenizerFast"})
    return was


def _finished(out: Path, cfg: ExtendConfig, overwrite: bool) -> dict | None:
    """extension.json of a finished output made with ``cfg`` (the seapt.outputs rule for other settings)."""
    finished = is_done(out) and (out / "config.yaml").is_file() and (out / "extension.json").is_file()
    saved = load_yaml(out / "config.yaml") if finished else None
    # languages are learned in --add order (each one's merges come after the previous ones'): order is a setting
    if reuse_output(out, saved, cfg, ignore=("output",), overwrite=overwrite, what="a tokenizer", ordered=("add",)):
        return read_json(out / "extension.json")
    return None


def extend_tokenizer(cfg: ExtendConfig, progress=None, overwrite: bool = False) -> dict:
    """Write the extended tokenizer to ``cfg.output`` and return the extension.json dict. A finished output
    made with other settings is an error, or with ``overwrite`` deleted and redone (seapt.outputs)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from tokenizers import Tokenizer

    cfg.validate_for_run()
    out = Path(cfg.output)
    done = _finished(out, cfg, overwrite)
    if done is not None:
        return done
    t0 = time.perf_counter()
    base_dir = resolve_base(cfg.base)
    tj = load_base_json(base_dir)
    family = make_family(tj)
    base_tok = plain_tokenizer(tj)
    langs = list(cfg.add)
    family.prepare(langs, cfg)
    state = MergeState.from_vocab(family.base_vocab)
    english = english_reference(cfg.english)
    skipped = set(foreign_lines(english, langs))
    english = [t for t in english if t not in skipped]
    n_code, code = code_pieces(family, cfg.code_reference, _script_ranges(langs))
    banned = banned_pairs(family, state, protected_pieces(family, english, []) | code)
    english_chars = set("".join(english))  # never give the reference's characters new (non-byte) ids
    added, corpus_chars, corpus_bytes, check_texts, new_chars = {}, {}, {}, {}, []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True, disable=progress is False) as bar:
        for lang in langs:
            texts = read_corpus(cfg.corpus[lang], cfg.max_chars_per_language)
            corpus_chars[lang] = sum(len(t) for t in texts)
            corpus_bytes[lang] = sum(len(t.encode("utf-8")) for t in texts)
            check_texts[lang] = texts[: cfg.check_texts_per_language]
            task = bar.add_task(f"{lang}: counting words", total=cfg.add[lang])
            counts = _count_words(family, texts, lang, cfg.segment, cfg.skip_names, cfg.phrase_spaces)
            chars = Counter()
            for t in texts:
                chars.update(t)
            missing = [
                c
                for c in family.missing_chars(chars, lang, cfg.min_frequency)
                if family.to_text(c) not in english_chars
            ][: cfg.add[lang]]
            for c in missing:
                state.add_token(c, lang)
            new_chars += missing
            family.use_new_chars(new_chars)
            bar.update(task, description=f"{lang}: learning merges", advance=len(missing))
            allow = _script_filter(family, lang)

            def ok(s, a, b, _allow=allow):
                return (
                    family.mergeable(family_str(a))
                    and family.mergeable(family_str(b))
                    and (_allow is None or _allow(s))
                    and family.aligned(family_str(a), family_str(b))
                    and family.whole_piece(s)
                    and (
                        not family.merge_based or encode_with_state(s, state, family.base_tokenize) == [a, b]
                    )
                )

            def family_str(i):
                return state.strings[i]

            n = learn_merges(
                state,
                counts,
                cfg.add[lang] - len(missing),
                base_tokenize=family.base_tokenize,
                lang=lang,
                min_frequency=cfg.min_frequency,
                banned_pairs=banned,
                join=family.join,
                reachable=ok,
                progress=lambda k, t=task: bar.advance(t, k),
            )
            added[lang] = n + len(missing)
    if family.protect_english(state, english + sorted(family.to_text(p) for p in code)):
        added = {lang: sum(1 for _, _, x in state.new_tokens if x == lang) for lang in added}
    new_tj = family.splice(state)
    new_tok = plain_tokenizer(new_tj)
    learn_seconds = time.perf_counter() - t0

    from seapt.vocab.checks import run_checks

    checks = run_checks(base_tok, new_tok, family, state.new_tokens, check_texts, english)
    if checks["unreachable"]:
        raise SeaptError(
            f"{checks['unreachable']} added tokens are unreachable (encoding their own string does "
            f"not give them): {', '.join(map(repr, checks['unreachable_tokens'][:10]))}"
        )
    if not checks["base_ids_preserved"]:
        raise SeaptError("internal error: the extended tokenizer moved base token ids; please report this")
    out.mkdir(parents=True, exist_ok=True)
    # written from the dict so the base's own padding/truncation settings are carried over
    atomic_write_text(out / "tokenizer.json", Tokenizer.from_str(json.dumps(new_tj)).to_str(pretty=True))
    for f in sorted(base_dir.iterdir()):
        if (
            f.is_file()
            and f.name not in COPY_SKIP
            and (f.name.startswith(("tokenizer", "special_tokens", "chat_")) or f.name == "added_tokens.json")
        ):
            shutil.copyfile(f, out / f.name)
    extra = family.write_files(base_dir, out, state)
    if family.pretokenizer_rewritten:
        extra["tokenizer_class_was"] = _plain_tokenizer_class(out / "tokenizer_config.json")
    elif not (out / "tokenizer_config.json").is_file():  # a bare tokenizer.json base: make it loadable
        write_json(out / "tokenizer_config.json", {"tokenizer_class": "PreTrainedTokenizerFast"})
    checks.update(family.extra_checks(base_dir, out, [t for v in check_texts.values() for t in v]))
    seconds = time.perf_counter() - t0
    info = {
        "base": cfg.base,
        "family": family.name,
        "base_vocab_size": family.base_vocab_size,
        "vocab_size": state.next_id,
        "added": added,
        "checks": checks,
        "seconds": round(seconds, 2),
        "learn_seconds": round(learn_seconds, 2),
        "corpus_chars": corpus_chars,
        "corpus_bytes": corpus_bytes,
        "mb_per_s": round(sum(corpus_bytes.values()) / 1e6 / max(learn_seconds, 1e-9), 4),
        "pretokenizer_rewritten": family.pretokenizer_rewritten,
        "english_reference": {"lines": len(english), "skipped_target_script_lines": len(skipped)},
        "code_reference": {"source": cfg.code_reference, "files": n_code, "pieces": len(code)},
        **extra,
        "new_tokens": [
            {"id": i, "token": s, "text": family.to_text(s), "lang": lang} for i, s, lang in state.new_tokens
        ],
    }
    write_json(out / "extension.json", info)
    save_config(cfg, out / "config.yaml")
    mark_done(out, {"seconds": info["seconds"]})
    return info
