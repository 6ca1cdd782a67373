#!/usr/bin/env bash
# The kiosk as the service runs it: deploy/systemd/kiosk-session starts the cage Wayland
# compositor (here with wlroots' headless backend, no GPU or screen needed) with the kiosk
# inside on SDL's Wayland driver, as an unprivileged user, with the service's umask 0077.
#   cage_check.sh KIOSK KIOSK-SESSION OUTDIR [SPOKEN-TEXT]
# Checks: a scripted session reaches the language screen (screenshots), the metrics file is
# written readable for node_exporter (0644) into a folder like the textfile folder, and
# kiosk-session passes the kiosk's exit status on: 0, 1 for a failed expect, 2 for a bad
# config (cage itself always exits 0). With SPOKEN-TEXT, the welcome screen must say it
# (tests/ci/deploy.sh uses that to prove the installed kiosk reads the installed assets).
# Needs root (to drop to the user nobody: cage refuses to run as root), cage and Xwayland;
# exits 77 (skipped) without them.
set -euo pipefail
kiosk=$(readlink -f "$1"); session=$(readlink -f "$2"); out=$3; spoken=${4:-}
here=$(dirname "$(readlink -f "$0")")

skip() { echo "cage_check: SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to run cage as an unprivileged user"
command -v cage >/dev/null || skip "cage is not installed (deploy/install-deps.sh)"
[ -x /usr/bin/Xwayland ] || skip "Xwayland is not installed (Debian's cage needs it)"
command -v setpriv >/dev/null || skip "setpriv is missing"

rm -rf "$out"
mkdir -p "$out/runtime" "$out/textfile" "$out/outbox-parent"
out=$(readlink -f "$out")
chmod 0700 "$out/runtime"
chown -R 65534:65534 "$out"
chmod 0755 "$out"
cd "$out"

forms=$(dirname "$kiosk")/../share/toegang/assets/forms
[ -d "$forms" ] || forms=$(dirname "$session")/../../assets/forms   # source tree
forms=$(readlink -f "$forms")

cat > kiosk.yaml <<CONFIG
kiosk_id: cage-check
forms: $forms
languages: [nl, en]
submit:
  default_endpoint: https://localhost:9/api/submissions
  allowed_hosts: [localhost]
outbox:
  dir: $out/outbox-parent/outbox
  mode: plain
  key_file: $out/outbox-parent/outbox.key
  metrics_file: $out/textfile/toegang.prom
CONFIG
sed 's/^kiosk_id:.*/kiosk_id: cage-check\nno_such_key: 1/' kiosk.yaml > bad.yaml

{
  echo "expect screen welcome"
  [ -n "$spoken" ] && { echo "wait 300"; echo "expect spoken $spoken"; }
  echo "screenshot cage-welcome.png"
  echo "tap start"
  echo "expect screen language"
  echo "wait 1500"
  echo "screenshot cage-language.png"
} > good.script
echo "expect screen language" > failing.script
chmod 0644 kiosk.yaml bad.yaml good.script failing.script

# The sanitizer pass (tests/ci/sanitize.sh) sets these; env -i would drop them. They hold no
# secrets. LeakSanitizer's suppressions are copied here (the user nobody may not be able to
# read the checkout) with one entry for SDL's Wayland driver added (tests/sanitizers/).
sanitizer_env=()
for name in ASAN_OPTIONS UBSAN_OPTIONS; do
  [ -n "${!name:-}" ] && sanitizer_env+=("$name=${!name}")
done
if [ -n "${LSAN_OPTIONS:-}" ]; then
  suppressions=$here/../sanitizers
  cat "$suppressions/lsan.supp" "$suppressions/lsan-wayland.supp" > lsan.supp
  chmod 0644 lsan.supp
  sanitizer_env+=("LSAN_OPTIONS=suppressions=$out/lsan.supp:print_suppressions=0")
fi

run() {  # run NAME ARGS...: kiosk-session as nobody under headless cage; prints the status
  local name=$1; shift
  set +e
  ( umask 0077
    exec setpriv --reuid=65534 --regid=65534 --clear-groups \
      env -i PATH=/usr/bin:/bin HOME="$out" RUNTIME_DIRECTORY="$out/runtime" \
          WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
          SDL_VIDEODRIVER=wayland SDL_AUDIODRIVER=dummy TOEGANG_KIOSK="$kiosk" "${sanitizer_env[@]}" \
          timeout 120 "$session" "$@" ) > "$name.log" 2>&1
  local status=$?
  set -e
  echo "$status"
}

passes=0; failures=0
check() {
  if eval "$2"; then echo "ok: $1"; passes=$((passes + 1))
  else echo "FAILED: $1"; failures=$((failures + 1)); fi
}

status=$(run good --config kiosk.yaml --script good.script)
check "a scripted session under cage reaches the language screen (exit $status)" '[ "$status" -eq 0 ]'
[ "$status" -eq 0 ] || sed 's/^/  good.log: /' good.log
check "screenshots of the Wayland window" \
  '[ "$(stat -c %s cage-welcome.png 2>/dev/null || echo 0)" -gt 10000 ] && [ "$(stat -c %s cage-language.png 2>/dev/null || echo 0)" -gt 10000 ]'
check "the metrics file is written" 'grep -q "^toegang_outbox_queue_length 0$" textfile/toegang.prom'
check "the metrics file is readable by node_exporter (0644) under umask 0077" \
  '[ "$(stat -c %a textfile/toegang.prom)" = 644 ]'
check "the outbox folder is the kiosk user's only (0700)" '[ "$(stat -c %a outbox-parent/outbox)" = 700 ]'

status=$(run failing --config kiosk.yaml --script failing.script)
check "a failed expect comes out of kiosk-session as 1 (got $status)" '[ "$status" -eq 1 ]'

status=$(run bad --config bad.yaml --script good.script)
check "a bad config comes out of kiosk-session as 2 (got $status)" '[ "$status" -eq 2 ]'
check "the bad config's key is named with its line" 'grep -q "bad.yaml:2" bad.log'

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
