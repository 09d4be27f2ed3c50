#ifndef HB_DNN_SRC_KERNELS_REFERENCE_TENSOR_COMMON_H_
#define HB_DNN_SRC_KERNELS_REFERENCE_TENSOR_COMMON_H_

// Helpers shared by the tensor (shape / data movement) reference kernels. The kernels move
// elements as opaque bytes of DTypeSize(dtype), so every dtype works without templates.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/kernels/attributes.h"
#include "src/kernels/tensor.h"

namespace hb_dnn::kernels {

// Checks that `op` got between `min_inputs` and `max_inputs` inputs and that the first
// `min_inputs` (the required ones) are present; the error names the op and the counts.
absl::Status CheckInputCount(const char* op, const std::vector<TensorInfo>& inputs,
                             size_t min_inputs, size_t max_inputs);

// Checks that the node declares between `min_outputs` and `max_outputs` outputs.
absl::Status CheckOutputCount(const char* op, int num_outputs, int min_outputs, int max_outputs);

// Checks that `tensor` is int32 or int64 (the index types of Gather, Scatter, ...).
absl::Status CheckIndexType(const char* op, const TensorInfo& tensor, const char* what);

// Element `i` of an int32 or int64 tensor's data, widened.
int64_t IndexAt(const void* data, DType dtype, int64_t i);

// Normalizes index `index` into a dimension of size `dim`: negative indices count from the end.
// Error naming `op`, `what` and the value when it is outside [-dim, dim).
absl::Status NormalizeIndex(const char* op, const char* what, int64_t dim, int64_t* index);

// Copies `bytes` bytes from `src` to `dst` (the reshape family). Does nothing when the pointers
// are equal or `bytes` is 0, so these kernels also work in place.
void CopyBytes(const void* src, void* dst, size_t bytes);

// How scatter ops combine an update with the existing element (`reduction` attribute, opset 16).
enum class Reduction { kNone, kAdd, kMul };

// The `reduction` attribute of `op`: absent or "none", "add", "mul"; error names other values.
absl::StatusOr<Reduction> ParseReduction(const char* op, const Attributes& attributes);

// dst = dst + src or dst * src for one element of the function's dtype.
using ReduceFn = void (*)(Reduction reduction, const char* src, char* dst);

// The reducer for `dtype`; null when it has no arithmetic here (bool, float16).
ReduceFn ReducerFor(DType dtype);

// A gather of a strided view of a source tensor into a dense destination, planned at prepare
// time: for every index (i_0, ..., i_{n-1}) of `shape` in row-major order, the next destination
// element is the source element at `offset + sum_k i_k * strides[k]` (offset and strides counted
// in elements; strides may be 0 to broadcast or negative to reverse). Transpose, Slice, Expand,
// Tile, DepthToSpace and SpaceToDepth are all such views. Run allocates nothing and is
// thread-safe.
class StridedCopy {
 public:
  StridedCopy() = default;
  StridedCopy(const Shape& shape, const std::vector<int64_t>& strides, int64_t offset,
              size_t element_size);

  void Run(const void* src, void* dst) const;

 private:
  // Copies the sub-view starting at dimension `dim` and returns the destination end.
  char* CopyDim(size_t dim, const char* src, char* dst) const;

  // Simplified plan: unit dimensions dropped, contiguous neighbours merged.
  Shape shape_;
  std::vector<int64_t> strides_;
  int64_t offset_ = 0;
  size_t element_size_ = 0;
  bool empty_ = true;
};

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_REFERENCE_TENSOR_COMMON_H_
