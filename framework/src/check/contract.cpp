// The plugin contract suites (rnnlab/app/contract.hpp), shared by the unit tests and
// `rnnlab check`.
#include "rnnlab/app/contract.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <sstream>

#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/random.hpp"

namespace rnnlab::contract {

namespace {

struct Outcome {
  bool pass = true;
  std::string note;  ///< why it failed, or a measurement
};
Outcome ok(std::string note = "") { return {true, std::move(note)}; }
Outcome failed(std::string why) { return {false, std::move(why)}; }

// Collects one verdict per check; an exception thrown by a check is its
// failure.
class Suite {
 public:
  explicit Suite(std::string prefix) : prefix_(std::move(prefix)) {}
  template <class F>
  void check(const std::string& what, F&& body) {
    Outcome o;
    try {
      o = body();
    } catch (const std::exception& e) {
      o = failed(std::string("threw: ") + e.what());
    }
    out_.push_back({o.pass, prefix_ + what + (o.note.empty() ? "" : " (" + o.note + ")")});
  }
  std::vector<Verdict> take() { return std::move(out_); }

 private:
  std::string prefix_;
  std::vector<Verdict> out_;
};

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

bool bitwise_equal(const arma::vec& a, const arma::vec& b) {
  return a.n_elem == b.n_elem && arma::approx_equal(a, b, "absdiff", 0.0);
}

// A small double-precision network for `task`, with nonzero biases.
Network small_network(const TaskInfo& info, std::size_t hidden, double gain, bool bias, Activation act,
                      std::uint64_t seed) {
  NetworkConfig c;
  c.shape = {info.inputs, hidden, info.outputs, bias};
  c.gain = gain;
  c.alpha = 0.5;
  c.seed = seed;
  c.activation = act;
  c.precision = Precision::Double;  // finite differences need it
  Network net(c);
  if (bias) {
    Rng rng(seed + 1);
    for (double& v : net.params().b) v = 0.3 * rng.normal();
    for (double& v : net.params().b_out) v = 0.3 * rng.normal();
  }
  return net;
}

double loss_at(const Network& net, const Batch& batch) {
  Trajectory traj;
  forward(net, batch.x, traj);
  return loss(batch, traj.yhat);
}

// ‖a − b‖ / max(‖a‖, ‖b‖, tiny)
double relative_error(const arma::vec& a, const arma::vec& b) {
  const double scale = std::max({arma::norm(a), arma::norm(b), 1e-300});
  return arma::norm(a - b) / scale;
}

// Central differences of the loss over the elements of one block.
arma::vec finite_differences(const Network& net, const Batch& batch, const BlockRange& blk, double h) {
  Network probe = net;
  arma::vec fd(blk.count);
  for (arma::uword k = 0; k < blk.count; ++k) {
    double& w = probe.params().theta(blk.first + k);
    const double keep = w;
    w = keep + h;
    const double up = loss_at(probe, batch);
    w = keep - h;
    const double down = loss_at(probe, batch);
    w = keep;
    fd(k) = (up - down) / (2 * h);
  }
  return fd;
}

bool has_param(const PluginInfo& info, const std::string& name) {
  return std::any_of(info.params.begin(), info.params.end(), [&](const ParamSpec& s) { return s.name == name; });
}

template <class Make>
Outcome rejects(Make make, const std::string& what) {
  try {
    make();
  } catch (const Error&) {
    return ok();
  }
  return failed(what + " was accepted");
}

bool same_result(const AnalysisResult& a, const AnalysisResult& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].first != b[i].first || a[i].second.index() != b[i].second.index()) return false;
    if (auto x = std::get_if<double>(&a[i].second)) {
      const double y = std::get<double>(b[i].second);
      if (!(*x == y || (std::isnan(*x) && std::isnan(y)))) return false;
    } else if (auto v = std::get_if<std::vector<double>>(&a[i].second)) {
      const auto& w = std::get<std::vector<double>>(b[i].second);
      if (v->size() != w.size()) return false;
      for (std::size_t k = 0; k < v->size(); ++k)
        if (!((*v)[k] == w[k] || (std::isnan((*v)[k]) && std::isnan(w[k])))) return false;
    } else if (a[i].second != b[i].second) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string format(const Verdict& v) { return (v.pass ? "PASS " : "FAIL ") + v.what; }

bool all_pass(const std::vector<Verdict>& verdicts) {
  return std::all_of(verdicts.begin(), verdicts.end(), [](const Verdict& v) { return v.pass; });
}

const std::vector<std::string>& block_names() {
  static const std::vector<std::string> names = {"W_h", "W_x", "W_out", "b", "b_out"};
  return names;
}

std::vector<std::string> parse_blocks(const std::string& list) {
  if (list == "all") return block_names();
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    if (std::find(block_names().begin(), block_names().end(), item) == block_names().end())
      throw Error("unknown parameter block '" + item + "'; valid: " + join(block_names()) + " or all");
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

std::vector<Verdict> check_rule(const Registry& registry, const std::string& name, const Task& task,
                                const std::vector<std::string>& exact) {
  Suite suite("rule " + name + ": ");
  const TaskInfo info = task.info();
  Batch batch;
  task.generate(5, batch);
  const auto with_bias = [](bool bias) { return std::string(bias ? " with biases" : " without biases"); };

  // One gradient per bias setting, from a rule begun with phase seed 42.
  struct Run {
    Network net, before;
    Gradient g;
    std::string error;
  };
  std::vector<Run> runs;
  for (bool bias : {false, true}) {
    Network net = small_network(info, 6, 1.2, bias, Activation::ReLU, 3);
    Run run{net, net, {}, {}};
    try {
      auto rule = registry.make_rule(name, {});
      rule->begin(run.net, 42);
      rule->gradient(run.net, batch, run.g);
    } catch (const std::exception& e) {
      run.error = e.what();
    }
    runs.push_back(std::move(run));
  }
  const auto each = [&](auto&& test) -> Outcome {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (!runs[i].error.empty()) return failed("gradient threw" + with_bias(i == 1) + ": " + runs[i].error);
      Outcome o = test(runs[i]);
      if (!o.pass) return failed(o.note + with_bias(i == 1));
    }
    return ok();
  };
  suite.check("gradient has the network's shape", [&] {
    return each([](const Run& r) {
      if (r.g.params.shape() == r.net.shape() && r.g.params.theta.n_elem == r.net.params().theta.n_elem) return ok();
      return failed(std::to_string(r.g.params.theta.n_elem) + " values for " +
                    std::to_string(r.net.params().theta.n_elem) + " parameters");
    });
  });
  suite.check("gradient and loss are finite", [&] {
    return each([](const Run& r) {
      return r.g.params.theta.is_finite() && std::isfinite(r.g.loss) ? ok() : failed("non-finite values");
    });
  });
  suite.check("gradient is not zero", [&] {
    return each([](const Run& r) { return arma::norm(r.g.params.theta) > 0.0 ? ok() : failed("all zero"); });
  });
  suite.check("the network is left unchanged", [&] {
    return each([](const Run& r) {
      return bitwise_equal(r.net.params().theta, r.before.params().theta) ? ok() : failed("weights changed");
    });
  });
  suite.check("a fresh rule begun with the same seed gives the same bits", [&] {
    return each([&](const Run& r) {
      auto again = registry.make_rule(name, {});
      again->begin(r.net, 42);
      Gradient g;
      again->gradient(r.net, batch, g);
      return bitwise_equal(g.params.theta, r.g.params.theta) && g.loss == r.g.loss ? ok()
                                                                                   : failed("gradients differ");
    });
  });
  suite.check("calling gradient again gives the same bits", [&] {
    return each([&](const Run& r) {
      auto rule = registry.make_rule(name, {});
      rule->begin(r.net, 42);
      Gradient g;
      rule->gradient(r.net, batch, g);
      rule->gradient(r.net, batch, g);
      return bitwise_equal(g.params.theta, r.g.params.theta) && g.loss == r.g.loss ? ok()
                                                                                   : failed("gradients differ");
    });
  });
  suite.check("a network that does not fit the task is a clear error", [&] {
    TaskInfo other = info;
    other.inputs += 2;
    const Network wrong = small_network(other, 6, 1.0, false, Activation::ReLU, 3);
    auto rule = registry.make_rule(name, {});
    rule->begin(wrong, 1);
    Gradient g;
    const std::string expected = "network has " + std::to_string(other.inputs) + " inputs but " +
                                 (batch.task.empty() ? std::string("the batch") : "task '" + batch.task + "'") +
                                 " provides " + std::to_string(info.inputs);
    try {
      rule->gradient(wrong, batch, g);
    } catch (const Error& e) {
      if (std::string(e.what()).find(expected) != std::string::npos) return ok();
      return failed("the error says '" + std::string(e.what()) + "', not '" + expected + "'");
    }
    return failed("no error; call rnnlab::check_compatible(net, batch)");
  });
  suite.check("an unknown parameter is rejected",
              [&] { return rejects([&] { registry.make_rule(name, {{"no_such_parameter", 1.0}}); }, "no_such_parameter"); });

  // Exactness claims: tanh units (no kinks), double precision.
  for (const auto& block : exact) {
    suite.check("gradient of " + block + " equals central finite differences", [&]() -> Outcome {
      double worst = 0;
      for (bool bias : {false, true}) {
        const Network net = small_network(info, 6, 1.2, bias, Activation::Tanh, 11);
        const auto blocks = block_ranges(net.shape());
        const auto blk = std::find_if(blocks.begin(), blocks.end(), [&](const BlockRange& b) { return b.name == block; });
        if (blk == blocks.end()) continue;  // b, b_out: only with biases
        auto rule = registry.make_rule(name, {});
        rule->begin(net, 42);
        Gradient g;
        rule->gradient(net, batch, g);
        if (g.params.theta.n_elem != net.params().theta.n_elem) return failed("gradient has the wrong size");
        const arma::vec got = g.params.theta.subvec(blk->first, blk->first + blk->count - 1);
        const double err = relative_error(got, finite_differences(net, batch, *blk, 1e-6));
        worst = std::max(worst, std::isnan(err) ? INFINITY : err);
        if (!(err <= 1e-6))
          return failed("rel. error " + number_text(err) + with_bias(bias) + "; at most 1e-06 expected");
      }
      return ok("max rel. error " + number_text(worst));
    });
  }
  return suite.take();
}

std::vector<Verdict> check_task(const Registry& registry, const std::string& name) {
  Suite suite("task " + name + ": ");
  std::unique_ptr<Task> task;
  suite.check("is made with its default parameters", [&] {
    task = registry.make_task(name, {});
    return ok();
  });
  if (!task) return suite.take();
  TaskInfo info;
  Batch a, b, c;
  std::string made;
  try {
    info = task->info();
    task->generate(7, a);
    task->generate(7, b);
    task->generate(8, c);
  } catch (const std::exception& e) {
    made = e.what();
  }
  const auto generated = [&](auto&& test) -> Outcome { return made.empty() ? test() : failed("threw: " + made); };
  suite.check("info() gives sizes and a time step", [&] {
    return info.inputs > 0 && info.outputs > 0 && info.dt > 0 ? ok() : failed("inputs, outputs and dt must be > 0");
  });
  suite.check("batches have the shapes and kind info() says", [&] {
    return generated([&]() -> Outcome {
      a.validate();
      std::ostringstream why;
      if (a.inputs() != info.inputs) why << "inputs " << a.inputs() << " vs " << info.inputs << "; ";
      if (a.outputs() != info.outputs) why << "outputs " << a.outputs() << " vs " << info.outputs << "; ";
      if (a.loss != info.loss) why << "loss " << to_string(a.loss) << " vs " << to_string(info.loss) << "; ";
      if (a.dt != info.dt) why << "dt " << a.dt << " vs " << info.dt << "; ";
      if (a.task != name) why << "batch.task is '" << a.task << "'; ";
      if (a.steps() == 0 || a.size() == 0) why << "no steps or no trials; ";
      return why.str().empty() ? ok() : failed(why.str().substr(0, why.str().size() - 2));
    });
  });
  suite.check("the mask and the decision period are not empty", [&] {
    return generated([&] {
      if (!(arma::accu(a.mask) > 0.0)) return failed("the mask is all zero");
      if (!a.decision.is_empty() && !(arma::accu(a.decision) > 0.0)) return failed("the decision period is empty");
      return ok();
    });
  });
  suite.check("inputs and targets are finite", [&] {
    return generated([&] { return a.x.is_finite() && a.y.is_finite() ? ok() : failed("non-finite values"); });
  });
  if (info.loss == LossKind::CrossEntropy && made.empty()) {
    suite.check("cross-entropy targets are one-hot at every step", [&] {
      const arma::mat per_step =
          arma::sum(arma::reshape(arma::vectorise(a.y), a.outputs(), a.size() * a.steps()), 0);
      return arma::approx_equal(per_step, arma::mat(1, per_step.n_cols, arma::fill::ones), "absdiff", 1e-15)
                 ? ok()
                 : failed("a step whose targets do not sum to 1");
    });
  }
  suite.check("truth is empty or one valid output channel per trial", [&] {
    return generated([&]() -> Outcome {
      if (a.truth.empty()) return ok("no truth");
      if (a.truth.size() != a.size())
        return failed(std::to_string(a.truth.size()) + " values for " + std::to_string(a.size()) + " trials");
      for (std::size_t i = 0; i < a.truth.size(); ++i)
        if (a.truth[i] < 0 || static_cast<std::size_t>(a.truth[i]) >= a.outputs())
          return failed("trial " + std::to_string(i) + " has truth " + std::to_string(a.truth[i]) + " for " +
                        std::to_string(a.outputs()) + " outputs");
      // In the decision period the target's largest channel is the truth.
      if (a.decision.n_rows == a.size() && a.decision.n_cols == a.steps()) {
        for (std::size_t i = 0; i < a.size(); ++i)
          for (std::size_t t = 0; t < a.steps(); ++t) {
            if (a.decision(i, t) <= 0 || a.mask(i, t) <= 0) continue;
            const arma::vec target = a.y.slice(t).col(i);
            if (static_cast<int>(target.index_max()) != a.truth[i])
              return failed("trial " + std::to_string(i) + " step " + std::to_string(t) + ": target peaks at " +
                            std::to_string(target.index_max()) + ", truth is " + std::to_string(a.truth[i]));
          }
      }
      return ok();
    });
  });
  suite.check("the same seed gives the same batch", [&] {
    return generated([&] {
      return arma::approx_equal(a.x, b.x, "absdiff", 0.0) && arma::approx_equal(a.y, b.y, "absdiff", 0.0) &&
                     arma::approx_equal(a.mask, b.mask, "absdiff", 0.0) && a.truth == b.truth
                 ? ok()
                 : failed("batches of seed 7 differ");
    });
  });
  suite.check("another seed gives other trials", [&] {
    return generated([&] {
      return a.x.n_elem != c.x.n_elem || !arma::approx_equal(a.x, c.x, "absdiff", 0.0)
                 ? ok()
                 : failed("seeds 7 and 8 give the same inputs");
    });
  });
  suite.check("generating into a used batch equals a fresh one", [&] {
    return generated([&] {
      task->generate(8, b);
      return arma::approx_equal(b.x, c.x, "absdiff", 0.0) && arma::approx_equal(b.y, c.y, "absdiff", 0.0) &&
                     arma::approx_equal(b.mask, c.mask, "absdiff", 0.0)
                 ? ok()
                 : failed("differs");
    });
  });
  suite.check("an unknown parameter is rejected",
              [&] { return rejects([&] { registry.make_task(name, {{"no_such_parameter", 1.0}}); }, "no_such_parameter"); });
  const PluginInfo& pinfo = registry.info(PluginKind::Task, name);
  if (has_param(pinfo, "batch"))
    suite.check("batch = 0 is rejected", [&] { return rejects([&] { registry.make_task(name, {{"batch", 0.0}}); }, "batch = 0"); });
  if (has_param(pinfo, "dt"))
    suite.check("dt = -1 is rejected", [&] { return rejects([&] { registry.make_task(name, {{"dt", -1.0}}); }, "dt = -1"); });
  return suite.take();
}

std::vector<Verdict> check_analysis(const Registry& registry, const std::string& name, const Task& task,
                                    const Registry* plugins) {
  Suite suite("analysis " + name + ": ");
  const Network net = small_network(task.info(), 12, 1.0, false, Activation::ReLU, 5);
  AnalysisInput input;
  input.task = &task;
  input.registry = plugins;
  AnalysisResult r1;
  std::string error;
  try {
    r1 = registry.make_analysis(name, {})->run(net, input, 17);
  } catch (const std::exception& e) {
    error = e.what();
  }
  suite.check("gives named, finite results", [&]() -> Outcome {
    if (!error.empty()) return failed("threw: " + error);
    if (r1.empty()) return failed("no results");
    for (const auto& [key, value] : r1) {
      if (key.empty()) return failed("a result without a name");
      if (auto d = std::get_if<double>(&value); d && !std::isfinite(*d)) return failed("'" + key + "' is not finite");
      if (auto v = std::get_if<std::vector<double>>(&value))
        for (double x : *v)
          if (!std::isfinite(x)) return failed("'" + key + "' has a non-finite element");
    }
    return ok(std::to_string(r1.size()) + " results");
  });
  suite.check("the network is left unchanged", [&] {
    const Network before = small_network(task.info(), 12, 1.0, false, Activation::ReLU, 5);
    return bitwise_equal(net.params().theta, before.params().theta) ? ok() : failed("weights changed");
  });
  suite.check("a fresh analysis with the same seed gives the same results", [&] {
    if (!error.empty()) return failed("threw: " + error);
    const AnalysisResult r2 = registry.make_analysis(name, {})->run(net, input, 17);
    return same_result(r1, r2) ? ok() : failed("results differ");
  });
  suite.check("a fixed batch works as input", [&] {
    Batch batch;
    task.generate(3, batch);
    AnalysisInput fixed;
    fixed.batch = &batch;
    fixed.registry = plugins;
    registry.make_analysis(name, {})->run(net, fixed, 17);
    return ok();
  });
  suite.check("an unknown parameter is rejected", [&] {
    return rejects([&] { registry.make_analysis(name, {{"no_such_parameter", 1.0}}); }, "no_such_parameter");
  });
  return suite.take();
}

}  // namespace rnnlab::contract
