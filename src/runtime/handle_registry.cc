#include "src/runtime/handle_registry.h"

#include "src/base/status.h"

namespace hb_dnn::runtime {
namespace {

// Bound on remembered released addresses; only the message quality depends on it.
constexpr size_t kMaxRememberedReleases = 4096;

}  // namespace

HandleRegistry& HandleRegistry::Instance() {
  static HandleRegistry* registry = new HandleRegistry();  // never destroyed: usable at exit
  return *registry;
}

void* HandleRegistry::AddPacked(std::unique_ptr<PackedModel> packed) {
  std::shared_ptr<const PackedModel> shared(std::move(packed));
  const void* handle = shared.get();
  std::lock_guard<std::mutex> lock(mutex_);
  released_.erase(handle);
  for (size_t i = 0; i < shared->model_count(); ++i) {
    const void* model_handle = &shared->model(i);
    released_.erase(model_handle);
    models_[model_handle] = shared;
  }
  packed_[handle] = std::move(shared);
  return const_cast<void*>(handle);
}

absl::StatusOr<std::shared_ptr<const PackedModel>> HandleRegistry::Packed(const void* handle) const {
  if (handle == nullptr) return Error(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle is null");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = packed_.find(handle);
  if (it != packed_.end()) return it->second;
  return Errorf(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle ", PointerString(handle),
                released_.count(handle) ? " was already released by hbDNNRelease"
                                        : " was not created by hbDNNInitializeFromFiles/FromDDR");
}

absl::StatusOr<std::shared_ptr<const Model>> HandleRegistry::ModelOf(const void* handle) const {
  if (handle == nullptr) return Error(ErrorCode::kInvalidDnnHandle, "dnn handle is null");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = models_.find(handle);
  if (it != models_.end()) {
    if (std::shared_ptr<const PackedModel> owner = it->second.lock()) {
      return std::shared_ptr<const Model>(owner, static_cast<const Model*>(handle));
    }
  }
  return Errorf(ErrorCode::kInvalidDnnHandle, "dnn handle ", PointerString(handle),
                released_.count(handle)
                    ? " belongs to a packed handle already released by hbDNNRelease"
                    : " was not returned by hbDNNGetModelHandle");
}

absl::Status HandleRegistry::RemovePacked(const void* handle) {
  if (handle == nullptr) return Error(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle is null");
  std::shared_ptr<const PackedModel> doomed;  // destroyed after the lock is dropped
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = packed_.find(handle);
  if (it == packed_.end()) {
    return Errorf(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle ", PointerString(handle),
                  released_.count(handle) ? " was already released (double hbDNNRelease)"
                                          : " was not created by hbDNNInitializeFromFiles/FromDDR");
  }
  doomed = std::move(it->second);
  packed_.erase(it);
  if (released_.size() >= kMaxRememberedReleases) released_.clear();
  released_.insert(handle);
  for (size_t i = 0; i < doomed->model_count(); ++i) {
    models_.erase(&doomed->model(i));
    released_.insert(&doomed->model(i));
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::runtime
