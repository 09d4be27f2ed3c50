// Optimized fp32 2-D ConvTranspose (NCHW) on the blocked GEMM driver. Per image and group it is
// a GEMM followed by a scatter-add (col2im) onto Y, which starts as the bias:
//   cols (Mg*kh*kw x H*W) = W_g^T (Mg*kh*kw x Cg) * X_g (Cg x H*W)
//   Y[m, iy*sh - pad_top + ky*dh, ix*sw - pad_left + kx*dw] += cols[(m*kh + ky)*kw + kx, iy*W + ix]
// The work is cut into tasks of (image, group, block of output channels, chunk of input rows)
// whose column matrix stays in L2: each task runs its GEMM on the calling thread into per-thread
// scratch and scatters it into its own output channels. Chunks of one channel block can write
// overlapping output rows (kernel taller than stride), so the tasks run in two waves, even chunks
// then odd ones; chunks are tall enough that two chunks apart never touch the same row. W^T is
// packed once per (group, channel block) at Prepare when W is constant. When the kernel equals
// the stride without padding (the 2x2 stride-2 upsampling of detection heads), every output
// element receives exactly one product: the scatter then writes bias + product row by row in
// output order and Y is not filled with the bias first. The sums are float32
// (the reference accumulates in double), so results differ from it by rounding only.
// float64, 1-D and 3-D or larger ConvTransposes run on the wrapped reference kernel, which also
// validates every node and computes the output shape.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "src/base/aligned_buffer.h"
#include "src/base/parallel_for.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/optimized/ew_kernels.h"
#include "src/kernels/optimized/gemm_driver.h"
#include "src/kernels/optimized/scratch.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"
#include "src/kernels/ukernels/f32_gemm.h"

