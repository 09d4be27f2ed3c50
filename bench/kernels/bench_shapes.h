#ifndef HB_DNN_BENCH_KERNELS_BENCH_SHAPES_H_
#define HB_DNN_BENCH_KERNELS_BENCH_SHAPES_H_

// Shapes of the kernel benchmarks, taken from the models the runtime targets (MobileNetV2 and
// ResNet-18 at 224x224, batch 1) plus plain GEMM sizes, and the interface every implementation
// (ours, oneDNN, XNNPACK) is benchmarked through.

#include <cstdint>
#include <memory>
#include <vector>

namespace hb_dnn::bench {

// A 2-D convolution, NCHW, symmetric padding, dilation 1.
struct ConvShape {
  const char* name;
  int64_t n, c, h, w;  // input
  int64_t m;           // output channels
  int64_t kernel, stride, pad, group;

  int64_t out_h() const { return (h + 2 * pad - kernel) / stride + 1; }
  int64_t out_w() const { return (w + 2 * pad - kernel) / stride + 1; }
  double flops() const {
    return 2.0 * n * m * out_h() * out_w() * (c / group) * kernel * kernel;
  }
};

// C (m x n) = A (m x k) * B (k x n) with B a constant (a fully-connected layer's weights).
struct GemmShape {
  const char* name;
  int64_t m, n, k;
  double flops() const { return 2.0 * m * n * k; }
};

inline const std::vector<ConvShape>& ConvShapes() {
  static const std::vector<ConvShape> shapes = {
      // MobileNetV2.
      {"mbv2_conv0_3x3s2_3to32_224", 1, 3, 224, 224, 32, 3, 2, 1, 1},
      {"mbv2_dw3x3_c32_112", 1, 32, 112, 112, 32, 3, 1, 1, 32},
      {"mbv2_pw_32to16_112", 1, 32, 112, 112, 16, 1, 1, 0, 1},
      {"mbv2_pw_16to96_112", 1, 16, 112, 112, 96, 1, 1, 0, 1},
      {"mbv2_dw3x3s2_c96_112", 1, 96, 112, 112, 96, 3, 2, 1, 96},
      {"mbv2_pw_24to144_56", 1, 24, 56, 56, 144, 1, 1, 0, 1},
      {"mbv2_dw3x3_c144_56", 1, 144, 56, 56, 144, 3, 1, 1, 144},
      {"mbv2_pw_144to24_56", 1, 144, 56, 56, 24, 1, 1, 0, 1},
      {"mbv2_dw3x3s2_c144_56", 1, 144, 56, 56, 144, 3, 2, 1, 144},
      {"mbv2_pw_32to192_28", 1, 32, 28, 28, 192, 1, 1, 0, 1},
      {"mbv2_dw3x3_c192_28", 1, 192, 28, 28, 192, 3, 1, 1, 192},
      {"mbv2_pw_192to32_28", 1, 192, 28, 28, 32, 1, 1, 0, 1},
      {"mbv2_pw_64to384_14", 1, 64, 14, 14, 384, 1, 1, 0, 1},
      {"mbv2_dw3x3_c384_14", 1, 384, 14, 14, 384, 3, 1, 1, 384},
      {"mbv2_pw_384to64_14", 1, 384, 14, 14, 64, 1, 1, 0, 1},
      {"mbv2_dw3x3s2_c576_14", 1, 576, 14, 14, 576, 3, 2, 1, 576},
      {"mbv2_pw_160to960_7", 1, 160, 7, 7, 960, 1, 1, 0, 1},
      {"mbv2_dw3x3_c960_7", 1, 960, 7, 7, 960, 3, 1, 1, 960},
      {"mbv2_pw_960to160_7", 1, 960, 7, 7, 160, 1, 1, 0, 1},
      {"mbv2_pw_320to1280_7", 1, 320, 7, 7, 1280, 1, 1, 0, 1},
      // ResNet-18.
      {"r18_conv1_7x7s2_3to64_224", 1, 3, 224, 224, 64, 7, 2, 3, 1},
      {"r18_3x3_64_56", 1, 64, 56, 56, 64, 3, 1, 1, 1},
      {"r18_3x3s2_64to128_56", 1, 64, 56, 56, 128, 3, 2, 1, 1},
      {"r18_1x1s2_64to128_56", 1, 64, 56, 56, 128, 1, 2, 0, 1},
      {"r18_3x3_128_28", 1, 128, 28, 28, 128, 3, 1, 1, 1},
      {"r18_3x3_256_14", 1, 256, 14, 14, 256, 3, 1, 1, 1},
      {"r18_3x3_512_7", 1, 512, 7, 7, 512, 3, 1, 1, 1},
  };
  return shapes;
}

inline const std::vector<GemmShape>& GemmShapes() {
  static const std::vector<GemmShape> shapes = {
      {"fc_r18_1x1000x512", 1, 1000, 512},
      {"fc_mbv2_1x1000x1280", 1, 1000, 1280},
      {"fc_batch8_8x1000x1280", 8, 1000, 1280},
      {"gemm_64x64x64", 64, 64, 64},
      {"gemm_197x768x768", 197, 768, 768},
      {"gemm_256x256x256", 256, 256, 256},
      {"gemm_512x512x512", 512, 512, 512},
      {"gemm_1024x1024x1024", 1024, 1024, 1024},
      {"gemm_odd_333x555x777", 333, 555, 777},
  };
  return shapes;
}

// One prepared operator (weights packed, buffers allocated); Run computes it once.
class Runner {
 public:
  virtual ~Runner() = default;
  virtual void Run() = 0;
};

// Factories of the peers; null when the library is not built in or rejects the shape. `threads`
// is the thread count the runner uses.
std::unique_ptr<Runner> MakeOneDnnConv(const ConvShape& shape, int threads);
std::unique_ptr<Runner> MakeOneDnnGemm(const GemmShape& shape, int threads);
std::unique_ptr<Runner> MakeXnnpackConv(const ConvShape& shape, int threads);
std::unique_ptr<Runner> MakeXnnpackGemm(const GemmShape& shape, int threads);

// int8 peers (quantized inference: int8 weights, int32 bias, int8 or uint8 activations,
// requantized int8 output). oneDNN: u8 activations x s8 weights with per-channel output scales.
// XNNPACK: qs8 (one weight scale) and qc8 (per-channel weight scales) NHWC convolutions and the
// qs8 fully-connected operator.
std::unique_ptr<Runner> MakeOneDnnConvU8S8(const ConvShape& shape, int threads);
std::unique_ptr<Runner> MakeOneDnnGemmU8S8(const GemmShape& shape, int threads);
std::unique_ptr<Runner> MakeXnnpackConvQs8(const ConvShape& shape, int threads);
std::unique_ptr<Runner> MakeXnnpackConvQc8(const ConvShape& shape, int threads);
std::unique_ptr<Runner> MakeXnnpackGemmQs8(const GemmShape& shape, int threads);

}  // namespace hb_dnn::bench

#endif  // HB_DNN_BENCH_KERNELS_BENCH_SHAPES_H_
