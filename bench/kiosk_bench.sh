#!/usr/bin/env bash
# Prints the real kiosk's runtime figures under a private Xvfb (1920x1080) from fixed
# sessions: idle CPU on the welcome screen and on a question screen, PSS after start and
# after 100 scripted sessions, key-to-frame and focus-to-first-audio latency (from the
# kiosk's KIOSK_TRACE file) and instructions per frame (valgrind's callgrind). What each
# figure means and its aim: docs/performance.md. Not a test: it prints and exits 0, unless
# the kiosk is not built.
#   bench/kiosk_bench.sh [BUILD_DIR] [--short] [--keep DIR]
# --short: 3 s idle windows, 8 key presses, 5 sessions, no callgrind (well under 90 s).
# --keep DIR: keep the traces, logs and callgrind files there.
# Needs Xvfb; xdotool for the question screen and the latencies, valgrind for callgrind
# (each part is skipped, with a note, when its tool is missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
[ $# -gt 0 ] && shift
exec /usr/bin/python3 "$here/bench/kiosk_bench.py" "$build" "$here" "$@"
