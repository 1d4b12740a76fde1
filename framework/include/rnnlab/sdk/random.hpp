#pragma once
// Deterministic random streams. Every stream (weights, trials, feedback
// matrices, ...) is seeded from the run's seed and the stream's own name,
// so adding a component never shifts another's numbers. The generator and
// the distributions are written out here so results are bitwise identical
// across standard libraries.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

/// Seed of the stream called `name` within a run seeded by `seed`.
RNNLAB_EXPORT std::uint64_t derive_seed(std::uint64_t seed, std::string_view name);
/// Seed of the `index`-th item (e.g. iteration) of a stream.
RNNLAB_EXPORT std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index);

/// xoshiro256** generator with explicit uniform and normal draws.
class RNNLAB_EXPORT Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t next();
  /// Uniform on [0, 1) with 53 random bits.
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Standard normal (Box-Muller, caching the second value).
  double normal();
  /// Fills out[0 … n) with independent standard normals by Marsaglia's
  /// polar method: no trigonometric functions, about twice as fast as n
  /// calls of normal() (for bulk noise such as task inputs). Its numbers
  /// differ from normal()'s; it neither uses nor changes normal()'s cache.
  void normals(double* out, std::size_t n);
  /// Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace rnnlab
