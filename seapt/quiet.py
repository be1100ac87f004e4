"""Keep the libraries' own console output out of seapt's displays: one context manager for every stage.

    with quiet(progress=False):                          # transformers: errors only, no progress bars
        model = AutoModel.from_pretrained(...)
    with quiet(transformers=False, log_file=out / "logs" / "console.log"):
        executor.run()                                   # datatrove's loguru output goes to the file
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

# the libraries' own progress bars (tqdm in lm-eval and datasets) and info logs, for child code that reads them
_QUIET_ENV = {"TQDM_DISABLE": "1", "TRANSFORMERS_VERBOSITY": "error", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}


@contextlib.contextmanager
def quiet(progress: bool = True, *, transformers: bool = True, log_file: str | Path | None = None) -> Iterator[None]:
    """Inside: transformers logs only errors (``transformers=False`` leaves it alone and unimported);
    ``progress=False`` also hides the libraries' progress bars (transformers', GGUF dequantisation's, tqdm's,
    datasets'); ``log_file`` sends stderr and loguru (datatrove) into that file. Everything is restored after."""
    with contextlib.ExitStack() as stack:
        if not progress:
            stack.enter_context(_environment(_QUIET_ENV))
        if transformers:
            stack.enter_context(_transformers(progress))
        if log_file is not None:
            stack.enter_context(_log_to(Path(log_file)))
        yield


@contextlib.contextmanager
def _environment(values: dict[str, str]):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


@contextlib.contextmanager
def _transformers(progress: bool):
    import functools

    from transformers.utils import logging as hf_logging

    level, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    gguf_utils = gguf_tqdm = None
    hf_logging.set_verbosity_error()
    if not progress:
        hf_logging.disable_progress_bar()
        import transformers.modeling_gguf_pytorch_utils as gguf_utils  # its bar is plain tqdm

        gguf_tqdm = getattr(gguf_utils, "tqdm", None)
        if gguf_tqdm is not None:
            gguf_utils.tqdm = functools.partial(gguf_tqdm, disable=True)
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()
        if gguf_tqdm is not None:
            gguf_utils.tqdm = gguf_tqdm


@contextlib.contextmanager
def _log_to(log_path: Path):
    """stderr and loguru into ``log_path`` (loguru binds sys.stderr when a datatrove task starts)."""
    from loguru import logger

    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as fh:
        old = sys.stderr
        sys.stderr = fh
        logger.remove()
        logger.add(fh, level="INFO")
        try:
            yield
        finally:
            sys.stderr = old
            logger.remove()
            logger.add(sys.stderr, level="WARNING")
