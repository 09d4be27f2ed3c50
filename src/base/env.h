#ifndef HB_DNN_SRC_BASE_ENV_H_
#define HB_DNN_SRC_BASE_ENV_H_

#include <cstdint>
#include <optional>
#include <string>

namespace hb_dnn {

// The value of environment variable `name`, or nullopt when unset.
std::optional<std::string> GetEnv(const char* name);

// The variable parsed as a base-10 integer; nullopt when unset or not an integer.
std::optional<int64_t> GetEnvInt(const char* name);

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_ENV_H_
