// Fixed points of the network map under a constant input by the method of
// Sussillo & Barak (2013): minimise q(h) = ½‖F(h, x*) − h‖² from states
// sampled on the trajectories of a batch, keep the minima below a
// tolerance, merge duplicates, and classify each point by the eigenvalues
// of its Jacobian. The trajectories and the points are also given on the
// first two principal components of the states, for lab.plot.fixed_points.
#include <rnnlab/sdk/abi.hpp>
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/linalg.hpp>
#include <rnnlab/sdk/pca.hpp>
#include <rnnlab/sdk/random.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace {

using rnnlab::ParamSpec;

struct Candidate {
  arma::vec h;
  double q;
};

class FixedPoints final : public rnnlab::Analysis {
 public:
  static rnnlab::ParamSpecs specs() {
    return {
        ParamSpec::choice("input", "zero", {"zero", "first"}).sym("x*").means(
            "constant input: zero, or the first step of the batch's first trial (a task's fixation input)"),
        ParamSpec::integer("starts", 64).sym("K").at_least(1).means(
            "initial states, drawn from the states h[1..T] of the batch's trials"),
        ParamSpec::number("noise", 0.0).sym("σ").at_least(0).means(
            "std of Gaussian noise added to each initial state"),
        ParamSpec::integer("iterations", 200).at_least(1).means("Levenberg-Marquardt iterations per start, at most"),
        ParamSpec::number("tolerance", 1e-10).above(0).means("keep the minima with q below this"),
        ParamSpec::number("merge", 1e-3).at_least(0).means(
            "points closer than this (Euclidean distance) are one point"),
        ParamSpec::integer("plot_trials", 8).at_least(0).means(
            "trials whose trajectories are returned on the principal components"),
        ParamSpec::integer("seed", 0).at_least(0).means(
            "seed of the batch and the initial states; 0 = derived from the network's seed"),
    };
  }

  explicit FixedPoints(const rnnlab::ParamSet& p)
      : first_input_(p.text("input") == "first"),
        starts_(static_cast<std::size_t>(p.integer("starts"))),
        noise_(p.number("noise")),
        iterations_(static_cast<std::size_t>(p.integer("iterations"))),
        tolerance_(p.number("tolerance")),
        merge_(p.number("merge")),
        plot_trials_(static_cast<std::size_t>(p.integer("plot_trials"))),
        seed_(static_cast<std::uint64_t>(p.integer("seed"))) {}

