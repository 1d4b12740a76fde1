#define BOOST_TEST_MODULE rnnlab unit tests
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support.hpp"
#include <rnnlab/app/kernels.hpp>
#include <rnnlab/sdk/random.hpp>

namespace {

// Like the command line, the tests run the OpenBLAS core that suits this
// CPU: if OpenBLAS's own detection picked a weaker one (its SSE3 fallback
// on CPUs it does not recognise), choose_blas_core() runs the test program
// again with the right one. Then the tests take the paths `rnnlab run`
// takes on this machine (below N = 128, OpenBLAS's products, unless its
// core is weaker than the CPU's). The original arguments come from
// /proc/self/cmdline: Boost.Test has taken its own out of argv by now.
struct RightBlasCore {
  RightBlasCore() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> words;
    for (std::size_t begin = 0; begin < all.size();) {
      const std::size_t end = all.find('\0', begin);
      words.push_back(all.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
      if (end == std::string::npos) break;
      begin = end + 1;
    }
    if (words.empty()) return;
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    rnnlab::choose_blas_core(argv.data());
  }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(RightBlasCore);

namespace test {

const rnnlab::Registry& builtin() {
  static rnnlab::Registry* registry = [] {
    auto* r = new rnnlab::Registry();  // lives for the whole test run
    r->load(RNNLAB_TEST_PLUGIN_DIR);
    return r;
  }();
  return *registry;
}

rnnlab::Network small_network(std::size_t n_in, std::size_t n, std::size_t n_out, double gain, double alpha,
                              bool bias, rnnlab::Activation act, std::uint64_t seed) {
  rnnlab::NetworkConfig c;
  c.shape = {n_in, n, n_out, bias};
  c.gain = gain;
  c.alpha = alpha;
  c.seed = seed;
  c.activation = act;
  c.precision = rnnlab::Precision::Double;  // exactness tests: finite differences, references
  rnnlab::Network net(c);
  if (bias) {
    // Nonzero biases so their gradients are exercised.
    rnnlab::Rng rng(seed + 1);
    for (double& v : net.params().b) v = 0.3 * rng.normal();
    for (double& v : net.params().b_out) v = 0.3 * rng.normal();
  }
  return net;
}

rnnlab::Network pass_through(std::size_t channels) {
  rnnlab::NetworkConfig c;
  c.shape = {channels, channels, channels, false};
  c.alpha = 0.0;
  rnnlab::ParameterBlocks p(c.shape);
  p.theta.zeros();
  p.W_x = arma::eye(channels, channels);
  p.W_out = arma::eye(channels, channels);
  return rnnlab::Network(c, p);
}

rnnlab::Batch random_batch(std::size_t n_in, std::size_t n_out, std::size_t B, std::size_t T, rnnlab::LossKind loss,
                           std::uint64_t seed) {
  rnnlab::Rng rng(seed);
  rnnlab::Batch b;
  b.x.set_size(n_in, B, T);
  for (double& v : b.x) v = rng.normal();
  b.y.zeros(n_out, B, T);
  if (loss == rnnlab::LossKind::MSE) {
    for (double& v : b.y) v = rng.normal();
  } else {
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < B; ++i) b.y(rng.below(n_out), i, t) = 1.0;
  }
  b.mask.set_size(B, T);
  for (double& v : b.mask) v = rng.uniform() < 0.25 ? 0.0 : rng.uniform();
  b.mask(0, T - 1) = 1.0;
  b.loss = loss;
  b.dt = 10;
  b.task = "random";
  return b;
}

rnnlab::Batch task_batch(const std::string& task, const std::map<std::string, rnnlab::Value>& params,
                         std::uint64_t seed) {
  rnnlab::Batch b;
  builtin().make_task(task, params)->generate(seed, b);
  return b;
}

std::string temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("rnnlab_unit_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

double relative_error(const arma::mat& a, const arma::mat& b) {
  const double scale = std::max({arma::norm(a, "fro"), arma::norm(b, "fro"), 1e-300});
  return arma::norm(a - b, "fro") / scale;
}

rnnlab::AnalysisResult analyse(const std::string& name, const rnnlab::Network& net, const rnnlab::Batch& batch,
                               const std::map<std::string, rnnlab::Value>& params, std::uint64_t seed) {
  rnnlab::AnalysisInput input;
  input.batch = &batch;
  input.registry = &builtin();
  return builtin().make_analysis(name, params)->run(net, input, seed);
}

double number(const rnnlab::AnalysisResult& r, const std::string& key) {
  for (const auto& [k, v] : r)
    if (k == key) return std::get<double>(v);
  BOOST_FAIL("missing result " + key);
  return 0;
}

std::vector<double> vector(const rnnlab::AnalysisResult& r, const std::string& key) {
  for (const auto& [k, v] : r)
    if (k == key) return std::get<std::vector<double>>(v);
  BOOST_FAIL("missing result " + key);
  return {};
}

}  // namespace test
