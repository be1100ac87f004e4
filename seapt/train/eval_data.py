"""Held-out sets for bits per byte during training (`--eval L=PATH`), read from token shards, memory-mapped.

    sets = load_eval_sets(cfg, tokenizer)            # {lang: EvalSet}; raw text is tokenised first
    bits_per_byte_encoded(model, tokenizer, sets["th"].documents(), max_bytes=cfg.eval_max_bytes)

PATH is a `seapt corpus tokenize` folder, or text tokenised into OUTPUT/tokens/eval-<L>/ by the same pipeline
as `--data`, in one task so that the documents keep the file's order (eval_max_bytes takes whole documents
from the start, as it does from the text). Each shard's .ds.bytes holds the UTF-8 size of every document's
text, the denominator of bits per byte, so the result equals seapt.bench.intrinsic.bits_per_byte on the text.
"""

from __future__ import annotations

from pathlib import Path


from seapt.corpus import token_shards as ts
from seapt.errors import IncompatibleError
from seapt.train.config import PretrainConfig

_CHUNK = 4096  # documents whose ends are read from the index at a time


class EvalSet:
    """The documents of a tokenised folder, in shard order, as (token ids without the separator, bytes)."""

    def __init__(self, name: str, folder: str | Path):
        folder = Path(folder)
        self.name, self.folder, self.info = name, folder, ts.finished_info(folder)
        if not self.info.get("doc_bytes"):
            raise IncompatibleError(f"{folder} holds no per-document byte counts (.ds.bytes), which bits per byte "
                                    "needs; tokenise it again with this version of `seapt corpus tokenize`")
        self.shards = [(tokens, ends, ts.open_doc_bytes(folder / s["name"])) for (tokens, ends, _), s in
                       zip(ts.open_checked(folder, self.info, doc_bytes=True), self.info["shards"])]

    def documents(self):
        """Yield (ids list, UTF-8 bytes of the text) per document, reading the memory maps lazily."""
        for tokens, ends, sizes in self.shards:
            start = 0
            for a in range(0, len(ends), _CHUNK):
                for end, size in zip(ends[a:a + _CHUNK].tolist(), sizes[a:a + _CHUNK].tolist()):
                    yield tokens[start:end - 1].tolist(), size  # the last token is the document separator
                    start = end


def load_eval_sets(cfg: PretrainConfig, tokenizer, separator: str) -> dict[str, EvalSet]:
    """{lang: EvalSet} of cfg.eval, tokenising text sources into OUTPUT/tokens/eval-<L>/ (one task)."""
    from seapt.train.sources import check_identity, is_tokenised, tokenise

    sets, ident = {}, ts.tokenizer_identity(tokenizer) if cfg.eval else None
    for lang, path in cfg.eval.items():
        folder = Path(path)
        if not is_tokenised(path):
            folder = Path(cfg.output) / "tokens" / f"eval-{lang}"
            tokenise(cfg, lang, path, folder, separator, tasks=1, word_lang=None)
        sets[lang] = EvalSet(lang, folder)
        check_identity(str(folder), sets[lang].info, tokenizer, cfg.model, None, False, ident)
    return sets
