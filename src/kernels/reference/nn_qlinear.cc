// Quantized convolution and matrix product reference kernels of ai.onnx (opset 10+):
// ConvInteger and MatMulInteger return the int32 accumulators of the zero-point-shifted
// operands; QLinearConv and QLinearMatMul requantize them:
//   y = saturate(round_half_to_even(acc * multiplier) + y_zero_point),
//   multiplier = float(float(x_scale * w_scale) / y_scale)   (single precision, as the ONNX
//   reference computes it with float32 scales), acc * multiplier in double.
// QLinearConv adds its int32 bias B to the accumulator first. Padded positions contribute
// nothing (they equal the zero point, i.e. zero after the shift). Operands are uint8 or int8,
// independently. Per-channel parameters: QLinearConv's/ConvInteger's w_scale and w_zero_point
// may hold one value per output channel; QLinearMatMul's b_scale/b_zero_point and
// MatMulInteger's b_zero_point one per column of B, MatMulInteger's a_zero_point one per row of
// A. Scales and zero points are read at run time, so they need not be constants.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::nn {
namespace {

// Element i of a uint8/int8/int32 tensor, widened.
int32_t LoadInt(const void* data, DType dtype, int64_t i) {
  switch (dtype) {
    case DType::kU8: return static_cast<const uint8_t*>(data)[i];
    case DType::kI8: return static_cast<const int8_t*>(data)[i];
    default: return static_cast<const int32_t*>(data)[i];
  }
}

// A zero point (absent = 0) or scale, per tensor (one element) or indexed by `i`.
int32_t ZeroPointAt(const ConstTensorView& t, int64_t i) {
  if (!t.present()) return 0;
  return LoadInt(t.data, t.dtype, t.num_elements() == 1 ? 0 : i);
}
float ScaleAt(const ConstTensorView& t, int64_t i) {
  return t.as<float>()[t.num_elements() == 1 ? 0 : i];
}

// Requantization of one accumulator onto the uint8/int8 grid of `dtype`.
void StoreQuantized(double scaled, int32_t zero_point, DType dtype, void* out, int64_t i) {
  const double v = std::nearbyint(scaled) + zero_point;
  if (dtype == DType::kU8) {
    static_cast<uint8_t*>(out)[i] = static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
  } else {
    static_cast<int8_t*>(out)[i] = static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
  }
}

float Multiplier(float in_scale, float w_scale, float y_scale) {
  const float product = in_scale * w_scale;
  return product / y_scale;
}

constexpr std::initializer_list<DType> kQuantTypes = {DType::kU8, DType::kI8};

// Checks a scale (float32) or zero point (`dtype`) input: present unless `optional`, one element
// (scalar or shape (1)) or, when `channels` > 0, a 1-D tensor of `channels` entries.
absl::Status CheckParameter(const char* op, const std::vector<TensorInfo>& inputs, size_t index,
                            const char* name, DType dtype, int64_t channels, bool optional) {
  const std::string what = absl::StrCat("input ", index, " '", name, "'");
  if (index >= inputs.size() || !inputs[index].present()) {
    if (optional) return absl::OkStatus();
    return KernelError(op, ": ", what, " is required");
  }
  const TensorInfo& t = inputs[index];
  if (t.dtype != dtype) {
    return KernelError(op, ": ", what, " has type ", DTypeName(t.dtype), ", expected ",
                       DTypeName(dtype));
  }
  const bool scalar = t.num_elements() == 1 && t.shape.size() <= 1;
  const bool per_channel = channels > 0 && t.shape == Shape{channels};
  if (!scalar && !per_channel) {
    return KernelError(op, ": ", what, " has shape ", ShapeString(t.shape), " but must be a scalar",
                       channels > 0 ? absl::StrCat(" or have shape (", channels, ")") : "");
  }
  return absl::OkStatus();
}

// ---- convolution ----------------------------------------------------------------------------

// Validates X (input 0) and W (input `w_index`) and computes the geometry.
absl::Status PrepareIntConv(const char* op, const std::vector<TensorInfo>& inputs, size_t w_index,
                            const WindowAttributes& window, int64_t group, ConvPlan* p) {
  const TensorInfo& x = inputs[0];
  const TensorInfo& w = inputs[w_index];
  const std::string w_name = absl::StrCat("input ", w_index, " 'w'");
  HB_RETURN_IF_ERROR(CheckDType(op, x, "input 0 'x'", kQuantTypes));
  HB_RETURN_IF_ERROR(CheckDType(op, w, w_name.c_str(), kQuantTypes));
  if (x.shape.size() < 3 || x.shape.size() > kNnMaxRank + 2) {
    return KernelError(op, ": input 0 'x' has shape ", ShapeString(x.shape),
                       " but needs rank 3 to ", kNnMaxRank + 2, " (N, C, spatial...)");
  }
  if (w.shape.size() != x.shape.size()) {
    return KernelError(op, ": ", w_name, " has shape ", ShapeString(w.shape), " but needs rank ",
                       x.shape.size(), " like x ", ShapeString(x.shape));
  }
  *p = ConvPlanOf(x, w, group);
  if (p->in_channels % group != 0 || w.shape[1] * group != p->in_channels ||
      p->out_channels % group != 0) {
    return KernelError(op, ": ", w_name, " has shape ", ShapeString(w.shape), " but x ",
                       ShapeString(x.shape), " with group ", group,
                       " needs W dimension 1 = C / group and M a multiple of group");
  }
  HB_RETURN_IF_ERROR(CheckConvKernelShape(op, window, p->kernel, w));
  return ResolveConvWindow(op, window, p);
}

// Calls emit(m, output index, accumulator) for every output element in order; the accumulator
// of output channel m starts at bias[m] (null = 0).
template <typename Emit>
void RunIntConv(const ConvPlan& p, const ConstTensorView& x, int32_t x_zero_point,
                const ConstTensorView& w, const ConstTensorView& w_zero_point,
                const int32_t* bias, Emit emit) {
  const size_t rank = p.input.size();
  const int64_t in_size = NumElements(p.input);
  const int64_t out_size = NumElements(p.output);
  const int64_t kernel_size = NumElements(p.kernel);
  const int64_t cg = p.in_channels / p.group;
  const int64_t mg = p.out_channels / p.group;
  int64_t in_strides[kNnMaxRank];
  for (size_t d = rank; d-- > 0;) {
    in_strides[d] = d + 1 == rank ? 1 : in_strides[d + 1] * p.input[d + 1];
  }
  int64_t out_index = 0;
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t m = 0; m < p.out_channels; ++m) {
      const int64_t x_base = (n * p.in_channels + (m / mg) * cg) * in_size;
      const int64_t w_base = m * cg * kernel_size;
      const int32_t w_zp = ZeroPointAt(w_zero_point, m);
      int64_t o[kNnMaxRank] = {};
      for (int64_t i = 0; i < out_size; ++i) {
        int64_t acc = bias != nullptr ? bias[m] : 0;
        int64_t k[kNnMaxRank] = {};
        for (int64_t k_index = 0; k_index < kernel_size; ++k_index) {
          int64_t offset = 0;
          bool inside = true;
          for (size_t d = 0; d < rank && inside; ++d) {
            const int64_t pos = o[d] * p.strides[d] - p.pad_begin[d] + k[d] * p.dilations[d];
            inside = pos >= 0 && pos < p.input[d];
            offset += pos * in_strides[d];
          }
          if (inside) {
            for (int64_t c = 0; c < cg; ++c) {
              const int32_t xv = LoadInt(x.data, x.dtype, x_base + c * in_size + offset);
              const int32_t wv = LoadInt(w.data, w.dtype, w_base + c * kernel_size + k_index);
              acc += static_cast<int64_t>(xv - x_zero_point) * (wv - w_zp);
            }
          }
          NextIndex(p.kernel.data(), rank, k);
        }
        emit(m, out_index++, static_cast<int32_t>(acc));
        NextIndex(p.output.data(), rank, o);
      }
    }
  }
}

