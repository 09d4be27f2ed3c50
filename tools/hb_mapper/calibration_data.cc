#include "tools/hb_mapper/calibration_data.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/status.h"
#include "tools/onnx_import/onnx_proto_util.h"

namespace hb_dnn::mapper {
namespace {

namespace fs = std::filesystem;

std::string ShapeText(const std::vector<int64_t>& shape) { return absl::StrJoin(shape, "x"); }

int64_t Elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

absl::StatusOr<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& key) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return Errorf(ErrorCode::kCanNotOpenFile, key, ": directory '", dir,
                  "' does not exist (create it with the calibration files of the seed's "
                  "02_preprocess.sh step)");
  }
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error)) files.push_back(it->path().string());
  }
  if (error) {
    return Errorf(ErrorCode::kCanNotOpenFile, key, ": cannot list directory '", dir,
                  "': ", error.message());
  }
  if (files.empty()) {
    return Errorf(ErrorCode::kInvalidArgument, key, ": directory '", dir,
                  "' holds no calibration files");
  }
  std::sort(files.begin(), files.end());
  return files;
}

// (x - mean) * scale per channel, as Preprocess does in the converted model.
void Normalize(const InputConfig& in, const std::vector<int64_t>& shape, std::vector<float>* data) {
  bool use_mean = in.norm_type == "data_mean" || in.norm_type == "data_mean_and_scale";
  bool use_scale = in.norm_type == "data_scale" || in.norm_type == "data_mean_and_scale";
  if (!use_mean && !use_scale) return;
  bool nchw = in.input_layout_train != "NHWC";
  int64_t channels = shape.size() == 4 ? (nchw ? shape[1] : shape[3]) : 1;
  int64_t inner = shape.size() == 4 && nchw ? shape[2] * shape[3] : 1;
  auto pick = [](const std::vector<float>& v, int64_t c) {
    return v.size() == 1 ? v[0] : v[static_cast<size_t>(c) % v.size()];
  };
  for (size_t i = 0; i < data->size(); ++i) {
    int64_t c = (static_cast<int64_t>(i) / inner) % channels;
    float v = (*data)[i];
    if (use_mean) v -= pick(in.mean_value, c);
    if (use_scale) v *= pick(in.scale_value, c);
    (*data)[i] = v;
  }
}

}  // namespace

absl::StatusOr<std::vector<CalibrationInput>> ResolveCalibrationInputs(const MapperConfig& config) {
  absl::StatusOr<onnx::ModelProto> model = onnx_import::ReadModelFile(config.onnx_model);
  if (!model.ok()) return model.status();
  std::set<std::string> initializers;
  for (const onnx::TensorProto& t : model->graph().initializer()) initializers.insert(t.name());
  std::vector<const onnx::ValueInfoProto*> graph_inputs;
  for (const onnx::ValueInfoProto& v : model->graph().input()) {
    if (initializers.count(v.name()) == 0) graph_inputs.push_back(&v);
  }
  if (config.inputs.size() != graph_inputs.size()) {
    std::vector<std::string> names;
    for (const auto* v : graph_inputs) names.push_back(v->name());
    return Errorf(ErrorCode::kInvalidArgument, "input_parameters: ", config.inputs.size(),
                  " input(s) configured, but model '", config.onnx_model, "' has ",
                  graph_inputs.size(), " (", absl::StrJoin(names, ", "), ")");
  }
  std::vector<CalibrationInput> result;
  for (size_t i = 0; i < config.inputs.size(); ++i) {
    const InputConfig& in = config.inputs[i];
    const onnx::ValueInfoProto* match = graph_inputs[i];
    if (!in.name.empty()) {
      auto it = std::find_if(graph_inputs.begin(), graph_inputs.end(),
                             [&](const onnx::ValueInfoProto* v) { return v->name() == in.name; });
      if (it == graph_inputs.end()) {
        return Errorf(ErrorCode::kInvalidArgument, "input_parameters.input_name: '", in.name,
                      "' is not an input of model '", config.onnx_model, "'");
      }
      match = *it;
    }
    CalibrationInput input;
    input.name = match->name();
    if (!in.input_shape.empty()) {
      input.shape = in.input_shape;
    } else {
      for (const onnx::TensorShapeProto::Dimension& d : match->type().tensor_type().shape().dim()) {
        if (!d.has_dim_value() || d.dim_value() < 1) {
          return Errorf(ErrorCode::kInvalidArgument, "The shape of model input:", input.name,
                        " is dynamic (dimension '", d.dim_param(),
                        "'); please specify input_parameters.input_shape");
        }
        input.shape.push_back(d.dim_value());
      }
    }
    result.push_back(std::move(input));
  }
  return result;
}

