#ifndef HB_DNN_TESTS_TESTING_TEST_MODELS_H_
#define HB_DNN_TESTS_TESTING_TEST_MODELS_H_

#include <functional>
#include <string>

#include "tools/model_builder/model_builder.h"

namespace hb_dnn::testing {

// A small valid model named `name` in `package`: F32 NCHW input "x" (1,3,4,4), a CPU Quantize,
// a BPU function-call with a per-channel int8 Conv (weights 8x3x3x3), an S32 BPU output "y"
// (1,8,4,4) NHWC with per-axis SCALE quantization (aligned by bernoulli2 rules), and a compact
// F32 output "z" computed on the CPU. `customize` may alter the builder before outputs are added.
void AddSmallModel(tools::PackageBuilder& package, const std::string& name,
                   const std::function<void(tools::ModelBuilder&)>& customize = nullptr);

// Serialized package with one small model "tiny" (fails the test on builder errors).
std::string SmallPackageBytes();

// A fresh path under the test's temporary directory.
std::string TempPath(const std::string& file_name);

// Writes bytes to path (fails the test on error).
void WriteBytes(const std::string& path, const std::string& bytes);

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_TESTING_TEST_MODELS_H_
