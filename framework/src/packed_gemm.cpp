#include "packed_gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "rnnlab/sdk/parallel.hpp"
#include "rnnlab/sdk/error.hpp"

namespace rnnlab::kernel {
namespace {

// Register blocking: a panel of MR = W·MV rows (MV vectors of W floats)
// times NR columns of X, accumulated over all of K in registers.
//   AVX-512: W = 16, MV = 2, NR = 8 → 16 accumulators of 32.
//   AVX2:    W = 8,  MV = 2, NR = 6 → 12 accumulators of 16.
struct Isa {
  int mr;
  void (*multiply)(const float* Ap, arma::uword M, arma::uword K, float alpha, const float* X, arma::uword ldx,
                   arma::uword n, float beta, float* C, arma::uword ldc);
};

// One block: rows [0, MR) of panel `a` (K × MR, row index fastest) times
// columns [0, NR) of X; `rows` ≤ MR of them are stored.
template <int W, int MV, int NR>
__attribute__((always_inline)) inline void block(const float* a, arma::uword K, float alpha, const float* X,
                                                 arma::uword ldx, float beta, float* C, arma::uword ldc,
                                                 arma::uword rows) {
  typedef float vec __attribute__((vector_size(W * sizeof(float)), aligned(W * sizeof(float)), may_alias));
  vec acc[NR][MV];
  for (int j = 0; j < NR; ++j)
    for (int v = 0; v < MV; ++v) acc[j][v] = vec{};
  const float* x[NR];
  for (int j = 0; j < NR; ++j) x[j] = X + static_cast<arma::uword>(j) * ldx;
  for (arma::uword k = 0; k < K; ++k, a += W * MV) {
    vec av[MV];
    for (int v = 0; v < MV; ++v) av[v] = *reinterpret_cast<const vec*>(a + v * W);
    for (int j = 0; j < NR; ++j) {
      const float s = x[j][k];
      for (int v = 0; v < MV; ++v) acc[j][v] += av[v] * s;
    }
  }
  constexpr arma::uword MR = W * MV;
  for (int j = 0; j < NR; ++j) {
    float* c = C + static_cast<arma::uword>(j) * ldc;
    if (rows == MR) {
      for (int v = 0; v < MV; ++v) {  // C is not aligned: memcpy is an unaligned load/store
        vec out = acc[j][v] * alpha;
        if (beta != 0.0f) {
          vec old;
          __builtin_memcpy(&old, c + v * W, sizeof(vec));
          out += old;
        }
        __builtin_memcpy(c + v * W, &out, sizeof(vec));
      }
    } else {
      float tmp[MR];
      std::memcpy(tmp, acc[j], sizeof(tmp));
      for (arma::uword i = 0; i < rows; ++i) c[i] = beta == 0.0f ? alpha * tmp[i] : c[i] + alpha * tmp[i];
    }
  }
}

template <int W, int MV, int NR, int R = NR>
__attribute__((always_inline)) inline void block_of(int nr, const float* a, arma::uword K, float alpha,
                                                    const float* X, arma::uword ldx, float beta, float* C,
                                                    arma::uword ldc, arma::uword rows) {
  if constexpr (R > 0) {
    if (nr == R) return block<W, MV, R>(a, K, alpha, X, ldx, beta, C, ldc, rows);
    block_of<W, MV, NR, R - 1>(nr, a, K, alpha, X, ldx, beta, C, ldc, rows);
  }
}

template <int W, int MV, int NR>
__attribute__((always_inline)) inline void multiply_with(const float* Ap, arma::uword M, arma::uword K, float alpha,
                                                         const float* X, arma::uword ldx, arma::uword n, float beta,
                                                         float* C, arma::uword ldc) {
  constexpr arma::uword MR = W * MV;
  // Panel by panel, so each panel of A (MR × K) is read from memory once
  // and reused from cache for every column block of X.
  for (arma::uword p = 0; p * MR < M; ++p) {
    const float* a = Ap + p * MR * K;
    const arma::uword rows = std::min<arma::uword>(MR, M - p * MR);
    for (arma::uword j = 0; j < n; j += NR) {
      const int nr = static_cast<int>(std::min<arma::uword>(NR, n - j));
      block_of<W, MV, NR>(nr, a, K, alpha, X + j * ldx, ldx, beta, C + j * ldc + p * MR, ldc, rows);
    }
  }
}

__attribute__((target("avx512f"))) void multiply_avx512(const float* Ap, arma::uword M, arma::uword K, float alpha,
                                                        const float* X, arma::uword ldx, arma::uword n, float beta,
                                                        float* C, arma::uword ldc) {
  multiply_with<16, 2, 8>(Ap, M, K, alpha, X, ldx, n, beta, C, ldc);
}

__attribute__((target("avx2,fma"))) void multiply_avx2(const float* Ap, arma::uword M, arma::uword K, float alpha,
                                                       const float* X, arma::uword ldx, arma::uword n, float beta,
                                                       float* C, arma::uword ldc) {
  multiply_with<8, 2, 6>(Ap, M, K, alpha, X, ldx, n, beta, C, ldc);
}

const Isa* isa() {
  static const Isa* chosen = [] () -> const Isa* {
    static const Isa avx512{32, multiply_avx512}, avx2{16, multiply_avx2};
    if (std::getenv("RNNLAB_NO_PACKED_GEMM")) return nullptr;  // for comparisons: BLAS only
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return &avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &avx2;
    return nullptr;
  }();
  return chosen;
}

}  // namespace

void PackedMatrix::Free::operator()(float* p) const { std::free(p); }

bool PackedMatrix::available() { return isa() != nullptr; }

bool PackedMatrix::worthwhile(arma::uword n) { return available() && n >= 128; }

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

}  // namespace rnnlab::kernel
