// Optimized fp32 Conv (1-D and 2-D, NCHW). Paths, chosen at Prepare:
// - depthwise (group == C, one input channel per group): ukernels/f32_dwconv.h, in its flat
//   form for wide rows and its channel-blocked form for short ones, parallel over planes or
//   channel blocks;
// - everything else as one GEMM per (image, group): Y_g (M x HW) = W_g (M x K) * X̂_g (K x HW)
//   with K = C/group * kh * kw and X̂ the im2col matrix, never materialized: 1x1 stride-1
//   unpadded convolutions read the input as a plain matrix, the others first copy the group's
//   input once into its polyphase form (padding materialized, split by stride), from which the
//   driver packs im2col panels with plain copies (ukernels::PolyphaseIm2Col). The weights are
//   packed once at Prepare.
// - When HW is small next to the tile width (late layers: 7x7, 14x14), the GEMM is computed
//   transposed, Y^T (HW x M) = X̂^T * W^T, so that the channel count fills the vector
//   dimension instead, and written back transposed.
// float64 and 3-D (or higher) convolutions run on the wrapped reference kernel.

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "src/base/aligned_buffer.h"
#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/optimized/gemm_driver.h"
#include "src/kernels/optimized/optimized_kernels.h"
#include "src/kernels/optimized/scratch.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"
#include "src/kernels/ukernels/f32_dwconv.h"
#include "src/kernels/ukernels/f32_gemm.h"

