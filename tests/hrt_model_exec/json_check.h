#ifndef HB_DNN_TESTS_HRT_MODEL_EXEC_JSON_CHECK_H_
#define HB_DNN_TESTS_HRT_MODEL_EXEC_JSON_CHECK_H_

#include <string>

namespace hb_dnn::testing {

// Returns "" if `text` is exactly one valid JSON value (RFC 8259) surrounded by optional white
// space, else a message naming the byte offset of the first error.
std::string JsonError(const std::string& text);

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_HRT_MODEL_EXEC_JSON_CHECK_H_
