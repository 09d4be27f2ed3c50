#include "tools/hrt_model_exec/model_tensors.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "hb_dnn/hb_sys.h"
#include "tools/hrt_model_exec/dnn_error.h"
#include "tools/hrt_model_exec/type_names.h"

namespace hb_dnn::tools {
namespace {

absl::Status AllocateTensor(const hbDNNTensorProperties& properties, const std::string& what,
                            std::vector<hbDNNTensor>* tensors) {
  if (properties.tensorType == HB_DNN_IMG_TYPE_NV12_SEPARATE) {
    return absl::UnimplementedError(
        absl::StrCat(what, ": ", TensorTypeName(properties.tensorType),
                     " tensors (Y and UV in separate blocks) are not supported by this tool"));
  }
  hbDNNTensor tensor;
  std::memset(&tensor, 0, sizeof(tensor));
  tensor.properties = properties;
  int32_t rc =
      hbSysAllocCachedMem(&tensor.sysMem[0], static_cast<uint32_t>(properties.alignedByteSize));
  if (rc != 0) return DnnStatus(rc, absl::StrCat("hbSysAllocCachedMem for ", what));
  tensors->push_back(tensor);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ModelTensors>> ModelTensors::Allocate(hbDNNHandle_t model) {
  std::unique_ptr<ModelTensors> set(new ModelTensors(model));
  int32_t input_count = 0;
  int32_t output_count = 0;
  absl::Status status = DnnStatus(hbDNNGetInputCount(&input_count, model), "hbDNNGetInputCount");
  if (!status.ok()) return status;
  status = DnnStatus(hbDNNGetOutputCount(&output_count, model), "hbDNNGetOutputCount");
  if (!status.ok()) return status;
  for (int32_t i = 0; i < input_count; ++i) {
    hbDNNTensorProperties properties;
    char const* name = nullptr;
    status = DnnStatus(hbDNNGetInputTensorProperties(&properties, model, i),
                       "hbDNNGetInputTensorProperties");
    if (status.ok()) status = DnnStatus(hbDNNGetInputName(&name, model, i), "hbDNNGetInputName");
    if (status.ok()) {
      set->input_names_.emplace_back(name);
      status =
          AllocateTensor(properties, absl::StrCat("input ", i, " '", name, "'"), &set->inputs_);
    }
    if (!status.ok()) return status;
  }
  for (int32_t i = 0; i < output_count; ++i) {
    hbDNNTensorProperties properties;
    char const* name = nullptr;
    status = DnnStatus(hbDNNGetOutputTensorProperties(&properties, model, i),
                       "hbDNNGetOutputTensorProperties");
    if (status.ok()) status = DnnStatus(hbDNNGetOutputName(&name, model, i), "hbDNNGetOutputName");
    if (status.ok()) {
      set->output_names_.emplace_back(name);
      status =
          AllocateTensor(properties, absl::StrCat("output ", i, " '", name, "'"), &set->outputs_);
    }
    if (!status.ok()) return status;
  }
  return set;
}

ModelTensors::~ModelTensors() {
  for (hbDNNTensor& tensor : inputs_) hbSysFreeMem(&tensor.sysMem[0]);
  for (hbDNNTensor& tensor : outputs_) hbSysFreeMem(&tensor.sysMem[0]);
}

absl::Status ModelTensors::FlushInputs() {
  for (hbDNNTensor& tensor : inputs_) {
    absl::Status status =
        DnnStatus(hbSysFlushMem(&tensor.sysMem[0], HB_SYS_MEM_CACHE_CLEAN), "hbSysFlushMem(CLEAN)");
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ModelTensors::InvalidateOutputs() {
  for (hbDNNTensor& tensor : outputs_) {
    absl::Status status = DnnStatus(hbSysFlushMem(&tensor.sysMem[0], HB_SYS_MEM_CACHE_INVALIDATE),
                                    "hbSysFlushMem(INVALIDATE)");
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::tools
