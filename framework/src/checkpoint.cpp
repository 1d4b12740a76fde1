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
    return d;
  } catch (const IoError& e) {
    throw IoError(std::string(e.what()) + restart);
  }
}

}  // namespace rnnlab::checkpoint
