// int8 Gemm and MatMul reference kernels (hb_dnn.bpu): rows of A times a constant int8 B, exact
// integer accumulators (plus the optional int32 bias of Gemm), then the per-column
// requantization of requantize.h or the raw accumulators for output_type 32.

#include <cstdint>
#include <memory>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/int8/reference/int8_kernels.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::int8 {
namespace {

// `rows` x `cols` output of A [rows, depth] times B ([depth, cols], or [cols, depth] when
// `transposed`), column c's accumulator starting at bias[c] (null = 0).
struct GemmPlan {
  int64_t rows = 0;
  int64_t depth = 0;
  int64_t cols = 0;
  bool transposed = false;
  bool has_bias = false;
};

void RunGemm(const GemmPlan& p, const AccumulatorOutput& output, const int8_t* a,
             const int8_t* b, const int32_t* bias, void* y) {
  const int64_t b_row_step = p.transposed ? 1 : p.cols;
  const int64_t b_col_step = p.transposed ? p.depth : 1;
  for (int64_t r = 0; r < p.rows; ++r) {
    const int8_t* a_row = a + r * p.depth;
    for (int64_t c = 0; c < p.cols; ++c) {
      int64_t acc = bias != nullptr ? bias[c] : 0;
      const int8_t* b_col = b + c * b_col_step;
      for (int64_t k = 0; k < p.depth; ++k) {
        acc += static_cast<int64_t>(a_row[k]) * b_col[k * b_row_step];
      }
      output.Store(WrapInt32(acc), c, y, r * p.cols + c);
    }
  }
}

class Int8GemmKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    constexpr char kOp[] = "Gemm";
    auto kernel = std::make_unique<Int8GemmKernel>();
    kernel->attributes_ = args.attributes;
    HB_ASSIGN_OR_RETURN(int64_t trans_a, args.attributes.GetInt("transA", 0));
    HB_ASSIGN_OR_RETURN(int64_t trans_b, args.attributes.GetInt("transB", 0));
    HB_ASSIGN_OR_RETURN(float alpha, args.attributes.GetFloat("alpha", 1.0f));
    HB_ASSIGN_OR_RETURN(float beta, args.attributes.GetFloat("beta", 1.0f));
    if (trans_a != 0) {
      return KernelError(kOp, ": attribute 'transA' is ", trans_a,
                         "; the int8 Gemm needs A as [M, K] (transA = 0)");
    }
    if (trans_b != 0 && trans_b != 1) {
      return KernelError(kOp, ": attribute 'transB' is ", trans_b, ", expected 0 or 1");
    }
    if (alpha != 1.0f || beta != 1.0f) {
      return KernelError(kOp, ": attributes 'alpha' ", alpha, " / 'beta' ", beta,
                         " must be 1 for the int8 Gemm (fold them into the scales)");
    }
    kernel->plan_.transposed = trans_b == 1;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "Gemm";
    HB_RETURN_IF_ERROR(CheckInputCount(kOp, inputs, 2, 3));
    const TensorInfo& a = inputs[0];
    const TensorInfo& b = inputs[1];
    HB_RETURN_IF_ERROR(CheckInt8(kOp, a, "input 0 'A'"));
    HB_RETURN_IF_ERROR(CheckInt8(kOp, b, "input 1 'B'"));
    if (a.shape.size() != 2) {
      return KernelError(kOp, ": input 0 'A' has shape ", ShapeString(a.shape),
                         " but the int8 Gemm needs rank 2 [M, K]");
    }
    GemmPlan& p = plan_;
    p.rows = a.shape[0];
    p.depth = a.shape[1];
    if (b.shape.size() != 2 || b.shape[p.transposed ? 1 : 0] != p.depth) {
      return KernelError(kOp, ": input 1 'B' has shape ", ShapeString(b.shape), " but A ",
                         ShapeString(a.shape), p.transposed ? " with transB = 1 needs [N, "
                                                            : " needs [",
                         p.depth, p.transposed ? "]" : ", N]");
    }
    p.cols = p.transposed ? b.shape[0] : b.shape[1];
    p.has_bias = inputs.size() > 2 && inputs[2].present();
    if (p.has_bias) {
      HB_RETURN_IF_ERROR(nn::CheckDType(kOp, inputs[2], "input 2 'C'", {DType::kI32}));
      HB_RETURN_IF_ERROR(nn::CheckShape(kOp, inputs[2], "input 2 'C'", {p.cols}));
    }
    HB_ASSIGN_OR_RETURN(output_, ReadAccumulatorOutput(kOp, attributes_, p.cols));
    outputs->assign(1, TensorInfo{output_.dtype(), {p.rows, p.cols}, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    RunGemm(plan_, output_, inputs[0].as<int8_t>(), inputs[1].as<int8_t>(),
            plan_.has_bias ? inputs[2].as<int32_t>() : nullptr, outputs[0].data);
    return absl::OkStatus();
  }

 private:
  Attributes attributes_;
  GemmPlan plan_;
  AccumulatorOutput output_;
};

// MatMul: every leading index of A is one more block of rows, all against the same 2-D B.
class Int8MatMulKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<Int8MatMulKernel>();
    kernel->attributes_ = args.attributes;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "MatMul";
    HB_RETURN_IF_ERROR(CheckInputCount(kOp, inputs, 2, 2));
    const TensorInfo& a = inputs[0];
    const TensorInfo& b = inputs[1];
    HB_RETURN_IF_ERROR(CheckInt8(kOp, a, "input 0 'A'"));
    HB_RETURN_IF_ERROR(CheckInt8(kOp, b, "input 1 'B'"));
    if (a.shape.size() < 2) {
      return KernelError(kOp, ": input 0 'A' has shape ", ShapeString(a.shape),
                         " but the int8 MatMul needs rank >= 2 [..., M, K]");
    }
    if (b.shape.size() != 2 || b.shape[0] != a.shape.back()) {
      return KernelError(kOp, ": input 1 'B' has shape ", ShapeString(b.shape), " but A ",
                         ShapeString(a.shape), " needs a 2-D B [", a.shape.back(), ", N]");
    }
    GemmPlan& p = plan_;
    p.depth = a.shape.back();
    p.cols = b.shape[1];
    p.rows = p.depth == 0 ? NumElements(Shape(a.shape.begin(), a.shape.end() - 1))
                          : a.num_elements() / p.depth;
    HB_ASSIGN_OR_RETURN(output_, ReadAccumulatorOutput(kOp, attributes_, p.cols));
    Shape y_shape = a.shape;
    y_shape.back() = p.cols;
    outputs->assign(1, TensorInfo{output_.dtype(), y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    RunGemm(plan_, output_, inputs[0].as<int8_t>(), inputs[1].as<int8_t>(), nullptr,
            outputs[0].data);
    return absl::OkStatus();
  }

 private:
  Attributes attributes_;
  GemmPlan plan_;
  AccumulatorOutput output_;
};

}  // namespace

KernelOrError CreateInt8GemmReference(const KernelCreateArgs& args) {
  return Int8GemmKernel::Create(args);
}

KernelOrError CreateInt8MatMulReference(const KernelCreateArgs& args) {
  return Int8MatMulKernel::Create(args);
}

}  // namespace hb_dnn::kernels::int8
