"""Tokenizer families: detect a base's family from tokenizer.json and the shared BPE splice.

A family knows how to cut text into the model's words (pieces in the model alphabet), how the base model
tokenises a word, and how to write the grown vocabulary back into a standard tokenizer.json. Concrete
families live in bytelevel.py, sentencepiece.py and wordpiece.py.
"""

from __future__ import annotations

import json
import re

from seapt.errors import InputError, UnsupportedError
from seapt.vocab.bpe import MergeState


def plain_tokenizer(tj: dict | None = None, path=None):
    """A `tokenizers.Tokenizer` from a dict or file with padding and truncation off (a base may ship
    them, e.g. MiniLM pads to 128, which would corrupt every count and check)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(json.dumps(tj)) if tj is not None else Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.no_truncation()
    return tok


def detect_family(tj: dict) -> str:
    """ "byte-level-bpe", "sentencepiece-bpe" or "wordpiece"; UnsupportedError for anything else."""
    model = tj.get("model") or {}
    mtype = model.get("type")
    if mtype is None and "merges" in model:
        mtype = "BPE"
    blob = json.dumps([tj.get("pre_tokenizer"), tj.get("decoder"), tj.get("normalizer")])
    if mtype == "BPE":
        if '"ByteLevel"' in json.dumps(tj.get("pre_tokenizer")):
            return "byte-level-bpe"
        if model.get("byte_fallback") or '"Metaspace"' in blob or "\u2581" in blob:
            return "sentencepiece-bpe"
        raise UnsupportedError(
            "this BPE tokenizer is neither byte-level nor SentencePiece-style; not supported yet"
        )
    if mtype == "WordPiece":
        return "wordpiece"
    if mtype == "Unigram":
        raise UnsupportedError("Unigram tokenizers (e.g. T5, XLM-R, Gemma-1) are not supported yet")
    raise UnsupportedError(f"tokenizer model type {mtype!r} is not supported yet")


class Family:
    """Interface of a tokenizer family; see the concrete classes."""

    name = ""
    merge_based = True
    """True for BPE: a new token must be what the merges produce for its own string."""
    always_segment = False
    """Pre-split text of languages written without spaces into words even when segment is off (WordPiece:
    its pieces never cross a pre-tokenizer word)."""
    names_dropped_from_text = False
    """With a normaliser, drop shared names from the text before counting pieces (uncased WordPiece: its
    lower-casing normaliser hides the capitals that mark a name in the pieces)."""

    def __init__(self, tj: dict):
        self.tj = tj
        try:
            self.tokenizer = plain_tokenizer(tj)
        except Exception as exc:  # tokenizers raises plain Exception on a malformed file
            raise InputError(
                f"the base tokenizer.json cannot be loaded: {str(exc).splitlines()[0]}"
            ) from None
        self.base_vocab = self.tokenizer.get_vocab(with_added_tokens=True)
        self.base_vocab_size = max(self.base_vocab.values()) + 1
        self.pretokenizer_rewritten = False

    # -- hooks --------------------------------------------------------------------------------------
    def prepare(self, langs: list[str], cfg) -> None:
        """Adapt the pipeline (pre-tokenizer/normaliser) to the target languages before counting."""

    def use_new_chars(self, chars: list[str]) -> None:
        """Make ``base_tokenize`` spell these newly added characters as single tokens."""

    def pieces(self, chunk: str, first: bool) -> list[str]:
        """Model-alphabet words of a chunk of text (``first``: the chunk starts the document)."""
        raise NotImplementedError

    def base_tokenize(self, word: str) -> list[str]:
        """Token strings of ``word`` under the base model."""
        raise NotImplementedError

    def to_text(self, token: str) -> str:
        """Readable text of a token string (for script filters and reports)."""
        return token

    def partial_in_script(self, token: str, prefixes: frozenset) -> bool:
        """True when the token is an incomplete character whose bytes begin one of the script's letters."""
        return False

    def not_mixed_partial(self, token: str) -> bool:
        """False for a token mixing ASCII with an incomplete multi-byte character (byte-level bases)."""
        return True

    def join(self, a: str, b: str) -> str:
        return a + b

    def mergeable(self, token: str) -> bool:
        """False for tokens a new merge must not use (e.g. byte-fallback tokens)."""
        return True

    def aligned(self, a: str, b: str) -> bool:
        """Whether merging tokens ``a`` and ``b`` respects character boundaries (byte-level bases)."""
        return True

    def whole_piece(self, token: str) -> bool:
        """True when the token's own text is cut by the pre-tokenizer into exactly this one piece."""
        return True

    def missing_chars(self, chars: dict[str, int], lang: str, min_frequency: int) -> list[str]:
        """Characters of the corpus the base can only spell with byte fallback or [UNK] (to add first)."""
        return []

    def splice(self, state: MergeState) -> dict:
        """The extended tokenizer.json as a dict."""
        raise NotImplementedError

    def reachable_ok(self, tokenizer, tid: int, token: str) -> bool:
        """Whether encoding the added token's own string yields it in the extended ``tokenizer``: the model
        on the token's string, and the pre-tokenizer keeping the token's text whole."""
        return [t.id for t in tokenizer.model.tokenize(token)] == [tid] and self.whole_piece(token)

    def protect_english(self, state: MergeState, english: list[str]) -> int:
        """Drop new tokens the English reference would use, after learning; returns how many went. BPE
        families protect English while learning (banned pairs), so by default nothing goes."""
        return 0

    def write_files(self, base_dir, out, state: MergeState) -> dict:
        """Write the family's own files beside tokenizer.json into ``out``; returns extension.json fields."""
        return {}

    def extra_checks(self, base_dir, out, docs: list[str]) -> dict:
        """The family's own checks of the written tokenizer on ``docs`` (extension.json "checks" fields)."""
        return {}


class BPEFamily(Family):
    """Shared splice for BPE families: specials pinned in the model vocab, new tokens and merges appended."""

    def base_tokenize(self, word: str) -> list[str]:
        return [t.value for t in self.model.tokenize(word)]

    @property
    def model(self):
        return self.tokenizer.model

    def splice(self, state: MergeState) -> dict:
        tj = json.loads(json.dumps(self.tj))
        model = tj["model"]
        vocab = model["vocab"]
        # tokenizers gives added tokens missing from the model vocab the ids right after it: pin every
        # existing special/added token in the model vocab at its id so new tokens cannot shift them.
        for tok in tj.get("added_tokens") or []:
            vocab.setdefault(tok["content"], tok["id"])
        for tid, string, _ in state.new_tokens:
            vocab[string] = tid
        as_lists = bool(model["merges"]) and isinstance(model["merges"][0], list)
        for a, b in self.merge_list(state):
            model["merges"].append([a, b] if as_lists else f"{a} {b}")
        return tj

    def merge_list(self, state: MergeState) -> list[tuple[str, str]]:
        return [(state.strings[a], state.strings[b]) for a, b in state.merges]


def has_letter_class(pattern: str) -> bool:
    return re.search(r"\\p\{L\}", pattern) is not None
