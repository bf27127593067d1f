#!/usr/bin/env bash
# SAE benchmarks (BENCHMARKS.md, "Sparse autoencoders"), side by side in one run
# on the demo model and the demo pairs:
#   1. grammascope-cli sae train, one layer, on an empty store (hidden-state
#      extraction + training + evaluation + splice),
#   2. bench_sae on the table that run left: the same training with the rows
#      gathered into memory first vs streamed from the mapped file,
#   3. grammascope-cli sae features: the dataset feature index (two scans of
#      every token), then the same command again (the index from the store).
#
#   cmake -DGRAMMASCOPE_BUILD_BENCH=ON build && cmake --build build --target grammascope-cli bench_sae
#   scripts/bench-sae.sh [BUILD_DIR]          (default: build)
# THREADS sets --threads (default 1).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
CLI="$BUILD/bin/grammascope-cli"
BENCH="$BUILD/bin/bench_sae"
OUT="${OUT:-/tmp/grammascope-bench-sae}"
DEMO="$ROOT/resources/demo"
THREADS="${THREADS:-1}"
export GRAMMASCOPE_SPM_MODULE="${GRAMMASCOPE_SPM_MODULE:-$BUILD/lib/libgrammascope_spm.so}"
[ -x "$CLI" ] && [ -x "$BENCH" ] || { echo "build grammascope-cli and bench_sae first" >&2; exit 1; }
mkdir -p "$OUT"
DB="$OUT/store.sqlite"
rm -rf "$DB" "$DB-wal" "$DB-shm" "$OUT/hidden-states" "$OUT/sae-states"

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at start; $(date -u +%FT%TZ); threads: $THREADS"
COMMON=(--model "$DEMO/model" --pairs "$DEMO/pairs.csv" --db "$DB" --threads "$THREADS")

timed() {  # label, command...
    local label="$1"; shift
    local t0 t1
    t0=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$OUT/time.txt" "$@" > "$OUT/last.txt" 2>&1 || { cat "$OUT/last.txt"; exit 1; }
    t1=$(date +%s.%N)
    printf '%-44s %8.1f s %8.0f MB peak\n' "$label" "$(echo "$t1 - $t0" | bc)" "$(echo "$(cat "$OUT/time.txt") / 1024" | bc)"
}

timed "sae train layer 2 (2048 x k32, 2 epochs)" "$CLI" sae train "${COMMON[@]}" --layers 2 --dict 2048 --k 32 --epochs 2
grep -E "^2 " "$OUT/last.txt" | sed 's/^/    /'
TABLE=$(ls "$OUT"/hidden-states/*.safetensors | head -1)
echo "hidden-state table: $(du -h "$TABLE" | cut -f1)"
for mode in matrix stream; do
    "$BENCH" "$TABLE" 2 "$mode" 2048 32 2
done
timed "sae features layer 2 (scan, stored)" "$CLI" sae features "${COMMON[@]}" --latest --layer 2 --top 3
timed "sae features layer 2 again (from store)" "$CLI" sae features "${COMMON[@]}" --latest --layer 2 --top 3
