#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_TENSOR_FILE_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_TENSOR_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hb_dnn/hb_dnn.h"

namespace hb_dnn::tools {

// The contents of one --input_file, ready to be copied into any tensor of the input it was read
// for. `compact` means the bytes hold the valid data without padding (the tensor is then
// described with alignedShape = validShape, which hbDNNInfer accepts).
struct InputData {
  std::string bytes;
  bool compact = false;
};

// Reads `path` for the input described by `properties` (`what` names it in errors):
// - .bin: raw bytes, either alignedByteSize (copied as is) or the compact valid size;
// - .txt: numbers separated by white space or commas, one per valid element, converted to the
//   tensor type (integers saturate);
// - .jpg/.jpeg/.png: decoded, resized to the input's H x W and converted to its image type
//   (image_input.h); non-image inputs are an error.
absl::StatusOr<InputData> ReadInputFile(const std::string& path,
                                        const hbDNNTensorProperties& properties,
                                        absl::string_view what);

// Copies `data` into `tensor`'s memory and adjusts its description (compact data). Does not
// flush the cache.
void ApplyInput(const InputData& data, hbDNNTensor* tensor);

// Fills `tensor`'s memory with pseudo-random data from `seed`: floats in [-1, 1), other types
// random bytes. Does not flush the cache.
void FillRandom(uint32_t seed, hbDNNTensor* tensor);

// The valid elements of `tensor` in row-major order of validShape, read through its strides;
// dequantized (SCALE/SHIFT) when `dequantize`. NV12 tensors give their valid bytes.
std::vector<double> ValidValues(const hbDNNTensor& tensor, bool dequantize);

struct DumpOptions {
  bool txt = false;   // txt (valid values) instead of bin
  int precision = 9;  // decimals of floating-point values in txt
  int txt_axis = 4;   // a line holds the elements of dimensions [txt_axis, n)
  bool dequantize = false;
};

// Writes `tensor` to `path_stem` + ".bin" or ".txt". bin holds the aligned buffer as is, or the
// valid values as float32 when dequantizing; txt holds the valid values.
absl::StatusOr<std::string> DumpTensor(const hbDNNTensor& tensor, const std::string& path_stem,
                                       const DumpOptions& options);

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_TENSOR_FILE_H_
