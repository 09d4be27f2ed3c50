// hb_onnx_convert: converts an fp32 ONNX model into an hbm model file whose nodes run on the CPU
// kernels. All logic lives in tools/onnx_import; this file only parses the command line.
//
//   hb_onnx_convert --model m.onnx --output m.hbm [--name NAME] [--march bernoulli2|bayes]
//                   [--input-shape NAME 1x3x224x224]... [--no-fold] [--no-fuse-bn] [--no-fuse-act] [--verbose]
//
// Exit status: 0 on success, 1 when the conversion fails, 2 on a usage error.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/onnx_import/onnx_importer.h"

namespace {

constexpr char kUsage[] =
    "usage: hb_onnx_convert --model m.onnx --output m.hbm [--name NAME]\n"
    "                       [--march bernoulli2|bayes] [--input-shape NAME 1x3x224x224]...\n"
    "                       [--no-fold] [--no-fuse-bn] [--no-fuse-act] [--verbose]\n"
    "  --model        fp32 ONNX model (opset 9..17)\n"
    "  --output       hbm file to write\n"
    "  --name         model name in the file (default: the ONNX graph name)\n"
    "  --march        bernoulli2 (default) or bayes\n"
    "  --input-shape  static shape for an input with dynamic dimensions (repeatable)\n"
    "  --no-fold      keep constant subgraphs instead of evaluating them\n"
    "  --no-fuse-bn   keep BatchNormalization nodes instead of folding them into Conv\n"
    "  --no-fuse-act  keep Relu/Clip nodes instead of folding them into the Conv before them\n"
    "  --verbose      also print what the importer changed or assumed\n";

struct CommandLine {
  std::string model;
  std::string output;
  bool verbose = false;
  hb_dnn::onnx_import::ImportOptions options;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "hb_onnx_convert: %s\n%s", message.c_str(), kUsage);
  return 2;
}

// Parses argv into `command`; returns -1 to continue, otherwise the exit status.
int Parse(int argc, char** argv, CommandLine* command) {
  std::vector<std::string> args(argv + 1, argv + argc);
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
    // The value of a one-argument flag: after '=' or the next argument.
    auto value = [&](std::string* out) -> bool {
      if (has_inline) {
        *out = inline_value;
        return true;
      }
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    if (flag == "-h" || flag == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (flag == "--model") {
      if (!value(&command->model)) return UsageError("--model needs a path");
    } else if (flag == "--output") {
      if (!value(&command->output)) return UsageError("--output needs a path");
    } else if (flag == "--name") {
      if (!value(&command->options.model_name)) return UsageError("--name needs a value");
    } else if (flag == "--march") {
      if (!value(&command->options.march)) return UsageError("--march needs a value");
    } else if (flag == "--input-shape") {
      // Two arguments (NAME SHAPE), or one joined by '=' and ':' (--input-shape=NAME:SHAPE).
      std::string name, shape_text;
      if (has_inline) {
        size_t colon = inline_value.rfind(':');
        if (colon == std::string::npos) return UsageError("--input-shape=NAME:SHAPE needs a ':'");
        name = inline_value.substr(0, colon);
        shape_text = inline_value.substr(colon + 1);
      } else {
        if (i + 2 >= args.size()) return UsageError("--input-shape needs NAME and SHAPE");
        name = args[++i];
        shape_text = args[++i];
      }
      absl::StatusOr<std::vector<int64_t>> shape = hb_dnn::onnx_import::ParseShapeText(shape_text);
      if (!shape.ok()) {
        return UsageError(absl::StrCat("--input-shape ", name, ": ", shape.status().message()));
      }
      if (!command->options.input_shapes.emplace(name, *shape).second) {
        return UsageError(absl::StrCat("--input-shape given twice for '", name, "'"));
      }
    } else if (flag == "--no-fold" && !has_inline) {
      command->options.fold_constants = false;
    } else if (flag == "--no-fuse-bn" && !has_inline) {
      command->options.fuse_batchnorm = false;
    } else if (flag == "--no-fuse-act" && !has_inline) {
      command->options.fuse_activations = false;
    } else if (flag == "--verbose" && !has_inline) {
      command->verbose = true;
    } else {
      return UsageError(absl::StrCat("unknown argument '", args[i], "'"));
    }
  }
  if (command->model.empty()) return UsageError("--model is required");
  if (command->output.empty()) return UsageError("--output is required");
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine command;
  int parsed = Parse(argc, argv, &command);
  if (parsed >= 0) return parsed;

  hb_dnn::tools::PackageBuilder package;
  absl::StatusOr<hb_dnn::onnx_import::ImportReport> report =
      hb_dnn::onnx_import::ImportOnnxFile(command.model, command.options, &package);
  if (!report.ok()) {
    std::fprintf(stderr, "hb_onnx_convert: ERROR %s\n",
                 std::string(report.status().message()).c_str());
    return 1;
  }
  absl::Status written = package.WriteFile(command.output);
  if (!written.ok()) {
    std::fprintf(stderr, "hb_onnx_convert: ERROR %s\n", std::string(written.message()).c_str());
    return 1;
  }
  if (command.verbose) {
    for (const std::string& note : report->notes) std::fprintf(stderr, "note: %s\n", note.c_str());
  }
  std::printf("%s -> %s: %s\n", command.model.c_str(), command.output.c_str(),
              hb_dnn::onnx_import::SummaryLine(*report).c_str());
  return 0;
}