// ConvInteger(x, w, x_zero_point?, w_zero_point?) -> int32.
class ConvIntegerKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<ConvIntegerKernel>();
    HB_ASSIGN_OR_RETURN(kernel->window_, ReadWindowAttributes(args.attributes, "ConvInteger"));
    HB_ASSIGN_OR_RETURN(kernel->group_, ReadConvGroup(args.attributes, "ConvInteger"));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "ConvInteger";
    if (inputs.size() < 2 || inputs.size() > 4 || !inputs[0].present() || !inputs[1].present()) {
      return KernelError(kOp, ": expected inputs x, w and optional x_zero_point, w_zero_point, "
                         "got ", inputs.size(), " inputs");
    }
    HB_RETURN_IF_ERROR(PrepareIntConv(kOp, inputs, 1, window_, group_, &plan_));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 2, "x_zero_point", inputs[0].dtype, 0, true));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 3, "w_zero_point", inputs[1].dtype,
                                      plan_.out_channels, true));
    outputs->assign(1, TensorInfo{DType::kI32, plan_.OutputShape(), nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConstTensorView absent;
    const ConstTensorView& x_zp = inputs.size() > 2 ? inputs[2] : absent;
    const ConstTensorView& w_zp = inputs.size() > 3 ? inputs[3] : absent;
    int32_t* y = outputs[0].as<int32_t>();
    RunIntConv(plan_, inputs[0], ZeroPointAt(x_zp, 0), inputs[1], w_zp, nullptr,
               [y](int64_t, int64_t i, int32_t acc) { y[i] = acc; });
    return absl::OkStatus();
  }

 private:
  WindowAttributes window_;
  int64_t group_ = 1;
  ConvPlan plan_;
};

// QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B?).
class QLinearConvKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<QLinearConvKernel>();
    HB_ASSIGN_OR_RETURN(kernel->window_, ReadWindowAttributes(args.attributes, "QLinearConv"));
    HB_ASSIGN_OR_RETURN(kernel->group_, ReadConvGroup(args.attributes, "QLinearConv"));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "QLinearConv";
    if (inputs.size() < 8 || inputs.size() > 9 || !inputs[0].present() || !inputs[3].present()) {
      return KernelError(kOp, ": expected inputs x, x_scale, x_zero_point, w, w_scale, "
                         "w_zero_point, y_scale, y_zero_point and optional B, got ",
                         inputs.size(), " inputs");
    }
    HB_RETURN_IF_ERROR(PrepareIntConv(kOp, inputs, 3, window_, group_, &plan_));
    const int64_t m = plan_.out_channels;
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 1, "x_scale", DType::kF32, 0, false));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 2, "x_zero_point", inputs[0].dtype, 0, true));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 4, "w_scale", DType::kF32, m, false));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 5, "w_zero_point", inputs[3].dtype, m, true));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 6, "y_scale", DType::kF32, 0, false));
    if (!inputs[7].present()) return KernelError(kOp, ": input 7 'y_zero_point' is required");
    HB_RETURN_IF_ERROR(CheckDType(kOp, inputs[7], "input 7 'y_zero_point'", kQuantTypes));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 7, "y_zero_point", inputs[7].dtype, 0, false));
    plan_.has_bias = inputs.size() > 8 && inputs[8].present();
    if (plan_.has_bias) {
      HB_RETURN_IF_ERROR(CheckDType(kOp, inputs[8], "input 8 'B'", {DType::kI32}));
      HB_RETURN_IF_ERROR(CheckShape(kOp, inputs[8], "input 8 'B'", {m}));
    }
    y_type_ = inputs[7].dtype;
    outputs->assign(1, TensorInfo{y_type_, plan_.OutputShape(), nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const float x_scale = ScaleAt(inputs[1], 0);
    const float y_scale = ScaleAt(inputs[6], 0);
    const int32_t y_zp = ZeroPointAt(inputs[7], 0);
    const ConstTensorView& w_scale = inputs[4];
    const DType y_type = y_type_;
    void* y = outputs[0].data;
    RunIntConv(plan_, inputs[0], ZeroPointAt(inputs[2], 0), inputs[3], inputs[5],
               plan_.has_bias ? inputs[8].as<int32_t>() : nullptr,
               [&](int64_t m, int64_t i, int32_t acc) {
                 const float multiplier = Multiplier(x_scale, ScaleAt(w_scale, m), y_scale);
                 StoreQuantized(static_cast<double>(acc) * multiplier, y_zp, y_type, y, i);
               });
    return absl::OkStatus();
  }

 private:
  WindowAttributes window_;
  int64_t group_ = 1;
  ConvPlan plan_;
  DType y_type_ = DType::kU8;
};

// ---- matrix product -------------------------------------------------------------------------

