"""Pure text functions: normalize, segment, segment_batch, sentences (light: heavy libraries load on use).

The functions share their modules' names, so the package binds the functions after importing the
modules: ``from seapt.text import segment`` is always the function. Import module internals with
``from seapt.text.segment import ...``.
"""

from seapt.text.normalize import normalize
from seapt.text.segment import segment, segment_batch
from seapt.text.sentences import sentences

__all__ = ["normalize", "segment", "segment_batch", "sentences"]
