#include "tools/hrt_model_exec/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace hb_dnn::tools {
namespace {

constexpr double kNsPerMs = 1e6;

double NearestRank(const std::vector<int64_t>& sorted, double percent) {
  size_t rank =
      static_cast<size_t>(std::ceil(percent / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / kNsPerMs;
}

}  // namespace

LatencySummary LatencyStats::Summarize() const {
  LatencySummary summary;
  if (samples_ns_.empty()) return summary;
  std::vector<int64_t> sorted = samples_ns_;
  std::sort(sorted.begin(), sorted.end());
  double total_ns = 0;
  for (int64_t ns : sorted) total_ns += static_cast<double>(ns);
  summary.count = static_cast<int64_t>(sorted.size());
  summary.total_ms = total_ns / kNsPerMs;
  summary.avg_ms = summary.total_ms / static_cast<double>(summary.count);
  summary.min_ms = static_cast<double>(sorted.front()) / kNsPerMs;
  summary.max_ms = static_cast<double>(sorted.back()) / kNsPerMs;
  summary.p50_ms = NearestRank(sorted, 50);
  summary.p90_ms = NearestRank(sorted, 90);
  summary.p99_ms = NearestRank(sorted, 99);
  return summary;
}

}  // namespace hb_dnn::tools
