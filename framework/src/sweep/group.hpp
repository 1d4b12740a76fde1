#pragma once
// Internals of sweeps shared with the MPI layer and the Lua bindings.
#include <string>
#include <vector>

#include "rnnlab/sdk/export.hpp"

// Only an MPI build's executable installs a group (sweep/mpi.cpp): only
// that build's librnnlab exports set_sweep_group; otherwise it is internal.
#ifdef RNNLAB_EXPORT_SWEEP_GROUP
#define RNNLAB_SWEEP_GROUP_API RNNLAB_EXPORT
#else
#define RNNLAB_SWEEP_GROUP_API
#endif

namespace rnnlab {

/// The processes of one job that share every sweep (MPI ranks, see
/// set_sweep_group). The collective calls must be made by every rank, in
/// the same order.
class SweepGroup {
 public:
  virtual ~SweepGroup() = default;
  virtual int rank() const = 0;  ///< 0-based
  virtual int size() const = 0;
  /// Collective (and a barrier): on every rank, the `error` of the lowest
  /// rank that passed a non-empty one; "" when none did.
  virtual std::string first_error(const std::string& error) = 0;
  /// Collective: element-wise sums over the ranks, in place.
  virtual void sum(std::vector<double>& values) = 0;
};

/// Installs the group every later run_sweep uses (`rnnlab run` of an MPI
/// build launched on several ranks does); nullptr, the default, is one
/// process. With P ranks, rank r runs the r-th of P slices of the shard of
/// SweepOptions into the same directory; rank 0 alone writes sweep.json
/// and the tables, and every rank returns the same report (of the shard).
RNNLAB_SWEEP_GROUP_API void set_sweep_group(SweepGroup* group);
SweepGroup* sweep_group();

/// Stable 64-bit hash (FNV-1a) of a text, as 16 hex digits.
std::string stable_hash(const std::string& text);

}  // namespace rnnlab
