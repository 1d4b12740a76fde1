// Executes a sweep plan on worker threads. Each run builds its own task,
// network, rules and optimizers from the plan, so runs share nothing but
// the registry and the output directory; results do not depend on the
// number of workers or on the threads each run is given.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <thread>

#include "group.hpp"
#include "../checkpoint.hpp"
#include "../progress.hpp"
#include "folder.hpp"
#include "plan.hpp"
#include "record.hpp"
#include "rnnlab/sdk/error.hpp"
#include "../blas.hpp"
#include "rnnlab/sdk/parallel.hpp"
#include "rnnlab/sdk/random.hpp"
#include "rnnlab/app/sweep.hpp"
#include "rnnlab/app/trainer.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

json to_json(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto d = std::get_if<double>(&v)) return *d;
  return std::get<std::string>(v);
}

json to_json(const std::map<std::string, Value>& params) {
  json j = json::object();
  for (const auto& [k, v] : params) j[k] = to_json(v);
  return j;
}

void add_results(const AnalysisResult& result, const std::string& name, const std::string& when,
                 sweep::RunRecord& record) {
  for (const auto& [key, value] : result) {
    const std::string column = name + "_" + key + "_" + when;
    if (auto d = std::get_if<double>(&value)) record.scalars[column] = *d;
    else if (auto xs = std::get_if<std::vector<double>>(&value)) record.arrays[column] = *xs;
  }
}

void run_analyses(const Registry& registry, const std::vector<sweep::Component>& list, const Network& net,
                  const Task& task, std::uint64_t seed, const std::string& when, sweep::RunRecord& record) {
  for (const auto& a : list) {
    AnalysisInput input;
    input.task = &task;
    input.registry = &registry;
    // The same seed before and after training: the same inputs.
    auto analysis = registry.make_analysis(a.name, a.params);
    add_results(analysis->run(net, input, derive_seed(seed, "analysis." + a.name)), a.name, when, record);
  }
}

// The name of the scalar that says where phase p (0-based) stopped.
std::string stopped_name(std::size_t p) { return "phase" + std::to_string(p + 1) + "_stopped"; }

// Adds a phase's monitor logs to the run's (one log per monitor name).
void add_monitors(const std::vector<MonitorLog>& logs, std::vector<MonitorLog>& into) {
  for (const MonitorLog& log : logs) {
    auto it = std::find_if(into.begin(), into.end(), [&](const MonitorLog& l) { return l.name == log.name; });
    if (it == into.end()) {
      into.push_back(MonitorLog{log.name, {}, {}, {}, {}});
      it = into.end() - 1;
    }
    it->append(log);
  }
}

