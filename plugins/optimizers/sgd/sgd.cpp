// Stochastic gradient descent with optional momentum, as torch.optim.SGD.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/error.hpp>

namespace {

using rnnlab::ParamSpec;

class Sgd final : public rnnlab::Optimizer {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::number("lr", 1e-3).sym("η").above(0).means("learning rate"),
        ParamSpec::number("momentum", 0).sym("μ").range(0, 1).means("momentum factor"),
        ParamSpec::number("dampening", 0).range(0, 1).means("dampening of the momentum"),
        ParamSpec::boolean("nesterov", false).means("Nesterov momentum"),
        ParamSpec::number("weight_decay", 0).sym("λ").at_least(0).means("L2 penalty added to the gradient"),
    };
  }

  explicit Sgd(const rnnlab::ParamSet& p)
      : lr_(p.number("lr")),
        momentum_(p.number("momentum")),
        dampening_(p.number("dampening")),
        nesterov_(p.boolean("nesterov")),
        weight_decay_(p.number("weight_decay")) {
    if (nesterov_ && (momentum_ <= 0.0 || dampening_ != 0.0))
      throw rnnlab::Error("optimizer 'sgd': nesterov needs momentum > 0 and dampening = 0");
  }

  void reset(std::size_t n) override {
    buffer_.zeros(n);
    started_ = false;
  }

  void step(arma::vec& theta, const arma::vec& grad) override {
    if (buffer_.n_elem != theta.n_elem) reset(theta.n_elem);
    arma::vec g = weight_decay_ != 0.0 ? arma::vec(grad + weight_decay_ * theta) : grad;
    if (momentum_ != 0.0) {
      if (!started_) {
        buffer_ = g;  // torch starts the buffer at the first gradient
        started_ = true;
      } else {
        buffer_ = momentum_ * buffer_ + (1.0 - dampening_) * g;
      }
      g = nesterov_ ? arma::vec(g + momentum_ * buffer_) : buffer_;
    }
    theta -= lr_ * g;
  }

  rnnlab::LearningState state() const override {
    return {{"buffer", buffer_}, {"started", arma::mat(1, 1, arma::fill::value(started_ ? 1.0 : 0.0))}};
  }

  void restore(const rnnlab::LearningState& s) override {
    buffer_ = rnnlab::state_entry(s, "buffer", buffer_.n_elem, 1);
    started_ = rnnlab::state_entry(s, "started", 1, 1)(0, 0) != 0.0;
  }

 private:
  double lr_, momentum_, dampening_;
  bool nesterov_;
  double weight_decay_;
  arma::vec buffer_;
  bool started_ = false;
};

void register_sgd(rnnlab::PluginRegistrar& r) {
  r.add_optimizer<Sgd>("sgd", "stochastic gradient descent with optional (Nesterov) momentum", Sgd::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_sgd)
