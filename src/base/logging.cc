#include "src/base/logging.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "src/base/env.h"

namespace hb_dnn {
namespace {

constexpr int kUnset = -1;
std::atomic<int> g_level{kUnset};

char LevelLetter(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return 'D';
    case LogLevel::kInfo: return 'I';
    case LogLevel::kWarning: return 'W';
    case LogLevel::kError: return 'E';
    case LogLevel::kFatal: return 'F';
    case LogLevel::kNone: break;
  }
  return 'A';
}

int LevelFromEnvironment() {
  std::optional<int64_t> value = GetEnvInt("HB_DNN_LOG_LEVEL");
  if (!value.has_value()) {
    if (GetEnv("HB_DNN_LOG_LEVEL").has_value()) {
      std::fprintf(stderr, "[W][DNN] HB_DNN_LOG_LEVEL='%s' is not an integer; using 3 (warning)\n",
                   GetEnv("HB_DNN_LOG_LEVEL")->c_str());
    }
    return static_cast<int>(LogLevel::kWarning);
  }
  if (*value < 0 || *value > 5) {
    std::fprintf(stderr, "[W][DNN] HB_DNN_LOG_LEVEL=%lld is outside 0..5; using 3 (warning)\n",
                 static_cast<long long>(*value));
    return static_cast<int>(LogLevel::kWarning);
  }
  return static_cast<int>(*value);
}

const char* Basename(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash == nullptr ? path : slash + 1;
}

}  // namespace

LogLevel CurrentLogLevel() {
  int level = g_level.load(std::memory_order_relaxed);
  if (level == kUnset) {
    int from_env = LevelFromEnvironment();
    // Another thread may have raced us; either value came from the same environment.
    g_level.compare_exchange_strong(level, from_env);
    level = g_level.load(std::memory_order_relaxed);
  }
  return static_cast<LogLevel>(level);
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }

bool LogEnabled(LogLevel level) {
  LogLevel configured = CurrentLogLevel();
  return configured != LogLevel::kNone && static_cast<int>(level) >= static_cast<int>(configured);
}

LogMessage::LogMessage(LogLevel level, const char* file, int line) : level_(level) {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%d,%H:%M:%S", &local);
  char millis_text[8];
  std::snprintf(millis_text, sizeof(millis_text), "%03d", static_cast<int>(millis));
  stream_ << '[' << LevelLetter(level) << "][DNN][" << Basename(file) << ':' << line << "]("
          << stamp << '.' << millis_text << ") ";
}

LogMessage::~LogMessage() {
  stream_ << '\n';
  std::string line = stream_.str();
  std::fwrite(line.data(), 1, line.size(), stderr);
  if (level_ == LogLevel::kFatal) std::fflush(stderr);
}

}  // namespace hb_dnn
