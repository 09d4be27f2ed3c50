#include "tools/hb_mapper/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/base/status_macros.h"

namespace hb_dnn::mapper {
namespace {

constexpr int kLevels = 128;  // |q| in 0..127
constexpr int kKlStep = 16;
// MSE search: thresholds from 1/64 of the range up, 8 bins apart.
constexpr int kMseFirstBin = 32;
constexpr int kMseStep = 8;

double Sum(const std::vector<double>& v, size_t begin, size_t end) {
  double s = 0;
  for (size_t k = begin; k < end; ++k) s += v[k];
  return s;
}

// KL(P || Q) of two unnormalized distributions; empty Q bins where P has mass get a small
// smoothing mass instead of infinity.
double KlDivergence(std::vector<double> p, std::vector<double> q) {
  double p_sum = Sum(p, 0, p.size()), q_sum = Sum(q, 0, q.size());
  if (p_sum <= 0 || q_sum <= 0) return std::numeric_limits<double>::infinity();
  constexpr double kEps = 1e-10;
  double kl = 0;
  for (size_t k = 0; k < p.size(); ++k) {
    if (p[k] <= 0) continue;
    double pk = p[k] / p_sum;
    double qk = std::max(q[k] / q_sum, kEps);
    kl += pk * std::log(pk / qk);
  }
  return kl;
}

}  // namespace

absl::StatusOr<CalibrationMethod> ParseCalibrationMethod(const std::string& text) {
  if (text == "max") return CalibrationMethod::kMax;
  if (text == "kl") return CalibrationMethod::kKl;
  if (text == "default") return CalibrationMethod::kDefault;
  return absl::InvalidArgumentError(absl::StrCat(
      "calibration_type '", text, "' is not one of default, max, kl, load"));
}

double PercentileThreshold(const std::vector<double>& histogram, double abs_max,
                           double percentile) {
  if (percentile >= 1.0) return abs_max;
  double total = Sum(histogram, 0, histogram.size());
  if (total <= 0) return abs_max;
  double width = abs_max / static_cast<double>(histogram.size());
  double cumulative = 0;
  for (size_t k = 0; k < histogram.size(); ++k) {
    cumulative += histogram[k];
    if (cumulative >= percentile * total) return static_cast<double>(k + 1) * width;
  }
  return abs_max;
}

double KlThreshold(const std::vector<double>& histogram, double abs_max) {
  const int bins = static_cast<int>(histogram.size());
  double width = abs_max / bins;
  double best_kl = std::numeric_limits<double>::infinity();
  int best_i = bins;
  for (int i = kLevels; i <= bins; i += kKlStep) {
    std::vector<double> p(histogram.begin(), histogram.begin() + i);
    p[i - 1] += Sum(histogram, static_cast<size_t>(i), histogram.size());
    // Q: merge the i bins into kLevels levels, then spread each level over its non-empty bins.
    std::vector<double> q(i, 0);
    double per_level = static_cast<double>(i) / kLevels;
    for (int level = 0; level < kLevels; ++level) {
      int begin = static_cast<int>(std::floor(level * per_level));
      int end = level == kLevels - 1 ? i : static_cast<int>(std::floor((level + 1) * per_level));
      double mass = Sum(histogram, begin, end);
      int nonzero = 0;
      for (int k = begin; k < end; ++k) nonzero += p[k] > 0 ? 1 : 0;
      if (nonzero == 0) continue;
      for (int k = begin; k < end; ++k) {
        if (p[k] > 0) q[k] = mass / nonzero;
      }
    }
    double kl = KlDivergence(p, q);
    if (kl < best_kl) {
      best_kl = kl;
      best_i = i;
    }
  }
  return std::min(abs_max, (best_i + 0.5) * width);
}

double QuantizationMse(const std::vector<double>& histogram, double abs_max, double threshold) {
  if (threshold <= 0) return std::numeric_limits<double>::infinity();
  double width = abs_max / static_cast<double>(histogram.size());
  double step = threshold / 127.0;
  double total = 0, error = 0;
  for (size_t k = 0; k < histogram.size(); ++k) {
    if (histogram[k] <= 0) continue;
    double centre = (static_cast<double>(k) + 0.5) * width;
    double e = centre - std::min(127.0, std::nearbyint(centre / step)) * step;
    error += histogram[k] * e * e;
    total += histogram[k];
  }
  return total > 0 ? error / total : 0;
}

double MseThreshold(const std::vector<double>& histogram, double abs_max) {
  const int bins = static_cast<int>(histogram.size());
  double best_t = abs_max;
  double best_mse = QuantizationMse(histogram, abs_max, abs_max);
  for (int i = kMseFirstBin; i < bins; i += kMseStep) {
    double t = abs_max * i / bins;
    double mse = QuantizationMse(histogram, abs_max, t);
    if (mse < best_mse) {
      best_mse = mse;
      best_t = t;
    }
  }
  return best_t;
}

absl::StatusOr<std::vector<TensorRange>> Calibrate(const Graph& graph, const GraphRunner& runner,
                                                   const std::vector<CalibrationSample>& samples,
                                                   const std::vector<bool>& wanted,
                                                   CalibrationMethod method,
                                                   double max_percentile,
                                                   const ProgressFn& progress) {
  if (samples.empty()) {
    return absl::InvalidArgumentError(
        "no calibration data: calibration needs at least one sample (cal_data_dir is empty?)");
  }
  const size_t n = graph.tensors.size();
  std::vector<bool> collect(n, false);
  for (size_t t = 0; t < n; ++t) {
    collect[t] = wanted[t] && !graph.tensors[t].constant &&
                 graph.tensors[t].type == fb::DataType::F32;
  }
  const bool histograms = method != CalibrationMethod::kMax || max_percentile < 1.0;
  const int passes = histograms ? 2 : 1;
  const int total = passes * static_cast<int>(samples.size());
  int done = 0;
  std::vector<TensorRange> ranges(n);
  std::vector<double> abs_max(n, 0);
  for (const CalibrationSample& sample : samples) {
    HB_ASSIGN_OR_RETURN(std::vector<TensorValue> values, runner.Run(sample, &collect));
    for (size_t t = 0; t < n; ++t) {
      if (!collect[t]) continue;
      const float* x = values[t].as<float>();
      int64_t count = graph.tensors[t].num_elements();
      double m = abs_max[t];
      for (int64_t k = 0; k < count; ++k) m = std::max(m, static_cast<double>(std::fabs(x[k])));
      abs_max[t] = m;
    }
    if (progress) progress(++done, total);
  }
  std::vector<std::vector<double>> hist(n);
  if (histograms) {
    for (size_t t = 0; t < n; ++t) {
      if (collect[t]) hist[t].assign(kHistogramBins, 0);
    }
    for (const CalibrationSample& sample : samples) {
      HB_ASSIGN_OR_RETURN(std::vector<TensorValue> values, runner.Run(sample, &collect));
      for (size_t t = 0; t < n; ++t) {
        if (!collect[t] || abs_max[t] <= 0) continue;
        const float* x = values[t].as<float>();
        int64_t count = graph.tensors[t].num_elements();
        double scale = kHistogramBins / abs_max[t];
        std::vector<double>& h = hist[t];
        for (int64_t k = 0; k < count; ++k) {
          int bin = static_cast<int>(std::fabs(x[k]) * scale);
          h[std::min(bin, kHistogramBins - 1)] += 1;
        }
      }
      if (progress) progress(++done, total);
    }
  }
  for (size_t t = 0; t < n; ++t) {
    if (!collect[t]) continue;
    TensorRange& r = ranges[t];
    r.valid = true;
    r.abs_max = abs_max[t];
    if (abs_max[t] <= 0) {
      // All zeros: any scale represents the tensor exactly.
      r.threshold = 1.0;
      r.method = "max";
      continue;
    }
    double max_t = histograms ? PercentileThreshold(hist[t], abs_max[t], max_percentile)
                              : abs_max[t];
    switch (method) {
      case CalibrationMethod::kMax:
        r.threshold = max_t;
        r.method = "max";
        break;
      case CalibrationMethod::kKl:
        r.threshold = KlThreshold(hist[t], abs_max[t]);
        r.method = "kl";
        break;
      case CalibrationMethod::kDefault: {
        struct Candidate {
          double threshold;
          const char* name;
        };
        const Candidate candidates[] = {{max_t, "max"},
                                        {KlThreshold(hist[t], abs_max[t]), "kl"},
                                        {MseThreshold(hist[t], abs_max[t]), "mse"}};
        double best_mse = std::numeric_limits<double>::infinity();
        for (const Candidate& c : candidates) {
          double mse = QuantizationMse(hist[t], abs_max[t], c.threshold);
          if (mse < best_mse) {
            best_mse = mse;
            r.threshold = c.threshold;
            r.method = c.name;
          }
        }
        break;
      }
    }
    if (r.threshold <= 0) r.threshold = abs_max[t];
  }
  return ranges;
}

}  // namespace hb_dnn::mapper
