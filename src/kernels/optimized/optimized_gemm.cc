// Optimized fp32 Gemm and MatMul on the blocked GEMM driver. Constant operands (the weights of
// fully-connected layers) are packed once at Prepare; the others are packed per call. Gemm's
// alpha, beta and C (any unidirectional broadcast) are the driver's fused epilogue. MatMul folds
// the batch dimensions of A into M when B is a single matrix, and otherwise runs one GEMM per
// batch element (broadcast like numpy). Other dtypes run on the wrapped reference kernel.

#include <algorithm>
#include <memory>
#include <vector>

#include "src/base/aligned_buffer.h"
#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/optimized/gemm_driver.h"
#include "src/kernels/optimized/optimized_kernels.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"
#include "src/kernels/ukernels/f32_gemm.h"

namespace hb_dnn::kernels::optimized {
namespace {

using ukernels::F32GemmConfig;
using ukernels::F32StridedMatrix;

// Below this many multiply-adds per GEMM, a batch of GEMMs is spread over the threads whole.
constexpr int64_t kSmallGemmMacs = int64_t{1} << 21;

// A packed constant operand: `count` matrices of PackedOperandSize floats each.
struct PackedConstant {
  AlignedBytes bytes;
  int64_t stride = 0;  // floats per matrix

  const float* matrix(int64_t i) const {
    return reinterpret_cast<const float*>(bytes.get()) + i * stride;
  }
};

// Packs `count` logical (k x cols) matrices, matrix i at `x` shifted by i * matrix_stride.
absl::Status PackConstant(const F32GemmConfig& config, const F32StridedMatrix& x,
                          int64_t matrix_stride, int64_t count, int64_t k, int64_t cols,
                          int width, const char* op, PackedConstant* packed) {
  packed->stride = PackedOperandSize(k, cols, width);
  packed->bytes = AllocateAligned(packed->stride * count * sizeof(float));
  if (packed->bytes == nullptr) {
    return KernelError(op, ": cannot allocate ", packed->stride * count * 4,
                       " bytes for a packed operand");
  }
  for (int64_t i = 0; i < count; ++i) {
    F32StridedMatrix xi = x;
    xi.base += i * matrix_stride;
    PackOperand(config, xi, k, cols, width,
                reinterpret_cast<float*>(packed->bytes.get()) + i * packed->stride);
  }
  return absl::OkStatus();
}

class GemmKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args, IsaLevel isa) {
    auto kernel = std::unique_ptr<GemmKernel>(new GemmKernel(isa));
    HB_ASSIGN_OR_RETURN(kernel->reference_, nn::CreateGemmKernel(args));
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(kernel->alpha_, attributes.GetFloat("alpha", 1.0f));
    HB_ASSIGN_OR_RETURN(kernel->beta_, attributes.GetFloat("beta", 1.0f));
    HB_ASSIGN_OR_RETURN(kernel->trans_a_, attributes.GetInt("transA", 0));
    HB_ASSIGN_OR_RETURN(kernel->trans_b_, attributes.GetInt("transB", 0));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    use_reference_ = true;
    packed_a_ = PackedConstant();
    packed_b_ = PackedConstant();
    const TensorInfo& a = inputs[0];
    const TensorInfo& b = inputs[1];
    m_ = trans_a_ ? a.shape[1] : a.shape[0];
    k_ = trans_a_ ? a.shape[0] : a.shape[1];
    n_ = trans_b_ ? b.shape[0] : b.shape[1];
    if (a.dtype != DType::kF32 || m_ == 0 || n_ == 0 || k_ == 0) return absl::OkStatus();
    use_reference_ = false;
    // A^T (k x m) and B (k x n) as strided views; base pointers are filled in per call.
    a_t_ = {nullptr, trans_a_ ? a.shape[1] : 1, trans_a_ ? 1 : a.shape[1]};
    b_ = {nullptr, trans_b_ ? 1 : b.shape[1], trans_b_ ? b.shape[1] : 1};
    has_c_ = inputs.size() > 2 && inputs[2].present() && beta_ != 0.0f;
    if (has_c_) {
      Shape c = inputs[2].shape;
      while (c.size() < 2) c.insert(c.begin(), 1);
      c_row_stride_ = c[0] == 1 ? 0 : c[1];
      c_col_stride_ = c[1] == 1 ? 0 : 1;
    }
    if (b.data != nullptr) {
      F32StridedMatrix bm = b_;
      bm.base = b.as<float>();
      HB_RETURN_IF_ERROR(
          PackConstant(config_, bm, 0, 1, k_, n_, config_.nr, "Gemm", &packed_b_));
    }
    if (a.data != nullptr) {
      F32StridedMatrix am = a_t_;
      am.base = a.as<float>();
      HB_RETURN_IF_ERROR(
          PackConstant(config_, am, 0, 1, k_, m_, config_.mr, "Gemm", &packed_a_));
    }
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (use_reference_) return reference_->Run(inputs, outputs);
    F32StridedMatrix a_t = a_t_;
    a_t.base = inputs[0].as<float>();
    F32StridedMatrix b = b_;
    b.base = inputs[1].as<float>();
    GemmOperand a_op;
    GemmOperand b_op;
    if (packed_a_.bytes != nullptr) {
      a_op.prepacked = packed_a_.matrix(0);
    } else {
      a_op.matrix = &a_t;
    }
    if (packed_b_.bytes != nullptr) {
      b_op.prepacked = packed_b_.matrix(0);
    } else {
      b_op.matrix = &b;
    }
    GemmOutput out{outputs[0].as<float>(), n_, false};
    GemmEpilogue epilogue;
    epilogue.alpha = alpha_;
    if (has_c_) {
      epilogue.beta = beta_;
      epilogue.bias = inputs[2].as<float>();
      epilogue.bias_row_stride = c_row_stride_;
      epilogue.bias_col_stride = c_col_stride_;
    }
    RunGemm(config_, m_, n_, k_, a_op, b_op, out, epilogue);
    return absl::OkStatus();
  }

