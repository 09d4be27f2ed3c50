#ifndef HB_DNN_TESTS_KERNELS_ONNX_NODE_RUNNER_H_
#define HB_DNN_TESTS_KERNELS_ONNX_NODE_RUNNER_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hb_dnn::testing {

// Root of the node tests of Debian's libonnx-testdata (ONNX 1.12), installed by setup_deps.sh.
inline constexpr char kOnnxNodeTestRoot[] = "/usr/share/libonnx-testdata/data/node/";

// Runs the ONNX backend node test `name` directly through kernels::OpRegistry::Builtin(): builds
// the node's kernel from its attributes and opset, Prepares with every input's info and data
// (shape inputs count as constants), Runs each test_data_set_*, and compares every output
// (dtype, shape, values within atol + rtol * |expected|, NaNs equal, integers exact).
// `prefer_optimized` picks the optimized variant where one is registered.
::testing::AssertionResult RunOnnxNodeTest(const std::string& name, double rtol = 1e-3,
                                           double atol = 1e-7, bool prefer_optimized = true);

// Node tests (sorted) whose graph is a single node of op type `op` (default domain).
std::vector<std::string> OnnxNodeTestsForOp(const std::string& op);

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_KERNELS_ONNX_NODE_RUNNER_H_
