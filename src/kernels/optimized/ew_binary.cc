// Optimized Add, Sub, Mul and Div: the broadcast is collapsed at Prepare into rows that the
// ew_isa.h row functions handle whole (same shape, a scalar operand, per-channel planes, ...).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/optimized/ew_isa.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/reference/elementwise_kernels.h"

namespace hb_dnn::kernels::optimized {
namespace {

using ew::BinaryMode;
using ew::BinaryOp;

// Output elements per ParallelFor chunk (see ew_unary.cc).
constexpr int64_t kGrain = 32768;

elementwise::BinaryOp ReferenceOp(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return elementwise::BinaryOp::kAdd;
    case BinaryOp::kSub: return elementwise::BinaryOp::kSub;
    case BinaryOp::kMul: return elementwise::BinaryOp::kMul;
    case BinaryOp::kDiv: return elementwise::BinaryOp::kDiv;
  }
  return elementwise::BinaryOp::kAdd;
}

// One output dimension after collapsing, with each input's element stride (0 = broadcast).
struct Dim {
  int64_t size;
  int64_t a_stride;
  int64_t b_stride;
};

class EwBinaryKernel final : public OpKernel {
 public:
  EwBinaryKernel(BinaryOp op, std::unique_ptr<OpKernel> reference, const ew::EwConfig& config)
      : op_(op), reference_(std::move(reference)), config_(config) {}

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    fast_ = inputs[0].dtype == DType::kF32;
    if (fast_) Plan(inputs[0].shape, inputs[1].shape, (*outputs)[0].shape);
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (!fast_) return reference_->Run(inputs, outputs);
    const float* a = inputs[0].as<float>();
    const float* b = inputs[1].as<float>();
    float* y = outputs[0].as<float>();
    ParallelFor(0, total_, kGrain,
                [&](int64_t begin, int64_t end) { RunRange(a, b, y, begin, end); });
    return absl::OkStatus();
  }

 private:
  // Drops size-1 output dimensions and merges neighbours that both inputs step through
  // contiguously (or both broadcast), so that the innermost dimension is as long as possible.
  // Its strides are 1 or 0 per input (never both 0: the output dimension comes from an input),
  // which picks the row function's mode.
  void Plan(const Shape& a_shape, const Shape& b_shape, const Shape& out_shape) {
    total_ = NumElements(out_shape);
    const std::vector<int64_t> a_strides = BroadcastStrides(a_shape, out_shape);
    const std::vector<int64_t> b_strides = BroadcastStrides(b_shape, out_shape);
    std::vector<Dim> dims;
    for (size_t d = 0; d < out_shape.size(); ++d) {
      if (out_shape[d] == 1) continue;
      const Dim dim = {out_shape[d], a_strides[d], b_strides[d]};
      if (!dims.empty()) {
        Dim& outer = dims.back();
        if (outer.a_stride == dim.a_stride * dim.size &&
            outer.b_stride == dim.b_stride * dim.size) {
          outer = {outer.size * dim.size, dim.a_stride, dim.b_stride};
          continue;
        }
      }
      dims.push_back(dim);
    }
    if (dims.empty()) dims.push_back({1, 1, 1});  // one element
    const Dim inner = dims.back();
    dims.pop_back();
    outer_ = std::move(dims);
    inner_ = inner.size;
    a_inner_stride_ = inner.a_stride;
    b_inner_stride_ = inner.b_stride;
    BinaryMode mode = BinaryMode::kVectorVector;
    if (inner.b_stride == 0) mode = BinaryMode::kVectorScalar;
    if (inner.a_stride == 0) mode = BinaryMode::kScalarVector;
    fn_ = config_.binary[static_cast<int>(op_)][static_cast<int>(mode)];
  }

  // Output elements [begin, end), row by row.
  void RunRange(const float* a, const float* b, float* y, int64_t begin, int64_t end) const {
    int64_t row = begin / inner_;
    int64_t column = begin % inner_;
    int64_t position = begin;
    while (position < end) {
      const int64_t length = std::min(inner_ - column, end - position);
      int64_t a_offset = column * a_inner_stride_;
      int64_t b_offset = column * b_inner_stride_;
      int64_t rest = row;
      for (size_t d = outer_.size(); d-- > 0;) {
        const int64_t index = rest % outer_[d].size;
        rest /= outer_[d].size;
        a_offset += index * outer_[d].a_stride;
        b_offset += index * outer_[d].b_stride;
      }
      fn_(a + a_offset, b + b_offset, y + position, length);
      position += length;
      column = 0;
      ++row;
    }
  }

  const BinaryOp op_;
  const std::unique_ptr<OpKernel> reference_;
  const ew::EwConfig& config_;
  bool fast_ = false;
  int64_t total_ = 0;
  std::vector<Dim> outer_;  // outermost first, without the innermost dimension
  int64_t inner_ = 1;
  int64_t a_inner_stride_ = 1;
  int64_t b_inner_stride_ = 1;
  ew::BinaryFn fn_ = nullptr;
};

}  // namespace

EwKernelOrError CreateEwBinaryKernel(BinaryOp op, const KernelCreateArgs& args, IsaLevel isa) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> reference,
                      elementwise::CreateBinaryKernel(ReferenceOp(op), args));
  return std::make_unique<EwBinaryKernel>(op, std::move(reference), ew::GetEwConfig(isa));
}

}  // namespace hb_dnn::kernels::optimized
