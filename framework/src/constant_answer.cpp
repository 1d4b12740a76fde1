// The "same answer on every trial" level of a task (dynamics.hpp,
// Task::constant_loss): from mask-weighted sufficient statistics of the
// targets of two classes of steps, decision period and the rest, pooled
// over batches.
#include <cmath>

#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/plugin.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {
namespace {

// Per class and channel: the weight W, the weighted mean and the weighted
// sum of squared deviations M2 (merged across batches by Chan et al.'s
// formula, so that pooling does not lose digits to cancellation).
struct Pool {
  LossKind loss = LossKind::MSE;
  std::size_t outputs = 0;
  bool started = false;
  double weight[2] = {0, 0};            // class weight (Σ mask)
  arma::vec mean[2], m2[2];             // per channel

  void add(const Batch& b) {
    b.validate();
    if (!started) {
      loss = b.loss;
      outputs = b.outputs();
      for (int c = 0; c < 2; ++c) mean[c].zeros(outputs), m2[c].zeros(outputs);
      started = true;
    } else if (b.loss != loss || b.outputs() != outputs) {
      throw Error("constant answer: the batches differ in loss or number of outputs");
    }
    const bool marked = !b.decision.is_empty() && arma::any(arma::vectorise(b.decision) > 0.0);
    for (int c = 0; c < 2; ++c) {
      double w = 0;
      arma::vec sum(outputs, arma::fill::zeros);
      for (arma::uword t = 0; t < b.steps(); ++t)
        for (arma::uword i = 0; i < b.size(); ++i)
          if (in_class(b, marked, i, t) == c && b.mask(i, t) != 0.0) {
            w += b.mask(i, t);
            sum += b.mask(i, t) * b.y.slice(t).col(i);
          }
      if (!(w > 0)) continue;
      const arma::vec m = sum / w;
      arma::vec dev(outputs, arma::fill::zeros);
      for (arma::uword t = 0; t < b.steps(); ++t)
        for (arma::uword i = 0; i < b.size(); ++i)
          if (in_class(b, marked, i, t) == c && b.mask(i, t) != 0.0)
            dev += b.mask(i, t) * arma::square(b.y.slice(t).col(i) - m);
      const double total = weight[c] + w;
      const arma::vec delta = m - mean[c];
      m2[c] += dev + arma::square(delta) * (weight[c] * w / total);
      mean[c] += delta * (w / total);
      weight[c] = total;
    }
  }

  double level() const {
    const double w = weight[0] + weight[1];
    if (!started || !(w > 0)) throw Error("constant answer: the loss mask sums to 0");
    double total = 0;
    for (int c = 0; c < 2; ++c) {
      if (!(weight[c] > 0)) continue;
      if (loss == LossKind::MSE) {
        total += arma::accu(m2[c]) / static_cast<double>(outputs);
      } else {
        // −Σ_k S_k log(S_k / Σ S), S_k = W·mean_k: the targets against their mean.
        const double mass = arma::accu(mean[c]);
        for (double p : mean[c])
          if (p > 0) total -= weight[c] * p * std::log(p / mass);
      }
    }
    return total / w;
  }

  static int in_class(const Batch& b, bool marked, arma::uword i, arma::uword t) {
    return marked && b.decision(i, t) > 0.0 ? 1 : 0;
  }
};

}  // namespace

double constant_answer_loss(const std::vector<const Batch*>& batches) {
  Pool pool;
  for (const Batch* b : batches) pool.add(*b);
  return pool.level();
}

double constant_answer_loss(const Batch& batch) { return constant_answer_loss(std::vector<const Batch*>{&batch}); }

double Task::constant_loss(std::uint64_t seed) const {
  constexpr std::size_t trials = 4096;
  Pool pool;
  Batch batch;
  for (std::uint64_t i = 0, seen = 0; seen < trials; ++i) {
    generate(derive_seed(seed, i), batch);
    if (batch.size() == 0) throw Error("constant answer: the task made a batch of 0 trials");
    pool.add(batch);
    seen += batch.size();
  }
  return pool.level();
}

}  // namespace rnnlab
