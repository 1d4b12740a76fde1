// Forward-in-time gradients of eq. 1 (online.hpp): RTRL, SnAp-1 and UORO,
// written once for either arithmetic and run in the network's precision.
//
// The recurrent parameters θ = (W_h, W_x, b) are seen as one N × Q matrix
// [W_h W_x b], Q = N + Nin (+1 with biases), whose entry (i, q) is θ[i + N q]:
// the layout of ParameterBlocks. The immediate influence of entry (i, q) is
// (1−α) r̃_q[t] on unit i alone, r̃[t] = [f(h[t]); x[t]; 1].
#include "rnnlab/sdk/online.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <vector>

#include "kernels.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {

namespace {

using kernel::Model;

/// r̃[t] of trial b: [f(h[t]); x[t]; 1 (with biases)], Q values.
template <class T>
void presynaptic(const TrajectoryOf<T>& traj, const arma::Cube<T>& x, bool bias, arma::uword b, arma::uword t,
                 T* out) {
  const arma::uword N = traj.r.n_rows, Nin = x.n_rows;
  const T* r = traj.r.slice_memptr(t) + b * N;
  const T* u = x.slice_memptr(t) + b * Nin;
  std::copy(r, r + N, out);
  std::copy(u, u + Nin, out + N);
  if (bias) out[N + Nin] = T(1);
}

/// out(t, q) = in[t·stride + q] for t < rows, q < cols: a strided block of
/// rows written as the columns of out (leading dimension ld), 16 rows at a
/// time so that the stores are contiguous.
template <class T>
RNNLAB_VECTOR_CLONES void transpose_rows(arma::uword rows, arma::uword cols, const T* __restrict in, arma::uword stride,
                                         T* __restrict out, arma::uword ld) {
  constexpr arma::uword tile = 16;
  for (arma::uword t0 = 0; t0 < rows; t0 += tile) {
    const arma::uword n = std::min(tile, rows - t0);
    const T* src = in + t0 * stride;
    for (arma::uword q = 0; q < cols; ++q)
      for (arma::uword j = 0; j < n; ++j) out[t0 + j + ld * q] = src[j * stride + q];
  }
}

/// Rt(t, ·) = r̃[t]ᵀ of trial b for the T steps: a T × Q matrix.
template <class T>
void presynaptic_rows(const TrajectoryOf<T>& traj, const arma::Cube<T>& x, bool bias, arma::uword b, arma::Mat<T>& Rt) {
  const arma::uword N = traj.r.n_rows, B = traj.r.n_cols, Nin = x.n_rows, T_ = Rt.n_rows;
  transpose_rows(T_, N, traj.r.memptr() + b * N, N * B, Rt.memptr(), T_);
  if (Nin > 0) transpose_rows(T_, Nin, x.memptr() + b * Nin, Nin * B, Rt.colptr(N), T_);
  if (bias) std::fill(Rt.colptr(N + Nin), Rt.colptr(N + Nin) + T_, T(1));
}

/// The gradient of θ (N × Q, θ's layout) into the weight blocks.
template <class T, class Blocks>
void store_recurrent(const arma::Mat<T>& g, arma::uword Nin, bool bias, Blocks& grad) {
  const arma::uword N = g.n_rows;
  grad.W_h = g.cols(0, N - 1);
  if (Nin > 0) grad.W_x = g.cols(N, N + Nin - 1);
  if (bias) grad.b = g.col(N + Nin);
}

bool all_zero(const double* v, arma::uword n) { return std::all_of(v, v + n, [](double a) { return a == 0.0; }); }
bool all_zero(const float* v, arma::uword n) { return std::all_of(v, v + n, [](float a) { return a == 0.0f; }); }

/// The bytes of one block of rows of RTRL's influence matrix (see rtrl()):
/// the block and its gathered columns stay in a core's L2 cache. (At N = 64
/// in double precision, 32 KB to 512 KB all ran 25–40 % faster than the
/// whole matrix at once, 128 KB best.)
constexpr arma::uword kInfluenceBlockBytes = 128 * 1024;

/// Exact RTRL. Each row of the influence matrix Mᵀ (P × N, a parameter's
/// row: how each unit depends on it) evolves on its own, so the rows are
/// taken in blocks of about kInfluenceBlockBytes, and each block runs all T
/// steps of a trial while it stays in cache (the whole of Mᵀ, 2.2 MB at
/// N = 64 in double precision, would not). Per step and block:
///   Mᵀ ← α Mᵀ + Mᵀ[:, A] Yᵀ,  Y = (1−α) W_h[:, A] diag f'(h_A[t])   (A: units with f' ≠ 0)
///   Mᵀ(i + N q, i) += (1−α) r̃_q[t],   g += Mᵀ e[t]
/// Units with f' = 0 (ReLU below threshold) are left out of the product,
/// which is exact. Y is recomputed for each block (N·|A| products, against
/// |block|·N·|A| for the block's product).
template <class T>
void rtrl(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& x, const arma::Cube<T>& e,
          arma::Cube<T>& scratch, arma::Mat<T>& g) {
  const arma::uword N = m.W_h.n_rows, Nin = m.W_x.n_cols, Q = N + Nin + (m.bias ? 1 : 0), P = N * Q;
  const arma::uword B = e.n_cols, T_ = e.n_slices;
  const T a = m.alpha, c = T(1) - a;
  const arma::uword rows = std::min(P, std::max<arma::uword>(32, kInfluenceBlockBytes / (N * sizeof(T))));
  scratch.set_size(rows, N, 2);
  T* gathered = scratch.slice_memptr(1);
  arma::Mat<T> Yt(N, N);
  arma::Mat<T> gv(P, 1, arma::fill::zeros);
  std::vector<T> rt(Q);
  kernel::with_derivative<T>(m.activation, [&](auto df) {
    for (arma::uword b = 0; b < B; ++b)
      for (arma::uword p0 = 0; p0 < P; p0 += rows) {
        const arma::uword n = std::min(rows, P - p0);  // rows p0 … p0 + n − 1 of Mᵀ
        arma::Mat<T> Mt(scratch.slice_memptr(0), n, N, false, true);
        arma::Mat<T> gb(gv.memptr() + p0, n, 1, false, true);
        Mt.zeros();
        for (arma::uword t = 0; t < T_; ++t) {
          if (t > 0) {  // M[0] = 0: nothing to propagate at t = 0
            const T* h = traj.h.slice_memptr(t) + b * N;
            const T* r = traj.r.slice_memptr(t) + b * N;
            arma::uword active = 0;
            for (arma::uword k = 0; k < N; ++k) {
              const T d = df(h[k], r[k]);
              if (d == T(0)) continue;
              std::copy(Mt.colptr(k), Mt.colptr(k) + n, gathered + active * n);
              const T* w = m.W_h.colptr(k);
              T* y = Yt.colptr(active);
              const T s = c * d;
              for (arma::uword i = 0; i < N; ++i) y[i] = s * w[i];
              ++active;
            }
            if (active == 0) {
              Mt *= a;
            } else {
              const arma::Mat<T> X(gathered, n, active, false, true);
              const arma::Mat<T> Y(Yt.memptr(), N, active, false, true);
              gemm(false, true, T(1), X, Y, a, Mt);
            }
          }
          // F[t]: row p = i + N q of Mᵀ gains (1−α) r̃_q[t] in column i.
          presynaptic(traj, x, m.bias, b, t, rt.data());
          T* M = Mt.memptr();
          for (arma::uword p = p0; p < p0 + n;) {
            const arma::uword q = p / N, end = std::min(p0 + n, N * (q + 1));
            const T v = c * rt[q];
            if (v != T(0))
              for (; p < end; ++p) M[(p - p0) + n * (p - N * q)] += v;
            p = end;
          }
          const T* et = e.slice_memptr(t) + b * N;
          if (all_zero(et, N)) continue;  // no error at this step (masked out)
          const arma::Mat<T> ev(const_cast<T*>(et), N, 1, false, true);
          gemm(false, false, T(1), Mt, ev, T(1), gb);
        }
      }
  });
  g = arma::reshape(gv, N, Q);
}

/// One SnAp-1 step of one trial over its N × Q sparse influence S:
///   S(i, q) ← d_i S(i, q) + c r̃_q,  g(i, q) += e_i S(i, q)  (e = nullptr: no error).
template <class T>
RNNLAB_VECTOR_CLONES void snap_step(arma::uword N, arma::uword Q, const T* __restrict d, const T* __restrict rt,
                                    T c, const T* __restrict e, T* __restrict S, T* __restrict g) {
  for (arma::uword q = 0; q < Q; ++q) {
    T* s = S + N * q;
    T* gq = g + N * q;
    const T v = c * rt[q];
    if (e) {
      for (arma::uword i = 0; i < N; ++i) {
        const T n = d[i] * s[i] + v;
        s[i] = n;
        gq[i] += e[i] * n;
      }
    } else {
      for (arma::uword i = 0; i < N; ++i) s[i] = d[i] * s[i] + v;
    }
  }
}

/// SnAp-1: the entries of the influence matrix that the immediate
/// influence fills, ∂h_i/∂θ(i, q), propagated by the diagonal of J alone.
template <class T>
void snap(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& x, const arma::Cube<T>& e,
          arma::Mat<T>& g) {
  const arma::uword N = m.W_h.n_rows, Nin = m.W_x.n_cols, Q = N + Nin + (m.bias ? 1 : 0);
  const arma::uword B = e.n_cols, T_ = e.n_slices;
  const T a = m.alpha, c = T(1) - a;
  arma::Mat<T> S(N, Q);
  g.zeros(N, Q);
  std::vector<T> d(N), rt(Q);
  const arma::Col<T> self = m.W_h.diag();
  kernel::with_derivative<T>(m.activation, [&](auto df) {
    for (arma::uword b = 0; b < B; ++b) {
      S.zeros();
      for (arma::uword t = 0; t < T_; ++t) {
        const T* h = traj.h.slice_memptr(t) + b * N;
        const T* r = traj.r.slice_memptr(t) + b * N;
        for (arma::uword i = 0; i < N; ++i) d[i] = a + c * self[i] * df(h[i], r[i]);
        presynaptic(traj, x, m.bias, b, t, rt.data());
        const T* et = e.slice_memptr(t) + b * N;
        snap_step(N, Q, d.data(), rt.data(), c, all_zero(et, N) ? nullptr : et, S.memptr(), g.memptr());
      }
    }
  });
}

/// v[i] = ±1 from bit i of the words w (1: +1), i < n.
template <class T>
RNNLAB_VECTOR_CLONES void expand_signs(const std::uint64_t* __restrict w, arma::uword n, T* __restrict v) {
  for (arma::uword k = 0; 64 * k < n; ++k) {
    const std::uint64_t word = w[k];
    const arma::uword m = std::min<arma::uword>(64, n - 64 * k);
    T* out = v + 64 * k;
    for (arma::uword j = 0; j < m; ++j) out[j] = static_cast<T>(static_cast<int>((word >> j) & 1u) * 2 - 1);
  }
}

// The sums below run over kLanes partial sums of type A, combined in a
// fixed order: every clone (AVX-512, AVX2, baseline) vectorises the same
// operations in the same order, so all give bitwise the same result.
constexpr arma::uword kLanes = 16;

template <class A>
inline A combine(A* acc) {
  for (arma::uword j = 0; j < 8; ++j) acc[j] += acc[j + 8];
  for (arma::uword j = 0; j < 4; ++j) acc[j] += acc[j + 4];
  for (arma::uword j = 0; j < 2; ++j) acc[j] += acc[j + 2];
  return acc[0] + acc[1];
}
static_assert(kLanes == 16, "combine() adds 16 partial sums");

/// Σ_i a[i] b[i], summed in A.
template <class A, class T>
inline A lane_dot(arma::uword n, const T* a, const T* b) {
  A acc[kLanes] = {};
  arma::uword i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (arma::uword j = 0; j < kLanes; ++j) acc[j] += static_cast<A>(a[i + j]) * static_cast<A>(b[i + j]);
  for (arma::uword j = 0; i + j < n; ++j) acc[j] += static_cast<A>(a[i + j]) * static_cast<A>(b[i + j]);
  return combine(acc);
}

/// h ← ρ₀ h + ρ₁ v in place; returns eᵀh.
template <class T>
inline T next_h(arma::uword n, T rho0, T rho1, const T* __restrict v, const T* __restrict e, T* __restrict h) {
  T acc[kLanes] = {};
  arma::uword i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (arma::uword j = 0; j < kLanes; ++j) {
      const T x = rho0 * h[i + j] + rho1 * v[i + j];
      h[i + j] = x;
      acc[j] += e[i + j] * x;
    }
  for (arma::uword j = 0; i + j < n; ++j) {
    const T x = rho0 * h[i + j] + rho1 * v[i + j];
    h[i + j] = x;
    acc[j] += e[i + j] * x;
  }
  return combine(acc);
}

/// Columns of the triangular blocks of a Gram matrix: small products that
/// OpenBLAS runs with its unpacked kernels.
constexpr arma::uword kGramBlock = 32;
static_assert(kGramBlock % kLanes == 0, "the padded sums of uoro_step read only computed entries of K");

/// The range [1/kLevelMax, kLevelMax] of the lazy scale of θ̃'s weights.
constexpr double kLevelMax = 1e15;

/// The scalars of one UORO step of every trial (see uoro() below).
template <class T>
struct UoroStep {
  arma::uword N, B, T_;
  const T* signs;       // ν[t], N × B
  const T* errors;      // e[t], N × B
  const T* pairs;       // K of each trial, T × T × B
  T* H;                 // J[t] h̃[t] on entry, h̃[t+1] on exit, N × B
  T* scaled;            // γ(u, t−1)/level per trial, T × B
  double* level;        // B
  double* norm2;        // ‖θ̃‖² per trial, B
  double* cross;        // scratch, B
  const double *rho1, *k;    // ρ₁ and (1−α)/ρ₁ of step t, B each
  double *inv_rho0, *s;      // 1/ρ₀ and e[t]ᵀh̃[t+1] of step t, B each
};

/// Step t of every trial: ρ₀, h̃[t+1], ‖θ̃[t]‖² and γ(t, t), in passes
/// over the trials.
template <class T>
RNNLAB_VECTOR_CLONES void uoro_step(const UoroStep<T>& p, arma::uword t) {
  const arma::uword N = p.N, T_ = p.T_, B = p.B;
  const auto K = [&](arma::uword b) { return p.pairs + T_ * T_ * b + T_ * t; };  // K(·, t) of trial b
  for (arma::uword b = 0; b < B; ++b) {
    const T* h = p.H + N * b;
    // ρ₀ = √(‖θ̃‖/‖J h̃‖), 1 where a norm is 0.
    const double nj = std::sqrt(static_cast<double>(lane_dot<T>(N, h, h))), nt = std::sqrt(p.norm2[b]);
    const double rho0 = nj > 0 && nt > 0 ? std::sqrt(nt / nj) : 1.0;
    p.inv_rho0[b] = 1.0 / rho0;
    p.s[b] = next_h(N, static_cast<T>(rho0), static_cast<T>(p.rho1[b]), p.signs + N * b, p.errors + N * b, p.H + N * b);
  }
  // ν_tᵀ θ̃[t−1] r̃_t = Σ_{u<t} γ(u, t−1) K(u, t), summed up to u < t' = t
  // rounded up to whole lanes, where γ(u, t−1) = 0 and K(u, t) is finite
  // (computed by the Gram blocks): the same sum, with no scalar tail.
  const arma::uword padded = std::min(T_, (t + kLanes - 1) / kLanes * kLanes);
  for (arma::uword b = 0; b < B; ++b) p.cross[b] = p.level[b] * lane_dot<double>(padded, p.scaled + T_ * b, K(b));
  for (arma::uword b = 0; b < B; ++b) {
    const double a = p.inv_rho0[b], kt = p.k[b];
    p.norm2[b] = std::max(0.0, a * a * p.norm2[b] + 2.0 * a * kt * p.cross[b] +
                                   kt * kt * static_cast<double>(N) * static_cast<double>(K(b)[t]));
    p.level[b] *= a;
    T* g = p.scaled + T_ * b;
    if (p.level[b] > kLevelMax || p.level[b] < 1 / kLevelMax) {
      for (arma::uword u = 0; u < t; ++u) g[u] = static_cast<T>(g[u] * p.level[b]);
      p.level[b] = 1;
    }
    g[t] = static_cast<T>(kt / p.level[b]);
  }
}

/// The number of set bits of w, by shifts and masks only (no popcount
/// instruction), so that a loop over many words vectorises.
inline std::uint64_t bit_count(std::uint64_t w) {
  w = w - ((w >> 1) & 0x5555555555555555ull);
  w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
  w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
  w = w + (w >> 8);
  w = w + (w >> 16);
  w = w + (w >> 32);
  return w & 0x7f;
}

/// K(u, t) ← K(u, t) (ν_uᵀν_t) for u < t of a T × T matrix K (column-major),
/// with ν_uᵀν_t = N − 2·(signs that differ) from the sign bits of the
/// trial's steps (`words` per step, contiguous).
template <class T>
RNNLAB_VECTOR_CLONES void sign_products(const std::uint64_t* __restrict bits, arma::uword words, arma::uword N,
                                        arma::uword T_, T* __restrict K) {
  const std::int32_t n = static_cast<std::int32_t>(N);
  for (arma::uword t = 1; t < T_; ++t) {
    const std::uint64_t* wt = bits + t * words;
    T* col = K + T_ * t;
    if (words == 1) {
      const std::uint64_t w = wt[0];
      for (arma::uword u = 0; u < t; ++u)
        col[u] *= static_cast<T>(n - 2 * static_cast<std::int32_t>(bit_count(bits[u] ^ w)));
    } else {
      for (arma::uword u = 0; u < t; ++u) {
        std::uint64_t differ = 0;
        for (arma::uword k = 0; k < words; ++k) differ += bit_count(bits[u * words + k] ^ wt[k]);
        col[u] *= static_cast<T>(n - 2 * static_cast<std::int32_t>(differ));
      }
    }
  }
}

/// out(:, j) = w[j] v(:, j) for the n columns of N rows.
template <class T>
RNNLAB_VECTOR_CLONES void scale_columns(arma::uword N, arma::uword n, const T* __restrict w, const T* __restrict v,
                                        T* __restrict out) {
  for (arma::uword j = 0; j < n; ++j)
    for (arma::uword i = 0; i < N; ++i) out[i + N * j] = w[j] * v[i + N * j];
}

/// Buffers carved from one byte vector that the workspace keeps between
/// passes, so that passes of the same sizes allocate nothing; each starts
/// on a 64-byte boundary from the vector's start. A first carving with no
/// vector only adds up the size.
class Carver {
 public:
  explicit Carver(std::byte* base) : base_(base) {}
  template <class U>
  U* take(arma::uword n) {
    U* p = base_ ? reinterpret_cast<U*>(base_ + size_) : nullptr;
    size_ += (n * sizeof(U) + 63) / 64 * 64;
    return p;
  }
  std::size_t size() const { return size_; }

