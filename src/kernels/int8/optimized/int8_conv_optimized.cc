// Optimized int8 Conv (hb_dnn.bpu, NCHW, 2-D). Paths, chosen at Prepare:
// - depthwise (group == C, one input channel per group, at most kMaxS8DwTaps taps): the
//   channel-blocked microkernel of ukernels/s8_gemm.h (S8DwBlockedPlan) where the variant has
//   one, parallel over (image, block of 16 output channels, band of output rows); otherwise the
//   direct per-plane microkernel, parallel over input planes;
// - everything else as one int8 GEMM per (image, group): Y_g (M x HW) = W_g (M x K) * X̂_g
//   (K x HW), K = C/group * kh * kw. Pointwise convolutions (1x1, stride 1, no padding) read
//   the input as X̂ itself; the others first write the im2col matrix X̂ into a scratch buffer.
//   Weights are packed once at Prepare (with the VNNI compensation folded into the bias).
// - When HW is small next to the tile width (late layers), the GEMM runs transposed
//   (positions as tile rows, channels as the vector dimension), written back transposed.
// Run-time weights or bias and empty tensors run on the wrapped reference kernel.

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/int8/optimized/int8_optimized_kernels.h"
#include "src/kernels/int8/optimized/s8_gemm_driver.h"
#include "src/kernels/int8/reference/int8_util.h"
#include "src/kernels/optimized/scratch.h"
#include "src/kernels/reference/nn_util.h"
#include "src/kernels/ukernels/s8_gemm.h"

namespace hb_dnn::kernels::int8 {
namespace {

using optimized::ForEachConvGemm;
using optimized::ScratchSlot;
using optimized::ThreadScratch;
using ukernels::S8GemmConfig;
using ukernels::S8Orientation;

constexpr char kOp[] = "Conv";

// Multiply-adds below which a ParallelFor chunk is not worth its scheduling cost.
constexpr int64_t kMinChunkMacs = int64_t{1} << 16;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Fraction of a padded tile grid doing useful work.
double TileEfficiency(int64_t rows, int64_t mr, int64_t cols, int64_t nr) {
  return static_cast<double>(rows) / static_cast<double>(CeilDiv(rows, mr) * mr) *
         (static_cast<double>(cols) / static_cast<double>(CeilDiv(cols, nr) * nr));
}

// Bytes of scratch a blocked depthwise task aims at (its transposed rows stay in L2).
constexpr int64_t kDwBlockScratchBytes = int64_t{96} << 10;

enum class ConvPath { kReference, kDepthwise, kDepthwiseBlocked, kGemm };

class Int8ConvOptimized final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args, IsaLevel isa) {
    auto kernel = std::unique_ptr<Int8ConvOptimized>(new Int8ConvOptimized(isa));
    HB_ASSIGN_OR_RETURN(kernel->reference_, CreateInt8ConvReference(args));
    kernel->attributes_ = args.attributes;
    HB_ASSIGN_OR_RETURN(kernel->window_, nn::ReadWindowAttributes(args.attributes, kOp));
    HB_ASSIGN_OR_RETURN(kernel->group_, nn::ReadConvGroup(args.attributes, kOp));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override;

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override;

 private:
  explicit Int8ConvOptimized(IsaLevel isa) : config_(ukernels::GetS8GemmConfig(isa)) {}