void execute(const Registry& registry, const sweep::RunSpec& run, const std::string& config_hash,
             const std::string& runs_dir, double checkpoint_seconds) {
  const auto start = std::chrono::steady_clock::now();
  auto task = registry.make_task(run.task.name, run.task.params);
  NetworkConfig config = Network::config_from(ParamSet::validate(Network::specs(), run.network, "network"));
  config.init = run.init.name;
  config.init_params = run.init.params;
  Network net = make_network(registry, config);
  sweep::RunRecord record;
  record.index = run.index;
  record.id = run.id;
  record.config_hash = config_hash;
  record.seed = run.seed;
  for (const auto& [k, v] : run.grid) record.grid[k] = to_json(v);
  record.final_loss = std::nan("");

  // A checkpoint of this run (left by a killed or interrupted sweep)
  // holds everything its future depends on: continue from it.
  const std::string checkpoint_path = (fs::path(runs_dir) / (run.id + ".ckpt.h5")).string();
  const std::string identity = config_hash + "/" + run.id;
  const auto saved = checkpoint::read(checkpoint_path, identity);
  std::size_t first_phase = 0;
  const arma::vec initial = saved ? saved->initial : net.params().theta;
  if (saved) {
    if (saved->phase >= run.phases.size() || saved->initial.n_elem != net.params().theta.n_elem)
      throw IoError("'" + checkpoint_path + "' does not fit this run; delete it to start the run from the beginning");
    first_phase = saved->phase;
    record.scalars = saved->scalars;
    record.arrays = saved->arrays;
    record.final_loss = saved->final_loss;
    record.monitors = saved->monitors;
    for (const auto& [p, iteration, loss] : saved->curve)
      record.curve.push_back({p, run.phases.at(p - 1).rule.name, iteration, loss});
  } else {
    run_analyses(registry, run.before, net, *task, run.seed, "before", record);
  }
  std::size_t first = 1;
  for (std::size_t p = 0; p < first_phase; ++p) {
    const auto stopped = record.scalars.find(stopped_name(p));
    if (stopped != record.scalars.end() && std::isfinite(stopped->second))
      first = static_cast<std::size_t>(stopped->second) + 1;
    else
      first += run.phases[p].iterations;
  }
  // The monitors' held-out batch, made once for the run from its own stream.
  Batch eval_batch;
  if (std::any_of(run.phases.begin(), run.phases.end(), [](const sweep::Phase& p) { return !p.monitors.empty(); })) {
    if (run.eval_batch > 0) {
      auto params = run.task.params;
      params["batch"] = static_cast<double>(run.eval_batch);
      eval_batch = evaluation_batch(*registry.make_task(run.task.name, params), run.seed);
    } else {
      eval_batch = evaluation_batch(*task, run.seed);
    }
  }
  for (std::size_t p = first_phase; p < run.phases.size(); ++p) {
    const auto& phase = run.phases[p];
    auto rule = registry.make_rule(phase.rule.name, phase.rule.params);
    auto optimizer = registry.make_optimizer(phase.optimizer.name, phase.optimizer.params);
    TrainOptions options;
    options.iterations = phase.iterations;
    options.log_every = run.log_every;
    options.seed = run.seed;
    options.first_iteration = first;
    const MonitorSet monitors = make_monitors(registry, phase.monitors, run.log_every);
    if (!phase.monitors.empty()) {
      options.monitors = monitors.monitors;
      options.eval_batch = &eval_batch;
      options.stop_when = phase.stop_when;
      options.registry = &registry;
      options.phase = p + 1;
    }
    if (saved && p == first_phase) options.resume = &saved->state;
    options.checkpoint_seconds = checkpoint_seconds;
    options.checkpoint = [&](const PhaseState& state) {
      checkpoint::Data d;
      d.identity = identity;
      d.phase = p;
      d.state = state;
      d.initial = initial;
      for (const auto& c : record.curve) d.curve.emplace_back(c.phase, c.iteration, c.loss);
      d.final_loss = record.final_loss;
      d.scalars = record.scalars;
      d.arrays = record.arrays;
      d.monitors = record.monitors;
      checkpoint::write(checkpoint_path, d);
    };
    const TrainResult r = train(net, *task, *rule, *optimizer, options);
    for (const auto& [iteration, loss] : r.losses) record.curve.push_back({p + 1, phase.rule.name, iteration, loss});
    if (r.iterations_done > 0 || (phase.iterations > 0 && !r.stopped)) record.final_loss = r.final_loss;
    add_monitors(r.monitors, record.monitors);
    if (phase.stop_when)
      record.scalars[stopped_name(p)] = r.stopped ? static_cast<double>(*r.stopped) : std::nan("");
    first += r.stopped ? r.iterations_done : phase.iterations;
    if (r.diverged) {
      record.diverged = true;
      break;
    }
  }
  if (!record.diverged) {
    run_analyses(registry, run.after, net, *task, run.seed, "after", record);
    // The last value of every monitored number.
    for (const MonitorLog& log : record.monitors)
      for (std::size_t k = 0; k < log.keys.size() && !log.values.empty(); ++k)
        record.scalars[log.name + "_" + log.keys[k] + "_final"] = log.values.back()[k];
  }
  record.initial_theta = initial;
  record.task = {{"name", run.task.name}, {"params", to_json(run.task.params)}};
  record.protocol = json::array();
  for (const auto& phase : run.phases)
    record.protocol.push_back({{"rule", phase.rule.name},
                               {"rule_params", to_json(phase.rule.params)},
                               {"optimizer", phase.optimizer.name},
                               {"optimizer_params", to_json(phase.optimizer.params)},
                               {"iterations", phase.iterations}});
  for (std::size_t p = 0; p < run.phases.size(); ++p) {
    json monitors = json::array();
    for (const auto& m : run.phases[p].monitors)
      monitors.push_back({{"analysis", m.name}, {"params", to_json(m.params)}, {"every", m.every ? m.every : run.log_every}});
    if (!monitors.empty()) record.protocol[p]["monitor"] = monitors;
    if (const auto& s = run.phases[p].stop_when)
      record.protocol[p]["stop_when"] = {{"analysis", s->monitor}, {"key", s->key}, {s->above ? "above" : "below", s->threshold}};
  }
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sweep::write_run(runs_dir, net, record);
  std::error_code ec;
  fs::remove(checkpoint_path, ec);  // the record supersedes it
}

