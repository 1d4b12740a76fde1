#pragma once
// The contract suites every plugin of a kind must keep, as code shared by
// the unit tests (tests/unit/test_*_contract.cpp, over the built-in
// plugins) and `rnnlab check PLUGIN.so` (over an out-of-tree one). Each
// check gives one verdict: pass or fail and a line saying what was checked
// and, on failure, what went wrong.
#include <string>
#include <vector>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/plugin.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab::contract {

struct Verdict {
  bool pass = false;
  std::string what;  ///< "rule myrule: gradient of W_out equals ..."
};
/// "PASS rule myrule: ..." / "FAIL rule myrule: ..."
RNNLAB_EXPORT std::string format(const Verdict& v);
RNNLAB_EXPORT bool all_pass(const std::vector<Verdict>& verdicts);

/// The parameter blocks a gradient can claim to be exact on.
RNNLAB_EXPORT const std::vector<std::string>& block_names();  // W_h, W_x, W_out, b, b_out
/// Parses "W_out,W_h" (or "all"); throws Error naming an unknown block.
RNNLAB_EXPORT std::vector<std::string> parse_blocks(const std::string& list);

/// Rule `name` of `registry` on batches of `task`: shapes, finite values,
/// the network untouched, determinism for a phase seed, reuse, a clear
/// error for a network that does not fit, parameter validation, and, for
/// each block of `exact`, the gradient against central finite differences
/// of the loss (double precision, tanh units, with and without biases).
RNNLAB_EXPORT std::vector<Verdict> check_rule(const Registry& registry, const std::string& name, const Task& task,
                                              const std::vector<std::string>& exact);

/// Task `name`: sizes as info() says, a non-empty mask, finite values,
/// one-hot targets for cross-entropy, `truth` consistent with the targets,
/// determinism per seed, distinct seeds giving distinct trials, reuse of a
/// batch, and parameter validation.
RNNLAB_EXPORT std::vector<Verdict> check_task(const Registry& registry, const std::string& name);

/// Analysis `name` on a network fitting `task`: named finite results, the
/// network untouched, determinism in the seed, a fixed batch as input,
/// and parameter validation.
/// `plugins` is what the analysis may make other plugins from (may be null).
RNNLAB_EXPORT std::vector<Verdict> check_analysis(const Registry& registry, const std::string& name, const Task& task,
                                                  const Registry* plugins);

}  // namespace rnnlab::contract
