// rnnlab command line: run, plugins, help, check, bench, --version.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "bench.hpp"
#include "check.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/app/help.hpp"
#include "rnnlab/sdk/registry.hpp"
#include "../blas.hpp"
#include "rnnlab/sdk/parallel.hpp"
#include "rnnlab/app/plot.hpp"
#include "rnnlab/app/script.hpp"
#include "rnnlab/app/sweep.hpp"
#include "rnnlab/app/kernels.hpp"
#include "rnnlab/sdk/version.hpp"
#ifdef RNNLAB_HAVE_MPI
#include "../sweep/mpi.hpp"
#endif

namespace {

std::string executable_path(const char* argv0) {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : self.string();
}

int list_plugins(const rnnlab::Registry& registry) {
  std::cout << "kind        name                  version  file\n";
  for (const auto* info : registry.all()) {
    std::printf("%-11s %-21s %-8s %s\n", rnnlab::to_string(info->kind), info->name.c_str(), info->version.c_str(),
                info->file.c_str());
  }
  if (!registry.failures().empty()) {
    std::cout << "\nfailed to load:\n";
    for (const auto& f : registry.failures()) std::cout << "  " << f.file << ": " << f.reason << "\n";
  }
  return 0;
}

// `rnnlab help` without a name: what a name can be, by kind.
int list_help_names(const rnnlab::Registry& registry) {
  std::cout << "rnnlab help NAME shows the parameters of one of these:\n";
  std::printf("  %-11s %s\n", "network", "network");
  for (const auto kind : rnnlab::plugin_kinds()) {
    const auto names = registry.names(kind);
    std::printf("  %-11s %s\n", rnnlab::to_string(kind), names.empty() ? "(none loaded)" : rnnlab::join(names).c_str());
  }
  std::cout << "('rnnlab plugins' shows the file of each)\n";
  return 0;
}

int show_help(const rnnlab::Registry& registry, const std::string& name) {
  if (name.empty()) return list_help_names(registry);
  if (name == "network") {
    std::cout << "lab.network{...} — the rate RNN of eq. 1\n\nparameters:\n"
              << rnnlab::format_param_table(rnnlab::Network::specs());
    return 0;
  }
  const auto found = registry.find(name);
  if (found.empty()) {
    std::vector<std::string> names = {"network"};
    for (const auto* info : registry.all()) names.push_back(info->name);
    std::cerr << "rnnlab: no plugin named '" << name << "'; available: " << rnnlab::join(names) << "\n";
    return 1;
  }
  for (std::size_t i = 0; i < found.size(); ++i) std::cout << (i ? "\n" : "") << rnnlab::format_help(*found[i]);
  return 0;
}

// A whole number of at least `min`. CLI11's own range checks print the
// range as "0.000000 to 1797693...(300 digits).000000".
CLI::Validator whole_number(long long min) {
  return CLI::Validator(
      [min](std::string& text) -> std::string {
        long long v = 0;
        std::size_t used = 0;
        try {
          v = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size() || v < min)
          return "expects a whole number >= " + std::to_string(min) + ", got '" + text + "'";
        return "";
      },
      "INT>=" + std::to_string(min));
}

}  // namespace

