"""Continued pretraining: data packing and mixing, objectives, Trainer setup, stages and exact resume."""
