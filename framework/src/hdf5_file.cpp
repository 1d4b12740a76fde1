#include "hdf5_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <limits>
#include <new>
#include <stdexcept>

#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/params.hpp"

namespace rnnlab::h5 {
namespace {

struct Silence {
  // HDF5 prints its error stack to stderr by default; rnnlab reports its
  // own one-line messages instead.
  Silence() {
    // A file whose close failed (disk full, file size limit) stays
    // half-closed in HDF5's table, and the library's own atexit cleanup
    // then crashes on it (HDF5 1.10: SIGSEGV in H5F__close_cb). rnnlab
    // closes every file itself, so that cleanup is not needed.
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
};
void silence() { static Silence s; }

// Why a write failed: the C library's reason when the failing system call
// left one (errno is cleared before each write), else the usual suspects.
std::string write_failure() {
  return errno ? std::string(std::strerror(errno)) : std::string("disk full or not writable?");
}

struct Handle {
  hid_t id;
  herr_t (*closer)(hid_t);
  ~Handle() {
    if (id >= 0) closer(id);
  }
};

}  // namespace

void File::fail(const std::string& what) const { throw IoError("'" + path_ + "': " + what); }

File File::create(const std::string& real_path, const std::string& shown) {
  silence();
  const std::string path = shown.empty() ? real_path : shown;
  hid_t id = H5Fcreate(real_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) {
    namespace fs = std::filesystem;
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
      if (fs::exists(parent, ec))
        throw IoError("cannot write '" + path + "': '" + parent.string() + "' is not a directory");
      throw IoError("cannot write '" + path + "': directory '" + parent.string() + "' does not exist");
    }
    if (access(parent.empty() ? "." : parent.c_str(), W_OK) != 0)
      throw IoError("cannot write '" + path + "': " + std::strerror(errno));
    throw IoError("cannot write '" + path + "' (HDF5 could not create it)");
  }
  errno = 0;
  return File(id, path);
}

File File::open(const std::string& path, const std::string& what) {
  silence();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError("cannot read " + what + " '" + path + "': no such file");
  if (std::filesystem::is_directory(path, ec)) throw IoError("cannot read " + what + " '" + path + "': it is a directory");
  if (access(path.c_str(), R_OK) != 0)
    throw IoError("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw IoError("cannot read " + what + " '" + path + "': not an HDF5 file (or truncated/corrupt)");
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw IoError("cannot read " + what + " '" + path + "': HDF5 could not open it (corrupt?)");
  return File(id, path);
}

File::File(File&& other) noexcept : id_(other.id_), path_(std::move(other.path_)) { other.id_ = -1; }

File::~File() {
  if (id_ >= 0) H5Fclose(id_);
}

void File::close() {
  if (id_ >= 0) {
    const herr_t status = H5Fclose(id_);
    id_ = -1;
    if (status < 0) fail("could not be written completely: " + write_failure());
  }
}

bool File::has(const std::string& name) const { return H5Lexists(id_, name.c_str(), H5P_DEFAULT) > 0; }

std::vector<std::string> File::dataset_names() const {
  std::vector<std::string> names;
  H5Literate(
      id_, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->push_back(name);
        return 0;
      },
      &names);
  return names;
}

namespace {
void write_any(hid_t file, const std::string& path, const std::string& name, const std::vector<hsize_t>& dims,
               hid_t type, const void* data) {
  errno = 0;
  Handle space{H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose};
  Handle set{H5Dcreate2(file, name.c_str(), type, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose};
  if (space.id < 0 || set.id < 0 || H5Dwrite(set.id, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    throw IoError("'" + path + "': could not write dataset '" + name + "': " + write_failure());
}
}  // namespace

void File::write(const std::string& name, const std::vector<hsize_t>& dims, const double* data) {
  write_any(id_, path_, name, dims, H5T_NATIVE_DOUBLE, data);
}
void File::write(const std::string& name, const std::vector<hsize_t>& dims, const std::int64_t* data) {
  write_any(id_, path_, name, dims, H5T_NATIVE_INT64, data);
}

namespace {

// What an HDF5 type holds, for messages ("strings", "compound records").
std::string type_words(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER: return "integers";
    case H5T_FLOAT: return "floating-point numbers";
    case H5T_STRING: return "strings";
    case H5T_COMPOUND: return "compound records";
    case H5T_ENUM: return "enum values (booleans?)";
    case H5T_ARRAY: return "fixed-size arrays";
    case H5T_VLEN: return "variable-length sequences";
    case H5T_REFERENCE: return "references";
    case H5T_OPAQUE: return "opaque bytes";
    case H5T_BITFIELD: return "bit fields";
    default: return "values of an unknown type";
  }
}

std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string out = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
  return out + (dims.size() == 1 ? ",)" : ")");
}

std::vector<hsize_t> dims_of(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)), 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

template <class T>
std::vector<T> read_any(hid_t file, const File& f, const std::string& name, std::vector<hsize_t>& dims,
                        hid_t mem_type, bool integers_only) {
  const std::string where = "'" + f.path() + "': dataset '" + name + "'";
  if (!f.has(name)) throw IoError(where + " is missing");
  Handle set{H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose};
  Handle space{set.id >= 0 ? H5Dget_space(set.id) : -1, H5Sclose};
  Handle type{set.id >= 0 ? H5Dget_type(set.id) : -1, H5Tclose};
  if (set.id < 0 || space.id < 0 || type.id < 0) throw IoError(where + " is unreadable");
  const H5T_class_t cls = H5Tget_class(type.id);
  if (integers_only ? cls != H5T_INTEGER : cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw IoError(where + " holds " + type_words(type.id) + ", expected " +
                  (integers_only ? "integers (int64)" : "numbers (float64)"));
  dims = dims_of(space.id);
  // The element count, refused (naming the shape) when it cannot be held.
  std::size_t n = 1;
  bool too_large = false;
  for (auto d : dims) {
    if (d != 0 && n > std::numeric_limits<std::size_t>::max() / sizeof(T) / d) too_large = true;
    else n *= static_cast<std::size_t>(d);
  }
  const auto refuse = [&] {
    return IoError(where + " has shape " + shape_text(dims) + ", too large to read into memory");
  };
  if (too_large) throw refuse();
  std::vector<T> out;
  try {
    out.resize(n);
  } catch (const std::bad_alloc&) {
    throw refuse();
  } catch (const std::length_error&) {
    throw refuse();
  }
  if (n && H5Dread(set.id, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw IoError(where + " could not be read (truncated or corrupt file)");
  return out;
}
}  // namespace

std::vector<hsize_t> File::shape(const std::string& name) const {
  const std::string where = "'" + path_ + "': dataset '" + name + "'";
  if (!has(name)) throw IoError(where + " is missing");
  Handle set{H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose};
  Handle space{set.id >= 0 ? H5Dget_space(set.id) : -1, H5Sclose};
  if (set.id < 0 || space.id < 0) throw IoError(where + " is unreadable");
  return dims_of(space.id);
}

std::vector<double> File::read(const std::string& name, std::vector<hsize_t>& dims) const {
  return read_any<double>(id_, *this, name, dims, H5T_NATIVE_DOUBLE, false);
}
std::vector<std::int64_t> File::read_int(const std::string& name, std::vector<hsize_t>& dims) const {
  return read_any<std::int64_t>(id_, *this, name, dims, H5T_NATIVE_INT64, true);
}

namespace {
void set_attr_any(hid_t file, const std::string& path, const std::string& name, hid_t type, const void* data) {
  Handle space{H5Screate(H5S_SCALAR), H5Sclose};
  Handle attr{H5Acreate2(file, name.c_str(), type, space.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
  if (attr.id < 0 || H5Awrite(attr.id, type, data) < 0)
    throw IoError("'" + path + "': could not write attribute '" + name + "'");
}
}  // namespace

void File::set_attr(const std::string& name, double v) { set_attr_any(id_, path_, name, H5T_NATIVE_DOUBLE, &v); }
void File::set_attr(const std::string& name, std::int64_t v) { set_attr_any(id_, path_, name, H5T_NATIVE_INT64, &v); }
void File::set_attr(const std::string& name, const std::string& v) {
  // Variable-length UTF-8, so h5py returns str rather than bytes.
  Handle type{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(type.id, H5T_VARIABLE);
  H5Tset_cset(type.id, H5T_CSET_UTF8);
  const char* text = v.c_str();
  set_attr_any(id_, path_, name, type.id, &text);
}

bool File::has_attr(const std::string& name) const { return H5Aexists(id_, name.c_str()) > 0; }

template <class Read>
auto File::read_numeric_attr(const std::string& name, const char* expected, Read&& read) const {
  if (!has_attr(name)) fail("attribute '" + name + "' is missing");
  Handle attr{H5Aopen(id_, name.c_str(), H5P_DEFAULT), H5Aclose};
  Handle type{attr.id >= 0 ? H5Aget_type(attr.id) : -1, H5Tclose};
  if (attr.id < 0 || type.id < 0) fail("attribute '" + name + "' is unreadable");
  const H5T_class_t cls = H5Tget_class(type.id);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    fail("attribute '" + name + "' holds " + type_words(type.id) + ", expected " + expected);
  check_single(attr.id, name);
  return read(attr.id, type.id, cls);
}

double File::attr_number(const std::string& name) const {
  return read_numeric_attr(name, "a number", [&](hid_t attr, hid_t, H5T_class_t) {
    double v = 0;
    if (H5Aread(attr, H5T_NATIVE_DOUBLE, &v) < 0) fail("attribute '" + name + "' is unreadable");
    return v;
  });
}

std::int64_t File::attr_count(const std::string& name) const {
  return read_numeric_attr(name, "a whole number", [&](hid_t attr, hid_t type, H5T_class_t cls) {
    const std::string expected = "attribute '" + name + "' must be a whole number in [0, 2^63), got ";
    if (cls == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE) {
      std::uint64_t u = 0;
      if (H5Aread(attr, H5T_NATIVE_UINT64, &u) < 0) fail("attribute '" + name + "' is unreadable");
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) fail(expected + std::to_string(u));
      return static_cast<std::int64_t>(u);
    }
    if (cls == H5T_INTEGER) {
      std::int64_t i = 0;
      if (H5Aread(attr, H5T_NATIVE_INT64, &i) < 0) fail("attribute '" + name + "' is unreadable");
      if (i < 0) fail(expected + std::to_string(i));
      return i;
    }
    double d = 0;
    if (H5Aread(attr, H5T_NATIVE_DOUBLE, &d) < 0) fail("attribute '" + name + "' is unreadable");
    // 2^63 itself is the first double out of range.
    if (!(d >= 0 && d < 9223372036854775808.0) || std::floor(d) != d) fail(expected + describe(d));
    return static_cast<std::int64_t>(d);
  });
}

// A scalar, or a one-element array as some writers store scalars.
void File::check_single(hid_t attr, const std::string& name) const {
  Handle space{H5Aget_space(attr), H5Sclose};
  if (space.id < 0) fail("attribute '" + name + "' is unreadable");
  const hssize_t points = H5Sget_simple_extent_npoints(space.id);
  if (points != 1)
    fail("attribute '" + name + "' must be a single value, got an array of shape " + shape_text(dims_of(space.id)));
}

std::string File::attr_text(const std::string& name) const {
  if (!has_attr(name)) fail("attribute '" + name + "' is missing");
  Handle attr{H5Aopen(id_, name.c_str(), H5P_DEFAULT), H5Aclose};
  Handle type{attr.id >= 0 ? H5Aget_type(attr.id) : -1, H5Tclose};
  if (attr.id < 0 || type.id < 0) fail("attribute '" + name + "' is unreadable");
  if (H5Tget_class(type.id) != H5T_STRING)
    fail("attribute '" + name + "' holds " + type_words(type.id) + ", expected a string");
  check_single(attr.id, name);
  if (H5Tis_variable_str(type.id) > 0) {
    char* s = nullptr;
    Handle mem{H5Tget_native_type(type.id, H5T_DIR_ASCEND), H5Tclose};
    if (H5Aread(attr.id, mem.id, &s) < 0 || !s) fail("attribute '" + name + "' is unreadable");
    std::string out(s);
    H5free_memory(s);
    return out;
  }
  std::string out(H5Tget_size(type.id), '\0');
  if (H5Aread(attr.id, type.id, out.data()) < 0) fail("attribute '" + name + "' is unreadable");
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string temporary_path_for(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter++);
}

namespace {

// Flushes a file's (or directory's) data to the device; false on failure.
bool sync_path(const std::string& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0 || errno == EINVAL;  // EINVAL: no sync support (some file systems)
  ::close(fd);
  return ok;
}

}  // namespace

void commit_temporary(const std::string& tmp, const std::string& path) {
  // Data on the device before the rename makes it visible, and the
  // directory entry after: a finished result survives a crash or power
  // loss, never as a truncated file under the final name.
  if (!sync_path(tmp, O_RDONLY)) {
    const std::string why = std::strerror(errno);
    discard_temporary(tmp);
    throw IoError("cannot write '" + path + "': " + why);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw IoError("cannot write '" + path + "': " + ec.message());
  std::string dir = std::filesystem::path(path).parent_path().string();
  sync_path(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY);  // best effort: the file itself is complete
}

void discard_temporary(const std::string& tmp) {
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
}

}  // namespace rnnlab::h5
