// AVX-512 (x86-64-v4) fp32 GEMM variant: 8 x 32 tiles (16 zmm accumulators, two B vectors per
// k). Compiled with -march=x86-64-v4 (cmake/HbDnnKernelIsa.cmake); chosen at run time only on
// CPUs reporting that level.

#include "src/kernels/ukernels/f32_gemm.h"
#include "src/kernels/ukernels/f32_gemm_xsimd.h"
#include "src/kernels/ukernels/f32_pack_impl.h"

namespace hb_dnn::kernels::ukernels {
namespace {

using Arch = xsimd::avx512f;
constexpr int kMr = 8;
constexpr int kNv = 2;
constexpr int kNr = kNv * 16;

}  // namespace

void InitF32GemmAvx512(F32GemmConfig* config) {
  config->isa = IsaLevel::kAvx512;
  config->name = "avx512_8x32";
  config->mr = kMr;
  config->nr = kNr;
  gemm_impl::FillUkernels<Arch, kMr, kNv>(config);
  config->pack_matrix = &pack_impl::PackMatrixFor<Arch, kMr, kNr>;
  config->pack_im2col = &pack_impl::PackIm2ColFor<Arch, kMr, kNr>;
  config->transpose_store = &gemm_impl::TransposeStore<Arch>;
}

}  // namespace hb_dnn::kernels::ukernels
