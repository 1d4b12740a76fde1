// One trial of a task: inputs, targets and the network's outputs.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/error.hpp"
#include "gnuplot.hpp"
#include "rnnlab/app/plot.hpp"

namespace rnnlab {

std::string plot_trial(const Batch& batch, const Network* net, std::size_t trial, const std::string& out,
                       const std::string& title) {
  batch.validate();
  if (trial >= batch.size())
    throw Error("trial " + std::to_string(trial + 1) + " does not exist; the batch has " +
                std::to_string(batch.size()));
  arma::mat outputs;  // Nout × T
  if (net) {
    check_compatible(*net, batch);
    Trajectory traj;
    forward(*net, batch.x, traj);
    outputs.set_size(batch.outputs(), batch.steps());
    for (arma::uword t = 0; t < batch.steps(); ++t) outputs.col(t) = traj.yhat.slice(t).col(trial);
    if (batch.loss == LossKind::CrossEntropy)  // show probabilities, not logits
      for (arma::uword t = 0; t < batch.steps(); ++t) {
        arma::vec z = outputs.col(t);
        z = arma::exp(z - z.max());
        outputs.col(t) = z / arma::accu(z);
      }
  }
  const std::string path = prepare_plot_output(out);
  const double dt = batch.dt > 0 ? batch.dt : 1.0;
  {
    std::ofstream f(path + ".dat");
    for (arma::uword t = 0; t < batch.steps(); ++t) {
      f << t * dt;
      for (arma::uword k = 0; k < batch.inputs(); ++k) f << " " << batch.x(k, trial, t);
      for (arma::uword k = 0; k < batch.outputs(); ++k) f << " " << batch.y(k, trial, t);
      for (arma::uword k = 0; k < batch.outputs(); ++k) f << " " << (net ? outputs(k, t) : 0.0);
      f << " " << batch.mask(trial, t) << "\n";
    }
    if (!f) throw IoError("cannot write '" + out + ".dat'");
  }
  const std::string file = gnuplot_quote(path + ".dat");
  const std::size_t nin = batch.inputs(), nout = batch.outputs();
  std::ostringstream p;
  p << "set multiplot layout 2,1 title " << gnuplot_quote(title) << " noenhanced\nset grid\nset key outside right\n"
    << "set lmargin at screen 0.1\nset rmargin at screen 0.78\n"
    << "set ylabel 'input'\nplot ";
  for (std::size_t k = 0; k < nin; ++k)
    p << (k ? ", " : "") << file << " using 1:" << 2 + k << " with steps lw 2 title 'x" << k << "'";
  p << "\nset xlabel 'time (ms)'\nset ylabel '"
    << (batch.loss == LossKind::CrossEntropy ? "target / p(action)" : "target / output") << "'\nplot ";
  for (std::size_t k = 0; k < nout; ++k) {
    p << (k ? ", " : "") << file << " using 1:" << 2 + nin + k << " with steps lw 2 lc " << k + 1 << " title 'y" << k
      << "'";
    if (net)
      p << ", " << file << " using 1:" << 2 + nin + nout + k << " with lines dt 2 lw 2 lc " << k + 1 << " title 'ŷ"
        << k << "'";
  }
  p << ", " << file << " using 1:($" << 2 + nin + 2 * nout << "*0.1) with steps lc 'gray' title 'mask (×0.1)'\n"
    << "unset multiplot\n";
  const std::string body = p.str();
  std::ostringstream gp;
  gp << "set terminal pngcairo size 900,650 enhanced font ',11'\nset output " << gnuplot_quote(path + ".png") << "\n"
     << body << "set terminal svg size 900,650 enhanced font ',11'\nset output " << gnuplot_quote(path + ".svg")
     << "\n" << body
     << "unset output\n";
  run_gnuplot(gp.str(), path + ".gp");
  return out + ".png";
}

}  // namespace rnnlab
