#pragma once
// A float matrix packed once into row panels, for the many products
// C = alpha·A·X + beta·C that reuse it with different X: the 2T per-step
// recurrent products of a training pass (W_h·r[t] forward, W_hᵀ·g[t]
// backward). OpenBLAS re-packs A at every call; at N = 1024 that packing
// was a third of a BPTT iteration (bench/README.md). The micro-kernels are
// compiled for AVX-512 and AVX2+FMA and chosen at run time; on other CPUs
// available() is false and callers keep using BLAS.
#include <armadillo>
#include <cstddef>
#include <memory>

namespace rnnlab::kernel {

class PackedMatrix {
 public:
  /// True when this CPU has a micro-kernel (AVX-512F, or AVX2 with FMA).
  static bool available();
  /// Whether packing pays off for an N × N matrix multiplied by N × B
  /// blocks: available() and N large enough that BLAS's own packing
  /// costs (measured: N ≥ 128).
  static bool worthwhile(arma::uword n);

  /// Copies A (rows × cols) into zero-padded row panels.
  void pack(const arma::fmat& A);
  /// C (rows × n, leading dimension ldc) = alpha·A·X + beta·C, with X
  /// (cols × n, leading dimension ldx). beta is 0 or 1.
  void multiply(float alpha, const float* X, arma::uword ldx, arma::uword n, float beta, float* C,
                arma::uword ldc) const;

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

}  // namespace rnnlab::kernel
