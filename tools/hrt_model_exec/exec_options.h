#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_EXEC_OPTIONS_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_EXEC_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace hb_dnn::tools {

enum class Command { kModelInfo, kInfer, kPerf };

inline constexpr int kMaxThreadNum = 8;
inline constexpr int kMaxCoexistingTasks = 32;  // hbDNNInfer's limit
inline constexpr int kDefaultInferFrames = 1;
inline constexpr int kDefaultPerfFrames = 200;

// Per-model settings of a perf run, aligned with --model_name.
struct ModelRunOptions {
  std::string name;  // empty: the package's only model
  int priority = 0;  // 0..255
  int threads = 1;   // 1..kMaxThreadNum
  double fps = 0;    // submissions per second of this model; 0 = as fast as possible
};

// Everything the command line asks for, validated. Built from the Abseil flags of
// exec_options.cc by OptionsFromFlags().
struct ExecOptions {
  Command command = Command::kModelInfo;
  std::vector<std::string> model_files;
  std::vector<ModelRunOptions> models;  // at least one entry
  int core_id = 0;                      // 0 any, 1 core0, 2 core1
  std::vector<std::string> input_files;
  int frame_count = 0;  // resolved per subcommand default
  bool enable_dump = false;
  int dump_precision = 9;
  bool hybrid_dequantize = false;
  bool dump_txt = false;
  int dump_txt_axis = 4;
  std::string dump_path = ".";
  int dump_intermediate = 0;  // > 0: per-node dumps through HB_DNN_DUMP_PATH
  bool cls_post_process = false;
  int64_t perf_time_ms = 0;  // 0: frame_count applies
  int thread_num = 1;        // threads of a single-model perf run
  std::string profile_path;
  bool json = false;
  std::string trace_file;
  std::string sim_platform;        // value for HB_DNN_SIM_PLATFORM, empty: leave as is
  std::string sim_timing;          // value for HB_DNN_SIM_TIMING, empty: leave as is
  std::vector<std::string> notes;  // adjustments made, printed as warnings
};

// Validates the parsed flags for `subcommand` (the first positional argument). Errors name the
// flag and the value.
absl::StatusOr<ExecOptions> OptionsFromFlags(const std::string& subcommand);

// The usage text printed by -h / --help.
std::string UsageText();

// Rewrites the boolean flags into `--flag=value`: `--flag true|false|1|0|...` (both board
// forms), bare `--flag` (true) and `--noflag` (false). Abseil only takes a bool's value from
// `=`, and Debian's shared Abseil does not recognise bool flags of this binary as such (its
// type check compares per-library type ids), so every bool is given an explicit value.
std::vector<std::string> NormalizeBoolFlags(const std::vector<std::string>& args);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_EXEC_OPTIONS_H_
