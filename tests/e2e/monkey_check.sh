#!/usr/bin/env bash
# The monkey test: a seeded script of random touches, swipes, taps on controls and key
# presses (tools/make-monkey-script.py) on the real kiosk under Xvfb. It passes when the kiosk
# never crashes or hangs, the welcome screen comes back after every recovery (every 200
# steps, at most 12 steps each), resident memory grows by less than 2 MiB after the first
# 1000 steps, and the run saw enough different screens to mean something.
#   monkey_check.sh KIOSK SOURCE_DIR OUTDIR [SEED] [STEPS] [--no-memory]
# --no-memory: no resident-memory bound (sanitizer builds, whose quarantine and shadow memory
# make RSS meaningless; LeakSanitizer checks the exit instead).
# To replay a failure: the script is kept as OUTDIR/monkey-SEED.script, the log next to it.
set -euo pipefail
kiosk=$(readlink -f "$1"); src=$(readlink -f "$2"); out=$3
seed=${4:-1}; steps=${5:-10000}
memory=()
# A mark after the last step: the script then has neither `memory mark` nor the growth check.
[ "${6:-}" = --no-memory ] && memory=(--mark-after "$steps")
mkdir -p "$out"; out=$(readlink -f "$out")
fail() { echo "monkey_check: $*" >&2; exit 1; }

# Its own outbox and config in a temporary folder: submissions the monkey makes are stored
# there and are never delivered (no CA or client certificate for the demo backend), and the
# staff PIN is 12 digits,
# which a monkey does not guess (and five wrong PINs lock the PIN screen).
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-monkey.XXXXXX")
trap 'rm -rf "$work"' EXIT
pin_hash=$(printf '%s\n' 740215983361 | "$kiosk" hash-pin)
cat > "$work/kiosk.yaml" <<CONFIG
kiosk_id: monkey
forms: $src/assets/forms
languages: [nl, en]
submit:
  default_endpoint: https://localhost:8443/api/submissions
  allowed_hosts: [localhost]
outbox:
  dir: $work/outbox
  mode: plain
  key_file: $work/outbox.key
idle:
  warn_after_s: 120
  countdown_s: 45
staff:
  pin_hash: "$pin_hash"
display:
  width_mm: 476
  height_mm: 268
CONFIG

script="$out/monkey-$seed.script"
log="$out/monkey-$seed.log"
python3 "$src/tools/make-monkey-script.py" --seed "$seed" --steps "$steps" "${memory[@]}" --warn-after 120 --countdown 45 \
  --walk "$src/tests/e2e/input-verhuizing-touch.script" --walk "$src/tests/e2e/input-kwijtschelding-touch.script" \
  --walk "$src/tests/e2e/input-bijzondere-bijstand-touch.script" > "$script"

# Never hangs: the whole run is bounded (below the ctest TIMEOUT, so the message is ours).
# The screen is 960 x 540 pixels on the same 476 x 268 mm: the layout is in millimetres, so
# the monkey meets the same screens, and software OpenGL draws a quarter of the pixels of the
# other e2e tests' 1920 x 1080 (there a frame costs about 20 ms of CPU, here about 5 ms).
limit=${MONKEY_TIME_LIMIT:-300}
status=0
SDL_AUDIODRIVER=dummy timeout --kill-after=10 "$limit" \
  xvfb-run -a -s "-screen 0 960x540x24" "$kiosk" run --config "$work/kiosk.yaml" --script "$script" \
  > "$log" 2>&1 || status=$?

summary=$(grep '^kiosk: script: ' "$log" | tail -n 1 || true)
grep '^kiosk: memory' "$log" >&2 || true
[ -n "$summary" ] && echo "$summary" >&2
case $status in
  0) ;;
  124|137) tail -n 20 "$log" >&2; fail "seed $seed: the kiosk did not finish within $limit s (a hang?); script $script" ;;
  1) grep 'expect failed\|script line' "$log" | head -n 20 >&2; fail "seed $seed: expectations failed (log: $log, script: $script)" ;;
  *) tail -n 40 "$log" >&2; fail "seed $seed: the kiosk ended with status $status (a crash?); log: $log, script: $script" ;;
esac
[ -n "$summary" ] || fail "seed $seed: no script summary in $log"
grep -q 'staff left the kiosk' "$log" && fail "seed $seed: the monkey left the kiosk"

# Coverage: the run must have gone through the whole flow, not stayed on the welcome screen.
visited=${summary#*):}
for screen in welcome language forms intro review idle-warning staff; do
  case " $visited " in *" $screen "*) ;; *) fail "seed $seed: never reached screen $screen (visited:$visited)" ;; esac
done
pages=$(printf '%s\n' $visited | grep -c '^page:' || true)
[ "$pages" -ge 8 ] || fail "seed $seed: only $pages form pages visited (visited:$visited)"
echo "monkey_check: seed $seed, $steps random steps: no crash, no hang, welcome after every recovery; $pages pages visited"
