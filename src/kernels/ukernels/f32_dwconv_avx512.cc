// AVX-512 depthwise plane kernel: 4 zmm accumulators (64 outputs) per row block. Compiled with
// -march=x86-64-v4.

#include "src/kernels/ukernels/f32_dwconv.h"
#include "src/kernels/ukernels/f32_dwconv_impl.h"
#include "src/kernels/ukernels/xsimd_vec.h"

namespace hb_dnn::kernels::ukernels {

void InitF32DwConvAvx512(F32DwConvConfig* config) {
  dwconv_impl::Init<xsimd_vec::Policy<xsimd::avx512f>>(IsaLevel::kAvx512, "avx512", config);
}

}  // namespace hb_dnn::kernels::ukernels
