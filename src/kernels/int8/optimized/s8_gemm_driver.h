#ifndef HB_DNN_SRC_KERNELS_INT8_OPTIMIZED_S8_GEMM_DRIVER_H_
#define HB_DNN_SRC_KERNELS_INT8_OPTIMIZED_S8_GEMM_DRIVER_H_

// The int8 GEMM driver over the microkernels of ukernels/s8_gemm.h: an output of
// `channels` x `positions` where the weights (K x channels) were packed once at Prepare
// (PackS8Weights) and the activations (K x positions, an S8Matrix) are packed per call, one
// panel per task. Every tile runs the whole K, so results do not depend on how the tiles are
// spread over threads.

#include <cstdint>
#include <vector>

#include "src/kernels/int8/requantize.h"
#include "src/kernels/ukernels/s8_gemm.h"

namespace hb_dnn::kernels::int8 {

// Weights packed for one orientation, with the per-channel int32 bias the tiles add: the node's
// bias (or 0) minus activation_offset * sum_k W[k][c] (the VNNI compensation).
struct PackedS8Weights {
  std::vector<uint8_t> panels;  // config.PackedSize(k, channels, width) bytes
  std::vector<int32_t> bias;    // channels entries
};

// Packs `w` (logical K x channels) for `orientation` (kWeightsInRows: width mr, else nr) and
// folds the compensation into `bias` (null: none).
PackedS8Weights PackS8Weights(const ukernels::S8GemmConfig& config,
                              ukernels::S8Orientation orientation, const ukernels::S8Matrix& w,
                              int64_t k, int64_t channels, const int32_t* bias);

struct S8GemmProblem {
  ukernels::S8Orientation orientation = ukernels::S8Orientation::kWeightsInRows;
  int64_t k = 0;
  int64_t channels = 0;
  int64_t positions = 0;
  const uint8_t* weights = nullptr;  // PackedS8Weights::panels
  const int32_t* bias = nullptr;     // PackedS8Weights::bias
  ukernels::S8Matrix activations;    // K x positions
  // Output: int32 sums, or the rule with per-channel multipliers and bounds, or (with
  // function_table) a fused function: multipliers map the sums onto the function's input grid
  // and the table (kFunctionTableSize entries, bounds applied) gives the int8 result.
  bool int32_output = false;
  const float* multipliers = nullptr;
  QuantBounds bounds;
  const int8_t* function_table = nullptr;
  // Element (channel c, position p) at out[c * channel_stride + p * position_stride].
  void* out = nullptr;
  int64_t channel_stride = 0;
  int64_t position_stride = 0;
};

// Runs the problem (all sizes >= 1). With `parallel` the tiles are spread over ParallelFor (do
// not call it so from a ParallelFor body); without, everything runs on the calling thread.
// Per-call packing uses thread scratch (ScratchSlot::kPackB).
void RunS8Gemm(const ukernels::S8GemmConfig& config, const S8GemmProblem& problem,
               bool parallel);

}  // namespace hb_dnn::kernels::int8

#endif  // HB_DNN_SRC_KERNELS_INT8_OPTIMIZED_S8_GEMM_DRIVER_H_
