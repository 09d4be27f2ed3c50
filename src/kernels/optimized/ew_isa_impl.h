#ifndef HB_DNN_SRC_KERNELS_OPTIMIZED_EW_ISA_IMPL_H_
#define HB_DNN_SRC_KERNELS_OPTIMIZED_EW_ISA_IMPL_H_

// The row functions of ew_isa.h written once over a vector policy `P`:
//   using F = ...;  a register of kWidth floats;  using M = ...;  its comparison mask
//   static constexpr int kWidth;
//   static F Splat(float);  static F Load(const float*);  static void Store(float*, F);
//   static F Select(M, F if_true, F if_false);  static M Or(M, M);  static M And(M, M);
//   static F Fma(F a, F b, F c);     a * b + c (fused where the ISA has it)
//   static F Floor(F);
//   static M IsNan(F);
//   static F Pow2(F n);              2^n for integral n in [-126, 127]
//   static F Even(const float* p);   p[0], p[2], ..., p[2 * kWidth - 2] (reads p[0 .. 2 kWidth))
// F supports + - * / and unary -, and < > >= == != giving M.
// Only the per-ISA units (ewisa_*.cc) include this, each with its own internal-linkage policy
// type, so no instantiation is shared between units compiled with different flags; every
// function here is a template on P for that reason.

#include <cstdint>

#include "src/kernels/optimized/ew_isa.h"

namespace hb_dnn::kernels::optimized::ew::impl {

// Applies `fn` to every vector of x; the last partial vector goes through a zero-padded buffer,
// so every element takes the same arithmetic path.
template <class P, class Fn>
inline void MapUnary(const float* x, float* y, int64_t n, Fn fn) {
  constexpr int kW = P::kWidth;
  int64_t i = 0;
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const typename P::F v0 = fn(P::Load(x + i));
    const typename P::F v1 = fn(P::Load(x + i + kW));
    P::Store(y + i, v0);
    P::Store(y + i + kW, v1);
  }
  for (; i + kW <= n; i += kW) P::Store(y + i, fn(P::Load(x + i)));
  if (i < n) {
    alignas(64) float buffer[kW];
    const int64_t rest = n - i;
    for (int64_t j = 0; j < kW; ++j) buffer[j] = j < rest ? x[i + j] : 0.0f;
    P::Store(buffer, fn(P::Load(buffer)));
    for (int64_t j = 0; j < rest; ++j) y[i + j] = buffer[j];
  }
}

// exp(x) by Cephes expf: x = n ln2 + r with |r| <= ln2 / 2 (ln2 split in two for an exact
// product), exp(r) by a degree-7 polynomial, times 2^n applied in two halves so that results
// down to the subnormal range come out right. Arguments are clamped to [-104, 88.72], outside
// which expf is 0 or overflows; NaN stays NaN.
template <class P>
inline typename P::F Exp(typename P::F x) {
  using F = typename P::F;
  const F lo = P::Splat(-104.0f);
  const F hi = P::Splat(88.72283f);
  x = P::Select(x < lo, lo, x);
  x = P::Select(x > hi, hi, x);
  const F n = P::Floor(P::Fma(x, P::Splat(1.44269504088896341f), P::Splat(0.5f)));
  F r = x - n * P::Splat(0.693359375f);
  r = r - n * P::Splat(-2.12194440e-4f);
  F p = P::Splat(1.9875691500e-4f);
  p = P::Fma(p, r, P::Splat(1.3981999507e-3f));
  p = P::Fma(p, r, P::Splat(8.3334519073e-3f));
  p = P::Fma(p, r, P::Splat(4.1665795894e-2f));
  p = P::Fma(p, r, P::Splat(1.6666665459e-1f));
  p = P::Fma(p, r, P::Splat(5.0000001201e-1f));
  p = P::Fma(p, r * r, r) + P::Splat(1.0f);
  const F n_half = P::Floor(n * P::Splat(0.5f));
  return p * P::Pow2(n_half) * P::Pow2(n - n_half);
}

// As the reference: 1 / (1 + exp(-x)) for x >= 0, exp(x) / (1 + exp(x)) below, so exp's
// argument is never positive.
template <class P>
inline typename P::F Sigmoid(typename P::F x) {
  using F = typename P::F;
  const typename P::M non_negative = x >= P::Splat(0.0f);
  const F e = Exp<P>(P::Select(non_negative, -x, x));
  return P::Select(non_negative, P::Splat(1.0f), e) / (P::Splat(1.0f) + e);
}

// Cephes tanhf: an odd polynomial below |x| = 0.625, 1 - 2 / (exp(2|x|) + 1) with x's sign
// above.
template <class P>
inline typename P::F Tanh(typename P::F x) {
  using F = typename P::F;
  const typename P::M negative = x < P::Splat(0.0f);
  const F ax = P::Select(negative, -x, x);
  const F z = x * x;
  F p = P::Splat(-5.70498872745e-3f);
  p = P::Fma(p, z, P::Splat(2.06390887954e-2f));
  p = P::Fma(p, z, P::Splat(-5.37397155531e-2f));
  p = P::Fma(p, z, P::Splat(1.33314422036e-1f));
  p = P::Fma(p, z, P::Splat(-3.33332819422e-1f));
  const F small = P::Fma(p * z, x, x);
  const F e = Exp<P>(ax + ax);
  F large = P::Splat(1.0f) - P::Splat(2.0f) / (e + P::Splat(1.0f));
  large = P::Select(negative, -large, large);
  return P::Select(ax < P::Splat(0.625f), small, large);
}

