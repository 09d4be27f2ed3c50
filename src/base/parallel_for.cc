#include "src/base/parallel_for.h"

#include <algorithm>
#include <optional>

#include "oneapi/tbb/blocked_range.h"
#include "oneapi/tbb/global_control.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"
#include "src/base/env.h"

namespace hb_dnn {
namespace {

bool SerialMode() {
  static const bool serial = [] {
    std::optional<int64_t> threads = GetEnvInt("HB_DNN_SIM_THREADS");
    return threads.has_value() && *threads == 1;
  }();
  return serial;
}

}  // namespace

void ParallelFor(int64_t begin, int64_t end, int64_t grain,
                 absl::FunctionRef<void(int64_t, int64_t)> fn) {
  if (end <= begin) return;
  grain = std::max<int64_t>(grain, 1);
  if (SerialMode() || end - begin <= grain || MaxParallelism() <= 1) {
    fn(begin, end);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<int64_t>(begin, end, static_cast<size_t>(grain)),
                    [&fn](const tbb::blocked_range<int64_t>& r) { fn(r.begin(), r.end()); });
}

int MaxParallelism() {
  if (SerialMode()) return 1;
  const int arena = tbb::this_task_arena::max_concurrency();
  const int global = static_cast<int>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  return std::max(1, std::min(arena, global));
}

struct ScopedParallelismLimit::Impl {
  explicit Impl(int max_threads)
      : control(tbb::global_control::max_allowed_parallelism,
                static_cast<size_t>(std::max(1, max_threads))) {}
  tbb::global_control control;
};

ScopedParallelismLimit::ScopedParallelismLimit(int max_threads)
    : impl_(std::make_unique<Impl>(max_threads)) {}

ScopedParallelismLimit::~ScopedParallelismLimit() = default;

}  // namespace hb_dnn
