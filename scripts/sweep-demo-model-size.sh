#!/usr/bin/env bash
# Compares model sizes for the demo model at an equal wall-clock budget.
#
# Every size trains on the same corpus with the demo model's tokenizer, seed,
# batch size, learning rate and precision, for the same number of minutes:
# a one-minute probe measures the size's steps per second, and the real run
# gets as many steps as fit in the budget, so that its warm-up and linear
# decay complete inside it (a run cut off by a time limit mid-schedule would
# be unfairly compared). Each run is then evaluated the same way:
#   - the trainer's held-out MLM loss and accuracy on the whole validation split,
#   - pair accuracy (PLL and PLL-word-l2r) on the demo pairs' agreement
#     phenomena and on RuBLiMP's subject-predicate agreement (250 pairs each).
# The table goes to WORK/sweep.md and WORK/sweep.json.
#
# usage: scripts/sweep-demo-model-size.sh [--minutes M] [WORK_DIR] [SIZE ...]
#   SIZE is LAYERSxHIDDEN (heads = hidden / 64, feed-forward = 4 x hidden);
#   default sizes: 4x192 4x256 6x256 8x192; default budget 12 minutes each;
#   default WORK_DIR build/size-sweep. A size whose summary exists is skipped,
#   so an interrupted sweep continues where it stopped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes=12
if [ "${1:-}" = "--minutes" ]; then minutes="$2"; shift 2; fi
work="${1:-$root/build/size-sweep}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(4x192 4x256 6x256 8x192)
shared="${GRAMMASCOPE_SHARED_DATA:-$root/../shared/data}"
threads="${THREADS:-$(nproc)}"
cli="$root/build/bin/grammascope-cli"
tokenizer="$root/resources/demo/model"

"$root/scripts/build.sh" --target grammascope-cli
mkdir -p "$work"
if [ ! -f "$work/corpus/manifest.json" ]; then
  GRAMMASCOPE_SHARED_DATA="$shared" "$root/scripts/corpus/build-corpus.sh" "$work/corpus"
fi

# the demo pairs of the agreement phenomena (all 300 of each)
python3 - "$root/resources/demo/pairs.csv" "$work/agreement-pairs.csv" <<'EOF'
import csv, sys
keep = {"subject_verb_number", "subject_verb_person", "subject_verb_gender_past", "adjective_noun_gender"}
with open(sys.argv[1], encoding="utf-8", newline="") as f, open(sys.argv[2], "w", encoding="utf-8", newline="") as g:
    rows = csv.DictReader(f)
    out = csv.DictWriter(g, fieldnames=rows.fieldnames)
    out.writeheader()
    for row in rows:
        if row["phenomenon"] in keep:
            out.writerow(row)
EOF

common=(--corpus "$work/corpus/train.txt" --tokenizer "$tokenizer" --batch-tokens 4096 --lr 1e-3
        --precision bf16 --threads "$threads" --seed 1)

for size in "${sizes[@]}"; do
  layers="${size%x*}"; hidden="${size#*x}"
  heads=$(( hidden / 64 )); [ "$heads" -ge 1 ] || heads=1
  arch=(--hidden "$hidden" --layers "$layers" --heads "$heads" --intermediate $(( 4 * hidden )))
  dir="$work/$size"
  [ -f "$dir/summary.json" ] && { echo "== $size: done, skipped"; continue; }
  mkdir -p "$dir"
  echo "== $size: measuring steps per second"
  rm -rf "$dir/probe"
  "$cli" train-mlm "${common[@]}" "${arch[@]}" --out "$dir/probe" --steps 1000000 --warmup 20 \
    --eval-every 1000000 --save-every 1000000 --time-limit 1 2>&1 | tr '\r' '\n' > "$dir/probe.log" || true
  # steps per second between the first progress line and the last one (startup excluded)
  steps=$(python3 - "$dir/probe.log" "$minutes" <<'EOF'
import re, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"step (\d+)/\d+ .* elapsed (\d+):(\d+):(\d+)", line)
    if m:
        s, h, mi, se = map(int, m.groups())
        rows.append((s, h * 3600 + mi * 60 + se))
if len(rows) < 2 or rows[-1][1] <= rows[0][1]:
    sys.exit("no progress lines in the probe log")