void check_or_write_config(sweep::Plan& plan, const std::string& out) {
  const std::string path = (fs::path(out) / "sweep.json").string();
  if (fs::exists(path)) {
    const sweep::SweepFile existing = sweep::read_sweep_file(out);
    if (existing.hash != plan.hash)
      throw Error("'" + out + "' holds results of a different sweep configuration (" + existing.hash + " vs " +
                  plan.hash + "); use another output directory, or set fresh = true to discard the old results");
    return;
  }
  json doc;
  doc["hash"] = plan.hash;
  doc["config"] = std::move(plan.config);  // lent, not copied: it may be long
  doc["grid_keys"] = plan.grid.key_names();
  doc["runs"] = plan.size();
  // Indented for reading, unless the grid lists many values (a line each).
  std::size_t values = 0;
  for (const auto& k : plan.grid.keys()) values += k.size();
  sweep::write_atomically(path, [&](std::ostream& f) { f << std::setw(values <= 1000 ? 2 : 0) << doc << "\n"; });
  plan.config = std::move(doc["config"]);
}

SweepGroup* g_group = nullptr;  // set_sweep_group

// Runs `step` on this process. With a group, every rank then raises the
// error of the lowest rank that failed (or none), so that no rank waits
// forever in a later collective for one that gave up.
template <class Step>
void collectively(SweepGroup* group, Step&& step) {
  if (!group) return step();
  std::string error;
  try {
    step();
  } catch (const std::exception& e) {
    error = *e.what() ? e.what() : "unknown error";
  }
  error = group->first_error(error);
  if (!error.empty()) throw Error(error);
}

}  // namespace

void set_sweep_group(SweepGroup* group) { g_group = group; }
SweepGroup* sweep_group() { return g_group; }

