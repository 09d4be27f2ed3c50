#ifndef HB_DNN_SRC_RUNTIME_PACKED_MODEL_H_
#define HB_DNN_SRC_RUNTIME_PACKED_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "src/base/aligned_buffer.h"
#include "src/base/mapped_file.h"
#include "src/runtime/model.h"

namespace hb_dnn::runtime {

// Upper bound on models one packed handle may hold (HB_DNN_MODEL_NUMBER_EXCEED_LIMIT beyond).
inline constexpr size_t kMaxModelsPerPackage = 256;

// The object behind an hbPackedDNNHandle_t: the bytes of every loaded file (mmapped or copied)
// and the validated models in them, in file order then package order. Immutable after load, so
// every const method is safe to call from several threads.
class PackedModel {
 public:
  // Memory-maps each file (zero-copy weights). Errors: kCanNotOpenFile, kInvalidModel,
  // kModelNumberExceedLimit; names must be unique across all files.
  static absl::StatusOr<std::unique_ptr<PackedModel>> LoadFiles(
      const std::vector<std::string>& paths);

  // Copies each image into library-owned aligned memory; the caller's bytes are not retained.
  struct Image {
    const void* data;
    size_t size;
  };
  static absl::StatusOr<std::unique_ptr<PackedModel>> LoadImages(const std::vector<Image>& images);

  size_t model_count() const { return models_.size(); }
  const Model& model(size_t i) const { return *models_[i]; }

  // nullptr when no model has that name.
  const Model* FindModel(absl::string_view name) const;

  // Names in load order, for hbDNNGetModelNameList; valid as long as this object.
  const std::vector<const char*>& name_list() const { return name_list_; }

 private:
  PackedModel() = default;
  std::optional<size_t> IndexOf(absl::string_view name) const;
  static absl::Status PrepareProgram(Model* model, absl::string_view source);
  absl::Status AddSource(const uint8_t* data, size_t size, absl::string_view source);

  std::vector<MappedFile> files_;
  std::vector<AlignedBytes> copies_;
  std::vector<std::unique_ptr<Model>> models_;
  std::vector<std::string> sources_;  // per model: where it came from, for duplicate messages
  std::vector<const char*> name_list_;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_PACKED_MODEL_H_
