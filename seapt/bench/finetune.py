"""Label-efficiency curves: accuracy and macro-F1 after training on k labelled examples, and the label saving.

    picks = label_subsets(train_labels, ks=[100, 500], seeds=[0, 1])   # same subsets for every model
    rows = probe_curve(model, tok, train_texts, train_labels, test_texts, test_labels, picks)
    rows = finetune_curve("runs/x/final", train_texts, ..., picks, epochs=3)        # GPU default
    label_saving({100: .61, 500: .70, 1000: .74}, {100: .52, 500: .64, 1000: .69}, reference_k=1000)

``probe`` (the CPU default) freezes the model, mean-pools its last hidden states over the attention mask
and fits scikit-learn's logistic regression (a linear probe, as in SentEval); ``finetune`` trains a
sequence-classification head and the model with transformers' Trainer. Subsets are stratified draws that
depend only on the labels and the seed, so baseline and adapted models see exactly the same examples.
"""

from __future__ import annotations

import numpy as np


def _stratified(indices: np.ndarray, labels: np.ndarray, size: int, seed: int) -> np.ndarray:
    from sklearn.model_selection import train_test_split

    if size >= len(indices):
        return np.sort(indices)
    try:
        picked, _ = train_test_split(indices, train_size=size, stratify=labels, random_state=seed)
    except ValueError:  # a class too rare to stratify (or size < number of classes): plain random draw
        picked = np.random.default_rng(seed).choice(indices, size=size, replace=False)
    return np.sort(picked)


def label_subsets(labels: list[str], ks: list[int], seeds: list[int]) -> dict[tuple[int, int], np.ndarray]:
    """{(k, seed): sorted training indices}; stratified by label, k=0 (or k >= n) means every example.
    A function of (labels, k, seed) only: identical across models."""
    y = np.asarray(labels)
    idx = np.arange(len(y))
    return {(k, s): (idx if k == 0 or k >= len(y) else _stratified(idx, y, k, s)) for k in ks for s in seeds}


def test_subset(labels: list[str], max_test: int | None) -> np.ndarray:
    """Indices of the evaluation sample: a stratified draw of ``max_test`` with seed 0, or all."""
    y = np.asarray(labels)
    idx = np.arange(len(y))
    return idx if not max_test or max_test >= len(y) else _stratified(idx, y, max_test, 0)


def _scores(y_true, y_pred) -> dict:
    from sklearn.metrics import accuracy_score, f1_score

    return {"accuracy": float(accuracy_score(y_true, y_pred)),
            "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0))}


def embed(model, tokenizer, texts: list[str], *, max_length: int = 256, batch_size: int = 8,
          progress=None) -> np.ndarray:
    """Mean-pooled last hidden states (over non-padding tokens) of each text, as float32 [n, hidden]."""
    import torch

    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    device = next(model.parameters()).device
    body = getattr(model, "base_model", model)  # skip the LM head: only hidden states are needed
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths batch together
    out = [None] * len(texts)
    model.eval()
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        enc = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, max_length=max_length,
                        return_tensors="pt").to(device)
        with torch.inference_mode():
            hidden = body(**enc, output_hidden_states=True).hidden_states[-1].float()
        mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        for i, vec in zip(chunk, pooled.cpu().numpy()):
            out[i] = vec
        if progress is not None:
            progress(len(chunk))
    return np.stack(out).astype(np.float32)


