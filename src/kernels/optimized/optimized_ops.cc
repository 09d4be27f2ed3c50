// Registration list of the optimized kernels (each tested against its reference kernel).

#include "src/kernels/op_registry.h"

namespace hb_dnn::kernels {

void RegisterOptimizedOps(OpRegistry* registry) { (void)registry; }

}  // namespace hb_dnn::kernels
