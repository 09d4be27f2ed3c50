#ifndef HB_DNN_SRC_KERNELS_INT8_REQUANTIZE_H_
#define HB_DNN_SRC_KERNELS_INT8_REQUANTIZE_H_

// The one requantization rule of the hb_dnn.bpu int8 kernels (docs/int8_numerics.md). Every
// variant (reference, scalar, AVX2, AVX-512 VNNI) must produce exactly these bytes:
//
//   y = clamp(saturate_int8(round_half_even((float)acc * multiplier)), q_min, q_max)
//
// Translation units that evaluate the rule are compiled with -ffp-contract=off (see
// src/kernels/CMakeLists.txt), so the multiply is never fused into something else.

#include <algorithm>
#include <cmath>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/kernels/attributes.h"

namespace hb_dnn::kernels::int8 {

// The op domain of the BPU's int8 kernels.
inline constexpr char kBpuDomain[] = "hb_dnn.bpu";

// Fused-activation bounds in the quantized domain, from activation_min/activation_max (real
// units). Defaults are the int8 range.
struct QuantBounds {
  int32_t q_min = -128;
  int32_t q_max = 127;
};

// `in_scale * w_scale / y_scale` computed in double, rounded once to float (at Prepare).
inline float Multiplier(double in_scale, double w_scale, double y_scale) {
  return static_cast<float>(in_scale * w_scale / y_scale);
}

// The rule for one accumulator. `std::nearbyint` rounds half to even in the default rounding
// mode, as cvtps2dq does.
inline int8_t Requantize(int32_t acc, float multiplier, QuantBounds bounds) {
  float scaled = static_cast<float>(acc) * multiplier;
  float rounded = std::nearbyint(scaled);
  // Clamp in float first: a huge product must not overflow the int conversion.
  if (rounded < static_cast<float>(bounds.q_min)) return static_cast<int8_t>(bounds.q_min);
  if (rounded > static_cast<float>(bounds.q_max)) return static_cast<int8_t>(bounds.q_max);
  return static_cast<int8_t>(static_cast<int32_t>(rounded));
}

// The input grid of a fused function (lut_function.h): 12-bit signed, [-2048, 2047], 16 times
// finer than int8 over the same range; its table (4096 entries) stays in the L1 cache.
inline constexpr int32_t kFunctionGridHalf = 2048;
inline constexpr int32_t kFunctionTableSize = 2 * kFunctionGridHalf;

// The first step of a fused function: the accumulator on the function's input grid,
// rne(acc * multiplier) saturated to [-2048, 2047], as the table index 0..4095 (offset by 2048).
// Clamping before rounding gives the same integer (the bounds are integers); within +-2^22, adding
// and subtracting 1.5 * 2^23 rounds half to even in the default rounding mode without a libm call.
inline int32_t FunctionTableIndex(int32_t acc, float multiplier) {
  constexpr float kRoundingShift = 12582912.0f;  // 1.5 * 2^23
  constexpr float kLow = -static_cast<float>(kFunctionGridHalf);
  constexpr float kHigh = static_cast<float>(kFunctionGridHalf - 1);
  const float scaled = std::min(std::max(static_cast<float>(acc) * multiplier, kLow), kHigh);
  const float rounded = (scaled + kRoundingShift) - kRoundingShift;
  return static_cast<int32_t>(rounded) + kFunctionGridHalf;
}

// FunctionTableIndex of `count` accumulators into `index`, four at a time where SSE2 is there
// (the same operations in the same order, so the same results).
inline void FunctionTableIndices(const int32_t* acc, int64_t count, float multiplier,
                                 int32_t* index) {
  int64_t i = 0;
#if defined(__SSE2__)
  const __m128 m = _mm_set1_ps(multiplier);
  const __m128 low = _mm_set1_ps(-static_cast<float>(kFunctionGridHalf));
  const __m128 high = _mm_set1_ps(static_cast<float>(kFunctionGridHalf - 1));
  const __m128 shift = _mm_set1_ps(12582912.0f);
  const __m128i offset = _mm_set1_epi32(kFunctionGridHalf);
  for (; i + 4 <= count; i += 4) {
    __m128 v = _mm_cvtepi32_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(acc + i)));
    v = _mm_min_ps(_mm_max_ps(_mm_mul_ps(v, m), low), high);
    v = _mm_sub_ps(_mm_add_ps(v, shift), shift);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(index + i),
                     _mm_add_epi32(_mm_cvttps_epi32(v), offset));
  }
#endif
  for (; i < count; ++i) index[i] = FunctionTableIndex(acc[i], multiplier);
}

// One channel's `count` accumulators through a fused function's table (kFunctionTableSize
// entries) into y[i * y_stride]: the indices in vectorized slices, then the look-ups.
inline void ApplyFunctionTable(const int32_t* acc, int64_t count, float multiplier,
                               const int8_t* table, int8_t* y, int64_t y_stride) {
  constexpr int64_t kSlice = 256;
  int32_t index[kSlice];
  for (int64_t first = 0; first < count; first += kSlice) {
    const int64_t n = std::min(kSlice, count - first);
    FunctionTableIndices(acc + first, n, multiplier, index);
    int8_t* out = y + first * y_stride;
    for (int64_t i = 0; i < n; ++i) out[i * y_stride] = table[index[i]];
  }
}

// A real value in float already scaled to the output grid (Add, Resize): round, saturate, clamp.
inline int8_t SaturateRounded(float scaled, QuantBounds bounds) {
  float rounded = std::nearbyint(scaled);
  if (rounded < static_cast<float>(bounds.q_min)) return static_cast<int8_t>(bounds.q_min);
  if (rounded > static_cast<float>(bounds.q_max)) return static_cast<int8_t>(bounds.q_max);
  return static_cast<int8_t>(static_cast<int32_t>(rounded));
}

// Reads a required positive, finite scale attribute; kInvalidModel naming it otherwise.
absl::StatusOr<float> ReadScale(const Attributes& attributes, absl::string_view name);

// Reads a required list of positive, finite scales of length 1 or `channels`, expanded to
// `channels` entries.
absl::StatusOr<std::vector<float>> ReadScales(const Attributes& attributes, absl::string_view name,
                                              int64_t channels);

// activation_min/activation_max (real units, optional) mapped onto the output grid of `y_scale`.
absl::StatusOr<QuantBounds> ReadBounds(const Attributes& attributes, float y_scale);

// output_type: 8 (int8, default) or 32 (int32 accumulators, no requantization).
absl::StatusOr<int> ReadOutputType(const Attributes& attributes);

}  // namespace hb_dnn::kernels::int8

#endif  // HB_DNN_SRC_KERNELS_INT8_REQUANTIZE_H_
