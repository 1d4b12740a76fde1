// Trajectories and fixed points on the first two principal components of
// the states, from the results of the `fixed_points` analysis.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "../number_text.hpp"
#include "gnuplot.hpp"
#include "rnnlab/app/plot.hpp"
#include "rnnlab/sdk/error.hpp"

namespace rnnlab {
namespace {

const std::vector<double>& array(const AnalysisResult& r, const std::string& key) {
  for (const auto& [k, v] : r)
    if (k == key) {
      if (auto xs = std::get_if<std::vector<double>>(&v)) return *xs;
      throw Error("lab.plot.fixed_points: '" + key + "' must be an array of numbers");
    }
  // Lua drops empty arrays' type: no points is an empty array.
  static const std::vector<double> none;
  return none;
}

double scalar(const AnalysisResult& r, const std::string& key) {
  for (const auto& [k, v] : r)
    if (k == key) {
      if (auto d = std::get_if<double>(&v)) return *d;
      break;
    }
  throw Error("lab.plot.fixed_points: the result has no number '" + key +
              "' (pass the table returned by lab.analysis(\"fixed_points\", ...):run(...))");
}

}  // namespace

std::string plot_fixed_points(const AnalysisResult& result, const std::string& out_arg, const std::string& title) {
  const auto& t1 = array(result, "trajectory_pc1");
  const auto& t2 = array(result, "trajectory_pc2");
  const auto& p1 = array(result, "pc1");
  const auto& p2 = array(result, "pc2");
  const auto& stable = array(result, "stable");
  const double steps_value = scalar(result, "trajectory_steps");
  if (!(steps_value >= 1) || t1.size() != t2.size() || p1.size() != p2.size() || stable.size() != p1.size())
    throw Error("lab.plot.fixed_points: the arrays of the result do not fit together");
  const auto steps = static_cast<std::size_t>(steps_value);
  if (t1.size() % steps != 0) throw Error("lab.plot.fixed_points: trajectory_pc1 is not whole trajectories");
  const auto ratio = array(result, "pc_explained_variance_ratio");

  const std::string out = prepare_plot_output(out_arg);
  std::ofstream data(out + ".dat"), csv(out + ".csv");
  csv << "kind,index,step,pc1,pc2,stable\n";
  // One block per kind that has data (trajectories, stable points,
  // unstable points), separated by two blank lines; trajectories are
  // lines separated by one blank line. gnuplot refuses empty blocks.
  std::vector<std::string> clauses;
  const std::string file = gnuplot_quote(out + ".dat");
  const auto block = [&](const std::string& style) {
    if (!clauses.empty()) data << "\n\n";
    clauses.push_back(file + " index " + std::to_string(clauses.size()) + " using 1:2 " + style);
  };
  if (!t1.empty()) {
    block("with lines lc rgb '#9090c0' lw 1 title 'trajectories'");
    for (std::size_t i = 0; i < t1.size(); ++i) {
      if (i && i % steps == 0) data << "\n";
      data << t1[i] << " " << t2[i] << "\n";
      csv << "trajectory," << i / steps + 1 << "," << i % steps << "," << number_text(t1[i]) << ","
          << number_text(t2[i]) << ",\n";
    }
  }
  for (double want : {1.0, 0.0}) {
    if (std::find(stable.begin(), stable.end(), want) == stable.end()) continue;
    block(want == 1.0 ? "with points pt 7 ps 2 lc rgb 'black' title 'stable'"
                      : "with points pt 6 ps 2 lw 2 lc rgb '#d62728' title 'unstable'");
    for (std::size_t i = 0; i < p1.size(); ++i)
      if (stable[i] == want) data << p1[i] << " " << p2[i] << "\n";
  }
  if (clauses.empty()) throw Error("lab.plot.fixed_points: nothing to draw (no trajectories and no fixed points)");
  for (std::size_t i = 0; i < p1.size(); ++i)
    csv << "fixed_point," << i + 1 << ",," << number_text(p1[i]) << "," << number_text(p2[i]) << ","
        << (stable[i] == 1.0 ? 1 : 0) << "\n";
  data.close();
  csv.close();
  if (!data || !csv) throw IoError("cannot write '" + out_arg + ".dat' or '.csv'");

  auto axis = [&](std::size_t i) {
    std::ostringstream s;
    s << "PC" << i + 1;
    if (i < ratio.size()) s << " (" << static_cast<int>(100 * ratio[i] + 0.5) << "% of the variance)";
    return s.str();
  };
  std::ostringstream p;
  p << "set title " << gnuplot_quote(title) << " noenhanced\nset xlabel " << gnuplot_quote(axis(0))
    << "\nset ylabel " << gnuplot_quote(axis(1)) << "\nset grid\nset key outside right\nplot ";
  for (std::size_t i = 0; i < clauses.size(); ++i) p << (i ? ", " : "") << clauses[i];
  p << "\n";
  std::ostringstream gp;
  gp << "set terminal pngcairo size 800,650 enhanced font ',11'\nset output " << gnuplot_quote(out + ".png") << "\n"
     << p.str() << "set terminal svg size 800,650 enhanced font ',11'\nset output " << gnuplot_quote(out + ".svg")
     << "\n" << p.str() << "unset output\n";
  run_gnuplot(gp.str(), out + ".gp");
  return out_arg + ".png";
}

}  // namespace rnnlab
