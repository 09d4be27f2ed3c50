#ifndef HB_DNN_SRC_BASE_CPU_FEATURES_H_
#define HB_DNN_SRC_BASE_CPU_FEATURES_H_

// The host CPU's SIMD features, detected once per process (cpuid + xgetbv on x86-64; nothing
// elsewhere), and the ISA level the optimized kernels dispatch on. Only the kernels' ukernel
// configuration reads these; no other code tests CPU flags.

#include <optional>

#include "absl/strings/string_view.h"

namespace hb_dnn {

// What the CPU and the OS (saved register state, per xgetbv) both support.
struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512cd = false;
  bool avx512dq = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512vnni = false;
};

// Kernel ISA levels, ordered: a CPU supporting a level supports all lower ones.
//   kScalar: portable C++ (whatever the compiler's baseline target vectorizes to);
//   kAvx2:   AVX2 + FMA3;
//   kAvx512: x86-64-v4 (AVX-512 F, CD, DQ, BW, VL) on top of kAvx2;
//   kAvx512Vnni: kAvx512 plus AVX-512 VNNI (vpdpbusd, vpdpwssd; the int8 kernels use it, the
//                fp32 kernels run their kAvx512 variants there).
enum class IsaLevel : int { kScalar = 0, kAvx2 = 1, kAvx512 = 2, kAvx512Vnni = 3 };

inline constexpr IsaLevel kAllIsaLevels[] = {IsaLevel::kScalar, IsaLevel::kAvx2,
                                             IsaLevel::kAvx512, IsaLevel::kAvx512Vnni};

// Number of levels (sizes per-level variant tables).
inline constexpr int kNumIsaLevels = static_cast<int>(IsaLevel::kAvx512Vnni) + 1;

// The detected features; computed on first use, thread-safe, never changes.
const CpuFeatures& GetCpuFeatures();

// The highest level the hardware supports.
IsaLevel HardwareIsaLevel();

// The level kernels use: HardwareIsaLevel() lowered by environment variable HB_DNN_SIM_ISA
// (scalar|avx2|avx512|avx512vnni; a level above the hardware's or an unknown name is ignored with a
// warning). Read once, on first use; thread-safe.
IsaLevel ActiveIsaLevel();

// "scalar", "avx2", "avx512" or "avx512vnni".
const char* IsaLevelName(IsaLevel level);

// The level named `name` (as IsaLevelName spells it), or nullopt.
std::optional<IsaLevel> ParseIsaLevel(absl::string_view name);

}  // namespace hb_dnn

#endif  // HB_DNN_SRC_BASE_CPU_FEATURES_H_
