#!/usr/bin/env bash
# deploy/demo-backend.sh end to end, as the README's run command uses it: certificates made
# on first run, the backend started in the background, the kiosk config it prints read by a
# real SubmissionService (outbox_driver: core::loadConfig + SubmissionService::fromConfig),
# three submissions delivered and found in the backend, the backend stopped again (also when
# a step fails).
#
# Usage: demo_backend_test.sh OUTBOX_DRIVER REPO
set -euo pipefail
driver=$1
repo=$2
py=/usr/bin/python3

state=$(mktemp -d "${TMPDIR:-/tmp}/toegang-demo-test.XXXXXX")
export TOEGANG_DEMO_DIR=$state
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export TOEGANG_DEMO_PORT=$(free_port)
export TOEGANG_DEMO_CONTROL_PORT=$(free_port)
cleanup() {
  bash "$repo/deploy/demo-backend.sh" --stop > /dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT

config=$(bash "$repo/deploy/demo-backend.sh" --background | tail -n 1)
test -f "$config"
test -f "$state/certs/.complete"
# A second call finds it running and prints the same config.
test "$(bash "$repo/deploy/demo-backend.sh" --background | tail -n 1)" = "$config"

"$driver" --config "$config" --count 3 --drain-timeout-ms 30000 > "$state/driver.out" 2> "$state/driver.log" || {
  cat "$state/driver.log" >&2
  exit 1
}
test "$(grep -c '^confirmed ' "$state/driver.out")" -eq 3
grep -qx drained "$state/driver.out"

stored=$("$py" - "$TOEGANG_DEMO_CONTROL_PORT" <<'PY'
import json, sys, urllib.request
doc = json.load(urllib.request.urlopen("http://127.0.0.1:%s/submissions" % sys.argv[1], timeout=10))
print(sum(1 for s in doc["submissions"] if s["sealed"]))
PY
)
test "$stored" -eq 3
echo "demo backend: 3 sealed submissions delivered over mutual TLS and stored"
