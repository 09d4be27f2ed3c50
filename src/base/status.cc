#include "src/base/status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"

namespace hb_dnn {
namespace {

constexpr char kCodePayloadUrl[] = "hb_dnn/error_code";

absl::StatusCode AbslCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return absl::StatusCode::kOk;
    case ErrorCode::kCanNotOpenFile:
      return absl::StatusCode::kNotFound;
    case ErrorCode::kOutOfMemory:
    case ErrorCode::kSysOutOfMemory:
    case ErrorCode::kModelNumberExceedLimit:
    case ErrorCode::kTaskNumExceedLimit:
    case ErrorCode::kTaskBatchSizeExceedLimit:
      return absl::StatusCode::kResourceExhausted;
    case ErrorCode::kTimeout:
      return absl::StatusCode::kDeadlineExceeded;
    case ErrorCode::kInvalidModel:
      return absl::StatusCode::kDataLoss;
    case ErrorCode::kIncompatibleModel:
    case ErrorCode::kModelIsRunning:
    case ErrorCode::kMultiProgressUseError:
      return absl::StatusCode::kFailedPrecondition;
    case ErrorCode::kApiUseError:
      return absl::StatusCode::kUnimplemented;
    case ErrorCode::kRunTaskFailed:
    case ErrorCode::kSysRegisterMemFailed:
      return absl::StatusCode::kInternal;
    default:
      return absl::StatusCode::kInvalidArgument;
  }
}

}  // namespace

absl::Status Error(ErrorCode code, absl::string_view message) {
  absl::Status status(AbslCodeFor(code), absl::string_view(message.data(), message.size()));
  if (!status.ok()) {
    status.SetPayload(kCodePayloadUrl, absl::Cord(std::to_string(static_cast<int32_t>(code))));
  }
  return status;
}

ErrorCode ErrorCodeOf(const absl::Status& status, ErrorCode fallback) {
  if (status.ok()) return ErrorCode::kOk;
  absl::optional<absl::Cord> payload = status.GetPayload(kCodePayloadUrl);
  int32_t value = 0;
  if (payload.has_value() && absl::SimpleAtoi(std::string(*payload), &value)) {
    return static_cast<ErrorCode>(value);
  }
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return ErrorCode::kCanNotOpenFile;
    case absl::StatusCode::kResourceExhausted:
      return ErrorCode::kOutOfMemory;
    case absl::StatusCode::kDeadlineExceeded:
      return ErrorCode::kTimeout;
    case absl::StatusCode::kDataLoss:
      return ErrorCode::kInvalidModel;
    case absl::StatusCode::kUnimplemented:
      return ErrorCode::kApiUseError;
    default:
      return fallback;
  }
}

const char* ErrorCodeDescription(int32_t code) {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::kOk: return "success";
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kInvalidModel: return "invalid model";
    case ErrorCode::kModelNumberExceedLimit: return "number of models exceeds the limit";
    case ErrorCode::kInvalidPackedDnnHandle: return "invalid packed dnn handle";
    case ErrorCode::kInvalidDnnHandle: return "invalid dnn handle";
    case ErrorCode::kCanNotOpenFile: return "file does not exist or cannot be opened";
    case ErrorCode::kOutOfMemory: return "out of memory";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kTaskNumExceedLimit: return "number of tasks exceeds the limit";
    case ErrorCode::kTaskBatchSizeExceedLimit: return "number of tasks batched with 'more' exceeds the limit";
    case ErrorCode::kInvalidTaskHandle: return "invalid task handle";
    case ErrorCode::kRunTaskFailed: return "task execution failed";
    case ErrorCode::kModelIsRunning: return "model is still running";
    case ErrorCode::kIncompatibleModel: return "incompatible model";
    case ErrorCode::kApiUseError: return "API usage error";
    case ErrorCode::kMultiProgressUseError: return "multi-process usage error";
    case ErrorCode::kSysInvalidArgument: return "system memory: invalid argument";
    case ErrorCode::kSysOutOfMemory: return "system memory: out of memory";
    case ErrorCode::kSysRegisterMemFailed: return "system memory: register memory failed";
  }
  return nullptr;
}

std::string PointerString(const void* pointer) {
  return absl::StrCat("0x", absl::Hex(reinterpret_cast<uintptr_t>(pointer)));
}

}  // namespace hb_dnn
