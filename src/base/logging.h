#ifndef HB_DNN_SRC_BASE_LOGGING_H_
#define HB_DNN_SRC_BASE_LOGGING_H_

#include <sstream>

namespace hb_dnn {

// Levels as the board's HB_DNN_LOG_LEVEL documents them: a message is printed when its level is >=
// the configured level, and 0 turns logging off. Debug (1) and info (2) are ours.
enum class LogLevel : int { kNone = 0, kDebug = 1, kInfo = 2, kWarning = 3, kError = 4, kFatal = 5 };

// The configured level: HB_DNN_LOG_LEVEL read once (default kWarning; values outside 0..5 are
// ignored with a warning), unless SetLogLevel overrode it.
LogLevel CurrentLogLevel();
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

// One log line, written to stderr when destroyed, board style:
//   [E][DNN][model_loader.cc:120](2026-11-25,17:40:01.123) message
// Thread-safe: the line is assembled here and written with a single call.
class LogMessage {
 public:
  LogMessage(LogLevel level, const char* file, int line);
  ~LogMessage();
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;
  std::ostream& stream() { return stream_; }

 private:
  LogLevel level_;
  std::ostringstream stream_;
};

}  // namespace hb_dnn

#define HB_LOG(severity)                                                       \
  if (!::hb_dnn::LogEnabled(::hb_dnn::LogLevel::k##severity)) {                \
  } else                                                                       \
    ::hb_dnn::LogMessage(::hb_dnn::LogLevel::k##severity, __FILE__, __LINE__).stream()

#endif  // HB_DNN_SRC_BASE_LOGGING_H_
