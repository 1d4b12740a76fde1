#include "rnnlab/io.hpp"

#include <functional>
#include <mutex>

#include "hdf5_file.hpp"
#include "rnnlab/error.hpp"

namespace rnnlab {
namespace {

using Dims = std::vector<hsize_t>;

// Armadillo matrices are column-major; the files hold C-order (rows, cols)
// arrays, i.e. the memory of the transpose.
void write_matrix(h5::File& f, const std::string& name, const arma::mat& m) {
  const arma::mat t = m.t();
  f.write(name, {m.n_rows, m.n_cols}, t.memptr());
}
void write_vector(h5::File& f, const std::string& name, const arma::vec& v) {
  f.write(name, {v.n_elem}, v.memptr());
}

void read_matrix(const h5::File& f, const std::string& name, arma::mat& into) {
  Dims dims;
  const auto data = f.read(name, dims);
  if (dims.size() != 2 || dims[0] != into.n_rows || dims[1] != into.n_cols)
    throw IoError("'" + f.path() + "': dataset '" + name + "' has the wrong shape (expected (" +
                  std::to_string(into.n_rows) + ", " + std::to_string(into.n_cols) + "))");
  into = arma::mat(const_cast<double*>(data.data()), into.n_cols, into.n_rows, false, true).t();
}
void read_vector(const h5::File& f, const std::string& name, arma::vec& into) {
  Dims dims;
  const auto data = f.read(name, dims);
  if (dims.size() != 1 || dims[0] != into.n_elem)
    throw IoError("'" + f.path() + "': dataset '" + name + "' has the wrong shape (expected (" +
                  std::to_string(into.n_elem) + ",))");
  std::copy(data.begin(), data.end(), into.begin());
}

std::size_t dim_of(const h5::File& f, const std::string& name, std::size_t axis, std::size_t rank) {
  Dims dims;
  f.read(name, dims);
  if (dims.size() != rank)
    throw IoError("'" + f.path() + "': dataset '" + name + "' should have " + std::to_string(rank) + " dimensions");
  return dims[axis];
}

void expect_kind(const h5::File& f, const std::string& kind, const std::string& key_dataset) {
  if (f.has_attr("kind")) {
    const std::string found = f.attr_text("kind");
    if (found != kind) throw IoError("'" + f.path() + "' is a " + found + " file, not a " + kind + " file");
  } else if (!f.has(key_dataset)) {
    throw IoError("'" + f.path() + "' is not an rnnlab " + kind + " file (no dataset '" + key_dataset + "')");
  }
}

void write_blocks(h5::File& f, const ParameterBlocks& p, const std::string& prefix) {
  write_matrix(f, prefix + "W_h", p.W_h);
  write_matrix(f, prefix + "W_x", p.W_x);
  write_matrix(f, prefix + "W_out", p.W_out);
  if (p.shape().bias) {
    write_vector(f, prefix + "b", p.b);
    write_vector(f, prefix + "b_out", p.b_out);
  }
}

}  // namespace

std::recursive_mutex& hdf5_mutex() {
  static std::recursive_mutex m;
  return m;
}

void save_network(const std::string& path, const Network& net) {
  save_network_with(path, net, [](h5::File&) {});
}

void save_network_with(const std::string& path, const Network& net, const std::function<void(h5::File&)>& extra) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  h5::write_atomically(path, [&](h5::File& f) {
    const auto& c = net.config();
    f.set_attr("kind", std::string("network"));
    f.set_attr("alpha", c.alpha);
    f.set_attr("gain", c.gain);
    f.set_attr("seed", static_cast<std::int64_t>(c.seed));
    f.set_attr("activation", std::string(to_string(c.activation)));
    f.set_attr("precision", std::string(to_string(c.precision)));
    write_blocks(f, net.params(), "");
    extra(f);
  });
}

