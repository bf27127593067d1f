#!/usr/bin/env bash
# Analysis-engine benchmarks (BENCHMARKS.md, "Analysis engine"): whole-dataset
# runs of grammascope-cli run on the demo model and on a BERT-base-shaped
# random checkpoint, the results store's write throughput, and the peak
# memory of a 10,000-pair run (it must stream: no more than a batch in memory).
#
#   cmake -S . -B build -G Ninja -DGRAMMASCOPE_BUILD_BENCH=ON
#   cmake --build build --target grammascope-cli bench_engine
#   scripts/bench-engine.sh [BUILD_DIR]        (default: build)
#
# Every case starts from an empty store. Output: one line per case, and the
# raw JSON summaries, /usr/bin/time outputs and logs in $OUT.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"
CLI="$BUILD/bin/grammascope-cli"
BENCH="$BUILD/bin/bench_engine"
OUT="${OUT:-/tmp/grammascope-bench-engine}"
BERT="${GRAMMASCOPE_BENCH_DIR:-/tmp/grammascope-bench-bert-base}"
DEMO="$ROOT/resources/demo"
export GRAMMASCOPE_SPM_MODULE="${GRAMMASCOPE_SPM_MODULE:-$BUILD/lib/libgrammascope_spm.so}"
HIDDEN=hidden-norm,cosine-to-last,change-from-previous
ONLY="${ONLY:-}"        # run only the cases whose name contains this
THREADS="${THREADS:-}"  # --threads for every run (default: the CLI's, all cores)

mkdir -p "$OUT"
[ -x "$CLI" ] && [ -x "$BENCH" ] || { echo "build grammascope-cli and bench_engine first (GRAMMASCOPE_BUILD_BENCH=ON)" >&2; exit 1; }
[ -f "$BERT/model.safetensors" ] || "$BENCH" make-bert-base "$BERT" >/dev/null

# Datasets: the demo pairs, a head of them, and 10,000 generated pairs.
head -n 301 "$DEMO/pairs.csv" > "$OUT/pairs-300.csv"
head -n 101 "$DEMO/pairs.csv" > "$OUT/pairs-100.csv"
if [ ! -f "$OUT/pairs-10k.csv" ]; then
  "$CLI" make-pairs --lexicon "$DEMO/lexicon.json" --count 1112 --seed 11 --out "$OUT/pairs-10k-all.csv" >/dev/null
  head -n 10001 "$OUT/pairs-10k-all.csv" > "$OUT/pairs-10k.csv"
  head -n 1001 "$OUT/pairs-10k-all.csv" > "$OUT/pairs-1k.csv"
fi

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at start; $(date -u +%FT%TZ); threads: ${THREADS:-default}"
printf '%-28s %7s %8s %8s %9s %8s %10s %8s\n' case sents tokens seconds tokens/s store_s results/s peak_MB

# case NAME [--keep] -- cli run options...: --keep reuses the previous store (a rerun).
bench_case() {
  local name="$1"; shift
  local keep=0
  if [ "$1" = "--keep" ]; then keep=1; shift; fi
  [ -z "$ONLY" ] || [[ "$name" == *"$ONLY"* ]] || return 0
  local db="$OUT/${DB_NAME:-$name}.sqlite"
  [ "$keep" = 1 ] || rm -f "$db" "$db-wal" "$db-shm"
  /usr/bin/time -f '%M %e' -o "$OUT/$name.time" "$CLI" run "$@" ${THREADS:+--threads "$THREADS"} --db "$db" --json \
    > "$OUT/$name.json" 2> "$OUT/$name.log"
  python3 - "$name" "$OUT/$name.json" "$OUT/$name.time" <<'EOF'
import json, sys
name, summary, timing = sys.argv[1:4]
s = json.load(open(summary))
rss_kb, wall = open(timing).read().split()[-2:]
store = s["store_seconds"]
rate = s["results_written"] / store if store > 0 else 0
print(f'{name:<28} {s["sentences"]:>7} {s["tokens"]:>8} {float(wall):>8.1f} {s["tokens_per_second"]:>9.0f} '
      f'{store:>8.2f} {rate:>10.0f} {int(rss_kb) / 1024:>8.0f}')
EOF
}

# The demo model (resources/demo/model), 2,700 pairs.
bench_case demo-hidden-fp32 --model "$DEMO/model" --pairs "$DEMO/pairs.csv" --analyses $HIDDEN --precision fp32
bench_case demo-hidden-bf16 --model "$DEMO/model" --pairs "$DEMO/pairs.csv" --analyses $HIDDEN --precision bf16
bench_case demo-surprisal-fp32 --model "$DEMO/model" --pairs "$DEMO/pairs.csv" --analyses surprisal --precision fp32
bench_case demo-surprisal-bf16 --model "$DEMO/model" --pairs "$DEMO/pairs.csv" --analyses surprisal --precision bf16
OMP_WAIT_POLICY=PASSIVE bench_case demo-all-fp32-omp-passive --model "$DEMO/model" --pairs "$DEMO/pairs.csv" --analyses all --precision fp32
bench_case demo-all-bf16 --model "$DEMO/model" --pairs "$DEMO/pairs.csv" --analyses all --precision bf16
DB_NAME=demo-all-bf16 bench_case demo-all-bf16-rerun --keep --model "$DEMO/model" --pairs "$DEMO/pairs.csv" --analyses all --precision bf16

# BERT-base shape (12 x 768), fixture WordPiece vocabulary (Cyrillic letters,
# so a Russian word is several pieces): 300 pairs for the hidden-state
# quantities, 100 pairs for surprisal (one forward pass per token).
bench_case bert-hidden-fp32 --model "$BERT" --pairs "$OUT/pairs-300.csv" --analyses $HIDDEN --precision fp32
bench_case bert-hidden-bf16 --model "$BERT" --pairs "$OUT/pairs-300.csv" --analyses $HIDDEN --precision bf16
OMP_WAIT_POLICY=PASSIVE bench_case bert-hidden-fp32-omp-passive --model "$BERT" --pairs "$OUT/pairs-300.csv" --analyses $HIDDEN --precision fp32
bench_case bert-surprisal-bf16 --model "$BERT" --pairs "$OUT/pairs-100.csv" --analyses surprisal --precision bf16

# Streaming: the peak memory of 1,000 and of 10,000 generated pairs, every analysis.
bench_case gen-1k-all-bf16 --model "$DEMO/model" --pairs "$OUT/pairs-1k.csv" --analyses all --precision bf16
bench_case gen-10k-all-bf16 --model "$DEMO/model" --pairs "$OUT/pairs-10k.csv" --analyses all --precision bf16
bench_case gen-10k-hidden-bf16 --model "$DEMO/model" --pairs "$OUT/pairs-10k.csv" --analyses $HIDDEN --precision bf16

# The store alone: 20,000 results of 13 x 24, 128 per transaction, durable.
if [ -z "$ONLY" ] || [[ "cache-write" == *"$ONLY"* ]]; then
  rm -f "$OUT/cache-write.sqlite"*
  echo "cache-write: $("$BENCH" cache-write "$OUT/cache-write.sqlite" 20000)"
fi
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
