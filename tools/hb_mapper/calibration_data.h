#ifndef HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_DATA_H_
#define HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_DATA_H_

// Loads `hb_mapper makertbin`'s calibration files (the seed's 02_preprocess.sh output) into the
// samples mapper::Convert takes.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hb_mapper/converter.h"
#include "tools/hb_mapper/mapper_config.h"

namespace hb_dnn::mapper {

// A float model input as the calibration files must hold it.
struct CalibrationInput {
  std::string name;
  std::vector<int64_t> shape;  // the training shape (input_shape when given, else the model's)
};

// The ONNX model's graph inputs (initializers excluded) in order, matched with config.inputs:
// by input_name, or by position when input_name is empty. The shape is input_shape when given,
// else the declared one, which must then be static. Errors name the input and the shape.
absl::StatusOr<std::vector<CalibrationInput>> ResolveCalibrationInputs(const MapperConfig& config);

// Reads every regular file of each config.calibration.cal_data_dir[i] (one directory per input,
// files in sorted name order; sample k takes the k-th file of every directory). Each file is the
// raw tensor of inputs[i].shape, float32 or uint8 per cal_data_type (little-endian, no header).
// The samples are then normalized as the YAML says ((x - mean) * scale per channel of
// input_layout_train), because the converter takes samples in the float model's domain.
// Errors (naming the directory, file and sizes): a missing or empty directory, a file whose size
// is not the shape's element count times the element size, directories with different file
// counts, preprocess_on (images are not decoded: prepare files of the training shape).
absl::StatusOr<std::vector<CalibrationSample>> LoadCalibrationData(
    const MapperConfig& config, const std::vector<CalibrationInput>& inputs);

}  // namespace hb_dnn::mapper

#endif  // HB_DNN_TOOLS_HB_MAPPER_CALIBRATION_DATA_H_
