// hrt_model_exec: the board's model runner on a host. Subcommands model_info, infer and perf;
// see docs/tools.md. Uses only the public libdnn API.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "hb_dnn/hb_dnn.h"
#include "tools/hrt_model_exec/exec_options.h"
#include "tools/hrt_model_exec/infer_command.h"
#include "tools/hrt_model_exec/model_info_command.h"
#include "tools/hrt_model_exec/packed_models.h"
#include "tools/hrt_model_exec/perf_command.h"

namespace hb_dnn::tools {
namespace {

int Fail(const absl::Status& status) {
  std::fflush(stdout);
  std::fprintf(stderr, "ERROR: %s\n", std::string(status.message()).c_str());
  return 1;
}

// Sets the simulator's environment before the first model load, which is when it is read.
void ApplySimulatorEnvironment(const ExecOptions& options) {
  if (!options.sim_platform.empty()) setenv("HB_DNN_SIM_PLATFORM", options.sim_platform.c_str(), 1);
  if (!options.sim_timing.empty()) setenv("HB_DNN_SIM_TIMING", options.sim_timing.c_str(), 1);
  // The runtime dumps every node's outputs at each run of a model loaded while this is set.
  if (options.dump_intermediate > 0) {
    std::string dir = options.dump_path + "/intermediate";
    setenv("HB_DNN_DUMP_PATH", dir.c_str(), 1);
  }
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == "-h" || args[i] == "--help" || args[i] == "-help") {
      std::fputs(UsageText().c_str(), stdout);
      return 0;
    }
    if (args[i] == "-v" || args[i] == "--version" || args[i] == "-version") {
      std::printf("hrt_model_exec: dnn library version %s\n", hbDNNGetVersion());
      return 0;
    }
  }
  args = NormalizeBoolFlags(args);
  std::vector<char*> c_args;
  for (std::string& arg : args) c_args.push_back(arg.data());
  absl::SetProgramUsageMessage("runs and measures hb_dnn models; see --help");
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(c_args.size()), c_args.data());
  std::string subcommand = positional.size() > 1 ? positional[1] : "";

  absl::StatusOr<ExecOptions> options = OptionsFromFlags(subcommand);
  if (!options.ok()) return Fail(options.status());
  for (size_t i = 2; i < positional.size(); ++i) {
    std::fprintf(stderr, "WARNING: extra argument '%s' ignored\n", positional[i]);
  }
  for (const std::string& note : options->notes) {
    std::fprintf(stderr, "WARNING: %s\n", note.c_str());
  }
  ApplySimulatorEnvironment(*options);

  if (!options->json) std::printf("[DNN] Runtime version = %s\n", hbDNNGetVersion());
  double load_ms = 0;
  absl::StatusOr<std::unique_ptr<PackedModels>> models =
      PackedModels::Load(options->model_files, &load_ms);
  if (!models.ok()) return Fail(models.status());
  if (!options->json) std::printf("Load model to DDR cost %.3fms.\n", load_ms);

  absl::Status status;
  switch (options->command) {
    case Command::kModelInfo:
      status = RunModelInfo(*options, **models, load_ms);
      break;
    case Command::kInfer:
      status = RunInfer(*options, **models);
      break;
    case Command::kPerf:
      status = RunPerf(*options, **models);
      break;
  }
  std::fflush(stdout);
  if (!status.ok()) return Fail(status);
  return 0;
}

}  // namespace
}  // namespace hb_dnn::tools

int main(int argc, char** argv) { return hb_dnn::tools::Main(argc, argv); }