 private:
  std::byte* base_;
  std::size_t size_ = 0;
};

/// UORO without storing θ̃. After step t,
///   θ̃_b[t] = Σ_{s≤t} γ_b(s, t) ν_b[s] r̃_b[s]ᵀ   (N × Q),  γ_b(s, t) = k_b[s] Π_{u=s+1..t} 1/ρ₀_b[u],
/// with k = (1−α)/ρ₁. Its norm, which ρ₀ needs at the next step, follows from
///   ‖θ̃[t]‖² = ‖θ̃[t−1]‖²/ρ₀² + 2 (k/ρ₀) Σ_{s<t} γ(s, t−1) K(s, t) + k² N ‖r̃_t‖²,
///   K(s, t) = (ν_sᵀν_t)(r̃_sᵀr̃_t)   (one T × T matrix per trial: a Gram matrix by GEMMs, times sign agreements).
/// The gradient Σ_t s[t] θ̃[t], s[t] = e[t]ᵀh̃[t+1], is Σ_s w[s] ν[s] r̃[s]ᵀ
/// with w[s] = k[s] ω[s], ω[s] = s[s] + ω[s+1]/ρ₀[s+1]: one product over
/// all steps, like BPTT's weight gradients.
template <class T, class Blocks>
void uoro(const Model<T>& m, const TrajectoryOf<T>& traj, const arma::Cube<T>& x, const arma::Cube<T>& e,
          std::uint64_t seed, arma::Cube<T>& signs, arma::Cube<T>& pairs, arma::Cube<T>& weighted,
          std::vector<std::byte>& arena, Blocks& grad) {
  const arma::uword N = m.W_h.n_rows, Nin = m.W_x.n_cols, Q = N + Nin + (m.bias ? 1 : 0);
  const arma::uword B = e.n_cols, T_ = e.n_slices;
  const T alpha = m.alpha, c = T(1) - alpha;
  const arma::uword words = (N + 63) / 64;
  // The pass's small buffers (besides the cubes of the workspace).
  struct {
    std::uint64_t* bits;        // the sign bits, words × T × B
    T *Rt, *H, *DH, *scaled, *w;  // T × Q, N × B, N × B, T × B, B × T
    double *inv_rho0, *s, *rho1, *k;  // B × T each
    double *level, *norm2, *cross;    // B each
  } buf;
  const auto carve = [&](Carver& to) {
    buf.bits = to.take<std::uint64_t>(words * T_ * B);
    buf.Rt = to.take<T>(T_ * Q);
    buf.H = to.take<T>(N * B);
    buf.DH = to.take<T>(N * B);
    buf.scaled = to.take<T>(T_ * B);
    buf.w = to.take<T>(B * T_);
    for (double** p : {&buf.inv_rho0, &buf.s, &buf.rho1, &buf.k}) *p = to.take<double>(B * T_);
    for (double** p : {&buf.level, &buf.norm2, &buf.cross}) *p = to.take<double>(B);
  };
  {
    Carver sizes(nullptr);
    carve(sizes);
    arena.resize(sizes.size());
    Carver at(arena.data());
    carve(at);
  }
  // ν_b[t] = signs(:, b, t) ∈ {−1, 1}^N from the bits of ⌈N/64⌉ draws of
  // Rng(seed) per step and trial (bit i: unit i, 1 = +1), in the order (t, b).
  // The bits are kept per trial (b, t) for the sign agreements.
  std::uint64_t* bits = buf.bits;
  signs.set_size(N, B, T_);
  {
    Rng rng(seed);
    const std::uint64_t last = N % 64 ? (std::uint64_t(1) << (N % 64)) - 1 : ~std::uint64_t(0);
    for (arma::uword t = 0; t < T_; ++t)
      for (arma::uword b = 0; b < B; ++b) {
        std::uint64_t* w = &bits[(b * T_ + t) * words];
        for (arma::uword k = 0; k < words; ++k) w[k] = rng.next();
        w[words - 1] &= last;
        expand_signs(w, N, signs.slice_memptr(t) + b * N);
      }
  }
  // Per trial: K(s, t) for s < t (the upper triangle of a T × T matrix)
  // and ‖r̃_t‖² on its diagonal. The Gram matrix r̃_sᵀr̃_t by GEMMs over
  // triangular blocks of columns, from the steps' r̃ as the rows of Rt.
  pairs.set_size(T_, T_, B);
  {
    arma::Mat<T> Rt(buf.Rt, T_, Q, false, true);
    for (arma::uword b = 0; b < B; ++b) {
      presynaptic_rows(traj, x, m.bias, b, Rt);
      T* K = pairs.slice_memptr(b);
      for (arma::uword j = 0; j < T_; j += kGramBlock) {
        const arma::uword w = std::min(kGramBlock, T_ - j);
        gemm(false, true, j + w, w, Q, T(1), Rt.memptr(), T_, Rt.memptr() + j, T_, T(0), K + T_ * j, T_);
      }
      sign_products(&bits[b * T_ * words], words, N, T_, K);
    }
  }

  // Forward in time, all trials at once for J h̃.
  arma::Mat<T> H(buf.H, N, B, false, true), DH(buf.DH, N, B, false, true);
  H.zeros();
  arma::mat inv_rho0(buf.inv_rho0, B, T_, false, true), s(buf.s, B, T_, false, true);
  // ρ₁ = √(‖νᵀF‖/‖ν‖) = √((1−α) ‖r̃‖) (‖νᵀF‖ = (1−α) ‖ν‖ ‖r̃‖ for signs ν;
  // 1 where it is 0) and k = (1−α)/ρ₁ of every step, independent of the
  // recursion: before it.
  arma::mat rho1(buf.rho1, B, T_, false, true), k(buf.k, B, T_, false, true);
  for (arma::uword t = 0; t < T_; ++t)
    for (arma::uword b = 0; b < B; ++b) {
      const double f = static_cast<double>(c) * std::sqrt(static_cast<double>(pairs(t, t, b)));
      rho1(b, t) = f > 0 ? std::sqrt(f) : 1.0;
      k(b, t) = static_cast<double>(c) / rho1(b, t);
    }
  // γ(u, t−1) = scaled(u, b) · level(b), so that a step rescales one
  // number instead of t (renormalised when it leaves [1/kLevelMax, kLevelMax]).
  arma::Mat<T> scaled(buf.scaled, T_, B, false, true);
  scaled.zeros();  // γ(u, t−1) = 0 for u ≥ t
  arma::vec level(buf.level, B, false, true), norm2(buf.norm2, B, false, true), cross(buf.cross, B, false, true);
  level.ones();
  norm2.zeros();
  UoroStep<T> step{.N = N,
                   .B = B,
                   .T_ = T_,
                   .signs = nullptr,
                   .errors = nullptr,
                   .pairs = pairs.memptr(),
                   .H = H.memptr(),
                   .scaled = scaled.memptr(),
                   .level = level.memptr(),
                   .norm2 = norm2.memptr(),
                   .cross = cross.memptr(),
                   .rho1 = nullptr,
                   .k = nullptr,
                   .inv_rho0 = nullptr,
                   .s = nullptr};
  kernel::with_derivative<T>(m.activation, [&](auto df) {
    for (arma::uword t = 0; t < T_; ++t) {
      if (t > 0) {  // H ← J[t] h̃ = α h̃ + (1−α) W_h (f'(h[t]) ⊙ h̃); h̃[0] = 0
        const T* h = traj.h.slice_memptr(t);
        const T* r = traj.r.slice_memptr(t);
        const T* hp = H.memptr();
        T* dh = DH.memptr();
        kernel::for_each_index(N * B, [=](arma::uword i) { dh[i] = df(h[i], r[i]) * hp[i]; });
        kernel::step_product(m.packed_W_h, m.W_h, c, DH, alpha, H);
      }
      step.signs = signs.slice_memptr(t);
      step.errors = e.slice_memptr(t);
      step.rho1 = rho1.colptr(t);
      step.k = k.colptr(t);
      step.inv_rho0 = inv_rho0.colptr(t);
      step.s = s.colptr(t);
      uoro_step(step, t);
    }
  });

  // Backward over the steps for the weights w[s] of ν[s] r̃[s]ᵀ.
  T* w = buf.w;  // w[b + B t]: column b + B t of the signs
  for (arma::uword b = 0; b < B; ++b) {
    double omega = 0;
    for (arma::uword t = T_; t-- > 0;) {
      omega = s(b, t) + (t + 1 < T_ ? inv_rho0(b, t + 1) * omega : 0.0);
      w[b + B * t] = static_cast<T>(k(b, t) * omega);
    }
  }
  weighted.set_size(N, B, T_);
  scale_columns(N, B * T_, w, signs.memptr(), weighted.memptr());
  kernel::sum_outer(T(1), weighted, traj.r, 0, grad.W_h);
  kernel::sum_outer(T(1), weighted, x, 0, grad.W_x);
  if (m.bias) grad.b = arma::sum(slices_as_matrix(weighted, 0, T_), 1);
}

template <class Body>
void online_pass(const Network& net, const Batch& batch, GradientWorkspace& ws, Gradient& out, Body&& body) {
  out.loss = kernel::in_precision(
      net, batch, nullptr, false, ws, out, [&](const auto& m, const auto& x, const auto*, auto& buffers, auto& grad) {
        using T = typename std::remove_cvref_t<decltype(x)>::elem_type;
        // Learning signals e[s] = D[s+1] (W_outᵀ δ[s]) in buffers.G: the
        // errors with no propagation through the Jacobian.
        const double loss = kernel::errors(m, batch, x, static_cast<const arma::Mat<T>*>(nullptr),
                                           {.leak = false, .recurrent = false}, buffers);
        body(m, buffers, x, grad);
        kernel::readout_gradients(m, buffers.traj, buffers.delta, grad);
        return loss;
      });
}

}  // namespace

