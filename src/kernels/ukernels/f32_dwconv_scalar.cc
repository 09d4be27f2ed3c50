// Portable depthwise plane kernel over 4-float groups in plain C++ (the compiler maps them to
// the baseline target's vectors).

#include "src/kernels/ukernels/f32_dwconv.h"
#include "src/kernels/ukernels/f32_dwconv_impl.h"

namespace hb_dnn::kernels::ukernels {
namespace {

struct Float4 {
  float v[4];
};

// The vector policy of f32_dwconv_impl.h over Float4. Internal linkage keeps its
// instantiations apart from the SIMD units'.
struct ScalarPolicy {
  using T = Float4;
  static constexpr int kWidth = 4;
  static T Splat(float x) { return T{{x, x, x, x}}; }
  static T Load(const float* p) { return T{{p[0], p[1], p[2], p[3]}}; }
  static void Store(float* p, const T& x) {
    for (int i = 0; i < 4; ++i) p[i] = x.v[i];
  }
  static T MulAdd(const T& x, const T& y, const T& z) {
    T r;
    for (int i = 0; i < 4; ++i) r.v[i] = x.v[i] * y.v[i] + z.v[i];
    return r;
  }
  static T Min(const T& a, const T& b) {
    T r;
    for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] < b.v[i] ? a.v[i] : b.v[i];
    return r;
  }
  static T Even(const float* p) { return T{{p[0], p[2], p[4], p[6]}}; }
  static void Transpose(T* rows) {
    for (int i = 0; i < 4; ++i) {
      for (int j = i + 1; j < 4; ++j) {
        const float t = rows[i].v[j];
        rows[i].v[j] = rows[j].v[i];
        rows[j].v[i] = t;
      }
    }
  }
  static T Max(const T& a, const T& b) {
    T r;
    for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] > b.v[i] ? a.v[i] : b.v[i];
    return r;
  }
};

}  // namespace

void InitF32DwConvScalar(F32DwConvConfig* config) {
  dwconv_impl::Init<ScalarPolicy>(IsaLevel::kScalar, "scalar", config);
}

}  // namespace hb_dnn::kernels::ukernels
