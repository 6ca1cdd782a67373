#!/usr/bin/env bash
# The fuzzing pass (issue 7): builds the libFuzzer targets of fuzz/ with clang-16 (ASan +
# UBSan + coverage) and runs each for a fixed time on a fresh copy of its seeds and saved
# regressions. Any crash, sanitizer report, leak, timeout or out-of-memory fails the pass;
# the input that did it is kept in BUILD_DIR/artifacts/<target>/ (docs/fuzzing.md says how
# to turn it into a regression test).
#   tests/ci/fuzz.sh [BUILD_DIR] [SECONDS_PER_TARGET] [TARGET...]
#                    (defaults: build-fuzz, 30, every target)
# FUZZ_WORKERS=N runs N processes per target (default 1); the CPU time printed is the sum.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${1:-$src/build-fuzz}")
seconds=${2:-30}
shift $(( $# > 2 ? 2 : $# )) || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(form_loader show_if config backend_answer)
workers=${FUZZ_WORKERS:-1}
start=$(date +%s)

cmake -S "$src/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-16 \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$(nproc)"
built=$(date +%s)

# Seeds: the target's corpus in fuzz/corpus/, its saved regressions, and for the form loader
# the test and demo form folders themselves.
seed_dirs() {
  local t=$1
  echo "$src/fuzz/corpus/$t"
  echo "$src/tests/data/fuzz-regressions/$t"
  if [ "$t" = form_loader ]; then
    echo "$src/tests/data/good"
    echo "$src/tests/data/refusals"
    echo "$src/assets/forms"
  fi
}
declare -A max_len=([form_loader]=16384 [show_if]=1024 [config]=4096 [backend_answer]=6000)
declare -A dict=([form_loader]=yaml.dict [show_if]=show_if.dict [config]=yaml.dict [backend_answer]=http.dict)

# LeakSanitizer runs at every input's end (libFuzzer's -detect_leaks); UBSan aborts so that
# libFuzzer keeps the input.
export ASAN_OPTIONS="abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1"

status=0
summary=()
for t in "${targets[@]}"; do
  bin="$build/fuzz_$t"
  [ -x "$bin" ] || { echo "fuzz: no target $t" >&2; exit 2; }
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  rm -rf "$corpus" && mkdir -p "$corpus" "$artifacts"
  while read -r d; do
    if [ -d "$d" ]; then find "$d" -maxdepth 1 -type f -exec cp -t "$corpus" {} +; fi
  done < <(seed_dirs "$t")
  log="$build/fuzz_$t.log"
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10
        -max_len="${max_len[$t]}" -dict="$src/fuzz/dict/${dict[$t]}" -print_final_stats=1
        -artifact_prefix="$artifacts/")
  [ "$workers" -gt 1 ] && args+=(-fork="$workers" -ignore_crashes=0)
  echo "== fuzz_$t: ${seconds} s, $(find "$corpus" -type f | wc -l) seeds, log $log"
  TIMEFORMAT='%3U %3S'
  rc=0
  { time (cd "$build" && "$bin" "${args[@]}" "$corpus" >"$log" 2>&1); } 2>"$build/fuzz_$t.time" || rc=$?
  read -r user sys < "$build/fuzz_$t.time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{ n += $2 } END { print n + 0 }')
  last=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  line="fuzz_$t: execs ${execs}, cpu ${cpu} s, cov ${cov:-?}, ft ${ft:-?}, corpus $(find "$corpus" -type f | wc -l)"
  if [ "$rc" -ne 0 ]; then
    status=1
    line+=" -- FAILED (exit $rc); input in $artifacts/"
    grep -E 'ERROR: |fuzz invariant broken|SUMMARY|Test unit written' "$log" | head -8 >&2 || true
  fi
  echo "$line"
  summary+=("$line")
done
end=$(date +%s)
echo "== fuzz summary (build $((built - start)) s, fuzzing $((end - built)) s)"
printf '%s\n' "${summary[@]}"
exit "$status"
