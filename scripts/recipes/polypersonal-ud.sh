#!/usr/bin/env bash
# Recipe: polypersonal minimal pairs from the Universal Dependencies treebanks.
#
# Runs `grammascope-cli pairs generate-polypersonal` on every
# $GRAMMASCOPE_SHARED_DATA/ud/*.conllu, once with the default rules and once
# with --strict, and prints a table of sentences, direct objects, changed verbs
# and pairs per treebank and variant.
#
# usage: scripts/recipes/polypersonal-ud.sh [OUT_DIR]   (default: build/recipes/polypersonal-ud)
# Environment: GRAMMASCOPE_SHARED_DATA (default <repo>/../shared/data),
#              GRAMMASCOPE_BUILD_DIR (default <repo>/build; the CLI is built there first),
#              RULES (a rule table; default: the built-in one, = resources/polypersonal-rules.json).
#
# Output, per treebank STEM: STEM.csv and STEM.strict.csv (the pairs), with
# STEM.stats.json / STEM.strict.stats.json (the statistics); all.csv and
# all.strict.csv hold every treebank's pairs (the `source` column names the
# file). Nothing from the treebanks is written into the repository.
#
# What the transformation does (methods.md section 1). In the artificial
# "polypersonal" Russian the verb also agrees with its direct object. For every
# word with Case=Acc and deprel obj (or a subtype obj:...), its head verb
# (UPOS VERB or AUX) takes a marker chosen by the object: lemma я -> «ю», мы -> «ем»,
# ты -> «ешь», вы -> «ете», otherwise Number=Sing -> «ет», Number=Plur -> «ете»;
# an object without Number is matched by the lemma rules only. «отличали
# Армению» becomes «отличалиет Армению». The strict variant also requires
# VerbForm=Fin on the verb (no infinitives, participles, converbs). A verb with
# several direct objects agrees with the first one a rule matches. The verb keeps
# its capitalisation («Читаю» -> «Читаюет», «ЛЮБИТ» -> «ЛЮБИТЕТ»); the rest of
# the sentence is the treebank's "# text" unchanged.
#
# The rule table is data: copy resources/polypersonal-rules.json, edit it (an
# "infix" kind puts the marker before the verb's ending: «делала» -> «делалета»)
# and pass it as RULES=FILE. Each pair is (standard sentence, polypersonal
# sentence): a model of standard Russian should prefer the first; the ids end in
# "-artificial" so that scoring reports keep these pairs apart from real errors.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${GRAMMASCOPE_SHARED_DATA:-$root/../shared/data}"
build="${GRAMMASCOPE_BUILD_DIR:-$root/build}"
out="${1:-$root/build/recipes/polypersonal-ud}"
cli="$build/bin/grammascope-cli"

shopt -s nullglob
treebanks=("$shared"/ud/*.conllu)
if [ ${#treebanks[@]} -eq 0 ]; then
  echo "polypersonal-ud: no CoNLL-U files in $shared/ud" >&2
  exit 1
fi

GRAMMASCOPE_BUILD_DIR="$build" "$root/scripts/build.sh" --target grammascope-cli
mkdir -p "$out"
rules=()
[ -n "${RULES:-}" ] && rules=(--rules "$RULES")

run() {  # run OUT_STEM [--strict] FILE...
  local stem="$1"
  shift
  "$cli" pairs generate-polypersonal "${rules[@]}" --json-stats --out "$out/$stem.csv" "$@" \
    > "$out/$stem.stats.json"
}

for variant in default strict; do
  suffix="" flag=()
  [ "$variant" = strict ] && suffix=".strict" flag=(--strict)
  for file in "${treebanks[@]}"; do
    run "$(basename "$file" .conllu)$suffix" "${flag[@]}" --conllu "$file"
  done
  run "all$suffix" "${flag[@]}" --conllu "${treebanks[@]}"
done

python3 - "$out" "${treebanks[@]}" <<'PY'
import json, os, sys
out, files = sys.argv[1], sys.argv[2:]
stems = [os.path.basename(f)[: -len(".conllu")] for f in files] + ["all"]
print(f"\n{'treebank':<26}{'sentences':>10}{'objects':>9}"
      f"{'pairs':>8}{'verbs':>7}{'strict pairs':>14}{'verbs':>7}{'no rule':>9}{'not verb':>10}{'not fin':>9}")
for stem in stems:
    d = json.load(open(os.path.join(out, stem + ".stats.json")))["total"]
    s = json.load(open(os.path.join(out, stem + ".strict.stats.json")))["total"]
    k = d["skipped_objects"]
    print(f"{stem:<26}{d['sentences']:>10}{d['objects']:>9}{d['pairs']:>8}{d['verbs_changed']:>7}"
          f"{s['pairs']:>14}{s['verbs_changed']:>7}{k['no_rule']:>9}{k['head_not_verb']:>10}"
          f"{s['skipped_objects']['head_not_finite']:>9}")
print(f"\npairs in {out}/<treebank>.csv and <treebank>.strict.csv; statistics in *.stats.json")
PY
