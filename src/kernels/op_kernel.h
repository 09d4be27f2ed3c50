#ifndef HB_DNN_SRC_KERNELS_OP_KERNEL_H_
#define HB_DNN_SRC_KERNELS_OP_KERNEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/kernels/attributes.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels {

// One node's computation. Created per node from its attributes; Prepare runs once (model load or
// import); Run runs per inference.
//
// Contract:
// - Prepare validates input types/shapes and attributes and fills `outputs` (dtype + shape; a
//   kernel may also set `data` when it can compute a constant output at prepare time, but need
//   not). Errors are kInvalidModel with a message naming the offending input/attribute and
//   values, e.g. "input 1 'W' has shape (8,3,3) but Conv needs rank 4".
// - Run may be called concurrently from several threads on the same kernel (one model, several
//   tasks), so it must not mutate the kernel; per-call scratch comes from the stack or the
//   output buffers. Run must not allocate on the heap for the ops the executor's hot path uses
//   unless documented. Inputs and outputs never alias unless the kernel says it supports it.
// - Shapes at Run equal those given to Prepare (the runtime is static-shape).
// - `inputs` has one entry per node input; an omitted optional input has dtype kUndefined.
class OpKernel {
 public:
  virtual ~OpKernel() = default;
  virtual absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                               std::vector<TensorInfo>* outputs) = 0;
  virtual absl::Status Run(const std::vector<ConstTensorView>& inputs,
                           const std::vector<TensorView>& outputs) const = 0;
};

// Which implementation a registration is. Reference kernels are plain, single-threaded C++ and
// are the oracle every optimized kernel is tested against.
enum class KernelVariant { kReference, kOptimized };

struct KernelCreateArgs {
  const Attributes& attributes;
  int opset_version;       // the node's op version (ONNX opset of its domain)
  int num_inputs;          // as written in the node (including omitted optionals)
  int num_outputs;
};

using KernelFactory = absl::StatusOr<std::unique_ptr<OpKernel>> (*)(const KernelCreateArgs& args);

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_OP_KERNEL_H_
