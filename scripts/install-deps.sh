#!/usr/bin/env bash
# Installs every Debian 12 package Grammascope needs to build, test and run.
# Idempotent: installs only what is missing; quiet when everything is there.
# With arguments, installs those packages instead (same checks), e.g. the
# text packages of the corpus recipe.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libqt6sql6-sqlite
  libqcustomplot-dev libtorch-dev libsentencepiece-dev sentencepiece
  nlohmann-json3-dev libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev
  # Without OpenBLAS, LibTorch falls back to the reference BLAS (60x slower matrix products).
  libopenblas0-pthread
  # Headless GUI runs and screenshots; a font with Cyrillic glyphs for offscreen rendering.
  xvfb xauth fonts-dejavu-core
  # Qt's own strings (standard buttons, file dialogs) in Russian.
  qt6-translations-l10n
)

if [ $# -gt 0 ]; then PACKAGES=("$@"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
