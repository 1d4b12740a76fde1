#include "rnnlab/sdk/batch.hpp"

#include "rnnlab/sdk/error.hpp"

namespace rnnlab {

const char* to_string(LossKind k) { return k == LossKind::MSE ? "mse" : "cross_entropy"; }

LossKind loss_from_string(const std::string& s) {
  if (s == "mse") return LossKind::MSE;
  if (s == "cross_entropy") return LossKind::CrossEntropy;
  throw Error("unknown loss '" + s + "'; available: mse, cross_entropy");
}

void Batch::validate() const {
  auto where = [&] { return "batch" + (task.empty() ? std::string() : " of task '" + task + "'"); };
  if (x.n_cols != y.n_cols || x.n_slices != y.n_slices)
    throw Error(where() + ": x has " + std::to_string(x.n_cols) + " trials × " + std::to_string(x.n_slices) +
                " steps but y has " + std::to_string(y.n_cols) + " × " + std::to_string(y.n_slices));
  if (mask.n_rows != x.n_cols || mask.n_cols != x.n_slices)
    throw Error(where() + ": mask shape does not match x (B × T)");
  if (x.n_slices == 0 || x.n_cols == 0) throw Error(where() + " is empty");
  if (y.n_rows == 0) throw Error(where() + " has no outputs");
  if (!truth.empty() && truth.size() != x.n_cols)
    throw Error(where() + ": truth has " + std::to_string(truth.size()) + " entries for " +
                std::to_string(x.n_cols) + " trials");
  if (!decision.is_empty() && (decision.n_rows != x.n_cols || decision.n_cols != x.n_slices))
    throw Error(where() + ": decision shape does not match x (B × T)");
  if (mask.min() < 0.0 || !mask.is_finite()) throw Error(where() + ": mask weights must be finite and non-negative");
}

}  // namespace rnnlab
