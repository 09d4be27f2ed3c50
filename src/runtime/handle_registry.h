#ifndef HB_DNN_SRC_RUNTIME_HANDLE_REGISTRY_H_
#define HB_DNN_SRC_RUNTIME_HANDLE_REGISTRY_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "absl/status/statusor.h"
#include "src/runtime/packed_model.h"

namespace hb_dnn::runtime {

// Process-wide table of live packed and model handles, so that a null, released or foreign handle
// given to the C API is reported (HB_DNN_INVALID_PACKED_DNN_HANDLE / HB_DNN_INVALID_DNN_HANDLE)
// instead of being dereferenced. Handles are opaque numbers that are never reused in a process
// (not object addresses, which the allocator recycles), so a stale handle can never reach a
// model loaded later. Lookups return shared ownership, so a concurrent release cannot free an
// object mid-call. Thread-safe.
class HandleRegistry {
 public:
  static HandleRegistry& Instance();

  // Registers `packed` and a model handle for each of its models; returns the packed handle.
  void* AddPacked(std::unique_ptr<PackedModel> packed);

  absl::StatusOr<std::shared_ptr<const PackedModel>> Packed(const void* handle) const;

  // The handle of `model`, which must belong to the live packed handle `packed_handle`.
  absl::StatusOr<void*> ModelHandle(const void* packed_handle, const Model* model) const;

  absl::StatusOr<std::shared_ptr<const Model>> ModelOf(const void* handle) const;

  // Forgets the packed handle and the model handles it owns; memory is freed when the last
  // concurrent user lets go.
  absl::Status RemovePacked(const void* handle);

 private:
  struct PackedEntry {
    std::shared_ptr<const PackedModel> packed;
    std::unordered_map<const Model*, uintptr_t> model_handles;
  };
  struct ModelEntry {
    std::weak_ptr<const PackedModel> owner;
    const Model* model;
  };

  mutable std::mutex mutex_;
  uintptr_t next_handle_;
  std::unordered_map<uintptr_t, PackedEntry> packed_;
  std::unordered_map<uintptr_t, ModelEntry> models_;
  // Released handles, for a clearer message (bounded; only the wording depends on it).
  std::unordered_set<uintptr_t> released_;

  HandleRegistry();
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_HANDLE_REGISTRY_H_
