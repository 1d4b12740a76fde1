#pragma once
// A float matrix packed once into row panels, for the many products
// C = alpha·A·X + beta·C that reuse it with different X: the 2T per-step
// recurrent products of a training pass (W_h·r[t] forward, W_hᵀ·g[t]
// backward). OpenBLAS re-packs A at every call; at N = 1024 that packing
// was a third of a BPTT iteration (bench/README.md). The micro-kernels are
// compiled for AVX-512 and AVX2+FMA and chosen at run time; on other CPUs
// available() is false and callers keep using BLAS.
//
// multiply() splits the row panels over the calling thread's threads
// (parallel.hpp): each output row is computed by one thread with the same
// code and the same order of operations as with one thread, so results are
// bitwise the same for any thread count.
#include <armadillo>
#include <cstddef>
#include <memory>

#include "rnnlab/sdk/parallel.hpp"

namespace rnnlab::kernel {

/// A row range [begin, end) of a product's result, done.
using RowsRef = parallel::FunctionRef<void(arma::uword, arma::uword)>;

class PackedMatrix {
 public:
  /// True when this CPU has a micro-kernel (AVX-512F, or AVX2 with FMA).
  static bool available();
  /// Whether packing pays off for an N × N matrix multiplied by N × B
  /// blocks: available() and N >= kOwnFrom (below it BLAS's own packing
  /// costs nothing measurable).
  static bool worthwhile(arma::uword n);

  /// Copies A (rows × cols), or Aᵀ if `transpose`, into zero-padded row
  /// panels; each thread packs the panels it multiplies with.
  void pack(const arma::fmat& A, bool transpose = false);
  /// C (rows × n, leading dimension ldc) = alpha·A·X + beta·C, with X
  /// (cols × n, leading dimension ldx). beta is 0 or 1. `rows_done`, if
  /// given, is called with each range of rows of C once all n columns of
  /// those rows are final, on the thread that computed them (an
  /// element-wise pass over those rows then runs on that thread too); the
  /// ranges cover [0, rows) once.
  void multiply(float alpha, const float* X, arma::uword ldx, arma::uword n, float beta, float* C,
                arma::uword ldc, RowsRef rows_done = {}) const;

  arma::uword rows() const { return rows_; }
  arma::uword cols() const { return cols_; }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float, Free> data_;
  std::size_t capacity_ = 0;
  arma::uword rows_ = 0, cols_ = 0;
};

/// The micro-kernels in use: "avx512f", "avx2+fma", or "BLAS" (none for
/// this CPU, or RNNLAB_KERNELS=blas).
const char* products_kernel();

/// From this N up, a single-precision pass runs all its products on the
/// own kernels (W_h packed); below it, OpenBLAS's small-matrix kernels,
/// which are about 5-30 % faster there with OpenBLAS's right core.
constexpr arma::uword kOwnFrom = 128;

/// True when the own kernels run every product they take, at every size
/// (rnnlab::gemm in single precision included): OpenBLAS runs a core
/// weaker than the CPU supports (its SSE3 fallback on CPUs it does not
/// recognise), or RNNLAB_KERNELS=own / avx2.
bool own_everywhere();

/// RNNLAB_KERNELS=own or avx2 (and a micro-kernel for this CPU).
bool own_forced();

/// Whether a single-precision pass with N = n hidden units runs its
/// products on the own kernels: n >= kOwnFrom, or own_everywhere().
bool own_for(arma::uword n);

/// C (m × n, leading dimension ldc) = alpha·A·op(X) + beta·C for the
/// other single-precision products of a pass, with the same micro-kernels
/// and no packing: A (m × k, column-major, leading dimension lda) is read
/// where it lies; op(X) is X (k × n, leading dimension ldx) or, if
/// `x_transposed`, Xᵀ for an X of n × k (a sum of outer products over k).
/// beta is 0 or 1. Each element of C is a sum over k in order, in blocks
/// of 256 steps, one fused multiply-add per term: the result is bitwise
/// the same on AVX-512 and AVX2, for any split of C into blocks of rows or
/// columns, and whatever BLAS is installed. Needs available().
void product(arma::uword m, arma::uword n, arma::uword k, float alpha, const float* A, arma::uword lda,
             const float* X, arma::uword ldx, bool x_transposed, float beta, float* C, arma::uword ldc);

/// C (m × n, leading dimension ldc) *= beta. The own kernels add to C
/// (beta = 1) or overwrite it (beta = 0); a product with another beta
/// scales C with this first and then adds, as BLAS does.
void scale(arma::uword m, arma::uword n, float beta, float* C, arma::uword ldc);

}  // namespace rnnlab::kernel
