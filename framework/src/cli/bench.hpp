#pragma once
#include <string>

#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

struct BenchOptions {
  std::string rule = "bptt";
  int hidden = 64, batch = 32, steps = 100, iterations = 50, warmup = 5;
  std::string precision = "single";  ///< of the training passes: single or double
};

/// Times full training iterations (forward, rule, Adam) on a fixed random
/// batch with one BLAS thread; prints one JSON object to stdout.
int run_bench(const Registry& registry, const BenchOptions& options);

}  // namespace rnnlab
