#pragma once
// Minimal RAII layer over the HDF5 C API: C-order double/int datasets and
// scalar attributes. Errors become IoError naming the file.
#include <hdf5.h>

#include "rnnlab/sdk/network.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace rnnlab::h5 {

class File {
 public:
  /// Creates (truncating) `path` for writing; messages name `shown`
  /// (the user's path when `path` is a temporary), or `path` if empty.
  static File create(const std::string& path, const std::string& shown = "");
  /// Opens `path` read-only; `what` names the expected kind for messages.
  static File open(const std::string& path, const std::string& what);
  File(File&& other) noexcept;
  File& operator=(File&&) = delete;
  ~File();
  void close();

  const std::string& path() const { return path_; }
  bool has(const std::string& name) const;
  std::vector<std::string> dataset_names() const;

  void write(const std::string& name, const std::vector<hsize_t>& dims, const double* data);
  void write(const std::string& name, const std::vector<hsize_t>& dims, const std::int64_t* data);
  /// Shape of a dataset without reading it.
  std::vector<hsize_t> shape(const std::string& name) const;
  /// Reads a numeric dataset as double; `dims` receives its shape. Other
  /// types (strings, compounds, ...) and shapes too large for memory throw
  /// IoError naming the dataset.
  std::vector<double> read(const std::string& name, std::vector<hsize_t>& dims) const;
  /// Reads an integer dataset as int64 (floating-point data is refused).
  std::vector<std::int64_t> read_int(const std::string& name, std::vector<hsize_t>& dims) const;

  void set_attr(const std::string& name, double v);
  void set_attr(const std::string& name, std::int64_t v);
  void set_attr(const std::string& name, const std::string& v);
  bool has_attr(const std::string& name) const;
  /// A scalar numeric attribute (arrays and other types are refused).
  double attr_number(const std::string& name) const;
  /// A scalar attribute holding a whole number in [0, 2^63).
  std::int64_t attr_count(const std::string& name) const;
  std::string attr_text(const std::string& name) const;

 private:
  File(hid_t id, std::string path) : id_(id), path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& what) const;
  /// Opens a single numeric attribute (refusing others, naming what was
  /// `expected`) and returns read(attr, type, class).
  template <class Read>
  auto read_numeric_attr(const std::string& name, const char* expected, Read&& read) const;
  /// Refuses an attribute that holds more (or fewer) than one value.
  void check_single(hid_t attr, const std::string& name) const;
  hid_t id_ = -1;
  std::string path_;
};

/// Writes via `body(File&)` to a temporary beside `path`, then renames it
/// into place, so a crash never leaves a half-written file at `path`.
template <class Body>
void write_atomically(const std::string& path, Body&& body);

std::string temporary_path_for(const std::string& path);
void commit_temporary(const std::string& tmp, const std::string& path);
void discard_temporary(const std::string& tmp);

template <class Body>
void write_atomically(const std::string& path, Body&& body) {
  const std::string tmp = temporary_path_for(path);
  try {
    {
      File f = File::create(tmp, path);
      body(f);
      f.close();
    }
    commit_temporary(tmp, path);
  } catch (...) {
    discard_temporary(tmp);
    throw;
  }
}

}  // namespace rnnlab::h5

namespace rnnlab {
/// HDF5 (Debian's serial build) is not thread-safe: every use holds this.
std::recursive_mutex& hdf5_mutex();
/// save_network, then `extra` adds datasets/attributes in the same file.
void save_network_with(const std::string& path, const Network& net, const std::function<void(h5::File&)>& extra);
/// A matrix as a C-order (rows, cols) dataset, a vector as (n,): the
/// layout of every rnnlab file.
void write_matrix(h5::File& f, const std::string& name, const arma::mat& m);
void write_vector(h5::File& f, const std::string& name, const arma::vec& v);
/// The weight blocks in the network layout, each name prefixed (W_h, W_x,
/// W_out; b and b_out with biases).
void write_blocks(h5::File& f, const ParameterBlocks& p, const std::string& prefix);
}  // namespace rnnlab
