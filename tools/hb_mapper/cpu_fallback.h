#ifndef HB_DNN_TOOLS_HB_MAPPER_CPU_FALLBACK_H_
#define HB_DNN_TOOLS_HB_MAPPER_CPU_FALLBACK_H_

// Moving a model's leading nodes to the CPU until the converted model follows the float model
// closely enough (calibration_parameters.cosine_target, an hb_dnn extension of the YAML).
//
// Per-tensor int8 noise that enters early is amplified by everything after it: on the random-
// weight mobilenetv2 the int8 weights of the stem convolution alone cost more output cosine
// (0.0020) than those of the last 40 convolutions together (0.0013). Running a prefix of the graph (in node order) in
// float on the CPU removes the noise where it costs most. This is what the vendor's toolchain
// leaves to the user (run_on_cpu for the nodes its accuracy tools flag); here the converter
// finds the shortest prefix that reaches the target on the calibration samples.

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"

namespace hb_dnn::mapper {

struct CpuPrefixChoice {
  int32_t prefix = 0;        // nodes [0, prefix) of the graph go to the CPU
  double cosine_before = 0;  // with no prefix
  double cosine_after = 0;   // with the chosen prefix
  bool reached = false;      // cosine_after >= target
  int evaluations = 0;
};

// `cosine_of(prefix)`: how closely the model converted with nodes [0, prefix) on the CPU follows
// the float model (1 = exactly). Returns prefix 0 when that reaches `target`; otherwise the
// smallest prefix in [1, max_prefix] that does, found by bisection (more CPU nodes are assumed
// not to lower the figure; where they do, the search still returns a prefix that reaches the
// target); when even max_prefix does not, the evaluated prefix with the best figure. Errors of
// `cosine_of` are returned.
absl::StatusOr<CpuPrefixChoice> ChooseCpuPrefix(
    double target, int32_t max_prefix,
    const std::function<absl::StatusOr<double>(int32_t)>& cosine_of);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_CPU_FALLBACK_H_
