#!/usr/bin/env bash
# Prints the kiosk's start-up time to its first frame, its idle CPU over 10 s on the welcome
# screen and its memory (PSS), measured under a private Xvfb by the workplace's shared
# measuring script (../shared/peer/measure.sh; the window title gets "kiosk" only after the
# first frame is on screen).
#   bench/kiosk_startup.sh [BUILD_DIR] [--short]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
runs=6
[ "${2:-}" = "--short" ] && runs=2
measure=""
for candidate in "$here/../shared/peer/measure.sh" "${KIOSK_MEASURE_SH:-}"; do
  [ -n "$candidate" ] && [ -f "$candidate" ] && measure=$candidate && break
done
if [ -z "$measure" ]; then
  echo "kiosk_startup: ../shared/peer/measure.sh not found; skipped"
  exit 0
fi
export SDL_AUDIODRIVER=dummy
bash "$measure" --runs "$runs" --screen 1920x1080x24 \
  --cmd "$build/kiosk/kiosk run" --ready-title kiosk --label kiosk
