#include "tools/hrt_model_exec/exec_options.h"

#include <set>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

ABSL_FLAG(std::string, model_file, "", "Model file paths, separated by commas.");
ABSL_FLAG(std::string, model_name, "",
          "Model name(s), separated by commas; required for infer/perf when the files hold more "
          "than one model. Several names run several models in one perf run.");
ABSL_FLAG(int32_t, core_id, 0, "BPU core: 0 any core, 1 core0, 2 core1.");
ABSL_FLAG(std::string, input_file, "",
          "Input files, separated by commas, one per model input: .bin (raw tensor), .txt "
          "(numbers) or .jpg/.png (image inputs, resized to the model). Without it, perf uses "
          "random data.");
ABSL_FLAG(bool, roi_infer, false, "Resizer-model (ROI) inference; not available in hb_dnn.");
ABSL_FLAG(std::string, roi, "", "ROIs 'l,t,r,b' separated by ';'; not available in hb_dnn.");
ABSL_FLAG(int32_t, frame_count, -1, "Frames to run: infer default 1, perf default 200.");
ABSL_FLAG(std::string, dump_intermediate, "0",
          "Per-layer dumps 0..3; accepted for compatibility, not available in hb_dnn.");
ABSL_FLAG(bool, enable_dump, false, "Dump the model inputs and outputs (infer).");
ABSL_FLAG(int32_t, dump_precision, 9, "Decimals of floating-point values in txt dumps.");
ABSL_FLAG(bool, hybrid_dequantize_process, false,
          "Dequantize SCALE/SHIFT outputs to float values in the dumps.");
ABSL_FLAG(std::string, dump_format, "bin", "Dump format: bin or txt.");
ABSL_FLAG(int32_t, dump_txt_axis, 4,
          "Line-break axis of txt dumps: a line holds dimensions [axis, n).");
ABSL_FLAG(std::string, dump_path, ".", "Directory of the dump files (hb_dnn extension).");
ABSL_FLAG(bool, enable_cls_post_process, false,
          "Print the top-5 classes of each classification output (infer).");
ABSL_FLAG(int32_t, perf_time, 0, "Perf duration in minutes; 0: frame_count applies.");
ABSL_FLAG(int64_t, perf_time_ms, 0,
          "Perf duration in milliseconds (hb_dnn extension); overrides perf_time.");
ABSL_FLAG(int32_t, thread_num, 1, "Perf threads, 1..8 (above 8 runs 8, as on the board).");
ABSL_FLAG(std::string, profile_path, "", "Directory where perf writes profiler.log.");
ABSL_FLAG(bool, json, false, "Print machine-readable JSON instead of the board's text.");
ABSL_FLAG(std::string, trace_file, "",
          "Write a Chrome-trace / Perfetto JSON timeline of the perf tasks to this file.");
ABSL_FLAG(std::string, march, "",
          "Simulated platform (bernoulli2 or bayes): sets HB_DNN_SIM_PLATFORM before loading.");
ABSL_FLAG(std::string, sim_timing, "",
          "Simulator timing mode (off, realtime, virtual): sets HB_DNN_SIM_TIMING before loading.");
ABSL_FLAG(int32_t, priority, 0, "Task priority 0..255 (255 preempts).");
ABSL_FLAG(std::string, model_priority, "", "Per-model priorities, aligned with model_name.");
ABSL_FLAG(std::string, model_thread_num, "", "Per-model perf threads, aligned with model_name.");
ABSL_FLAG(std::string, model_fps, "",
          "Per-model submission rates in frames/s (0 = as fast as possible), aligned with "
          "model_name.");

namespace hb_dnn::tools {
namespace {

absl::Status FlagError(absl::string_view flag, absl::string_view value, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, "=", value, ": ", why));
}

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    items.emplace_back(absl::StripAsciiWhitespace(item));
  }
  return items;
}

// Parses a comma list of numbers for `flag`; `parse` converts one item or returns false.
template <typename T, typename Parse>
absl::StatusOr<std::vector<T>> NumberList(absl::string_view flag, const std::string& text,
                                          Parse parse) {
  std::vector<T> values;
  for (const std::string& item : CommaList(text)) {
    T value{};
    if (!parse(item, &value))
      return FlagError(flag, text, absl::StrCat("'", item, "' is not a number"));
    values.push_back(value);
  }
  return values;
}