  // Whether the depthwise paths write int32 accumulators: output_type 32, or a fused function,
  // which ApplyFusedFunction then applies to each plane or band while it is in cache (the GEMM
  // path applies it per tile in the driver).
  bool RawAccumulators() const { return output_.output_type == 32 || output_.fused(); }
  // Channel `channel`'s `count` accumulators at `acc` through the fused function into `y`.
  void ApplyFusedFunction(int64_t channel, const int32_t* acc, int8_t* y, int64_t count) const {
    ApplyFunctionTable(acc, count, output_.multipliers[static_cast<size_t>(channel)],
                       output_.table.data(), y, 1);
  }
  // With a fused function the accumulators go to `raw` (the output's size in int32) and each
  // plane or band through the function into `y` right after it is computed; `raw` is null
  // otherwise.
  void RunDepthwise(const int8_t* x, void* y, int32_t* raw) const;
  void RunDepthwiseBlocked(const int8_t* x, void* y, int32_t* raw) const;
  void PackDepthwiseBlocks(const int8_t* weights, const int32_t* bias);
  void RunGemm(const int8_t* x, void* y) const;
  // Writes the im2col matrix (K x HW) of the group whose first input channel is at `x`, in
  // parallel over its rows unless called from a ParallelFor body.
  void Im2Col(const int8_t* x, int8_t* buffer, bool parallel) const;

  const S8GemmConfig& config_;
  std::unique_ptr<OpKernel> reference_;
  Attributes attributes_;
  nn::WindowAttributes window_;
  int64_t group_ = 1;

