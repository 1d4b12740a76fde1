// The figures of the paper from sweep results: loss curves with the best
// learning rate per gain, and the max Lyapunov exponent before and after.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../number_text.hpp"
#include "../sweep/record.hpp"
#include "rnnlab/sdk/error.hpp"
#include "gnuplot.hpp"
#include "rnnlab/app/plot.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;

std::string text_of(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return number_text(v.get<double>());
  return v.dump();  // whole numbers as they are, true / false
}

// Numeric order when both are numbers, text order otherwise.
bool value_less(const std::string& a, const std::string& b) {
  char* ea = nullptr;
  char* eb = nullptr;
  const double da = std::strtod(a.c_str(), &ea), db = std::strtod(b.c_str(), &eb);
  if (*ea == 0 && *eb == 0 && !a.empty() && !b.empty()) return da < db;
  return a < b;
}

struct Stats {
  double mean = 0, std = 0;
  std::size_t n = 0;
};

Stats stats(const std::vector<double>& xs) {
  Stats s;
  s.n = xs.size();
  if (xs.empty()) return s;
  for (double x : xs) s.mean += x;
  s.mean /= static_cast<double>(s.n);
  for (double x : xs) s.std += (x - s.mean) * (x - s.mean);
  s.std = s.n > 1 ? std::sqrt(s.std / static_cast<double>(s.n - 1)) : 0.0;  // sample std
  return s;
}

std::vector<std::string> values_of(const std::vector<RunResult>& runs, const std::string& key) {
  std::set<std::string> seen;
  for (const auto& r : runs) {
    auto it = r.grid.find(key);
    if (it == r.grid.end())
      throw Error("the sweep has no grid key '" + key + "' (choose another 'by' or 'select')");
    seen.insert(it->second);
  }
  std::vector<std::string> out(seen.begin(), seen.end());
  std::sort(out.begin(), out.end(), value_less);
  return out;
}


std::string terminals(const std::string& out, const std::string& plot_commands) {
  std::ostringstream gp;
  gp << "set terminal pngcairo size 900,600 enhanced font ',11'\nset output " << gnuplot_quote(out + ".png") << "\n"
     << plot_commands << "set terminal svg size 900,600 enhanced font ',11'\nset output " << gnuplot_quote(out + ".svg")
     << "\nreplot\nunset output\n";
  return gp.str();
}

}  // namespace

std::vector<RunResult> read_sweep_results(const std::string& out) {
  const sweep::SweepFile sweep = sweep::read_sweep_file(out);
  std::vector<RunResult> runs;
  for (const auto& r : sweep::read_records((fs::path(out) / "runs").string(), sweep)) {
    RunResult run;
    run.id = r["id"].get<std::string>();
    for (const auto& [k, v] : r["grid"].items()) run.grid[k] = text_of(v);
    run.final_loss = r["final_loss"].is_null() ? std::nan("") : r["final_loss"].get<double>();
    run.diverged = r["diverged"].get<bool>();
    for (const auto& p : r["curve"])
      run.curve.emplace_back(p[2].get<std::size_t>(), p[3].is_null() ? std::nan("") : p[3].get<double>());
    for (const auto& [k, v] : r["scalars"].items()) run.scalars[k] = v.is_null() ? std::nan("") : v.get<double>();
    if (r.contains("monitor"))
      for (const auto& [name, m] : r["monitor"].items())
        for (const auto& [key, column] : m["values"].items()) {
          auto& series = run.series[name + "." + key];
          for (std::size_t j = 0; j < column.size() && j < m["iteration"].size(); ++j)
            series.emplace_back(m["iteration"][j].get<std::size_t>(),
                                column[j].is_null() ? std::nan("") : column[j].get<double>());
        }
    runs.push_back(std::move(run));
  }
  if (runs.empty()) throw Error("'" + out + "' has no complete runs yet");
  return runs;
}