namespace hb_dnn::kernels::optimized {
namespace {

using ukernels::F32GemmConfig;
using ukernels::F32StridedMatrix;

constexpr char kOp[] = "ConvTranspose";

// Most GEMM rows (output channels x kernel taps) of one channel block.
constexpr int64_t kMaxBlockRows = 128;
// Target size of one task's column matrix, in floats (256 KiB: well inside L2).
constexpr int64_t kColumnTargetFloats = int64_t{1} << 16;
// Multiply-adds below which a ParallelFor chunk is not worth its scheduling cost.
constexpr int64_t kMinChunkMacs = int64_t{1} << 16;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Floor division for a possibly negative numerator and a positive divisor.
int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// Fraction of a padded tile grid doing useful work.
double TileEfficiency(int64_t m, int64_t mr, int64_t n, int64_t nr) {
  return static_cast<double>(m) / static_cast<double>(CeilDiv(m, mr) * mr) *
         (static_cast<double>(n) / static_cast<double>(CeilDiv(n, nr) * nr));
}

class EwConvTransposeKernel final : public OpKernel {
 public:
  static EwKernelOrError Create(const KernelCreateArgs& args, IsaLevel isa) {
    auto kernel = std::unique_ptr<EwConvTransposeKernel>(new EwConvTransposeKernel(isa));
    // The reference kernel reads and checks the attributes; reading them again cannot fail.
    HB_ASSIGN_OR_RETURN(kernel->reference_, nn::CreateConvTransposeKernel(args));
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(kernel->window_, nn::ReadWindowAttributes(attributes, kOp));
    HB_ASSIGN_OR_RETURN(kernel->group_, attributes.GetInt("group", 1));
    HB_ASSIGN_OR_RETURN(kernel->output_padding_, attributes.GetInts("output_padding"));
    HB_ASSIGN_OR_RETURN(kernel->output_shape_, attributes.GetInts("output_shape"));
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override;

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override;

 private:
  explicit EwConvTransposeKernel(IsaLevel isa) : config_(ukernels::GetF32GemmConfig(isa)) {}

  // The reference's geometry for 2 spatial dimensions (pad_begin and output size per
  // dimension); the node has passed the reference Prepare, so the attributes are consistent.
  absl::Status ComputeGeometry(const std::vector<int64_t>& input,
                               const std::vector<int64_t>& kernel);

  // One task: the GEMM of channel block `block` of `group` over input rows
  // [row_begin, row_begin + rows) of `image`, scattered into y.
  // The bias is added here only with exact_cover_ (otherwise Y starts as the bias).
  void RunTask(const float* x, const float* w, const float* bias, float* y, int64_t image,
               int64_t group, int64_t block, int64_t row_begin, int64_t rows) const;

  const F32GemmConfig& config_;
  std::unique_ptr<OpKernel> reference_;
  nn::WindowAttributes window_;
  int64_t group_ = 1;
  std::vector<int64_t> output_padding_;
  std::vector<int64_t> output_shape_;

  // Prepared.
  bool fast_ = false;
  int64_t batch_ = 0;
  int64_t in_channels_ = 0;
  int64_t out_channels_ = 0;
  int64_t channels_per_group_ = 0;  // Cg: X channels per group, the GEMM depth
  int64_t outputs_per_group_ = 0;   // Mg
  int64_t in_h_ = 0;
  int64_t in_w_ = 0;
  int64_t out_h_ = 0;
  int64_t out_w_ = 0;
  int64_t kernel_h_ = 0;
  int64_t kernel_w_ = 0;
  int64_t stride_h_ = 1;
  int64_t stride_w_ = 1;
  int64_t dilation_h_ = 1;
  int64_t dilation_w_ = 1;
  int64_t pad_top_ = 0;
  int64_t pad_left_ = 0;
  bool has_bias_ = false;
  // Output channels per block (the last block may have fewer) and the block count per group.
  int64_t block_channels_ = 0;
  int64_t blocks_ = 0;
  // Input rows per chunk (the last chunk may have fewer) and the chunk count.
  int64_t chunk_rows_ = 0;
  int64_t chunks_ = 0;
  // The GEMM computes cols^T (positions x rows) instead, when that fills the tiles better.
  bool transposed_ = false;
  // Kernel == stride, no dilation or padding, output = input * stride: a plain tiling.
  bool exact_cover_ = false;
  // Per kernel column kx, the input columns [begin, end) whose outputs land inside Y.
  std::vector<int64_t> column_begin_;
  std::vector<int64_t> column_end_;
  // W^T per (group, block), PackedOperandSize floats each at packed_stride_; null: W is read
  // in place each Run.
  AlignedBytes packed_weights_;
  int64_t packed_stride_ = 0;
};

absl::Status EwConvTransposeKernel::ComputeGeometry(const std::vector<int64_t>& input,
                                                    const std::vector<int64_t>& kernel) {
  constexpr size_t kRank = 2;
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pad_begin;
  std::vector<int64_t> pad_end;
  HB_RETURN_IF_ERROR(nn::ResolveWindowDefaults(window_, kRank, kOp, &strides, &dilations,
                                               &pad_begin, &pad_end));
  const std::vector<int64_t> output_padding =
      output_padding_.empty() ? std::vector<int64_t>(kRank, 0) : output_padding_;
  std::vector<int64_t> output_shape = output_shape_;
  if (output_shape.size() == kRank + 2) {
    output_shape.erase(output_shape.begin(), output_shape.begin() + 2);
  }
  const bool same = window_.auto_pad == nn::AutoPad::kSameUpper ||
                    window_.auto_pad == nn::AutoPad::kSameLower;
  int64_t output[kRank];
  for (size_t i = 0; i < kRank; ++i) {
    const int64_t full = strides[i] * (input[i] - 1) + output_padding[i] +
                         dilations[i] * (kernel[i] - 1) + 1;
    if (!output_shape.empty() || same) {
      const int64_t out = !output_shape.empty() ? output_shape[i] : input[i] * strides[i];
      const int64_t total = full - out;
      const int64_t half = FloorDiv(total, 2);
      pad_begin[i] = window_.auto_pad == nn::AutoPad::kSameUpper ? half : total - half;
      output[i] = out;
    } else {
      if (window_.auto_pad == nn::AutoPad::kValid) {
        pad_begin[i] = 0;
        pad_end[i] = 0;
      }
      output[i] = full - pad_begin[i] - pad_end[i];
    }
  }
  out_h_ = output[0];
  out_w_ = output[1];
  stride_h_ = strides[0];
  stride_w_ = strides[1];
  dilation_h_ = dilations[0];
  dilation_w_ = dilations[1];
  pad_top_ = pad_begin[0];
  pad_left_ = pad_begin[1];
  return absl::OkStatus();
}

absl::Status EwConvTransposeKernel::Prepare(const std::vector<TensorInfo>& inputs,
                                            std::vector<TensorInfo>* outputs) {
  HB_RETURN_IF_ERROR(reference_->Prepare(inputs, outputs));
  fast_ = false;
  packed_weights_.reset();
  const TensorInfo& x = inputs[0];
  const TensorInfo& w = inputs[1];
  if (x.dtype != DType::kF32 || x.shape.size() != 4) return absl::OkStatus();
  batch_ = x.shape[0];
  in_channels_ = x.shape[1];
  in_h_ = x.shape[2];
  in_w_ = x.shape[3];
  kernel_h_ = w.shape[2];
  kernel_w_ = w.shape[3];
  outputs_per_group_ = w.shape[1];
  out_channels_ = outputs_per_group_ * group_;
  channels_per_group_ = in_channels_ / group_;
  has_bias_ = inputs.size() > 2 && inputs[2].present();
  if (batch_ < 1 || channels_per_group_ < 1 || outputs_per_group_ < 1 || in_h_ < 1 ||
      in_w_ < 1) {
    return absl::OkStatus();
  }
  HB_RETURN_IF_ERROR(ComputeGeometry({in_h_, in_w_}, {kernel_h_, kernel_w_}));
  const Shape& y = (*outputs)[0].shape;
  if (y.size() != 4 || y[2] != out_h_ || y[3] != out_w_) return absl::OkStatus();

  const int64_t taps = kernel_h_ * kernel_w_;
  blocks_ = CeilDiv(outputs_per_group_ * taps, kMaxBlockRows);
  block_channels_ = CeilDiv(outputs_per_group_, blocks_);
  blocks_ = CeilDiv(outputs_per_group_, block_channels_);
  const int64_t block_rows = block_channels_ * taps;
  // Two chunks apart never overlap when a chunk's rows span more output rows than the kernel's
  // extent beyond one stride: (kernel_h - 1) * dilation_h < (chunk_rows + 1) * stride_h.
  const int64_t min_rows = (kernel_h_ - 1) * dilation_h_ / stride_h_ + 1;
  chunk_rows_ = std::clamp<int64_t>(kColumnTargetFloats / (block_rows * in_w_), min_rows,
                                    std::max(min_rows, in_h_));
  chunks_ = CeilDiv(in_h_, chunk_rows_);

  const int64_t positions = std::min(chunk_rows_, in_h_) * in_w_;
  const double k = static_cast<double>(channels_per_group_);
  const double normal = TileEfficiency(block_rows, config_.mr, positions, config_.nr);
  const double transposed =
      TileEfficiency(positions, config_.mr, block_rows, config_.nr) * (k / (k + 8));
  transposed_ = transposed > normal * 1.05;
  exact_cover_ = kernel_h_ == stride_h_ && kernel_w_ == stride_w_ && dilation_h_ == 1 &&
                 dilation_w_ == 1 && pad_top_ == 0 && pad_left_ == 0 &&
                 out_h_ == in_h_ * stride_h_ && out_w_ == in_w_ * stride_w_;

  column_begin_.assign(static_cast<size_t>(kernel_w_), 0);
  column_end_.assign(static_cast<size_t>(kernel_w_), 0);
  for (int64_t kx = 0; kx < kernel_w_; ++kx) {
    // Output column ox = ix * stride_w + offset must lie in [0, out_w).
    const int64_t offset = kx * dilation_w_ - pad_left_;
    const int64_t begin = offset >= 0 ? 0 : CeilDiv(-offset, stride_w_);
    const int64_t last = out_w_ - 1 - offset;
    const int64_t end = last < 0 ? 0 : std::min(in_w_, last / stride_w_ + 1);
    column_begin_[static_cast<size_t>(kx)] = std::min(begin, end);
    column_end_[static_cast<size_t>(kx)] = end;
  }

  if (w.data != nullptr) {
    const int width = transposed_ ? config_.nr : config_.mr;
    packed_stride_ = PackedOperandSize(channels_per_group_, block_rows, width);
    const int64_t floats = packed_stride_ * group_ * blocks_;
    packed_weights_ = AllocateAligned(static_cast<size_t>(floats) * sizeof(float));
    if (packed_weights_ == nullptr) {
      return KernelError(kOp, ": cannot allocate ", floats * 4, " bytes for packed weights");
    }
    float* packed = reinterpret_cast<float*>(packed_weights_.get());
    const int64_t w_row = outputs_per_group_ * taps;
    for (int64_t g = 0; g < group_; ++g) {
      for (int64_t b = 0; b < blocks_; ++b) {
        const int64_t first = b * block_channels_;
        const int64_t rows = std::min(block_channels_, outputs_per_group_ - first) * taps;
        const F32StridedMatrix slice{
            w.as<float>() + g * channels_per_group_ * w_row + first * taps, w_row, 1};
        PackOperand(config_, slice, channels_per_group_, rows, width,
                    packed + (g * blocks_ + b) * packed_stride_);
      }
    }
  }
  fast_ = true;
  return absl::OkStatus();
}

void EwConvTransposeKernel::RunTask(const float* x, const float* w, const float* bias, float* y,
                                    int64_t image, int64_t group, int64_t block,
                                    int64_t row_begin, int64_t rows) const {
  const int64_t taps = kernel_h_ * kernel_w_;
  const int64_t first = block * block_channels_;
  const int64_t channels = std::min(block_channels_, outputs_per_group_ - first);
  const int64_t gemm_rows = channels * taps;
  const int64_t positions = rows * in_w_;
  const int64_t in_plane = in_h_ * in_w_;
  const int64_t w_row = outputs_per_group_ * taps;
  float* cols = ThreadScratch(ScratchSlot::kConvInputTask,
                              static_cast<size_t>(block_channels_ * taps * chunk_rows_ * in_w_));

  const F32StridedMatrix data_matrix{
      x + (image * in_channels_ + group * channels_per_group_) * in_plane + row_begin * in_w_,
      in_plane, 1};
  const F32StridedMatrix weight_matrix{
      w + group * channels_per_group_ * w_row + first * taps, w_row, 1};
  GemmOperand data;
  data.matrix = &data_matrix;
  GemmOperand weights;
  if (packed_weights_ != nullptr) {
    weights.prepacked = reinterpret_cast<const float*>(packed_weights_.get()) +
                        (group * blocks_ + block) * packed_stride_;
  } else {
    weights.matrix = &weight_matrix;
  }
  GemmOutput out;
  out.data = cols;
  out.stride = positions;
  out.transposed = transposed_;
  const GemmEpilogue epilogue;
  if (transposed_) {
    RunGemm(config_, positions, gemm_rows, channels_per_group_, data, weights, out, epilogue,
            /*parallel=*/false);
  } else {
    RunGemm(config_, gemm_rows, positions, channels_per_group_, weights, data, out, epilogue,
            /*parallel=*/false);
  }

  const int64_t out_plane = out_h_ * out_w_;
  if (exact_cover_) {
    // Output row iy * kernel_h + ky is input row iy's products of kernel row ky, interleaved:
    // column ix * kernel_w + kx comes from kernel column kx.
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t m = group * outputs_per_group_ + first + c;
      float* y_plane = y + (image * out_channels_ + m) * out_plane;
      const float b = bias != nullptr ? bias[m] : 0.0f;
      for (int64_t ky = 0; ky < kernel_h_; ++ky) {
        const float* src = cols + (c * kernel_h_ + ky) * kernel_w_ * positions;
        for (int64_t iy = row_begin; iy < row_begin + rows; ++iy) {
          float* dst = y_plane + (iy * kernel_h_ + ky) * out_w_;
          const float* s = src + (iy - row_begin) * in_w_;
          if (kernel_w_ == 2) {
            const float* s1 = s + positions;
            for (int64_t ix = 0; ix < in_w_; ++ix) {
              dst[2 * ix] = b + s[ix];
              dst[2 * ix + 1] = b + s1[ix];
            }
            continue;
          }
          for (int64_t ix = 0; ix < in_w_; ++ix) {
            for (int64_t kx = 0; kx < kernel_w_; ++kx) {
              dst[ix * kernel_w_ + kx] = b + s[kx * positions + ix];
            }
          }
        }
      }
    }
    return;
  }
  for (int64_t c = 0; c < channels; ++c) {
    float* y_plane =
        y + (image * out_channels_ + group * outputs_per_group_ + first + c) * out_plane;
    for (int64_t ky = 0; ky < kernel_h_; ++ky) {
      for (int64_t kx = 0; kx < kernel_w_; ++kx) {
        const float* src = cols + ((c * kernel_h_ + ky) * kernel_w_ + kx) * positions;
        const int64_t begin = column_begin_[static_cast<size_t>(kx)];
        const int64_t count = column_end_[static_cast<size_t>(kx)] - begin;
        if (count <= 0) continue;
        const int64_t column = begin * stride_w_ + kx * dilation_w_ - pad_left_;
        for (int64_t iy = row_begin; iy < row_begin + rows; ++iy) {
          const int64_t oy = iy * stride_h_ - pad_top_ + ky * dilation_h_;
          if (oy < 0 || oy >= out_h_) continue;
          float* dst = y_plane + oy * out_w_ + column;
          const float* s = src + (iy - row_begin) * in_w_ + begin;
          if (stride_w_ == 1) {
            for (int64_t i = 0; i < count; ++i) dst[i] += s[i];
          } else {
            for (int64_t i = 0; i < count; ++i) dst[i * stride_w_] += s[i];
          }
        }
      }
    }
  }
}

absl::Status EwConvTransposeKernel::Run(const std::vector<ConstTensorView>& inputs,
                                        const std::vector<TensorView>& outputs) const {
  if (!fast_) return reference_->Run(inputs, outputs);
  const float* x = inputs[0].as<float>();
  const float* w = inputs[1].as<float>();
  const float* bias = has_bias_ ? inputs[2].as<float>() : nullptr;
  float* y = outputs[0].as<float>();

  const int64_t out_plane = out_h_ * out_w_;
  const int64_t planes = batch_ * out_channels_;
  ParallelFor(0, exact_cover_ ? 0 : planes, std::max<int64_t>(1, kColumnTargetFloats / out_plane),
              [&](int64_t begin, int64_t end) {
                for (int64_t p = begin; p < end; ++p) {
                  const float value = bias != nullptr ? bias[p % out_channels_] : 0.0f;
                  std::fill(y + p * out_plane, y + (p + 1) * out_plane, value);
                }
              });

  const int64_t task_macs = block_channels_ * kernel_h_ * kernel_w_ * chunk_rows_ * in_w_ *
                            channels_per_group_;
  const int64_t grain = std::max<int64_t>(1, kMinChunkMacs / std::max<int64_t>(1, task_macs));
  for (int64_t wave = 0; wave < 2; ++wave) {
    // Chunks wave, wave + 2, ... of every (image, group, block).
    const int64_t wave_chunks = (chunks_ - wave + 1) / 2;
    if (wave_chunks == 0) continue;
    ParallelFor(0, batch_ * group_ * blocks_ * wave_chunks, grain,
                [&](int64_t begin, int64_t end) {
                  for (int64_t t = begin; t < end; ++t) {
                    const int64_t chunk = 2 * (t % wave_chunks) + wave;
                    const int64_t rest = t / wave_chunks;
                    const int64_t block = rest % blocks_;
                    const int64_t group = rest / blocks_ % group_;
                    const int64_t image = rest / blocks_ / group_;
                    const int64_t row_begin = chunk * chunk_rows_;
                    RunTask(x, w, bias, y, image, group, block, row_begin,
                            std::min(chunk_rows_, in_h_ - row_begin));
                  }
                });
  }
  return absl::OkStatus();
}

}  // namespace

EwKernelOrError CreateEwConvTransposeKernel(const KernelCreateArgs& args, IsaLevel isa) {
  return EwConvTransposeKernel::Create(args, isa);
}

}  // namespace hb_dnn::kernels::optimized
