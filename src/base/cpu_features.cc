#include "src/base/cpu_features.h"

#include <cstdint>
#include <string>

#include "src/base/env.h"
#include "src/base/logging.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#define HB_DNN_X86_64 1
#endif

namespace hb_dnn {
namespace {

#ifdef HB_DNN_X86_64

struct CpuidRegs {
  uint32_t eax = 0;
  uint32_t ebx = 0;
  uint32_t ecx = 0;
  uint32_t edx = 0;
};

CpuidRegs Cpuid(uint32_t leaf, uint32_t subleaf) {
  CpuidRegs r;
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

// XCR0: which register states the OS saves on context switch. Only meaningful when
// CPUID.1:ECX.OSXSAVE is set.
uint64_t ReadXcr0() {
  uint32_t lo = 0;
  uint32_t hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

CpuFeatures Detect() {
  CpuFeatures f;
  const uint32_t max_leaf = Cpuid(0, 0).eax;
  if (max_leaf < 7) return f;
  const CpuidRegs leaf1 = Cpuid(1, 0);
  const bool osxsave = (leaf1.ecx >> 27) & 1;
  if (!osxsave) return f;
  const uint64_t xcr0 = ReadXcr0();
  // SSE (bit 1) and AVX (bit 2) state for ymm; opmask (5), ZMM_Hi256 (6), Hi16_ZMM (7) for zmm.
  const bool os_ymm = (xcr0 & 0x6) == 0x6;
  const bool os_zmm = os_ymm && (xcr0 & 0xe0) == 0xe0;
  const bool avx = (leaf1.ecx >> 28) & 1;
  const CpuidRegs leaf7 = Cpuid(7, 0);
  if (os_ymm && avx) {
    f.fma = (leaf1.ecx >> 12) & 1;
    f.avx2 = (leaf7.ebx >> 5) & 1;
  }
  if (os_zmm) {
    f.avx512f = (leaf7.ebx >> 16) & 1;
    f.avx512dq = (leaf7.ebx >> 17) & 1;
    f.avx512cd = (leaf7.ebx >> 28) & 1;
    f.avx512bw = (leaf7.ebx >> 30) & 1;
    f.avx512vl = (leaf7.ebx >> 31) & 1;
    f.avx512vnni = (leaf7.ecx >> 11) & 1;
  }
  return f;
}

#else

CpuFeatures Detect() { return CpuFeatures(); }

#endif

IsaLevel LevelOf(const CpuFeatures& f) {
  if (!(f.avx2 && f.fma)) return IsaLevel::kScalar;
  if (!(f.avx512f && f.avx512cd && f.avx512dq && f.avx512bw && f.avx512vl)) return IsaLevel::kAvx2;
  return f.avx512vnni ? IsaLevel::kAvx512Vnni : IsaLevel::kAvx512;
}

IsaLevel ComputeActiveLevel() {
  const IsaLevel hardware = HardwareIsaLevel();
  std::optional<std::string> forced = GetEnv("HB_DNN_SIM_ISA");
  if (!forced.has_value() || forced->empty()) return hardware;
  std::optional<IsaLevel> level = ParseIsaLevel(*forced);
  if (!level.has_value()) {
    HB_LOG(Warning) << "HB_DNN_SIM_ISA='" << *forced
                    << "' is not scalar, avx2, avx512 or avx512vnni; using " << IsaLevelName(hardware);
    return hardware;
  }
  if (static_cast<int>(*level) > static_cast<int>(hardware)) {
    HB_LOG(Warning) << "HB_DNN_SIM_ISA=" << *forced << " exceeds this CPU's level; using "
                    << IsaLevelName(hardware);
    return hardware;
  }
  return *level;
}

}  // namespace

const CpuFeatures& GetCpuFeatures() {
  static const CpuFeatures features = Detect();
  return features;
}

IsaLevel HardwareIsaLevel() {
  static const IsaLevel level = LevelOf(GetCpuFeatures());
  return level;
}

IsaLevel ActiveIsaLevel() {
  static const IsaLevel level = ComputeActiveLevel();
  return level;
}

const char* IsaLevelName(IsaLevel level) {
  switch (level) {
    case IsaLevel::kScalar: return "scalar";
    case IsaLevel::kAvx2: return "avx2";
    case IsaLevel::kAvx512: return "avx512";
    case IsaLevel::kAvx512Vnni: return "avx512vnni";
  }
  return "unknown";
}

std::optional<IsaLevel> ParseIsaLevel(absl::string_view name) {
  for (IsaLevel level : kAllIsaLevels) {
    if (name == IsaLevelName(level)) return level;
  }
  return std::nullopt;
}

}  // namespace hb_dnn
