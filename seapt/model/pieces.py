"""Base tokenisation of a new vocabulary entry: the base ids whose embeddings a new row is the mean of.

A byte-level BPE token string is written in GPT-2's byte alphabet (``bytes_to_unicode``: "Ġ" is a space,
"à¸ª" is the three UTF-8 bytes of "ส"); it is decoded to its real bytes first and, when they are whole
UTF-8 text, re-encoded with the full base tokenizer (so the pieces are what the base model saw for that
text). Tokens that are partial UTF-8, and SentencePiece / WordPiece / Unigram vocabularies, are split by
the base tokenizer's model itself, in the vocabulary's own alphabet ("▁" spaces, byte fallback, "##").
Following the mean-of-subwords initialisation of Gee et al. 2022 ("Fast vocabulary transfer") and
Hewitt 2021 ("Initializing new word embeddings for pretrained language models").
"""

from __future__ import annotations

import json

from seapt.vocab.bytelevel import byte_decoder


def token_bytes(token: str) -> bytes | None:
    """Real bytes of a byte-level token string, or None when it is not written in the byte alphabet."""
    table = byte_decoder()
    try:
        return bytes(table[ch] for ch in token)
    except KeyError:
        return None


def _walk_types(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["type"]} if isinstance(node.get("type"), str) else set()
        for value in node.values():
            found |= _walk_types(value)
        return found
    if isinstance(node, list):
        return set().union(*(_walk_types(v) for v in node)) if node else set()
    return set()


class BasePieces:
    """Splits new-token strings into base-vocabulary ids with a base (HF fast) tokenizer."""

    def __init__(self, base_tokenizer):
        self.hf = base_tokenizer
        self.backend = base_tokenizer.backend_tokenizer
        spec = json.loads(self.backend.to_str())
        self.model_type = spec["model"]["type"]
        self.byte_level = "ByteLevel" in _walk_types([spec.get("pre_tokenizer"), spec.get("decoder")])
        self.prefix = spec["model"].get("continuing_subword_prefix") or ""
        self.unk_id = self._unk_id(spec)
        self.vocab = self.backend.get_vocab(with_added_tokens=True)

    def _unk_id(self, spec) -> int | None:
        unk = spec["model"].get("unk_token")
        if isinstance(unk, str):
            return self.backend.token_to_id(unk)
        if isinstance(spec["model"].get("unk_id"), int):
            return spec["model"]["unk_id"]
        return None

    def _wordpiece_text(self, text: str) -> list[int]:
        """Ids the full base tokenizer gives ``text`` (its normaliser: an uncased base sees "ặ" as "a")."""
        return [i for i in self._encode(text) if i != self.unk_id]

    def _encode(self, text: str) -> list[int]:
        """Base ids of ``text`` without padding (a tokenizer.json may pad, e.g. sentence-transformers' to 128)."""
        enc = self.backend.encode(text, add_special_tokens=False)
        return [i for i, m in zip(enc.ids, enc.attention_mask) if m]

    def model_split(self, token: str) -> list[int]:
        """Ids of ``token`` split by the base tokenizer's model alone (no normaliser / pre-tokenizer)."""
        if self.model_type == "WordPiece" and self.prefix and token.startswith(self.prefix) and len(token) > len(
                self.prefix):
            ids = [t.id for t in self.backend.model.tokenize(token[len(self.prefix):])]
            if ids == [self.unk_id]:  # e.g. an accent the uncased base strips: what the base saw instead
                ids = self._wordpiece_text(token[len(self.prefix):])
            if ids and ids[0] != self.unk_id:
                # the first piece of a continuation is itself a continuation piece ("##ab" -> "##a", "##b")
                cont = self.vocab.get(self.prefix + self.backend.id_to_token(ids[0]))
                if cont is not None:
                    ids[0] = cont
            return ids
        ids = [t.id for t in self.backend.model.tokenize(token)]
        if self.model_type == "WordPiece" and ids == [self.unk_id]:
            ids = self._wordpiece_text(token)
        return ids

    def __call__(self, token: str, *, added: bool = False) -> list[int]:
        """Base ids for new vocabulary entry ``token`` ([] when the base has nothing but UNK for it).

        ``added``: the token is an added token (its string is literal text, not in the model alphabet).
        """
        if added:
            ids = self.hf(token, add_special_tokens=False)["input_ids"]
        elif self.byte_level and (raw := token_bytes(token)) is not None:
            ids = self._byte_level(token, raw)
        else:
            ids = self.model_split(token)
        kept = [i for i in ids if i != self.unk_id]
        return kept

    def _byte_level(self, token: str, raw: bytes) -> list[int]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None  # a partial UTF-8 sequence: only the byte alphabet can spell it
        if text is not None:
            ids = self._encode(text)
            spelled = b"".join(token_bytes(self.backend.id_to_token(i)) or b"\0" for i in ids)
            if spelled == raw:
                return ids
        return self.model_split(token)
