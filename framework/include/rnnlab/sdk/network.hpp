#pragma once
// The rate RNN of the paper (eq. 1):
//   h[t+1] = α h[t] + (1−α) (W_h f(h[t]) + W_x x[t] + b),  h[0] = 0
//   ŷ[t]   = W_out f(h[t+1]) + b_out
#include <cstdint>
#include <memory>
#include <string>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/parameters.hpp"

namespace rnnlab {

enum class Activation { ReLU, Tanh, Identity };
RNNLAB_EXPORT const char* to_string(Activation a);
RNNLAB_EXPORT Activation activation_from_string(const std::string& s);

/// Arithmetic of the training passes (forward, backward, weight gradients)
/// of the framework's gradient pipelines. Weights, optimizer state and
/// analyses always stay in double; Single converts the weights and inputs
/// to float at the start of each gradient and the gradient back to double.
enum class Precision { Single, Double };
RNNLAB_EXPORT const char* to_string(Precision p);
RNNLAB_EXPORT Precision precision_from_string(const std::string& s);

struct NetworkConfig {
  Shape shape;
  double alpha = 0.5;   ///< leak, α = 1 − dt/τ
  double gain = 1.0;    ///< std of W_h is gain/√N
  std::uint64_t seed = 1;
  Activation activation = Activation::ReLU;
  /// Single: about twice the speed; gradients agree with Double to ~1e-6
  /// relative. Finite-difference checks need Double.
  Precision precision = Precision::Single;
  /// The initializer plugin that draws the weights and its parameters
  /// ("" = the default scheme of Network(config), as `gaussian`). Recorded
  /// with the network (make_network fills in every parameter, network
  /// files keep both), so the initial weights can be drawn again.
  std::string init;
  std::map<std::string, Value> init_params;
};

class Initializer;

class RNNLAB_EXPORT Network {
 public:
  /// Initialises weights per paper.md: W_h ~ N(0, gain²/N); W_x, W_out and
  /// biases ~ U(−1/√fan_in, 1/√fan_in) (PyTorch nn.Linear default). Each
  /// block draws from its own stream derived from `seed`.
  explicit Network(const NetworkConfig& config);
  /// Draws the weights with another scheme (an initializer plugin).
  Network(const NetworkConfig& config, const Initializer& init);
  /// Takes given weights (e.g. read from a file) without initialising.
  Network(const NetworkConfig& config, ParameterBlocks params);

  /// Parameter table of lab.network{} (inputs, hidden, ..., dt, tau, alpha).
  static const ParamSpecs& specs();
  /// The entry `name` of specs(): files are checked against the same ranges.
  static const ParamSpec& spec(const std::string& name);
  /// Builds a config from validated parameters; resolves alpha from dt/tau.
  static NetworkConfig config_from(const ParamSet& p);

  const NetworkConfig& config() const { return config_; }
  const Shape& shape() const { return config_.shape; }
  double alpha() const { return config_.alpha; }
  Activation activation() const { return config_.activation; }
  Precision precision() const { return config_.precision; }
  ParameterBlocks& params() { return params_; }
  const ParameterBlocks& params() const { return params_; }
  std::string summary() const;  ///< one line, for tostring(net)

  /// The weights before training: recorded when this network is first
  /// trained (train(), lab.train, a sweep run) or read from a file that
  /// holds them (a run file, or net:save of a trained network). Until then,
  /// the current weights. Copies of the network share them.
  const ParameterBlocks& initial_params() const { return initial_ ? *initial_ : params_; }
  /// Whether initial weights were recorded or loaded.
  bool has_initial_params() const { return initial_ != nullptr; }
  /// Records the current weights as the initial ones, unless some are
  /// recorded already (the trainer calls it at the start of every phase).
  void keep_initial_params();
  /// Sets the initial weights (e.g. from a checkpoint or a file); throws
  /// Error if their sizes differ from the network's.
  void set_initial_params(const ParameterBlocks& initial);

 private:
  NetworkConfig config_;
  ParameterBlocks params_;
  std::shared_ptr<const ParameterBlocks> initial_;
};

/// The default initialisation of Network(config), also the built-in
/// initializer `gaussian`: W_h ~ N(0, gain²/N); W_x, W_out and biases
/// ~ U(−1/√fan_in, 1/√fan_in); each block from its own stream of config.seed.
RNNLAB_EXPORT void initialize_gaussian(const NetworkConfig& config, ParameterBlocks& params);

/// The first block of `p` ("W_h", "W_x", "W_out", "b", "b_out") holding
/// NaN or Inf, or nullptr when all are finite.
RNNLAB_EXPORT const char* non_finite_block(const ParameterBlocks& p);

/// A copy of `net` (same weights) whose training passes run in precision
/// p. Analyses that measure gradients (alignment, Hessian) use Double.
RNNLAB_EXPORT Network with_precision(const Network& net, Precision p);

}  // namespace rnnlab
