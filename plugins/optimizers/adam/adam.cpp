// Adam (Kingma & Ba 2015) with PyTorch's defaults and operation order.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/parallel.hpp>

#include <algorithm>
#include <cmath>

namespace {

using rnnlab::ParamSpec;

class Adam final : public rnnlab::Optimizer {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::number("lr", 1e-3).sym("η").above(0).means("learning rate"),
        ParamSpec::number("beta1", 0.9).sym("β1").range(0, 1).below(1).means("decay of the first moment"),
        ParamSpec::number("beta2", 0.999).sym("β2").range(0, 1).below(1).means("decay of the second moment"),
        ParamSpec::number("eps", 1e-8).sym("ε").above(0).means("added to the root of the second moment"),
        ParamSpec::number("weight_decay", 0).sym("λ").at_least(0).means("L2 penalty added to the gradient"),
    };
  }

  explicit Adam(const rnnlab::ParamSet& p)
      : lr_(p.number("lr")),
        beta1_(p.number("beta1")),
        beta2_(p.number("beta2")),
        eps_(p.number("eps")),
        weight_decay_(p.number("weight_decay")) {}

  void reset(std::size_t n) override {
    m_.zeros(n);
    v_.zeros(n);
    t_ = 0;
  }

  void step(arma::vec& theta, const arma::vec& grad) override {
    if (m_.n_elem != theta.n_elem) reset(theta.n_elem);
    ++t_;
    const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
    const double bc2_sqrt = std::sqrt(1.0 - std::pow(beta2_, static_cast<double>(t_)));
    const double step_size = lr_ / bc1;
    const Coefficients k{step_size, bc2_sqrt, 1.0 - beta1_, beta2_, 1.0 - beta2_, eps_, weight_decay_};
    double* th = theta.memptr();
    double* m = m_.memptr();
    double* v = v_.memptr();
    const double* g = grad.memptr();
    // In blocks over the run's threads (--threads): each element is
    // updated alone, so the split does not change a bit.
    const std::size_t n = theta.n_elem, tasks = (n + kBlock - 1) / kBlock;
    rnnlab::parallel::for_each_task(tasks, [&](std::size_t task) {
      const std::size_t begin = task * kBlock;
      update(k, std::min(n, begin + kBlock) - begin, th + begin, m + begin, v + begin, g + begin);
    });
  }

  rnnlab::LearningState state() const override {
    return {{"m", m_}, {"v", v_}, {"t", arma::mat(1, 1, arma::fill::value(static_cast<double>(t_)))}};
  }

  void restore(const rnnlab::LearningState& s) override {
    m_ = rnnlab::state_entry(s, "m", m_.n_elem, 1);
    v_ = rnnlab::state_entry(s, "v", v_.n_elem, 1);
    t_ = static_cast<std::size_t>(rnnlab::state_entry(s, "t", 1, 1)(0, 0));
  }

 private:
  static constexpr std::size_t kBlock = 1 << 16;  // parameters per task

  struct Coefficients {
    double step_size, bc2_sqrt, w1, beta2, w2, eps, weight_decay;
  };

  // One block. Arguments, not members or captures: stores through the
  // pointers could alias those, which would keep the loop from vectorising.
  static void update(const Coefficients k, std::size_t n, double* th, double* m, double* v, const double* g0) {
    for (std::size_t i = 0; i < n; ++i) {
      const double g = k.weight_decay != 0.0 ? g0[i] + k.weight_decay * th[i] : g0[i];
      m[i] += k.w1 * (g - m[i]);  // torch: exp_avg.lerp_(grad, 1 − β1)
      v[i] = k.beta2 * v[i] + k.w2 * g * g;
      const double denom = std::sqrt(v[i]) / k.bc2_sqrt + k.eps;
      th[i] -= k.step_size * (m[i] / denom);
    }
  }
  double lr_, beta1_, beta2_, eps_, weight_decay_;
  arma::vec m_, v_;
  std::size_t t_ = 0;
};

void register_adam(rnnlab::PluginRegistrar& r) {
  r.add_optimizer<Adam>("adam", "Adam with PyTorch defaults (β = 0.9, 0.999; ε = 1e-8)", Adam::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_adam)
