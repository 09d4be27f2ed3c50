#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/aligned_buffer.h"
#include "src/base/env.h"
#include "src/base/logging.h"
#include "src/base/mapped_file.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"

namespace hb_dnn {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(Status, CarriesThePublicCode) {
  absl::Status s = Errorf(ErrorCode::kInvalidPackedDnnHandle, "handle ", 7, " bad");
  EXPECT_EQ(s.message(), "handle 7 bad");
  EXPECT_EQ(ErrorCodeOf(s), ErrorCode::kInvalidPackedDnnHandle);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeOf(absl::OkStatus()), ErrorCode::kOk);
  // Plain absl statuses map by their canonical code.
  EXPECT_EQ(ErrorCodeOf(absl::NotFoundError("x")), ErrorCode::kCanNotOpenFile);
  EXPECT_EQ(ErrorCodeOf(absl::DataLossError("x")), ErrorCode::kInvalidModel);
  EXPECT_EQ(ErrorCodeOf(absl::InternalError("x"), ErrorCode::kRunTaskFailed),
            ErrorCode::kRunTaskFailed);
}

absl::StatusOr<int> Half(int v) {
  if (v % 2 != 0) return Errorf(ErrorCode::kInvalidArgument, v, " is odd");
  return v / 2;
}

absl::Status Quarter(int v, int* out) {
  HB_ASSIGN_OR_RETURN(int half, Half(v));
  HB_ASSIGN_OR_RETURN(*out, Half(half));
  HB_RETURN_IF_ERROR(absl::OkStatus());
  return absl::OkStatus();
}

TEST(StatusMacros, PropagateFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  EXPECT_EQ(Quarter(6, &out).message(), "3 is odd");
  EXPECT_EQ(Quarter(5, &out).message(), "5 is odd");
}

TEST(ErrorCodeDescription, KnownAndUnknown) {
  EXPECT_STREQ(ErrorCodeDescription(-6000008), "timeout");
  EXPECT_EQ(ErrorCodeDescription(-1), nullptr);
}

TEST(Logging, LevelFiltersAndPrefix) {
  LogLevel saved = CurrentLogLevel();
  SetLogLevel(LogLevel::kWarning);
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  EXPECT_TRUE(LogEnabled(LogLevel::kWarning));
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  ::testing::internal::CaptureStderr();
  HB_LOG(Error) << "model 'x' is broken";
  HB_LOG(Info) << "hidden";
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, MatchesRegex(R"(\[E\]\[DNN\]\[base_test\.cc:[0-9]+\]\([0-9-]+,[0-9:.]+\) model 'x' is broken
)"));
  SetLogLevel(LogLevel::kNone);
  ::testing::internal::CaptureStderr();
  HB_LOG(Fatal) << "silenced";
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  SetLogLevel(LogLevel::kFatal);
  EXPECT_FALSE(LogEnabled(LogLevel::kError));
  SetLogLevel(saved);
}

TEST(Env, Integers) {
  setenv("HB_DNN_TEST_ENV", "42", 1);
  EXPECT_EQ(GetEnvInt("HB_DNN_TEST_ENV"), 42);
  setenv("HB_DNN_TEST_ENV", "4x", 1);
  EXPECT_EQ(GetEnvInt("HB_DNN_TEST_ENV"), std::nullopt);
  EXPECT_EQ(GetEnv("HB_DNN_TEST_ENV"), "4x");
  unsetenv("HB_DNN_TEST_ENV");
  EXPECT_EQ(GetEnv("HB_DNN_TEST_ENV"), std::nullopt);
}

TEST(AlignedBuffer, AlignedAndZeroed) {
  for (size_t size : {0, 1, 63, 64, 65, 4097}) {
    AlignedBytes b = AllocateAligned(size);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.get()) % kBufferAlignment, 0u);
    for (size_t i = 0; i < size; ++i) ASSERT_EQ(b[i], 0);
  }
  EXPECT_EQ(AllocateAligned(SIZE_MAX), nullptr);
}

TEST(MappedFile, Errors) {
  auto missing = MappedFile::Open("/definitely/not/here");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(ErrorCodeOf(missing.status()), ErrorCode::kCanNotOpenFile);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("/definitely/not/here"));
  auto dir = MappedFile::Open("/tmp");
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(std::string(dir.status().message()), HasSubstr("not a regular file"));
  auto self = MappedFile::Open("/proc/self/exe");
  ASSERT_TRUE(self.ok());
  EXPECT_GT(self->size(), 4u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(self->data()) + 1, 3), "ELF");
  MappedFile moved = std::move(*self);
  EXPECT_EQ(self->data(), nullptr);
  EXPECT_NE(moved.data(), nullptr);
}

}  // namespace
}  // namespace hb_dnn
