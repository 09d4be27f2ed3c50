// ONNX backend node tests (ONNX 1.12 test data) of the elementwise kernel group: every node test
// of every op the group registers runs through the builtin registry, except the listed ones.

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/kernels/onnx_node_runner.h"

namespace hb_dnn::testing {
namespace {

// Node tests of our ops that are expected not to run, with the reason.
const std::set<std::string>& Excluded() {
  static const auto* excluded = new std::set<std::string>{
      // bfloat16 and string are not DTypes the runtime has.
      "test_cast_BFLOAT16_to_FLOAT",
      "test_cast_FLOAT_to_BFLOAT16",
      "test_cast_FLOAT_to_STRING",
      "test_cast_STRING_to_FLOAT",
      "test_castlike_BFLOAT16_to_FLOAT_expanded",
      "test_castlike_FLOAT_to_BFLOAT16_expanded",
      "test_castlike_FLOAT_to_STRING_expanded",
      "test_castlike_STRING_to_FLOAT_expanded",
  };
  return *excluded;
}

class ElementwiseNodeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ElementwiseNodeTest, AllNodeTestsPass) {
  const std::string op = GetParam();
  const std::vector<std::string> tests = OnnxNodeTestsForOp(op);
  EXPECT_FALSE(tests.empty()) << "no node tests found for " << op;
  for (const std::string& test : tests) {
    if (Excluded().count(test) != 0) continue;
    EXPECT_TRUE(RunOnnxNodeTest(test)) << test;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ops, ElementwiseNodeTest,
    ::testing::Values("Relu", "Clip", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish",
                      "Tanh", "Elu", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp", "Log", "Erf",
                      "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Equal", "Greater", "Less",
                      "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Where", "Cast",
                      "QuantizeLinear", "DequantizeLinear", "Softmax", "LogSoftmax", "ReduceMean",
                      "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ArgMax", "ArgMin"),
    [](const ::testing::TestParamInfo<const char*>& info) { return std::string(info.param); });

}  // namespace
}  // namespace hb_dnn::testing
