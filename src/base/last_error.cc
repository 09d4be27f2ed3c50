#include "src/base/last_error.h"

#include <string>

namespace hb_dnn {
namespace {

std::string& ThreadDetail() {
  thread_local std::string detail;
  return detail;
}

}  // namespace

void SetLastErrorDetail(absl::string_view detail) { ThreadDetail().assign(detail.data(), detail.size()); }

void ClearLastErrorDetail() { ThreadDetail().clear(); }

const char* LastErrorDetail() { return ThreadDetail().c_str(); }

}  // namespace hb_dnn