int main(int argc, char** argv) {
  if (const std::string bad = rnnlab::kernel_choice_error(); !bad.empty()) {
    std::cerr << "error: " << bad << "\n";
    return 2;
  }
  rnnlab::choose_blas_core(argv);  // may run the program again with the right OpenBLAS kernels
  const std::string exe = executable_path(argv[0]);
  // Named here: the usage line says "rnnlab", not the path it was started by.
  CLI::App app{"rnnlab — recurrent networks under biologically plausible learning rules", "rnnlab"};
  app.set_version_flag("--version", std::string("rnnlab ") + rnnlab::version() +
                                        " (plugin ABI " + std::to_string(rnnlab::abi_version()) + ")\n" +
                                        rnnlab::kernel_summary());
  app.require_subcommand(1);

  rnnlab::ScriptOptions script;
  std::vector<std::string> sets;
  auto* run = app.add_subcommand("run", "run a Lua protocol script");
  run->add_option("script", script.script, "the .lua protocol")->required();
  run->add_option("--set", sets, "key=value passed to the script as lab.args.key (repeatable)")
      ->allow_extra_args(false);
  run->add_option("--out", script.out, "output directory (lab.args.out)");
  run->add_option("--jobs", script.jobs, "worker threads for sweeps (default: all cores)")
      ->check(whole_number(0));
  int run_threads = 1;
  run->add_option("--threads", run_threads,
                  "threads of each training run's passes (default 1; a sweep with fewer runs than --jobs "
                  "gives each run the spare ones); results do not depend on it")
      ->check(whole_number(1));
  run->add_flag("--quiet", script.quiet, "no progress output");
  std::string shard;
  auto* shard_option =
      run->add_option("--shard", shard, "run the K-th of N disjoint slices of every sweep (K/N, 1 ≤ K ≤ N)");

  std::vector<std::string> merge_dirs;
  auto* merge = app.add_subcommand("merge", "combine sweep shards: rnnlab merge OUT [SHARD_DIR...]");
  merge->add_option("dirs", merge_dirs, "the output directory, then the shard directories")->required();

  auto* plugins = app.add_subcommand("plugins", "list loaded plugins and files that failed to load");
  std::string help_name;
  auto* help = app.add_subcommand("help", "parameter table of a plugin or 'network'; without NAME, the names by kind");
  help->add_option("name", help_name, "plugin name");

  rnnlab::CheckOptions check_options;
  auto* check = app.add_subcommand(
      "check", "run the contract suite of its kind on every plugin of one file: rnnlab check PLUGIN.so");
  check->add_option("plugin", check_options.plugin, "the plugin library (.so)")->required();
  check->add_option("--exact", check_options.exact,
                    "blocks a rule's gradient is exact on (W_h,W_x,W_out,b,b_out or all), checked against "
                    "central finite differences; default: what the rule declares");

  std::string plot_kind, plot_dir;
  rnnlab::CurvesOptions curves_options;
  std::string plot_out, plot_title, plot_by = "gain", plot_select = "lr";
  std::size_t plot_from = 0;
  bool plot_linear = false;
  auto* plot = app.add_subcommand("plot", "figures from a sweep: rnnlab plot curves|lyapunov DIR --out FILE");
  plot->add_option("kind", plot_kind, "curves or lyapunov")->required()->check(CLI::IsMember({"curves", "lyapunov"}));
  plot->add_option("dir", plot_dir, "sweep output directory")->required();
  plot->add_option("--out", plot_out, "image path without extension (default: DIR/<kind>)");
  plot->add_option("--by", plot_by, "one curve / point per value of this grid key")->capture_default_str();
  plot->add_option("--select", plot_select, "per curve, the best value of this key (by final loss)")->capture_default_str();
  plot->add_option("--from", plot_from, "first iteration shown (curves)");
  plot->add_flag("--linear", plot_linear, "linear y axis (curves)");
  plot->add_option("--title", plot_title, "figure title");

  rnnlab::BenchOptions bench_options;
  auto* bench = app.add_subcommand("bench", "time training iterations; prints JSON");
  bench->add_option("--rule", bench_options.rule, "learning rule (floss: the Fig. 4 settings of the paper scripts, trials = 8)")->capture_default_str();
  bench->add_option("--hidden", bench_options.hidden, "hidden units N")->capture_default_str()->check(whole_number(1));
  bench->add_option("--batch", bench_options.batch, "trials per batch B")->capture_default_str()->check(whole_number(1));
  bench->add_option("--steps", bench_options.steps, "time steps T")->capture_default_str()->check(whole_number(1));
  bench->add_option("--iterations", bench_options.iterations, "timed iterations")->capture_default_str()->check(whole_number(1));
  bench->add_option("--set", bench_options.set, "rule parameter NAME=VALUE (repeatable), over the defaults")
      ->allow_extra_args(false);
  bench->add_option("--threads", bench_options.threads, "threads of the training passes")
      ->capture_default_str()
      ->check(whole_number(1));
  bench->add_option("--precision", bench_options.precision, "arithmetic of the training passes")
      ->capture_default_str()
      ->check(CLI::IsMember({"single", "double"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // No command: the help, as an error (exit 2).
    if (argc == 1) {
      std::cerr << "rnnlab: a command is required\n\n" << app.help();
      return 2;
    }
    std::string message = e.what();
    const std::string first = argv[1];
    std::vector<std::string> commands;
    for (const auto* command : app.get_subcommands([](const CLI::App*) { return true; }))
      commands.push_back(command->get_name());
    if (!first.empty() && first[0] != '-' && std::find(commands.begin(), commands.end(), first) == commands.end())
      message = "unknown command '" + first + "'; available: " + rnnlab::join(commands);
    if (first == "run") {
      // A script named like an option ("-s.lua") is read as one.
      for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") break;
        if (arg.size() > 4 && arg[0] == '-' && arg.compare(arg.size() - 4, 4, ".lua") == 0) {
          message = "'" + arg + "' reads as an option, not a script; write ./" + arg + " (or put -- before it)";
          break;
        }
      }
    }
    std::cerr << "rnnlab: " << message << "\nrun 'rnnlab --help' for usage\n";
    return 2;
  }

  try {
    // The file alone: not RNNLAB_PLUGIN_PATH.
    if (*check) return rnnlab::run_check(exe, check_options);
    rnnlab::Registry registry;
    registry.load_default(rnnlab::builtin_plugin_dir(exe));
    if (*run) {
      for (const auto& s : sets) {
        const auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0) {
          std::cerr << "rnnlab: --set expects key=value, got '" << s << "'\n";
          return 2;
        }
        script.args.emplace_back(s.substr(0, eq), s.substr(eq + 1));
      }
      if (const auto n = registry.failures().size())
        std::cerr << "rnnlab: warning: " << n << " plugin file" << (n > 1 ? "s" : "")
                  << " failed to load (see 'rnnlab plugins')\n";
      if (shard_option->count() > 0) {
        int k = 0, n = 0;
        char extra = 0;
        if (std::sscanf(shard.c_str(), "%d/%d%c", &k, &n, &extra) != 2 || n < 1 || k < 1 || k > n) {
          std::cerr << "rnnlab: --shard expects K/N with 1 <= K <= N, got '" << shard << "'\n";
          return 2;
        }
        script.shard_index = k - 1;
        script.shard_count = n;
      }
      script.share_dir = rnnlab::default_share_dir(exe);
      // Training runs are thousands of small products, where BLAS threads
      // cost more than they give; OPENBLAS_NUM_THREADS still overrides.
      if (!std::getenv("OPENBLAS_NUM_THREADS")) rnnlab::set_blas_threads(1);
      // rnnlab's own products (and the work fused into them) run on
      // --threads threads, split so that results do not depend on the count.
      rnnlab::parallel::set_threads(run_threads);
#ifdef RNNLAB_HAVE_MPI
      // Under mpirun every lab.sweep splits its runs over the ranks; rank 0
      // alone shows progress.
      rnnlab::sweep::MpiSession mpi;
      if (mpi.rank() > 0) script.quiet = true;
      return mpi.finish(rnnlab::run_script(registry, script));
#else
      return rnnlab::run_script(registry, script);
#endif
    }
    if (*plugins) return list_plugins(registry);
    if (*plot) {
      const std::string out = plot_out.empty() ? plot_dir + "/" + plot_kind : plot_out;
      std::string png;
      if (plot_kind == "curves") {
        curves_options.sweep = plot_dir;
        curves_options.out = out;
        curves_options.by = plot_by;
        curves_options.select = plot_select;
        curves_options.from = plot_from;
        curves_options.log_y = !plot_linear;
        curves_options.title = plot_title;
        png = rnnlab::plot_curves(curves_options);
      } else {
        rnnlab::LyapunovPlotOptions o;
        o.sweep = plot_dir;
        o.out = out;
        o.by = plot_by;
        o.select = plot_select;
        o.title = plot_title;
        png = rnnlab::plot_lyapunov(o);
      }
      std::cout << "wrote " << png << " (and .svg, .csv)\n";
      return 0;
    }
    if (*merge) {
      const std::vector<std::string> sources(merge_dirs.begin() + 1, merge_dirs.end());
      const std::size_t copied = rnnlab::merge_sweeps(merge_dirs.front(), sources.empty() ? merge_dirs : sources);
      std::cout << "merged " << copied << " runs into " << merge_dirs.front() << " (runs.csv, summary.csv rebuilt)\n";
      return 0;
    }
    if (*help) return show_help(registry, help_name);
    if (*bench) return rnnlab::run_bench(registry, bench_options);
  } catch (const std::exception& e) {
    std::cerr << "rnnlab: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
