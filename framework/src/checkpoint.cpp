#include "checkpoint.hpp"

#include <cmath>
#include <filesystem>

#include "hdf5_file.hpp"
#include "rnnlab/sdk/error.hpp"

namespace rnnlab::checkpoint {
namespace {

constexpr const char* kKind = "checkpoint";
constexpr std::int64_t kFormat = 1;

void write_vector(h5::File& f, const std::string& name, const std::vector<double>& v) {
  f.write(name, {v.size()}, v.data());
}

// A (rows, cols) C-order dataset, as write_matrix stores it (bit-exact).
arma::mat read_matrix(const h5::File& f, const std::string& name) {
  std::vector<hsize_t> dims;
  const std::vector<double> data = f.read(name, dims);
  if (dims.size() != 2) throw IoError("'" + f.path() + "': dataset '" + name + "' is not 2-D");
  arma::mat t(dims[1], dims[0]);  // C order is the column-major memory of the transpose
  std::copy(data.begin(), data.end(), t.begin());
  return t.t();
}

void write_state(h5::File& f, const std::string& prefix, const LearningState& state) {
  f.set_attr(prefix + "_entries", static_cast<std::int64_t>(state.size()));
  for (std::size_t i = 0; i < state.size(); ++i) {
    f.set_attr(prefix + "_name_" + std::to_string(i), state[i].first);
    write_matrix(f, prefix + "_" + std::to_string(i), state[i].second);
  }
}

LearningState read_state(const h5::File& f, const std::string& prefix) {
  LearningState state;
  const auto n = f.attr_count(prefix + "_entries");
  for (std::int64_t i = 0; i < n; ++i)
    state.emplace_back(f.attr_text(prefix + "_name_" + std::to_string(i)), read_matrix(f, prefix + "_" + std::to_string(i)));
  return state;
}

std::vector<double> read_vector(const h5::File& f, const std::string& name) {
  std::vector<hsize_t> dims;
  std::vector<double> v = f.read(name, dims);
  if (dims.size() != 1) throw IoError("'" + f.path() + "': dataset '" + name + "' is not 1-D");
  return v;
}

// Monitor logs: <prefix>s = count; per log j: name, keys, and the
// datasets <prefix>_phase_j, <prefix>_iteration_j (n,) and <prefix>_values_j (n, keys).
void write_monitors(h5::File& f, const std::string& prefix, const std::vector<MonitorLog>& logs) {
  f.set_attr(prefix + "s", static_cast<std::int64_t>(logs.size()));
  for (std::size_t j = 0; j < logs.size(); ++j) {
    const MonitorLog& log = logs[j];
    std::string at = "_";
    at += std::to_string(j);
    f.set_attr(prefix + "_name" + at, log.name);
    f.set_attr(prefix + "_keys" + at, static_cast<std::int64_t>(log.keys.size()));
    for (std::size_t k = 0; k < log.keys.size(); ++k) f.set_attr(prefix + "_key" + at + "_" + std::to_string(k), log.keys[k]);
    std::vector<std::int64_t> phases(log.phases.begin(), log.phases.end()), iterations(log.iterations.begin(), log.iterations.end());
    f.write(prefix + "_phase" + at, {phases.size()}, phases.data());
    f.write(prefix + "_iteration" + at, {iterations.size()}, iterations.data());
    arma::mat values(log.iterations.size(), log.keys.size());
    for (std::size_t i = 0; i < log.iterations.size(); ++i)
      for (std::size_t k = 0; k < log.keys.size(); ++k) values(i, k) = log.values[i][k];
    write_matrix(f, prefix + "_values" + at, values);
  }
}

std::vector<MonitorLog> read_monitors(const h5::File& f, const std::string& prefix) {
  std::vector<MonitorLog> logs;
  if (!f.has_attr(prefix + "s")) return logs;  // written before monitors existed
  std::vector<hsize_t> dims;
  for (std::int64_t j = 0; j < f.attr_count(prefix + "s"); ++j) {
    std::string at = "_";
    at += std::to_string(j);
    MonitorLog log;
    log.name = f.attr_text(prefix + "_name" + at);
    for (std::int64_t k = 0; k < f.attr_count(prefix + "_keys" + at); ++k)
      log.keys.push_back(f.attr_text(prefix + "_key" + at + "_" + std::to_string(k)));
    for (auto v : f.read_int(prefix + "_phase" + at, dims)) log.phases.push_back(static_cast<std::size_t>(v));
    for (auto v : f.read_int(prefix + "_iteration" + at, dims)) log.iterations.push_back(static_cast<std::size_t>(v));
    const arma::mat values = read_matrix(f, prefix + "_values" + at);
    if (log.phases.size() != log.iterations.size() || values.n_rows != log.iterations.size() ||
        values.n_cols != log.keys.size())
      throw IoError("'" + f.path() + "': the datasets of monitor '" + log.name + "' do not agree in shape");
    for (std::size_t i = 0; i < values.n_rows; ++i) {
      log.values.emplace_back(values.n_cols);
      for (std::size_t k = 0; k < values.n_cols; ++k) log.values.back()[k] = values(i, k);
    }
    logs.push_back(std::move(log));
  }
  return logs;
}

}  // namespace

void write(const std::string& path, const Data& d) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  h5::write_atomically(path, [&](h5::File& f) {
    f.set_attr("kind", std::string(kKind));
    f.set_attr("format", kFormat);
    f.set_attr("identity", d.identity);
    f.set_attr("phase", static_cast<std::int64_t>(d.phase));
    f.set_attr("done", static_cast<std::int64_t>(d.state.done));
    f.set_attr("final_loss", d.final_loss);
    rnnlab::write_vector(f, "theta", d.state.theta);
    rnnlab::write_vector(f, "initial_theta", d.initial);
    write_state(f, "optimizer", d.state.optimizer);
    write_state(f, "rule", d.state.rule);
    std::vector<std::int64_t> it;
    std::vector<double> loss;
    for (const auto& [i, l] : d.state.losses) {
      it.push_back(static_cast<std::int64_t>(i));
      loss.push_back(l);
    }
    f.write("losses_iteration", {it.size()}, it.data());
    write_vector(f, "losses_loss", loss);
    std::vector<std::int64_t> cphase, cit;
    std::vector<double> closs;
    for (const auto& [p, i, l] : d.curve) {
      cphase.push_back(static_cast<std::int64_t>(p));
      cit.push_back(static_cast<std::int64_t>(i));
      closs.push_back(l);
    }
    f.write("curve_phase", {cphase.size()}, cphase.data());
    f.write("curve_iteration", {cit.size()}, cit.data());
    write_vector(f, "curve_loss", closs);
    f.set_attr("scalars", static_cast<std::int64_t>(d.scalars.size()));
    std::size_t k = 0;
    for (const auto& [name, v] : d.scalars) {
      f.set_attr("scalar_name_" + std::to_string(k), name);
      f.set_attr("scalar_" + std::to_string(k++), v);
    }
    f.set_attr("arrays", static_cast<std::int64_t>(d.arrays.size()));
    k = 0;
    for (const auto& [name, v] : d.arrays) {
      f.set_attr("array_name_" + std::to_string(k), name);
      write_vector(f, "array_" + std::to_string(k++), v);
    }
    write_monitors(f, "monitor", d.state.monitors);
    write_monitors(f, "earlier_monitor", d.monitors);
  });
}

