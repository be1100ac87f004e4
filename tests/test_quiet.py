"""seapt.quiet.quiet: the libraries' console output is held back inside and everything is restored after."""

import os
import sys

from seapt.quiet import quiet


def test_quiet_restores_transformers_and_environment(monkeypatch):
    from transformers.utils import logging as hf_logging

    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    level, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_warning()
    hf_logging.enable_progress_bar()  # other tests (pretrain) may have turned them off for the process
    try:
        with quiet(progress=False):
            assert hf_logging.get_verbosity() == hf_logging.ERROR and not hf_logging.is_progress_bar_enabled()
            assert os.environ["TQDM_DISABLE"] == "1"
        assert hf_logging.get_verbosity() == hf_logging.WARNING and hf_logging.is_progress_bar_enabled()
        assert "TQDM_DISABLE" not in os.environ
    finally:
        hf_logging.set_verbosity(level)
        hf_logging.enable_progress_bar() if bars else hf_logging.disable_progress_bar()


def test_quiet_sends_stderr_and_loguru_to_the_log_file(tmp_path):
    from loguru import logger

    log = tmp_path / "logs" / "console.log"
    old = sys.stderr
    with quiet(transformers=False, log_file=log):
        print("to the file", file=sys.stderr)
        logger.info("loguru line")
    assert sys.stderr is old
    text = log.read_text(encoding="utf-8")
    assert "to the file" in text and "loguru line" in text
