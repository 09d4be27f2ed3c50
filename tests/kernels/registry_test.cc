// The registry itself and the conformance runner, independent of any kernel group.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/op_registry.h"
#include "tests/kernels/onnx_node_runner.h"

namespace hb_dnn::kernels {
namespace {

using ::testing::HasSubstr;

class NegKernel : public OpKernel {
 public:
  static absl::StatusOr<std::unique_ptr<OpKernel>> Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(new NegKernel());
  }
  absl::Status Prepare(const std::vector<TensorInfo>& in, std::vector<TensorInfo>* out) override {
    out->assign(1, {in[0].dtype, in[0].shape, nullptr});
    return absl::OkStatus();
  }
  absl::Status Run(const std::vector<ConstTensorView>& in,
                   const std::vector<TensorView>& out) const override {
    for (int64_t i = 0; i < in[0].num_elements(); ++i) out[0].as<float>()[i] = -in[0].as<float>()[i];
    return absl::OkStatus();
  }
};

TEST(OpRegistry, VersionRangesAndVariants) {
  OpRegistry r;
  r.Add({"", "Neg", 6, 12, KernelVariant::kReference, MakeFactory<NegKernel>()});
  r.Add({"", "Neg", 13, 17, KernelVariant::kReference, MakeFactory<NegKernel>()});
  r.Add({"", "Neg", 13, 17, KernelVariant::kOptimized, MakeFactory<NegKernel>()});
  EXPECT_EQ((*r.Find("", "Neg", 13))->variant, KernelVariant::kOptimized);
  EXPECT_EQ((*r.Find("", "Neg", 13, /*prefer_optimized=*/false))->variant, KernelVariant::kReference);
  EXPECT_EQ((*r.Find("", "Neg", 6))->max_version, 12);
  absl::Status old = r.Find("", "Neg", 5).status();
  EXPECT_EQ(ErrorCodeOf(old), ErrorCode::kInvalidModel);
  EXPECT_THAT(std::string(old.message()),
              HasSubstr("op Neg version 5 is not supported (supported versions: 6..12, 13..17, 13..17)"));
  EXPECT_THAT(std::string(r.Find("com.microsoft", "Neg", 1).status().message()),
              HasSubstr("op com.microsoft::Neg is not supported"));
  EXPECT_TRUE(r.Supports("", "Neg"));
  EXPECT_FALSE(r.Supports("", "Abs"));
}

TEST(KernelUtil, Broadcasting) {
  EXPECT_EQ(*BroadcastShapes({2, 1, 4}, {3, 1}), (Shape{2, 3, 4}));
  EXPECT_EQ(*BroadcastShapes({}, {5}), (Shape{5}));
  EXPECT_THAT(std::string(BroadcastShapes({2, 3}, {4}).status().message()),
              HasSubstr("shapes (2,3) and (4) cannot be broadcast together"));
  EXPECT_EQ(BroadcastStrides({3, 1}, {2, 3, 4}), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(*NormalizeAxis(-1, 4, "axis"), 3);
  EXPECT_FALSE(NormalizeAxis(4, 4, "axis").ok());
}

TEST(OnnxNodeRunner, FindsTestsByOp) {
  std::vector<std::string> conv = testing::OnnxNodeTestsForOp("Conv");
  EXPECT_THAT(conv, ::testing::Contains("test_basic_conv_with_padding"));
  EXPECT_TRUE(testing::OnnxNodeTestsForOp("NoSuchOp").empty());
}

}  // namespace
}  // namespace hb_dnn::kernels
