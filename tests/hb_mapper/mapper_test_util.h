#ifndef HB_DNN_TESTS_HB_MAPPER_MAPPER_TEST_UTIL_H_
#define HB_DNN_TESTS_HB_MAPPER_MAPPER_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hb_dnn/hb_dnn.h"

namespace hb_dnn::testing {

// Loads the model file with libdnn (hbDNNInitializeFromFiles), runs one hbDNNInfer (one vector
// per input: real values for F32 inputs, quantized with the input's scale for S8 ones, byte
// values for image and U8 inputs, which are passed compact) and returns every output as real
// values (integer outputs dequantized with their SCALE parameters, aligned layouts compacted).
// `input_properties` (optional) receives the inputs' properties as libdnn reports them.
absl::StatusOr<std::vector<std::vector<double>>> InferWithLibdnn(
    const std::string& model_path, const std::vector<std::vector<float>>& inputs,
    std::vector<hbDNNTensorProperties>* input_properties = nullptr);

// The same for a model held in memory (hbDNNInitializeFromDDR).
absl::StatusOr<std::vector<std::vector<double>>> InferWithLibdnnFromMemory(
    const std::string& model_bytes, const std::vector<std::vector<float>>& inputs);

double CosineSimilarity(const std::vector<double>& a, const std::vector<double>& b);
double MaxAbsDifference(const std::vector<double>& a, const std::vector<double>& b);

// Deterministic calibration inputs: `reference` itself, then copies with seeded Gaussian noise
// (sigma = noise * the reference's standard deviation) and, for odd samples, flipped along the
// last dimension of `shape`.
std::vector<std::vector<float>> NoisySamples(const std::vector<float>& reference,
                                             const std::vector<int64_t>& shape, int count,
                                             double noise, uint32_t seed);

// `n` floats drawn uniformly from [lo, hi) with a seeded std::mt19937.
std::vector<float> UniformFloats(size_t n, float lo, float hi, uint32_t seed);

// A synthetic NCHW text image in [0, 255]: a light background with seeded dark strokes
// (lines of glyph-like bars).
std::vector<float> SyntheticTextImage(int64_t height, int64_t width, uint32_t seed);

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_HB_MAPPER_MAPPER_TEST_UTIL_H_
