#!/usr/bin/env bash
# A whole demo form by keypad only, with real speech into SDL's disk audio driver:
# checks that the speech log holds what a blind citizen must hear, and that real audio
# samples (not silence) reached the audio device.
#   audio_check.sh KIOSK OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kiosk=$(readlink -f "$1"); out=$2
mkdir -p "$out"
audio="$out/audio-check.raw"
rm -f "$audio"
export SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$audio"
"$here/run_script.sh" "$kiosk" "$here/input-verhuizing-keypad.script" "$out" 2>&1 | grep -v CRITICAL || true
status=${PIPESTATUS[0]}
log="$out/input-verhuizing-keypad.speech.jsonl"
fail() { echo "audio_check: $*" >&2; exit 1; }
[ "$status" -eq 0 ] || fail "the keypad script failed (exit $status)"
[ -s "$log" ] || fail "no speech log"
for expected in '"lang":"nl"' 'Kies uw taal' 'Vraag 1 van' 'Wat is uw nieuwe postcode' 'Controleer uw antwoorden' 'Getypt'; do
  grep -q "$expected" "$log" || fail "the speech log lacks: $expected"
done
# Private answers are never read back over loudspeakers.
! grep -q '111222333' "$log" || fail "the BSN was spoken without headphones"
[ -s "$audio" ] || fail "no audio reached the device"
# The loudest sample of the first 4 MB (raw signed 16-bit): speech, not silence.
peak=$(head -c 4000000 "$audio" | od -An -v -t d2 | tr -s ' ' '\n' | awk 'NF { v = $1 < 0 ? -$1 : $1; if (v > m) m = v } END { print m + 0 }')
[ "$peak" -gt 2000 ] || fail "the audio is silent (peak $peak)"
echo "audio_check: $(wc -l < "$log") utterances logged; audio peak $peak of 32767; $(stat -c %s "$audio") bytes"