// numpy matmul geometry: stacks of (rows, depth) x (depth, cols) with broadcast batch
// dimensions; a 1-D A is one row and a 1-D B one column (dropped from the output shape).
struct IntMatMulPlan {
  int64_t rows = 0;
  int64_t depth = 0;
  int64_t cols = 0;
  Shape batch;
  std::vector<int64_t> a_strides;  // per batch dimension, in matrices (0 = broadcast)
  std::vector<int64_t> b_strides;
  Shape y_shape;
};

absl::Status PrepareIntMatMul(const char* op, const TensorInfo& a, size_t b_index,
                              const TensorInfo& b, IntMatMulPlan* p) {
  const std::string b_name = absl::StrCat("input ", b_index, " 'b'");
  HB_RETURN_IF_ERROR(CheckDType(op, a, "input 0 'a'", kQuantTypes));
  HB_RETURN_IF_ERROR(CheckDType(op, b, b_name.c_str(), kQuantTypes));
  if (a.shape.empty() || b.shape.empty()) {
    return KernelError(op, ": inputs a ", ShapeString(a.shape), " and b ", ShapeString(b.shape),
                       " must have rank >= 1");
  }
  Shape a_shape = a.shape;
  Shape b_shape = b.shape;
  if (a.shape.size() == 1) a_shape.insert(a_shape.begin(), 1);
  if (b.shape.size() == 1) b_shape.push_back(1);
  p->rows = a_shape[a_shape.size() - 2];
  p->depth = a_shape.back();
  p->cols = b_shape.back();
  if (b_shape[b_shape.size() - 2] != p->depth) {
    return KernelError(op, ": a ", ShapeString(a.shape), " and b ", ShapeString(b.shape),
                       " have different inner dimensions ", p->depth, " and ",
                       b_shape[b_shape.size() - 2]);
  }
  const Shape a_batch(a_shape.begin(), a_shape.end() - 2);
  const Shape b_batch(b_shape.begin(), b_shape.end() - 2);
  absl::StatusOr<Shape> batch = BroadcastShapes(a_batch, b_batch);
  if (!batch.ok() || batch->size() > static_cast<size_t>(kNnMaxRank)) {
    return KernelError(op, ": batch dimensions of a ", ShapeString(a.shape), " and b ",
                       ShapeString(b.shape), " cannot be broadcast together (at most ",
                       kNnMaxRank, " batch dimensions)");
  }
  p->batch = *batch;
  p->a_strides = BroadcastStrides(a_batch, p->batch);
  p->b_strides = BroadcastStrides(b_batch, p->batch);
  p->y_shape = p->batch;
  if (a.shape.size() != 1) p->y_shape.push_back(p->rows);
  if (b.shape.size() != 1) p->y_shape.push_back(p->cols);
  return absl::OkStatus();
}

// Calls emit(column, output index, accumulator) for every output element in order.
template <typename Emit>
void RunIntMatMul(const IntMatMulPlan& p, const ConstTensorView& a, const ConstTensorView& a_zp,
                  const ConstTensorView& b, const ConstTensorView& b_zp, Emit emit) {
  const size_t rank = p.batch.size();
  const int64_t batch_count = NumElements(p.batch);
  int64_t index[kNnMaxRank] = {};
  int64_t out_index = 0;
  for (int64_t bi = 0; bi < batch_count; ++bi) {
    int64_t a_matrix = 0;
    int64_t b_matrix = 0;
    for (size_t d = 0; d < rank; ++d) {
      a_matrix += index[d] * p.a_strides[d];
      b_matrix += index[d] * p.b_strides[d];
    }
    const int64_t a_base = a_matrix * p.rows * p.depth;
    const int64_t b_base = b_matrix * p.depth * p.cols;
    for (int64_t i = 0; i < p.rows; ++i) {
      const int32_t a_offset = ZeroPointAt(a_zp, i);
      for (int64_t j = 0; j < p.cols; ++j) {
        const int32_t b_offset = ZeroPointAt(b_zp, j);
        int64_t acc = 0;
        for (int64_t l = 0; l < p.depth; ++l) {
          const int32_t av = LoadInt(a.data, a.dtype, a_base + i * p.depth + l);
          const int32_t bv = LoadInt(b.data, b.dtype, b_base + l * p.cols + j);
          acc += static_cast<int64_t>(av - a_offset) * (bv - b_offset);
        }
        emit(j, out_index++, static_cast<int32_t>(acc));
      }
    }
    NextIndex(p.batch.data(), rank, index);
  }
}

