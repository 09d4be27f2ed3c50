#include "src/kernels/int8/optimized/s8_gemm_driver.h"

#include <algorithm>
#include <vector>

#include "src/base/parallel_for.h"
#include "src/kernels/optimized/scratch.h"

namespace hb_dnn::kernels::int8 {
namespace {

using ukernels::S8GemmConfig;
using ukernels::S8GemmTile;
using ukernels::S8Orientation;

// Multiply-adds below which a ParallelFor chunk is not worth its scheduling cost.
constexpr int64_t kMinChunkMacs = int64_t{1} << 17;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Writes the int8 results of a tile of `c_count` channels from c0 by `a_count` positions from a0
// whose sums are in `sums` (rows of `stride`: channels as rows when weights_in_rows).
void ApplyFunction(const S8GemmProblem& p, int64_t c0, int64_t c_count, int64_t a0,
                   int64_t a_count, bool weights_in_rows, const int32_t* sums, int64_t stride) {
  int32_t column[ukernels::kMaxS8GemmMr];  // a channel's sums when channels are columns
  int8_t* out = static_cast<int8_t*>(p.out);
  for (int64_t c = 0; c < c_count; ++c) {
    const int32_t* in = sums + c * stride;
    if (!weights_in_rows) {
      for (int64_t a = 0; a < a_count; ++a) column[a] = sums[a * stride + c];
      in = column;
    }
    ApplyFunctionTable(in, a_count, p.multipliers[c0 + c], p.function_table,
                       out + (c0 + c) * p.channel_stride + a0 * p.position_stride,
                       p.position_stride);
  }
}

}  // namespace

PackedS8Weights PackS8Weights(const S8GemmConfig& config, S8Orientation orientation,
                              const ukernels::S8Matrix& w, int64_t k, int64_t channels,
                              const int32_t* bias) {
  PackedS8Weights packed;
  const int width = orientation == S8Orientation::kWeightsInRows ? config.mr : config.nr;
  packed.panels.resize(static_cast<size_t>(config.PackedSize(k, channels, width)));
  config.pack(w, k, 0, channels, width, 0, packed.panels.data());
  packed.bias.resize(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    int64_t sum = 0;
    for (int64_t i = 0; i < k; ++i) sum += w.base[i * w.row_stride + c * w.col_stride];
    const int64_t value = (bias != nullptr ? bias[c] : 0) - config.activation_offset * sum;
    packed.bias[c] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(value)));
  }
  return packed;
}

void RunS8Gemm(const S8GemmConfig& config, const S8GemmProblem& p, bool parallel) {
  const bool weights_in_rows = p.orientation == S8Orientation::kWeightsInRows;
  // Tiles are rows x columns; rows run along the R operand (width mr), columns along V (nr).
  const int weight_width = weights_in_rows ? config.mr : config.nr;
  const int act_width = weights_in_rows ? config.nr : config.mr;
  const int64_t kpad = config.KPadded(p.k);
  const int64_t kgroups = kpad / config.kr;
  const int64_t weight_panel_bytes = kpad * weight_width * config.elem_size;
  const int64_t act_panel_bytes = kpad * act_width * config.elem_size;
  const int64_t act_panels = CeilDiv(p.positions, act_width);
  const int64_t weight_panels = CeilDiv(p.channels, weight_width);
  const bool function = p.function_table != nullptr;
  const int out_size = p.int32_output ? 4 : 1;
  const ukernels::S8GemmUkernelFn* tile_fns = config.ukernel[static_cast<int>(p.orientation)];
  // Few activation panels (a fully-connected layer, a small image): split the weight panels
  // too, so that every thread gets work; each task then packs its activation panel itself.
  int64_t per_chunk = weight_panels;
  if (parallel) {
    const int64_t want_tasks = 4 * static_cast<int64_t>(MaxParallelism());
    if (want_tasks > 4 && act_panels < want_tasks) {
      per_chunk = CeilDiv(weight_panels, std::min(weight_panels, CeilDiv(want_tasks, act_panels)));
    }
  }
  const int64_t chunks = CeilDiv(weight_panels, per_chunk);
  auto run_tasks = [&](int64_t begin, int64_t end) {
    void* panel = optimized::ThreadScratch(optimized::ScratchSlot::kPackB,
                                           static_cast<size_t>(act_panel_bytes / 4 + 1));
    int64_t packed_panel = -1;
    // A fused function: each tile's sums (at most mr x nr) land here first, then go through the
    // table while they are in L1.
    std::vector<int32_t> sums(function ? static_cast<size_t>(config.mr * config.nr) : 0);
    for (int64_t t = begin; t < end; ++t) {
      const int64_t a = t / chunks;
      const int64_t q_begin = (t % chunks) * per_chunk;
      const int64_t q_end = std::min(weight_panels, q_begin + per_chunk);
      const int64_t a0 = a * act_width;
      const int64_t a_count = std::min<int64_t>(act_width, p.positions - a0);
      if (packed_panel != a) {
        config.pack(p.activations, p.k, a0, a_count, act_width, config.activation_offset, panel);
        packed_panel = a;
      }
      for (int64_t q = q_begin; q < q_end; ++q) {
        const int64_t c0 = q * weight_width;
        const int64_t c_count = std::min<int64_t>(weight_width, p.channels - c0);
        const uint8_t* weights = p.weights + q * weight_panel_bytes;
        S8GemmTile tile;
        tile.bias = p.bias + c0;
        tile.multiplier = p.multipliers != nullptr ? p.multipliers + c0 : nullptr;
        tile.int32_output = p.int32_output;
        tile.q_min = p.bounds.q_min;
        tile.q_max = p.bounds.q_max;
        const int64_t at = c0 * p.channel_stride + a0 * p.position_stride;
        tile.out = static_cast<uint8_t*>(p.out) + at * out_size;
        if (weights_in_rows) {
          tile.out_row_stride = p.channel_stride;
          tile.out_col_stride = p.position_stride;
          tile.cols = static_cast<int>(a_count);
        } else {
          tile.out_row_stride = p.position_stride;
          tile.out_col_stride = p.channel_stride;
          tile.cols = static_cast<int>(c_count);
        }
        if (function) {
          tile.int32_output = true;
          tile.out = sums.data();
          tile.out_row_stride = config.nr;
          tile.out_col_stride = 1;
        }
        if (weights_in_rows) {
          tile_fns[c_count](kgroups, weights, panel, tile);
        } else {
          tile_fns[a_count](kgroups, panel, weights, tile);
        }
        if (function) {
          ApplyFunction(p, c0, c_count, a0, a_count, weights_in_rows, sums.data(), config.nr);
        }
      }
    }
  };
  const int64_t tasks = act_panels * chunks;
  if (!parallel) {
    run_tasks(0, tasks);
    return;
  }
  const int64_t task_macs = act_width * per_chunk * weight_width * p.k;
  ParallelFor(0, tasks, std::max<int64_t>(1, kMinChunkMacs / std::max<int64_t>(1, task_macs)),
              run_tasks);
}

}  // namespace hb_dnn::kernels::int8