namespace hb_dnn::kernels::optimized {
namespace {

using ukernels::Conv2dGeometry;
using ukernels::F32DwConvConfig;
using ukernels::F32GemmConfig;
using ukernels::F32StridedMatrix;

// Output widths below which depthwise convolutions use the channel-blocked form.
constexpr int64_t kDwBlockedMaxWidth = 64;

// Multiply-adds below which a ParallelFor chunk is not worth its scheduling cost.
constexpr int64_t kMinChunkMacs = int64_t{1} << 16;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Fraction of a padded tile grid doing useful work.
double TileEfficiency(int64_t m, int64_t mr, int64_t n, int64_t nr) {
  return static_cast<double>(m) / (CeilDiv(m, mr) * mr) *
         (static_cast<double>(n) / (CeilDiv(n, nr) * nr));
}

enum class ConvPath { kReference, kDepthwise, kGemm };

class ConvKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args, IsaLevel isa) {
    auto kernel = std::unique_ptr<ConvKernel>(new ConvKernel(isa));
    HB_ASSIGN_OR_RETURN(kernel->reference_, nn::CreateConvKernel(args));
    HB_ASSIGN_OR_RETURN(kernel->window_, nn::ReadWindowAttributes(args.attributes, "Conv"));
    HB_ASSIGN_OR_RETURN(kernel->group_, nn::ReadConvGroup(args.attributes, "Conv"));
    HB_ASSIGN_OR_RETURN(auto clamp, ReadFusedClamp(args.attributes));
    if (clamp.has_value()) kernel->SetActivation({clamp->first, clamp->second});
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  void SetActivation(const FusedActivation& activation) {
    clamp_ = true;
    clamp_min_ = activation.min;
    clamp_max_ = activation.max;
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override;

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override;

 private:
  explicit ConvKernel(IsaLevel isa)
      : gemm_config_(ukernels::GetF32GemmConfig(isa)),
        dw_config_(ukernels::GetF32DwConvConfig(isa)) {}

  // The fused activation for outputs of the reference path.
  void ClampOutput(const TensorView& y) const {
    const int64_t count = y.num_elements();
    if (y.dtype == DType::kF64) {
      double* data = y.as<double>();
      for (int64_t i = 0; i < count; ++i) data[i] = std::min<double>(std::max<double>(data[i], clamp_min_), clamp_max_);
    } else {
      float* data = y.as<float>();
      for (int64_t i = 0; i < count; ++i) data[i] = std::min(std::max(data[i], clamp_min_), clamp_max_);
    }
  }

  void RunDepthwise(const float* x, const float* w, const float* bias, float* y) const;
  void RunGemm(const float* x, const float* w, const float* bias, float* y) const;
  // Writes the polyphase input (ukernels::PolyphaseIm2Col) of the group whose first input
  // channel is at `x` into `buffer` (in_channels / group * polyphase_channel_stride_ floats).
  // In parallel (over channels) unless called from a ParallelFor body.
  void BuildPolyphase(const float* x, float* buffer, bool parallel) const;

  const F32GemmConfig& gemm_config_;
  const F32DwConvConfig& dw_config_;
  std::unique_ptr<OpKernel> reference_;
  nn::WindowAttributes window_;
  int64_t group_ = 1;
  bool clamp_ = false;
  float clamp_min_ = 0.0f;
  float clamp_max_ = 0.0f;

  // Prepared.
  ConvPath path_ = ConvPath::kReference;
  int64_t batch_ = 0;
  int64_t in_channels_ = 0;
  int64_t out_channels_ = 0;
  Conv2dGeometry geometry_;  // 2-D view of the window (1-D convolutions have height 1)
  bool has_bias_ = false;
  bool dw_blocked_ = false;  // depthwise path: channel-blocked form
  // GEMM path: per group, M x K weights times K x N columns.
  int64_t gemm_m_ = 0;
  int64_t gemm_n_ = 0;
  int64_t gemm_k_ = 0;
  bool pointwise_ = false;   // 1x1, stride 1, no padding: X̂ is the input itself
  bool transposed_ = false;  // GEMM rows are output positions
  // Otherwise X̂ is read from the polyphase input (ukernels::PolyphaseIm2Col).
  int64_t polyphase_row_length_ = 0;
  int64_t polyphase_subplane_ = 0;
  int64_t polyphase_channel_stride_ = 0;
  AlignedBytes packed_weights_;  // per group, PackedOperandSize floats; null: pack per Run
  int64_t packed_group_stride_ = 0;
};

absl::Status ConvKernel::Prepare(const std::vector<TensorInfo>& inputs,
                                 std::vector<TensorInfo>* outputs) {
  // The reference kernel validates the node and computes the output shape; any case the fast
  // paths do not cover stays with it.
  HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
  path_ = ConvPath::kReference;
  packed_weights_.reset();
  const TensorInfo& x = inputs[0];
  const TensorInfo& w = inputs[1];
  const size_t rank = x.shape.size() - 2;
  if (x.dtype != DType::kF32 || rank < 1 || rank > 2) return absl::OkStatus();
  nn::ConvPlan plan = nn::ConvPlanOf(x, w, group_);
  HB_RETURN_IF_ERROR(nn::ResolveConvWindow("Conv", window_, &plan));
  batch_ = plan.batch;
  in_channels_ = plan.in_channels;
  out_channels_ = plan.out_channels;
  has_bias_ = inputs.size() > 2 && inputs[2].present();
  geometry_ = nn::Conv2dView(plan);
  const Conv2dGeometry& g = geometry_;
  const int64_t taps = g.kernel_h * g.kernel_w;

  if (group_ == in_channels_ && w.shape[1] == 1 && taps <= ukernels::kMaxDwTaps) {
    path_ = ConvPath::kDepthwise;
    // Short rows waste most of each vector in the flat form and pay its per-plane costs; there
    // the channel-blocked form wins.
    dw_blocked_ = g.out_w < kDwBlockedMaxWidth;
    return absl::OkStatus();
  }

  path_ = ConvPath::kGemm;
  gemm_m_ = out_channels_ / group_;
  gemm_k_ = (in_channels_ / group_) * taps;
  gemm_n_ = g.out_h * g.out_w;
  pointwise_ = taps == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_top == 0 &&
               g.pad_left == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
  // The polyphase input (ukernels::PolyphaseIm2Col) uses the depthwise kernels' sub-plane
  // layout.
  const ukernels::DwConvLayout<> layout = ukernels::DwConvLayout<>::Of(g, dw_config_.tile);
  polyphase_row_length_ = layout.row_length;
  polyphase_subplane_ = layout.subplane;
  polyphase_channel_stride_ = layout.subplanes * layout.subplane;
  // Transpose when it fills the tiles noticeably better; the transposed write-back costs about
  // one pass over the output, which a short K does not amortize.
  const int mr = gemm_config_.mr;
  const int nr = gemm_config_.nr;
  const double normal = TileEfficiency(gemm_m_, mr, gemm_n_, nr);
  const double transposed = TileEfficiency(gemm_n_, mr, gemm_m_, nr) *
                            (static_cast<double>(gemm_k_) / static_cast<double>(gemm_k_ + 8));
  transposed_ = transposed > normal * 1.05;

  if (w.data != nullptr) {
    // W_g^T (K x M) is the weight operand in both orientations: A (panels of mr output
    // channels) normally, B (panels of nr) when transposed.
    const int width = transposed_ ? nr : mr;
    packed_group_stride_ = PackedOperandSize(gemm_k_, gemm_m_, width);
    packed_weights_ = AllocateAligned(packed_group_stride_ * group_ * sizeof(float));
    if (packed_weights_ == nullptr) {
      return KernelError("Conv: cannot allocate ", packed_group_stride_ * group_ * 4,
                         " bytes for packed weights");
    }
    float* packed = reinterpret_cast<float*>(packed_weights_.get());
    for (int64_t gi = 0; gi < group_; ++gi) {
      const F32StridedMatrix wt{w.as<float>() + gi * gemm_m_ * gemm_k_, 1, gemm_k_};
      PackOperand(gemm_config_, wt, gemm_k_, gemm_m_, width, packed + gi * packed_group_stride_);
    }
  }
  return absl::OkStatus();
}

absl::Status ConvKernel::Run(const std::vector<ConstTensorView>& inputs,
                             const std::vector<TensorView>& outputs) const {
  if (path_ == ConvPath::kReference) {
    HB_RETURN_IF_ERROR(reference_->Run(inputs, outputs));
    if (clamp_) ClampOutput(outputs[0]);
    return absl::OkStatus();
  }
  const float* x = inputs[0].as<float>();
  const float* w = inputs[1].as<float>();
  const float* bias = has_bias_ ? inputs[2].as<float>() : nullptr;
  float* y = outputs[0].as<float>();
  if (path_ == ConvPath::kDepthwise) {
    RunDepthwise(x, w, bias, y);
  } else {
    RunGemm(x, w, bias, y);
  }
  return absl::OkStatus();
}

void ConvKernel::RunDepthwise(const float* x, const float* w, const float* bias,
                              float* y) const {
  const Conv2dGeometry& g = geometry_;
  const int64_t multiplier = out_channels_ / in_channels_;
  const int64_t in_plane = g.in_h * g.in_w;
  const int64_t out_plane = g.out_h * g.out_w;
  const int64_t taps = g.kernel_h * g.kernel_w;
  ukernels::F32DwConvParams params;
  params.clamp = clamp_;
  params.min = clamp_min_;
  params.max = clamp_max_;
  if (dw_blocked_) {
    // Blocks of `block` consecutive output channels per image.
    const int block = dw_config_.block;
    const int64_t blocks_per_image = (out_channels_ + block - 1) / block;
    const int64_t grain =
        std::max<int64_t>(1, kMinChunkMacs / std::max<int64_t>(1, block * out_plane * taps));
    const size_t scratch_floats = ukernels::DwConvBlockedLayout<>::Of(g, block).total;
    ParallelFor(0, batch_ * blocks_per_image, grain, [&](int64_t begin, int64_t end) {
      float* scratch = ThreadScratch(ScratchSlot::kPackB, scratch_floats);
      const float* inputs[ukernels::kMaxDwBlock];
      for (int64_t t = begin; t < end; ++t) {
        const int64_t image = t / blocks_per_image;
        const int64_t first = (t % blocks_per_image) * block;
        const int lanes = static_cast<int>(std::min<int64_t>(block, out_channels_ - first));
        for (int i = 0; i < block; ++i) {
          // Lanes past the last channel repeat it; their results are dropped.
          const int64_t oc = first + std::min(i, lanes - 1);
          inputs[i] = x + (image * in_channels_ + oc / multiplier) * in_plane;
        }
        dw_config_.channel_block(g, inputs, lanes, w + first * taps,
                                 bias != nullptr ? bias + first : nullptr,
                                 y + (image * out_channels_ + first) * out_plane, scratch, params);
      }
    });
    return;
  }
  const int64_t planes = batch_ * in_channels_;
  const int64_t grain =
      std::max<int64_t>(1, kMinChunkMacs / std::max<int64_t>(1, multiplier * out_plane * taps));
  const size_t scratch_floats = ukernels::DwConvLayout<>::Of(g, dw_config_.tile).total;
  ParallelFor(0, planes, grain, [&](int64_t begin, int64_t end) {
    float* scratch = ThreadScratch(ScratchSlot::kPackB, scratch_floats);
    for (int64_t p = begin; p < end; ++p) {
      // Input plane p feeds output channels [c * multiplier, (c + 1) * multiplier).
      const int64_t c = p % in_channels_;
      const int64_t first = c * multiplier;
      dw_config_.planes(g, x + p * in_plane, multiplier, w + first * taps,
                        bias != nullptr ? bias + first : nullptr, y + p * multiplier * out_plane,
                        scratch, params);
    }
  });
}

void ConvKernel::BuildPolyphase(const float* x, float* buffer, bool parallel) const {
  const int64_t channels = in_channels_ / group_;
  const int64_t plane = geometry_.in_h * geometry_.in_w;
  auto fill = [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      dw_config_.fill_polyphase(geometry_, x + c * plane, buffer + c * polyphase_channel_stride_);
    }
  };
  if (!parallel) {
    fill(0, channels);
    return;
  }
  // A copy: chunks of about kMinChunkFloats floats.
  constexpr int64_t kMinChunkFloats = int64_t{1} << 14;
  ParallelFor(0, channels, std::max<int64_t>(1, kMinChunkFloats / std::max<int64_t>(1, plane)),
              fill);
}

void ConvKernel::RunGemm(const float* x, const float* w, const float* bias, float* y) const {
  const Conv2dGeometry& g = geometry_;
  const int64_t problems = batch_ * group_;
  const int64_t macs = gemm_m_ * gemm_n_ * gemm_k_;
  const int64_t channels = in_channels_ / group_;
  const int64_t in_plane = g.in_h * g.in_w;
  // `task`: whether this runs inside a ParallelFor body, which must use the body slot for its
  // polyphase buffer (an outer frame of the same thread may hold the other one).
  auto run_one = [&](int64_t p, bool parallel, bool task) {
    const int64_t image = p / group_;
    const int64_t group = p % group_;
    const float* input = x + (image * in_channels_ + group * channels) * in_plane;
    const F32StridedMatrix columns{input, in_plane, 1};
    const F32StridedMatrix weights_t{w + group * gemm_m_ * gemm_k_, 1, gemm_k_};
    ukernels::PolyphaseIm2Col im2col;
    GemmOperand data;
    if (pointwise_) {
      data.matrix = &columns;
    } else {
      float* buffer = ThreadScratch(task ? ScratchSlot::kConvInputTask : ScratchSlot::kConvInput,
                                    channels * polyphase_channel_stride_);
      BuildPolyphase(input, buffer, parallel);
      im2col.buffer = buffer;
      im2col.channel_stride = polyphase_channel_stride_;
      im2col.subplane_stride = polyphase_subplane_;
      im2col.row_length = polyphase_row_length_;
      im2col.out_w = g.out_w;
      im2col.kernel_h = g.kernel_h;
      im2col.kernel_w = g.kernel_w;
      im2col.stride_h = g.stride_h;
      im2col.stride_w = g.stride_w;
      im2col.dilation_h = g.dilation_h;
      im2col.dilation_w = g.dilation_w;
      data.im2col = &im2col;
    }
    GemmOperand weights;
    if (packed_weights_ != nullptr) {
      weights.prepacked =
          reinterpret_cast<const float*>(packed_weights_.get()) + group * packed_group_stride_;
    } else {
      weights.matrix = &weights_t;
    }
    GemmOutput out;
    out.data = y + (image * out_channels_ + group * gemm_m_) * gemm_n_;
    out.stride = gemm_n_;
    out.transposed = transposed_;
    GemmEpilogue epilogue;
    if (bias != nullptr) {
      epilogue.bias = bias + group * gemm_m_;
      (transposed_ ? epilogue.bias_col_stride : epilogue.bias_row_stride) = 1;
    }
    epilogue.clamp = clamp_;
    epilogue.min = clamp_min_;
    epilogue.max = clamp_max_;
    if (transposed_) {
      optimized::RunGemm(gemm_config_, gemm_n_, gemm_m_, gemm_k_, data, weights, out, epilogue,
                         parallel);
    } else {
      optimized::RunGemm(gemm_config_, gemm_m_, gemm_n_, gemm_k_, weights, data, out, epilogue,
                         parallel);
    }
  };
  ForEachConvGemm(problems, macs, kMinChunkMacs, run_one);
}

}  // namespace

KernelOrError CreateConvKernelForIsa(const KernelCreateArgs& args, IsaLevel isa) {
  return ConvKernel::Create(args, isa);
}

KernelOrError CreateConvKernel(const KernelCreateArgs& args) {
  return ConvKernel::Create(args, ActiveIsaLevel());
}

bool SetConvFusedActivation(OpKernel* kernel, const FusedActivation& activation) {
  auto* conv = dynamic_cast<ConvKernel*>(kernel);
  if (conv == nullptr) return false;
  conv->SetActivation(activation);
  return true;
}

}  // namespace hb_dnn::kernels::optimized
