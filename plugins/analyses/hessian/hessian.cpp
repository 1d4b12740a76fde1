// Curvature of the task loss: the top eigenvalues of the Hessian with
// respect to all parameters (orthogonal/power iteration with Rayleigh–Ritz)
// and its trace (Hutchinson), from Hessian–vector products by central
// differences of the exact BPTT gradient.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/lyapunov.hpp>
#include <rnnlab/sdk/random.hpp>

#include <cmath>
#include <limits>

namespace {

using rnnlab::ParamSpec;

// Hessian–vector products of the loss of one batch at the weights of `net`,
// in double whatever the network's training precision (differences of
// single-precision gradients would be noise).
class HessianProduct {
 public:
  HessianProduct(const rnnlab::Network& net, const rnnlab::Batch& batch, double epsilon)
      : net_(net), probe_(rnnlab::with_precision(net, rnnlab::Precision::Double)), batch_(batch), epsilon_(epsilon) {}

  std::size_t size() const { return net_.params().theta.n_elem; }

  /// H v ≈ (g(θ + εv) − g(θ − εv)) / 2ε for a unit vector v.
  arma::vec operator()(const arma::vec& v) {
    arma::vec& theta = probe_.params().theta;
    theta = net_.params().theta + epsilon_ * v;
    rnnlab::backprop_gradient(probe_, batch_, nullptr, rnnlab::Backprop{}, workspace_, grad_);
    arma::vec up = grad_.params.theta;
    theta = net_.params().theta - epsilon_ * v;
    rnnlab::backprop_gradient(probe_, batch_, nullptr, rnnlab::Backprop{}, workspace_, grad_);
    return (up - grad_.params.theta) / (2 * epsilon_);
  }

