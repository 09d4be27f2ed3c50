#include "tools/hrt_model_exec/packed_models.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/hrt_model_exec/dnn_error.h"

namespace hb_dnn::tools {

absl::StatusOr<std::unique_ptr<PackedModels>> PackedModels::Load(
    const std::vector<std::string>& files, double* load_ms) {
  if (files.empty()) return absl::InvalidArgumentError("--model_file is required");
  std::vector<char const*> paths;
  for (const std::string& file : files) paths.push_back(file.c_str());
  hbPackedDNNHandle_t packed = nullptr;
  auto start = std::chrono::steady_clock::now();
  int32_t rc = hbDNNInitializeFromFiles(&packed, paths.data(), static_cast<int32_t>(paths.size()));
  auto end = std::chrono::steady_clock::now();
  if (rc != 0) return DnnStatus(rc, absl::StrCat("loading '", absl::StrJoin(files, ","), "'"));
  if (load_ms != nullptr) {
    *load_ms = std::chrono::duration<double, std::milli>(end - start).count();
  }
  std::unique_ptr<PackedModels> models(new PackedModels(packed));
  char const** names = nullptr;
  int32_t count = 0;
  rc = hbDNNGetModelNameList(&names, &count, packed);
  if (rc != 0) return DnnStatus(rc, "hbDNNGetModelNameList");
  for (int32_t i = 0; i < count; ++i) models->names_.emplace_back(names[i]);
  return models;
}

PackedModels::~PackedModels() { hbDNNRelease(packed_); }

absl::StatusOr<hbDNNHandle_t> PackedModels::Model(const std::string& name) const {
  bool known = false;
  for (const std::string& n : names_) known = known || n == name;
  if (!known) {
    return absl::NotFoundError(absl::StrCat("model '", name, "' is not in the model file(s); ",
                                            "available: ", absl::StrJoin(names_, ",")));
  }
  hbDNNHandle_t model = nullptr;
  int32_t rc = hbDNNGetModelHandle(&model, packed_, name.c_str());
  if (rc != 0) return DnnStatus(rc, absl::StrCat("hbDNNGetModelHandle('", name, "')"));
  return model;
}

absl::StatusOr<std::vector<std::string>> PackedModels::Select(
    const std::vector<std::string>& requested) const {
  if (requested.empty()) {
    if (names_.size() == 1) return names_;
    return absl::InvalidArgumentError(absl::StrCat(
        "the model file(s) hold ", names_.size(), " models (", absl::StrJoin(names_, ","),
        "): --model_name must be specified for infer and perf"));
  }
  for (const std::string& name : requested) {
    absl::StatusOr<hbDNNHandle_t> model = Model(name);
    if (!model.ok()) return model.status();
  }
  return requested;
}

}  // namespace hb_dnn::tools
