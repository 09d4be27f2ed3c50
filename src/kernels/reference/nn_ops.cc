// Registration list of the nn kernel group (filled in as kernels land).

#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {

void RegisterNnOps(OpRegistry* registry) { (void)registry; }

}  // namespace hb_dnn::kernels
