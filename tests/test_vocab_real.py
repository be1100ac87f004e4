"""Real bases and data (../shared): the issue's parity targets for Thai. Slow; skipped without ../shared."""

from __future__ import annotations

import pytest

from seapt.vocab.config import ExtendConfig
from seapt.vocab.extend import extend_tokenizer
from seapt.vocab.metrics import evaluate_tokenizers

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("base, target", [("llama3", 1.35), ("mistral-v1", 1.35)])
def test_thai_8000_parity_on_flores(shared_data, tmp_path, base, target):
    base_dir = shared_data.parent / "base-tokenizers" / base
    if not base_dir.is_dir():
        pytest.skip("../shared/base-tokenizers is not present")
    flores = shared_data / "parallel" / "flores200_devtest"
    info = extend_tokenizer(
        ExtendConfig(
            base=str(base_dir),
            corpus={"th": str(shared_data / "raw" / "th_thaigov")},
            add={"th": 8000},
            output=str(tmp_path / "out"),
        ),
        progress=False,
    )
    checks = info["checks"]
    assert info["added"] == {"th": 8000} and checks["unreachable"] == 0 and checks["base_ids_preserved"]
    assert checks["roundtrip_rate"] == 1.0 and checks["english_identical_rate"] == 1.0
    ev = evaluate_tokenizers(
        [str(base_dir), str(tmp_path / "out")],
        {"th": str(flores / "tha_Thai.devtest"), "en": str(flores / "eng_Latn.devtest")},
        parallel=True,
    )
    assert ev[str(tmp_path / "out")]["th"]["parity_vs_en"] <= target
    assert ev[str(tmp_path / "out")]["en"]["tokens"] == ev[str(base_dir)]["en"]["tokens"]
