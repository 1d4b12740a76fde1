#include "packed_gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>
#include <new>
#include <string>
#include <vector>

#include "rnnlab/app/kernels.hpp"
#include "rnnlab/sdk/parallel.hpp"
#include "rnnlab/sdk/error.hpp"

namespace rnnlab::kernel {
namespace {

// Register blocking: a panel of MR = W·MV rows (MV vectors of W floats)
// times NR columns of X, accumulated over all of K (kKc steps in
// product()) in registers.
//   AVX-512: W = 16, MV = 2, NR = 8 → 16 accumulators of 32.
//   AVX2:    W = 8,  MV = 2, NR = 6 → 12 accumulators of 16.
struct Isa {
  int mr;
  void (*multiply)(const float* Ap, arma::uword M, arma::uword K, float alpha, const float* X, arma::uword ldx,
                   arma::uword n, float beta, float* C, arma::uword ldc);
  void (*product)(arma::uword M, arma::uword n, arma::uword K, float alpha, const float* A, arma::uword lda,
                  const float* X, arma::uword ldx, bool x_transposed, float beta, float* C, arma::uword ldc);
};

// Steps of k per pass over C in product(): an A panel of kKc steps (32 KB
// at MR = 32) stays in L1 while the columns of X go by.
constexpr arma::uword kKc = 256;
// Column stride (floats) from which product() copies its operands' blocks.
constexpr arma::uword kPackStride = 256;

// The kernels of micro_kernel.inc, once per instruction set: W floats
// per vector, NR columns per block.
#pragma GCC push_options
#pragma GCC target("avx512f")
namespace avx512 {
constexpr int W = 16, NR = 8;
typedef float vec __attribute__((vector_size(64), aligned(64), may_alias));
typedef float uvec __attribute__((vector_size(64), aligned(4), may_alias));
inline vec fmadd(vec a, float s, vec c) { return (vec)_mm512_fmadd_ps((__m512)a, _mm512_set1_ps(s), (__m512)c); }
#include "micro_kernel.inc"
}  // namespace avx512
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
constexpr int W = 8, NR = 6;
typedef float vec __attribute__((vector_size(32), aligned(32), may_alias));
typedef float uvec __attribute__((vector_size(32), aligned(4), may_alias));
inline vec fmadd(vec a, float s, vec c) { return (vec)_mm256_fmadd_ps((__m256)a, _mm256_set1_ps(s), (__m256)c); }
#include "micro_kernel.inc"
}  // namespace avx2
#pragma GCC pop_options

struct Chosen {
  const Isa* isa;
  const char* name;
  bool everywhere;  // RNNLAB_KERNELS=own or avx2: every size, whatever BLAS runs
};

// RNNLAB_KERNELS=own runs the own kernels for every product they take;
// =avx2 the same with the AVX2 kernels on an AVX-512 CPU (the same bits,
// for checking that); =blas runs BLAS only, for comparisons
// (RNNLAB_NO_PACKED_GEMM, its older name, too). Unset: see own_for().
const Chosen& chosen() {
  static const Chosen c = []() -> Chosen {
    static const Isa avx512_isa{32, avx512::multiply, avx512::product}, avx2_isa{16, avx2::multiply, avx2::product};
    const char* force = std::getenv("RNNLAB_KERNELS");
    const std::string want = force ? force : "";
    if (want == "blas" || std::getenv("RNNLAB_NO_PACKED_GEMM")) return {nullptr, "BLAS", false};
    const bool everywhere = want == "own" || want == "avx2";
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (want != "avx2" && __builtin_cpu_supports("avx512f")) return {&avx512_isa, "avx512f", everywhere};
    if (avx2) return {&avx2_isa, "avx2+fma", everywhere};
    return {nullptr, "BLAS", false};
  }();
  return c;
}

const Isa* isa() { return chosen().isa; }

}  // namespace

void PackedMatrix::Free::operator()(float* p) const { std::free(p); }

bool PackedMatrix::available() { return isa() != nullptr; }

const char* products_kernel() { return chosen().name; }

bool own_forced() { return chosen().isa && chosen().everywhere; }

bool own_everywhere() {
  static const bool everywhere = chosen().isa && (chosen().everywhere || kernel_info().blas_weaker);
  return everywhere;
}

bool own_for(arma::uword n) { return chosen().isa && (n >= kOwnFrom || own_everywhere()); }

bool PackedMatrix::worthwhile(arma::uword n) { return available() && n >= kOwnFrom; }

