#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing the kiosk needs.
# Idempotent and non-interactive: packages already present are not touched, and
# `apt-get update` runs only when the package lists are missing or a package cannot
# be found. Works as root without sudo, and through sudo otherwise.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config
  # form engine and core
  libyaml-dev nlohmann-json3-dev libssl-dev libcli11-dev
  # network
  libcurl4-openssl-dev
  # user interface and speech
  libsdl2-dev libimgui-dev libfreetype-dev libgl-dev libgl1-mesa-dri librsvg2-dev
  libespeak-ng-dev espeak-ng-data
  fonts-dejavu-core fonts-material-design-icons-iconfont
  # tests
  doctest-dev xvfb xauth openssl x11-utils libx11-dev curl
  # benchmarks (bench/kiosk_bench.sh): keys into Xvfb, instructions per frame
  xdotool valgrind
  # tests of kiosk/net: the demo backend (Debian's /usr/bin/python3), nginx as TLS front door
  python3-cryptography nginx
  # the web peer of bench/side_by_side.sh (Chromium in kiosk mode; measure.sh runs it with
  # --no-sandbox, which it needs as root)
  chromium
  # fuzzing (tests/ci/fuzz.sh, docs/fuzzing.md): clang 16 with libFuzzer and its sanitizers
  clang-16 libclang-rt-16-dev
  # the real kiosk (tests/ci/deploy.sh, tests/e2e/cage_check.sh): the .deb (dpkg-dev for
  # dpkg-shlibdeps), systemd-analyze/-sysusers/-tmpfiles, the cage compositor (Debian's cage
  # will not start without Xwayland), ansible-core for the fleet playbook (python3-apt for
  # its apt module in --check); promtool for the alert rules is taken out of Debian's
  # prometheus package by tests/ci/deploy.sh, not installed (that would start a server)
  dpkg-dev systemd cage xwayland ansible-core python3-apt
  # the JSON Schemas for form files and the config (tests/schema/check_schemas.py)
  python3-jsonschema python3-yaml
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are present"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-deps: these packages are missing and I am not root (and there is no sudo):" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
lists_present() { compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; }
if ! lists_present; then
  "${as_root[@]}" apt-get update -q
fi

echo "install-deps: installing ${missing[*]}"
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  # The lists may be stale (a package moved to a newer version): refresh once and retry.
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
