"""Training objectives beyond next-token prediction: masked LM (with whole-word masking) and SimCSE.

- MLM follows BERT (Devlin et al., 2019): ``mlm_probability`` of the tokens are chosen, 80% of those
  become the mask token, 10% a random token, 10% stay; whole-word masking chooses words instead (words
  from seapt's segmenters, seapt.text.words) and masks all their tokens. The
  choice is a function of (seed, item index), so resume and multi-process runs mask identically.
- Contrastive is unsupervised SimCSE (Gao et al., 2021): each sentence is encoded twice with dropout as
  the only augmentation; InfoNCE over the batch with temperature 0.05 pulls the two views together.
"""

from __future__ import annotations

import numpy as np

from seapt.train.labels import IGNORE


class MlmMasking:
    """Dataset transform: BERT masking of a packed block, deterministic in (seed, item index)."""

    def __init__(self, tokenizer, probability: float, seed: int, special_ids: set[int], whole_word: bool):
        if tokenizer.mask_token_id is None:
            from seapt.errors import IncompatibleError

            raise IncompatibleError("objective mlm needs a tokenizer with a mask token; this one has none")
        self.mask_id, self.vocab = tokenizer.mask_token_id, len(tokenizer)
        self.p, self.seed, self.special, self.whole_word = probability, seed, special_ids, whole_word

    def __call__(self, item: dict, index: int, word_starts) -> dict:
        import torch

        ids = item["input_ids"].numpy().copy()
        real = item["labels"].numpy() != IGNORE
        rng = np.random.default_rng([self.seed, 7, index])
        maskable = real & ~np.isin(ids, list(self.special))
        if self.whole_word and word_starts is not None:
            starts = np.zeros(len(ids), dtype=bool)
            starts[: len(word_starts)] = word_starts
            starts[0] = True
            word = np.cumsum(starts) - 1
            chosen = (rng.random(word[-1] + 1) < self.p)[word] & maskable
        else:
            chosen = (rng.random(len(ids)) < self.p) & maskable
        if not chosen.any() and maskable.any():
            chosen[rng.choice(np.nonzero(maskable)[0])] = True
        labels = np.where(chosen, ids, IGNORE)
        roll = rng.random(len(ids))
        ids = np.where(chosen & (roll < 0.8), self.mask_id, ids)
        rand_ids = rng.integers(0, self.vocab, len(ids))
        ids = np.where(chosen & (roll >= 0.8) & (roll < 0.9), rand_ids, ids)
        return {"input_ids": torch.from_numpy(ids), "labels": torch.from_numpy(labels),
                "attention_mask": torch.from_numpy(real.astype(np.int64))}


class SentenceCollator:
    """Collate documents for SimCSE: CLS + tokens + SEP (when the tokenizer has them), right-padded."""

    def __init__(self, tokenizer, max_length: int):
        self.cls = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
        self.sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.max_length = max_length

    def __call__(self, items: list[dict]) -> dict:
        import torch

        seqs = []
        for item in items:
            ids = [int(x) for x in item["input_ids"] if int(x) != self.sep]
            room = self.max_length - (self.cls is not None) - (self.sep is not None)
            seqs.append(([self.cls] if self.cls is not None else []) + ids[:room]
                        + ([self.sep] if self.sep is not None else []))
        width = max(len(s) for s in seqs)
        input_ids = torch.full((len(seqs), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            input_ids[i, : len(s)] = torch.tensor(s)
            mask[i, : len(s)] = 1
        return {"input_ids": input_ids, "attention_mask": mask}


def simcse_loss(model, inputs: dict, temperature: float, pooling: str):
    """InfoNCE between two dropout views of each sentence (unsupervised SimCSE); returns (loss, outputs)."""
    import torch
    import torch.nn.functional as F

    ids, mask = inputs["input_ids"], inputs["attention_mask"]
    out = model(input_ids=torch.cat([ids, ids]), attention_mask=torch.cat([mask, mask]))
    hidden = out.last_hidden_state if hasattr(out, "last_hidden_state") else out[0]
    if pooling == "cls":
        emb = hidden[:, 0]
    else:
        m = torch.cat([mask, mask]).unsqueeze(-1).to(hidden.dtype)
        emb = (hidden * m).sum(1) / m.sum(1).clamp(min=1)
    a, b = emb.chunk(2)
    sim = F.cosine_similarity(a.unsqueeze(1), b.unsqueeze(0), dim=-1) / temperature
    loss = F.cross_entropy(sim.float(), torch.arange(len(a), device=sim.device))
    return loss, out
