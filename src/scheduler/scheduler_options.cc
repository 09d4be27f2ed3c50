#include "src/scheduler/scheduler_options.h"

#include <cstdint>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "src/base/env.h"

namespace hb_dnn::scheduler {
namespace {

int ReadInt(const char* name, int default_value, int min, int max,
            std::vector<std::string>* warnings) {
  std::optional<std::string> text = GetEnv(name);
  if (!text.has_value() || text->empty()) return default_value;
  int64_t value = 0;
  if (!absl::SimpleAtoi(*text, &value) || value < min || value > max) {
    if (warnings != nullptr) {
      warnings->push_back(absl::StrCat(name, "='", *text, "' is not an integer in [", min, ", ",
                                       max, "]; using ", default_value));
    }
    return default_value;
  }
  return static_cast<int>(value);
}

}  // namespace

Options OptionsFromEnv(std::vector<std::string>* warnings) {
  Options options;
  options.max_running = ReadInt("HB_MAX_TASK_NUM", 8, 1, 32, warnings);
  options.core_limit = ReadInt("BPLAT_CORELIMIT", 0, 0, 1024, warnings);
  return options;
}

}  // namespace hb_dnn::scheduler
