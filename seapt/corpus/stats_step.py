"""Last stage: sum the per-task datatrove stats into DIR/stats.json and mark the corpus complete.

stats.json: {"read", "kept", "dropped": {reason: count}, "bytes_in", "bytes_out", "seconds"} plus "lang",
"pii" (masked spans per kind), "cleaned" (lines removed per kind), "repaired" (documents repaired per kind:
{"doubled_text": n}, seapt.corpus.doubled) and "encodings" (documents in a legacy encoding, detected and converted
to Unicode: {"zawgyi": {"detected", "converted"}} for Burmese). read == kept + sum(dropped).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from datatrove.pipeline.base import PipelineStep


def _value(x) -> int:
    return int(x.get("total", 0)) if isinstance(x, dict) else int(x or 0)


def collect_stats(out_dir: str | Path) -> dict:
    """Sum stage 1 and stage 4 task stats of ``out_dir`` into the stats.json mapping (without seconds)."""
    out = Path(out_dir)
    read = kept = bytes_in = bytes_out = 0
    dropped: Counter = Counter()
    pii: Counter = Counter()
    cleaned: Counter = Counter()
    repaired: Counter = Counter()
    encodings: dict[str, Counter] = {}
    for stage in ("1_filter", "4_dedup"):
        for path in sorted((out / "logs" / stage / "stats").glob("*.json")):
            for step in json.loads(path.read_text(encoding="utf-8")):
                name, st = step["name"], step["stats"]
                if name.endswith("seapt reader"):
                    read += _value(st.get("documents"))
                    bytes_in += _value(st.get("bytes_in"))
                elif name.endswith("seapt corpus writer") and stage == "4_dedup":
                    kept += _value(st.get("total"))
                    bytes_out += _value(st.get("bytes_out"))
                for label, v in st.items():
                    if label.startswith("dropped_"):
                        dropped[label[len("dropped_"):]] += _value(v)
                    elif label.startswith("pii_"):
                        pii[label[len("pii_"):]] += _value(v)
                    elif label.startswith("removed_"):
                        cleaned[label[len("removed_"):]] += _value(v)
                    elif label.startswith("repaired_"):
                        repaired[label[len("repaired_"):]] += _value(v)
                    elif label.startswith("legacy_"):
                        name, what = label[len("legacy_"):].rsplit("_", 1)
                        encodings.setdefault(name, Counter())[what] += _value(v)
    return {"read": read, "kept": kept, "dropped": dict(sorted(dropped.items())), "bytes_in": bytes_in,
            "bytes_out": bytes_out, "pii": dict(sorted(pii.items())), "cleaned": dict(sorted(cleaned.items())),
            "repaired": dict(sorted(repaired.items())),
            "encodings": {k: {"detected": c["detected"], "converted": c["converted"]} for k, c in encodings.items()}}


def _legacy_encoding(lang) -> str | None:
    from seapt.languages import LANGUAGES

    return LANGUAGES[lang].legacy_encoding if lang in LANGUAGES else None


class WriteStats(PipelineStep):
    """Write DIR/stats.json from the task stats, then DIR/.done (runs as a 1-task stage on any executor)."""

    type = "📊 - STATS"
    name = "corpus stats"

    def __init__(self, output_folder: str, started: float):
        super().__init__()
        self.output_folder = output_folder
        self.started = started

    def run(self, data=None, rank: int = 0, world_size: int = 1):
        from seapt.io import mark_done, write_json

        stats = collect_stats(self.output_folder)
        cfg = Path(self.output_folder) / "config.yaml"
        if cfg.is_file():
            import yaml

            stats["lang"] = (yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}).get("lang")
            name = _legacy_encoding(stats["lang"])
            if name:  # zero counts are news too: the language was checked
                stats["encodings"].setdefault(name, {"detected": 0, "converted": 0})
        stats["seconds"] = round(time.time() - self.started, 3)
        write_json(Path(self.output_folder) / "stats.json", stats)
        mark_done(self.output_folder, {"kept": stats["kept"], "read": stats["read"]})
        if data:
            yield from data
