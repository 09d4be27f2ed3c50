#ifndef HB_DNN_SRC_KERNELS_UKERNELS_S8_GEMM_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_S8_GEMM_H_

// int8 GEMM and depthwise-convolution microkernels of the hb_dnn.bpu kernels, one set per ISA
// level, selected once per process (GetS8GemmConfig). They accumulate exactly in int32 and end
// with the requantization rule of docs/int8_numerics.md (or store the int32 accumulators).
//
// A tile is `rows` x nr outputs (rows <= mr): C[i][j] = sum over k of R[k][i] * V[k][j], where
// R (the "row" operand, broadcast per row) and V (the "column" operand, one vector per k group)
// come packed as panels. One of the two is the activations and the other the weights, and
// S8Orientation says which; the activations' operand is the one that carries the config's
// `activation_offset` (VNNI's vpdpbusd multiplies an unsigned by a signed byte, so activations
// are stored as x + 128 there and the kernels fold -128 * sum(w) per channel into the bias).
//
// Packed layout ("panels"): a logical matrix X with K rows and N columns is cut into panels of
// `width` consecutive columns; K is padded to kpad = RoundUp(K, kr) and grouped by kr, and
// element (k, j) of a panel is at [(k / kr) * width * kr + j * kr + k % kr]. Elements are int8
// (elem_size 1) or int16 (elem_size 2, sign-extended); every element, padding included, holds
// x + offset with x = 0 for padding.

#include <cstdint>

#include "src/base/cpu_features.h"
#include "src/kernels/ukernels/conv2d_geometry.h"

namespace hb_dnn::kernels::ukernels {

// Most rows any int8 microkernel tile has.
inline constexpr int kMaxS8GemmMr = 16;

// Which operand is which. kWeightsInRows: R is the weights (W^T, one output channel per tile
// row), V the activations (one output position per column), the form of an NCHW convolution.
// kWeightsInColumns: R is the activations, V the weights (one output channel per column), the
// form of Gemm/MatMul and of a transposed convolution GEMM.
enum class S8Orientation : int { kWeightsInRows = 0, kWeightsInColumns = 1 };

// A logical int8 matrix X (K x N) as base[k * row_stride + n * col_stride].
struct S8Matrix {
  const int8_t* base = nullptr;
  int64_t row_stride = 0;
  int64_t col_stride = 0;
};

// What a tile does after its K loop. `channel` indexes the output channel of each tile row
// (kWeightsInRows) or column (kWeightsInColumns); both arrays are offset to the tile's first
// channel. With int32_output, C + bias is stored as int32; otherwise
//   out = clamp(saturate_int8(round_half_even(float(C + bias) * multiplier)), q_min, q_max).
// Output element (i, j) is at out[i * out_row_stride + j * out_col_stride] (elements).
struct S8GemmTile {
  const int32_t* bias = nullptr;        // never null (compensation is folded into it)
  const float* multiplier = nullptr;    // unused with int32_output
  bool int32_output = false;
  int32_t q_min = -128;
  int32_t q_max = 127;
  void* out = nullptr;
  int64_t out_row_stride = 0;
  int64_t out_col_stride = 1;
  int cols = 0;  // valid columns, 1..nr
};

// One tile of `rows` rows (the function's row count): `kgroups` = kpad / kr groups of K, `r` an
// R panel (width mr), `v` a V panel (width nr).
using S8GemmUkernelFn = void (*)(int64_t kgroups, const void* r, const void* v,
                                 const S8GemmTile& tile);

// Packs all K rows and columns [n0, n0 + nc) of `x` into ceil(nc / width) consecutive panels at
// dst, adding `offset` (0 or the config's activation_offset) to every element.
using S8PackFn = void (*)(const S8Matrix& x, int64_t k, int64_t n0, int64_t nc, int width,
                          int offset, void* dst);

// Depthwise convolution of one channel plane (direct, no GEMM). The input plane is first copied
// by `dw_fill` into an int32 scratch with its zero padding materialized and split by stride_w
// into phases, so that every tap reads a contiguous run; then `dw_plane` computes an output
// plane from it (several output channels may share one filled input plane).

// The scratch layout dw_fill writes: padded row r, column c at
//   [r * row_stride + (c % stride_w) * phase_length + c / stride_w].
struct S8DwLayout {
  int64_t rows = 0;
  int64_t phase_length = 0;
  int64_t row_stride = 0;
  int64_t total = 0;  // int32 elements

