#include "src/kernels/optimized/gemm_driver.h"

#include <algorithm>
#include <cstring>

#include "src/base/parallel_for.h"
#include "src/kernels/optimized/scratch.h"

namespace hb_dnn::kernels::optimized {
namespace {

using ukernels::F32GemmConfig;
using ukernels::F32GemmParams;

// Cache blocking. The microkernel streams one operand's micro-panel from L2 at full speed, so
// slices of K are long (fewer passes over C) unless a B micro-panel is packed per call: it is
// then packed right before its tiles into an L1-resident buffer (kc x nr floats), which bounds
// kc. A per-call A is packed one micro-panel (kc x mr, small) at a time too. A B packed per
// call while A also is (MatMul of two run-time operands) is packed per block of nc columns,
// kept within kPackedBlockFloats so that it stays in the 2 MiB L2 of the target (Zen 4).
constexpr int64_t kMaxKc = 640;
constexpr int64_t kMaxKcPackedB = 192;
constexpr int64_t kMaxMc = 192;
constexpr int64_t kMaxNc = 768;
constexpr int64_t kPackedBlockFloats = 192 * 1024;
// Most B rows per slice read in place (each row is a memory stream for the prefetchers).
constexpr int64_t kMaxDirectRows = 64;
// Smallest task worth a separate ParallelFor chunk, in multiply-adds (~2-5 us of work).
constexpr int64_t kMinTaskMacs = int64_t{1} << 17;

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct Blocking {
  int64_t mc = 0;  // multiple of mr
  int64_t nc = 0;  // multiple of nr
  int64_t kc = 0;
  int64_t m_blocks = 0;
  int64_t n_blocks = 0;
};

// Picks block sizes: cache-sized first, then more blocks until every thread has a few tasks
// (when the work is big enough). Splitting n repacks a per-call A once more per extra block and
// splitting m repacks a per-call B, so the split goes first along the dimension whose other
// operand is prepacked.
Blocking ChooseBlocking(const F32GemmConfig& config, int64_t m, int64_t n, int64_t k,
                        bool a_prepacked, bool b_prepacked, int threads) {
  const int64_t m_panels = CeilDiv(m, config.mr);
  const int64_t n_panels = CeilDiv(n, config.nr);
  Blocking b;
  const int64_t kc_max = b_prepacked || !a_prepacked ? kMaxKc : kMaxKcPackedB;
  b.kc = k <= kc_max ? k : CeilDiv(k, CeilDiv(k, kc_max));
  const int64_t mc_max = kMaxMc;
  const int64_t nc_max =
      b_prepacked || a_prepacked ? kMaxNc : std::min(kMaxNc, kPackedBlockFloats / b.kc);
  int64_t m_blocks = CeilDiv(m_panels, std::max<int64_t>(1, mc_max / config.mr));
  int64_t n_blocks = CeilDiv(n_panels, std::max<int64_t>(1, nc_max / config.nr));
  if (threads > 1) {
    const int64_t by_work = std::max<int64_t>(1, m * n * k / kMinTaskMacs);
    const int64_t wanted = std::min<int64_t>(by_work, 4 * threads);
    const bool split_n_first = a_prepacked != b_prepacked ? a_prepacked : n >= m;
    for (int pass = 0; pass < 2 && m_blocks * n_blocks < wanted; ++pass) {
      const bool along_n = (pass == 0) == split_n_first;
      if (along_n) {
        n_blocks = std::min(n_panels, std::max(n_blocks, CeilDiv(wanted, m_blocks)));
      } else {
        m_blocks = std::min(m_panels, std::max(m_blocks, CeilDiv(wanted, n_blocks)));
      }
    }
  }
  b.mc = CeilDiv(m_panels, m_blocks) * config.mr;
  b.nc = CeilDiv(n_panels, n_blocks) * config.nr;
  b.m_blocks = CeilDiv(m, b.mc);
  b.n_blocks = CeilDiv(n, b.nc);
  return b;
}

float ApplyEpilogue(float sum, const GemmEpilogue& e, int64_t i, int64_t j) {
  float r = sum * e.alpha;
  if (e.bias != nullptr) r += e.beta * e.bias[i * e.bias_row_stride + j * e.bias_col_stride];
  if (e.clamp) r = std::min(std::max(r, e.min), e.max);
  return r;
}

class GemmRun {
 public:
  GemmRun(const F32GemmConfig& config, int64_t m, int64_t n, int64_t k, const GemmOperand& a,
          const GemmOperand& b, const GemmOutput& out, const GemmEpilogue& epilogue, int threads)
      : config_(config), m_(m), n_(n), k_(k), a_(a), b_(b), out_(out), epilogue_(epilogue) {
    blocking_ = ChooseBlocking(config, m, n, k, a.prepacked != nullptr, b.prepacked != nullptr,
                               threads);
  }

