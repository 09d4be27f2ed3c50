#ifndef HB_DNN_SRC_BASE_STATUS_MACROS_H_
#define HB_DNN_SRC_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define HB_RETURN_IF_ERROR(expr)                       \
  do {                                                 \
    ::absl::Status hb_status_ = (expr);                \
    if (!hb_status_.ok()) return hb_status_;           \
  } while (false)

#define HB_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define HB_STATUS_MACROS_CONCAT_(a, b) HB_STATUS_MACROS_CONCAT_INNER_(a, b)

// `lhs = value of expr` where expr is an absl::StatusOr<T>; returns its status on error.
// `lhs` may declare a variable: HB_ASSIGN_OR_RETURN(auto x, MakeX());
#define HB_ASSIGN_OR_RETURN(lhs, expr) \
  HB_ASSIGN_OR_RETURN_IMPL_(HB_STATUS_MACROS_CONCAT_(hb_statusor_, __LINE__), lhs, expr)

#define HB_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // HB_DNN_SRC_BASE_STATUS_MACROS_H_