// Clamp that lets NaN through, checking the lower bound first (as the reference does).
template <class P>
inline typename P::F ClampKeepNan(typename P::F v, typename P::F lo, typename P::F hi) {
  v = P::Select(v < lo, lo, v);
  return P::Select(v > hi, hi, v);
}

template <class P>
void Relu(const float* x, float* y, int64_t n, const UnaryParams&) {
  const typename P::F zero = P::Splat(0.0f);
  MapUnary<P>(x, y, n, [&](typename P::F v) { return P::Select(v < zero, zero, v); });
}

template <class P>
void LeakyRelu(const float* x, float* y, int64_t n, const UnaryParams& params) {
  const typename P::F zero = P::Splat(0.0f);
  const typename P::F alpha = P::Splat(params.alpha);
  MapUnary<P>(x, y, n, [&](typename P::F v) { return P::Select(v < zero, alpha * v, v); });
}

template <class P>
void Clip(const float* x, float* y, int64_t n, const UnaryParams& params) {
  const typename P::F lo = P::Splat(params.lo);
  const typename P::F hi = P::Splat(params.hi);
  MapUnary<P>(x, y, n, [&](typename P::F v) { return ClampKeepNan<P>(v, lo, hi); });
}

template <class P>
void SigmoidRow(const float* x, float* y, int64_t n, const UnaryParams&) {
  MapUnary<P>(x, y, n, [](typename P::F v) { return Sigmoid<P>(v); });
}

template <class P>
void HardSigmoid(const float* x, float* y, int64_t n, const UnaryParams& params) {
  const typename P::F alpha = P::Splat(params.alpha);
  const typename P::F beta = P::Splat(params.beta);
  const typename P::F zero = P::Splat(0.0f);
  const typename P::F one = P::Splat(1.0f);
  MapUnary<P>(x, y, n,
              [&](typename P::F v) { return ClampKeepNan<P>(alpha * v + beta, zero, one); });
}

template <class P>
void HardSwish(const float* x, float* y, int64_t n, const UnaryParams&) {
  const typename P::F six = P::Splat(6.0f);
  const typename P::F half = P::Splat(0.5f);
  const typename P::F zero = P::Splat(0.0f);
  const typename P::F one = P::Splat(1.0f);
  MapUnary<P>(x, y, n, [&](typename P::F v) {
    return v * ClampKeepNan<P>(v / six + half, zero, one);
  });
}

template <class P>
void TanhRow(const float* x, float* y, int64_t n, const UnaryParams&) {
  MapUnary<P>(x, y, n, [](typename P::F v) { return Tanh<P>(v); });
}

// The binary op as a compile-time functor, so each (op, mode) row loop is specialized.
template <class P, BinaryOp kOp>
inline typename P::F ApplyBinary(typename P::F a, typename P::F b) {
  if constexpr (kOp == BinaryOp::kAdd) return a + b;
  if constexpr (kOp == BinaryOp::kSub) return a - b;
  if constexpr (kOp == BinaryOp::kMul) return a * b;
  if constexpr (kOp == BinaryOp::kDiv) return a / b;
}

template <class P, BinaryOp kOp>
void VectorVector(const float* a, const float* b, float* y, int64_t n) {
  constexpr int kW = P::kWidth;
  int64_t i = 0;
  for (; i + kW <= n; i += kW) {
    P::Store(y + i, ApplyBinary<P, kOp>(P::Load(a + i), P::Load(b + i)));
  }
  if (i < n) {
    alignas(64) float buffer_a[kW];
    alignas(64) float buffer_b[kW];
    const int64_t rest = n - i;
    for (int64_t j = 0; j < kW; ++j) {
      buffer_a[j] = j < rest ? a[i + j] : 1.0f;
      buffer_b[j] = j < rest ? b[i + j] : 1.0f;
    }
    P::Store(buffer_a, ApplyBinary<P, kOp>(P::Load(buffer_a), P::Load(buffer_b)));
    for (int64_t j = 0; j < rest; ++j) y[i + j] = buffer_a[j];
  }
}

template <class P, BinaryOp kOp>
void VectorScalar(const float* a, const float* b, float* y, int64_t n) {
  const typename P::F scalar = P::Splat(b[0]);
  MapUnary<P>(a, y, n, [&](typename P::F v) { return ApplyBinary<P, kOp>(v, scalar); });
}

template <class P, BinaryOp kOp>
void ScalarVector(const float* a, const float* b, float* y, int64_t n) {
  const typename P::F scalar = P::Splat(a[0]);
  MapUnary<P>(b, y, n, [&](typename P::F v) { return ApplyBinary<P, kOp>(scalar, v); });
}

