#include "bench.hpp"

#include "../blas_core.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "../blas.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab {

int run_bench(const Registry& registry, const BenchOptions& o) {
  set_blas_threads(1);
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

  auto rule = registry.make_rule(o.rule, {});
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
                        {"threads", 1},
                        {"precision", o.precision},
                        {"ms_per_iteration", 1000.0 * seconds / o.iterations},
                        {"final_loss", grad.loss}};
  const KernelInfo k = kernel_info();
  out["kernels"] = {{"elementwise", k.elementwise}, {"products", k.products}, {"blas", k.blas},
                    {"blas_weaker_than_cpu", k.blas_weaker}, {"blas_chosen_by_rnnlab", k.blas_set_by_rnnlab}};
  if (k.blas_weaker) std::cerr << kernel_summary().substr(kernel_summary().find("warning:")) << "\n";
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace rnnlab
