// Registration list of the elementwise kernel group: activations, math functions, arithmetic and
// comparisons with broadcasting, logic, Where, Cast, quantize/dequantize, softmax, reductions.
//
// Version ranges start at the first opset with today's semantics and end at 17 (opset 18 moves
// the Reduce* axes to an input, 19 adds Cast/QuantizeLinear saturation). Where semantics changed
// inside the range the op is registered once per range: Clip (bounds attributes -> inputs at 11),
// QuantizeLinear/DequantizeLinear (per-axis at 13), Softmax/LogSoftmax (2-D coercion -> single
// axis at 13), ReduceSum (axes attribute -> input at 13).

#include "src/kernels/kernel_util.h"
#include "src/kernels/op_registry.h"
#include "src/kernels/reference/elementwise_kernels.h"

namespace hb_dnn::kernels {

void RegisterElementwiseOps(OpRegistry* registry) {
  using elementwise::ArgMax;
  using elementwise::ArgMin;
  using elementwise::Binary;
  using elementwise::BinaryOp;
  using elementwise::Cast;
  using elementwise::Clip;
  using elementwise::DequantizeLinear;
  using elementwise::LogSoftmax;
  using elementwise::PRelu;
  using elementwise::QuantizeLinear;
  using elementwise::Reduce;
  using elementwise::ReduceOp;
  using elementwise::Softmax;
  using elementwise::Unary;
  using elementwise::UnaryOp;
  using elementwise::Where;
  constexpr KernelVariant kRef = KernelVariant::kReference;

  // Activations.
  registry->Add({"", "Relu", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kRelu>>()});
  registry->Add({"", "LeakyRelu", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kLeakyRelu>>()});
  registry->Add({"", "PRelu", 7, 17, kRef, MakeFactory<PRelu>()});
  registry->Add({"", "Sigmoid", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kSigmoid>>()});
  registry->Add({"", "HardSigmoid", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kHardSigmoid>>()});
  registry->Add({"", "HardSwish", 14, 17, kRef, MakeFactory<Unary<UnaryOp::kHardSwish>>()});
  registry->Add({"", "Tanh", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kTanh>>()});
  registry->Add({"", "Elu", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kElu>>()});
  registry->Add({"", "Clip", 6, 10, kRef, MakeFactory<Clip>()});
  registry->Add({"", "Clip", 11, 17, kRef, MakeFactory<Clip>()});

  // Arithmetic (multidirectional broadcasting since opset 7).
  registry->Add({"", "Add", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kAdd>>()});
  registry->Add({"", "Sub", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kSub>>()});
  registry->Add({"", "Mul", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kMul>>()});
  registry->Add({"", "Div", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kDiv>>()});
  registry->Add({"", "Pow", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kPow>>()});

  // Math functions.
  registry->Add({"", "Sqrt", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kSqrt>>()});
  registry->Add({"", "Exp", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kExp>>()});
  registry->Add({"", "Log", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kLog>>()});
  registry->Add({"", "Erf", 9, 17, kRef, MakeFactory<Unary<UnaryOp::kErf>>()});
  registry->Add({"", "Abs", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kAbs>>()});
  registry->Add({"", "Neg", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kNeg>>()});
  registry->Add({"", "Reciprocal", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kReciprocal>>()});
  registry->Add({"", "Floor", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kFloor>>()});
  registry->Add({"", "Ceil", 6, 17, kRef, MakeFactory<Unary<UnaryOp::kCeil>>()});

  // Comparisons and logic.
  registry->Add({"", "Equal", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kEqual>>()});
  registry->Add({"", "Greater", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kGreater>>()});
  registry->Add({"", "Less", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kLess>>()});
  registry->Add(
      {"", "GreaterOrEqual", 12, 17, kRef, MakeFactory<Binary<BinaryOp::kGreaterOrEqual>>()});
  registry->Add({"", "LessOrEqual", 12, 17, kRef, MakeFactory<Binary<BinaryOp::kLessOrEqual>>()});
  registry->Add({"", "Not", 1, 17, kRef, MakeFactory<Unary<UnaryOp::kNot>>()});
  registry->Add({"", "And", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kAnd>>()});
  registry->Add({"", "Or", 7, 17, kRef, MakeFactory<Binary<BinaryOp::kOr>>()});
  registry->Add({"", "Where", 9, 17, kRef, MakeFactory<Where>()});

  // Type conversion and quantization.
  registry->Add({"", "Cast", 6, 17, kRef, MakeFactory<Cast>()});
  registry->Add({"", "QuantizeLinear", 10, 12, kRef, MakeFactory<QuantizeLinear>()});
  registry->Add({"", "QuantizeLinear", 13, 17, kRef, MakeFactory<QuantizeLinear>()});
  registry->Add({"", "DequantizeLinear", 10, 12, kRef, MakeFactory<DequantizeLinear>()});
  registry->Add({"", "DequantizeLinear", 13, 17, kRef, MakeFactory<DequantizeLinear>()});

  // Normalization.
  registry->Add({"", "Softmax", 1, 12, kRef, MakeFactory<Softmax>()});
  registry->Add({"", "Softmax", 13, 17, kRef, MakeFactory<Softmax>()});
  registry->Add({"", "LogSoftmax", 1, 12, kRef, MakeFactory<LogSoftmax>()});
  registry->Add({"", "LogSoftmax", 13, 17, kRef, MakeFactory<LogSoftmax>()});

  // Reductions.
  registry->Add({"", "ReduceSum", 1, 12, kRef, MakeFactory<Reduce<ReduceOp::kSum>>()});
  registry->Add({"", "ReduceSum", 13, 17, kRef, MakeFactory<Reduce<ReduceOp::kSum>>()});
  registry->Add({"", "ReduceMean", 1, 17, kRef, MakeFactory<Reduce<ReduceOp::kMean>>()});
  registry->Add({"", "ReduceMax", 1, 17, kRef, MakeFactory<Reduce<ReduceOp::kMax>>()});
  registry->Add({"", "ReduceMin", 1, 17, kRef, MakeFactory<Reduce<ReduceOp::kMin>>()});
  registry->Add({"", "ReduceProd", 1, 17, kRef, MakeFactory<Reduce<ReduceOp::kProd>>()});
  registry->Add({"", "ArgMax", 1, 17, kRef, MakeFactory<ArgMax>()});
  registry->Add({"", "ArgMin", 1, 17, kRef, MakeFactory<ArgMin>()});
}

}  // namespace hb_dnn::kernels
