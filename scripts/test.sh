#!/usr/bin/env bash
# README command 2: install the system packages, build everything with the dev preset (Debug,
# -Werror) and run the whole CTest suite. Extra arguments go to ctest (e.g. -L capi).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup_deps.sh
cmake --preset dev
cmake --build --preset dev -j"$(nproc)"
ctest --preset dev -j"$(nproc)" "$@"
