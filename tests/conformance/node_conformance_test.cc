// The ONNX 1.12 node tests of every op we claim, through the product path: import -> model file ->
// C API inference on the CPU executor. The claim is the checked-in list claimed_ops.txt: an
// `op` line per claimed op, an `exclude` line (with its reason) per node test that does not run.

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/conformance/conformance_runner.h"
#include "tests/kernels/onnx_node_runner.h"

namespace hb_dnn::testing {
namespace {

struct Claim {
  std::vector<std::string> ops;
  std::map<std::string, std::string> excluded;  // test -> reason
};

Claim ReadClaim() {
  Claim claim;
  std::ifstream in(HB_DNN_CLAIMED_OPS_FILE);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string kind, name;
    words >> kind >> name;
    if (kind == "op") claim.ops.push_back(name);
    if (kind == "exclude") {
      std::string reason;
      std::getline(words, reason);
      claim.excluded[name] = reason;
    }
  }
  return claim;
}

std::vector<std::string> ClaimedTests() {
  Claim claim = ReadClaim();
  std::set<std::string> tests;
  for (const std::string& op : claim.ops) {
    for (const std::string& t : OnnxNodeTestsForOp(op)) {
      if (!claim.excluded.count(t)) tests.insert(t);
    }
  }
  return std::vector<std::string>(tests.begin(), tests.end());
}

class NodeConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(NodeConformance, MatchesOnnxReference) {
  std::string dir = std::string(kOnnxNodeTestRoot) + GetParam();
  EXPECT_TRUE(RunModelConformance(dir + "/model.onnx", DataSets(dir), ConformanceOptions()));
}

INSTANTIATE_TEST_SUITE_P(Onnx, NodeConformance, ::testing::ValuesIn(ClaimedTests()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(NodeConformanceList, EveryClaimedOpHasTestsAndEveryExclusionExists) {
  Claim claim = ReadClaim();
  ASSERT_FALSE(claim.ops.empty()) << "cannot read " << HB_DNN_CLAIMED_OPS_FILE;
  std::set<std::string> all;
  for (const std::string& op : claim.ops) {
    std::vector<std::string> tests = OnnxNodeTestsForOp(op);
    EXPECT_FALSE(tests.empty()) << "claimed op " << op << " has no node test";
    all.insert(tests.begin(), tests.end());
  }
  for (const auto& [test, reason] : claim.excluded) {
    EXPECT_TRUE(all.count(test)) << "excluded test " << test << " is not a test of a claimed op";
    EXPECT_FALSE(reason.empty()) << "excluded test " << test << " has no reason";
  }
}

}  // namespace
}  // namespace hb_dnn::testing