  // Prepared.
  ConvPath path_ = ConvPath::kReference;
  AccumulatorOutput output_;
  ukernels::Conv2dGeometry geometry_;
  int64_t batch_ = 0;
  int64_t in_channels_ = 0;
  int64_t out_channels_ = 0;
  // Depthwise: weights [M, kh * kw] and bias (0 when absent).
  std::vector<int8_t> dw_weights_;
  std::vector<int32_t> dw_bias_;
  // Blocked depthwise: per block of kS8DwBlock output channels, its weight pairs, bias and
  // multipliers (lanes past the last channel zero).
  ukernels::S8DwBlockedPlan dw_plan_;
  std::vector<int32_t> dw_block_weights_;
  std::vector<int32_t> dw_block_bias_;
  std::vector<float> dw_block_multipliers_;
  // GEMM: per group, gemm_m_ channels x gemm_k_ depth times gemm_k_ x gemm_n_ positions.
  int64_t gemm_m_ = 0;
  int64_t gemm_k_ = 0;
  int64_t gemm_n_ = 0;
  bool pointwise_ = false;
  S8Orientation orientation_ = S8Orientation::kWeightsInRows;
  std::vector<PackedS8Weights> packed_;  // per group
};

absl::Status Int8ConvOptimized::Prepare(const std::vector<TensorInfo>& inputs,
                                        std::vector<TensorInfo>* outputs) {
  HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
  path_ = ConvPath::kReference;
  packed_.clear();
  dw_weights_.clear();
  dw_bias_.clear();
  dw_block_weights_.clear();
  dw_block_bias_.clear();
  dw_block_multipliers_.clear();
  const TensorInfo& x = inputs[0];
  const TensorInfo& w = inputs[1];
  const bool has_bias = inputs.size() > 2 && inputs[2].present();
  if (w.data == nullptr || (has_bias && inputs[2].data == nullptr)) return absl::OkStatus();
  if (x.num_elements() == 0 || (*outputs)[0].num_elements() == 0) return absl::OkStatus();
  nn::ConvPlan plan = nn::ConvPlanOf(x, w, group_);
  HB_RETURN_IF_ERROR(nn::ResolveConvWindow(kOp, window_, &plan));
  HB_ASSIGN_OR_RETURN(output_, ReadAccumulatorOutput(kOp, attributes_, plan.out_channels));
  batch_ = plan.batch;
  in_channels_ = plan.in_channels;
  out_channels_ = plan.out_channels;
  geometry_ = nn::Conv2dView(plan);
  const ukernels::Conv2dGeometry& g = geometry_;
  const int8_t* weights = w.as<int8_t>();
  const int32_t* bias = has_bias ? inputs[2].as<int32_t>() : nullptr;
  const int64_t taps = g.kernel_h * g.kernel_w;

  if (group_ == in_channels_ && w.shape[1] == 1 && taps <= ukernels::kMaxS8DwTaps) {
    if (config_.dw_block != nullptr) {
      path_ = ConvPath::kDepthwiseBlocked;
      dw_plan_ = ukernels::S8DwBlockedPlan::Of(g);
      PackDepthwiseBlocks(weights, bias);
      return absl::OkStatus();
    }
    path_ = ConvPath::kDepthwise;
    dw_weights_.assign(weights, weights + out_channels_ * taps);
    dw_bias_.assign(static_cast<size_t>(out_channels_), 0);
    if (bias != nullptr) dw_bias_.assign(bias, bias + out_channels_);
    return absl::OkStatus();
  }

  path_ = ConvPath::kGemm;
  gemm_m_ = out_channels_ / group_;
  gemm_k_ = (in_channels_ / group_) * taps;
  gemm_n_ = g.out_h * g.out_w;
  pointwise_ = taps == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_top == 0 &&
               g.pad_left == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
  // Transposed when that fills the tiles clearly better (its stores are scattered).
  const double normal = TileEfficiency(gemm_m_, config_.mr, gemm_n_, config_.nr);
  const double transposed = TileEfficiency(gemm_n_, config_.mr, gemm_m_, config_.nr);
  orientation_ = transposed > normal * 1.15 ? S8Orientation::kWeightsInColumns
                                            : S8Orientation::kWeightsInRows;
  for (int64_t gi = 0; gi < group_; ++gi) {
    // W_g^T: K x gemm_m_.
    const ukernels::S8Matrix wt{weights + gi * gemm_m_ * gemm_k_, 1, gemm_k_};
    packed_.push_back(PackS8Weights(config_, orientation_, wt, gemm_k_, gemm_m_,
                                    bias != nullptr ? bias + gi * gemm_m_ : nullptr));
  }
  return absl::OkStatus();
}

absl::Status Int8ConvOptimized::Run(const std::vector<ConstTensorView>& inputs,
                                    const std::vector<TensorView>& outputs) const {
  if (path_ == ConvPath::kReference) return reference_->Run(inputs, outputs);
  const int8_t* x = inputs[0].as<int8_t>();
  // A buffer of this call: a thread scratch slot could be taken by another kernel's task while
  // this thread waits in ParallelFor. Uninitialized: every element gets written.
  std::unique_ptr<int32_t[]> raw;
  if (output_.fused() && path_ != ConvPath::kGemm) {
    raw.reset(new int32_t[static_cast<size_t>(outputs[0].num_elements())]);
  }
  if (path_ == ConvPath::kDepthwiseBlocked) {
    RunDepthwiseBlocked(x, outputs[0].data, raw.get());
  } else if (path_ == ConvPath::kDepthwise) {
    RunDepthwise(x, outputs[0].data, raw.get());
  } else {
    RunGemm(x, outputs[0].data);
  }
  return absl::OkStatus();
}

void Int8ConvOptimized::RunDepthwise(const int8_t* x, void* y, int32_t* raw) const {
  const ukernels::Conv2dGeometry& g = geometry_;
  const int64_t multiplier = out_channels_ / in_channels_;
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t taps = g.kernel_h * g.kernel_w;
  const int out_size = RawAccumulators() ? 4 : 1;
  const ukernels::S8DwLayout layout = ukernels::S8DwLayout::Of(g, config_.dw_vector);
  const int64_t grain =
      std::max<int64_t>(1, kMinChunkMacs / std::max<int64_t>(1, multiplier * out_plane * taps));
  ParallelFor(0, batch_ * in_channels_, grain, [&](int64_t begin, int64_t end) {
    auto* scratch = reinterpret_cast<int32_t*>(
        ThreadScratch(ScratchSlot::kPackB, static_cast<size_t>(layout.total)));
    for (int64_t p = begin; p < end; ++p) {
      // Input plane p feeds output channels [c * multiplier, (c + 1) * multiplier).
      const int64_t image = p / in_channels_;
      const int64_t c = p % in_channels_;
      config_.dw_fill(g, x + p * in_plane, scratch);
      for (int64_t j = 0; j < multiplier; ++j) {
        const int64_t oc = c * multiplier + j;
        ukernels::S8DwPlaneParams params;
        params.bias = dw_bias_[oc];
        params.int32_output = RawAccumulators();
        if (!params.int32_output) params.multiplier = output_.multipliers[oc];
        params.q_min = output_.bounds.q_min;
        params.q_max = output_.bounds.q_max;
        const int64_t first = (image * out_channels_ + oc) * out_plane;
        void* plane = raw != nullptr ? static_cast<void*>(raw + first)
                                     : static_cast<uint8_t*>(y) + first * out_size;
        config_.dw_plane(g, scratch, dw_weights_.data() + oc * taps, params, plane);
        if (raw != nullptr) {
          ApplyFusedFunction(oc, raw + first, static_cast<int8_t*>(y) + first, out_plane);
        }
      }
    }
  });
}

void Int8ConvOptimized::PackDepthwiseBlocks(const int8_t* weights, const int32_t* bias) {
  constexpr int kLanes = ukernels::kS8DwBlock;
  const ukernels::S8DwBlockedPlan& plan = dw_plan_;
  const ukernels::Conv2dGeometry& g = plan.g;
  const int64_t blocks = CeilDiv(out_channels_, kLanes);
  const int64_t kernel_w_eff = (g.kernel_w - 1) * g.dilation_w + 1;
  dw_block_weights_.assign(static_cast<size_t>(blocks * plan.WeightsPerBlock()), 0);
  dw_block_bias_.assign(static_cast<size_t>(blocks * kLanes), 0);
  dw_block_multipliers_.assign(static_cast<size_t>(blocks * kLanes), 0.0f);
  for (int64_t oc = 0; oc < out_channels_; ++oc) {
    const int64_t block = oc / kLanes;
    const int64_t lane = oc % kLanes;
    const int8_t* w = weights + oc * g.kernel_h * g.kernel_w;
    // Weight of expanded (dilated) kernel column e of row ky, 0 between and outside the taps.
    auto tap = [&](int64_t ky, int64_t e) -> uint32_t {
      if (e < 0 || e >= kernel_w_eff || e % g.dilation_w != 0) return 0;
      return static_cast<uint16_t>(static_cast<int16_t>(w[ky * g.kernel_w + e / g.dilation_w]));
    };
    int32_t* packed = dw_block_weights_.data() + block * plan.WeightsPerBlock();
    for (int64_t parity = 0; parity < 2; ++parity) {
      for (int64_t ky = 0; ky < g.kernel_h; ++ky) {
        for (int64_t p = 0; p < plan.pairs; ++p) {
          const uint32_t pair = tap(ky, 2 * p - parity) | tap(ky, 2 * p + 1 - parity) << 16;
          packed[((parity * g.kernel_h + ky) * plan.pairs + p) * kLanes + lane] =
              static_cast<int32_t>(pair);
        }
      }
    }
    if (bias != nullptr) dw_block_bias_[static_cast<size_t>(oc)] = bias[oc];
    if (!RawAccumulators()) {
      dw_block_multipliers_[static_cast<size_t>(oc)] = output_.multipliers[oc];
    }
  }
}

void Int8ConvOptimized::RunDepthwiseBlocked(const int8_t* x, void* y, int32_t* raw) const {
  constexpr int kLanes = ukernels::kS8DwBlock;
  const ukernels::S8DwBlockedPlan& plan = dw_plan_;
  const ukernels::Conv2dGeometry& g = plan.g;
  const int64_t multiplier = out_channels_ / in_channels_;
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t blocks = CeilDiv(out_channels_, kLanes);
  const int out_size = RawAccumulators() ? 4 : 1;
  // Band rows: as many as fit the scratch budget, fewer when that leaves threads idle. Every
  // output is computed the same way whatever the bands, so results do not depend on them.
  int64_t band = g.out_h;
  while (band > 1 && plan.ScratchBytes(band) > kDwBlockScratchBytes) band = (band + 1) / 2;
  const int64_t threads = MaxParallelism();
  if (threads > 1) {
    const int64_t bands_wanted = CeilDiv(4 * threads, batch_ * blocks);
    band = std::min(band, std::max<int64_t>(1, CeilDiv(g.out_h, bands_wanted)));
  }
  const int64_t bands = CeilDiv(g.out_h, band);
  const size_t scratch_floats = static_cast<size_t>(plan.ScratchBytes(band) / 4 + 1);
  ParallelFor(0, batch_ * blocks * bands, 1, [&](int64_t begin, int64_t end) {
    void* scratch = ThreadScratch(ScratchSlot::kPackB, scratch_floats);
    for (int64_t t = begin; t < end; ++t) {
      const int64_t image = t / (blocks * bands);
      const int64_t block = t / bands % blocks;
      const int64_t oy = t % bands * band;
      ukernels::S8DwBlockArgs args;
      args.plan = &plan;
      // Lane l is output channel oc = block * kLanes + l, reading input channel oc / multiplier
      // (kept as quotient and remainder: 64-bit divisions cost more than a small task's setup).
      const int64_t first = block * kLanes;
      const int64_t lanes = std::min<int64_t>(kLanes, out_channels_ - first);
      const int8_t* src = x + (image * in_channels_ + first / multiplier) * in_plane;
      int64_t phase = first % multiplier;
      const int64_t first_element = (image * out_channels_ + first) * out_plane;
      uint8_t* dst = raw != nullptr ? reinterpret_cast<uint8_t*>(raw + first_element)
                                    : static_cast<uint8_t*>(y) + first_element * out_size;
      for (int64_t lane = 0; lane < lanes; ++lane) {
        args.src[lane] = src;
        args.dst[lane] = dst;
        dst += out_plane * out_size;
        if (++phase == multiplier) {
          phase = 0;
          src += in_plane;
        }
      }
      args.weights = dw_block_weights_.data() + block * plan.WeightsPerBlock();
      args.bias = dw_block_bias_.data() + block * kLanes;
      args.multiplier = dw_block_multipliers_.data() + block * kLanes;
      args.int32_output = RawAccumulators();
      args.q_min = output_.bounds.q_min;
      args.q_max = output_.bounds.q_max;
      args.oy_begin = oy;
      args.oy_end = std::min(g.out_h, oy + band);
      args.scratch = scratch;
      config_.dw_block(args);
      if (raw != nullptr) {
        const int64_t band_first = args.oy_begin * g.out_w;
        const int64_t count = (args.oy_end - args.oy_begin) * g.out_w;
        for (int64_t lane = 0; lane < lanes; ++lane) {
          const int64_t at = first_element + lane * out_plane + band_first;
          ApplyFusedFunction(first + lane, raw + at, static_cast<int8_t*>(y) + at, count);
        }
      }
    }
  });
}

void Int8ConvOptimized::Im2Col(const int8_t* x, int8_t* buffer, bool parallel) const {
  const ukernels::Conv2dGeometry& g = geometry_;
  const int64_t taps = g.kernel_h * g.kernel_w;
  const int64_t in_plane = g.in_h * g.in_w;
  auto fill = [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t c = r / taps;
      const int64_t ky = (r % taps) / g.kernel_w;
      const int64_t kx = r % g.kernel_w;
      const int8_t* plane = x + c * in_plane;
      int8_t* row = buffer + r * gemm_n_;
      // Output columns [ox_lo, ox_hi) read input columns ix = ox * stride_w - d in [0, in_w).
      const int64_t d = g.pad_left - kx * g.dilation_w;
      int64_t ox_lo = d <= 0 ? 0 : CeilDiv(d, g.stride_w);
      int64_t ox_hi = g.in_w + d <= 0 ? 0 : CeilDiv(g.in_w + d, g.stride_w);
      ox_lo = std::min(ox_lo, g.out_w);
      ox_hi = std::max(ox_lo, std::min(ox_hi, g.out_w));
      for (int64_t oy = 0; oy < g.out_h; ++oy) {
        int8_t* out = row + oy * g.out_w;
        const int64_t iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
        if (iy < 0 || iy >= g.in_h) {
          std::memset(out, 0, static_cast<size_t>(g.out_w));
          continue;
        }
        if (ox_lo > 0) std::memset(out, 0, static_cast<size_t>(ox_lo));
        if (ox_hi < g.out_w) std::memset(out + ox_hi, 0, static_cast<size_t>(g.out_w - ox_hi));
        const int8_t* src = plane + iy * g.in_w + ox_lo * g.stride_w - d;
        if (g.stride_w == 1) {
          std::memcpy(out + ox_lo, src, static_cast<size_t>(ox_hi - ox_lo));
        } else {
          for (int64_t i = 0; i < ox_hi - ox_lo; ++i) out[ox_lo + i] = src[i * g.stride_w];
        }
      }
    }
  };
  if (!parallel) {
    fill(0, gemm_k_);
    return;
  }
  constexpr int64_t kMinChunkBytes = int64_t{1} << 14;
  ParallelFor(0, gemm_k_, std::max<int64_t>(1, kMinChunkBytes / gemm_n_), fill);
}

