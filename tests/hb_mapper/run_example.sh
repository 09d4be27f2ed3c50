#!/usr/bin/env bash
# One examples/hb_mapper YAML end to end through the CLI, as a user runs it:
#   run_example.sh HB_MAPPER YAML MODEL SOURCE OUT_DIR [MIN_COSINE]
# makecaldata writes the calibration files from SOURCE (a TensorProto or synthetic_text) into
# OUT_DIR/cal, makertbin converts into OUT_DIR/model_output, then the report must list every
# output with a cosine of at least MIN_COSINE (default 0.99). Exits 77 (skipped) when MODEL, under
# ../shared/models, is absent.
set -euo pipefail
hb_mapper=$1 yaml=$2 model=$3 source=$4 out=$5 min_cosine=${6:-0.99}
if [ ! -f "$model" ]; then
  echo "SKIP: $model is not available"
  exit 77
fi
rm -rf "$out"
mkdir -p "$out"
if [ "$source" != none ]; then
  "$hb_mapper" makecaldata --config "$yaml" --source "$source" --cal-data-dir "$out/cal"
  "$hb_mapper" makertbin --config "$yaml" --model-type onnx --working-dir "$out/model_output" \
    --cal-data-dir "$out/cal"
else
  "$hb_mapper" makertbin --config "$yaml" --model-type onnx --working-dir "$out/model_output"
fi
report=$(ls "$out"/model_output/*_report.json)
test -f "$out"/model_output/hb_mapper_makertbin.log
ls "$out"/model_output/*.hbm >/dev/null
grep -q '"on": "BPU"' "$report"
cosines=$(grep -o '"cosine": [-0-9.e+]*' "$report" | awk '{print $2}')
if [ -z "$cosines" ]; then
  echo "FAIL: $report lists no output cosine"
  exit 1
fi
for c in $cosines; do
  if ! awk -v c="$c" -v m="$min_cosine" 'BEGIN { exit !(c >= m) }'; then
    echo "FAIL: output cosine $c < $min_cosine in $report"
    exit 1
  fi
done
echo "OK: $report cosines: $(echo $cosines)"
