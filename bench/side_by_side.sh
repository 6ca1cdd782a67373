#!/usr/bin/env bash
# Side by side (issue 8): the floor (bench/floor_kiosk.cpp, bare SDL2 + Dear ImGui + OpenGL3),
# the kiosk (`kiosk run`, the demo forms) and Chromium in kiosk mode showing bench/peer/form.html
# (the same welcome + one-question-per-page flow as a web page), measured in one run of the
# workplace's shared measuring script (../shared/peer/measure.sh, or $KIOSK_MEASURE_SH), run by
# run interleaved so machine noise hits all three alike, on the same 1920x1080 Xvfb screen.
# Prints the medians as a table and the ratios the issue aims at:
#   kiosk start-up within 10 % of the floor, kiosk PSS within 20 MiB of the floor,
#   Chromium >= 3x slower to a ready window than the kiosk, >= 4x more memory (PSS).
# Figures, not a test: it fails only when the measuring itself fails.
#   bench/side_by_side.sh [BUILD_DIR] [--short]      (--short: 2 runs per target, 1 warm-up; default 6)
# Without Chromium (Debian package chromium; $KIOSK_CHROMIUM names another launcher) it
# measures the floor and the kiosk only.
set -uo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")/.." && pwd)
build=$here/build runs=6
for arg in "$@"; do
  case $arg in
    --short) runs=2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "side_by_side: unknown option $arg" >&2; exit 2 ;;
    *) build=$arg ;;
  esac
done

measure=""
for candidate in "${KIOSK_MEASURE_SH:-}" "$here/../shared/peer/measure.sh"; do
  [ -n "$candidate" ] && [ -f "$candidate" ] && measure=$candidate && break
done
if [ -z "$measure" ]; then
  echo "side_by_side: measure.sh not found (../shared/peer/measure.sh or \$KIOSK_MEASURE_SH); skipped"
  exit 0
fi

build=$(cd "$build" 2>/dev/null && pwd) || { echo "side_by_side: no build directory $build" >&2; exit 2; }
targets=() labels=()
if [ -x "$build/bench/floor_kiosk" ]; then
  targets+=(--cmd "$(printf %q "$build/bench/floor_kiosk")" --ready-title "floor kiosk" --label floor); labels+=(floor)
else
  echo "side_by_side: $build/bench/floor_kiosk not built (target floor_kiosk); measuring without the floor"
fi
[ -x "$build/kiosk/kiosk" ] || { echo "side_by_side: $build/kiosk/kiosk not built" >&2; exit 2; }
targets+=(--cmd "$(printf %q "$build/kiosk/kiosk") run" --ready-title kiosk --label kiosk); labels+=(kiosk)
chromium=${KIOSK_CHROMIUM:-chromium}   # another launcher, or a missing one to leave Chromium out
if command -v "$chromium" >/dev/null 2>&1; then
  export PEER_FORM=$here/bench/peer/form.html
  targets+=(--chromium --chromium-bin "$chromium"); labels+=(chromium)
else
  echo "side_by_side: chromium not installed (Debian package chromium, deploy/install-deps.sh); measuring floor and kiosk only"
fi

log=$(mktemp /tmp/side_by_side.XXXXXX)
trap 'rm -f "$log"' EXIT
export SDL_AUDIODRIVER=dummy
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bash "$measure" --runs "$runs" --warmup 1 --screen 1920x1080x24 "${targets[@]}" 2>&1 | tee "$log" |
  sed -u '/^== Machine-readable ==/,$d'   # parsed below
status=${PIPESTATUS[0]}
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$status" -ne 0 ]; then
  echo "side_by_side: measure.sh failed (exit $status)" >&2
  exit "$status"
fi

# The machine-readable part of measure.sh's output: "<label>.<metric>.median <value>".
awk -v labels="${labels[*]}" -v load_before="$load_before" -v load_after="$load_after" '
  /^== Machine-readable ==/ { on = 1; next }
  on && NF == 2 { v[$1] = $2 }
  function val(l, m) { k = l "." m ".median"; return (k in v && v[k] != "NA") ? v[k] : "NA" }
  function num(x) { return x > 0 }   # NA (no counted run) becomes 0
  function ratio(a, b) { return (num(a) && num(b) && b > 0) ? sprintf("%.2fx", a / b) : "n/a" }
  function verdict(ok) { return ok ? "met" : "NOT met" }
  END {
    n = split(labels, L, " ")
    print ""
    print "== Side by side: medians over counted runs (1920x1080, warm-up excluded) =="
    printf "%-10s %10s %9s %9s %6s %11s %14s\n", "target", "ready ms", "PSS MiB", "RSS MiB", "procs", "idle CPU %", "settled CPU %"
    for (i = 1; i <= n; i++) {
      l = L[i]
      printf "%-10s %10s %9s %9s %6s %11s %14s\n", l, val(l, "ready_ms"), val(l, "pss_mb"), val(l, "rss_mb"),
             val(l, "procs"), val(l, "cpu_idle_pct"), val(l, "cpu_settled_pct")
    }
    print ""
    print "== Ratios and aims (issue 8) =="
    fr = val("floor", "ready_ms") + 0; kr = val("kiosk", "ready_ms") + 0; cr = val("chromium", "ready_ms") + 0
    fp = val("floor", "pss_mb") + 0;   kp = val("kiosk", "pss_mb") + 0;   cp = val("chromium", "pss_mb") + 0
    if (num(fr) && num(kr)) printf "kiosk / floor start-up      %7s   aim <= 1.10x : %s\n", ratio(kr, fr), verdict(kr <= 1.10 * fr)
    if (num(fp) && num(kp)) printf "kiosk - floor PSS       %+8.1f MiB aim <= 20 MiB : %s\n", kp - fp, verdict(kp - fp <= 20)
    if (num(cr) && num(kr)) printf "chromium / kiosk start-up   %7s   aim >= 3x    : %s\n", ratio(cr, kr), verdict(cr >= 3 * kr)
    if (num(cp) && num(kp)) printf "chromium / kiosk PSS        %7s   aim >= 4x    : %s\n", ratio(cp, kp), verdict(cp >= 4 * kp)
    printf "processes:"
    for (i = 1; i <= n; i++) printf "%s %s %s", (i > 1 ? "," : ""), L[i], val(L[i], "procs")
    print ""
    printf "idle CPU %% (10 s from ready): "
    for (i = 1; i <= n; i++) printf "%s%s %s", (i > 1 ? ", " : ""), L[i], val(L[i], "cpu_idle_pct")
    print ""
    printf "load average: %s before, %s after\n", load_before, load_after
  }' "$log"
