#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_LATENCY_STATS_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_LATENCY_STATS_H_

#include <cstdint>
#include <vector>

namespace hb_dnn::tools {

// Summary of a set of durations, in milliseconds. All fields are 0 for an empty set.
struct LatencySummary {
  int64_t count = 0;
  double total_ms = 0;
  double avg_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
};

// Collects durations in nanoseconds. Not thread-safe.
class LatencyStats {
 public:
  void Add(int64_t ns) { samples_ns_.push_back(ns); }
  int64_t count() const { return static_cast<int64_t>(samples_ns_.size()); }

  // Percentiles use the nearest-rank method on the sorted samples.
  LatencySummary Summarize() const;

 private:
  std::vector<int64_t> samples_ns_;
};

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_LATENCY_STATS_H_
