// Gemm and MatMul reference kernels: plain triple loops, floating-point products accumulated in
// double, integer products in 64-bit (wrapping like the element type on the final conversion).

#include <memory>
#include <type_traits>
#include <vector>

#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::nn {
namespace {

// The accumulator of a dot product of T values.
template <typename T>
using AccumulatorOf =
    std::conditional_t<std::is_floating_point_v<T>, double,
                       std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>;

// Y = alpha * A' * B' + beta * C with A' (M, K), B' (K, N) and C broadcast to (M, N); the
// strides map (row, column) of A', B' and C into their buffers, so transposes and broadcasts
// are only different strides.
struct GemmPlan {
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  int64_t a_row = 0;
  int64_t a_col = 0;
  int64_t b_row = 0;
  int64_t b_col = 0;
  int64_t c_row = 0;
  int64_t c_col = 0;
  bool has_c = false;
  double alpha = 1;
  double beta = 1;
};

template <typename T>
void RunGemm(const GemmPlan& p, const T* a, const T* b, const T* c, T* y) {
  for (int64_t i = 0; i < p.m; ++i) {
    for (int64_t j = 0; j < p.n; ++j) {
      double acc = 0;
      for (int64_t l = 0; l < p.k; ++l) {
        acc += static_cast<double>(a[i * p.a_row + l * p.a_col]) *
               static_cast<double>(b[l * p.b_row + j * p.b_col]);
      }
      double value = p.alpha * acc;
      if (c != nullptr) value += p.beta * static_cast<double>(c[i * p.c_row + j * p.c_col]);
      y[i * p.n + j] = static_cast<T>(value);
    }
  }
}

class GemmKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<GemmKernel>();
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(float alpha, attributes.GetFloat("alpha", 1.0f));
    HB_ASSIGN_OR_RETURN(float beta, attributes.GetFloat("beta", 1.0f));
    HB_ASSIGN_OR_RETURN(kernel->trans_a_, attributes.GetInt("transA", 0));
    HB_ASSIGN_OR_RETURN(kernel->trans_b_, attributes.GetInt("transB", 0));
    kernel->plan_.alpha = alpha;
    kernel->plan_.beta = beta;
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    if (inputs.size() < 2 || inputs.size() > 3 || !inputs[0].present() || !inputs[1].present()) {
      return KernelError("Gemm: expected inputs A, B and optional C, got ", inputs.size(),
                         " inputs");
    }
    const TensorInfo& a = inputs[0];
    const TensorInfo& b = inputs[1];
    HB_RETURN_IF_ERROR(CheckDType("Gemm", a, "input 0 'A'", {DType::kF32, DType::kF64}));
    HB_RETURN_IF_ERROR(CheckSameDType("Gemm", b, "input 1 'B'", a.dtype));
    if (a.shape.size() != 2) {
      return KernelError("Gemm: input 0 'A' has shape ", ShapeString(a.shape), " but needs rank 2");
    }
    if (b.shape.size() != 2) {
      return KernelError("Gemm: input 1 'B' has shape ", ShapeString(b.shape), " but needs rank 2");
    }
    GemmPlan& p = plan_;
    p.m = trans_a_ ? a.shape[1] : a.shape[0];
    p.k = trans_a_ ? a.shape[0] : a.shape[1];
    const int64_t kb = trans_b_ ? b.shape[1] : b.shape[0];
    p.n = trans_b_ ? b.shape[0] : b.shape[1];
    if (kb != p.k) {
      return KernelError("Gemm: A ", ShapeString(a.shape), " (transA=", trans_a_, ") and B ",
                         ShapeString(b.shape), " (transB=", trans_b_,
                         ") have different inner dimensions ", p.k, " and ", kb);
    }
    p.a_row = trans_a_ ? 1 : a.shape[1];
    p.a_col = trans_a_ ? a.shape[1] : 1;
    p.b_row = trans_b_ ? 1 : b.shape[1];
    p.b_col = trans_b_ ? b.shape[1] : 1;
    p.has_c = inputs.size() > 2 && inputs[2].present();
    if (p.has_c) {
      const TensorInfo& c = inputs[2];
      HB_RETURN_IF_ERROR(CheckSameDType("Gemm", c, "input 2 'C'", a.dtype));
      // C broadcasts unidirectionally to (M, N).
      Shape c2 = c.shape;
      if (c2.size() > 2) {
        return KernelError("Gemm: input 2 'C' has shape ", ShapeString(c.shape),
                           " but needs rank <= 2");
      }
      while (c2.size() < 2) c2.insert(c2.begin(), 1);
      if ((c2[0] != 1 && c2[0] != p.m) || (c2[1] != 1 && c2[1] != p.n)) {
        return KernelError("Gemm: input 2 'C' has shape ", ShapeString(c.shape),
                           " which does not broadcast to the output (", p.m, ",", p.n, ")");
      }
      p.c_row = c2[0] == 1 ? 0 : c2[1];
      p.c_col = c2[1] == 1 ? 0 : 1;
    }
    dtype_ = a.dtype;
    outputs->assign(1, TensorInfo{a.dtype, {p.m, p.n}, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (dtype_ == DType::kF64) {
      RunGemm<double>(plan_, inputs[0].as<double>(), inputs[1].as<double>(),
                      plan_.has_c ? inputs[2].as<double>() : nullptr, outputs[0].as<double>());
    } else {
      RunGemm<float>(plan_, inputs[0].as<float>(), inputs[1].as<float>(),
                     plan_.has_c ? inputs[2].as<float>() : nullptr, outputs[0].as<float>());
    }
    return absl::OkStatus();
  }

 private:
  int64_t trans_a_ = 0;
  int64_t trans_b_ = 0;
  DType dtype_ = DType::kF32;
  GemmPlan plan_;
};

// numpy matmul: stacks of (M, K) x (K, N) with the batch dimensions broadcast; a 1-D A is a
// single row and a 1-D B a single column, whose unit dimension is dropped from the result.
struct MatMulPlan {
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  Shape batch;                     // broadcast batch shape
  std::vector<int64_t> a_strides;  // per batch dimension, in matrices of A (0 = broadcast)
  std::vector<int64_t> b_strides;
};

template <typename T>
void RunMatMul(const MatMulPlan& p, const T* a, const T* b, T* y) {
  using Acc = AccumulatorOf<T>;
  const size_t rank = p.batch.size();
  const int64_t batch_count = NumElements(p.batch);
  int64_t index[kNnMaxRank] = {};
  for (int64_t bi = 0; bi < batch_count; ++bi) {
    int64_t a_offset = 0;
    int64_t b_offset = 0;
    for (size_t d = 0; d < rank; ++d) {
      a_offset += index[d] * p.a_strides[d];
      b_offset += index[d] * p.b_strides[d];
    }
    const T* a_mat = a + a_offset * p.m * p.k;
    const T* b_mat = b + b_offset * p.k * p.n;
    T* y_mat = y + bi * p.m * p.n;
    for (int64_t i = 0; i < p.m; ++i) {
      for (int64_t j = 0; j < p.n; ++j) {
        Acc acc = 0;
        for (int64_t l = 0; l < p.k; ++l) {
          acc += static_cast<Acc>(a_mat[i * p.k + l]) * static_cast<Acc>(b_mat[l * p.n + j]);
        }
        y_mat[i * p.n + j] = static_cast<T>(acc);
      }
    }
    NextIndex(p.batch.data(), rank, index);
  }
}

class MatMulKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(std::make_unique<MatMulKernel>());
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    if (inputs.size() != 2 || !inputs[0].present() || !inputs[1].present()) {
      return KernelError("MatMul: expected inputs A and B, got ", inputs.size(), " inputs");
    }
    const TensorInfo& a = inputs[0];
    const TensorInfo& b = inputs[1];
    HB_RETURN_IF_ERROR(
        CheckDType("MatMul", a, "input 0 'A'",
                   {DType::kF32, DType::kF64, DType::kI32, DType::kI64, DType::kU32, DType::kU64}));
    HB_RETURN_IF_ERROR(CheckSameDType("MatMul", b, "input 1 'B'", a.dtype));
    if (a.shape.empty() || b.shape.empty()) {
      return KernelError("MatMul: inputs A ", ShapeString(a.shape), " and B ", ShapeString(b.shape),
                         " must have rank >= 1");
    }
    Shape a_shape = a.shape;
    Shape b_shape = b.shape;
    const bool a_vector = a_shape.size() == 1;
    const bool b_vector = b_shape.size() == 1;
    if (a_vector) a_shape.insert(a_shape.begin(), 1);
    if (b_vector) b_shape.push_back(1);
    MatMulPlan p;
    p.m = a_shape[a_shape.size() - 2];
    p.k = a_shape.back();
    p.n = b_shape.back();
    if (b_shape[b_shape.size() - 2] != p.k) {
      return KernelError("MatMul: A ", ShapeString(a.shape), " and B ", ShapeString(b.shape),
                         " have different inner dimensions ", p.k, " and ",
                         b_shape[b_shape.size() - 2]);
    }
    const Shape a_batch(a_shape.begin(), a_shape.end() - 2);
    const Shape b_batch(b_shape.begin(), b_shape.end() - 2);
    auto batch = BroadcastShapes(a_batch, b_batch);
    if (!batch.ok()) {
      return KernelError("MatMul: batch dimensions of A ", ShapeString(a.shape), " and B ",
                         ShapeString(b.shape), " cannot be broadcast together");
    }
    p.batch = *batch;
    if (p.batch.size() > static_cast<size_t>(kNnMaxRank)) {
      return KernelError("MatMul: ", p.batch.size(), " batch dimensions, at most ", kNnMaxRank,
                         " are supported");
    }
    p.a_strides = BroadcastStrides(a_batch, p.batch);
    p.b_strides = BroadcastStrides(b_batch, p.batch);
    Shape y_shape = p.batch;
    if (!a_vector) y_shape.push_back(p.m);
    if (!b_vector) y_shape.push_back(p.n);
    dtype_ = a.dtype;
    plan_ = std::move(p);
    outputs->assign(1, TensorInfo{a.dtype, y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    switch (dtype_) {
      case DType::kF64:
        return Typed<double>(inputs, outputs);
      case DType::kI32:
        return Typed<int32_t>(inputs, outputs);
      case DType::kI64:
        return Typed<int64_t>(inputs, outputs);
      case DType::kU32:
        return Typed<uint32_t>(inputs, outputs);
      case DType::kU64:
        return Typed<uint64_t>(inputs, outputs);
      default:
        return Typed<float>(inputs, outputs);
    }
  }

 private:
  template <typename T>
  absl::Status Typed(const std::vector<ConstTensorView>& inputs,
                     const std::vector<TensorView>& outputs) const {
    RunMatMul<T>(plan_, inputs[0].as<T>(), inputs[1].as<T>(), outputs[0].as<T>());
    return absl::OkStatus();
  }

  DType dtype_ = DType::kF32;
  MatMulPlan plan_;
};

}  // namespace

KernelOrError CreateGemmKernel(const KernelCreateArgs& args) { return GemmKernel::Create(args); }

KernelOrError CreateMatMulKernel(const KernelCreateArgs& args) {
  return MatMulKernel::Create(args);
}

}  // namespace hb_dnn::kernels::nn