 private:
  explicit GemmKernel(IsaLevel isa) : config_(ukernels::GetF32GemmConfig(isa)) {}

  const F32GemmConfig& config_;
  std::unique_ptr<OpKernel> reference_;
  float alpha_ = 1.0f;
  float beta_ = 1.0f;
  int64_t trans_a_ = 0;
  int64_t trans_b_ = 0;

  // Prepared.
  bool use_reference_ = true;
  int64_t m_ = 0;
  int64_t n_ = 0;
  int64_t k_ = 0;
  F32StridedMatrix a_t_;
  F32StridedMatrix b_;
  bool has_c_ = false;
  int64_t c_row_stride_ = 0;
  int64_t c_col_stride_ = 0;
  PackedConstant packed_a_;
  PackedConstant packed_b_;
};

class MatMulKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args, IsaLevel isa) {
    auto kernel = std::unique_ptr<MatMulKernel>(new MatMulKernel(isa));
    HB_ASSIGN_OR_RETURN(kernel->reference_, nn::CreateMatMulKernel(args));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
    use_reference_ = true;
    packed_b_ = PackedConstant();
    const TensorInfo& a = inputs[0];
    const TensorInfo& b = inputs[1];
    if (a.dtype != DType::kF32) return absl::OkStatus();
    Shape a_shape = a.shape;
    Shape b_shape = b.shape;
    if (a_shape.size() == 1) a_shape.insert(a_shape.begin(), 1);
    if (b_shape.size() == 1) b_shape.push_back(1);
    m_ = a_shape[a_shape.size() - 2];
    k_ = a_shape.back();
    n_ = b_shape.back();
    const Shape a_batch(a_shape.begin(), a_shape.end() - 2);
    const Shape b_batch(b_shape.begin(), b_shape.end() - 2);
    HB_ASSIGN_OR_RETURN(batch_, BroadcastShapes(a_batch, b_batch));
    a_strides_ = BroadcastStrides(a_batch, batch_);
    b_strides_ = BroadcastStrides(b_batch, batch_);
    b_matrices_ = NumElements(b_batch);
    if (m_ == 0 || n_ == 0 || k_ == 0 || NumElements(batch_) == 0) return absl::OkStatus();
    use_reference_ = false;
    // One matrix B for the whole batch: fold A's batch into M (A is dense, so its matrices
    // stack into one tall matrix, and so do the outputs).
    fold_batch_ = b_matrices_ == 1;
    fold_rows_ = NumElements(a_batch) * m_;
    if (b.data != nullptr) {
      const F32StridedMatrix bm{b.as<float>(), n_, 1};
      HB_RETURN_IF_ERROR(PackConstant(config_, bm, k_ * n_, b_matrices_, k_, n_, config_.nr,
                                      "MatMul", &packed_b_));
    }
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    if (use_reference_) return reference_->Run(inputs, outputs);
    const float* a = inputs[0].as<float>();
    const float* b = inputs[1].as<float>();
    float* y = outputs[0].as<float>();
    const GemmEpilogue epilogue;
    if (fold_batch_) {
      RunOne(a, b, 0, fold_rows_, y, epilogue, true);
      return absl::OkStatus();
    }
    const int64_t count = NumElements(batch_);
    const size_t rank = batch_.size();
    auto run_range = [&](int64_t begin, int64_t end, bool parallel) {
      int64_t index[nn::kNnMaxRank] = {};
      // The counters of element `begin`.
      int64_t rest = begin;
      for (size_t d = rank; d-- > 0;) {
        index[d] = rest % batch_[d];
        rest /= batch_[d];
      }
      for (int64_t bi = begin; bi < end; ++bi) {
        int64_t a_offset = 0;
        int64_t b_offset = 0;
        for (size_t d = 0; d < rank; ++d) {
          a_offset += index[d] * a_strides_[d];
          b_offset += index[d] * b_strides_[d];
        }
        RunOne(a + a_offset * m_ * k_, b + b_offset * k_ * n_, b_offset, m_, y + bi * m_ * n_,
               epilogue, parallel);
        nn::NextIndex(batch_.data(), rank, index);
      }
    };
    if (m_ * n_ * k_ < kSmallGemmMacs && count > 1) {
      ParallelFor(0, count, 1, [&](int64_t begin, int64_t end) { run_range(begin, end, false); });
    } else {
      run_range(0, count, true);
    }
    return absl::OkStatus();
  }

 private:
  explicit MatMulKernel(IsaLevel isa) : config_(ukernels::GetF32GemmConfig(isa)) {}

  // One (rows x k) * (k x n) product; `b_index` picks the prepacked B matrix.
  void RunOne(const float* a, const float* b, int64_t b_index, int64_t rows, float* y,
              const GemmEpilogue& epilogue, bool parallel) const {
    const F32StridedMatrix a_t{a, 1, k_};
    const F32StridedMatrix bm{b, n_, 1};
    GemmOperand a_op;
    a_op.matrix = &a_t;
    GemmOperand b_op;
    if (packed_b_.bytes != nullptr) {
      b_op.prepacked = packed_b_.matrix(b_index);
    } else {
      b_op.matrix = &bm;
    }
    RunGemm(config_, rows, n_, k_, a_op, b_op, GemmOutput{y, n_, false}, epilogue, parallel);
  }

  const F32GemmConfig& config_;
  std::unique_ptr<OpKernel> reference_;

  // Prepared.
  bool use_reference_ = true;
  int64_t m_ = 0;
  int64_t n_ = 0;
  int64_t k_ = 0;
  Shape batch_;
  std::vector<int64_t> a_strides_;
  std::vector<int64_t> b_strides_;
  int64_t b_matrices_ = 1;
  bool fold_batch_ = false;
  int64_t fold_rows_ = 0;
  PackedConstant packed_b_;
};

}  // namespace

KernelOrError CreateGemmKernelForIsa(const KernelCreateArgs& args, IsaLevel isa) {
  return GemmKernel::Create(args, isa);
}

KernelOrError CreateGemmKernel(const KernelCreateArgs& args) {
  return GemmKernel::Create(args, ActiveIsaLevel());
}

KernelOrError CreateMatMulKernelForIsa(const KernelCreateArgs& args, IsaLevel isa) {
  return MatMulKernel::Create(args, isa);
}

KernelOrError CreateMatMulKernel(const KernelCreateArgs& args) {
  return MatMulKernel::Create(args, ActiveIsaLevel());
}

}  // namespace hb_dnn::kernels::optimized
