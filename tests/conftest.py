"""Shared test setup: offline Hugging Face, the ../shared data path, tiny helpers."""

import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import pytest  # noqa: E402
import tqdm  # noqa: E402

# tqdm's monitor thread holds tqdm's lock at times; a worker forked (datatrove's "fork" start method) while it
# does inherits the held lock and hangs. One pytest process runs every test, so never start that thread here.
tqdm.tqdm.monitor_interval = 0

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_data():
    """The ../shared/data folder, or skip when a fresh clone has none."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is not present")
    return path
