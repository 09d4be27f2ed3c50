#include "src/runtime/packed_model.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/kernels/op_registry.h"
#include "src/runtime/bpu_device.h"
#include "src/runtime/program.h"
#include "src/runtime/model_loader.h"

namespace hb_dnn::runtime {

absl::StatusOr<std::unique_ptr<PackedModel>> PackedModel::LoadFiles(
    const std::vector<std::string>& paths) {
  std::unique_ptr<PackedModel> packed(new PackedModel());
  for (const std::string& path : paths) {
    HB_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
    const uint8_t* data = file.data();
    size_t size = file.size();
    packed->files_.push_back(std::move(file));
    HB_RETURN_IF_ERROR(packed->AddSource(data, size, path));
  }
  return packed;
}

absl::StatusOr<std::unique_ptr<PackedModel>> PackedModel::LoadImages(
    const std::vector<Image>& images) {
  std::unique_ptr<PackedModel> packed(new PackedModel());
  for (size_t i = 0; i < images.size(); ++i) {
    AlignedBytes copy = AllocateAligned(images[i].size, /*zeroed=*/false);
    if (copy == nullptr) {
      return Errorf(ErrorCode::kOutOfMemory, "model image ", i, ": cannot allocate ",
                    images[i].size, " bytes for its copy");
    }
    if (images[i].size != 0) std::memcpy(copy.get(), images[i].data, images[i].size);
    const uint8_t* data = copy.get();
    packed->copies_.push_back(std::move(copy));
    HB_RETURN_IF_ERROR(packed->AddSource(data, images[i].size, absl::StrCat("<memory image ", i, ">")));
  }
  return packed;
}

absl::Status PackedModel::AddSource(const uint8_t* data, size_t size, absl::string_view source) {
  HB_ASSIGN_OR_RETURN(const fb::Package* package, VerifyPackage(data, size, source));
  for (const fb::Model* flat : *package->models()) {
    if (models_.size() == kMaxModelsPerPackage) {
      return Errorf(ErrorCode::kModelNumberExceedLimit, "file '", source, "': more than ",
                    kMaxModelsPerPackage, " models in one packed handle");
    }
    auto model = std::make_unique<Model>(flat, data, package);
    if (std::optional<size_t> existing = IndexOf(model->name()); existing.has_value()) {
      return Errorf(ErrorCode::kInvalidModel, "file '", source, "': model name '", model->name(),
                    "' is already loaded from '", sources_[*existing], "'");
    }
    HB_RETURN_IF_ERROR(PrepareProgram(model.get(), source));
    models_.push_back(std::move(model));
    sources_.emplace_back(source);
    name_list_.push_back(models_.back()->name().c_str());
  }
  return absl::OkStatus();
}

absl::Status PackedModel::PrepareProgram(Model* model, absl::string_view source) {
  bool has_bpu = false;
  if (model->flat()->segments() != nullptr) {
    for (const fb::Segment* segment : *model->flat()->segments()) {
      has_bpu |= segment->kind() == fb::SegmentKind::BPU;
    }
  }
  absl::StatusOr<std::unique_ptr<Program>> program =
      Program::Build(*model, kernels::OpRegistry::Builtin());
  if (program.ok()) {
    bpu::Device* device = nullptr;
    if ((*program)->has_bpu()) {
      absl::StatusOr<bpu::Device*> acquired = AcquireBpuDevice(model->march());
      if (!acquired.ok()) {
        return Errorf(ErrorCodeOf(acquired.status(), ErrorCode::kInvalidModel), "file '", source,
                      "': model '", model->name(), "': ", acquired.status().message());
      }
      device = *acquired;
    }
    model->SetProgram(std::move(*program), absl::OkStatus(), device);
    return absl::OkStatus();
  }
  // A model with BPU segments still loads (its information is all there); inference reports why
  // it cannot run. A CPU-only model that cannot be prepared is a broken model.
  if (has_bpu) {
    model->SetProgram(nullptr, program.status(), nullptr);
    return absl::OkStatus();
  }
  return Errorf(ErrorCode::kInvalidModel, "file '", source, "': ", program.status().message());
}

std::optional<size_t> PackedModel::IndexOf(absl::string_view name) const {
  for (size_t i = 0; i < models_.size(); ++i) {
    if (models_[i]->name() == name) return i;
  }
  return std::nullopt;
}

const Model* PackedModel::FindModel(absl::string_view name) const {
  std::optional<size_t> index = IndexOf(name);
  return index.has_value() ? models_[*index].get() : nullptr;
}

}  // namespace hb_dnn::runtime
