#!/usr/bin/env bash
# SmolLM2-135M + Thai extension on one GPU, end to end through the seapt CLI (issue 6's Thai benchmark recipe):
#   benchmarks/gpu_thai_smollm2.sh GGUF TOKENIZER_DIR TH_CORPUS FLORES_DIR [SET...]
# imports the GGUF, grows the embeddings (mean init), then runs configs/pretrain/smollm2-135m-th-cpu.yaml
# unchanged except for paths (bf16 on the GPU), and prints held-out Thai/English bits per byte before and
# after. Extra arguments are passed as --set overrides. Logs and metrics go to $OUT (or a temp folder).
set -euo pipefail
GGUF=$1 TOK=$2 CORPUS=$3 FLORES=$4; shift 4
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$(mktemp -d)}
W=${WORK:-$(mktemp -d)}
cd "$ROOT"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1
if command -v seapt >/dev/null; then SEAPT=(seapt); else SEAPT=(python3 cli.py); fi
t0=$SECONDS
"${SEAPT[@]}" model import "$GGUF" --output "$W/base" 2>&1 | tail -2 | tee "$OUT/t_import.log"
echo "import_seconds=$((SECONDS - t0))" | tee -a "$OUT/summary.txt"
t0=$SECONDS
"${SEAPT[@]}" model extend --base "$W/base" --tokenizer "$TOK" --init mean --output "$W/model" 2>&1 | tail -2 | tee "$OUT/t_extend.log"
echo "extend_seconds=$((SECONDS - t0))" | tee -a "$OUT/summary.txt"
t0=$SECONDS
sets=(model="$W/model" output="$W/train" data.th="$CORPUS" english=corpora/en
      eval.th="$FLORES/tha_Thai.devtest" eval.en="$FLORES/eng_Latn.devtest" "$@")
args=(); for s in "${sets[@]}"; do args+=(--set "$s"); done
"${SEAPT[@]}" pretrain --config configs/pretrain/smollm2-135m-th-cpu.yaml "${args[@]}" > "$OUT/t_pretrain.log" 2>&1 \
  || { tail -30 "$OUT/t_pretrain.log"; exit 1; }
echo "pretrain_seconds=$((SECONDS - t0))" | tee -a "$OUT/summary.txt"
cp "$W/train/metrics.jsonl" "$OUT/t_metrics.jsonl"
cp "$W/train/run.yaml" "$OUT/t_run.yaml"
python3 - "$W/train/metrics.jsonl" <<'PY' | tee -a "$OUT/summary.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
evals = [r for r in rows if any(k.startswith("eval_bpb_") for k in r)]
first, last = evals[0], evals[-1]
for k in sorted(k for k in first if k.startswith("eval_bpb_")):
    print(f"{k}: step {first['step']} {first[k]:.4f} -> step {last['step']} {last[k]:.4f} "
          f"({100 * (last[k] / first[k] - 1):+.1f}%)")
print("tokens_seen", rows[-1].get("tokens_seen"), "steps", rows[-1].get("step"))
PY
