// hb_model_verifier: compares a converted model with its float ONNX model on the same inputs.
//
//   hb_model_verifier --onnx M.onnx --model M.hbm [--input FILE.bin]... [--threshold 0.99]
//                     [--seed N]
//
// Prints one line per output (cosine similarity, max abs error). Exit status: 0 when every
// output's cosine similarity reaches the threshold, 1 below it or on an error, 2 on a usage
// error.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/hb_mapper/model_verifier.h"
#include "tools/onnx_import/onnx_importer.h"

namespace {

constexpr char kUsage[] =
    "usage: hb_model_verifier --onnx M.onnx --model M.hbm [--input FILE.bin]...\n"
    "                         [--input-shape NAME 1x3x48x192]... [--threshold 0.99] [--seed N]\n"
    "  --onnx       the float ONNX model the converted model came from\n"
    "  --model      the converted model (hb_mapper makertbin's .hbm)\n"
    "  --input      raw data of each converted-model input, in input order: float32 for\n"
    "               featuremap inputs, uint8 images (NV12: H*3/2 rows of W bytes) for image\n"
    "               inputs; default: seeded random inputs\n"
    "  --input-shape  the shape of a dynamic ONNX input (as makertbin's input_shape)\n"
    "  --threshold  minimum cosine similarity of every output (default 0.99)\n"
    "  --seed       seed of the random inputs (default 1)\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "hb_model_verifier: %s\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  hb_dnn::mapper::VerifyOptions options;
  double threshold = 0.99;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "-h" || flag == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (i + 1 >= args.size()) return UsageError(absl::StrCat(flag, " needs a value"));
    const std::string& value = args[++i];
    if (flag == "--input-shape") {
      if (i + 1 >= args.size()) return UsageError("--input-shape needs NAME and SHAPE");
      const std::string& text = args[++i];
      absl::StatusOr<std::vector<int64_t>> shape = hb_dnn::onnx_import::ParseShapeText(text);
      if (!shape.ok()) {
        return UsageError(absl::StrCat("--input-shape ", value, ": ", shape.status().message()));
      }
      options.input_shapes[value] = *shape;
    } else if (flag == "--onnx") {
      options.onnx_path = value;
    } else if (flag == "--model") {
      options.model_path = value;
    } else if (flag == "--input") {
      options.input_files.push_back(value);
    } else if (flag == "--threshold") {
      if (!absl::SimpleAtod(value, &threshold) || threshold < -1 || threshold > 1) {
        return UsageError(absl::StrCat("--threshold '", value, "' is not a number in [-1, 1]"));
      }
    } else if (flag == "--seed") {
      if (!absl::SimpleAtoi(value, &options.seed)) {
        return UsageError(absl::StrCat("--seed '", value, "' is not an unsigned integer"));
      }
    } else {
      return UsageError(absl::StrCat("unknown argument '", flag, "'"));
    }
  }
  if (options.onnx_path.empty()) return UsageError("--onnx is required");
  if (options.model_path.empty()) return UsageError("--model is required");

  absl::StatusOr<std::vector<hb_dnn::mapper::OutputComparison>> result =
      hb_dnn::mapper::VerifyModel(options);
  if (!result.ok()) {
    std::fprintf(stderr, "ERROR %s\n", std::string(result.status().message()).c_str());
    return 1;
  }
  bool passed = true;
  for (const auto& c : *result) {
    bool ok = c.cosine >= threshold;
    passed = passed && ok;
    std::printf("output '%s': %lld values, cosine similarity %.6f, max abs error %.6g%s\n",
                c.name.c_str(), static_cast<long long>(c.elements), c.cosine, c.max_abs_error,
                ok ? "" : "  BELOW THRESHOLD");
  }
  if (!passed) {
    std::fprintf(stderr,
                 "ERROR Quanti onnx and Arm result Strict check FAILED: cosine "
                 "similarity below %g\n",
                 threshold);
    return 1;
  }
  std::printf("all outputs reach cosine similarity %g\n", threshold);
  return 0;
}
