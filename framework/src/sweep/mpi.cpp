#include "mpi.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>

// The C API only, without the deprecated C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

namespace rnnlab::sweep {
namespace {

class MpiGroup final : public SweepGroup {
 public:
  MpiGroup(int rank, int size) : rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::string first_error(const std::string& error) override {
    int mine = error.empty() ? size_ : rank_, first = size_;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == size_) return "";
    std::string text = rank_ == first ? error : std::string();
    unsigned long long length = text.size();
    MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, first, MPI_COMM_WORLD);
    text.resize(length);
    MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, first, MPI_COMM_WORLD);
    return text;
  }

  void sum(std::vector<double>& values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }

 private:
  int rank_, size_;
};

// The environment every common launcher gives its processes: Open MPI's
// mpirun, PMIx (Open MPI 5, srun --mpi=pmix), PMI (MPICH/Intel MPI Hydra,
// srun --mpi=pmi2).
bool launched_by_mpiexec() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name)) return true;
  return false;
}

}  // namespace

MpiSession::MpiSession() {
  if (!launched_by_mpiexec()) return;
  initialized_ = true;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (size_ > 1) {
    group_ = std::make_unique<MpiGroup>(rank_, size_);
    set_sweep_group(group_.get());
  }
}

MpiSession::~MpiSession() {
  if (!finished_) finish(1);
}

int MpiSession::finish(int status) {
  if (finished_) return status;
  finished_ = true;
  if (!initialized_) return status;
  set_sweep_group(nullptr);
  std::fflush(stdout);
  std::cout.flush();
  if (status != 0 && size_ > 1) {
    std::cerr << "rnnlab: rank " << rank_ << " of " << size_ << " failed (exit status " << status
              << "); stopping all ranks" << std::endl;
    MPI_Abort(MPI_COMM_WORLD, status);
  }
  MPI_Finalize();
  return status;
}

}  // namespace rnnlab::sweep
