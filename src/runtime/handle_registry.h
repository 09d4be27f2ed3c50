#ifndef HB_DNN_SRC_RUNTIME_HANDLE_REGISTRY_H_
#define HB_DNN_SRC_RUNTIME_HANDLE_REGISTRY_H_

#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "absl/status/statusor.h"
#include "src/runtime/packed_model.h"

namespace hb_dnn::runtime {

// Process-wide table of live handles, so that a null, released or foreign handle given to the C
// API is reported (HB_DNN_INVALID_PACKED_DNN_HANDLE / HB_DNN_INVALID_DNN_HANDLE) instead of being
// dereferenced. A packed handle is its PackedModel's address, a model handle its Model's address.
// Lookups return shared ownership, so a concurrent Release cannot free an object mid-call.
// Thread-safe.
class HandleRegistry {
 public:
  static HandleRegistry& Instance();

  void* AddPacked(std::unique_ptr<PackedModel> packed);

  absl::StatusOr<std::shared_ptr<const PackedModel>> Packed(const void* handle) const;
  absl::StatusOr<std::shared_ptr<const Model>> ModelOf(const void* handle) const;

  // Forgets the packed handle and the model handles it owns; memory is freed when the last
  // concurrent user lets go.
  absl::Status RemovePacked(const void* handle);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const void*, std::shared_ptr<const PackedModel>> packed_;
  std::unordered_map<const void*, std::weak_ptr<const PackedModel>> models_;
  // Addresses of released handles, for a clearer message; an address leaves the set when a new
  // handle reuses it.
  std::unordered_set<const void*> released_;
};

}  // namespace hb_dnn::runtime

#endif  // HB_DNN_SRC_RUNTIME_HANDLE_REGISTRY_H_
