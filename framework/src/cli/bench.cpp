#include "bench.hpp"

#include "rnnlab/app/kernels.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <variant>
#include <nlohmann/json.hpp>

#include "../blas.hpp"
#include "rnnlab/sdk/parallel.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {

std::map<std::string, Value> floss_bench_params() { return {{"trials", 8.0}}; }

int run_bench(const Registry& registry, const BenchOptions& o) {
  set_blas_threads(1);
  parallel::set_threads(o.threads);
  const std::size_t Nin = 3, Nout = 3;
  NetworkConfig config;
  config.shape = {Nin, static_cast<std::size_t>(o.hidden), Nout, false};
  config.alpha = 0.5;
  config.gain = 1.0;
  config.precision = precision_from_string(o.precision);
  Network net(config);

  Batch batch;
  Rng rng(derive_seed(1, "bench"));
  batch.x.set_size(Nin, o.batch, o.steps);
  batch.y.zeros(Nout, o.batch, o.steps);
  for (double& v : batch.x) v = rng.normal();
  for (double& v : batch.y) v = 0.5 * rng.normal();
  batch.mask.ones(o.batch, o.steps);
  batch.task = "bench";

  // `floss` is timed as the paper scripts run it (Fig. 4's flossing phase,
  // scripts/paper/fig4.lua): 8 windows per batch, the rule's defaults
  // otherwise (k = N/2 exponents, detach). Other rules use their defaults.
  std::map<std::string, Value> params;
  if (o.rule == "floss") params = floss_bench_params();
  for (const std::string& assignment : o.set) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) throw Error("--set expects NAME=VALUE, got '" + assignment + "'");
    const std::string name = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (text == "true" || text == "false")
      params[name] = text == "true";
    else if (!text.empty() && end == text.c_str() + text.size())
      params[name] = number;
    else
      params[name] = text;
  }
  auto rule = registry.make_rule(o.rule, params);
  auto optimizer = registry.make_optimizer("adam", {});
  rule->begin(net, 1);
  optimizer->reset(net.params().theta.n_elem);
  Gradient grad;
  auto iterate = [&] {
    rule->gradient(net, batch, grad);
    optimizer->update(net.params().theta, grad.params.theta);
  };
  for (int i = 0; i < o.warmup; ++i) iterate();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < o.iterations; ++i) iterate();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json out = {{"rule", o.rule},
                        {"hidden", o.hidden},
                        {"batch", o.batch},
                        {"steps", o.steps},
                        {"iterations", o.iterations},
                        {"threads", o.threads},
                        {"precision", o.precision},
                        {"ms_per_iteration", 1000.0 * seconds / o.iterations},
                        {"final_loss", grad.loss}};
  if (!params.empty()) {
    nlohmann::json p = nlohmann::json::object();
    for (const auto& [name, value] : params) std::visit([&](const auto& v) { p[name] = v; }, value);
    out["rule_params"] = p;
  }
  const KernelInfo k = kernel_info();
  out["kernels"] = {{"elementwise", k.elementwise}, {"products", k.products},
                    {"products_every_size", k.products_everywhere}, {"blas", k.blas},
                    {"blas_weaker_than_cpu", k.blas_weaker}, {"blas_chosen_by_rnnlab", k.blas_set_by_rnnlab}};
  if (k.blas_weaker) std::cerr << blas_warning(k) << "\n";
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace rnnlab
