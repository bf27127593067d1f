#!/usr/bin/env bash
# Builds Grammascope and opens it. Without a display, starts it under Xvfb.
# Arguments are passed to the app (e.g. a model folder).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GRAMMASCOPE_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" --target grammascope grammascope-cli
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "demo: no display found; running under xvfb-run (screenshots only)." >&2
  exec xvfb-run -a "$build/bin/grammascope" "$@"
fi
exec "$build/bin/grammascope" "$@"
