#!/usr/bin/env bash
# Partial redraw (kiosk/ui/redraw.hpp) in a real window: with KIOSK_CHECK_REDRAW=1 the kiosk
# draws every partially redrawn frame whole as well and compares the two pixel by pixel
# (a difference fails the script). Scripts that move the focus, type, change theme and text
# size (new font atlases), close the privacy curtain (another clear colour) and show staff
# icons (their own textures), and a seeded monkey; a frame after every command. Then the check must be able to fail: with
# KIOSK_CHECK_REDRAW=shrink the kiosk draws 8 pixels less around each change.
#   redraw_check.sh KIOSK SOURCE-DIR OUTDIR
set -euo pipefail
kiosk=$(readlink -f "$1"); src=$(readlink -f "$2"); out=$3
mkdir -p "$out"
e2e="$src/tests/e2e"
fail() { echo "redraw_check: $*" >&2; exit 1; }

run() {   # run MODE NAME SCRIPT [kiosk arguments...]: exit status; stderr in $out/NAME.MODE.log
  local mode=$1 name=$2 script=$3; shift 3
  local status=0
  KIOSK_CHECK_REDRAW=$mode "$e2e/run_script.sh" "$kiosk" "$script" "$out" "$@" > "$out/$name.$mode.log" 2>&1 || status=$?
  echo "$status"
}

# A seeded monkey from inside a form: random taps, touches, swipes (scrolling) and keys.
python3 "$src/tools/make-monkey-script.py" --seed 11 --steps 150 \
  --walk "$e2e/input-verhuizing-touch.script" > "$out/redraw-monkey.script" || fail "cannot make the monkey script"

check() {   # check NAME LEAST SCRIPT [kiosk arguments...]: at least LEAST partial redraws
  local name=$1 least=$2 script=$3; shift 3
  local status log="$out/$name.1.log" summary checked
  status=$(run 1 "$name" "$script" "$@")
  [ "$status" -eq 0 ] || { grep "redraw check" "$log" >&2 || tail -5 "$log" >&2; fail "$name: exit $status"; }
  summary=$(grep "redraw check: .* partial redraws" "$log") || fail "$name: no redraw check summary (was KIOSK_CHECK_REDRAW read?)"
  checked=$(sed -E 's/.*redraw check: ([0-9]+) partial.*/\1/' <<< "$summary")
  [ "$checked" -ge "$least" ] || fail "$name: too few frames were redrawn in part ($summary)"
  grep -q ", 0 differed" <<< "$summary" || fail "$name: $summary"
  echo "redraw_check: $name: $summary"
}

# The least: well below what a run gives (a new screen, text size, theme or curtain is drawn
# whole; frames also come from timers, so the count moves a little between runs).
check keyboard-only 30 "$e2e/keyboard-only.script"
check settings 20 "$e2e/redraw/settings.script"
check curtain 30 "$e2e/curtain-and-headphones.script"
check custom-icons 2 "$e2e/custom-icons.script" --forms "$src/tests/data/custom-icons"
check monkey 60 "$out/redraw-monkey.script"

status=$(run shrink keyboard-only "$e2e/keyboard-only.script")
[ "$status" -ne 0 ] || fail "shrink: the check found nothing wrong with a changed area made 8 pixels smaller"
grep -q "pixels of a partial redraw differ from the whole frame" "$out/keyboard-only.shrink.log" ||
  fail "shrink: failed without the redraw check's message"
echo "redraw_check: shrink: $(grep -c "differ from the whole frame" "$out/keyboard-only.shrink.log") frames found different, as they must be"
