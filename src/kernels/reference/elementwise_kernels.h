// Factories of the elementwise group's reference kernels. The kernels themselves are private to
// their .cc files; these creator types exist so elementwise_ops.cc can register them with
// MakeFactory<...>(). An op whose semantics changed across opsets is registered once per version
// range, and its kernel reads KernelCreateArgs::opset_version.
#ifndef HB_DNN_SRC_KERNELS_REFERENCE_ELEMENTWISE_KERNELS_H_
#define HB_DNN_SRC_KERNELS_REFERENCE_ELEMENTWISE_KERNELS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "src/kernels/op_kernel.h"

namespace hb_dnn::kernels::elementwise {

using KernelOrError = absl::StatusOr<std::unique_ptr<OpKernel>>;

// One input, one output of the same shape (elementwise_unary.cc).
enum class UnaryOp {
  kRelu,
  kLeakyRelu,
  kSigmoid,
  kHardSigmoid,
  kHardSwish,
  kTanh,
  kElu,
  kSqrt,
  kExp,
  kLog,
  kErf,
  kAbs,
  kNeg,
  kReciprocal,
  kFloor,
  kCeil,
  kNot,
};
KernelOrError CreateUnaryKernel(UnaryOp op, const KernelCreateArgs& args);

template <UnaryOp kOp>
struct Unary {
  static KernelOrError Create(const KernelCreateArgs& args) { return CreateUnaryKernel(kOp, args); }
};

// Clip: min/max attributes before opset 11, optional inputs from 11 (elementwise_unary.cc).
struct Clip {
  static KernelOrError Create(const KernelCreateArgs& args);
};

// Two inputs with multidirectional broadcasting (elementwise_binary.cc).
enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kEqual,
  kGreater,
  kLess,
  kGreaterOrEqual,
  kLessOrEqual,
  kAnd,
  kOr,
};
KernelOrError CreateBinaryKernel(BinaryOp op, const KernelCreateArgs& args);

template <BinaryOp kOp>
struct Binary {
  static KernelOrError Create(const KernelCreateArgs& args) {
    return CreateBinaryKernel(kOp, args);
  }
};

// PRelu: slope broadcast unidirectionally to X (elementwise_binary.cc).
struct PRelu {
  static KernelOrError Create(const KernelCreateArgs& args);
};

// Where: three-way broadcasting select (elementwise_binary.cc).
struct Where {
  static KernelOrError Create(const KernelCreateArgs& args);
};

// Cast between all DTypes (elementwise_cast.cc).
struct Cast {
  static KernelOrError Create(const KernelCreateArgs& args);
};

// QuantizeLinear / DequantizeLinear, per tensor and (opset 13+) per axis
// (elementwise_quantize.cc).
struct QuantizeLinear {
  static KernelOrError Create(const KernelCreateArgs& args);
};
struct DequantizeLinear {
  static KernelOrError Create(const KernelCreateArgs& args);
};

// Softmax / LogSoftmax: 2-D coercion before opset 13, a single axis from 13
// (elementwise_softmax.cc).
KernelOrError CreateSoftmaxKernel(bool log, const KernelCreateArgs& args);

struct Softmax {
  static KernelOrError Create(const KernelCreateArgs& args) {
    return CreateSoftmaxKernel(false, args);
  }
};
struct LogSoftmax {
  static KernelOrError Create(const KernelCreateArgs& args) {
    return CreateSoftmaxKernel(true, args);
  }
};

// Reductions over a set of axes; ReduceSum takes its axes as an input from opset 13
// (elementwise_reduce.cc).
enum class ReduceOp { kSum, kMean, kMax, kMin, kProd };
KernelOrError CreateReduceKernel(ReduceOp op, const KernelCreateArgs& args);

template <ReduceOp kOp>
struct Reduce {
  static KernelOrError Create(const KernelCreateArgs& args) {
    return CreateReduceKernel(kOp, args);
  }
};

// ArgMax / ArgMin along one axis (elementwise_reduce.cc).
KernelOrError CreateArgReduceKernel(bool is_max, const KernelCreateArgs& args);

struct ArgMax {
  static KernelOrError Create(const KernelCreateArgs& args) {
    return CreateArgReduceKernel(true, args);
  }
};
struct ArgMin {
  static KernelOrError Create(const KernelCreateArgs& args) {
    return CreateArgReduceKernel(false, args);
  }
};

}  // namespace hb_dnn::kernels::elementwise

#endif  // HB_DNN_SRC_KERNELS_REFERENCE_ELEMENTWISE_KERNELS_H_
