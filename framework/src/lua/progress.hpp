#pragma once
// Progress display for training phases: a live line on a terminal, a
// compact periodic line otherwise (logs, CI), nothing with --quiet.
#include <cstdio>
#include <string>

#include "rnnlab/trainer.hpp"

namespace rnnlab::lua {

class ProgressPrinter {
 public:
  ProgressPrinter(std::string label, bool quiet, std::FILE* stream = stdout);
  void update(const TrainProgress& p);
  void finish(const TrainResult& r, std::size_t iterations);

 private:
  std::string label_;
  bool quiet_, tty_;
  std::FILE* stream_;
  double last_print_ = 0;
  double first_loss_ = 0;
  bool have_first_ = false;
};

}  // namespace rnnlab::lua