  // `vector` is the config's dw_vector (reads run up to a whole vector past out_w).
  static S8DwLayout Of(const Conv2dGeometry& g, int vector) {
    S8DwLayout l;
    l.rows = (g.out_h - 1) * g.stride_h + (g.kernel_h - 1) * g.dilation_h + 1;
    const int64_t padded_w = (g.out_w - 1) * g.stride_w + (g.kernel_w - 1) * g.dilation_w + 1;
    const int64_t reach = (g.out_w + vector - 1) / vector * vector +
                          (g.kernel_w - 1) * g.dilation_w / g.stride_w;
    const int64_t phase = (padded_w + g.stride_w - 1) / g.stride_w;
    l.phase_length = reach > phase ? reach : phase;
    l.row_stride = l.phase_length * g.stride_w;
    l.total = l.rows * l.row_stride;
    return l;
  }
};

using S8DwFillFn = void (*)(const Conv2dGeometry& g, const int8_t* x, int32_t* scratch);

// Most taps (kernel_h * kernel_w) dw_plane takes; larger depthwise kernels run as grouped GEMMs.
inline constexpr int kMaxS8DwTaps = 64;

// One output plane (taps <= kMaxS8DwTaps):
//   y = rule(sum over taps of w[ky * kernel_w + kx] * x + bias)
// (int8), or the int32 sum + bias (int32_output).
struct S8DwPlaneParams {
  int32_t bias = 0;
  float multiplier = 1.0f;
  bool int32_output = false;
  int32_t q_min = -128;
  int32_t q_max = 127;
};
using S8DwPlaneFn = void (*)(const Conv2dGeometry& g, const int32_t* scratch, const int8_t* w,
                             const S8DwPlaneParams& params, void* y);

// Channel-blocked depthwise convolution: kS8DwBlock output channels at once, one per int32
// lane, so that small planes and strides fill the vectors. A task covers one block and a band
// of output rows [oy_begin, oy_end): it transposes the input rows the band reads into a zero-
// padded scratch of "column pair" entries (padded row r, pair j: per lane the int16 pair
// (x[2j - pad_cols], x[2j + 1 - pad_cols]) of its input channel, row r of the band), multiplies
// them by int16 weight pairs (vpdpwssd / vpmaddwd: exact), requantizes and transposes the band's
// outputs back into the NCHW planes. Expanded (dilated) kernel column kx reads padded column
// ox * stride_w - pad_left + pad_cols + kx; with the parity q of its first column, kernel row
// ky and pair p multiply the weight pair of expanded columns (2p - q, 2p + 1 - q) (zero outside
// the kernel and between dilated taps).
inline constexpr int kS8DwBlock = 16;

struct S8DwBlockedPlan {
  Conv2dGeometry g;
  int64_t pairs = 1;      // column pairs read per kernel row
  int64_t pad_cols = 0;   // pad_left rounded up to even
  int64_t row_pairs = 0;  // entries per transposed row

  static S8DwBlockedPlan Of(const Conv2dGeometry& g) {
    S8DwBlockedPlan p;
    p.g = g;
    const int64_t kernel_w_eff = (g.kernel_w - 1) * g.dilation_w + 1;
    p.pairs = (kernel_w_eff + 2) / 2;
    p.pad_cols = (g.pad_left + 1) / 2 * 2;
    p.row_pairs = ((g.out_w - 1) * g.stride_w - g.pad_left + p.pad_cols) / 2 + p.pairs;
    return p;
  }
  // Transposed input rows a band of `band` output rows reads.
  int64_t BandRows(int64_t band) const {
    return (band - 1) * g.stride_h + (g.kernel_h - 1) * g.dilation_h + 1;
  }
  // int32 weight pairs of one block: [parity][kernel row][pair][lane].
  int64_t WeightsPerBlock() const { return 2 * g.kernel_h * pairs * kS8DwBlock; }
  // Scratch of a task of `band` output rows: the transposed rows, then the band's outputs
  // (int32 or int8 per lane, 16 positions of slack).
  int64_t ScratchBytes(int64_t band) const {
    return BandRows(band) * row_pairs * kS8DwBlock * 4 + (band * g.out_w + 16) * kS8DwBlock * 4;
  }
};

struct S8DwBlockArgs {
  const S8DwBlockedPlan* plan = nullptr;
  const int8_t* src[kS8DwBlock] = {};  // each lane's input plane; nullptr past the last channel
  void* dst[kS8DwBlock] = {};          // each lane's output plane; nullptr past the last channel
  const int32_t* weights = nullptr;    // WeightsPerBlock() entries
  const int32_t* bias = nullptr;       // kS8DwBlock
  const float* multiplier = nullptr;   // kS8DwBlock; unused with int32_output
  bool int32_output = false;
  int32_t q_min = -128;
  int32_t q_max = 127;
  int64_t oy_begin = 0;
  int64_t oy_end = 0;
  void* scratch = nullptr;  // ScratchBytes(oy_end - oy_begin), 64-byte aligned
};
using S8DwBlockFn = void (*)(const S8DwBlockArgs& args);

struct S8GemmConfig {
  IsaLevel isa = IsaLevel::kScalar;
  const char* name = "";
  int mr = 0;         // tile rows, <= kMaxS8GemmMr
  int nr = 0;         // tile columns
  int kr = 1;         // K group of the packed layout
  int elem_size = 1;  // bytes per packed element
  int activation_offset = 0;  // added to activations when packing (128 on VNNI)
  // ukernel[orientation][r] computes tiles of r rows, 1 <= r <= mr.
  S8GemmUkernelFn ukernel[2][kMaxS8GemmMr + 1] = {};
  S8PackFn pack = nullptr;
  S8DwFillFn dw_fill = nullptr;
  S8DwPlaneFn dw_plane = nullptr;
  int dw_vector = 1;  // output columns per depthwise vector
  S8DwBlockFn dw_block = nullptr;  // channel-blocked depthwise, when the variant has one

  int64_t KPadded(int64_t k) const { return (k + kr - 1) / kr * kr; }
  // Bytes of the panels of an operand with k rows and `cols` columns at `width`.
  int64_t PackedSize(int64_t k, int64_t cols, int width) const {
    return (cols + width - 1) / width * width * KPadded(k) * elem_size;
  }
};

// The configuration for the best variant compiled in at or below `level` and the hardware's
// (scalar always is). Thread-safe; the reference lives for the process.
const S8GemmConfig& GetS8GemmConfig(IsaLevel level);

// Per-ISA initializers (s8_gemm_<isa>.cc), listed in s8_gemm.inc.
#define HB_DNN_S8_GEMM_VARIANT(level, suffix) void InitS8Gemm##suffix(S8GemmConfig* config);
#include "src/kernels/ukernels/s8_gemm.inc"
#undef HB_DNN_S8_GEMM_VARIANT

}  // namespace hb_dnn::kernels::ukernels

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_S8_GEMM_H_
