#ifndef HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_H_
#define HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_H_

// Activation ranges from running the float graph on calibration samples.
//
// Every wanted float tensor gets a threshold T (real units); its int8 scale is T / 127 (the
// BPU's activations are symmetric per tensor). Methods (calibration_type):
//  - max: T = max |x| over all samples; with max_percentile p < 1, T is the p-quantile of |x|
//    (read from a 2048-bin histogram of |x| over [0, max |x|], upper bin edge).
//  - kl: the TensorRT entropy method. For candidate thresholds i bins wide (i = 128..2048 in
//    steps of 16) the clipped reference distribution P (outliers folded into the last bin) is
//    compared with its 128-level quantization Q (each level's mass spread evenly over the level's
//    non-empty bins); T is the upper edge of the candidate with the smallest KL(P || Q).
//  - default: per tensor, whichever of the max threshold (with max_percentile), the kl
//    threshold and the mse threshold (the one minimizing that error over thresholds from 1/64
//    of the range up, 8 bins apart) gives the lower expected squared quantization error over the
//    tensor's histogram: each bin's centre rounded to the int8 grid of T (saturating at 127, so
//    values beyond T contribute their clipping error). Ties go to max, then kl. The cosine of
//    a tensor to its float value is one minus half its relative squared error, so this is the
//    per-tensor rule that serves the converter's accuracy figure; it matters most for
//    long-tailed activations (a few values far beyond the bulk), where max wastes the grid.
// Max needs one pass over the samples, the histogram methods two (maxima, then histograms).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/graph.h"
#include "tools/hb_mapper/graph_runner.h"

namespace hb_dnn::mapper {

enum class CalibrationMethod { kMax, kKl, kDefault };

// "max" | "kl" | "default"; kInvalidArgument otherwise.
absl::StatusOr<CalibrationMethod> ParseCalibrationMethod(const std::string& text);

struct TensorRange {
  bool valid = false;
  double abs_max = 0;
  double threshold = 0;  // > 0 when valid
  std::string method;    // "max" | "kl" | "mse": which rule gave the threshold
};

inline constexpr int kHistogramBins = 2048;

// Thresholds from one tensor's histogram of |x| over [0, abs_max] (exposed for tests).
double PercentileThreshold(const std::vector<double>& histogram, double abs_max, double percentile);
double KlThreshold(const std::vector<double>& histogram, double abs_max);
double QuantizationMse(const std::vector<double>& histogram, double abs_max, double threshold);
double MseThreshold(const std::vector<double>& histogram, double abs_max);

// Runs `runner` (built on `graph`) on every sample; returns one range per graph tensor (valid
// for those `wanted` that are float tensors). Fails on an empty sample list.
absl::StatusOr<std::vector<TensorRange>> Calibrate(const Graph& graph, const GraphRunner& runner,
                                                   const std::vector<CalibrationSample>& samples,
                                                   const std::vector<bool>& wanted,
                                                   CalibrationMethod method,
                                                   double max_percentile,
                                                   const ProgressFn& progress);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_H_
