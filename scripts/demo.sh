#!/usr/bin/env bash
# README command 1: install the system packages, build hb_dnn (release preset), build the demo
# model package with the project's own model builder, and inspect it through the public C API
# the way `hrt_model_exec model_info` does. Needs nothing outside this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup_deps.sh
cmake --preset release
cmake --build --preset release -j"$(nproc)" --target model_info demo_model
echo
echo "== model_info on build/release/models/demo.hbm =="
./build/release/examples/model_info build/release/models/demo.hbm
