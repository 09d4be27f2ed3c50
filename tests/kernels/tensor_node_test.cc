// ONNX backend node tests (ONNX 1.12 test data) of the tensor kernel group: every node test of
// every op the group registers runs through the builtin registry, except the listed ones.

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tests/kernels/onnx_node_runner.h"

namespace hb_dnn::testing {
namespace {

// Node tests of our ops that are expected not to run, with the reason.
const std::set<std::string>& Excluded() {
  static const auto* excluded = new std::set<std::string>{
      // Identity on optional and sequence values: the kernels handle tensors only.
      "test_identity_opt",
      "test_identity_sequence",
  };
  return *excluded;
}

class TensorNodeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(TensorNodeTest, AllNodeTestsPass) {
  const std::string op = GetParam();
  const std::vector<std::string> tests = OnnxNodeTestsForOp(op);
  EXPECT_FALSE(tests.empty()) << "no node tests found for " << op;
  for (const std::string& test : tests) {
    if (Excluded().count(test) != 0) continue;
    EXPECT_TRUE(RunOnnxNodeTest(test)) << test;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ops, TensorNodeTest,
    ::testing::Values("Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat", "Split",
                      "Slice", "Transpose", "DepthToSpace", "SpaceToDepth", "Expand", "Tile",
                      "Gather", "GatherElements", "GatherND", "Scatter", "ScatterElements",
                      "ScatterND", "Shape", "Size", "ConstantOfShape", "Range", "TopK"),
    [](const ::testing::TestParamInfo<const char*>& info) { return std::string(info.param); });

}  // namespace
}  // namespace hb_dnn::testing
