#ifndef HB_DNN_SRC_KERNELS_OP_REGISTRY_H_
#define HB_DNN_SRC_KERNELS_OP_REGISTRY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/kernels/op_kernel.h"

namespace hb_dnn::kernels {

// Kernels keyed by (domain, op type, version range, variant), TFLite-resolver style: the
// registration list is explicit (builtin_ops.cc), nothing registers itself by static init.
struct OpRegistration {
  std::string domain;  // "" = ai.onnx
  std::string op_type;
  int min_version;     // inclusive
  int max_version;     // inclusive
  KernelVariant variant;
  KernelFactory factory;
};

class OpRegistry {
 public:
  // The registry with every builtin kernel (RegisterBuiltinOps), built once, immutable after.
  static const OpRegistry& Builtin();

  void Add(OpRegistration registration);

  // The registration for the node: optimized when one exists and `prefer_optimized`, else
  // reference. Error (kInvalidModel) naming the op, version and the versions supported.
  absl::StatusOr<const OpRegistration*> Find(absl::string_view domain, absl::string_view op_type,
                                             int version, bool prefer_optimized = true) const;

  // Convenience: Find + factory.
  absl::StatusOr<std::unique_ptr<OpKernel>> Create(absl::string_view domain,
                                                   absl::string_view op_type,
                                                   const KernelCreateArgs& args,
                                                   bool prefer_optimized = true) const;

  bool Supports(absl::string_view domain, absl::string_view op_type) const;
  const std::vector<OpRegistration>& registrations() const { return registrations_; }

 private:
  std::vector<OpRegistration> registrations_;
};

// The explicit list: adds every builtin kernel to `registry`. Groups live in their own files.
void RegisterBuiltinOps(OpRegistry* registry);
void RegisterElementwiseOps(OpRegistry* registry);   // reference/elementwise*.cc
void RegisterNnOps(OpRegistry* registry);            // reference/nn*.cc (conv, pool, gemm, ...)
void RegisterTensorOps(OpRegistry* registry);        // reference/tensor*.cc (shape/data movement)
void RegisterOptimizedOps(OpRegistry* registry);     // optimized/*.cc (xsimd / oneTBB variants)
void RegisterOptimizedElementwiseOps(OpRegistry* registry);  // optimized/ew_*.cc, pool_*.cc
void RegisterInt8ReferenceOps(OpRegistry* registry);  // int8/reference/*.cc (hb_dnn.bpu)
void RegisterInt8OptimizedOps(OpRegistry* registry);  // int8/optimized/*.cc (hb_dnn.bpu)
void RegisterPreprocessOps(OpRegistry* registry);     // reference/preprocess.cc (hb_dnn)

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_OP_REGISTRY_H_
