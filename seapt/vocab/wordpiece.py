"""WordPiece family (BERT, MiniLM): word-initial and ``##`` pieces learned on segmented words.

WordPiece encodes greedily (longest vocabulary match first), so the learner's pair merges only propose
pieces: ``a`` + ``##b`` gives ``ab``, ``##a`` + ``##b`` gives ``##ab``. Thai is always pre-split into words
for counting (a Thai phrase is one BERT "word"; words after the first are counted as ``##`` continuations,
as the greedy matcher sees them). Characters the base can only write as [UNK] are added first, both as
``c`` and ``##c``. Uncased BERT strips accents — and with them Thai vowels and tone marks and Vietnamese
tones; ``keep_accents`` turns that off (the English impact is the reported english_identical_rate).
"""

from __future__ import annotations

import json
from pathlib import Path

from seapt.vocab.bpe import MergeState
from seapt.vocab.family import Family, plain_tokenizer

PREFIX = "##"


class WordPieceFamily(Family):
    name = "wordpiece"
    always_segment = True
    names_dropped_from_text = True
    merge_based = False

    def __init__(self, tj: dict):
        super().__init__(tj)
        self.vocab = set(self.base_vocab)
        self.unk = tj["model"].get("unk_token", "[UNK]")
        self.max_chars = tj["model"].get("max_input_chars_per_word", 100)
        self.strips_accents = _strips_accents(tj.get("normalizer"))
        self.accents_kept = False

    def prepare(self, langs: list[str], cfg) -> None:
        if cfg.keep_accents and self.strips_accents:
            self.tj["normalizer"] = _keep_accents(self.tj["normalizer"])
            self.tokenizer = plain_tokenizer(self.tj)
            self.accents_kept = True

    def pieces(self, chunk: str, first: bool) -> list[str]:
        tok = self.tokenizer
        text = tok.normalizer.normalize_str(chunk) if tok.normalizer is not None else chunk
        words = (
            [w for w, _ in tok.pre_tokenizer.pre_tokenize_str(text)] if tok.pre_tokenizer else text.split()
        )
        if words and not first and not chunk[:1].isspace():
            words[0] = PREFIX + words[0]  # a word inside a phrase: the greedy matcher continues into it
        return words

    def base_tokenize(self, word: str) -> list[str]:
        cont = word.startswith(PREFIX) and len(word) > len(PREFIX)
        body = word[len(PREFIX) :] if cont else word
        if len(body) > self.max_chars:
            return [self.unk]
        out, start = [], 0
        while start < len(body):
            end, cur = len(body), None
            while start < end:
                sub = body[start:end]
                if start > 0 or cont:
                    sub = PREFIX + sub
                if sub in self.vocab:
                    cur = sub
                    break
                end -= 1
            if cur is None:
                return [self.unk]
            out.append(cur)
            start = end
        return out

    def to_text(self, token: str) -> str:
        return token[len(PREFIX) :] if token.startswith(PREFIX) else token

    def join(self, a: str, b: str) -> str:
        return a + (b[len(PREFIX) :] if b.startswith(PREFIX) else b)

    def mergeable(self, token: str) -> bool:
        return token != self.unk

    def missing_chars(self, chars: dict[str, int], lang: str, min_frequency: int) -> list[str]:
        norm = self.tokenizer.normalizer
        out = []
        for c, n in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0])):
            c = norm.normalize_str(c) if norm is not None else c
            if (
                n >= min_frequency
                and len(c) == 1
                and not c.isspace()
                and c not in self.vocab
                and c not in out
            ):
                out.append(c)
        return [t for c in out for t in (c, PREFIX + c)]  # both forms together, so a budget cut keeps pairs

    def use_new_chars(self, chars: list[str]) -> None:
        self.vocab.update(chars)

    def reachable_ok(self, tokenizer, tid: int, token: str) -> bool:
        """Word-initial pieces: encoding their text gives them. ``##`` pieces: the normaliser and
        pre-tokenizer keep their text as one unchanged word (so the greedy matcher can reach them)."""
        text = self.to_text(token)
        norm = tokenizer.normalizer.normalize_str(text) if tokenizer.normalizer is not None else text
        words = [w for w, _ in tokenizer.pre_tokenizer.pre_tokenize_str(norm)]
        if norm != text or words != [text]:
            return False
        if token.startswith(PREFIX):
            return True
        return tokenizer.encode(text, add_special_tokens=False).ids == [tid]

    def protect_english(self, state: MergeState, english: list[str], rounds: int = 5) -> int:
        """Drop new pieces the greedy matcher would use on the English reference (pieces have no merges,
        so any can go); an encoding that uses only base pieces is the base's. Returns how many went."""
        dropped = 0
        for _ in range(rounds):
            tok = plain_tokenizer(self.splice(state))
            first_new = self.base_vocab_size
            used = {
                i
                for e in tok.encode_batch(english, add_special_tokens=False)
                for i in e.ids
                if i >= first_new
            }
            if not used:
                break
            keep = [(s, lang) for i, s, lang in state.new_tokens if i not in used]
            dropped += len(state.new_tokens) - len(keep)
            for _, s, _ in state.new_tokens:
                del state.ids[s]
            state.strings = {i: s for s, i in state.ids.items()}
            state.next_id, state.new_tokens, state.merges, state.ranks = first_new, [], [], {}
            for s, lang in keep:
                state.add_token(s, lang)
        return dropped

    def splice(self, state: MergeState) -> dict:
        tj = json.loads(json.dumps(self.tj))
        vocab = tj["model"]["vocab"]
        for tid, s, _ in state.new_tokens:
            vocab[s] = tid
        return tj

    def write_files(self, base_dir: Path, out: Path, state: MergeState) -> dict:
        """vocab.txt (one token a line, by id) and tokenizer_config.json's strip_accents when changed."""
        from seapt.io import atomic_write_text, read_json, write_json

        vocab = {**self.base_vocab, **{s: i for i, s, _ in state.new_tokens}}
        by_id = sorted(vocab.items(), key=lambda kv: kv[1])
        atomic_write_text(out / "vocab.txt", "".join(s + "\n" for s, _ in by_id))
        cfg_path = out / "tokenizer_config.json"
        if self.accents_kept and cfg_path.is_file():
            write_json(cfg_path, {**read_json(cfg_path), "strip_accents": False})
        return {
            "strips_accents": self.strips_accents and not self.accents_kept,
            "accents_kept": self.accents_kept,
        }


def _strips_accents(node) -> bool:
    if not isinstance(node, dict):
        return False
    kind = node.get("type")
    if kind == "BertNormalizer":
        sa = node.get("strip_accents")
        return bool(sa) or (sa is None and node.get("lowercase", True))
    if kind == "StripAccents":
        return True
    if kind == "Sequence":
        return any(_strips_accents(n) for n in node.get("normalizers", []))
    return False


def _keep_accents(node):
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "BertNormalizer":
        return {**node, "strip_accents": False}
    if kind == "Sequence":
        return {
            **node,
            "normalizers": [
                _keep_accents(n) for n in node.get("normalizers", []) if n.get("type") != "StripAccents"
            ],
        }
    return node
