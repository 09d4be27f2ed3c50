// Registration list of the optimized elementwise and pooling kernels.

#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {

void RegisterOptimizedElementwiseOps(OpRegistry* registry) { (void)registry; }

}  // namespace hb_dnn::kernels