namespace {

// Calls part(first, last) for ranges of panels that cover [0, panels):
// up to 4 ranges per thread, thread w's share (tasks w, w + threads, …)
// being one contiguous run of them, the same at every call with the same
// thread count. A thread thus multiplies with the panels it packed, and
// its part of A stays in its core's cache from step to step; the 4 pieces
// let another thread take over the rest of a share whose thread the
// kernel has not scheduled.
template <class Part>
void for_each_panel_range(arma::uword panels, Part&& part) {
  const arma::uword threads = std::min<arma::uword>(static_cast<arma::uword>(parallel::threads()), panels);
  const arma::uword pieces = std::clamp<arma::uword>(panels / std::max<arma::uword>(threads, 1), 1, 4);
  const arma::uword ranges = threads * pieces;
  parallel::for_each_task(ranges, [&](std::size_t task) {
    const arma::uword r = (task % threads) * pieces + task / threads;
    part(panels * r / ranges, panels * (r + 1) / ranges);
  });
}

}  // namespace

void PackedMatrix::pack(const arma::fmat& A, bool transpose) {
  const Isa* s = isa();
  if (!s) throw Error("internal: packed GEMM used without a micro-kernel for this CPU");
  const arma::uword mr = static_cast<arma::uword>(s->mr);
  const arma::uword rows = transpose ? A.n_cols : A.n_rows, cols = transpose ? A.n_rows : A.n_cols;
  const arma::uword panels = (rows + mr - 1) / mr;
  const std::size_t need = panels * mr * cols;
  if (need > capacity_) {
    void* p = std::aligned_alloc(64, ((need * sizeof(float) + 63) / 64) * 64);
    if (!p) throw std::bad_alloc();
    data_.reset(static_cast<float*>(p));
    capacity_ = need;
  }
  rows_ = rows;
  cols_ = cols;
  for_each_panel_range(panels, [&](arma::uword first_panel, arma::uword last_panel) {
    for (arma::uword p = first_panel; p < last_panel; ++p) {
      const arma::uword first = p * mr, height = std::min(mr, rows_ - first);
      float* panel = data_.get() + p * mr * cols_;  // cols_ blocks of mr
      if (!transpose) {
        for (arma::uword k = 0; k < cols_; ++k) {
          std::memcpy(panel + k * mr, A.colptr(k) + first, height * sizeof(float));
          std::memset(panel + k * mr + height, 0, (mr - height) * sizeof(float));
        }
      } else {
        // Row first + i of Aᵀ is column first + i of A.
        for (arma::uword i = 0; i < height; ++i) {
          const float* column = A.colptr(first + i);
          for (arma::uword k = 0; k < cols_; ++k) panel[k * mr + i] = column[k];
        }
        for (arma::uword k = 0; k < cols_; ++k) std::memset(panel + k * mr + height, 0, (mr - height) * sizeof(float));
      }
    }
  });
}

void PackedMatrix::multiply(float alpha, const float* X, arma::uword ldx, arma::uword n, float beta, float* C,
                            arma::uword ldc, RowsRef rows_done) const {
  if (rows_ == 0) return;
  // The micro-kernels add to C (beta = 1) or overwrite it (beta = 0); any
  // other beta would be silently taken as 1.
  if (beta != 0.0f && beta != 1.0f) throw Error("internal: packed product with beta = " + std::to_string(beta));
  const Isa* s = isa();
  const arma::uword mr = static_cast<arma::uword>(s->mr);
  for_each_panel_range((rows_ + mr - 1) / mr, [&](arma::uword first, arma::uword last) {
    const arma::uword begin = first * mr, end = std::min(rows_, last * mr);
    if (n > 0) s->multiply(data_.get() + first * mr * cols_, end - begin, cols_, alpha, X, ldx, n, beta, C + begin, ldc);
    if (rows_done) rows_done(begin, end);
  });
}

void product(arma::uword m, arma::uword n, arma::uword k, float alpha, const float* A, arma::uword lda,
             const float* X, arma::uword ldx, bool x_transposed, float beta, float* C, arma::uword ldc) {
  if (beta != 0.0f && beta != 1.0f) throw Error("internal: product with beta = " + std::to_string(beta));
  const Isa* s = isa();
  if (!s) throw Error("internal: product() used without a micro-kernel for this CPU");
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (beta == 0.0f)
      for (arma::uword j = 0; j < n; ++j) std::fill(C + j * ldc, C + j * ldc + m, 0.0f);
    return;
  }
  s->product(m, n, k, alpha, A, lda, X, ldx, x_transposed, beta, C, ldc);
}

void scale(arma::uword m, arma::uword n, float beta, float* C, arma::uword ldc) {
  for (arma::uword j = 0; j < n; ++j)
    for (float* c = C + j * ldc; c != C + j * ldc + m; ++c) *c *= beta;
}

}  // namespace rnnlab::kernel
