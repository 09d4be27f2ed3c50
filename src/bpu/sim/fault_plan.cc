#include "src/bpu/sim/fault_plan.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "src/base/status.h"

namespace hb_dnn::bpu {

FaultPlan::FaultPlan(std::vector<Fault> faults)
    : faults_(std::move(faults)), seen_(faults_.size(), 0) {}

absl::StatusOr<FaultPlan> FaultPlan::Parse(absl::string_view spec) {
  std::vector<Fault> faults;
  for (absl::string_view text : absl::StrSplit(spec, ';', absl::SkipWhitespace())) {
    text = absl::StripAsciiWhitespace(text);
    std::vector<absl::string_view> fields = absl::StrSplit(text, ':');
    Fault fault;
    if (fields[0] == "error") {
      fault.kind = Fault::Kind::kError;
    } else if (fields[0] == "timeout") {
      fault.kind = Fault::Kind::kTimeout;
    } else if (fields[0] == "slow") {
      fault.kind = Fault::Kind::kSlow;
    } else {
      return Errorf(ErrorCode::kInvalidArgument, "fault '", text, "': unknown kind '", fields[0],
                    "' (error, timeout, slow)");
    }
    for (size_t i = 1; i < fields.size(); ++i) {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(fields[i], '=');
      auto bad = [&](absl::string_view why) {
        return Errorf(ErrorCode::kInvalidArgument, "fault '", text, "': field '", fields[i], "' ",
                      why);
      };
      int64_t n = 0;
      if (kv.first == "fc") {
        if (!absl::SimpleAtoi(kv.second, &n) || n < 1) return bad("needs a count >= 1");
        fault.fc = n;
      } else if (kv.first == "core") {
        if (!absl::SimpleAtoi(kv.second, &n) || n < 0 || n > 63) return bad("needs a core index");
        fault.core = static_cast<int>(n);
      } else if (kv.first == "factor" && fault.kind == Fault::Kind::kSlow) {
        double f = 0;
        if (!absl::SimpleAtod(kv.second, &f) || !std::isfinite(f) || f < 1.0 || f > 1000.0) {
          return bad("needs a factor in [1, 1000]");
        }
        fault.factor = f;
      } else if (kv.first == "after_us" && fault.kind == Fault::Kind::kTimeout) {
        if (!absl::SimpleAtoi(kv.second, &n) || n < 1) return bad("needs microseconds >= 1");
        fault.after_ns = n * 1000;
      } else {
        return bad("is not known for this fault kind");
      }
    }
    if (fault.kind == Fault::Kind::kSlow && fault.core < 0) {
      return Errorf(ErrorCode::kInvalidArgument, "fault '", text, "': slow needs core=K");
    }
    faults.push_back(fault);
  }
  return FaultPlan(std::move(faults));
}

FaultDecision FaultPlan::OnFcStart(int core) {
  FaultDecision decision;
  for (size_t i = 0; i < faults_.size(); ++i) {
    const Fault& fault = faults_[i];
    if (fault.core >= 0 && fault.core != core) continue;
    int64_t index = ++seen_[i];
    if (fault.fc != 0 && fault.fc != index) continue;
    switch (fault.kind) {
      case Fault::Kind::kError: decision.error = true; break;
      case Fault::Kind::kTimeout:
        decision.timeout = true;
        decision.timeout_after_ns = fault.after_ns;
        break;
      case Fault::Kind::kSlow: decision.slow_factor *= fault.factor; break;
    }
  }
  return decision;
}

}  // namespace hb_dnn::bpu
