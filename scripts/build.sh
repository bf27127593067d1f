#!/usr/bin/env bash
# Configures and builds Grammascope (Release, Ninja, ccache when present) into
# build/ (or $GRAMMASCOPE_BUILD_DIR). Extra arguments are passed to the build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GRAMMASCOPE_BUILD_DIR:-$root/build}"
"$root/scripts/install-deps.sh"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --build "$build" -j "$jobs" "$@"
