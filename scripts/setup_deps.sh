#!/usr/bin/env bash
# Installs every system package hb_dnn needs to build and test, from Debian 12's archive only.
# Idempotent: packages already present are left as they are, and apt-get update runs only when
# something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libabsl-dev
  libflatbuffers-dev flatbuffers-compiler
  libtbb-dev
  libxsimd-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  libonnx-testdata
  # hb_mapper's conversion YAML (tools/hb_mapper/mapper_yaml.cc).
  libyaml-cpp-dev
  # hrt_model_exec decodes .jpg/.png inputs (tools/hrt_model_exec/image_input.cc).
  libjpeg62-turbo-dev libpng-dev
  # Kernel-benchmark peers (bench/kernels compares with them when present).
  libdnnl-dev libxnnpack-dev libpthreadpool-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup_deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "setup_deps: installing ${missing[*]}"
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
