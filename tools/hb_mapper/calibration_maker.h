#ifndef HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_MAKER_H_
#define HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_MAKER_H_

// `hb_mapper makecaldata`: writes deterministic calibration files in the form the seed's
// 02_preprocess.sh step produces (raw tensors of the training shape, cal_data_type, no header),
// so LoadCalibrationData (calibration_data.h) reads them back for makertbin.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/calibration_data.h"
#include "tools/hb_mapper/mapper_config.h"

namespace hb_dnn::mapper {

inline constexpr char kSyntheticTextSource[] = "synthetic_text";

struct CalibrationMakerOptions {
  // A serialized onnx.TensorProto holding one float model input (e.g. the model folder's
  // test_data_set_0/input_0.pb: already normalized, the float model's domain), or
  // kSyntheticTextSource: seeded text-like images in pixel units [0, 255] (3 or 1 channels).
  std::string source;
  int count = 6;       // files to write
  double noise = 0.1;  // .pb source: Gaussian noise sigma, times the tensor's std deviation
  uint32_t seed = 1234;
};

// Writes options.count files "cal_0000.bin", ... into `dir` (created) for model input `input`
// (config.inputs[input_index] gives its norm and layout). File 0 is the source itself; the others
// add seeded noise, odd ones flipped left-right. A .pb source is mapped back out of the norm
// (x / scale + mean), because LoadCalibrationData applies the norm to what it reads; uint8
// files are rounded and clamped to [0, 255]. Errors name the source, the shapes and `dir`.
// Returns the paths written.
absl::StatusOr<std::vector<std::string>> WriteCalibrationData(
    const MapperConfig& config, size_t input_index, const CalibrationInput& input,
    const std::string& dir, const CalibrationMakerOptions& options);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_MAKER_H_
