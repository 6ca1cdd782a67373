#!/usr/bin/env bash
# Runs one kiosk test script against the real binary in a real window under Xvfb.
#   run_script.sh KIOSK SCRIPT OUTDIR [extra kiosk arguments...]
# Screenshots named in the script are written relative to OUTDIR (the script runs there);
# the speech log goes to OUTDIR/<script>.speech.jsonl. Exit status: the kiosk's.
set -euo pipefail
kiosk=$(readlink -f "$1"); script=$(readlink -f "$2"); out=$3; shift 3
mkdir -p "$out"
cd "$out"
name=$(basename "$script" .script)
rm -f "$name.speech.jsonl"
export SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy}
# 1920x1080 on a 476 x 268 mm screen: a common 21.5" kiosk panel (the demo config's size).
exec xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" run --script "$script" --speech-log "$name.speech.jsonl" "$@"
