// Registration list of the tensor kernel group (filled in as kernels land).

#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {

void RegisterTensorOps(OpRegistry* registry) { (void)registry; }

}  // namespace hb_dnn::kernels
