// AVX2 + FMA3 depthwise plane kernel: 4 ymm accumulators (32 outputs) per row block. Compiled
// with -mavx2 -mfma.

#include "src/kernels/ukernels/f32_dwconv.h"
#include "src/kernels/ukernels/f32_dwconv_impl.h"
#include "src/kernels/ukernels/xsimd_vec.h"

namespace hb_dnn::kernels::ukernels {

void InitF32DwConvAvx2(F32DwConvConfig* config) {
  dwconv_impl::Init<xsimd_vec::Policy<xsimd::fma3<xsimd::avx2>>>(IsaLevel::kAvx2, "avx2",
                                                                  config);
}

}  // namespace hb_dnn::kernels::ukernels