  int64_t tasks() const { return blocking_.m_blocks * blocking_.n_blocks; }

  // Task t covers output block (t % m_blocks, t / m_blocks): consecutive tasks share their B
  // block, which a thread running a chunk of them finds in its cache.
  void RunTask(int64_t t) const;

 private:
  // Packs the (kc x cols) slice at (k0, col0) of a per-call operand into `dst`.
  void Pack(const GemmOperand& op, int64_t k0, int64_t kc, int64_t col0, int64_t cols,
            int width, float* dst) const {
    if (op.matrix != nullptr) {
      config_.pack_matrix(*op.matrix, k0, kc, col0, cols, width, dst);
    } else {
      config_.pack_im2col(*op.im2col, k0, kc, col0, cols, width, dst);
    }
  }

  // One microkernel tile (rows [row0, row0 + rows) and column panel jr of the task's block at
  // (m0, n0)) into C at `c` (row stride ldc), B rows ldb apart; partial tiles go through a
  // full-width copy.
  void Tile(int64_t row0, int64_t rows, int64_t jr, int64_t kc, const float* a, const float* b,
            int64_t ldb, float* c, int64_t ldc, const F32GemmParams& params,
            bool vector_epilogue_on_tile, int64_t m0, int64_t n0, int64_t nlen) const;

