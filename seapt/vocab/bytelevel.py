"""Byte-level BPE family (GPT-2, Llama-3, Qwen2, SmolLM2): mark-safe split regex and byte alphabet."""

from __future__ import annotations

import functools

from seapt.vocab.family import BPEFamily, has_letter_class, plain_tokenizer

# The regex ByteLevel(use_regex=True) applies internally (GPT-2).
GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"


@functools.lru_cache(maxsize=1)
def byte_decoder() -> dict[str, int]:
    """GPT-2's byte-to-unicode table (transformers' ``bytes_to_unicode``), inverted: alphabet char -> byte."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    return {c: b for b, c in bytes_to_unicode().items()}


def token_bytes(token: str) -> bytes:
    table = byte_decoder()
    return bytes(table[c] for c in token if c in table)


class ByteLevelFamily(BPEFamily):
    name = "byte-level-bpe"

    def prepare(self, langs: list[str], cfg) -> None:
        """Rewrite the split regex: the combining marks of every target language's scripts (Thai, Lao, Khmer,
        Myanmar: Unicode Mn/Mc, seapt.languages) stay with their letters; with ``vi_syllable_chains``, runs of
        syllables that each hold a Vietnamese-only letter form one piece."""
        from seapt.languages import marks_of

        edits = []
        if "vi" in langs and getattr(cfg, "vi_syllable_chains", False):
            edits.append(vi_chain_regex)
        if "fil" in langs and getattr(cfg, "fil_particle_chains", False):
            edits.append(fil_chain_regex)
        marks = marks_of(langs) if cfg.thai_marks_fix else ""
        if marks:
            edits.append(functools.partial(marks_regex, mark_class=mark_class(marks)))
        if not edits:
            return
        new = _rewrite(self.tj.get("pre_tokenizer"), edits)
        if new != self.tj.get("pre_tokenizer"):
            self.tj["pre_tokenizer"] = new
            self.tokenizer = plain_tokenizer(self.tj)
            self.pretokenizer_rewritten = True

    def pieces(self, chunk: str, first: bool) -> list[str]:
        if self.tokenizer.normalizer is not None:
            chunk = self.tokenizer.normalizer.normalize_str(chunk)
        return [p for p, _ in self.tokenizer.pre_tokenizer.pre_tokenize_str(chunk)]

    def to_text(self, token: str) -> str:
        return token_bytes(token).decode("utf-8", errors="ignore")

    def partial_in_script(self, token: str, prefixes: frozenset) -> bool:
        return token_bytes(token).lstrip(b" ") in prefixes  # " " + a prefix: the step after a base "Ġà"

    def not_mixed_partial(self, token: str) -> bool:
        raw = token_bytes(token)
        try:
            raw.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return all(b >= 0x80 for b in raw)

    def aligned(self, a: str, b: str) -> bool:
        """A merge may join whole characters, join the bytes of one character (also where a base token
        already crosses into the next, as Llama-3's tail of Khmer DHA + head of the next letter), or continue a
        base token that holds a whole character and the head of the next (Khmer coeng + subscript); it may
        not glue a bare fragment of one character to a neighbouring character."""
        ra, rb = token_bytes(a), token_bytes(b)
        if _utf8(ra + rb) or char_part(ra + rb) or (rb[:1] and 0x80 <= rb[0] < 0xC0):
            return True
        return not (char_part(ra) or char_part(rb))

    def whole_piece(self, token: str) -> bool:
        try:
            text = token_bytes(token).decode("utf-8")
        except UnicodeDecodeError:
            return True  # a partial character has no text of its own; `aligned` and the model-level check apply
        return self.pieces(text, True) == [token]


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def char_part(raw: bytes) -> bool:
    """Whether bytes that are not valid UTF-8 are part of one character (after optional leading whitespace,
    which a byte-level base may have merged with a lead byte, "Ġà"): the steps towards whole characters. A
    token holding a whole character and part of the next, or the tail of one character and the head of the
    next, spends a merge on bytes that real text cuts differently."""
    body = raw.lstrip(b" \t\r\n")
    if not body or not all(0x80 <= b < 0xC0 for b in body[1:]):
        return False
    lead = body[0]
    if lead < 0x80:
        return False
    if lead < 0xC0:  # the middle or tail of a character
        return len(body) == len(raw) and len(body) <= 3
    return len(body) < (2 if lead < 0xE0 else 3 if lead < 0xF0 else 4)


def mark_class(marks: str) -> str:
    r"""Combining marks as a character-class body for tokenizers' regex (``\x{0E31}\x{0E34}-\x{0E3A}``)."""
    from seapt.languages.scripts import ranges_class, to_ranges

    return ranges_class(to_ranges(map(ord, marks)))


def marks_regex(pattern: str, mark_class: str) -> str:
    r"""Rewrite a GPT-2/Llama-3 split regex so the marks of ``mark_class`` count as letters.

    Inside a character class ``\p{L}`` gets the mark ranges appended; outside it becomes a class of letters
    plus marks. Only the listed characters change category, so text without them is split exactly as before.
    The result is a plain ``Split`` regex: tokenizer.json stays standard and serialisable.
    """
    letter = r"\p{L}"
    out, depth, i = [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if pattern.startswith(letter, i):
                out.append(letter + mark_class if depth else f"[{letter}{mark_class}]")
                i += len(letter)
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        out.append(ch)
        i += 1
    return "".join(out)


def vi_chain_regex(pattern: str) -> str:
    """Prepend an alternative matching two or more space-separated syllables that each contain a letter only
    Vietnamese uses (ă â đ ê ô ơ ư, U+1EA0–U+1EF9), so merges can span them. Text without two such
    syllables in a row never matches it and is split as before."""
    from seapt.languages import VI_LETTERS

    letters = "".join(sorted(set(VI_LETTERS + VI_LETTERS.lower())))
    syllable = r"\p{L}*[" + letters + r"\x{1EA0}-\x{1EF9}]\p{L}*"
    return r"[^\r\n\p{L}\p{N}]?" + syllable + r"(?: " + syllable + r")+|" + pattern


def fil_chain_regex(pattern: str) -> str:
    """Prepend an alternative matching two or more space-separated Filipino particles (seapt.languages.fil
    CHAIN_WORDS: ``ng mga``, ``para sa``), so a merge can join them. No English word is in the list, so English
    text and code without such a chain are split as before."""
    from seapt.languages.fil import CHAIN_WORDS

    word = "(?:" + "|".join(CHAIN_WORDS) + ")"
    return r" ?" + word + r"(?: " + word + r")+(?![\p{L}\p{N}])|" + pattern


def _rewrite(node, edits):
    """Return a copy of a pre_tokenizer JSON node with its split regex passed through ``edits``."""
    if node is None:
        return None
    if isinstance(node, list):
        return [_rewrite(n, edits) for n in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "Sequence":
        return {**node, "pretokenizers": _rewrite(node.get("pretokenizers", []), edits)}
    if kind == "Split":
        pattern = (node.get("pattern") or {}).get("Regex")
        if pattern and has_letter_class(pattern):
            for edit in edits:
                pattern = edit(pattern)
            return {**node, "pattern": {"Regex": pattern}}
        return node
    if kind == "ByteLevel" and node.get("use_regex", True):
        pattern = GPT2_PATTERN
        for edit in edits:
            pattern = edit(pattern)
        split = {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": False}
        return {"type": "Sequence", "pretokenizers": [split, {**node, "use_regex": False}]}
    return node