rate = (rows[-1][0] - rows[0][0]) / (rows[-1][1] - rows[0][1])
print(int(rate * float(sys.argv[2]) * 60))
EOF
)
  rm -rf "$dir/probe"
  warmup=$(( steps / 10 ))
  echo "== $size: $steps steps in about $minutes min (warm-up $warmup)"
  "$cli" train-mlm "${common[@]}" "${arch[@]}" --valid "$work/corpus/valid.txt" --out "$dir/model" \
    --steps "$steps" --warmup "$warmup" --eval-every "$steps" --save-every "$steps" \
    --summary "$dir/train-summary.json" 2>&1 | tr '\r' '\n' | grep -v '^step ' || true
  cp "$tokenizer/unigram.json" "$dir/model/unigram.json"
  "$cli" score --model "$dir/model" --pairs "$work/agreement-pairs.csv" --threads "$threads" --json \
    > "$dir/score-demo.json"
  if ls "$shared"/rublimp-dev/noun_subj_predicate_agreement_*.csv >/dev/null 2>&1; then
    "$cli" score --model "$dir/model" --pairs "$shared"/rublimp-dev/noun_subj_predicate_agreement_*.csv \
      --limit 250 --threads "$threads" --json > "$dir/score-rublimp.json"
  fi
  cp "$dir/train-summary.json" "$dir/summary.json"
done

python3 - "$work" "$minutes" "${sizes[@]}" <<'EOF'
import json, os, sys
work, minutes, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]

def accuracies(path):
    # per phenomenon: accuracy of each metric, and PLL's accuracy on the pairs
    # where the unigram baseline does not prefer the good sentence ("misleads")
    if not os.path.exists(path):
        return {}
    doc = json.load(open(path, encoding="utf-8"))
    out = {}
    for ph in doc.get("phenomena", []):
        out[ph["phenomenon"]] = {k: ph[k]["accuracy"] for k in ("pll", "pll_word_l2r", "unigram") if k in ph}
        misleads = ph.get("pll", {}).get("frequency_misleads", {}).get("accuracy")
        if misleads is not None:
            out[ph["phenomenon"]]["misleads"] = misleads
    return out

rows = []
for size in sizes:
    s = json.load(open(os.path.join(work, size, "summary.json")))
    row = {"size": size, "parameters": s["parameters"], "steps": s["steps"], "train_tokens": s["train_tokens"],
           "wall_seconds": s["wall_seconds"], "valid_loss": s["valid_loss"], "valid_accuracy": s["valid_accuracy"]}
    row["demo"] = accuracies(os.path.join(work, size, "score-demo.json"))
    row["rublimp"] = accuracies(os.path.join(work, size, "score-rublimp.json"))
    rows.append(row)
json.dump(rows, open(os.path.join(work, "sweep.json"), "w"), indent=1)

demo_cols = ["subject_verb_number", "subject_verb_person", "subject_verb_gender_past", "adjective_noun_gender"]
rub_cols = ["noun_subj_predicate_agreement_gender", "noun_subj_predicate_agreement_number",
            "noun_subj_predicate_agreement_person"]
def cell(d, k):
    v = d.get(k)
    if v is None:
        return ""
    text = "%.1f / %.1f" % (100 * v.get("pll", 0), 100 * v.get("pll_word_l2r", 0))
    return text + (" · %.1f" % (100 * v["misleads"]) if "misleads" in v else "")
lines = ["Equal budget: %s min of training per size. Cells: PLL / PLL-word-l2r accuracy, %%, "
         "· PLL accuracy on the pairs where word frequency misleads (a frequency-only model gets 0 there)." % minutes,
         "",
         "| size | parameters | steps | tokens | wall | held-out loss | accuracy | " +
         " | ".join(demo_cols + rub_cols) + " |",
         "|" + "---|" * (7 + len(demo_cols) + len(rub_cols))]
for r in rows:
    lines.append("| %s | %s | %d | %.1f M | %.0f s | %.3f | %.1f%% | %s | %s |" % (
        r["size"], format(r["parameters"], ","), r["steps"], r["train_tokens"] / 1e6, r["wall_seconds"],
        r["valid_loss"], 100 * r["valid_accuracy"],
        " | ".join(cell(r["demo"], c) for c in demo_cols), " | ".join(cell(r["rublimp"], c) for c in rub_cols)))
open(os.path.join(work, "sweep.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
