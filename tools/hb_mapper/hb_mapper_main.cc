// hb_mapper: the vendor's model conversion command, on the converter library (converter.h).
//
//   hb_mapper checker --model-type onnx --model M.onnx --march bernoulli2|bayes
//                     [--input-shape NAME 1x3x224x224]...
//   hb_mapper makertbin --config cfg.yaml --model-type onnx [--working-dir D] [--cal-data-dir D]
//   hb_mapper makecaldata --config cfg.yaml --source input_0.pb|synthetic_text [--count N]
//                         [--noise F] [--seed S] [--cal-data-dir D]
//   hb_mapper --help | -v
//
// Exit status: 0 on success, 1 when checking or converting fails, 2 on a usage error.

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/hb_mapper/calibration_data.h"
#include "tools/hb_mapper/calibration_maker.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/mapper_report.h"
#include "tools/hb_mapper/mapper_yaml.h"

namespace hb_dnn::mapper {
namespace {

constexpr char kVersion[] = HB_MAPPER_VERSION;

constexpr char kUsage[] =
    "usage: hb_mapper <command> [options]\n"
    "\n"
    "commands:\n"
    "  checker    check a model and show where each node runs\n"
    "             --model-type onnx --model M.onnx --march bernoulli2|bayes\n"
    "             [--input-shape NAME 1x3x224x224]...\n"
    "  makertbin  quantize and convert a model as its YAML config says\n"
    "             --config cfg.yaml --model-type onnx\n"
    "             [--working-dir DIR] [--cal-data-dir DIR]  (override the YAML's)\n"
    "  makecaldata  write deterministic float32/uint8 calibration files (the seed's\n"
    "             02_preprocess.sh output) into the YAML's cal_data_dir\n"
    "             --config cfg.yaml --source input_0.pb|synthetic_text [--count 6]\n"
    "             [--noise 0.1] [--seed 1234] [--cal-data-dir DIR]\n"
    "\n"
    "options:\n"
    "  -h, --help     show this help\n"
    "  -v, --version  show the version\n"
    "\n"
    "makertbin writes into the config's working_dir: <prefix>.hbm, hb_mapper_makertbin.log,\n"
    "<prefix>_report.txt and <prefix>_report.json.\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "hb_mapper: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

int Failure(const std::string& message) {
  std::fprintf(stderr, "ERROR %s\n", message.c_str());
  return 1;
}

// Options of a subcommand: "--flag value" or "--flag=value"; --input-shape takes NAME SHAPE.
struct Options {
  std::string model_type;
  std::string model;
  std::string march;
  std::string config;
  std::map<std::string, std::vector<int64_t>> input_shapes;
  std::string working_dir;   // overrides model_parameters.working_dir
  std::string cal_data_dir;  // overrides calibration_parameters.cal_data_dir (one input)
  CalibrationMakerOptions maker;
};

// Returns -1 to continue, otherwise the exit status.
int ParseOptions(const std::string& command, const std::vector<std::string>& args,
                 Options* options) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string inline_value;
    bool has_inline = false;
    size_t equals = flag.find('=');
    if (absl::StartsWith(flag, "--") && equals != std::string::npos) {
      inline_value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
      has_inline = true;
    }
    auto value = [&](std::string* out) -> bool {
      if (has_inline) {
        *out = inline_value;
        return true;
      }
      if (i + 1 >= args.size() || absl::StartsWith(args[i + 1], "--")) return false;
      *out = args[++i];
      return true;
    };
    if (flag == "--model-type") {
      if (!value(&options->model_type)) return UsageError("--model-type needs a value (onnx)");
    } else if (flag == "--model" && command == "checker") {
      if (!value(&options->model)) return UsageError("--model needs a path");
    } else if (flag == "--march" && command == "checker") {
      if (!value(&options->march)) return UsageError("--march needs bernoulli2 or bayes");
    } else if (flag == "--config" && command != "checker") {
      if (!value(&options->config)) return UsageError("--config needs a path");
    } else if (flag == "--working-dir" && command == "makertbin") {
      if (!value(&options->working_dir)) return UsageError("--working-dir needs a directory");
    } else if (flag == "--cal-data-dir" && command != "checker") {
      if (!value(&options->cal_data_dir)) return UsageError("--cal-data-dir needs a directory");
    } else if (flag == "--source" && command == "makecaldata") {
      if (!value(&options->maker.source)) {
        return UsageError("--source needs a TensorProto file (input_0.pb) or synthetic_text");
      }
    } else if ((flag == "--count" || flag == "--seed" || flag == "--noise") &&
               command == "makecaldata") {
      std::string text;
      if (!value(&text)) return UsageError(absl::StrCat(flag, " needs a number"));
      bool parsed = flag == "--count"  ? absl::SimpleAtoi(text, &options->maker.count)
                    : flag == "--seed" ? absl::SimpleAtoi(text, &options->maker.seed)
                                       : absl::SimpleAtod(text, &options->maker.noise);
      if (!parsed) return UsageError(absl::StrCat(flag, " '", text, "' is not a number"));
    } else if (flag == "--input-shape" && command == "checker") {
      std::string name, text;
      if (has_inline) {
        std::vector<std::string> parts = absl::StrSplit(inline_value, absl::MaxSplits(':', 1));
        if (parts.size() != 2) return UsageError("--input-shape=NAME:SHAPE needs a ':'");
        name = parts[0];
        text = parts[1];
      } else {
        if (i + 2 >= args.size()) return UsageError("--input-shape needs NAME and SHAPE");
        name = args[++i];
        text = args[++i];
      }
      absl::StatusOr<std::vector<int64_t>> shape = ParseInputShape(text);
      if (!shape.ok()) {
        return UsageError(absl::StrCat("--input-shape ", name, ": ", shape.status().message()));
      }
      if (!options->input_shapes.emplace(name, *shape).second) {
        return UsageError(absl::StrCat("--input-shape given twice for '", name, "'"));
      }
    } else {
      return UsageError(absl::StrCat("unknown argument '", args[i], "' for ", command));
    }
  }
  if (command == "makecaldata" && options->model_type.empty()) options->model_type = "onnx";
  if (options->model_type.empty()) return UsageError("--model-type is required (onnx)");
  if (options->model_type == "caffe") {
    return UsageError(
        "--model-type caffe is not supported: this hb_mapper converts ONNX models only "
        "(use --model-type onnx and a YAML with model_parameters.onnx_model)");
  }
  if (options->model_type != "onnx") {
    return UsageError(
        absl::StrCat("--model-type '", options->model_type, "' is not supported (onnx)"));
  }
  return -1;
}

