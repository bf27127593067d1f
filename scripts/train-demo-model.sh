#!/usr/bin/env bash
# Rebuilds Grammascope's demo model (resources/demo/model) from scratch:
#   1. the training corpus (scripts/corpus/build-corpus.sh),
#   2. masked-LM pretraining with grammascope-cli train-mlm (resumable: run the
#      script again after an interruption and it continues from the last
#      checkpoint in WORK/model/training),
#   3. the unigram frequency baseline on the training corpus,
#   4. held-out MLM loss / accuracy / pseudo-perplexity and minimal-pair
#      accuracy on the demo pairs and on RuBLiMP (when the shared data holds it),
#   5. a copy of the checkpoint (without training state) into resources/demo/model.
#
# usage: scripts/train-demo-model.sh [WORK_DIR]      (default: build/demo-model)
# Environment: GRAMMASCOPE_SHARED_DATA (default <repo>/../shared/data),
#              THREADS (default: all cores), INSTALL=0 to leave the model in WORK_DIR.
# Wall time on 2 idle cores: about 90 minutes of training plus ten minutes of evaluation.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/build/demo-model}"
shared="${GRAMMASCOPE_SHARED_DATA:-$root/../shared/data}"
threads="${THREADS:-$(nproc)}"
cli="$root/build/bin/grammascope-cli"

"$root/scripts/build.sh" --target grammascope-cli
mkdir -p "$work"

if [ ! -f "$work/corpus/manifest.json" ]; then
  GRAMMASCOPE_SHARED_DATA="$shared" "$root/scripts/corpus/build-corpus.sh" "$work/corpus"
fi
sha256sum "$work/corpus/train.txt" "$work/corpus/valid.txt"

# One run: 4 layers of hidden 192, 17,364 steps with warm-up over the first
# 1,736 and linear decay to 0, the size and step count that fit about 90
# minutes on 2 idle cores (scripts/sweep-demo-model-size.sh --minutes 90
# measured them). Run the script again after an interruption and training
# continues from the last checkpoint on the same batches and masks.
resume=()
[ -f "$work/model/training/state.json" ] && resume=(--resume)
"$cli" train-mlm --corpus "$work/corpus/train.txt" --valid "$work/corpus/valid.txt" --out "$work/model" \
  --vocab 8000 --hidden 192 --layers 4 --heads 3 --intermediate 768 --max-length 128 \
  --steps 17364 --batch-tokens 4096 --lr 1e-3 --warmup 1736 --precision bf16 --threads "$threads" --seed 1 \
  --eval-every 1000 --save-every 500 --summary "$work/train-summary.json" "${resume[@]}"

"$cli" unigram --model "$work/model" --corpus "$work/corpus/train.txt" --out "$work/model/unigram.json"
"$cli" eval-mlm --model "$work/model" --sentences "$work/corpus/valid.txt" --seed 1 --pppl 1000 \
  --threads "$threads" | tee "$work/eval.json"
"$cli" score --model "$work/model" --pairs "$root/resources/demo/pairs.csv" --threads "$threads" \
  --out "$work/score-demo.txt"
cat "$work/score-demo.txt"
if ls "$shared"/rublimp-dev/*.csv >/dev/null 2>&1; then
  "$cli" score --model "$work/model" --pairs "$shared"/rublimp-dev/*.csv --limit 250 --threads "$threads" \
    --out "$work/score-rublimp.txt"
  cat "$work/score-rublimp.txt"
fi

if [ "${INSTALL:-1}" = 1 ]; then
  dest="$root/resources/demo/model"
  mkdir -p "$dest"
  for f in config.json model.safetensors spm.model tokenizer_config.json unigram.json; do
    cp "$work/model/$f" "$dest/$f"
  done
  echo "installed the demo model in $dest"
fi
