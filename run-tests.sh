#!/usr/bin/env bash
# Sets up, builds and runs every test: installs the Debian packages (deploy/install-deps.sh),
# configures with CMake, builds with -Werror, runs ctest, runs the benchmarks once in their
# short mode so they cannot rot, checks the deployment files (tests/ci/deploy.sh: the .deb,
# systemd-analyze verify, ansible-playbook --syntax-check and --check), fuzzes each libFuzzer target for a fixed time
# (tests/ci/fuzz.sh) and runs the whole suite again under ASan + UBSan (tests/ci/sanitize.sh).
set -euo pipefail
cd "$(dirname "$0")"

bash deploy/install-deps.sh

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIOSK_WERROR=ON
cmake --build "$build" --parallel "$(nproc)"
ctest --test-dir "$build" --output-on-failure --timeout 300 --parallel "$(nproc)"

echo "== deployment: the .deb, the systemd unit, the Ansible playbook, the Prometheus rules =="
bash tests/ci/deploy.sh "$build"

echo "== benchmarks (short mode) =="
"$build/bench/bench_loader" --short
SDL_AUDIODRIVER=dummy "$build/bench/bench_speech" --short
"$build/bench/bench_outbox" --short --certs "$build/tests/net-certs"
# Start-up, memory and idle CPU of the floor (bench/floor_kiosk), the kiosk and Chromium in
# kiosk mode, side by side; then the kiosk's own runtime figures (docs/performance.md).
bash bench/side_by_side.sh "$build" --short
bash bench/kiosk_bench.sh "$build" --short

echo "== fuzzing (libFuzzer, 20 s per target) =="
bash tests/ci/fuzz.sh "${FUZZ_BUILD_DIR:-build-fuzz}" "${FUZZ_SECONDS:-20}"

echo "== sanitizer pass (ASan + UBSan + LeakSanitizer, the whole suite again) =="
bash tests/ci/sanitize.sh "${SANITIZE_BUILD_DIR:-build-asan}"
