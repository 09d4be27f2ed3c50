#ifndef HB_DNN_SRC_BASE_LAST_ERROR_H_
#define HB_DNN_SRC_BASE_LAST_ERROR_H_

#include "absl/strings/string_view.h"

namespace hb_dnn {

// The calling thread's detail message for the most recent failing public call ("" when the last
// call succeeded). The C boundary sets it; hbDNNGetLastErrorDetail() returns it. The pointer stays
// valid until the next SetLastErrorDetail/ClearLastErrorDetail on the same thread.
void SetLastErrorDetail(absl::string_view detail);
void ClearLastErrorDetail();
const char* LastErrorDetail();

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_LAST_ERROR_H_
