"""SentencePiece-style BPE family (Llama-2, Mistral, Gemma-BPE): ▁ words, byte fallback, tokenizer.model.

New characters the base can only spell with byte fallback are added as single-character pieces first (they
count against the budget). The tokenizer.json gets, for every new piece, its learned merge and every other
split into two existing pieces, ranked by the piece's order — the SentencePiece rule (merge whichever
adjacent pair forms the highest-scoring piece), as Hugging Face's own converter does — so that the
extended ``tokenizer.model`` (new pieces appended with scores below every base score, in merge order)
gives the same ids.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from seapt.vocab.bpe import MergeState
from seapt.vocab.family import BPEFamily

_BYTE = re.compile(r"<0x[0-9A-Fa-f]{2}>")
_WORDS = re.compile("\u2581*[^\u2581]+|\u2581+")


class SentencePieceFamily(BPEFamily):
    name = "sentencepiece-bpe"

    def __init__(self, tj: dict):
        super().__init__(tj)
        self._model = self.tokenizer.model
        self.specials = {t["content"] for t in tj.get("added_tokens") or []}

    @property
    def model(self):
        return self._model

    def prepare(self, langs: list[str], cfg) -> None:
        pass

    def write_files(self, base_dir, out, state) -> dict:
        """The extended ``tokenizer.model`` beside tokenizer.json, when the base has one."""
        if (Path(base_dir) / "tokenizer.model").is_file():
            self.write_model(Path(base_dir) / "tokenizer.model", Path(out) / "tokenizer.model", state)
        return {}

    def extra_checks(self, base_dir, out, docs: list[str]) -> dict:
        """How often tokenizer.model gives the same ids as tokenizer.json (and the base's own two files do)."""
        if not (Path(out) / "tokenizer.model").is_file():
            return {}
        checks = {"sentencepiece_agreement": agreement(out, docs)}
        if (Path(base_dir) / "tokenizer.json").is_file() and (Path(base_dir) / "tokenizer.model").is_file():
            checks["sentencepiece_agreement_base"] = agreement(base_dir, docs)
        return checks

    def pieces(self, chunk: str, first: bool) -> list[str]:
        tok = self.tokenizer
        text = tok.normalizer.normalize_str(chunk) if tok.normalizer is not None else chunk
        if tok.pre_tokenizer is not None:
            text = "".join(p for p, _ in tok.pre_tokenizer.pre_tokenize_str(text))
        text = text.replace(" ", "\u2581")
        if not first and text.startswith("\u2581") and not chunk.startswith(" "):
            text = text[1:]  # a prepended ▁ belongs to the document start only
        return _WORDS.findall(text)

    def to_text(self, token: str) -> str:
        return token.replace("\u2581", " ")

    def mergeable(self, token: str) -> bool:
        return not _BYTE.fullmatch(token) and token not in self.specials

    def missing_chars(self, chars: dict[str, int], lang: str, min_frequency: int) -> list[str]:
        vocab = self.base_vocab
        out = [c for c, n in chars.items() if n >= min_frequency and c not in vocab and not c.isspace()]
        return sorted(out, key=lambda c: (-chars[c], c))

    def use_new_chars(self, chars: list[str]) -> None:
        if not chars:
            return
        from tokenizers import Tokenizer

        tj = json.loads(json.dumps(self.tj))
        vocab = tj["model"]["vocab"]
        nxt = max(self.base_vocab.values()) + 1
        for c in chars:
            if c not in vocab:
                vocab[c] = nxt
                nxt += 1
        self._model = Tokenizer.from_str(json.dumps(tj)).model

    def merge_list(self, state: MergeState) -> list[tuple[str, str]]:
        """Learned merges plus every other split of each new piece into two known pieces, in piece order."""
        learned: dict[int, list[tuple[int, int]]] = {}
        for a, b in state.merges:
            learned.setdefault(state.ranks[(a, b)][1], []).append((a, b))
        vocab = state.ids
        out, seen = [], set()
        new_ids = [tid for tid, _, _ in state.new_tokens]
        # merges that produce an existing (base or earlier) token keep their learned position first
        order = sorted(learned, key=lambda t: state.ranks[learned[t][0]][0])
        for tid in order + [t for t in new_ids if t not in learned]:
            s = state.strings[tid]
            pairs = [(state.strings[a], state.strings[b]) for a, b in learned.get(tid, [])]
            if tid in set(new_ids):
                pairs += [(s[:i], s[i:]) for i in range(1, len(s)) if s[:i] in vocab and s[i:] in vocab]
            for p in pairs:
                if p not in seen and self.mergeable(p[0]) and self.mergeable(p[1]):
                    seen.add(p)
                    out.append(p)
        return out

    def write_model(self, base_model: Path, out: Path, state: MergeState) -> None:
        """Append the new pieces to the base tokenizer.model, scores below every base score, in id order."""
        import numpy as np

        from seapt.errors import IncompatibleError, require

        pb = require("sentencepiece.sentencepiece_model_pb2", package="sentencepiece protobuf")
        proto = pb.ModelProto()
        proto.ParseFromString(base_model.read_bytes())
        if len(proto.pieces) != self.base_vocab_size:
            raise IncompatibleError(
                f"{base_model} has {len(proto.pieces)} pieces but tokenizer.json has "
                f"{self.base_vocab_size} ids"
            )
        low = np.float32(min(p.score for p in proto.pieces))
        step = float(max(1.0, 2 * np.spacing(np.abs(low) * 2)))
        for i, (tid, s, _) in enumerate(state.new_tokens):
            piece = proto.pieces.add()
            piece.piece = s
            piece.score = float(low) - step * (i + 1)
            piece.type = pb.ModelProto.SentencePiece.NORMAL
            assert len(proto.pieces) - 1 == tid
        out.write_bytes(proto.SerializeToString())


def agreement(folder: Path, texts: list[str]) -> float:
    """Share of ``texts`` that tokenizer.model (sentencepiece) and tokenizer.json encode to the same ids."""
    import sentencepiece as spm

    from seapt.vocab.family import plain_tokenizer

    if not texts:
        return 1.0
    sp = spm.SentencePieceProcessor(model_file=str(folder / "tokenizer.model"))
    tok = plain_tokenizer(path=folder / "tokenizer.json")
    hf = tok.encode_batch(texts, add_special_tokens=False)
    return sum(sp.encode(t) == e.ids for t, e in zip(texts, hf)) / len(texts)
