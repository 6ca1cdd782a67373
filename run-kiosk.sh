#!/usr/bin/env bash
# Sets up and runs the kiosk with the demo forms: installs the Debian packages, builds, and
# starts `kiosk run` (no --config: the demo). Arguments are passed on, e.g. --window.
# Without a display it plays a scripted tour under Xvfb and keeps a screenshot of every
# screen in ./demo-screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)

bash deploy/install-deps.sh

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)" --target kiosk

# The demo backend (HTTPS with mutual TLS on 127.0.0.1:8443, certificates made on first
# run) and the kiosk config that talks to it.
cmake --build "$build" --parallel "$(nproc)" --target kiosk
config=$(bash deploy/demo-backend.sh --background | tail -n 1)
echo "run-kiosk: demo backend running; kiosk config: $config (stop it: deploy/demo-backend.sh --stop)"

# Check the demo forms the way staff would, then run the kiosk.
"$build/kiosk/kiosk" lint assets/forms --config "$config"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  shots="$here/demo-screenshots"
  mkdir -p "$shots"
  echo "run-kiosk: no display found; playing the demo tour under Xvfb"
  cd "$shots"
  SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy} xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$here/$build/kiosk/kiosk" run --config "$config" --script "$here/deploy/demo-tour.script" "$@" || true
  echo "run-kiosk: screenshots of every screen are in $shots"
  ls "$shots"
  exit 0
fi
exec "$build/kiosk/kiosk" run --config "$config" "$@"
