#pragma once
#include <map>
#include <string>
#include <vector>

#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

struct BenchOptions {
  std::string rule = "bptt";
  int hidden = 64, batch = 32, steps = 100, iterations = 50, warmup = 5;
  int threads = 1;                   ///< threads of the training passes (--threads)
  std::string precision = "single";  ///< of the training passes: single or double
  std::vector<std::string> set;      ///< rule parameters NAME=VALUE, over the defaults above
};

/// The parameters `rnnlab bench --rule floss` constructs the rule with:
/// those of the flossing phase of the paper scripts (scripts/paper/fig4.lua:
/// trials = 8, the rule's defaults otherwise).
std::map<std::string, Value> floss_bench_params();

/// Times full training iterations (forward, rule, Adam) on a fixed random
/// batch, with `threads` threads for rnnlab's own products and one BLAS
/// thread; prints one JSON object to stdout.
int run_bench(const Registry& registry, const BenchOptions& options);

}  // namespace rnnlab
