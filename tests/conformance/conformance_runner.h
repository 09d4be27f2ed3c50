#ifndef HB_DNN_TESTS_CONFORMANCE_CONFORMANCE_RUNNER_H_
#define HB_DNN_TESTS_CONFORMANCE_CONFORMANCE_RUNNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hb_dnn::testing {

// Runs an ONNX model through the whole product path: import (tools/onnx_import) -> model file
// bytes -> hbDNNInitializeFromDDR -> hbDNNInfer / hbDNNWaitTaskDone with hbSysAllocMem tensors ->
// compare every output with the test's expected tensors (|got - want| <= atol + rtol * |want|,
// NaNs equal, integers exact).
//
// `data_sets` are directories holding input_N.pb / output_N.pb (the ONNX backend-test layout).
// When the model needs a graph input to be constant (e.g. a Reshape shape fed as an input, as the
// node tests do), integer inputs are baked in from the first data set and only data sets with
// the same values for them are run.
struct ConformanceOptions {
  double rtol = 1e-3;
  double atol = 1e-7;
  // Max |got - want| <= max_abs_scale * max |want| over each output (the model-level criterion);
  // 0 disables (rtol/atol per element apply).
  double max_abs_scale = 0;
};

::testing::AssertionResult RunModelConformance(const std::string& onnx_path,
                                               const std::vector<std::string>& data_sets,
                                               const ConformanceOptions& options);

// Deterministic synthetic inputs, computed identically by scripts/ort_reference.js:
//   kRamp: x[i] = ((i * 2654435761) % 1000) / 1000 (also ../shared/peers/ort_bench.js's input);
//   kPage: NCHW white page with two lines of dark strokes, ImageNet mean/std normalized.
enum class SyntheticInput { kRamp, kPage };

// Runs a single-input, single-output float model on a synthetic input of shape `input_shape` and
// compares its output with `raw_reference`, a raw little-endian float32 file (ONNX Runtime's
// output for the same input).
::testing::AssertionResult RunModelOnSyntheticInput(const std::string& onnx_path,
                                                    const std::vector<int64_t>& input_shape,
                                                    SyntheticInput pattern,
                                                    const std::string& raw_reference,
                                                    const ConformanceOptions& options);

// All test_data_set_* directories of a test directory, sorted.
std::vector<std::string> DataSets(const std::string& test_dir);

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_CONFORMANCE_CONFORMANCE_RUNNER_H_