Network load_network(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const h5::File f = h5::File::open(path, "network");
  expect_kind(f, "network", "W_h");
  NetworkConfig c;
  c.shape.hidden = dim_of(f, "W_h", 0, 2);
  c.shape.inputs = dim_of(f, "W_x", 1, 2);
  c.shape.outputs = dim_of(f, "W_out", 0, 2);
  c.shape.bias = f.has("b");
  c.alpha = f.attr_number("alpha");
  c.gain = f.attr_number("gain");
  c.seed = static_cast<std::uint64_t>(f.attr_number("seed"));
  c.activation = activation_from_string(f.attr_text("activation"));
  // Files written before the attribute existed were trained in double.
  c.precision = f.has_attr("precision") ? precision_from_string(f.attr_text("precision")) : Precision::Double;
  if (!(c.alpha >= 0 && c.alpha < 1)) throw IoError("'" + path + "': attribute alpha is out of range [0, 1)");
  ParameterBlocks p(c.shape);
  read_matrix(f, "W_h", p.W_h);
  read_matrix(f, "W_x", p.W_x);
  read_matrix(f, "W_out", p.W_out);
  if (c.shape.bias) {
    read_vector(f, "b", p.b);
    read_vector(f, "b_out", p.b_out);
  }
  return Network(c, std::move(p));
}

void save_batch(const std::string& path, const Batch& batch) {
  batch.validate();
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  h5::write_atomically(path, [&](h5::File& f) {
    const hsize_t T = batch.steps(), B = batch.size();
    // A cube (dim × B × T) in column-major memory is the C array (T, B, dim).
    f.set_attr("kind", std::string("batch"));
    f.write("x", {T, B, batch.inputs()}, batch.x.memptr());
    f.write("y", {T, B, batch.outputs()}, batch.y.memptr());
    f.write("mask", {T, B}, batch.mask.memptr());
    if (!batch.truth.empty()) {
      std::vector<std::int64_t> truth(batch.truth.begin(), batch.truth.end());
      f.write("truth", {truth.size()}, truth.data());
    }
    if (!batch.decision.is_empty()) f.write("decision", {T, B}, batch.decision.memptr());
    f.set_attr("dt", batch.dt);
    f.set_attr("task", batch.task);
    f.set_attr("loss", std::string(to_string(batch.loss)));
  });
}

Batch load_batch(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const h5::File f = h5::File::open(path, "batch");
  expect_kind(f, "batch", "x");
  Batch b;
  Dims dx, dy, dm;
  const auto x = f.read("x", dx);
  const auto y = f.read("y", dy);
  const auto mask = f.read("mask", dm);
  if (dx.size() != 3 || dy.size() != 3 || dm.size() != 2 || dy[0] != dx[0] || dy[1] != dx[1] ||
      dm[0] != dx[0] || dm[1] != dx[1])
    throw IoError("'" + path + "': x (T,B,Nin), y (T,B,Nout) and mask (T,B) shapes do not agree");
  b.x = arma::cube(x.data(), dx[2], dx[1], dx[0]);
  b.y = arma::cube(y.data(), dy[2], dy[1], dy[0]);
  b.mask = arma::mat(mask.data(), dm[1], dm[0]);
  b.dt = f.has_attr("dt") ? f.attr_number("dt") : 0.0;
  b.task = f.has_attr("task") ? f.attr_text("task") : std::string();
  b.loss = f.has_attr("loss") ? loss_from_string(f.attr_text("loss")) : LossKind::MSE;
  if (f.has("truth")) {
    Dims dt;
    const auto truth = f.read_int("truth", dt);
    b.truth.assign(truth.begin(), truth.end());
  }
  if (f.has("decision")) {
    Dims dd;
    const auto decision = f.read("decision", dd);
    if (dd.size() != 2 || dd[0] != dx[0] || dd[1] != dx[1])
      throw IoError("'" + path + "': decision should have shape (T, B) like mask");
    b.decision = arma::mat(decision.data(), dd[1], dd[0]);
  }
  b.validate();
  return b;
}

void save_gradient(const std::string& path, const Gradient& grad, const Shape& shape) {
  if (!(grad.params.shape() == shape)) throw Error("gradient does not match the network's shape");
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  h5::write_atomically(path, [&](h5::File& f) {
    f.set_attr("kind", std::string("gradient"));
    f.set_attr("loss", grad.loss);
    f.set_attr("rule", grad.rule);
    write_blocks(f, grad.params, "d");
  });
}

}  // namespace rnnlab