  rnnlab::AnalysisResult run(const rnnlab::Network& net, const rnnlab::AnalysisInput& input,
                             std::uint64_t seed) override {
    if (seed_ != 0) seed = seed_;
    if (!net.params().theta.is_finite())
      throw rnnlab::Error("analysis 'fixed_points': the network has non-finite weights (did training diverge?)");
    const rnnlab::Batch batch = input.make(rnnlab::derive_seed(seed, "fixed_points.batch"));
    rnnlab::check_compatible(net, batch);
    const arma::uword N = net.shape().hidden, B = batch.size(), T = batch.steps();
    if (T == 0 || B == 0) throw rnnlab::Error("analysis 'fixed_points': the batch has no steps");
    rnnlab::forward(net, batch.x, traj_);
    const arma::mat states = rnnlab::slices_as_matrix(traj_.h, 1, T);  // N × B·T
    if (!states.is_finite())
      throw rnnlab::Error("analysis 'fixed_points': the states are not finite (an expanding network overflowed)");

    // The constant drive u = W_x x* + b.
    const auto& P = net.params();
    arma::vec u(N, arma::fill::zeros);
    if (first_input_) u = P.W_x * arma::vec(batch.x.slice(0).col(0));
    if (net.shape().bias) u += P.b;

    // Minimise q from each start.
    rnnlab::Rng rng(rnnlab::derive_seed(seed, "fixed_points.starts"));
    std::vector<Candidate> found;
    std::size_t converged = 0;
    const bool relu = net.activation() == rnnlab::Activation::ReLU;
    for (std::size_t k = 0; k < starts_; ++k) {
      arma::vec h = states.col(rng.below(states.n_cols));
      if (noise_ > 0)
        for (double& v : h) v += noise_ * rng.normal();
      double q = minimise(net, u, h);
      if (relu) q = snap_to_kinks(net, u, h, q);
      if (q < tolerance_ && h.is_finite()) {
        ++converged;
        found.push_back({std::move(h), q});
      }
    }
    // Lowest q first; a point within `merge` of one already kept is a duplicate.
    std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) { return a.q < b.q; });
    std::vector<Candidate> points;
    for (auto& c : found) {
      bool duplicate = false;
      for (const auto& p : points) duplicate |= arma::norm(c.h - p.h) <= merge_;
      if (!duplicate) points.push_back(std::move(c));
    }

    // Stability: eigenvalues μ of the Jacobian of the map, J = α I + (1−α) W_h diag f'(h*).
    std::vector<double> q, max_abs, max_real, stable, unstable_dims, kinks, location, eig_re, eig_im;
    for (const auto& p : points) {
      arma::cx_vec mu;
      if (!arma::eig_gen(mu, jacobian(net, p.h)))
        throw rnnlab::Error("analysis 'fixed_points': the eigenvalues of a Jacobian did not converge");
      const arma::uvec order = arma::stable_sort_index(arma::abs(mu), "descend");
      double unstable = 0, largest_real = -std::numeric_limits<double>::infinity();
      for (arma::uword i : order) {
        eig_re.push_back(mu(i).real());
        eig_im.push_back(mu(i).imag());
        unstable += std::abs(mu(i)) > 1.0;
        largest_real = std::max(largest_real, mu(i).real());
      }
      const double radius = std::abs(mu(order(0)));
      q.push_back(p.q);
      max_abs.push_back(radius);
      max_real.push_back(largest_real);
      stable.push_back(radius < 1.0 ? 1.0 : 0.0);
      unstable_dims.push_back(unstable);
      kinks.push_back(relu ? static_cast<double>(arma::accu(p.h == 0.0)) : 0.0);
      location.insert(location.end(), p.h.begin(), p.h.end());
    }

    // The states' first two principal components, for the figure.
    arma::vec mean, variances;
    arma::mat axes;
    rnnlab::principal_components(states, mean, variances, axes);
    const arma::uword k = std::min<arma::uword>(2, N);
    arma::mat located(N, points.size());
    for (std::size_t i = 0; i < points.size(); ++i) located.col(i) = points[i].h;
    const arma::mat pts = rnnlab::project_on_components(located, mean, axes, k);
    const arma::uword shown = std::min<arma::uword>(plot_trials_, B);
    std::vector<double> tr1, tr2;
    for (arma::uword b = 0; b < shown; ++b) {
      arma::mat path(N, T + 1);
      for (arma::uword t = 0; t <= T; ++t) path.col(t) = traj_.h.slice(t).col(b);
      const arma::mat c = rnnlab::project_on_components(path, mean, axes, k);
      for (arma::uword t = 0; t <= T; ++t) {
        tr1.push_back(c(0, t));
        tr2.push_back(k > 1 ? c(1, t) : 0.0);
      }
    }
    const double total = arma::accu(variances);
    std::vector<double> explained;
    for (arma::uword i = 0; i < k; ++i) explained.push_back(total > 0 ? variances(i) / total : 0.0);
    std::vector<double> pc1, pc2;
    for (arma::uword i = 0; i < pts.n_cols; ++i) {
      pc1.push_back(pts(0, i));
      pc2.push_back(k > 1 ? pts(1, i) : 0.0);
    }

    const double n_stable = std::accumulate(stable.begin(), stable.end(), 0.0);
    return {
        {"count", static_cast<double>(points.size())},
        {"stable_count", n_stable},
        {"unstable_count", static_cast<double>(points.size()) - n_stable},
        {"converged_starts", static_cast<double>(converged)},
        {"starts", static_cast<double>(starts_)},
        {"q", q},
        {"max_abs_eigenvalue", max_abs},
        {"max_real_eigenvalue", max_real},
        {"stable", stable},
        {"unstable_dimensions", unstable_dims},
        {"kink_units", kinks},
        {"location", location},
        {"eigenvalues_real", eig_re},
        {"eigenvalues_imag", eig_im},
        {"pc1", pc1},
        {"pc2", pc2},
        {"pc_explained_variance_ratio", explained},
        {"trajectory_pc1", tr1},
        {"trajectory_pc2", tr2},
        {"trajectory_steps", static_cast<double>(T + 1)},
    };
  }

 private:
  // r(h) = F(h) − h = (1−α)(W_h f(h) + u − h); q = ½‖r‖².
  static double residual(const rnnlab::Network& net, const arma::vec& u, const arma::vec& h, arma::mat& f,
                         arma::vec& r) {
    rnnlab::activate(net.activation(), h, f);
    r = (1.0 - net.alpha()) * (net.params().W_h * f + u - h);
    return 0.5 * arma::dot(r, r);
  }

  // ∂F/∂h = α I + (1−α) W_h diag f'(h), with f'(0) = 0 for ReLU.
  static arma::mat jacobian(const rnnlab::Network& net, const arma::vec& h) {
    arma::mat d;
    rnnlab::activate_derivative(net.activation(), h, d);
    arma::mat J = (1.0 - net.alpha()) * (net.params().W_h.each_row() % d.col(0).t());
    J.diag() += net.alpha();
    return J;
  }

  // Levenberg-Marquardt on r(h): the gradient of q is Aᵀ r with
  // A = ∂r/∂h = J − I; each step solves (AᵀA + μ s I) δ = −Aᵀ r, where
  // s = tr(AᵀA)/N sets the scale, and μ shrinks ×10 after a step that
  // lowers q and grows ×10 after one that does not. Returns q at h.
  double minimise(const rnnlab::Network& net, const arma::vec& u, arma::vec& h) const {
    const arma::uword N = h.n_elem;
    arma::mat f, A, H;
    arma::vec r, trial_r, g, delta, trial;
    double q = residual(net, u, h, f, r);
    double mu = 1e-6;
    for (std::size_t it = 0; it < iterations_ && q > 0 && std::isfinite(q); ++it) {
      A = jacobian(net, h);
      A.diag() -= 1.0;
      g = A.t() * r;
      H = A.t() * A;
      const double scale = std::max(arma::trace(H) / static_cast<double>(N), std::numeric_limits<double>::min());
      bool improved = false;
      while (mu <= 1e12) {
        arma::mat M = H;
        M.diag() += mu * scale;
        if (arma::solve(delta, M, -g, arma::solve_opts::no_approx + arma::solve_opts::likely_sympd)) {
          trial = h + delta;
          const double trial_q = residual(net, u, trial, f, trial_r);
          if (trial_q < q) {
            h = trial;
            r = trial_r;
            q = trial_q;
            mu = std::max(mu / 10, 1e-15);
            improved = true;
            break;
          }
        }
        mu *= 10;
      }
      if (!improved) break;  // no step lowers q: a minimum (or a ReLU kink) to machine precision
    }
    return q;
  }

  // ReLU: a minimum approached along a kink ends with units at ±1e-17
  // rather than at 0, where f' jumps. Units within 1e-10·max(1, ‖h‖∞) of 0
  // are set to 0 exactly (f'(0) = 0) if that does not raise q beyond
  // max(2q, tolerance/1000). Returns q at h.
  double snap_to_kinks(const rnnlab::Network& net, const arma::vec& u, arma::vec& h, double q) const {
    if (!h.is_finite()) return q;
    const double threshold = 1e-10 * std::max(1.0, arma::abs(h).max());
    const arma::uvec near = arma::find(arma::abs(h) <= threshold && h != 0.0);
    if (near.is_empty()) return q;
    arma::vec snapped = h;
    snapped.elem(near).zeros();
    arma::mat f;
    arma::vec r;
    const double q_snapped = residual(net, u, snapped, f, r);
    if (q_snapped > std::max(2 * q, 1e-3 * tolerance_)) return q;
    h = snapped;
    return q_snapped;
  }

  bool first_input_;
  std::size_t starts_;
  double noise_;
  std::size_t iterations_;
  double tolerance_, merge_;
  std::size_t plot_trials_;
  std::uint64_t seed_;
  rnnlab::Trajectory traj_;
};

void register_fixed_points(rnnlab::PluginRegistrar& r) {
  r.add_analysis<FixedPoints>(
      "fixed_points",
      "fixed points under a constant input (Sussillo & Barak 2013) and the eigenvalues of their Jacobians",
      FixedPoints::specs());
}

}  // namespace

RNNLAB_PLUGIN(register_fixed_points)
