"""seapt: adapt English-centric language models to Thai, Vietnamese and Indonesian."""

__version__ = "0.1.0"
