#pragma once
// Figures through gnuplot (PNG and SVG), from sweep results or a task.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/network.hpp"
#include "rnnlab/sdk/plugin.hpp"

namespace rnnlab {

/// One complete run as the figures see it.
struct RunResult {
  std::string id;                           ///< run id: its files are runs/<id>.json, .h5
  std::map<std::string, std::string> grid;  ///< grid key → value as text
  double final_loss = 0;
  bool diverged = false;
  std::vector<std::pair<std::size_t, double>> curve;  ///< (iteration, loss)
  /// What the monitors recorded: "<analysis>.<number>" → (iteration, value).
  std::map<std::string, std::vector<std::pair<std::size_t, double>>> series;
  std::map<std::string, double> scalars;
};

/// Reads every complete run of a sweep output directory.
RNNLAB_EXPORT std::vector<RunResult> read_sweep_results(const std::string& out);

/// For each value of `by`, the value of `select` whose runs (non-diverged,
/// any other key varying, e.g. seeds) have the lowest mean final loss.
/// Groups whose runs all diverged are left out. `select` empty: "".
RNNLAB_EXPORT std::map<std::string, std::string> best_selection(const std::vector<RunResult>& runs, const std::string& by,
                                                                const std::string& select);

struct CurvesOptions {
  std::string sweep;           ///< sweep output directory
  std::string out;             ///< image path without extension (writes .png, .svg, .csv)
  std::string by = "gain";     ///< one curve per value of this grid key
  std::string select = "lr";   ///< per curve, the best value of this key ("" = none)
  std::size_t from = 0;        ///< first iteration shown
  bool log_y = true;
  std::string title;
  /// "loss", or a monitored number "<analysis>.<number>" (e.g.
  /// "accuracy.accuracy"); the learning rate is chosen by final loss either way.
  std::string value = "loss";
  /// A horizontal reference line (e.g. the task's constant-answer loss);
  /// NaN: none.
  double level = std::nan("");
  std::string level_title;
};

/// Loss curves, mean ± std across the remaining keys (seeds), one curve per
/// `by` value at its best `select` value; diverged runs are excluded from
/// the means and counted in the legend. Returns the PNG path.
RNNLAB_EXPORT std::string plot_curves(const CurvesOptions& options);

struct LyapunovPlotOptions {
  std::string sweep, out;
  std::string by = "gain", select = "lr";
  std::string before = "lyapunov_max_before", after = "lyapunov_max_after";
  std::string title;
};

/// Max Lyapunov exponent before and after training against `by`, mean ±
/// std across seeds, at the best `select` value. Returns the PNG path.
RNNLAB_EXPORT std::string plot_lyapunov(const LyapunovPlotOptions& options);

/// One trial of a batch: inputs, targets and (if net is given) outputs
/// against time in ms. Returns the PNG path.
RNNLAB_EXPORT std::string plot_trial(const Batch& batch, const Network* net, std::size_t trial, const std::string& out,
                                     const std::string& title);

/// Trajectories and fixed points on the first two principal components of
/// the states, from the results of the `fixed_points` analysis (keys
/// trajectory_pc1, trajectory_pc2, trajectory_steps, pc1, pc2, stable,
/// pc_explained_variance_ratio): stable points filled, unstable ones open.
/// Writes <out>.png, .svg and .csv; returns the PNG path.
RNNLAB_EXPORT std::string plot_fixed_points(const AnalysisResult& result, const std::string& out, const std::string& title);

}  // namespace rnnlab
