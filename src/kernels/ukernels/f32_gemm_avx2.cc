// AVX2 + FMA3 fp32 GEMM variant: 6 x 16 tiles (12 ymm accumulators, two B vectors and one
// broadcast per k: 15 of the 16 ymm registers). Compiled with -mavx2 -mfma
// (cmake/HbDnnKernelIsa.cmake); chosen at run time only on CPUs reporting AVX2 and FMA.

#include "src/kernels/ukernels/f32_gemm.h"
#include "src/kernels/ukernels/f32_gemm_xsimd.h"
#include "src/kernels/ukernels/f32_pack_impl.h"

namespace hb_dnn::kernels::ukernels {
namespace {

using Arch = xsimd::fma3<xsimd::avx2>;
constexpr int kMr = 6;
constexpr int kNv = 2;
constexpr int kNr = kNv * 8;

}  // namespace

void InitF32GemmAvx2(F32GemmConfig* config) {
  config->isa = IsaLevel::kAvx2;
  config->name = "avx2_6x16";
  config->mr = kMr;
  config->nr = kNr;
  gemm_impl::FillUkernels<Arch, kMr, kNv>(config);
  config->pack_matrix = &pack_impl::PackMatrixFor<Arch, kMr, kNr>;
  config->pack_im2col = &pack_impl::PackIm2ColFor<Arch, kMr, kNr>;
  config->transpose_store = &gemm_impl::TransposeStore<Arch>;
}

}  // namespace hb_dnn::kernels::ukernels
