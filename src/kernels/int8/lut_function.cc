#include "src/kernels/int8/lut_function.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/base/status.h"

namespace hb_dnn::kernels::int8 {

double LutSpec::Evaluate(double x) const {
  double y = 0.0;
  switch (function) {
    case LutFunction::kSigmoid:
      y = 1.0 / (1.0 + std::exp(-x));
      break;
    case LutFunction::kHardSigmoid:
      y = std::fmax(0.0, std::fmin(1.0, alpha * x + beta));
      break;
    case LutFunction::kHardSwish:
      y = x * std::fmax(0.0, std::fmin(1.0, x / 6.0 + 0.5));
      break;
    case LutFunction::kSilu:
      y = x / (1.0 + std::exp(-x));
      break;
    case LutFunction::kTanh:
      y = std::tanh(x);
      break;
  }
  return y * post_mul + post_add;
}

int8_t LutSpec::Entry(double x, double y_scale, QuantBounds bounds) const {
  double q = std::nearbyint(Evaluate(x) / y_scale);
  q = std::fmax(q, static_cast<double>(bounds.q_min));
  q = std::fmin(q, static_cast<double>(bounds.q_max));
  return static_cast<int8_t>(q);
}

absl::StatusOr<LutSpec> ReadLutSpec(const Attributes& attributes, absl::string_view prefix) {
  const std::string function_key = absl::StrCat(prefix, "function");
  if (!attributes.Has(function_key)) {
    return Errorf(ErrorCode::kInvalidModel, "attribute '", function_key, "' is required");
  }
  absl::StatusOr<std::string> name = attributes.GetString(function_key, "");
  if (!name.ok()) return name.status();
  LutSpec spec;
  if (*name == "Sigmoid") {
    spec.function = LutFunction::kSigmoid;
  } else if (*name == "HardSigmoid") {
    spec.function = LutFunction::kHardSigmoid;
  } else if (*name == "HardSwish") {
    spec.function = LutFunction::kHardSwish;
  } else if (*name == "SiLU") {
    spec.function = LutFunction::kSilu;
  } else if (*name == "Tanh") {
    spec.function = LutFunction::kTanh;
  } else {
    return Errorf(ErrorCode::kInvalidModel, "attribute '", function_key, "' is '", *name,
                  "', expected Sigmoid, HardSigmoid, HardSwish, SiLU or Tanh");
  }
  struct Param {
    const char* name;
    float default_value;
    double* out;
  };
  for (const Param& p :
       {Param{"alpha", 0.2f, &spec.alpha}, Param{"beta", 0.5f, &spec.beta},
        Param{"post_mul", 1.0f, &spec.post_mul}, Param{"post_add", 0.0f, &spec.post_add}}) {
    const std::string key = absl::StrCat(prefix, p.name);
    absl::StatusOr<float> value = attributes.GetFloat(key, p.default_value);
    if (!value.ok()) return value.status();
    if (!std::isfinite(*value)) {
      return Errorf(ErrorCode::kInvalidModel, "attribute '", key, "' is ", *value,
                    "; it must be finite");
    }
    // Widened to double before the table is built (docs/int8_numerics.md).
    *p.out = static_cast<double>(*value);
  }
  return spec;
}

}  // namespace hb_dnn::kernels::int8
