#include "src/base/env.h"

#include <cstdlib>

#include "absl/strings/numbers.h"

namespace hb_dnn {

std::optional<std::string> GetEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::optional<int64_t> GetEnvInt(const char* name) {
  std::optional<std::string> text = GetEnv(name);
  int64_t value = 0;
  if (!text.has_value() || !absl::SimpleAtoi(*text, &value)) return std::nullopt;
  return value;
}

}  // namespace hb_dnn
