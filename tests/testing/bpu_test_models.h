#ifndef HB_DNN_TESTS_TESTING_BPU_TEST_MODELS_H_
#define HB_DNN_TESTS_TESTING_BPU_TEST_MODELS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tools/model_builder/model_builder.h"

namespace hb_dnn::testing {

// A small int8 network of hb_dnn.bpu ops (op version 1), all NCHW:
//
//   x F32 (1,3,6,6) --QuantizeLinear(0.05)--> x_q S8
//   function-call 0: conv1 = Conv 3x3 pads 1, 3->8, int32 bias, ReLU6 bounds   -> c1 S8 (1,8,6,6)
//                    dw    = depthwise Conv 3x3 (group 8) of c1                -> c2 S8 (1,8,6,6)
//   function-call 1: add   = Add(c1, c2) with ReLU bounds                      -> s  S8 (1,8,6,6)
//                    gap   = GlobalAveragePool(s)                              -> g  S8 (1,8,1,1)
//   function-call 2: head  = Conv 1x1 8->4, int32 bias, output_type 32         -> y32 S32 (1,4,6,6)
//   DequantizeLinear(y32, per channel kBpuNetHeadScales) -> y F32; DequantizeLinear(g, 0.05) -> gf
//
// Weights and biases are fixed pseudo-random values, so every build of the network computes the
// same function.
enum class BpuNetIo {
  kF32,  // inputs {x}, outputs {y, gf}: a CPU segment quantizes, one dequantizes
  kS8,   // inputs {x_q}, outputs {y32, g}: the BPU reads the input and writes the outputs itself
};

enum class BpuNetPlacement {
  kBpu,  // the int8 nodes form one BPU segment of three function-calls
  kCpu,  // the same nodes, and the (de)quantization, in a single CPU segment
};

struct BpuNetOptions {
  std::string name = "bpu_net";
  std::string march = "bernoulli2";
  BpuNetIo io = BpuNetIo::kF32;
  BpuNetPlacement placement = BpuNetPlacement::kBpu;
  // Modelled durations of the three function-calls, in microseconds.
  std::vector<uint32_t> fc_us = {120, 80, 45};
};

inline constexpr int kBpuNetFcCount = 3;
inline constexpr char kBpuNetSegmentName[] = "bpu_main";
inline constexpr float kBpuNetInputScale = 0.05f;
inline constexpr float kBpuNetGapScale = 0.05f;

// Scale of y32's channel c (x_scale * w_scale[c] of the head Conv): y[c] = y32[c] * scale[c].
std::vector<float> BpuNetHeadScales();

// Adds the network as model `options.name` to `package` (fails the test on builder errors).
void AddBpuNet(tools::PackageBuilder& package, const BpuNetOptions& options);

// A serialized package holding one network per entry of `models`.
std::string BpuNetPackageBytes(const std::vector<BpuNetOptions>& models);

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_TESTING_BPU_TEST_MODELS_H_
