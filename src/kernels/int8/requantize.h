#ifndef HB_DNN_SRC_KERNELS_INT8_REQUANTIZE_H_
#define HB_DNN_SRC_KERNELS_INT8_REQUANTIZE_H_

// The one requantization rule of the hb_dnn.bpu int8 kernels (docs/int8_numerics.md). Every
// variant (reference, scalar, AVX2, AVX-512 VNNI) must produce exactly these bytes:
//
//   y = clamp(saturate_int8(round_half_even((float)acc * multiplier)), q_min, q_max)
//
// Translation units that evaluate the rule are compiled with -ffp-contract=off (see
// src/kernels/CMakeLists.txt), so the multiply is never fused into something else.

#include <cmath>
#include <cstdint>
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
