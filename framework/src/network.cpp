#include "rnnlab/sdk/network.hpp"

#include <cmath>
#include <sstream>

#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/plugin.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {

const char* to_string(Activation a) {
  switch (a) {
    case Activation::ReLU: return "relu";
    case Activation::Tanh: return "tanh";
    case Activation::Identity: return "identity";
  }
  return "?";
}

Activation activation_from_string(const std::string& s) {
  if (s == "relu") return Activation::ReLU;
  if (s == "tanh") return Activation::Tanh;
  if (s == "identity") return Activation::Identity;
  throw Error("unknown activation '" + s + "'; available: relu, tanh, identity");
}

const char* to_string(Precision p) { return p == Precision::Single ? "single" : "double"; }

Precision precision_from_string(const std::string& s) {
  if (s == "single") return Precision::Single;
  if (s == "double") return Precision::Double;
  throw Error("unknown precision '" + s + "'; available: single, double");
}

namespace {

void fill_normal(arma::mat& m, std::uint64_t seed, double stddev) {
  Rng rng(seed);
  for (double& v : m) v = stddev * rng.normal();
}

// PyTorch nn.Linear default: U(−1/√fan_in, 1/√fan_in).
template <class M>
void fill_linear_default(M& m, std::uint64_t seed, std::size_t fan_in) {
  Rng rng(seed);
  const double bound = fan_in ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
  for (double& v : m) v = rng.uniform(-bound, bound);
}

}  // namespace

void initialize_gaussian(const NetworkConfig& config, ParameterBlocks& params) {
  const auto& s = config.shape;
  const std::uint64_t seed = config.seed;
  fill_normal(params.W_h, derive_seed(seed, "init.W_h"),
              s.hidden ? config.gain / std::sqrt(static_cast<double>(s.hidden)) : 0.0);
  fill_linear_default(params.W_x, derive_seed(seed, "init.W_x"), s.inputs);
  fill_linear_default(params.W_out, derive_seed(seed, "init.W_out"), s.hidden);
  if (s.bias) {
    fill_linear_default(params.b, derive_seed(seed, "init.b"), s.inputs);  // as the input layer's bias
    fill_linear_default(params.b_out, derive_seed(seed, "init.b_out"), s.hidden);
  }
}

Network::Network(const NetworkConfig& config) : config_(config), params_(config.shape) {
  initialize_gaussian(config_, params_);
  // A gain near the largest double overflows: such weights could be
  // neither trained nor saved.
  if (!params_.W_h.is_finite())
    throw Error("network: gain = " + describe(config_.gain) + " makes W_h ~ N(0, gain²/N) overflow to inf");
}

Network::Network(const NetworkConfig& config, const Initializer& init) : config_(config), params_(config.shape) {
  init.initialize(config_, params_);
  if (!(params_.shape() == config_.shape)) throw Error("network: the initializer changed the sizes of the weights");
  if (const char* block = non_finite_block(params_))
    throw Error(std::string("network: the initializer made ") + block + " non-finite (gain = " + describe(config_.gain) + ")");
}

const char* non_finite_block(const ParameterBlocks& p) {
  if (!p.W_h.is_finite()) return "W_h";
  if (!p.W_x.is_finite()) return "W_x";
  if (!p.W_out.is_finite()) return "W_out";
  if (!p.b.is_finite()) return "b";
  if (!p.b_out.is_finite()) return "b_out";
  return nullptr;
}

const ParamSpec& Network::spec(const std::string& name) {
  for (const auto& s : specs())
    if (s.name == name) return s;
  throw Error("internal: network has no parameter '" + name + "'");
}

Network::Network(const NetworkConfig& config, ParameterBlocks params) : config_(config), params_(std::move(params)) {
  if (!(params_.shape() == config_.shape)) throw Error("network weights do not match the configured sizes");
}