std::optional<Data> read(const std::string& path, const std::string& identity) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const std::string restart = "; delete it to start the run from the beginning";
  try {
    const h5::File f = h5::File::open(path, "checkpoint");
    if (!f.has_attr("kind") || f.attr_text("kind") != kKind) throw IoError("'" + path + "' is not an rnnlab checkpoint");
    if (f.attr_count("format") != kFormat)
      throw IoError("'" + path + "' is a checkpoint of format " + std::to_string(f.attr_count("format")) +
                    ", this rnnlab reads format " + std::to_string(kFormat));
    Data d;
    d.identity = f.attr_text("identity");
    if (d.identity != identity)
      throw IoError("'" + path + "' is a checkpoint of another run (" + d.identity + ", expected " + identity + ")");
    d.phase = static_cast<std::size_t>(f.attr_count("phase"));
    d.state.done = static_cast<std::size_t>(f.attr_count("done"));
    d.final_loss = f.attr_number("final_loss");
    d.state.theta = arma::vec(read_vector(f, "theta"));
    d.initial = arma::vec(read_vector(f, "initial_theta"));
    if (!d.state.theta.is_finite() || !d.initial.is_finite()) throw IoError("'" + path + "' holds NaN or Inf weights");
    d.state.optimizer = read_state(f, "optimizer");
    d.state.rule = read_state(f, "rule");
    std::vector<hsize_t> dims;
    const auto it = f.read_int("losses_iteration", dims);
    const auto loss = read_vector(f, "losses_loss");
    if (it.size() != loss.size()) throw IoError("'" + path + "': losses_iteration and losses_loss differ in length");
    for (std::size_t i = 0; i < it.size(); ++i) d.state.losses.emplace_back(static_cast<std::size_t>(it[i]), loss[i]);
    const auto cphase = f.read_int("curve_phase", dims);
    const auto cit = f.read_int("curve_iteration", dims);
    const auto closs = read_vector(f, "curve_loss");
    if (cphase.size() != cit.size() || cit.size() != closs.size())
      throw IoError("'" + path + "': the curve datasets differ in length");
    for (std::size_t i = 0; i < cit.size(); ++i)
      d.curve.emplace_back(static_cast<std::size_t>(cphase[i]), static_cast<std::size_t>(cit[i]), closs[i]);
    for (std::int64_t k = 0; k < f.attr_count("scalars"); ++k)
      d.scalars[f.attr_text("scalar_name_" + std::to_string(k))] = f.attr_number("scalar_" + std::to_string(k));
    for (std::int64_t k = 0; k < f.attr_count("arrays"); ++k)
      d.arrays[f.attr_text("array_name_" + std::to_string(k))] = read_vector(f, "array_" + std::to_string(k));
    d.state.monitors = read_monitors(f, "monitor");
    d.monitors = read_monitors(f, "earlier_monitor");
    return d;
  } catch (const IoError& e) {
    throw IoError(std::string(e.what()) + restart);
  }
}

}  // namespace rnnlab::checkpoint
