#include "src/runtime/handle_registry.h"

#include "src/base/status.h"

namespace hb_dnn::runtime {
namespace {

// Bound on remembered released handles; only the message quality depends on it.
constexpr size_t kMaxRememberedReleases = 4096;

// Handles count up from here: far from small integers and from typical heap addresses, so a
// value that is not a handle is unlikely to look like one.
constexpr uintptr_t kFirstHandle = uintptr_t{0x4842'0000'0000'0000} >> 8;

uintptr_t Id(const void* handle) { return reinterpret_cast<uintptr_t>(handle); }
void* AsHandle(uintptr_t id) { return reinterpret_cast<void*>(id); }

}  // namespace

HandleRegistry::HandleRegistry() : next_handle_(kFirstHandle) {}

HandleRegistry& HandleRegistry::Instance() {
  static HandleRegistry* registry = new HandleRegistry();  // never destroyed: usable at exit
  return *registry;
}

void* HandleRegistry::AddPacked(std::unique_ptr<PackedModel> packed) {
  std::shared_ptr<const PackedModel> shared(std::move(packed));
  std::lock_guard<std::mutex> lock(mutex_);
  uintptr_t packed_id = ++next_handle_;
  PackedEntry& entry = packed_[packed_id];
  entry.packed = shared;
  for (size_t i = 0; i < shared->model_count(); ++i) {
    uintptr_t model_id = ++next_handle_;
    entry.model_handles[&shared->model(i)] = model_id;
    models_[model_id] = ModelEntry{shared, &shared->model(i)};
  }
  return AsHandle(packed_id);
}

absl::StatusOr<std::shared_ptr<const PackedModel>> HandleRegistry::Packed(const void* handle) const {
  if (handle == nullptr) return Error(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle is null");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = packed_.find(Id(handle));
  if (it != packed_.end()) return it->second.packed;
  return Errorf(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle ", PointerString(handle),
                released_.count(Id(handle)) ? " was already released by hbDNNRelease"
                                            : " was not created by hbDNNInitializeFromFiles/FromDDR");
}

absl::StatusOr<void*> HandleRegistry::ModelHandle(const void* packed_handle,
                                                  const Model* model) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = packed_.find(Id(packed_handle));
  if (it != packed_.end()) {
    auto model_it = it->second.model_handles.find(model);
    if (model_it != it->second.model_handles.end()) return AsHandle(model_it->second);
  }
  return Errorf(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle ",
                PointerString(packed_handle), " was released meanwhile");
}

absl::StatusOr<std::shared_ptr<const Model>> HandleRegistry::ModelOf(const void* handle) const {
  if (handle == nullptr) return Error(ErrorCode::kInvalidDnnHandle, "dnn handle is null");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = models_.find(Id(handle));
  if (it != models_.end()) {
    if (std::shared_ptr<const PackedModel> owner = it->second.owner.lock()) {
      return std::shared_ptr<const Model>(owner, it->second.model);
    }
  }
  return Errorf(ErrorCode::kInvalidDnnHandle, "dnn handle ", PointerString(handle),
                released_.count(Id(handle))
                    ? " belongs to a packed handle already released by hbDNNRelease"
                    : " was not returned by hbDNNGetModelHandle");
}

absl::Status HandleRegistry::RemovePacked(const void* handle) {
  if (handle == nullptr) return Error(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle is null");
  PackedEntry doomed;  // destroyed after the lock is dropped
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = packed_.find(Id(handle));
  if (it == packed_.end()) {
    return Errorf(ErrorCode::kInvalidPackedDnnHandle, "packed dnn handle ", PointerString(handle),
                  released_.count(Id(handle)) ? " was already released (double hbDNNRelease)"
                                              : " was not created by hbDNNInitializeFromFiles/FromDDR");
  }
  doomed = std::move(it->second);
  packed_.erase(it);
  if (released_.size() >= kMaxRememberedReleases) released_.clear();
  released_.insert(Id(handle));
  for (const auto& [model, id] : doomed.model_handles) {
    models_.erase(id);
    released_.insert(id);
  }
  return absl::OkStatus();
}

}  // namespace hb_dnn::runtime
