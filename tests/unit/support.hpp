#pragma once
// Shared helpers for the unit suites.
#include <rnnlab/sdk/dynamics.hpp>
#include <rnnlab/sdk/network.hpp>
#include <rnnlab/sdk/plugin.hpp>
#include <rnnlab/sdk/registry.hpp>

#include <map>
#include <string>

namespace test {

/// The built-in plugins of this build, loaded once.
const rnnlab::Registry& builtin();

/// A small network with the given activation, gain and bias.
rnnlab::Network small_network(std::size_t n_in, std::size_t n, std::size_t n_out, double gain, double alpha,
                              bool bias, rnnlab::Activation act = rnnlab::Activation::ReLU, std::uint64_t seed = 7);

/// ŷ[t] = ReLU(x[t]): α = 0, W_h = 0, W_x = W_out = I, no bias.
rnnlab::Network pass_through(std::size_t channels);

/// Random inputs, targets and a non-trivial mask (weights in [0, 1], some zero).
rnnlab::Batch random_batch(std::size_t n_in, std::size_t n_out, std::size_t B, std::size_t T, rnnlab::LossKind loss,
                           std::uint64_t seed = 3);

/// One batch of the built-in task `task` made with `params`, from `seed`.
rnnlab::Batch task_batch(const std::string& task, const std::map<std::string, rnnlab::Value>& params,
                         std::uint64_t seed);

/// A fresh temporary directory for files of one test.
std::string temp_dir(const std::string& name);

/// ‖a − b‖ / max(‖a‖, ‖b‖, tiny)
double relative_error(const arma::mat& a, const arma::mat& b);

/// Runs the built-in analysis `name`, made with `params`, on `net` and one
/// batch (the built-in registry as the input's registry), with `seed`.
rnnlab::AnalysisResult analyse(const std::string& name, const rnnlab::Network& net, const rnnlab::Batch& batch,
                               const std::map<std::string, rnnlab::Value>& params = {}, std::uint64_t seed = 3);

/// A named number or array from an analysis result; a missing key fails
/// the test.
double number(const rnnlab::AnalysisResult& r, const std::string& key);
std::vector<double> vector(const rnnlab::AnalysisResult& r, const std::string& key);

}  // namespace test