def probe_fit(x_train: np.ndarray, y_train, x_test: np.ndarray, y_test, seed: int = 0) -> dict:
    """Standardise, fit a logistic-regression probe, score it: {"accuracy", "macro_f1"}."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if len(set(y_train)) < 2:  # one class only: the probe can only predict it
        return _scores(y_test, [y_train[0]] * len(y_test))
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed))
    clf.fit(x_train, y_train)
    return _scores(y_test, clf.predict(x_test))


def probe_curve(model, tokenizer, train_texts, train_labels, test_texts, test_labels, subsets: dict,
                *, max_length: int = 256, batch_size: int = 8, progress=None) -> list[dict]:
    """One row {"k", "seed", "accuracy", "macro_f1"} per subset; each needed text is embedded once."""
    needed = sorted({int(i) for picks in subsets.values() for i in picks})
    feats = embed(model, tokenizer, [train_texts[i] for i in needed], max_length=max_length,
                  batch_size=batch_size, progress=progress)
    row_of = {i: r for r, i in enumerate(needed)}
    x_test = embed(model, tokenizer, list(test_texts), max_length=max_length, batch_size=batch_size,
                   progress=progress)
    y_all = np.asarray(train_labels)
    rows = []
    for (k, seed), picks in subsets.items():
        x = feats[[row_of[int(i)] for i in picks]]
        rows.append({"k": k or len(picks), "seed": seed, **probe_fit(x, y_all[picks], x_test, list(test_labels), seed)})
    return rows


def finetune_curve(model_path: str, train_texts, train_labels, test_texts, test_labels, subsets: dict,
                   *, epochs: float = 3.0, lr: float = 2e-5, max_length: int = 256, batch_size: int = 8,
                   device: str = "cpu", workdir: str | None = None) -> list[dict]:
    """Fine-tune a fresh sequence-classification model from ``model_path`` per subset (transformers Trainer)."""
    import tempfile

    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        PrinterCallback,
        Trainer,
        TrainingArguments,
    )

    classes = sorted(set(train_labels) | set(test_labels))
    to_id = {c: i for i, c in enumerate(classes)}
    tok = AutoTokenizer.from_pretrained(model_path)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token or tok.unk_token

    def encode(texts, labels):
        enc = tok(list(texts), truncation=True, max_length=max_length)
        return [{"input_ids": a, "attention_mask": m, "labels": to_id[y]}
                for a, m, y in zip(enc["input_ids"], enc["attention_mask"], labels)]

    test_set = encode(test_texts, test_labels)
    rows = []
    for (k, seed), picks in subsets.items():
        torch.manual_seed(seed)
        model = AutoModelForSequenceClassification.from_pretrained(model_path, num_labels=len(classes))
        model.config.pad_token_id = tok.pad_token_id
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            args = TrainingArguments(
                output_dir=tmp, num_train_epochs=epochs, learning_rate=lr, per_device_train_batch_size=batch_size,
                per_device_eval_batch_size=batch_size, seed=seed, save_strategy="no", report_to=[],
                logging_strategy="no", disable_tqdm=True, use_cpu=device == "cpu", warmup_steps=0.1,  # a float < 1 is a ratio
            )
            from transformers import DataCollatorWithPadding

            trainer = Trainer(model=model, args=args, data_collator=DataCollatorWithPadding(tok),
                              train_dataset=encode([train_texts[i] for i in picks], [train_labels[i] for i in picks]))
            trainer.remove_callback(PrinterCallback)  # its end-of-training dict would break the suite's progress bar
            trainer.train()
            pred = trainer.predict(test_set).predictions
        pred = pred[0] if isinstance(pred, tuple) else pred
        rows.append({"k": k or len(picks), "seed": seed, **_scores([to_id[y] for y in test_labels], pred.argmax(-1))})
        del model, trainer
    return rows


def label_saving(adapted: dict[int, float], baseline: dict[int, float], reference_k: int) -> dict | None:
    """Smallest k (linearly interpolated between measured k) at which the adapted curve reaches the
    baseline's score at ``reference_k`` (the largest measured k <= reference_k if that is missing).
    Returns {"reference_k", "target", "k", "saving"} with saving = 1 - k / reference_k, or None when the
    curves don't allow it; k is None when the adapted model never reaches the target."""
    ref_ks = sorted(k for k in baseline if 0 < k <= reference_k)
    points = sorted((k, v) for k, v in adapted.items() if k > 0)
    if not ref_ks or not points:
        return None
    ref = ref_ks[-1]
    target = baseline[ref]
    prev = None
    for k, v in points:
        if v >= target:
            if prev is None or prev[1] >= target:
                hit = float(k)
            else:  # interpolate between the last point below the target and this one
                k0, v0 = prev
                hit = k0 + (target - v0) * (k - k0) / (v - v0)
            return {"reference_k": ref, "target": target, "k": hit, "saving": 1.0 - hit / ref}
        prev = (k, v)
    return {"reference_k": ref, "target": target, "k": None, "saving": None}