  const F32GemmConfig& config_;
  const int64_t m_;
  const int64_t n_;
  const int64_t k_;
  const GemmOperand& a_;
  const GemmOperand& b_;
  const GemmOutput& out_;
  const GemmEpilogue& epilogue_;
  Blocking blocking_;
};

void GemmRun::Tile(int64_t row0, int64_t rows, int64_t jr, int64_t kc, const float* a,
                   const float* b, int64_t ldb, float* c, int64_t ldc,
                   const F32GemmParams& params, bool vector_epilogue_on_tile, int64_t m0,
                   int64_t n0, int64_t nlen) const {
  const int nr = config_.nr;
  const int64_t cols = std::min<int64_t>(nr, nlen - jr * nr);
  const ukernels::F32GemmUkernelFn ukernel = config_.ukernel[rows];
  float* c_tile = c + row0 * ldc + jr * nr;
  F32GemmParams p = params;
  if (p.finalize && epilogue_.bias != nullptr) {
    p.bias = epilogue_.bias + (m0 + row0) * epilogue_.bias_row_stride +
             (n0 + jr * nr) * epilogue_.bias_col_stride;
  }
  if (cols == nr || out_.transposed) {
    ukernel(kc, a, b, ldb, c_tile, ldc, p);
    return;
  }
  // A partial tile: run the microkernel on a full-width copy, then write back the valid
  // columns.
  alignas(64) float tile[ukernels::kMaxGemmMr * 64];
  if (p.accumulate) {
    for (int64_t i = 0; i < rows; ++i) {
      std::memcpy(tile + i * nr, c_tile + i * ldc, cols * sizeof(float));
    }
  }
  const bool epilogue_here = p.finalize && !vector_epilogue_on_tile;
  if (epilogue_here) p.finalize = false;
  ukernel(kc, a, b, ldb, tile, nr, p);
  for (int64_t i = 0; i < rows; ++i) {
    float* dst = c_tile + i * ldc;
    const float* src = tile + i * nr;
    if (epilogue_here) {
      const int64_t gi = m0 + row0 + i;
      const int64_t gj = n0 + jr * nr;
      for (int64_t j = 0; j < cols; ++j) dst[j] = ApplyEpilogue(src[j], epilogue_, gi, gj + j);
    } else {
      std::memcpy(dst, src, cols * sizeof(float));
    }
  }
}

void GemmRun::RunTask(int64_t t) const {
  const int mr = config_.mr;
  const int nr = config_.nr;
  const Blocking& bl = blocking_;
  const int64_t m0 = (t % bl.m_blocks) * bl.mc;
  const int64_t n0 = (t / bl.m_blocks) * bl.nc;
  const int64_t mlen = std::min(bl.mc, m_ - m0);
  const int64_t nlen = std::min(bl.nc, n_ - n0);
  const int64_t m_panels = CeilDiv(mlen, mr);
  const int64_t n_panels = CeilDiv(nlen, nr);

  // How each operand is fed (see the blocking comment): prepacked, packed per micro-panel
  // right before use, or (B when A is also per call) packed per block.
  const bool a_micro = a_.prepacked == nullptr;
  const bool b_micro = b_.prepacked == nullptr && !a_micro;
  const bool b_block = b_.prepacked == nullptr && a_micro;
  // Few hardware-prefetchable row streams: read such a B in place.
  const bool b_direct = b_micro && b_.matrix != nullptr && b_.matrix->col_stride == 1 &&
                        bl.kc <= kMaxDirectRows;
  float* a_buf = a_micro ? ThreadScratch(ScratchSlot::kPackA, mr * bl.kc) : nullptr;
  float* b_buf = b_micro   ? ThreadScratch(ScratchSlot::kPackB, nr * bl.kc)
                 : b_block ? ThreadScratch(ScratchSlot::kPackB, n_panels * nr * bl.kc)
                           : nullptr;
  // A transposed output is computed into a row-major block first (full panels wide, so no
  // partial tiles) and transposed out with the epilogue at the end.
  float* c;
  int64_t ldc;
  if (out_.transposed) {
    ldc = n_panels * nr;
    c = ThreadScratch(ScratchSlot::kOutput, mlen * ldc);
  } else {
    ldc = out_.stride;
    c = out_.data + m0 * ldc + n0;
  }
  // Partial tiles get the epilogue from the microkernel too unless a bias row would be read
  // past the valid columns; then it is applied per element while copying out.
  const bool vector_epilogue_on_tile = epilogue_.bias == nullptr || epilogue_.bias_col_stride == 0;

  for (int64_t k0 = 0; k0 < k_; k0 += bl.kc) {
    const int64_t kc = std::min(bl.kc, k_ - k0);
    F32GemmParams params;
    params.accumulate = k0 != 0;
    params.finalize = k0 + kc == k_ && !out_.transposed;  // transposed: applied writing out
    params.alpha = epilogue_.alpha;
    params.beta = epilogue_.beta;
    params.bias_row_stride = epilogue_.bias_row_stride;
    params.bias_col_stride = epilogue_.bias_col_stride;
    params.clamp = epilogue_.clamp;
    params.min = epilogue_.min;
    params.max = epilogue_.max;
    if (b_block) Pack(b_, k0, kc, n0, nlen, nr, b_buf);

    // Row panel ir: its first row and row count. Panels of a per-call A are balanced (49 rows
    // as 7 x 7 rather than 6 x 8 + 1: a one-row tile runs at a fraction of the speed); a
    // prepacked A has panels of exactly mr rows.
    auto panel_rows = [&](int64_t ir, int64_t* row0) -> int64_t {
      if (!a_micro) {
        *row0 = ir * mr;
        return std::min<int64_t>(mr, mlen - ir * mr);
      }
      const int64_t base = mlen / m_panels;
      const int64_t extra = mlen % m_panels;
      *row0 = ir * base + std::min(ir, extra);
      return base + (ir < extra ? 1 : 0);
    };
    // The A micro-panel of row panel ir (kc deep).
    auto a_panel = [&](int64_t ir) -> const float* {
      if (a_micro) {
        int64_t row0;
        const int64_t rows = panel_rows(ir, &row0);
        Pack(a_, k0, kc, m0 + row0, rows, mr, a_buf);
        return a_buf;
      }
      return a_.prepacked + (m0 / mr + ir) * k_ * mr + k0 * mr;
    };
    // B micro-panel jr and its row stride. A plain row-major B (a pointwise convolution's
    // input) with few rows per slice is read in place: its full panels need no packing.
    auto b_panel = [&](int64_t jr, int64_t* ldb) -> const float* {
      const int64_t cols = std::min<int64_t>(nr, nlen - jr * nr);
      *ldb = nr;
      if (b_micro) {
        if (b_direct && cols == nr) {
          *ldb = b_.matrix->row_stride;
          return b_.matrix->base + k0 * b_.matrix->row_stride + n0 + jr * nr;
        }
        Pack(b_, k0, kc, n0 + jr * nr, cols, nr, b_buf);
        return b_buf;
      }
      if (b_block) return b_buf + jr * kc * nr;
      return b_.prepacked + (n0 / nr + jr) * k_ * nr + k0 * nr;
    };
    if (b_micro) {
      // jr outer: each B micro-panel is packed once into L1 and used by every row panel.
      for (int64_t jr = 0; jr < n_panels; ++jr) {
        int64_t ldb;
        const float* b = b_panel(jr, &ldb);
        for (int64_t ir = 0; ir < m_panels; ++ir) {
          int64_t row0;
          const int64_t rows = panel_rows(ir, &row0);
          Tile(row0, rows, jr, kc, a_panel(ir), b, ldb, c, ldc, params, vector_epilogue_on_tile,
               m0, n0, nlen);
        }
      }
    } else {
      // ir outer: the A micro-panel stays in L1 while the B micro-panels stream from L2.
      for (int64_t ir = 0; ir < m_panels; ++ir) {
        int64_t row0;
        const int64_t rows = panel_rows(ir, &row0);
        const float* a = a_panel(ir);
        for (int64_t jr = 0; jr < n_panels; ++jr) {
          int64_t ldb;
          const float* b = b_panel(jr, &ldb);
          Tile(row0, rows, jr, kc, a, b, ldb, c, ldc, params, vector_epilogue_on_tile, m0, n0,
               nlen);
        }
      }
    }
  }

  if (out_.transposed) {
    // Output element (i, j) goes to data[j * stride + i].
    if (epilogue_.bias == nullptr || epilogue_.bias_row_stride == 0) {
      F32GemmParams params;
      params.alpha = epilogue_.alpha;
      params.beta = epilogue_.beta;
      params.bias = epilogue_.bias != nullptr
                        ? epilogue_.bias + n0 * epilogue_.bias_col_stride
                        : nullptr;
      params.bias_col_stride = epilogue_.bias_col_stride;
      params.clamp = epilogue_.clamp;
      params.min = epilogue_.min;
      params.max = epilogue_.max;
      config_.transpose_store(c, ldc, mlen, nlen, out_.data + n0 * out_.stride + m0, out_.stride,
                              params);
      return;
    }
    for (int64_t j = 0; j < nlen; ++j) {
      float* dst = out_.data + (n0 + j) * out_.stride + m0;
      const float* src = c + j;
      for (int64_t i = 0; i < mlen; ++i) {
        dst[i] = ApplyEpilogue(src[i * ldc], epilogue_, m0 + i, n0 + j);
      }
    }
  }
}

}  // namespace

int64_t PackedOperandSize(int64_t k, int64_t cols, int width) {
  return CeilDiv(cols, width) * width * k;
}

void PackOperand(const F32GemmConfig& config, const ukernels::F32StridedMatrix& x, int64_t k,
                 int64_t cols, int width, float* dst) {
  config.pack_matrix(x, 0, k, 0, cols, width, dst);
}

void RunGemm(const F32GemmConfig& config, int64_t m, int64_t n, int64_t k, const GemmOperand& a,
             const GemmOperand& b, const GemmOutput& out, const GemmEpilogue& epilogue,
             bool parallel) {
  const GemmRun run(config, m, n, k, a, b, out, epilogue, parallel ? MaxParallelism() : 1);
  if (!parallel) {
    for (int64_t t = 0; t < run.tasks(); ++t) run.RunTask(t);
    return;
  }
  ParallelFor(0, run.tasks(), 1, [&run](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) run.RunTask(t);
  });
}

}  // namespace hb_dnn::kernels::optimized
