#include "rnnlab/sdk/io.hpp"

#include <cmath>
#include <functional>
#include <mutex>
#include <optional>

#include "hdf5_file.hpp"
#include "number_text.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/params.hpp"

namespace rnnlab {
namespace {

using Dims = std::vector<hsize_t>;


// "(3, 4)", "(5,)".
std::string shape_text(const Dims& dims) {
  std::string out = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
  return out + (dims.size() == 1 ? ",)" : ")");
}

// "[2, 0]" for the C-order element k of an array of shape `dims`.
std::string index_text(std::size_t k, const Dims& dims) {
  std::vector<std::size_t> at(dims.size());
  for (std::size_t a = dims.size(); a-- > 0;) {
    at[a] = k % dims[a];
    k /= dims[a];
  }
  std::string out = "[";
  for (std::size_t a = 0; a < at.size(); ++a) out += (a ? ", " : "") + std::to_string(at[a]);
  return out + "]";
}

// Refuses NaN and Inf, naming the dataset and the first element holding one.
void expect_finite(const h5::File& f, const std::string& name, const std::vector<double>& data, const Dims& dims,
                   const std::string& why) {
  for (std::size_t k = 0; k < data.size(); ++k)
    if (!std::isfinite(data[k]))
      throw IoError("'" + f.path() + "': dataset '" + name + "' holds " + describe(data[k]) + " at " +
                    index_text(k, dims) + "; " + why);
}

const char* const kFiniteWeights = "weights must be finite numbers";

void read_matrix(const h5::File& f, const std::string& name, arma::mat& into) {
  Dims dims;
  const auto data = f.read(name, dims);
  if (dims.size() != 2 || dims[0] != into.n_rows || dims[1] != into.n_cols)
    throw IoError("'" + f.path() + "': dataset '" + name + "' has the wrong shape (expected " +
                  shape_text({into.n_rows, into.n_cols}) + ")");
  expect_finite(f, name, data, dims, kFiniteWeights);
  into = arma::mat(const_cast<double*>(data.data()), into.n_cols, into.n_rows, false, true).t();
}
void read_vector(const h5::File& f, const std::string& name, arma::vec& into) {
  Dims dims;
  const auto data = f.read(name, dims);
  if (dims.size() != 1 || dims[0] != into.n_elem)
    throw IoError("'" + f.path() + "': dataset '" + name + "' has the wrong shape (expected " +
                  shape_text({into.n_elem}) + ")");
  expect_finite(f, name, data, dims, kFiniteWeights);
  std::copy(data.begin(), data.end(), into.begin());
}

// One axis of a dataset's shape, which must have `rank` axes and a
// non-zero length along `axis` (`what`: "hidden unit", ...).
std::size_t dim_of(const h5::File& f, const std::string& name, std::size_t axis, std::size_t rank, const char* what) {
  const Dims dims = f.shape(name);
  if (dims.size() != rank)
    throw IoError("'" + f.path() + "': dataset '" + name + "' should have " + std::to_string(rank) + " dimensions");
  if (dims[axis] == 0)
    throw IoError("'" + f.path() + "': dataset '" + name + "' has a zero-length axis " + std::to_string(axis) +
                  "; a network needs at least one " + what);
  return dims[axis];
}

// A string attribute parsed by `parse`, whose error gains the file's name.
template <class Parse>
auto choice(const h5::File& f, const std::string& name, Parse parse) {
  const std::string text = f.attr_text(name);
  try {
    return parse(text);
  } catch (const Error& e) {
    throw IoError("'" + f.path() + "': attribute '" + name + "': " + e.what());
  }
}

// "key=value, ..." that parse_param_list reads back to the same values
// (numbers in their shortest exact text): a network's init_params.
std::string param_list_text(const std::map<std::string, Value>& params, const std::string& path) {
  std::string out;
  for (const auto& [key, value] : params) {
    std::string text;
    if (const auto* b = std::get_if<bool>(&value))
      text = *b ? "true" : "false";
    else if (const auto* d = std::get_if<double>(&value))
      text = number_text(*d);
    else
      text = std::get<std::string>(value);
    if (text.find_first_of(",=") != std::string::npos || parse_param_list(key + "=" + text).at(key) != value)
      throw IoError("cannot write network '" + path + "': initializer parameter " + key + " = " + describe(value) +
                    " cannot be written as text");
    out += (out.empty() ? "" : ", ") + key + "=" + text;
  }
  return out;
}

void expect_kind(const h5::File& f, const std::string& kind, const std::string& key_dataset) {
  if (f.has_attr("kind")) {
    const std::string found = f.attr_text("kind");
    if (found != kind) throw IoError("'" + f.path() + "' is a " + found + " file, not a " + kind + " file");
  } else if (!f.has(key_dataset)) {
    throw IoError("'" + f.path() + "' is not an rnnlab " + kind + " file (no dataset '" + key_dataset + "')");
  }
}


}  // namespace

// Armadillo matrices are column-major; the files hold C-order (rows, cols)
// arrays, i.e. the memory of the transpose.
void write_matrix(h5::File& f, const std::string& name, const arma::mat& m) {
  const arma::mat t = m.t();
  f.write(name, {m.n_rows, m.n_cols}, t.memptr());
}
void write_vector(h5::File& f, const std::string& name, const arma::vec& v) {
  f.write(name, {v.n_elem}, v.memptr());
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

std::recursive_mutex& hdf5_mutex() {
  static std::recursive_mutex m;
  return m;
}

void save_network(const std::string& path, const Network& net) {
  save_network_with(path, net, [](h5::File&) {});
}

void save_network_with(const std::string& path, const Network& net, const std::function<void(h5::File&)>& extra) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  // What is written must load again: lab.load_network refuses NaN and Inf.
  if (const char* block = non_finite_block(net.params()))
    throw IoError("cannot write network '" + path + "': " + block + " holds NaN or Inf; " + kFiniteWeights);
  h5::write_atomically(path, [&](h5::File& f) {
    const auto& c = net.config();
    f.set_attr("kind", std::string("network"));
    f.set_attr("alpha", c.alpha);
    f.set_attr("gain", c.gain);
    f.set_attr("seed", static_cast<std::int64_t>(c.seed));
    f.set_attr("activation", std::string(to_string(c.activation)));
    f.set_attr("precision", std::string(to_string(c.precision)));
    if (!c.init.empty()) {
      f.set_attr("init", c.init);
      f.set_attr("init_params", param_list_text(c.init_params, path));
    }
    write_blocks(f, net.params(), "");
    if (net.has_initial_params()) write_blocks(f, net.initial_params(), "initial_");
    extra(f);
  });
}

Network load_network(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const h5::File f = h5::File::open(path, "network");
  expect_kind(f, "network", "W_h");
  NetworkConfig c;
  c.shape.hidden = dim_of(f, "W_h", 0, 2, "hidden unit");
  c.shape.inputs = dim_of(f, "W_x", 1, 2, "input");
  c.shape.outputs = dim_of(f, "W_out", 0, 2, "output");
  c.shape.bias = f.has("b");
  // The ranges of lab.network{}, in the same words.
  const auto attribute = [&](const std::string& name) {
    const double v = f.attr_number(name);
    Network::spec(name).check_value(v, "'" + path + "': attribute '" + name + "'");
    return v;
  };
  c.alpha = attribute("alpha");
  c.gain = attribute("gain");
  c.seed = static_cast<std::uint64_t>(f.attr_count("seed"));
  c.activation = choice(f, "activation", activation_from_string);
  // Files written before the attribute existed were trained in double.
  c.precision = f.has_attr("precision") ? choice(f, "precision", precision_from_string) : Precision::Double;
  // The initializer that drew the weights; absent: the default scheme.
  if (f.has_attr("init")) {
    c.init = f.attr_text("init");
    if (f.has_attr("init_params"))
      c.init_params = choice(f, "init_params", parse_param_list);
  }
  // Shapes agree before anything is allocated: W_h alone sets N.
  const auto expect_shape = [&](const std::string& name, const Dims& want) {
    if (f.shape(name) != want)
      throw IoError("'" + path + "': dataset '" + name + "' has the wrong shape (expected " + shape_text(want) + ")");
  };
  expect_shape("W_h", {c.shape.hidden, c.shape.hidden});
  expect_shape("W_x", {c.shape.hidden, c.shape.inputs});
  expect_shape("W_out", {c.shape.outputs, c.shape.hidden});
  if (c.shape.bias) {
    expect_shape("b", {c.shape.hidden});
    expect_shape("b_out", {c.shape.outputs});
  }
  ParameterBlocks p = [&] {
    try {
      return ParameterBlocks(c.shape);
    } catch (const Error& e) {  // too large for memory: the sizes, and where they came from
      throw IoError("'" + path + "': " + e.what());
    }
  }();
  const auto read_blocks = [&](ParameterBlocks& into, const std::string& prefix) {
    read_matrix(f, prefix + "W_h", into.W_h);
    read_matrix(f, prefix + "W_x", into.W_x);
    read_matrix(f, prefix + "W_out", into.W_out);
    if (c.shape.bias) {
      read_vector(f, prefix + "b", into.b);
      read_vector(f, prefix + "b_out", into.b_out);
    }
  };
  read_blocks(p, "");
  // The weights before training, if the file holds them (run files, and
  // net:save of a trained network).
  std::optional<ParameterBlocks> initial;
  if (f.has("initial_W_h")) {
    initial.emplace(c.shape);
    read_blocks(*initial, "initial_");
  }
  Network net(c, std::move(p));
  if (initial) net.set_initial_params(*initial);
  return net;
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
  expect_finite(f, "x", x, dx, "inputs must be finite numbers");
  expect_finite(f, "y", y, dy, "targets must be finite numbers");
  expect_finite(f, "mask", mask, dm, "loss weights must be finite numbers");
  b.x = arma::cube(x.data(), dx[2], dx[1], dx[0]);
  b.y = arma::cube(y.data(), dy[2], dy[1], dy[0]);
  b.mask = arma::mat(mask.data(), dm[1], dm[0]);
  if (f.has_attr("dt")) {
    b.dt = f.attr_number("dt");
    // 0 stands for "unknown" (the default); a step cannot last a negative time.
    ParamSpec::number("dt", 0).at_least(0).check_value(b.dt, "'" + path + "': attribute 'dt'");
  }
  b.task = f.has_attr("task") ? f.attr_text("task") : std::string();
  b.loss = f.has_attr("loss") ? choice(f, "loss", loss_from_string) : LossKind::MSE;
  if (f.has("truth")) {
    Dims dt;
    const auto truth = f.read_int("truth", dt);
    if (dt.size() != 1 || dt[0] != dx[1])
      throw IoError("'" + path + "': dataset 'truth' should have shape (B,) = (" + std::to_string(dx[1]) +
                    ",), one entry per trial");
    // The correct output channel of each trial (int64 in the file, int in memory).
    for (std::size_t i = 0; i < truth.size(); ++i)
      if (truth[i] < 0 || static_cast<std::uint64_t>(truth[i]) >= dy[2])
        throw IoError("'" + path + "': dataset 'truth' holds " + std::to_string(truth[i]) + " for trial " +
                      std::to_string(i) + ", not an output channel in [0, " + std::to_string(dy[2]) + ")");
    b.truth.assign(truth.begin(), truth.end());
  }
  if (f.has("decision")) {
    Dims dd;
    const auto decision = f.read("decision", dd);
    if (dd.size() != 2 || dd[0] != dx[0] || dd[1] != dx[1])
      throw IoError("'" + path + "': decision should have shape (T, B) like mask");
    expect_finite(f, "decision", decision, dd, "decision weights must be finite numbers");
    b.decision = arma::mat(decision.data(), dd[1], dd[0]);
  }
  if (b.loss == LossKind::CrossEntropy) {
    // Cross-entropy against a target that is not a distribution over
    // channels is not a loss rnnlab defines: wherever a step counts
    // (mask > 0), y must be one-hot.
    for (std::size_t t = 0; t < b.steps(); ++t)
      for (std::size_t j = 0; j < b.size(); ++j) {
        if (!(b.mask(j, t) > 0)) continue;
        std::size_t ones = 0, others = 0;
        for (std::size_t k = 0; k < b.outputs(); ++k) {
          const double v = b.y(k, j, t);
          ones += v == 1.0;
          others += v != 1.0 && v != 0.0;
        }
        if (ones != 1 || others != 0)
          throw IoError("'" + path + "': dataset 'y' at [" + std::to_string(t) + ", " + std::to_string(j) +
                        ", :] is not one-hot; loss 'cross_entropy' needs a single 1 (and zeros) wherever mask > 0");
      }
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

void save_matrix(const std::string& path, const std::string& dataset, const arma::mat& m) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  h5::write_atomically(path, [&](h5::File& f) {
    f.set_attr("kind", std::string("matrix"));
    write_matrix(f, dataset, m);
  });
}

arma::mat load_matrix(const std::string& path, const std::string& dataset) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  const h5::File f = h5::File::open(path, "matrix");
  if (!f.has(dataset)) throw IoError("'" + path + "' has no dataset '" + dataset + "'");
  Dims dims;
  const auto data = f.read(dataset, dims);
  if (dims.size() != 2)
    throw IoError("'" + path + "': dataset '" + dataset + "' has shape " + shape_text(dims) + ", not (rows, cols)");
  expect_finite(f, dataset, data, dims, "a matrix must hold finite numbers");
  return arma::mat(const_cast<double*>(data.data()), dims[1], dims[0], false, true).t();
}

}  // namespace rnnlab
