#include "src/kernels/int8/requantize.h"

#include <limits>

#include "src/base/status.h"

namespace hb_dnn::kernels::int8 {
namespace {

bool ValidScale(float s) { return std::isfinite(s) && s > 0.0f; }

int32_t RoundToGrid(double real, double y_scale) {
  double q = std::nearbyint(real / y_scale);
  if (q < -128.0) return -128;
  if (q > 127.0) return 127;
  return static_cast<int32_t>(q);
}

}  // namespace

absl::StatusOr<float> ReadScale(const Attributes& attributes, absl::string_view name) {
  if (!attributes.Has(name)) {
    return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' (a scale) is required");
  }
  absl::StatusOr<float> scale = attributes.GetFloat(name, 0.0f);
  if (!scale.ok()) return scale.status();
  if (!ValidScale(*scale)) {
    return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' is ", *scale,
                  "; a scale must be positive and finite");
  }
  return *scale;
}

absl::StatusOr<std::vector<float>> ReadScales(const Attributes& attributes, absl::string_view name,
                                              int64_t channels) {
  if (!attributes.Has(name)) {
    return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' (scales) is required");
  }
  absl::StatusOr<std::vector<float>> scales = attributes.GetFloats(name);
  if (!scales.ok()) return scales.status();
  if (scales->size() != 1 && static_cast<int64_t>(scales->size()) != channels) {
    return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' has ", scales->size(),
                  " scales; expected 1 or ", channels);
  }
  for (size_t i = 0; i < scales->size(); ++i) {
    if (!ValidScale((*scales)[i])) {
      return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' [", i, "] is ",
                    (*scales)[i], "; a scale must be positive and finite");
    }
  }
  if (scales->size() == 1) scales->assign(static_cast<size_t>(channels), (*scales)[0]);
  return *std::move(scales);
}

absl::StatusOr<QuantBounds> ReadBounds(const Attributes& attributes, float y_scale) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  absl::StatusOr<float> lo = attributes.GetFloat("activation_min", -kInf);
  if (!lo.ok()) return lo.status();
  absl::StatusOr<float> hi = attributes.GetFloat("activation_max", kInf);
  if (!hi.ok()) return hi.status();
  if (std::isnan(*lo) || std::isnan(*hi) || *lo > *hi) {
    return Errorf(ErrorCode::kInvalidModel, "activation_min ", *lo, " / activation_max ", *hi,
                  " do not form a range");
  }
  QuantBounds bounds;
  if (std::isfinite(*lo)) bounds.q_min = RoundToGrid(*lo, y_scale);
  if (std::isfinite(*hi)) bounds.q_max = RoundToGrid(*hi, y_scale);
  return bounds;
}

absl::StatusOr<int> ReadOutputType(const Attributes& attributes) {
  absl::StatusOr<int64_t> type = attributes.GetInt("output_type", 8);
  if (!type.ok()) return type.status();
  if (*type != 8 && *type != 32) {
    return Errorf(ErrorCode::kInvalidModel, "attribute 'output_type' is ", *type,
                  "; expected 8 (int8) or 32 (int32)");
  }
  return static_cast<int>(*type);
}

}  // namespace hb_dnn::kernels::int8
