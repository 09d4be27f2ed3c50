#ifndef HB_DNN_TOOLS_HRT_MODEL_EXEC_PACKED_MODELS_H_
#define HB_DNN_TOOLS_HRT_MODEL_EXEC_PACKED_MODELS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hb_dnn/hb_dnn.h"

namespace hb_dnn::tools {

// The model files of one run, loaded together into one packed handle (as the board tool does
// with a comma-separated --model_file). Releases the handle on destruction; every model handle
// obtained from it dangles afterwards.
class PackedModels {
 public:
  // Loads `files`; `load_ms` (optional) receives the wall time of hbDNNInitializeFromFiles.
  static absl::StatusOr<std::unique_ptr<PackedModels>> Load(const std::vector<std::string>& files,
                                                            double* load_ms);
  ~PackedModels();
  PackedModels(const PackedModels&) = delete;
  PackedModels& operator=(const PackedModels&) = delete;

  // Model names in package order.
  const std::vector<std::string>& names() const { return names_; }

  // The handle of model `name`; an error naming the available models if there is none.
  absl::StatusOr<hbDNNHandle_t> Model(const std::string& name) const;

  // The models a run uses: `requested` when given (each must exist), else the only model of the
  // package; an error (as on the board) when the package holds several and none was named.
  absl::StatusOr<std::vector<std::string>> Select(const std::vector<std::string>& requested) const;

 private:
  explicit PackedModels(hbPackedDNNHandle_t packed) : packed_(packed) {}

  hbPackedDNNHandle_t packed_;
  std::vector<std::string> names_;
};

}  // namespace hb_dnn::tools

#endif  // HB_DNN_TOOLS_HRT_MODEL_EXEC_PACKED_MODELS_H_
