#!/usr/bin/env bash
# Soak (issue 7): many scripted citizen sessions in ONE kiosk process under Xvfb, made by
# tools/make-soak-script.py (seeded): filled in and sent, stopped midway, abandoned,
# settings changed, back and forth. The kiosk runs with its own config and an outbox in
# OUTDIR (sealed; no backend needs to run: the outbox keeps what was sent).
#   soak_check.sh KIOSK SOURCE_DIR OUTDIR [--sessions N] [--seed S] [--no-memory] [--backend]
# --backend: the demo backend runs (deploy/demo-backend.sh, port 8443) and the kiosk uses its
# config, so the outbox drains as on a kiosk whose e-service is up. Without it every sent
# form stays queued, and the outbox's index of waiting submissions (~250 bytes each, by
# design) grows with them.
# Sessions: --sessions, else $KIOSK_SOAK_SESSIONS, else 10000. The script marks resident
# memory after session 100 and expects less than 1 MiB of growth at the end (not with
# --no-memory: sanitizer builds, where LeakSanitizer checks the exit instead).
# Exit status: the kiosk's (1 if an expectation failed; a sanitizer report fails too).
set -euo pipefail
kiosk=$(readlink -f "$1"); src=$(readlink -f "$2"); out=$3; shift 3
sessions=${KIOSK_SOAK_SESSIONS:-10000}
seed=${KIOSK_SOAK_SEED:-1}
memory=()
backend=no
while [ $# -gt 0 ]; do
  case $1 in
    --sessions) sessions=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-memory) memory=(--no-memory); shift ;;
    --backend) backend=yes; shift ;;
    *) echo "soak_check: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"; out=$(readlink -f "$out")
fail() { echo "soak_check: $*" >&2; exit 1; }

# Python (Debian's) makes the script; it is not instrumented, whatever the environment says.
/usr/bin/python3 "$src/tools/make-soak-script.py" --sessions "$sessions" --seed "$seed" "${memory[@]}" \
  > "$out/soak.script"
if [ "$backend" = yes ]; then
  export TOEGANG_DEMO_DIR="$out/demo-state"
  rm -rf "$TOEGANG_DEMO_DIR/outbox" "$TOEGANG_DEMO_DIR/submissions.sqlite"
  config=$(bash "$src/deploy/demo-backend.sh" --background | tail -n 1)
  trap 'bash "$src/deploy/demo-backend.sh" --stop >/dev/null 2>&1 || true' EXIT
  outbox=$TOEGANG_DEMO_DIR/outbox
else
  bash "$src/tests/peers/make_certs.sh" "$out/certs" > /dev/null
  rm -rf "$out/outbox"
  config=$out/kiosk.yaml
  outbox=$out/outbox
  cat > "$config" <<CONFIG
# Made by tests/e2e/soak_check.sh.
kiosk_id: soak-kiosk
forms: $src/assets/forms
languages: [nl, en]
submit:
  allowed_hosts: [localhost]
  ca_file: certs/ca.crt
  client_cert: certs/client.crt
  client_key: certs/client.key
outbox:
  dir: outbox
  mode: sealed
  recipient_key: certs/sealing.pub.pem
CONFIG
fi

cd "$out"
start=$(date +%s.%N)
status=0
SDL_AUDIODRIVER=dummy xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" run --config "$config" --script "$out/soak.script" > soak.log 2>&1 || status=$?
end=$(date +%s.%N)
grep -E "memory|expect failed|no control|Sanitizer|SUMMARY|runtime error" soak.log | head -n 40 >&2 || true
stored=$(grep -c "stored [2-9A-Z]\{5\}-[2-9A-Z]\{5\}" soak.log || true)
awk -v s="$start" -v e="$end" -v n="$sessions" -v k="$stored" 'BEGIN {
  printf "soak_check: %d sessions in %.1f s (%.1f ms a session), %d submissions stored\n", n, e - s, (e - s) * 1000 / n, k }'
[ "$status" -eq 0 ] || { tail -n 20 soak.log >&2; fail "the kiosk exited with $status"; }
[ "$stored" -gt 0 ] || fail "no submission was stored"
[ "$backend" = no ] || echo "soak_check: $(ls "$outbox"/*.sub 2>/dev/null | wc -l) still waiting in the outbox"
