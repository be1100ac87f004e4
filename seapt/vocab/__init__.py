"""Tokenizer vocabulary extension: continued BPE (bpe.py), splices per family, checks (checks.py), metrics."""