void Int8ConvOptimized::RunGemm(const int8_t* x, void* y) const {
  const int64_t problems = batch_ * group_;
  const int64_t macs = gemm_m_ * gemm_n_ * gemm_k_;
  const int64_t channels = in_channels_ / group_;
  const int64_t in_plane = geometry_.in_h * geometry_.in_w;
  const bool int32_output = output_.output_type == 32;
  const int out_size = int32_output ? 4 : 1;
  // `task`: whether this runs inside a ParallelFor body, which must use the body slot for its
  // im2col buffer (an outer frame of the same thread may hold the other one).
  auto run_one = [&](int64_t p, bool parallel, bool task) {
    const int64_t image = p / group_;
    const int64_t group = p % group_;
    const int8_t* input = x + (image * in_channels_ + group * channels) * in_plane;
    S8GemmProblem problem;
    if (pointwise_) {
      problem.activations = {input, in_plane, 1};
    } else {
      auto* buffer = reinterpret_cast<int8_t*>(
          ThreadScratch(task ? ScratchSlot::kConvInputTask : ScratchSlot::kConvInput,
                        static_cast<size_t>(gemm_k_ * gemm_n_ / 4 + 1)));
      Im2Col(input, buffer, parallel);
      problem.activations = {buffer, gemm_n_, 1};
    }
    problem.orientation = orientation_;
    problem.k = gemm_k_;
    problem.channels = gemm_m_;
    problem.positions = gemm_n_;
    problem.weights = packed_[group].panels.data();
    problem.bias = packed_[group].bias.data();
    problem.int32_output = int32_output;
    if (!int32_output) problem.multipliers = output_.multipliers.data() + group * gemm_m_;
    if (output_.fused()) problem.function_table = output_.table.data();
    problem.bounds = output_.bounds;
    problem.out = static_cast<uint8_t*>(y) +
                  (image * out_channels_ + group * gemm_m_) * gemm_n_ * out_size;
    problem.channel_stride = gemm_n_;
    problem.position_stride = 1;
    RunS8Gemm(config_, problem, parallel);
  };
  ForEachConvGemm(problems, macs, kMinChunkMacs, run_one);
}

}  // namespace

KernelOrError CreateInt8ConvOptimizedForIsa(const KernelCreateArgs& args, IsaLevel isa) {
  return Int8ConvOptimized::Create(args, isa);
}

KernelOrError CreateInt8ConvOptimized(const KernelCreateArgs& args) {
  return Int8ConvOptimized::Create(args, ActiveIsaLevel());
}

}  // namespace hb_dnn::kernels::int8