SweepReport run_sweep(const Registry& registry, json config, const SweepOptions& options) {
  // With several ranks, rank r runs slice r of its shard: the 0-based shard
  // k of N becomes shard k + N·r of N·P. Steps that can fail on one rank only end
  // in a collective check, so that all ranks raise the same error.
  SweepGroup* group = g_group && g_group->size() > 1 ? g_group : nullptr;
  const int rank = group ? group->rank() : 0, ranks = group ? group->size() : 1;
  const auto shard_count = static_cast<std::size_t>(options.shard_count) * static_cast<std::size_t>(ranks);
  const auto shard_index = static_cast<std::size_t>(options.shard_index + options.shard_count * rank);
  sweep::Plan plan;
  SweepReport report;
  fs::path runs_dir;
  sweep::FileLock shard_lock;
  collectively(group, [&] {
    if (config.contains("fresh") && !config["fresh"].is_boolean()) throw Error("lab.sweep: fresh must be true or false");
    const bool fresh = config.value("fresh", false);
    plan = sweep::make_plan(registry, std::move(config));
    report.out = options.out.empty() ? plan.out : options.out;
    if (report.out.empty()) throw Error("lab.sweep: 'out' is required (or pass --out DIR)");
    if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
      throw Error("invalid shard " + std::to_string(options.shard_index + 1) + "/" + std::to_string(options.shard_count));
    runs_dir = fs::path(report.out) / "runs";
    if (rank != 0) return;
    // Only a folder that is a sweep's, or holds nothing a sweep writes, is
    // used; fresh removes only what a sweep wrote. Both are checked before
    // a lock file is made in a folder we refuse. One process at a time then
    // changes the folder as a whole (flock): of two sweeps started together
    // into an empty folder, the second finds the first's sweep.json in
    // check_or_write_config, and its fresh = true finds the first's shard
    // lock in remove_sweep_outputs.
    sweep::check_sweep_folder(report.out);
    if (fresh) sweep::check_fresh(report.out);
    std::error_code ec;
    fs::create_directories(report.out, ec);
    if (ec) throw IoError("cannot create '" + report.out + "': " + ec.message());
    const sweep::FileLock folder = sweep::FileLock::acquire(sweep::folder_lock_path(report.out), true);
    if (fresh) sweep::remove_sweep_outputs(report.out);
    check_or_write_config(plan, report.out);
    fs::create_directories(runs_dir, ec);
    if (ec) throw IoError("cannot create '" + runs_dir.string() + "': " + ec.message());
    shard_lock = sweep::lock_shard(report.out, shard_index, shard_count);
  });
  plan.config = json();  // on disk now; a long grid list need not stay twice in memory
  // Every process (shard, rank) holds its shard's lock for the whole sweep.
  collectively(group, [&] {
    if (!shard_lock.locked()) shard_lock = sweep::lock_shard(report.out, shard_index, shard_count);
  });

  // Runs already complete (checked: of this grid and this config), one bit
  // per point; the runs to do are walked lazily.
  std::vector<bool> done(plan.size(), false);
  const sweep::SweepFile identity{plan.hash, plan.grid};
  collectively(group, [&] {
    sweep::for_each_record(runs_dir.string(), identity, [&](json&& r) { done[r["index"].get<std::size_t>()] = true; });
    for (std::size_t index = shard_index; index < plan.size(); index += shard_count) {
      ++report.runs;
      if (done[index]) ++report.skipped;
    }
  });
  const std::size_t to_do = report.runs - report.skipped;

  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers =
      std::min<std::size_t>(options.jobs > 0 ? static_cast<std::size_t>(options.jobs) : hardware, to_do);
  if (workers > 1) set_blas_threads(1);  // parallelism comes from concurrent runs
  // Each run's passes get the caller's thread count (rnnlab run --threads),
  // or, when the shard has fewer runs to do than --jobs allows workers, an
  // equal share of the workers left over. Results do not depend on either.
  const std::size_t slots = options.jobs > 0 ? static_cast<std::size_t>(options.jobs) : hardware;
  const int run_threads =
      std::max(parallel::threads(), workers > 0 ? static_cast<int>(slots / workers) : 1);
  const std::string label = group ? "sweep (rank 0 of " + std::to_string(ranks) + ")" : "sweep";
  ProgressPrinter progress(label, "runs", "runs/s", report.runs, options.quiet || rank != 0, report.skipped);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::string first_error;
  bool interrupted = false;
  // next counts the points of this shard; a worker takes the next one not done.
  auto work = [&] {
    const parallel::ThreadsGuard threads(run_threads);
    while (!stop.load()) {
      const std::size_t index = shard_index + next.fetch_add(1) * shard_count;
      if (index >= plan.size()) return;
      if (done[index]) continue;
      std::string id = plan.grid.id(index);
      try {
        execute(registry, plan.run(registry, index), plan.hash, runs_dir.string(), plan.checkpoint_seconds);
        progress.advance();
      } catch (const Interrupted&) {
        std::lock_guard<std::mutex> lock(error_mutex);
        interrupted = true;
        stop.store(true);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (first_error.empty()) first_error = "run '" + id + "': " + e.what();
        stop.store(true);
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
  }
  progress.summary_counts();
  // Every rank's runs are done before rank 0 rebuilds the tables from them.
  if (group) first_error = group->first_error(first_error);
  report.seconds = progress.elapsed();
  collectively(group, [&] {
    if (rank != 0) return;
    const sweep::FileLock folder = sweep::FileLock::acquire(sweep::folder_lock_path(report.out), true);
    sweep::write_tables(report.out, identity);
  });
  std::size_t complete = 0;
  collectively(group, [&] {
    sweep::for_each_record(runs_dir.string(), identity, [&](json&& r) {
      if (r["index"].get<std::size_t>() % shard_count != shard_index) return;
      ++complete;
      report.diverged += r["diverged"].get<bool>() ? 1 : 0;
    });
  });
  interrupted = interrupted || interrupt_requested();
  if (group) {
    // The shard's totals; seconds: rank 0's, measured once all ranks were done.
    std::vector<double> totals = {double(report.runs), double(report.skipped), double(complete),
                                  double(report.diverged), interrupted ? 1.0 : 0.0, rank == 0 ? report.seconds : 0.0};
    group->sum(totals);
    report.runs = static_cast<std::size_t>(totals[0]);
    report.skipped = static_cast<std::size_t>(totals[1]);
    complete = static_cast<std::size_t>(totals[2]);
    report.diverged = static_cast<std::size_t>(totals[3]);
    interrupted = totals[4] > 0;
    report.seconds = totals[5];
    if (interrupted && !interrupt_requested()) request_interrupt();  // every rank exits as interrupted
  }
  report.completed = complete - report.skipped;
  if (!first_error.empty()) throw Error("lab.sweep: " + first_error);
  if (interrupted) {
    if (rank == 0)
      std::fprintf(stderr, "rnnlab: sweep interrupted: %zu of %zu runs complete in '%s'; run the same command again to resume\n",
                   complete, report.runs, report.out.c_str());
    throw Interrupted();
  }
  return report;
}

}  // namespace rnnlab
