#!/usr/bin/env bash
# Installs the built SDK into a scratch prefix and uses it the way an application would:
#   1. the examples project configured on its own with find_package(hb_dnn) (shared + static;
#      model_info, classify_c and pipeline run),
#   2. a pure C program compiled with plain `cc ... -ldnn`,
# each run on the demo model.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR DEMO_MODEL
set -euo pipefail
build_dir=$1
source_dir=$2
demo_model=$3
work=$(mktemp -d)
# On failure, show the logs of the step that failed.
trap 'status=$?; [ $status -eq 0 ] || cat "$work"/*.log 2>/dev/null; rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/include/dnn/hb_dnn.h"
test -f "$work/prefix/include/hb_dnn/plugin/hb_dnn_plugin.h"
libdir=$(dirname "$(find "$work/prefix" -name 'libdnn.so' | head -1)")
test -f "$libdir/libdnn.a"

cmake -S "$source_dir/examples" -B "$work/examples" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/examples" > "$work/build.log"
for exe in model_info model_info_static; do
  "$work/examples/$exe" "$demo_model" > "$work/$exe.out"
  grep -q "This model file has 2 model:" "$work/$exe.out"
  grep -q "aligned byte size: 75264" "$work/$exe.out"
done
"$work/examples/classify_c" "$demo_model" classifier_nv12 > "$work/classify_c.out"
grep -q "output prob (float, 1000 values, sum 1.0000): top 5" "$work/classify_c.out"
"$work/examples/pipeline" "$demo_model" classifier_nv12 4 2 > "$work/pipeline.out"
grep -q "results identical" "$work/pipeline.out"
# The static binary must not need libdnn.so.
if ldd "$work/examples/model_info_static" | grep -q libdnn; then
  echo "model_info_static depends on libdnn.so" >&2
  exit 1
fi

cat > "$work/plain.c" <<'CSRC'
#include <stdio.h>
#include "dnn/hb_dnn.h"
#include "dnn/hb_sys.h"
int main(int argc, char **argv) {
  hbPackedDNNHandle_t packed = NULL;
  char const **names = NULL;
  int32_t count = 0;
  if (argc != 2) return 2;
  if (hbDNNInitializeFromFiles(&packed, (char const **)(argv + 1), 1) != 0) return 1;
  if (hbDNNGetModelNameList(&names, &count, packed) != 0) return 1;
  printf("%d models, first %s\n", count, names[0]);
  return hbDNNRelease(packed) == 0 ? 0 : 1;
}
CSRC
cc -std=c99 -pedantic-errors -Wall -Werror -I"$work/prefix/include" "$work/plain.c" \
  -L"$libdir" -ldnn -o "$work/plain"
LD_LIBRARY_PATH="$libdir" "$work/plain" "$demo_model" | grep -q "2 models, first classifier_nv12"
echo "install test: OK (prefix layout, find_package shared+static, cc -ldnn)"