// Whether `v` replaces the running maximum `best` (the reference's rule): larger, or the first
// NaN.
template <class P>
inline typename P::F MaxKeepFirst(typename P::F best, typename P::F v) {
  const typename P::M wins = P::Or(v > best, P::And(P::IsNan(v), best == best));
  return P::Select(wins, v, best);
}

template <class P>
inline float MaxKeepFirstScalar(float best, float v) {
  return v > best || (v != v && best == best) ? v : best;
}

// The maxima of kWidth consecutive windows starting at output column ox. Stride 2
// deinterleaves with Even, which reads one float past the last one it returns.
template <class P, int kStride>
inline typename P::F MaxPoolVector(const float* const* row_ptrs, int rows, int64_t kernel_w,
                                   int64_t ox) {
  auto load = [](const float* p) {
    if constexpr (kStride == 1) {
      return P::Load(p);
    } else {
      return P::Even(p);
    }
  };
  typename P::F best = load(row_ptrs[0] + kStride * ox);
  for (int r = 0; r < rows; ++r) {
    const float* row = row_ptrs[r] + kStride * ox;
    for (int64_t kx = r == 0 ? 1 : 0; kx < kernel_w; ++kx) {
      best = MaxKeepFirst<P>(best, load(row + kx));
    }
  }
  return best;
}

template <class P>
void MaxPoolRow(const float* const* row_ptrs, int rows, int64_t kernel_w, int64_t stride,
                float* y, int64_t out_count) {
  constexpr int kW = P::kWidth;
  int64_t ox = 0;
  // Full vectors, then one more ending at the last column it may read, overlapping the previous
  // one (recomputing a column gives the same value), so that at most one column is scalar.
  if (stride == 1 && out_count >= kW) {
    for (; ox + kW <= out_count; ox += kW) {
      P::Store(y + ox, MaxPoolVector<P, 1>(row_ptrs, rows, kernel_w, ox));
    }
    if (ox < out_count) {
      P::Store(y + out_count - kW, MaxPoolVector<P, 1>(row_ptrs, rows, kernel_w, out_count - kW));
      ox = out_count;
    }
  } else if (stride == 2 && out_count > kW) {
    for (; ox + kW < out_count; ox += kW) {
      P::Store(y + ox, MaxPoolVector<P, 2>(row_ptrs, rows, kernel_w, ox));
    }
    const int64_t last = out_count - 1 - kW;
    if (ox < out_count - 1) {
      P::Store(y + last, MaxPoolVector<P, 2>(row_ptrs, rows, kernel_w, last));
      ox = out_count - 1;
    }
  }
  for (; ox < out_count; ++ox) {
    const int64_t x0 = ox * stride;
    float best = row_ptrs[0][x0];
    for (int r = 0; r < rows; ++r) {
      const float* row = row_ptrs[r] + x0;
      for (int64_t kx = r == 0 ? 1 : 0; kx < kernel_w; ++kx) {
        best = MaxKeepFirstScalar<P>(best, row[kx]);
      }
    }
    y[ox] = best;
  }
}

template <class P, BinaryOp kOp>
void InitBinary(EwConfig* config) {
  BinaryFn* fns = config->binary[static_cast<int>(kOp)];
  fns[static_cast<int>(BinaryMode::kVectorVector)] = &VectorVector<P, kOp>;
  fns[static_cast<int>(BinaryMode::kVectorScalar)] = &VectorScalar<P, kOp>;
  fns[static_cast<int>(BinaryMode::kScalarVector)] = &ScalarVector<P, kOp>;
}

template <class P>
void Init(IsaLevel isa, const char* name, EwConfig* config) {
  config->isa = isa;
  config->name = name;
  config->unary[static_cast<int>(UnaryOp::kRelu)] = &Relu<P>;
  config->unary[static_cast<int>(UnaryOp::kLeakyRelu)] = &LeakyRelu<P>;
  config->unary[static_cast<int>(UnaryOp::kClip)] = &Clip<P>;
  config->unary[static_cast<int>(UnaryOp::kSigmoid)] = &SigmoidRow<P>;
  config->unary[static_cast<int>(UnaryOp::kHardSigmoid)] = &HardSigmoid<P>;
  config->unary[static_cast<int>(UnaryOp::kHardSwish)] = &HardSwish<P>;
  config->unary[static_cast<int>(UnaryOp::kTanh)] = &TanhRow<P>;
  InitBinary<P, BinaryOp::kAdd>(config);
  InitBinary<P, BinaryOp::kSub>(config);
  InitBinary<P, BinaryOp::kMul>(config);
  InitBinary<P, BinaryOp::kDiv>(config);
  config->max_pool_row = &MaxPoolRow<P>;
}

}  // namespace hb_dnn::kernels::optimized::ew::impl

#endif  // HB_DNN_SRC_KERNELS_OPTIMIZED_EW_ISA_IMPL_H_
