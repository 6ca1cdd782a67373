#!/usr/bin/env bash
# Sets up, builds and runs every test: installs the Debian packages (deploy/install-deps.sh),
# configures with CMake, builds with -Werror, runs ctest, then builds the benchmarks and runs
# them once in their short mode so they cannot rot.
set -euo pipefail
cd "$(dirname "$0")"

bash deploy/install-deps.sh

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIOSK_WERROR=ON
cmake --build "$build" --parallel "$(nproc)"
ctest --test-dir "$build" --output-on-failure --timeout 300 --parallel "$(nproc)"

echo "== benchmarks (short mode) =="
"$build/bench/bench_loader" --short
SDL_AUDIODRIVER=dummy "$build/bench/bench_speech" --short
"$build/bench/bench_outbox" --short --certs "$build/tests/net-certs"
bash bench/kiosk_startup.sh "$build" --short
