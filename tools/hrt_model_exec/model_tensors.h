#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_MODEL_TENSORS_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_MODEL_TENSORS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hb_dnn/hb_dnn.h"

namespace hb_dnn::tools {

// One set of input and output tensors of a model, in cached BPU memory of each tensor's
// alignedByteSize, as a board application allocates them. Frees the memory on destruction.
// Each perf thread owns its own set.
class ModelTensors {
 public:
  static absl::StatusOr<std::unique_ptr<ModelTensors>> Allocate(hbDNNHandle_t model);
  ~ModelTensors();
  ModelTensors(const ModelTensors&) = delete;
  ModelTensors& operator=(const ModelTensors&) = delete;

  hbDNNHandle_t model() const { return model_; }
  std::vector<hbDNNTensor>& inputs() { return inputs_; }
  std::vector<hbDNNTensor>& outputs() { return outputs_; }
  const std::vector<std::string>& input_names() const { return input_names_; }
  const std::vector<std::string>& output_names() const { return output_names_; }

  // Makes the CPU's writes to the inputs visible to the BPU (cache clean).
  absl::Status FlushInputs();
  // Makes the BPU's output writes visible to the CPU (cache invalidate).
  absl::Status InvalidateOutputs();

 private:
  explicit ModelTensors(hbDNNHandle_t model) : model_(model) {}

  hbDNNHandle_t model_;
  std::vector<hbDNNTensor> inputs_;
  std::vector<hbDNNTensor> outputs_;
  std::vector<std::string> input_names_;
  std::vector<std::string> output_names_;
};

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_MODEL_TENSORS_H_