void influence_gradient(const Network& net, const Batch& batch, Influence pattern, GradientWorkspace& ws,
                        Gradient& out) {
  online_pass(net, batch, ws, out, [&](const auto& m, auto& buffers, const auto& x, auto& grad) {
    using T = typename std::remove_cvref_t<decltype(x)>::elem_type;
    arma::Mat<T> g;  // N × Q: the gradient of [W_h W_x b]
    if (pattern == Influence::Full)
      rtrl(m, buffers.traj, x, buffers.G, buffers.work, g);
    else
      snap(m, buffers.traj, x, buffers.G, g);
    store_recurrent(g, m.W_x.n_cols, m.bias, grad);
  });
}

void uoro_gradient(const Network& net, const Batch& batch, std::uint64_t seed, GradientWorkspace& ws,
                   Gradient& out) {
  online_pass(net, batch, ws, out, [&](const auto& m, auto& buffers, const auto& x, auto& grad) {
    uoro(m, buffers.traj, x, buffers.G, seed, buffers.work2, buffers.work3, buffers.work, buffers.arena, grad);
  });
}

std::uint64_t batch_seed(std::uint64_t seed, const Batch& batch) {
  std::uint64_t hash = 1469598103934665603ull;
  const auto mix = [&](const auto& data) {  // FNV-1a over the values' 64-bit patterns
    for (const double v : data) {
      hash ^= std::bit_cast<std::uint64_t>(v);
      hash *= 1099511628211ull;
    }
  };
  mix(batch.x);
  mix(batch.y);
  mix(batch.mask);
  return derive_seed(seed, hash);
}

}  // namespace rnnlab