absl::Status CheckThreads(absl::string_view flag, int threads, int* clamped,
                          std::vector<std::string>* notes) {
  if (threads <= 0) return FlagError(flag, absl::StrCat(threads), "must be in [1, 8]");
  *clamped = threads;
  if (threads > kMaxThreadNum) {
    *clamped = kMaxThreadNum;
    notes->push_back(absl::StrCat("--", flag, "=", threads, " is above the maximum of ",
                                  kMaxThreadNum, "; running ", kMaxThreadNum,
                                  " threads (as on the board)"));
  }
  return absl::OkStatus();
}

absl::Status ResolveModels(ExecOptions* options) {
  std::vector<std::string> names = CommaList(absl::GetFlag(FLAGS_model_name));
  std::string priority_text = absl::GetFlag(FLAGS_model_priority);
  std::string threads_text = absl::GetFlag(FLAGS_model_thread_num);
  std::string fps_text = absl::GetFlag(FLAGS_model_fps);
  auto parse_int = [](absl::string_view s, int* v) { return absl::SimpleAtoi(s, v); };
  auto parse_double = [](absl::string_view s, double* v) { return absl::SimpleAtod(s, v); };
  absl::StatusOr<std::vector<int>> priorities =
      NumberList<int>("model_priority", priority_text, parse_int);
  if (!priorities.ok()) return priorities.status();
  absl::StatusOr<std::vector<int>> threads =
      NumberList<int>("model_thread_num", threads_text, parse_int);
  if (!threads.ok()) return threads.status();
  absl::StatusOr<std::vector<double>> fps = NumberList<double>("model_fps", fps_text, parse_double);
  if (!fps.ok()) return fps.status();

  size_t count = std::max<size_t>(names.size(), 1);
  auto check_length = [&](absl::string_view flag, const std::string& text, size_t n) {
    if (n == 0 || n == count) return absl::OkStatus();
    return FlagError(flag, text,
                     absl::StrCat("has ", n, " entries but --model_name names ", count,
                                  count == 1 ? " model" : " models"));
  };
  absl::Status status = check_length("model_priority", priority_text, priorities->size());
  if (status.ok()) status = check_length("model_thread_num", threads_text, threads->size());
  if (status.ok()) status = check_length("model_fps", fps_text, fps->size());
  if (!status.ok()) return status;

  std::set<std::string> seen;
  for (size_t i = 0; i < count; ++i) {
    ModelRunOptions run;
    if (i < names.size()) {
      run.name = names[i];
      if (!seen.insert(run.name).second) {
        return FlagError("model_name", absl::GetFlag(FLAGS_model_name),
                         absl::StrCat("model '", run.name, "' is named twice"));
      }
    }
    run.priority = priorities->empty() ? absl::GetFlag(FLAGS_priority) : (*priorities)[i];
    if (run.priority < 0 || run.priority > 255) {
      return FlagError(priorities->empty() ? "priority" : "model_priority",
                       absl::StrCat(run.priority), "a priority must be in [0, 255]");
    }
    if (threads->empty()) {
      run.threads = options->thread_num;
    } else {
      status = CheckThreads("model_thread_num", (*threads)[i], &run.threads, &options->notes);
      if (!status.ok()) return status;
    }
    run.fps = fps->empty() ? 0 : (*fps)[i];
    if (run.fps < 0) return FlagError("model_fps", fps_text, "a rate must be >= 0");
    options->models.push_back(run);
  }
  int total_threads = 0;
  for (const ModelRunOptions& run : options->models) total_threads += run.threads;
  if (total_threads > kMaxCoexistingTasks) {
    return FlagError("model_thread_num", threads_text,
                     absl::StrCat(total_threads, " threads in all; at most ", kMaxCoexistingTasks,
                                  " tasks can coexist (each thread keeps one task alive)"));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> NormalizeBoolFlags(const std::vector<std::string>& args) {
  static const std::set<std::string> kBoolFlags = {
      "roi_infer", "enable_dump", "hybrid_dequantize_process", "enable_cls_post_process", "json"};
  static const std::set<std::string> kBoolValues = {"true",  "false", "True", "False", "TRUE",
                                                    "FALSE", "1",     "0",    "yes",   "no"};
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    absl::string_view name = args[i];
    bool is_flag = i > 0 && (absl::ConsumePrefix(&name, "--") || absl::ConsumePrefix(&name, "-"));
    if (!is_flag) {
      out.push_back(args[i]);
      continue;
    }
    if (kBoolFlags.count(std::string(name)) > 0) {
      bool has_value = i + 1 < args.size() && kBoolValues.count(args[i + 1]) > 0;
      out.push_back(absl::StrCat("--", name, "=", has_value ? args[++i] : "true"));
      continue;
    }
    if (absl::ConsumePrefix(&name, "no") && kBoolFlags.count(std::string(name)) > 0) {
      out.push_back(absl::StrCat("--", name, "=false"));
      continue;
    }
    out.push_back(args[i]);
  }
  return out;
}

absl::StatusOr<ExecOptions> OptionsFromFlags(const std::string& subcommand) {
  ExecOptions options;
  if (subcommand == "model_info") {
    options.command = Command::kModelInfo;
  } else if (subcommand == "infer") {
    options.command = Command::kInfer;
  } else if (subcommand == "perf") {
    options.command = Command::kPerf;
  } else if (subcommand.empty()) {
    return absl::InvalidArgumentError("missing subcommand: model_info, infer or perf (see --help)");
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown subcommand '", subcommand, "': expected model_info, infer or perf"));
  }

  options.model_files = CommaList(absl::GetFlag(FLAGS_model_file));
  if (options.model_files.empty()) return absl::InvalidArgumentError("--model_file is required");

  options.core_id = absl::GetFlag(FLAGS_core_id);
  if (options.core_id < 0 || options.core_id > 2) {
    return FlagError("core_id", absl::StrCat(options.core_id),
                     "must be 0 (any core), 1 (core0) or 2 (core1)");
  }
  options.input_files = CommaList(absl::GetFlag(FLAGS_input_file));

  if (absl::GetFlag(FLAGS_roi_infer) || !absl::GetFlag(FLAGS_roi).empty()) {
    return absl::UnimplementedError(
        "--roi_infer/--roi: ROI inference is not available (hbDNNRoiInfer is not implemented in "
        "this hb_dnn release)");
  }

  int frame_count = absl::GetFlag(FLAGS_frame_count);
  if (frame_count == -1) {
    frame_count = options.command == Command::kPerf ? kDefaultPerfFrames : kDefaultInferFrames;
  } else if (frame_count < 1) {
    return FlagError("frame_count", absl::StrCat(frame_count), "must be >= 1");
  }
  options.frame_count = frame_count;

  std::string dump_intermediate = absl::GetFlag(FLAGS_dump_intermediate);
  int level = 0;
  if (!absl::SimpleAtoi(dump_intermediate, &level) || level < 0 || level > 3) {
    return FlagError("dump_intermediate", dump_intermediate, "must be 0, 1, 2 or 3");
  }
  options.dump_intermediate = level;

  options.enable_dump = absl::GetFlag(FLAGS_enable_dump);
  options.dump_precision = absl::GetFlag(FLAGS_dump_precision);
  if (options.dump_precision < 0 || options.dump_precision > 30) {
    return FlagError("dump_precision", absl::StrCat(options.dump_precision), "must be in [0, 30]");
  }
  options.hybrid_dequantize = absl::GetFlag(FLAGS_hybrid_dequantize_process);
  std::string format = absl::GetFlag(FLAGS_dump_format);
  if (format != "bin" && format != "txt") {
    return FlagError("dump_format", format, "must be bin or txt");
  }
  options.dump_txt = format == "txt";
  options.dump_txt_axis = absl::GetFlag(FLAGS_dump_txt_axis);
  if (options.dump_txt_axis < 0) {
    return FlagError("dump_txt_axis", absl::StrCat(options.dump_txt_axis), "must be >= 0");
  }
  options.dump_path = absl::GetFlag(FLAGS_dump_path);
  if (options.dump_path.empty()) options.dump_path = ".";
  options.cls_post_process = absl::GetFlag(FLAGS_enable_cls_post_process);

  int perf_minutes = absl::GetFlag(FLAGS_perf_time);
  if (perf_minutes < 0) {
    return FlagError("perf_time", absl::StrCat(perf_minutes), "must be >= 0 (minutes)");
  }
  int64_t perf_ms = absl::GetFlag(FLAGS_perf_time_ms);
  if (perf_ms < 0) return FlagError("perf_time_ms", absl::StrCat(perf_ms), "must be >= 0");
  options.perf_time_ms = perf_ms > 0 ? perf_ms : int64_t{perf_minutes} * 60 * 1000;

  absl::Status status = CheckThreads("thread_num", absl::GetFlag(FLAGS_thread_num),
                                     &options.thread_num, &options.notes);
  if (!status.ok()) return status;

  options.profile_path = absl::GetFlag(FLAGS_profile_path);
  options.json = absl::GetFlag(FLAGS_json);
  options.trace_file = absl::GetFlag(FLAGS_trace_file);

  std::string march = absl::AsciiStrToLower(absl::GetFlag(FLAGS_march));
  if (march == "bernoulli2") {
    options.sim_platform = "BERNOULLI2";
  } else if (march == "bayes") {
    options.sim_platform = "BAYES";
  } else if (!march.empty()) {
    return FlagError("march", absl::GetFlag(FLAGS_march),
                     "the simulator supports bernoulli2 (X3) and bayes (J5)");
  }
  options.sim_timing = absl::GetFlag(FLAGS_sim_timing);
  if (!options.sim_timing.empty() && options.sim_timing != "off" &&
      options.sim_timing != "realtime" && options.sim_timing != "virtual") {
    return FlagError("sim_timing", options.sim_timing, "must be off, realtime or virtual");
  }

  status = ResolveModels(&options);
  if (!status.ok()) return status;
  if (options.models.size() > 1 && options.command != Command::kPerf) {
    return FlagError("model_name", absl::GetFlag(FLAGS_model_name),
                     "several models run together only in perf");
  }
  return options;
}

std::string UsageText() {
  return R"(Usage: hrt_model_exec [Subcommand] [Option...]
---------------------------------------------------------------------------------------------
Subcommand:
  model_info    print the inputs and outputs of the models in --model_file
  infer         run --frame_count inferences on --input_file (dumps with --enable_dump)
  perf          multi-threaded throughput and latency (random inputs without --input_file)
  -h --help     display this information
  -v --version  display the dnn library version
---------------------------------------------------------------------------------------------
Options (--name=value or --name value; the last of repeated flags wins):
  --model_file [string]        model file paths, separated by commas
  --model_name [string]        model name(s), separated by commas; needed for infer/perf
                               when the files hold more than one model
  --core_id [int]              0 any core (default), 1 core0, 2 core1
  --input_file [string]        inputs separated by commas: .bin / .txt tensors, or
                               .jpg / .png images for image inputs (resized to the model)
  --roi_infer [bool]           resizer-model inference (not available in hb_dnn)
  --roi [string]               ROIs 'l,t,r,b;...' (not available in hb_dnn)
  --frame_count [int]          frames: infer default 1, perf default 200
  --dump_intermediate [int]    0..3: >0 dumps every node's outputs (HB_DNN_DUMP_PATH) under
                               dump_path/intermediate/<model>/
  --enable_dump [bool]         dump model inputs and outputs (infer)
  --dump_precision [int]       decimals of float values in txt dumps, default 9
  --hybrid_dequantize_process [bool]  dequantize SCALE/SHIFT outputs in the dumps
  --dump_format [string]       bin (default) or txt
  --dump_txt_axis [int]        line-break axis of txt dumps, default 4
  --enable_cls_post_process [bool]  print the top-5 classes of classification outputs
  --perf_time [int]            perf duration in minutes (0: frame_count applies)
  --thread_num [int]           perf threads 1..8 (above 8 runs 8), default 1
  --profile_path [string]      directory for profiler.log (perf)
hb_dnn extensions:
  --json                       machine-readable JSON output of any subcommand
  --trace_file [string]        Chrome-trace / Perfetto timeline of the perf tasks
  --march [string]             simulated platform: bernoulli2 or bayes
  --sim_timing [string]        simulator timing: off, realtime or virtual
  --priority [int]             task priority 0..255 (255 preempts)
  --model_priority [list]      per-model priorities, aligned with --model_name
  --model_thread_num [list]    per-model perf threads, aligned with --model_name
  --model_fps [list]           per-model frame rates (0 = as fast as possible)
  --perf_time_ms [int]         perf duration in milliseconds
  --dump_path [string]         directory of the dump files, default .
)";
}

}  // namespace hb_dnn::tools