std::map<std::string, std::string> best_selection(const std::vector<RunResult>& runs, const std::string& by,
                                                  const std::string& select) {
  std::map<std::string, std::string> best;
  for (const auto& b : values_of(runs, by)) {
    double best_loss = INFINITY;
    const std::vector<std::string> choices = select.empty() ? std::vector<std::string>{""} : values_of(runs, select);
    for (const auto& s : choices) {
      std::vector<double> losses;
      for (const auto& r : runs)
        if (r.grid.at(by) == b && (select.empty() || r.grid.at(select) == s) && !r.diverged &&
            std::isfinite(r.final_loss))
          losses.push_back(r.final_loss);
      if (losses.empty()) continue;
      const double mean = stats(losses).mean;
      if (mean < best_loss) {
        best_loss = mean;
        best[b] = s;
      }
    }
  }
  return best;
}

std::string plot_curves(const CurvesOptions& o) {
  auto runs = read_sweep_results(o.sweep);
  if (o.value != "loss") {
    // Plot a monitored number: it takes the place of the loss curve (the
    // learning rate is still chosen by final loss).
    for (auto& r : runs) {
      const auto it = r.series.find(o.value);
      if (it == r.series.end()) {
        std::string monitored;
        for (const auto& [name, values] : r.series) monitored += (monitored.empty() ? "" : ", ") + name;
        throw Error("value '" + o.value + "' was not monitored in '" + o.sweep + "' (run " + r.id + " has: " +
                    (monitored.empty() ? "no monitors" : monitored) + ")");
      }
      r.curve = it->second;
    }
  }
  const std::string select = o.select.empty() || !runs.front().grid.count(o.select) ? "" : o.select;
  // Past the last logged iteration every curve would be empty.
  std::size_t last = 0;
  for (const auto& r : runs)
    if (!r.curve.empty()) last = std::max(last, r.curve.back().first);
  if (o.from > last)
    throw Error("from = " + std::to_string(o.from) + " is past the last iteration of the sweep (" +
                std::to_string(last) + ")");
  const auto best = best_selection(runs, o.by, select);
  const std::string out = prepare_plot_output(o.out);
  std::ostringstream data, csv, commands;
  csv << o.by << (select.empty() ? "" : "," + select) << ",iteration,mean,std,n\n";
  std::vector<std::string> titles;
  std::size_t block = 0;
  double smallest = INFINITY;
  std::vector<std::vector<std::array<double, 3>>> curves;
  for (const auto& b : values_of(runs, o.by)) {
    std::size_t diverged = 0;
    std::vector<const RunResult*> ok;
    for (const auto& r : runs) {
      if (r.grid.at(o.by) != b) continue;
      if (!select.empty() && (!best.count(b) || r.grid.at(select) != best.at(b))) continue;
      if (r.diverged) ++diverged;
      else ok.push_back(&r);
    }
    std::string title = o.by + " " + b;
    if (!select.empty() && best.count(b)) title += ", " + select + " " + best.at(b);
    if (diverged) title += " (" + std::to_string(diverged) + " diverged)";
    if (ok.empty()) continue;
    std::vector<std::array<double, 3>> points;  // iteration, mean, std
    for (std::size_t i = 0; i < ok.front()->curve.size(); ++i) {
      const std::size_t it = ok.front()->curve[i].first;
      if (it < o.from) continue;
      std::vector<double> xs;
      for (const auto* r : ok)
        if (i < r->curve.size() && r->curve[i].first == it) xs.push_back(r->curve[i].second);
      const Stats s = stats(xs);
      points.push_back({static_cast<double>(it), s.mean, s.std});
      smallest = std::min(smallest, s.mean);
      csv << b << (select.empty() ? "" : "," + best.at(b)) << "," << it << "," << number_text(s.mean) << ","
          << number_text(s.std) << "," << s.n << "\n";
    }
    if (points.empty()) continue;  // all of this curve lies before `from`
    titles.push_back(title + " (n=" + std::to_string(ok.size()) + ")");
    curves.push_back(points);
  }
  if (curves.empty()) throw Error("nothing to plot: every run diverged or no iteration is ≥ from");
  // On a log axis the band is clipped at half the smallest mean.
  const double floor = o.log_y ? 0.5 * smallest : -INFINITY;
  for (const auto& points : curves) {
    for (const auto& p : points)
      data << p[0] << " " << p[1] << " " << std::max(p[1] - p[2], floor) << " " << p[1] + p[2] << "\n";
    data << "\n\n";
    ++block;
  }
  {
    std::ofstream f(out + ".dat");
    f << data.str();
    std::ofstream c(out + ".csv");
    c << csv.str();
  }
  commands << "set title " << gnuplot_quote(o.title) << " noenhanced\nset xlabel 'iteration'\nset ylabel "
           << gnuplot_quote(o.value) << " noenhanced\n"
           << (o.log_y ? "set logscale y\n" : "") << "set key outside right noenhanced\nset grid\n"
           << "set style fill transparent solid 0.2 noborder\nplot ";
  for (std::size_t i = 0; i < curves.size(); ++i)
    commands << (i ? ", " : "") << gnuplot_quote(out + ".dat") << " index " << i
             << " using 1:3:4 with filledcurves lc " << i + 1 << " notitle, " << gnuplot_quote(out + ".dat") << " index "
             << i << " using 1:2 with lines lw 2 lc " << i + 1 << " title " << gnuplot_quote(titles[i]) << " noenhanced";
  if (std::isfinite(o.level))
    commands << ", " << number_text(o.level) << " with lines dt 2 lw 2 lc rgb 'black' title "
             << gnuplot_quote(o.level_title.empty() ? "level " + number_text(o.level) : o.level_title) << " noenhanced";
  commands << "\n";
  run_gnuplot(terminals(out, commands.str()), out + ".gp");
  return o.out + ".png";
}

