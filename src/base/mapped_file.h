#ifndef HB_DNN_SRC_BASE_MAPPED_FILE_H_
#define HB_DNN_SRC_BASE_MAPPED_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace hb_dnn {

// A read-only, private memory mapping of a whole file. The mapping is page-aligned, so any file
// offset that is a multiple of 64 is a 64-byte aligned address. Move-only; unmaps on destruction.
class MappedFile {
 public:
  // kCanNotOpenFile when the file is missing, unreadable or not a regular file. An empty file
  // maps to data() == nullptr, size() == 0 (callers reject it with their own message).
  static absl::StatusOr<MappedFile> Open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  void Reset();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_MAPPED_FILE_H_