 private:
  const rnnlab::Network& net_;
  rnnlab::Network probe_;
  const rnnlab::Batch& batch_;
  double epsilon_;
  rnnlab::GradientWorkspace workspace_;
  rnnlab::Gradient grad_;
};

struct Spectrum {
  arma::vec values;  ///< by modulus, descending
  std::size_t iterations = 0;
  bool converged = false;
};

// Orthogonal iteration on k vectors with Rayleigh–Ritz (power iteration
// with the Rayleigh quotient for k = 1): the k eigenvalues of largest
// modulus, with their signs.
Spectrum top_eigenvalues(HessianProduct& H, std::size_t k, std::size_t max_iterations, double tol,
                         std::uint64_t seed) {
  const std::size_t n = H.size();
  arma::mat V = rnnlab::random_orthonormal(n, k, seed), HV(n, k), U, R;
  arma::vec theta, previous;
  Spectrum out;
  for (std::size_t it = 1; it <= max_iterations; ++it) {
    for (std::size_t j = 0; j < k; ++j) HV.col(j) = H(V.col(j));
    if (!HV.is_finite())
      throw rnnlab::Error("analysis 'hessian': non-finite Hessian-vector products (did training diverge?)");
    arma::mat T = V.t() * HV;
    arma::eig_sym(theta, U, 0.5 * (T + T.t()));
    const arma::uvec order = arma::sort_index(arma::abs(theta), "descend");
    theta = theta(order);
    U = U.cols(order);
    out.values = theta;
    out.iterations = it;
    const double scale = arma::abs(theta).max();
    if (!previous.is_empty() && arma::abs(theta - previous).max() <= tol * scale) {
      out.converged = true;
      break;
    }
    previous = theta;
    const arma::mat next = HV * U;  // H applied to the Ritz vectors
    if (scale == 0.0 || !next.is_finite()) break;
    rnnlab::qr_positive(next, V, R);
  }
  return out;
}

class Hessian final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::integer("eigenvalues", 1).sym("k").at_least(1).means("top eigenvalues (by modulus) to find"),
        ParamSpec::integer("iterations", 500).at_least(1).means("most power iterations"),
        ParamSpec::number("tol", 1e-6).above(0).means("stop when no eigenvalue moves by more than tol·|λ_max|"),
        ParamSpec::integer("samples", 20).at_least(0).means("Hutchinson probes for the trace; 0 = no trace"),
        ParamSpec::number("epsilon", 1e-5).sym("ε").above(0).means(
            "step of the central difference of gradients along a unit vector"),
        ParamSpec::integer("batches", 1).at_least(1).means("batches measured; means and relative spread reported"),
        ParamSpec::integer("seed", 0).at_least(0).means("seed of batches and vectors; 0 = derived from the network's"),
    };
  }

  explicit Hessian(const rnnlab::ParamSet& p)
      : k_(static_cast<std::size_t>(p.integer("eigenvalues"))),
        iterations_(static_cast<std::size_t>(p.integer("iterations"))),
        tol_(p.number("tol")),
        samples_(static_cast<std::size_t>(p.integer("samples"))),
        epsilon_(p.number("epsilon")),
        batches_(static_cast<std::size_t>(p.integer("batches"))),
        seed_(static_cast<std::uint64_t>(p.integer("seed"))) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    if (seed_ != 0) seed = seed_;
    const std::size_t n = net.params().theta.n_elem;
    if (k_ > n)
      throw rnnlab::Error("analysis 'hessian': eigenvalues = " + std::to_string(k_) + " exceeds the " +
                          std::to_string(n) + " parameters");
    arma::mat eigenvalues(k_, batches_);
    arma::vec top(batches_), trace(batches_), stderr_(batches_);
    std::size_t most_iterations = 0;
    bool all_converged = true;
    for (std::size_t i = 0; i < batches_; ++i) {
      const std::uint64_t s = rnnlab::derive_seed(seed, static_cast<std::uint64_t>(i));
      const rnnlab::Batch batch = input.make(rnnlab::derive_seed(s, "hessian.batch"));
      rnnlab::check_compatible(net, batch);
      HessianProduct H(net, batch, epsilon_);
      const Spectrum spec = top_eigenvalues(H, k_, iterations_, tol_, rnnlab::derive_seed(s, "hessian.V0"));
      eigenvalues.col(i) = spec.values;
      top(i) = spec.values(0);
      most_iterations = std::max(most_iterations, spec.iterations);
      all_converged = all_converged && spec.converged;
      hutchinson(H, rnnlab::derive_seed(s, "hessian.probes"), trace(i), stderr_(i));
    }
    auto vec = [](const arma::vec& v) { return std::vector<double>(v.begin(), v.end()); };
    return {
        {"top", arma::mean(top)},
        {"eigenvalues", vec(arma::mean(eigenvalues, 1))},
        {"trace", arma::mean(trace)},
        {"trace_stderr", arma::mean(stderr_)},
        {"top_rel_spread", relative_spread(top)},
        {"trace_rel_spread", relative_spread(trace)},
        {"iterations", static_cast<double>(most_iterations)},
        {"converged", all_converged ? 1.0 : 0.0},
    };
  }

 private:
  // tr H ≈ mean_z zᵀ H z over Rademacher z (‖z‖² = n), with its standard error.
  void hutchinson(HessianProduct& H, std::uint64_t seed, double& trace, double& standard_error) const {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    trace = standard_error = nan;
    if (samples_ == 0) return;
    rnnlab::Rng rng(seed);
    const double n = static_cast<double>(H.size());
    arma::vec z(H.size()), values(samples_);
    for (std::size_t m = 0; m < samples_; ++m) {
      for (double& v : z) v = rng.uniform() < 0.5 ? -1.0 : 1.0;
      const arma::vec u = z / std::sqrt(n);
      values(m) = n * arma::dot(u, H(u));
    }
    trace = arma::mean(values);
    standard_error = samples_ > 1 ? arma::stddev(values) / std::sqrt(static_cast<double>(samples_)) : nan;
  }

  // std / |mean| over batches (0 for one batch).
  static double relative_spread(const arma::vec& x) {
    if (x.n_elem < 2) return 0.0;
    return arma::stddev(x) / std::abs(arma::mean(x));
  }

  std::size_t k_, iterations_;
  double tol_;
  std::size_t samples_;
  double epsilon_;
  std::size_t batches_;
  std::uint64_t seed_;
};

void register_hessian(rnnlab::PluginRegistrar& r) {
  r.add_analysis<Hessian>("hessian", "top eigenvalues and trace of the loss Hessian (curvature)", Hessian::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_hessian)