std::string plot_lyapunov(const LyapunovPlotOptions& o) {
  const auto runs = read_sweep_results(o.sweep);
  const std::string select = o.select.empty() || !runs.front().grid.count(o.select) ? "" : o.select;
  const auto best = best_selection(runs, o.by, select);
  const std::string out = prepare_plot_output(o.out);
  std::ofstream data(out + ".dat");
  std::ofstream csv(out + ".csv");
  csv << o.by << ",before_mean,before_std,after_mean,after_std,n_before,n_after\n";
  std::size_t rows = 0;
  for (const auto& b : values_of(runs, o.by)) {
    std::vector<double> before, after;
    for (const auto& r : runs) {
      if (r.grid.at(o.by) != b) continue;
      if (!select.empty() && (!best.count(b) || r.grid.at(select) != best.at(b))) continue;
      if (auto it = r.scalars.find(o.before); it != r.scalars.end() && std::isfinite(it->second))
        before.push_back(it->second);
      if (auto it = r.scalars.find(o.after); !r.diverged && it != r.scalars.end() && std::isfinite(it->second))
        after.push_back(it->second);
    }
    if (before.empty() && after.empty()) continue;
    const Stats sb = stats(before), sa = stats(after);
    data << b << " " << sb.mean << " " << sb.std << " " << sa.mean << " " << sa.std << "\n";
    csv << b << "," << number_text(sb.mean) << "," << number_text(sb.std) << "," << number_text(sa.mean) << ","
        << number_text(sa.std) << "," << sb.n << "," << sa.n << "\n";
    ++rows;
  }
  data.close();
  if (rows == 0)
    throw Error("no values of '" + o.before + "' or '" + o.after + "' in the sweep (add analyses = { before = { \"lyapunov\" }, after = { \"lyapunov\" } })");
  std::ostringstream commands;
  commands << "set title " << gnuplot_quote(o.title) << " noenhanced\nset xlabel " << gnuplot_quote(o.by)
           << " noenhanced\nset ylabel 'max Lyapunov exponent (per step)'\nset key top left\nset grid\n"
           << "set xzeroaxis lt -1\nset offsets graph 0.05, graph 0.05, 0, 0\nplot "
           << gnuplot_quote(out + ".dat") << " using 1:2:3 with yerrorlines lw 2 pt 7 title 'before training', "
           << gnuplot_quote(out + ".dat") << " using 1:4:5 with yerrorlines lw 2 pt 5 title 'after training'\n";
  run_gnuplot(terminals(out, commands.str()), out + ".gp");
  return o.out + ".png";
}

}  // namespace rnnlab
