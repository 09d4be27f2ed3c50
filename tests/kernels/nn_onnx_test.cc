// ONNX backend node conformance of every nn op (conv, pool, gemm, norm, resize, pad), run on the
// reference kernels.

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kernels/onnx_node_runner.h"

namespace hb_dnn::kernels {
namespace {

using ::testing::HasSubstr;
using testing::OnnxNodeTestsForOp;
using testing::RunOnnxNodeTest;

// Node tests not run, with the reason.
const std::map<std::string, std::string>& Excluded() {
  static const auto* excluded = new std::map<std::string, std::string>{
      // Training mode (batch statistics and running-mean outputs) is out of scope for an
      // inference runtime; the kernel rejects it (see TrainingModeIsRejected).
      {"test_batchnorm_epsilon_training_mode", "BatchNormalization training_mode=1"},
      {"test_batchnorm_example_training_mode", "BatchNormalization training_mode=1"},
  };
  return *excluded;
}

class NnOnnxNodeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(NnOnnxNodeTest, AllNodeTestsPass) {
  const std::string op = GetParam();
  const std::vector<std::string> tests = OnnxNodeTestsForOp(op);
  ASSERT_FALSE(tests.empty()) << "no node tests for " << op;
  int run = 0;
  for (const std::string& t : tests) {
    if (Excluded().count(t) != 0) continue;
    EXPECT_TRUE(RunOnnxNodeTest(t, 1e-3, 1e-7, /*prefer_optimized=*/false)) << t;
    ++run;
  }
  EXPECT_GT(run, 0);
}

INSTANTIATE_TEST_SUITE_P(Ops, NnOnnxNodeTest,
                         ::testing::Values("Conv", "ConvTranspose", "Gemm", "MatMul",
                                           "BatchNormalization", "InstanceNormalization", "LRN",
                                           "MaxPool", "AveragePool", "GlobalMaxPool",
                                           "GlobalAveragePool", "Resize", "Upsample", "Pad",
                                           "ConvInteger", "QLinearConv", "MatMulInteger",
                                           "QLinearMatMul"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

TEST(NnOnnxNodeTest, TrainingModeIsRejected) {
  for (const char* t :
       {"test_batchnorm_epsilon_training_mode", "test_batchnorm_example_training_mode"}) {
    ::testing::AssertionResult result = RunOnnxNodeTest(t, 1e-3, 1e-7, false);
    EXPECT_FALSE(result) << t;
    EXPECT_THAT(result.message(), HasSubstr("'training_mode' = 1 is not supported")) << t;
  }
}

}  // namespace
}  // namespace hb_dnn::kernels