const ParamSpecs& Network::specs() {
  static const ParamSpecs specs = {
      ParamSpec::integer("inputs", 1).sym("N_in").at_least(1).means("number of input channels (task.inputs)"),
      ParamSpec::integer("hidden", 64).sym("N").at_least(1).means("number of recurrent units"),
      ParamSpec::integer("outputs", 1).sym("N_out").at_least(1).means("number of readout units (task.outputs)"),
      ParamSpec::number("gain", 1.0).sym("g").at_least(0).means("W_h ~ N(0, g²/N)"),
      ParamSpec::number("dt", 0).sym("Δt").in("ms").above(0).means("time step; with tau gives α = 1 − dt/τ"),
      ParamSpec::number("tau", 100).sym("τ").in("ms").above(0).means("membrane time constant"),
      ParamSpec::number("alpha", 0.5).sym("α").range(0, 1).below(1).means("leak per step; give either alpha or dt (with tau)"),
      ParamSpec::integer("seed", 1).range(0, 9007199254740992.0).means("seed of the weight initialisation streams"),
      ParamSpec::boolean("bias", false).sym("b").means("add trainable biases b and b_out"),
      ParamSpec::choice("activation", "relu", {"relu", "tanh", "identity"}).sym("f").means("nonlinearity f"),
      ParamSpec::choice("precision", "single", {"single", "double"})
          .means("arithmetic of the training passes (weights and optimizer stay double)"),
  };
  return specs;
}

NetworkConfig Network::config_from(const ParamSet& p) {
  NetworkConfig c;
  c.shape.inputs = static_cast<std::size_t>(p.integer("inputs"));
  c.shape.hidden = static_cast<std::size_t>(p.integer("hidden"));
  c.shape.outputs = static_cast<std::size_t>(p.integer("outputs"));
  c.shape.bias = p.boolean("bias");
  c.gain = p.number("gain");
  c.seed = static_cast<std::uint64_t>(p.integer("seed"));
  c.activation = activation_from_string(p.text("activation"));
  c.precision = precision_from_string(p.text("precision"));
  if (p.was_given("alpha")) {
    if (p.was_given("dt")) throw Error("network: give either alpha or dt (with tau), not both");
    c.alpha = p.number("alpha");
  } else if (p.was_given("dt")) {
    const double dt = p.number("dt"), tau = p.number("tau");
    if (dt > tau) throw Error("network: dt = " + describe(dt) + " ms exceeds tau = " + describe(tau) + " ms (α = 1 − dt/τ would be negative)");
    c.alpha = 1.0 - dt / tau;
    // dt far below tau rounds α to 1, where the state never changes.
    if (!(c.alpha < 1.0))
      throw Error("network: alpha = 1 - dt/tau = " + describe(c.alpha) + " is out of range " +
                  spec("alpha").valid_range() + " (dt = " + describe(dt) + " ms is negligible against tau = " +
                  describe(tau) + " ms)");
  } else {
    throw Error("network: give dt (and tau, default 100 ms) or alpha");
  }
  return c;
}

std::string Network::summary() const {
  std::ostringstream os;
  const auto& s = config_.shape;
  os << "Network(inputs=" << s.inputs << ", hidden=" << s.hidden << ", outputs=" << s.outputs
     << ", alpha=" << config_.alpha << ", gain=" << config_.gain << ", seed=" << config_.seed
     << ", activation=" << to_string(config_.activation) << ", bias=" << (s.bias ? "true" : "false")
     << ", precision=" << to_string(config_.precision)
     << ", parameters=" << s.size() << ")";
  return os.str();
}

void Network::keep_initial_params() {
  if (!initial_) initial_ = std::make_shared<const ParameterBlocks>(params_);
}

void Network::set_initial_params(const ParameterBlocks& initial) {
  if (!(initial.shape() == config_.shape)) throw Error("network: the initial weights do not match the configured sizes");
  initial_ = std::make_shared<const ParameterBlocks>(initial);
}

Network with_precision(const Network& net, Precision p) {
  NetworkConfig c = net.config();
  c.precision = p;
  Network out(c, net.params());
  if (net.has_initial_params()) out.set_initial_params(net.initial_params());
  return out;
}

}  // namespace rnnlab