absl::StatusOr<std::vector<CalibrationSample>> LoadCalibrationData(
    const MapperConfig& config, const std::vector<CalibrationInput>& inputs) {
  const CalibrationConfig& cal = config.calibration;
  if (cal.preprocess_on) {
    return Error(ErrorCode::kInvalidArgument,
                 "calibration_parameters.preprocess_on: True is not supported (images are not "
                 "decoded or resized); give files already in the training shape and set False");
  }
  if (cal.cal_data_dir.size() != inputs.size()) {
    return Errorf(ErrorCode::kInvalidArgument,
                  "calibration_parameters.cal_data_dir: ", cal.cal_data_dir.size(),
                  " directories for ", inputs.size(), " inputs");
  }
  const bool u8 = cal.cal_data_type == "uint8";
  const size_t element_size = u8 ? 1 : sizeof(float);
  std::vector<std::vector<std::string>> files(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string key = inputs.size() > 1
                          ? absl::StrCat("calibration_parameters.cal_data_dir[", i, "]")
                          : "calibration_parameters.cal_data_dir";
    absl::StatusOr<std::vector<std::string>> listed = ListFiles(cal.cal_data_dir[i], key);
    if (!listed.ok()) return listed.status();
    files[i] = std::move(*listed);
    if (files[i].size() != files[0].size()) {
      return Errorf(ErrorCode::kInvalidArgument, "calibration_parameters.cal_data_dir: '",
                    cal.cal_data_dir[i], "' holds ", files[i].size(), " files, but '",
                    cal.cal_data_dir[0], "' holds ", files[0].size(),
                    " (one file per sample and input)");
    }
  }
  std::vector<CalibrationSample> samples(files[0].size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int64_t elements = Elements(inputs[i].shape);
    const uint64_t expected = static_cast<uint64_t>(elements) * element_size;
    const InputConfig* in = i < config.inputs.size() ? &config.inputs[i] : nullptr;
    for (size_t k = 0; k < files[i].size(); ++k) {
      const std::string& path = files[i][k];
      std::error_code error;
      uint64_t size = fs::file_size(path, error);
      if (error) {
        return Errorf(ErrorCode::kCanNotOpenFile, "calibration file '", path,
                      "': ", error.message());
      }
      if (size != expected) {
        return Errorf(ErrorCode::kInvalidArgument, "calibration file '", path, "' has ", size,
                      " bytes, but input '", inputs[i].name, "' of shape ",
                      ShapeText(inputs[i].shape), " in ", cal.cal_data_type, " needs ", expected,
                      " (", elements, " x ", element_size, " bytes)");
      }
      std::ifstream file(path, std::ios::binary);
      std::string bytes(size, '\0');
      if (!file.read(bytes.data(), static_cast<std::streamsize>(size))) {
        return Errorf(ErrorCode::kCanNotOpenFile, "calibration file '", path, "': read failed");
      }
      std::vector<float> values(static_cast<size_t>(elements));
      if (u8) {
        for (int64_t e = 0; e < elements; ++e) values[e] = static_cast<uint8_t>(bytes[e]);
      } else {
        std::memcpy(values.data(), bytes.data(), bytes.size());
      }
      if (in != nullptr) Normalize(*in, inputs[i].shape, &values);
      samples[k].push_back(std::move(values));
    }
  }
  return samples;
}

}  // namespace hb_dnn::mapper
