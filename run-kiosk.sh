#!/usr/bin/env bash
# Sets up and runs the kiosk with the demo forms: installs the Debian packages, builds, and
# starts `kiosk run` (no --config: the demo). Arguments are passed on, e.g. --window.
set -euo pipefail
cd "$(dirname "$0")"

bash deploy/install-deps.sh

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)" --target kiosk

# Check the demo forms the way staff would, then run the kiosk.
"$build/kiosk/kiosk" lint assets/forms
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run-kiosk: no display found; running under Xvfb"
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$build/kiosk/kiosk" run --window "$@"
fi
exec "$build/kiosk/kiosk" run "$@"
