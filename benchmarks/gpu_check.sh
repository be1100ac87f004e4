#!/usr/bin/env bash
# GPU checks of `seapt pretrain` (issue 6) on one GPU, for a causal LM folder (e.g. SmolLM2-135M, < 5 min on an H200):
#   benchmarks/gpu_check.sh MODEL_DIR
# (1) bf16 single-GPU `seapt pretrain` for a few steps with bits-per-byte evaluation,
# (2) `accelerate launch` with configs/accelerate/fsdp.yaml on 1 process (FSDP path smoke),
# (3) benchmarks/pretrain_throughput.py --device cuda: tokens/s and MFU, seapt vs a bare Trainer.
# Logs, metrics.jsonl and JSON go to $OUT (if set) or a temp folder; model weights stay outside $OUT.
set -uo pipefail
MODEL=${1:?usage: benchmarks/gpu_check.sh MODEL_DIR}
MODEL=$(cd "$MODEL" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$(mktemp -d)}
WORK=$(mktemp -d)
cd "$ROOT"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
if command -v seapt >/dev/null; then SEAPT=(seapt); else SEAPT=(python cli.py); fi
BLOCK=${BLOCK:-1024}  # tokens per block for (1) and (2); (3) uses 2 x BLOCK
COMMON=(--model "$MODEL" --data th=corpora/th --english corpora/en:0.1 --eval th=seapt/data/heldout/th.txt
        --eval en=seapt/data/heldout/en.txt --block-size "$BLOCK" --batch-size 8 --log-steps 5)
nvidia-smi --query-gpu=name,memory.total --format=csv > "$OUT/0_gpu.txt" 2>&1
status=0

t0=$SECONDS
timeout 150 "${SEAPT[@]}" pretrain "${COMMON[@]}" --output "$WORK/single" --max-steps 20 --save-steps 10 \
  --eval-steps 20 > "$OUT/1_single.log" 2>&1
rc=$?; [ $rc -ne 0 ] && status=1
cp "$WORK/single/metrics.jsonl" "$OUT/1_metrics.jsonl" 2>/dev/null
cp "$WORK/single/run.yaml" "$OUT/1_run.yaml" 2>/dev/null
echo "1 single-gpu bf16 pretrain: rc=$rc seconds=$((SECONDS - t0))" | tee "$OUT/summary.txt"

t0=$SECONDS
timeout 150 accelerate launch --config_file configs/accelerate/fsdp.yaml --num_processes 1 cli.py pretrain \
  "${COMMON[@]}" --output "$WORK/fsdp" --max-steps 6 --save-steps 3 --eval-steps 6 > "$OUT/2_fsdp.log" 2>&1
rc=$?; [ $rc -ne 0 ] && status=1
cp "$WORK/fsdp/metrics.jsonl" "$OUT/2_metrics.jsonl" 2>/dev/null
echo "2 accelerate FSDP 1 process: rc=$rc seconds=$((SECONDS - t0))" | tee -a "$OUT/summary.txt"

t0=$SECONDS
timeout 180 python benchmarks/pretrain_throughput.py --device cuda --model "$MODEL" --steps 30 --warmup 5 \
  --block-size $((2 * BLOCK)) --batch-size 8 --repeats 1 > "$OUT/3_throughput.json" 2> "$OUT/3_throughput.log"
rc=$?; [ $rc -ne 0 ] && status=1
echo "3 throughput/MFU: rc=$rc seconds=$((SECONDS - t0))" | tee -a "$OUT/summary.txt"
cat "$OUT/3_throughput.json"
rm -rf "$WORK"
exit $status
