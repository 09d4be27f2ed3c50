// Registration list of the elementwise kernel group (filled in as kernels land).

#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {

void RegisterElementwiseOps(OpRegistry* registry) { (void)registry; }

}  // namespace hb_dnn::kernels
