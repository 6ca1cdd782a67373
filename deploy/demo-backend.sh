#!/usr/bin/env bash
# The demo e-services backend on this machine, for the kiosk's submissions: HTTPS with
# mutual TLS on 127.0.0.1 only (tests/peers/demo_backend.py), with certificates and keys made
# on first run (tests/peers/make_certs.sh), and a kiosk config that talks to it.
#
#   deploy/demo-backend.sh                 runs it in the foreground (Ctrl-C stops it)
#   deploy/demo-backend.sh --background    starts it if it is not running; returns at once
#   deploy/demo-backend.sh --stop          stops a background one
#
# It prints the path of the kiosk config for it on stdout (with --background, as the only
# line), so that
#   config=$(deploy/demo-backend.sh --background | tail -n 1)
#   build/kiosk/kiosk run --config "$config"
# runs the kiosk against it. The demo forms submit to https://localhost:8443/api/<form>.
#
# State (certificates, the SQLite database of received submissions, the kiosk's outbox and
# the generated config): $TOEGANG_DEMO_DIR, else $XDG_STATE_HOME/toegang-demo, else
# ~/.local/state/toegang-demo. Port: $TOEGANG_DEMO_PORT (default 8443); control port
# (faults, GET /submissions; see demo_backend.py): $TOEGANG_DEMO_CONTROL_PORT (default 8444).
# Needs Debian's /usr/bin/python3 with python3-cryptography, and openssl.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${TOEGANG_DEMO_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/toegang-demo}
port=${TOEGANG_DEMO_PORT:-8443}
control=${TOEGANG_DEMO_CONTROL_PORT:-8444}
python=/usr/bin/python3
action=${1:-foreground}

mkdir -p "$state"
chmod 700 "$state"
pidfile="$state/backend.pid"

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

if [ "$action" = "--stop" ]; then
  if running; then
    kill "$(cat "$pidfile")"
    echo "demo-backend: stopped" >&2
  fi
  rm -f "$pidfile"
  exit 0
fi

if [ ! -f "$state/certs/.complete" ]; then
  echo "demo-backend: making certificates and keys in $state/certs (first run)" >&2
fi
bash "$repo/tests/peers/make_certs.sh" "$state/certs"

config="$state/kiosk.yaml"
if [ ! -f "$config" ]; then
  # Relative paths in a kiosk config are taken from the config's folder.
  cat > "$config" <<CONFIG
# Kiosk config for the local demo backend (made by deploy/demo-backend.sh).
kiosk_id: demo-kiosk
forms: $repo/assets/forms
languages: [nl, en]
submit:
  default_endpoint: https://localhost:$port/api/submissions
  allowed_hosts: [localhost]
  ca_file: certs/ca.crt
  client_cert: certs/client.crt
  client_key: certs/client.key
outbox:
  dir: outbox
  mode: sealed
  recipient_key: certs/sealing.pub.pem
  metrics_file: toegang.prom
staff:
  # The demo's staff PIN is 1234 (docs/keys.md). A real kiosk: kiosk hash-pin.
  pin_hash: "\$scrypt\$ln=15,r=8,p=1\$dG9lZ2FuZy1kZW1vLXBpbg==\$A0VuqleyAn+JQXO+2kOv7c/bYZ8U857D1Fuf9SJFX70="
CONFIG
fi

args=("$repo/tests/peers/demo_backend.py" --port "$port" --control-port "$control"
      --cert "$state/certs/server.crt" --key "$state/certs/server.key" --ca "$state/certs/ca.crt"
      --sealing-key "$state/certs/sealing.key" --db "$state/submissions.sqlite")

if [ "$action" = "--background" ]; then
  if ! running; then
    : > "$state/backend.out"
    nohup "$python" "${args[@]}" > "$state/backend.out" 2>> "$state/backend.log" < /dev/null &
    echo $! > "$pidfile"
    # Ready when it has printed its ports (bounded: 10 s).
    for _ in $(seq 100); do
      [ -s "$state/backend.out" ] && break
      kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$state/backend.log" >&2; exit 1; }
      sleep 0.1
    done
    [ -s "$state/backend.out" ] || { echo "demo-backend: did not start; see $state/backend.log" >&2; exit 1; }
  fi
  echo "demo-backend: https://localhost:$port (log: $state/backend.log)" >&2
  echo "$config"
  exit 0
fi

echo "demo-backend: kiosk config: $config" >&2
echo "$config"
exec "$python" "${args[@]}"
