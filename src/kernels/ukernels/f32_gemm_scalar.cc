// Portable fp32 GEMM variant: 4 x 8 tiles in plain C++ (the compiler vectorizes the column loop
// for the baseline target). The fallback on CPUs without AVX2 and on other architectures, and
// the third level the tests cover.

#include "src/kernels/ukernels/f32_gemm.h"
#include "src/kernels/ukernels/f32_pack_impl.h"

namespace hb_dnn::kernels::ukernels {
namespace {

// The ISA tag of this unit's pack_impl instantiations.
struct ScalarIsa {};

constexpr int kMr = 4;
constexpr int kNr = 8;

template <int kRows>
void ScalarTile(int64_t kc, const float* __restrict a, const float* __restrict b, int64_t ldb,
                float* __restrict c, int64_t ldc, const F32GemmParams& params) {
  float acc[kRows][kNr] = {};
  for (int64_t k = 0; k < kc; ++k) {
    for (int i = 0; i < kRows; ++i) {
      const float ai = a[i];
      for (int j = 0; j < kNr; ++j) acc[i][j] += ai * b[j];
    }
    a += kMr;
    b += ldb;
  }
  for (int i = 0; i < kRows; ++i) {
    float* ci = c + i * ldc;
    const float* bias_i =
        params.bias != nullptr ? params.bias + i * params.bias_row_stride : nullptr;
    for (int j = 0; j < kNr; ++j) {
      float r = acc[i][j];
      if (params.accumulate) r += ci[j];
      if (params.finalize) {
        r *= params.alpha;
        if (bias_i != nullptr) r += params.beta * bias_i[j * params.bias_col_stride];
        if (params.clamp) r = r < params.min ? params.min : (r > params.max ? params.max : r);
      }
      ci[j] = r;
    }
  }
}

void TransposeStore(const float* c, int64_t ldc, int64_t rows, int64_t cols, float* out,
                    int64_t out_stride, const F32GemmParams& params) {
  for (int64_t j = 0; j < cols; ++j) {
    const float bias =
        params.bias != nullptr ? params.beta * params.bias[j * params.bias_col_stride] : 0.0f;
    float* dst = out + j * out_stride;
    for (int64_t i = 0; i < rows; ++i) {
      float r = c[i * ldc + j] * params.alpha + bias;
      if (params.clamp) r = r < params.min ? params.min : (r > params.max ? params.max : r);
      dst[i] = r;
    }
  }
}

}  // namespace

void InitF32GemmScalar(F32GemmConfig* config) {
  config->isa = IsaLevel::kScalar;
  config->name = "scalar_4x8";
  config->mr = kMr;
  config->nr = kNr;
  config->ukernel[1] = &ScalarTile<1>;
  config->ukernel[2] = &ScalarTile<2>;
  config->ukernel[3] = &ScalarTile<3>;
  config->ukernel[4] = &ScalarTile<4>;
  config->pack_matrix = &pack_impl::PackMatrixFor<ScalarIsa, kMr, kNr>;
  config->pack_im2col = &pack_impl::PackIm2ColFor<ScalarIsa, kMr, kNr>;
  config->transpose_store = &TransposeStore;
}

}  // namespace hb_dnn::kernels::ukernels
