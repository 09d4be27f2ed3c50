// ChooseCpuPrefix (tools/hb_mapper/cpu_fallback.h) on made-up cosine curves: which prefix it
// picks, how many conversions it tries, and what it does when the target is out of reach.

#include "tools/hb_mapper/cpu_fallback.h"

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace hb_dnn::mapper {
namespace {

// A rising curve: `base` at prefix 0, +`step` per node up to the top.
std::function<absl::StatusOr<double>(int32_t)> Rising(double base, double step,
                                                      std::vector<int32_t>* asked) {
  return [=](int32_t prefix) -> absl::StatusOr<double> {
    asked->push_back(prefix);
    return base + step * prefix;
  };
}

TEST(ChooseCpuPrefix, KeepsThePlacementWhenTheTargetIsMet) {
  std::vector<int32_t> asked;
  absl::StatusOr<CpuPrefixChoice> c = ChooseCpuPrefix(0.99, 100, Rising(0.995, 0.0, &asked));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->prefix, 0);
  EXPECT_TRUE(c->reached);
  EXPECT_DOUBLE_EQ(c->cosine_before, 0.995);
  EXPECT_EQ(c->evaluations, 1);
  EXPECT_EQ(asked, std::vector<int32_t>({0}));
}

TEST(ChooseCpuPrefix, FindsTheShortestPrefixByBisection) {
  // 0.95 + 0.001 * p reaches 0.99 at p = 40 (within float rounding: 39 misses, 41 reaches).
  std::vector<int32_t> asked;
  absl::StatusOr<CpuPrefixChoice> c = ChooseCpuPrefix(0.99, 200, Rising(0.95, 0.001, &asked));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->reached);
  EXPECT_GE(c->prefix, 40);
  EXPECT_LE(c->prefix, 41);
  EXPECT_GE(c->cosine_after, 0.99);
  EXPECT_DOUBLE_EQ(c->cosine_before, 0.95);
  // 0, the maximum, then at most ceil(log2(200)) halvings; nothing asked twice.
  EXPECT_LE(c->evaluations, 2 + 8);
  EXPECT_EQ(static_cast<size_t>(c->evaluations), asked.size());
}

TEST(ChooseCpuPrefix, KeepsTheBestPrefixWhenTheTargetIsOutOfReach) {
  std::vector<int32_t> asked;
  absl::StatusOr<CpuPrefixChoice> c = ChooseCpuPrefix(0.999, 50, Rising(0.9, 0.001, &asked));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->reached);
  EXPECT_EQ(c->prefix, 50);
  EXPECT_NEAR(c->cosine_after, 0.95, 1e-12);
  EXPECT_EQ(c->evaluations, 2);
  // A curve that falls: nothing beats no prefix.
  absl::StatusOr<CpuPrefixChoice> falling = ChooseCpuPrefix(0.99, 50, Rising(0.98, -0.001, &asked));
  ASSERT_TRUE(falling.ok());
  EXPECT_EQ(falling->prefix, 0);
  EXPECT_DOUBLE_EQ(falling->cosine_after, 0.98);
}

TEST(ChooseCpuPrefix, ANonMonotoneCurveStillGivesAPrefixThatReachesTheTarget) {
  // Reaches the target at 10..19 and from 60 on, misses elsewhere.
  auto bumpy = [](int32_t p) -> absl::StatusOr<double> {
    return (p >= 10 && p < 20) || p >= 60 ? 0.995 : 0.98;
  };
  absl::StatusOr<CpuPrefixChoice> c = ChooseCpuPrefix(0.99, 100, bumpy);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->reached);
  EXPECT_TRUE((c->prefix >= 10 && c->prefix < 20) || c->prefix >= 60) << c->prefix;
}

TEST(ChooseCpuPrefix, NoRoomAndErrors) {
  std::vector<int32_t> asked;
  absl::StatusOr<CpuPrefixChoice> none = ChooseCpuPrefix(0.99, 0, Rising(0.9, 0.01, &asked));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->prefix, 0);
  EXPECT_FALSE(none->reached);
  auto failing = [](int32_t p) -> absl::StatusOr<double> {
    if (p > 0) return absl::InternalError("conversion with prefix failed");
    return 0.5;
  };
  absl::StatusOr<CpuPrefixChoice> c = ChooseCpuPrefix(0.99, 10, failing);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "conversion with prefix failed");
}

}  // namespace
}  // namespace hb_dnn::mapper
