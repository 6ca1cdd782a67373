#!/usr/bin/env bash
# The whole way: a demo form filled in on the real kiosk under Xvfb, sent to the demo
# backend (HTTPS, mutual TLS, sealed envelope) on 127.0.0.1:8443, and found there exactly
# once; the outbox keeps no plaintext answer and is empty afterwards.
#   submit_check.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
kiosk=$(readlink -f "$1"); src=$(readlink -f "$2"); out=$3
mkdir -p "$out"; out=$(readlink -f "$out")
export TOEGANG_DEMO_DIR="$out/demo-state"
rm -rf "$TOEGANG_DEMO_DIR"
config=$(bash "$src/deploy/demo-backend.sh" --background | tail -n 1)
trap 'bash "$src/deploy/demo-backend.sh" --stop >/dev/null 2>&1 || true' EXIT
fail() { echo "submit_check: $*" >&2; exit 1; }
cd "$out"
SDL_AUDIODRIVER=dummy xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" run --config "$config" --script "$src/deploy/demo-tour.script" > tour.log 2>&1 \
  || { cat tour.log; fail "the tour failed"; }
reference=$(sed -n 's/.*stored \([2-9A-Z]\{5\}-[2-9A-Z]\{5\}\).*/\1/p' tour.log | head -n 1)
[ -n "$reference" ] || { cat tour.log; fail "no submission was stored"; }
# Delivery is in the background: wait for it (bounded).
for _ in $(seq 1 50); do
  received=$(curl -s http://127.0.0.1:8444/submissions || true)
  case $received in *"$reference"*) break ;; esac
  sleep 0.2
done
case $received in *"\"reference\": \"$reference\""*) ;; *) fail "the backend did not receive $reference" ;; esac
count=$(printf '%s' "$received" | grep -o "\"reference\": \"$reference\", \"form\"" | wc -l)
[ "$count" -eq 1 ] || fail "the backend holds $reference $count times"
printf '%s' "$received" | grep -q '"straat": "Oudegracht"' || fail "the answers did not arrive"
printf '%s' "$received" | grep -q '"sealed": true' || fail "the submission was not sealed"
! grep -rq "Oudegracht" "$TOEGANG_DEMO_DIR/outbox" || fail "plaintext answers in the outbox"
echo "submit_check: $reference stored, delivered once over mutual TLS, sealed; outbox clean"
