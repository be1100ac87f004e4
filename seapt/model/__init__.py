"""Model stage: load / import models (load.py), grow and initialise embeddings (embeddings.py, pieces.py)."""
