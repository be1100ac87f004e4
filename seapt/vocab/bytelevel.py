"""Byte-level BPE family (GPT-2, Llama-3, Qwen2, SmolLM2): Thai-mark-safe split regex and byte alphabet."""

from __future__ import annotations

import functools

from seapt.vocab.family import BPEFamily, has_letter_class, plain_tokenizer, thai_marks_regex

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
        """Rewrite the split regex: Thai marks stay with their letters when Thai is a target; with
        ``vi_syllable_chains``, runs of syllables that each hold a Vietnamese-only letter form one piece."""
        edits = []
        if "vi" in langs and getattr(cfg, "vi_syllable_chains", False):
            edits.append(vi_chain_regex)
        if "th" in langs and cfg.thai_marks_fix:
            edits.append(thai_marks_regex)
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
        return token_bytes(token) in prefixes

    def not_mixed_partial(self, token: str) -> bool:
        raw = token_bytes(token)
        try:
            raw.decode("utf-8")
            return True
        except UnicodeDecodeError:
            return all(b >= 0x80 for b in raw)

    def whole_piece(self, token: str) -> bool:
        try:
            text = token_bytes(token).decode("utf-8")
        except UnicodeDecodeError:
            return True  # a partial character has no text of its own; the model-level check applies
        return self.pieces(text, True) == [token]


def vi_chain_regex(pattern: str) -> str:
    """Prepend an alternative matching two or more space-separated syllables that each contain a letter only
    Vietnamese uses (ă â đ ê ô ơ ư, U+1EA0–U+1EF9), so merges can span them. Text without two such
    syllables in a row never matches it and is split as before."""
    from seapt.languages import VI_LETTERS

    letters = "".join(sorted(set(VI_LETTERS + VI_LETTERS.lower())))
    syllable = r"\p{L}*[" + letters + r"\x{1EA0}-\x{1EF9}]\p{L}*"
    return r"[^\r\n\p{L}\p{N}]?" + syllable + r"(?: " + syllable + r")+|" + pattern


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
