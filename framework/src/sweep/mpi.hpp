#pragma once
// `rnnlab run` in an MPI build (-DRNNLAB_MPI=ON; compiled into the
// executable only, so the kernel needs no MPI): one MPI session per
// process. Launched on P > 1 ranks, it installs the SweepGroup that makes
// every lab.sweep split its runs over the ranks (rnnlab/sweep.hpp).
// Started without a launcher (no mpirun, mpiexec or srun environment), the
// process does not touch MPI at all and runs exactly as the plain build:
// a singleton MPI_Init costs a third of a second, and fails under limits
// (ulimit -f) that rnnlab itself handles.
#include <memory>

#include "group.hpp"
#include "rnnlab/app/sweep.hpp"

namespace rnnlab::sweep {

class MpiSession {
 public:
  /// MPI_Init_thread (funneled: only the main thread calls MPI) when
  /// started by an MPI launcher; otherwise nothing (rank 0 of 1).
  MpiSession();
  ~MpiSession();  ///< finish(1) unless finish() was called
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  /// Ends the session and returns `status`: MPI_Finalize, or MPI_Abort
  /// when this rank fails in a job of several, since the others may be
  /// waiting for it in a sweep (and MPI_Finalize would wait for them).
  int finish(int status);

 private:
  int rank_ = 0, size_ = 1;
  bool initialized_ = false, finished_ = false;
  std::unique_ptr<SweepGroup> group_;
};

}  // namespace rnnlab::sweep
