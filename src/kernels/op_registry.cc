#include "src/kernels/op_registry.h"

#include "absl/strings/str_cat.h"
#include "src/base/status.h"

namespace hb_dnn::kernels {

const OpRegistry& OpRegistry::Builtin() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();
    RegisterBuiltinOps(r);
    return r;
  }();
  return *registry;
}

void OpRegistry::Add(OpRegistration registration) {
  registrations_.push_back(std::move(registration));
}

absl::StatusOr<const OpRegistration*> OpRegistry::Find(absl::string_view domain,
                                                       absl::string_view op_type, int version,
                                                       bool prefer_optimized) const {
  const OpRegistration* reference = nullptr;
  const OpRegistration* optimized = nullptr;
  std::string supported;
  for (const OpRegistration& r : registrations_) {
    if (r.domain != domain || r.op_type != op_type) continue;
    absl::StrAppend(&supported, supported.empty() ? "" : ", ", r.min_version, "..", r.max_version);
    if (version < r.min_version || version > r.max_version) continue;
    (r.variant == KernelVariant::kOptimized ? optimized : reference) = &r;
  }
  if (prefer_optimized && optimized != nullptr) return optimized;
  if (reference != nullptr) return reference;
  if (optimized != nullptr) return optimized;
  std::string where = domain.empty() ? std::string(op_type) : absl::StrCat(domain, "::", op_type);
  if (supported.empty()) {
    return Errorf(ErrorCode::kInvalidModel, "op ", where, " is not supported by the CPU kernels");
  }
  return Errorf(ErrorCode::kInvalidModel, "op ", where, " version ", version,
                " is not supported (supported versions: ", supported, ")");
}

absl::StatusOr<std::unique_ptr<OpKernel>> OpRegistry::Create(absl::string_view domain,
                                                             absl::string_view op_type,
                                                             const KernelCreateArgs& args,
                                                             bool prefer_optimized) const {
  absl::StatusOr<const OpRegistration*> r = Find(domain, op_type, args.opset_version, prefer_optimized);
  if (!r.ok()) return r.status();
  return (*r)->factory(args);
}

bool OpRegistry::Supports(absl::string_view domain, absl::string_view op_type) const {
  for (const OpRegistration& r : registrations_) {
    if (r.domain == domain && r.op_type == op_type) return true;
  }
  return false;
}

void RegisterBuiltinOps(OpRegistry* registry) {
  RegisterElementwiseOps(registry);
  RegisterNnOps(registry);
  RegisterTensorOps(registry);
  RegisterOptimizedOps(registry);
  RegisterOptimizedElementwiseOps(registry);
  RegisterInt8ReferenceOps(registry);
  RegisterInt8OptimizedOps(registry);
  RegisterPreprocessOps(registry);
}

}  // namespace hb_dnn::kernels