int RunChecker(const Options& options) {
  if (options.model.empty()) return UsageError("checker: --model is required");
  if (options.march.empty())
    return UsageError("checker: --march is required (bernoulli2 or bayes)");
  if (options.march != "bernoulli2" && options.march != "bayes") {
    return UsageError(
        absl::StrCat("--march '", options.march, "' is not one of bernoulli2, bayes"));
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(options.model, error)) {
    return Failure(absl::StrCat("model file '", options.model, "' does not exist"));
  }
  CheckOptions check;
  check.march = options.march;
  check.input_shapes = options.input_shapes;
  std::fprintf(stderr, "INFO Start to parse the onnx model: %s\n", options.model.c_str());
  absl::StatusOr<std::vector<NodePlacement>> placements = CheckModel(options.model, check);
  if (!placements.ok()) return Failure(std::string(placements.status().message()));
  std::fputs(PlacementTable(*placements).c_str(), stdout);
  return 0;
}

// Writes to stderr and keeps the line for hb_mapper_makertbin.log.
class Log {
 public:
  void Info(const std::string& line) {
    std::fprintf(stderr, "INFO %s\n", line.c_str());
    lines_.push_back("INFO " + line);
  }
  void Add(const std::string& line) { lines_.push_back(line); }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

absl::Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    return absl::InternalError(absl::StrCat("cannot write '", path, "': ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

std::string LogPath(const MapperConfig& config) {
  return (std::filesystem::path(config.working_dir) / "hb_mapper_makertbin.log").string();
}

int FailWithLog(const MapperConfig& config, Log* log, const std::string& message) {
  log->Add("ERROR " + message);
  std::string text;
  for (const std::string& line : log->lines()) absl::StrAppend(&text, line, "\n");
  (void)WriteText(LogPath(config), text);
  return Failure(message);
}

// The YAML with the command line's directory overrides applied.
absl::StatusOr<MapperConfig> ReadConfig(const Options& options) {
  absl::StatusOr<MapperConfig> config = ReadMapperYaml(options.config);
  if (!config.ok()) return config;
  if (!options.working_dir.empty()) config->working_dir = options.working_dir;
  if (!options.cal_data_dir.empty()) {
    if (config->calibration.cal_data_dir.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--cal-data-dir: the model has ", config->calibration.cal_data_dir.size(),
          " cal_data_dir entries; set them in the YAML instead"));
    }
    config->calibration.cal_data_dir = {options.cal_data_dir};
  }
  return config;
}

int RunMakecaldata(const Options& options) {
  if (options.config.empty()) return UsageError("makecaldata: --config is required");
  if (options.maker.source.empty()) {
    return UsageError("makecaldata: --source is required (a TensorProto file or synthetic_text)");
  }
  absl::StatusOr<MapperConfig> config = ReadConfig(options);
  if (!config.ok()) return Failure(std::string(config.status().message()));
  absl::StatusOr<std::vector<CalibrationInput>> inputs = ResolveCalibrationInputs(*config);
  if (!inputs.ok()) return Failure(std::string(inputs.status().message()));
  if (inputs->size() != 1 || config->calibration.cal_data_dir.size() != 1) {
    return Failure(absl::StrCat("makecaldata writes the data of single-input models; '",
                                config->onnx_model, "' has ", inputs->size(),
                                " inputs and the YAML ", config->calibration.cal_data_dir.size(),
                                " cal_data_dir entries"));
  }
  const std::string& dir = config->calibration.cal_data_dir[0];
  absl::StatusOr<std::vector<std::string>> written =
      WriteCalibrationData(*config, 0, (*inputs)[0], dir, options.maker);
  if (!written.ok()) return Failure(std::string(written.status().message()));
  std::fprintf(stderr, "INFO wrote %zu %s calibration files of input '%s' (%s) into %s\n",
               written->size(), config->calibration.cal_data_type.c_str(),
               (*inputs)[0].name.c_str(), options.maker.source.c_str(), dir.c_str());
  return 0;
}

int RunMakertbin(const Options& options) {
  if (options.config.empty()) return UsageError("makertbin: --config is required");
  absl::StatusOr<MapperConfig> config = ReadConfig(options);
  if (!config.ok()) return Failure(std::string(config.status().message()));
  std::error_code error;
  if (!std::filesystem::is_regular_file(config->onnx_model, error)) {
    return Failure(
        absl::StrCat("model_parameters.onnx_model: '", config->onnx_model, "' does not exist"));
  }
  std::filesystem::create_directories(config->working_dir, error);
  if (error) {
    return Failure(absl::StrCat("model_parameters.working_dir: cannot create '",
                                config->working_dir, "': ", error.message()));
  }
  Log log;
  log.Info(absl::StrCat("hb_mapper ", kVersion, " makertbin --config ", options.config));
  log.Add("Config:");
  for (absl::string_view line : absl::StrSplit(DescribeConfig(*config), '\n', absl::SkipEmpty())) {
    log.Add(absl::StrCat("  ", line));
  }

  std::vector<CalibrationSample> samples;
  if (config->calibration.calibration_type != "load") {
    absl::StatusOr<std::vector<CalibrationInput>> inputs = ResolveCalibrationInputs(*config);
    if (!inputs.ok()) return FailWithLog(*config, &log, std::string(inputs.status().message()));
    absl::StatusOr<std::vector<CalibrationSample>> loaded = LoadCalibrationData(*config, *inputs);
    if (!loaded.ok()) return FailWithLog(*config, &log, std::string(loaded.status().message()));
    samples = std::move(*loaded);
    log.Info(absl::StrCat("Loaded ", samples.size(), " calibration samples (",
                          config->calibration.cal_data_type, ")"));
  }

  log.Info("Start to calibrate/quantize the model");
  const bool tty = isatty(STDERR_FILENO) == 1;
  ProgressFn progress = [tty](int done, int total) {
    if (!tty || total <= 0) return;
    constexpr int kWidth = 40;
    int filled = static_cast<int>(static_cast<int64_t>(done) * kWidth / total);
    std::fprintf(stderr, "\rcalibration [%s%s] %d/%d", std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '.').c_str(), done, total);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  };
  absl::StatusOr<ConversionResult> result = Convert(*config, samples, progress);
  if (!result.ok()) {
    return FailWithLog(*config, &log,
                       absl::StrCat("model conversion failed: ", result.status().message()));
  }
  for (const std::string& line : result->log) log.Add(line);
  std::string prefix =
      (std::filesystem::path(config->working_dir) / config->output_model_file_prefix).string();
  for (const auto& [path, text] :
       {std::pair<std::string, std::string>{prefix + "_report.txt", ReportText(*result)},
        {prefix + "_report.json", ReportJson(*result)}}) {
    absl::Status written = WriteText(path, text);
    if (!written.ok()) return FailWithLog(*config, &log, std::string(written.message()));
    log.Info(absl::StrCat("Report: ", path));
  }
  for (const OutputAccuracy& a : result->accuracy) {
    log.Info(absl::StrCat("output '", a.name, "': cosine ", a.cosine, ", max abs error ",
                          a.max_abs_error));
  }
  log.Info(absl::StrCat("Convert to runtime bin file successfully: ", result->model_path));
  std::string text;
  for (const std::string& line : log.lines()) absl::StrAppend(&text, line, "\n");
  absl::Status written = WriteText(LogPath(*config), text);
  if (!written.ok()) return Failure(std::string(written.message()));
  std::printf("%s\n", result->model_path.c_str());
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    return UsageError("a command is required (checker, makertbin or makecaldata)");
  }
  const std::string& command = args[0];
  if (command == "-h" || command == "--help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "-v" || command == "--version") {
    std::printf("hb_mapper %s\n", kVersion);
    return 0;
  }
  if (command != "checker" && command != "makertbin" && command != "makecaldata") {
    return UsageError(absl::StrCat("unknown command '", command,
                                   "' (checker, makertbin or makecaldata)"));
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const std::string& a : rest) {
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  Options options;
  int parsed = ParseOptions(command, rest, &options);
  if (parsed >= 0) return parsed;
  if (command == "checker") return RunChecker(options);
  return command == "makertbin" ? RunMakertbin(options) : RunMakecaldata(options);
}

}  // namespace
}  // namespace hb_dnn::mapper

int main(int argc, char** argv) { return hb_dnn::mapper::Main(argc, argv); }
