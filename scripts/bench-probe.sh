#!/usr/bin/env bash
# Probing benchmarks (BENCHMARKS.md, "Probing"): grammascope-cli probe on the
# demo model and the demo pairs, side by side in one run:
#   1. a first task on an empty store (hidden-state extraction + probes),
#   2. a second task on the same sentences (hidden states from the store),
#   3. the first task again (the stored set, no training),
#   4. the first task with an MLP probe instead of the linear one,
#   5. per-token confidences of every sentence from the stored hidden states
#      (compare with the extraction time of case 1: running the model again).
#
#   cmake --build build --target grammascope-cli
#   scripts/bench-probe.sh [BUILD_DIR]        (default: build)
# THREADS sets --threads (default 1: the numbers do not depend on what else runs).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
CLI="$BUILD/bin/grammascope-cli"
OUT="${OUT:-/tmp/grammascope-bench-probe}"
DEMO="$ROOT/resources/demo"
THREADS="${THREADS:-1}"
export GRAMMASCOPE_SPM_MODULE="${GRAMMASCOPE_SPM_MODULE:-$BUILD/lib/libgrammascope_spm.so}"
[ -x "$CLI" ] || { echo "build grammascope-cli first" >&2; exit 1; }
mkdir -p "$OUT"
DB="$OUT/store.sqlite"
rm -rf "$DB" "$DB-wal" "$DB-shm" "$OUT/hidden-states"

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at start; $(date -u +%FT%TZ); threads: $THREADS"
printf '%-34s %9s %9s\n' case seconds peak_MB

bench_case() {
  local name="$1"; shift
  /usr/bin/time -f '%e %M' -o "$OUT/$name.time" "$CLI" probe --model "$DEMO/model" --db "$DB" --threads "$THREADS" \
    "$@" > "$OUT/$name.txt" 2> "$OUT/$name.log"
  read -r secs kb < "$OUT/$name.time"
  printf '%-34s %9s %9d\n' "$name" "$secs" "$((kb / 1024))"
}

bench_case 1-changed-empty-store --pairs "$DEMO/pairs.csv" --task changed --out "$OUT/changed.json"
bench_case 2-polypersonal-stored-states --pairs "$DEMO/pairs.csv" --task polypersonal --out "$OUT/poly.json"
bench_case 3-changed-stored-set --pairs "$DEMO/pairs.csv" --task changed
bench_case 4-changed-mlp --pairs "$DEMO/pairs.csv" --task changed --probe mlp --out "$OUT/changed-mlp.json"
bench_case 5-confidences-stored-states --pairs "$DEMO/pairs.csv" --task changed --confidence-out "$OUT/conf-all.json"
grep -h 'extracted in\|from the store\|^training' "$OUT"/*.log "$OUT"/*.txt 2>/dev/null | sort -u | sed 's/^/  /'
