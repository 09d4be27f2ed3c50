#ifndef HB_DNN_SRC_RUNTIME_MODEL_H_
#define HB_DNN_SRC_RUNTIME_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "hbm_generated.h"

namespace hb_dnn::runtime {

class Program;
}  // namespace hb_dnn::runtime

namespace hb_dnn::bpu {
class Device;
}  // namespace hb_dnn::bpu

namespace hb_dnn::runtime {

// Quantization parameters copied out of the file, so the C API can hand out stable pointers.
struct QuantParams {
  fb::QuantiType type = fb::QuantiType::NONE;
  int32_t axis = 0;
  std::vector<uint8_t> shift;
  std::vector<float> scale;
  std::vector<int8_t> zero_point;
};

// One model input or output as hbDNNTensorProperties describes it.
struct IoTensor {
  std::string name;
  int32_t tensor_index = 0;  // into the model's tensors
  std::vector<int32_t> valid_shape;
  std::vector<int32_t> aligned_shape;
  std::vector<int32_t> stride;
  int32_t aligned_byte_size = 0;
  fb::Layout layout = fb::Layout::NONE;
  fb::DataType data_type = fb::DataType::F32;
  QuantParams quant;
  fb::InputSource input_source = fb::InputSource::DDR;
  int32_t output_operator_type = 0;
  std::string desc;
  fb::DescType desc_type = fb::DescType::UNKNOWN;
};

// An immutable, validated model. `flat()` and `buffer_data()` point into the package's bytes
// (an mmapped file or the library's copy), which outlive the Model: both are owned by the same
// PackedModel.
class Model {
 public:
  Model(const fb::Model* flat, const uint8_t* file_data, const fb::Package* package);
  ~Model();

  const fb::Model* flat() const { return flat_; }
  const std::string& name() const { return name_; }
  const std::string& tag() const { return tag_; }
  const std::string& desc() const { return desc_; }
  fb::DescType desc_type() const { return desc_type_; }
  const std::string& march() const { return march_; }
  const std::vector<IoTensor>& inputs() const { return inputs_; }
  const std::vector<IoTensor>& outputs() const { return outputs_; }

  // Sum of the modelled durations of every BPU function-call, in microseconds.
  int64_t modelled_bpu_latency_us() const { return modelled_bpu_latency_us_; }

  // Bytes of constant buffer `index` (a Package.buffers index), 64-byte aligned.
  const uint8_t* buffer_data(int32_t index) const;
  uint64_t buffer_size(int32_t index) const;

  // The runnable form of the model, built at load (PackedModel); null when it cannot run, with
  // `program_status()` saying why. `bpu_device()` is the BPU its function-calls run on (null for
  // CPU-only models).
  const Program* program() const { return program_.get(); }
  const absl::Status& program_status() const { return program_status_; }
  bpu::Device* bpu_device() const { return bpu_device_; }
  void SetProgram(std::unique_ptr<Program> program, absl::Status status, bpu::Device* device);

 private:
  const fb::Model* flat_;
  const uint8_t* file_data_;
  const fb::Package* package_;
  std::string name_;
  std::string tag_;
  std::string desc_;
  fb::DescType desc_type_;
  std::string march_;
  std::vector<IoTensor> inputs_;
  std::vector<IoTensor> outputs_;
  int64_t modelled_bpu_latency_us_ = 0;
  std::unique_ptr<Program> program_;
  absl::Status program_status_;
  bpu::Device* bpu_device_ = nullptr;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_MODEL_H_
