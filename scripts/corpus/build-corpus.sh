#!/usr/bin/env bash
# Builds the Russian training corpus for Grammascope's own small masked LM.
#
# Usage:
#   scripts/corpus/build-corpus.sh [--shared-data DIR] [--no-install] [--dump DIR]
#                                  [--exclude-pairs CSV]... OUT_DIR
#
#   OUT_DIR          receives train.txt, valid.txt (UTF-8, one sentence per line),
#                    debs/ (the downloaded game packages)
#                    and manifest.json (sources with package versions, counts
#                    before/after cleaning, split sizes, sha256 of both files).
#   --shared-data    data directory with ru-text/*.txt, ud/*.conllu and
#                    rublimp-dev/*.csv; default $GRAMMASCOPE_SHARED_DATA, else
#                    <repo>/../shared/data.
#   --no-install     do not install the Debian text packages (use what is there).
#   --dump DIR       also write, per source, the kept sentences and the dropped
#                    ones with the reason, for inspection.
#   --exclude-pairs CSV  keep the sentences of one more minimal-pair file out of
#                    the corpus (RuBLiMP or Grammascope's good,bad schema);
#                    repeatable. RuBLiMP dev pairs are always excluded.
#
# Sources: Debian 12 packages with Russian prose (fortunes, man pages,
# LibreOffice and GIMP help, LibreOffice UI catalogues, Debian and KiCad
# manuals, ...), installed idempotently with apt-get; the Russian catalogues of
# Wesnoth's campaigns and Freeciv (downloaded, read from the .deb, not installed);
# the shared ru-text lines;
# the "# text =" sentences of the shared UD treebanks. Sentences are
# NFC-normalised, cleaned (markup, URLs, paths, code, non-Russian and broken
# fragments dropped), deduplicated on a normalised key, and every sentence of
# the RuBLiMP evaluation pairs is excluded. Train/validation membership is a
# hash of the key (~2% validation), each side is shuffled by a keyed hash:
# the same inputs give byte-identical output, and re-running is safe.
# Lines keep their source's style: ru-text lines are lower-case without final
# punctuation; extracted prose ends in . ! ? (or is a whole clean phrase).
# Runs single-threaded under nice; about half a minute once packages are in.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

SHARED_DATA="${GRAMMASCOPE_SHARED_DATA:-}"
INSTALL=1
DUMP=()
EXCLUDE=()
OUT_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --shared-data) SHARED_DATA="$2"; shift 2 ;;
    --shared-data=*) SHARED_DATA="${1#*=}"; shift ;;
    --no-install) INSTALL=0; shift ;;
    --dump) DUMP=(--dump "$2"); shift 2 ;;
    --dump=*) DUMP=(--dump "${1#*=}"); shift ;;
    --exclude-pairs) EXCLUDE+=(--exclude-pairs "$2"); shift 2 ;;
    --exclude-pairs=*) EXCLUDE+=(--exclude-pairs "${1#*=}"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build-corpus: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$OUT_DIR" ] || { echo "build-corpus: one OUT_DIR only" >&2; exit 2; }
       OUT_DIR="$1"; shift ;;
  esac
done
[ -n "$OUT_DIR" ] || { echo "usage: $0 [--shared-data DIR] [--no-install] [--dump DIR] [--exclude-pairs CSV] OUT_DIR" >&2; exit 2; }
if [ -z "$SHARED_DATA" ]; then SHARED_DATA="$REPO_ROOT/../shared/data"; fi
for d in ru-text ud rublimp-dev; do
  [ -d "$SHARED_DATA/$d" ] || { echo "build-corpus: $SHARED_DATA/$d not found (see --shared-data)" >&2; exit 1; }
done
SHARED_DATA="$(cd "$SHARED_DATA" && pwd)"

# Debian 12 packages holding Russian text: extract_ru.py lists them and the files it reads.
read -r -a TEXT_PACKAGES <<< "$(/usr/bin/python3 "$SCRIPT_DIR/extract_ru.py" --list-packages)"
# gimp-help-ru needs a www-browser; w3m is the smallest one (else apt picks XEmacs).
HELPER_PACKAGES=(w3m)

if [ "$INSTALL" -eq 1 ]; then
  "$REPO_ROOT/scripts/install-deps.sh" "${HELPER_PACKAGES[@]}" "${TEXT_PACKAGES[@]}"
fi

# Game packages with Russian narrative text are downloaded into OUT_DIR/debs and
# read from the .deb files (installing them would pull in the games' engines).
read -r -a UNPACKED_PACKAGES <<< "$(/usr/bin/python3 "$SCRIPT_DIR/extract_ru.py" --list-unpacked)"
mkdir -p "$OUT_DIR/debs"
DEB_DIR="$(cd "$OUT_DIR/debs" && pwd)"
if [ "$INSTALL" -eq 1 ]; then
  fetch=()
  for p in "${UNPACKED_PACKAGES[@]}"; do
    ls "$DEB_DIR/${p}"_*.deb >/dev/null 2>&1 || fetch+=("$p")
  done
  if [ ${#fetch[@]} -gt 0 ]; then
    echo "build-corpus: downloading ${fetch[*]}"
    (cd "$DEB_DIR" && apt-get download -q "${fetch[@]}" 2>&1 | grep -v "unsandboxed as root" || true)
    for p in "${fetch[@]}"; do
      ls "$DEB_DIR/${p}"_*.deb >/dev/null 2>&1 || { echo "build-corpus: could not download $p" >&2; exit 1; }
    done
  fi
fi

exec nice -n 10 env PYTHONHASHSEED=0 LC_ALL=C.UTF-8 OMP_NUM_THREADS=1 \
  /usr/bin/python3 "$SCRIPT_DIR/extract_ru.py" \
  --shared-data "$SHARED_DATA" --debs "$DEB_DIR" --out "$OUT_DIR" "${DUMP[@]}" "${EXCLUDE[@]}"