// MatMulInteger(A, B, a_zero_point?, b_zero_point?) -> int32.
class MatMulIntegerKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(std::make_unique<MatMulIntegerKernel>());
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "MatMulInteger";
    if (inputs.size() < 2 || inputs.size() > 4 || !inputs[0].present() || !inputs[1].present()) {
      return KernelError(kOp, ": expected inputs A, B and optional a_zero_point, b_zero_point, "
                         "got ", inputs.size(), " inputs");
    }
    HB_RETURN_IF_ERROR(PrepareIntMatMul(kOp, inputs[0], 1, inputs[1], &plan_));
    HB_RETURN_IF_ERROR(
        CheckParameter(kOp, inputs, 2, "a_zero_point", inputs[0].dtype, plan_.rows, true));
    HB_RETURN_IF_ERROR(
        CheckParameter(kOp, inputs, 3, "b_zero_point", inputs[1].dtype, plan_.cols, true));
    outputs->assign(1, TensorInfo{DType::kI32, plan_.y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const ConstTensorView absent;
    int32_t* y = outputs[0].as<int32_t>();
    RunIntMatMul(plan_, inputs[0], inputs.size() > 2 ? inputs[2] : absent, inputs[1],
                 inputs.size() > 3 ? inputs[3] : absent,
                 [y](int64_t, int64_t i, int32_t acc) { y[i] = acc; });
    return absl::OkStatus();
  }

 private:
  IntMatMulPlan plan_;
};

// QLinearMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point).
class QLinearMatMulKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs&) {
    return std::unique_ptr<OpKernel>(std::make_unique<QLinearMatMulKernel>());
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    constexpr char kOp[] = "QLinearMatMul";
    if (inputs.size() != 8 || !inputs[0].present() || !inputs[3].present()) {
      return KernelError(kOp, ": expected inputs a, a_scale, a_zero_point, b, b_scale, "
                         "b_zero_point, y_scale and y_zero_point, got ", inputs.size(), " inputs");
    }
    HB_RETURN_IF_ERROR(PrepareIntMatMul(kOp, inputs[0], 3, inputs[3], &plan_));
    const int64_t n = plan_.cols;
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 1, "a_scale", DType::kF32, 0, false));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 2, "a_zero_point", inputs[0].dtype, 0, false));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 4, "b_scale", DType::kF32, n, false));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 5, "b_zero_point", inputs[3].dtype, n, false));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 6, "y_scale", DType::kF32, 0, false));
    if (!inputs[7].present()) return KernelError(kOp, ": input 7 'y_zero_point' is required");
    HB_RETURN_IF_ERROR(CheckDType(kOp, inputs[7], "input 7 'y_zero_point'", kQuantTypes));
    HB_RETURN_IF_ERROR(CheckParameter(kOp, inputs, 7, "y_zero_point", inputs[7].dtype, 0, false));
    y_type_ = inputs[7].dtype;
    outputs->assign(1, TensorInfo{y_type_, plan_.y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const float a_scale = ScaleAt(inputs[1], 0);
    const float y_scale = ScaleAt(inputs[6], 0);
    const int32_t y_zp = ZeroPointAt(inputs[7], 0);
    const ConstTensorView& b_scale = inputs[4];
    const DType y_type = y_type_;
    void* y = outputs[0].data;
    RunIntMatMul(plan_, inputs[0], inputs[2], inputs[3], inputs[5],
                 [&](int64_t j, int64_t i, int32_t acc) {
                   const float multiplier = Multiplier(a_scale, ScaleAt(b_scale, j), y_scale);
                   StoreQuantized(static_cast<double>(acc) * multiplier, y_zp, y_type, y, i);
                 });
    return absl::OkStatus();
  }

 private:
  IntMatMulPlan plan_;
  DType y_type_ = DType::kU8;
};

}  // namespace

KernelOrError CreateConvIntegerKernel(const KernelCreateArgs& args) {
  return ConvIntegerKernel::Create(args);
}

KernelOrError CreateQLinearConvKernel(const KernelCreateArgs& args) {
  return QLinearConvKernel::Create(args);
}

KernelOrError CreateMatMulIntegerKernel(const KernelCreateArgs& args) {
  return MatMulIntegerKernel::Create(args);
}

KernelOrError CreateQLinearMatMulKernel(const KernelCreateArgs& args) {
  return QLinearMatMulKernel::Create(args);
}

}  // namespace hb_dnn::kernels::nn
