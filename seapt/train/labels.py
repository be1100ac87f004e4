"""Label value the loss ignores (padding, unmasked MLM positions): transformers' and torch's -100."""

IGNORE = -100
