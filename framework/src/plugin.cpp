#include "rnnlab/sdk/plugin.hpp"

#include <cmath>

#include "rnnlab/sdk/error.hpp"

namespace rnnlab {

// Out-of-line destructors anchor the vtables and type info in librnnlab,
// so plugins built with hidden visibility share them.
Task::~Task() = default;
Rule::~Rule() = default;
Optimizer::~Optimizer() = default;
Analysis::~Analysis() = default;
Initializer::~Initializer() = default;

void Rule::begin(const Network&, std::uint64_t) {}

LearningState Rule::state() const { return {}; }
void Rule::restore(const LearningState& state) {
  if (!state.empty()) throw Error("this rule keeps no state across iterations, but a state named '" + state.front().first + "' was given");
}

LearningState Optimizer::state() const { return {}; }
void Optimizer::restore(const LearningState& state) {
  if (!state.empty())
    throw Error("this optimizer keeps no state across steps, but a state named '" + state.front().first + "' was given");
}

const arma::mat& state_entry(const LearningState& state, const std::string& name, arma::uword rows, arma::uword cols) {
  for (const auto& [key, value] : state)
    if (key == name) {
      if (value.n_rows != rows || value.n_cols != cols)
        throw Error("state '" + name + "' must be " + std::to_string(rows) + "×" + std::to_string(cols) + ", got " +
                    std::to_string(value.n_rows) + "×" + std::to_string(value.n_cols));
      return value;
    }
  throw Error("the saved state has no '" + name + "'");
}

void Optimizer::update(arma::vec& theta, arma::vec& grad) {
  if (clip > 0) {
    const double norm = arma::norm(grad, 2);
    if (norm > clip) grad *= clip / norm;
  }
  step(theta, grad);
}

Batch AnalysisInput::make(std::uint64_t seed) const {
  if (batch) return *batch;
  if (!task) throw Error("analysis needs a task or a batch");
  Batch out;
  task->generate(seed, out);
  return out;
}

void check_compatible(const Network& net, const Batch& batch) {
  batch.validate();
  const auto& s = net.shape();
  const std::string from = batch.task.empty() ? "the batch" : "task '" + batch.task + "'";
  if (batch.inputs() != s.inputs)
    throw Error("network has " + std::to_string(s.inputs) + " inputs but " + from + " provides " +
                std::to_string(batch.inputs()) + " (use inputs = task.inputs)");
  if (batch.outputs() != s.outputs)
    throw Error("network has " + std::to_string(s.outputs) + " outputs but " + from + " expects " +
                std::to_string(batch.outputs()) + " (use outputs = task.outputs)");
}

}  // namespace rnnlab
