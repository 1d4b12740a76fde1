#include "folder.hpp"
#include "record.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rnnlab/sdk/error.hpp"

namespace rnnlab::sweep {

namespace fs = std::filesystem;

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

FileLock FileLock::acquire(const fs::path& path, bool wait) {
  // O_NOFOLLOW: a lock file planted as a symbolic link is not followed.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) throw IoError("cannot open the lock file '" + path.string() + "': " + std::strerror(errno));
  int rc;
  do rc = ::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
  while (rc != 0 && errno == EINTR);
  FileLock lock;
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return lock;
    throw IoError("cannot lock '" + path.string() + "': " + std::strerror(err));
  }
  lock.fd_ = fd;
  return lock;
}

void FileLock::describe(const std::string& holder) {
  if (fd_ < 0) return;
  // Best effort: the lock holds whether or not its description is written.
  if (::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, holder.data(), holder.size(), 0) < 0) {
  }
}

std::string lock_holder(const fs::path& lock_file) {
  std::ifstream f(lock_file);
  std::string line;
  std::getline(f, line);
  if (line.size() > 300) line.resize(300);  // the file is someone else's: show a bounded part
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return line;
}

std::string this_process() {
  char host[256] = "?";
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "?");
  host[sizeof host - 1] = '\0';
  static const std::time_t started = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&started, &utc);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return "pid " + std::to_string(::getpid()) + " on host " + host + ", started " + when;
}

bool is_sweep_output_name(const std::string& name) {
  return name == "sweep.json" || name == "runs" || name == "runs.csv" || name == "summary.csv" || name == "monitors.csv";
}

namespace {

// sweep.json as rnnlab writes it: an object with a config hash. Throws
// for a file that is not JSON at all.
bool is_rnnlab_sweep_file(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(file, ec))) return false;
  std::ifstream f(file);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const std::exception&) {
    throw IoError("'" + file.string() + "' is corrupt; delete it (and the runs) to start the sweep afresh");
  }
  return is_sweep_document(j);
}

// A file a run wrote in runs/: <id>.json, <id>.h5, or a temporary of one.
bool is_run_file(const std::string& name) {
  auto ends_with = [&](const std::string& tail) {
    return name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
  };
  return ends_with(".json") || ends_with(".h5") || ends_with(".merge-tmp") || name.find(".json.tmp.") != std::string::npos ||
         name.find(".h5.tmp.") != std::string::npos;
}

std::string listing(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 5; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > 5) text += " and " + std::to_string(names.size() - 5) + " more";
  return text;
}

}  // namespace

void check_sweep_folder(const fs::path& out) {
  std::error_code ec;
  const auto status = fs::status(out, ec);
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status))
    throw Error("the output '" + out.string() + "' exists and is not a folder; choose a folder for the sweep");
  const auto runs = fs::symlink_status(out / "runs", ec);
  if (fs::is_symlink(runs))
    throw Error("'" + (out / "runs").string() +
                "' is a symbolic link; a sweep writes only inside its own folder: remove the link or choose another folder");
  if (fs::exists(runs) && !fs::is_directory(runs))
    throw Error("'" + (out / "runs").string() + "' exists and is not a folder");
  if (fs::exists(out / "sweep.json", ec)) {
    if (!is_rnnlab_sweep_file(out / "sweep.json"))
      throw Error("'" + (out / "sweep.json").string() +
                  "' is not an rnnlab sweep file; choose another output folder, or move it away to start this sweep "
                  "afresh");
    return;
  }
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_sweep_output_name(name)) continue;
    if (name == "runs" && fs::is_empty(entry.path(), ec)) continue;  // made by a start that stopped before sweep.json
    found.push_back(name);
  }
  if (!found.empty())
    throw Error("'" + out.string() + "' is not a sweep folder (it has no sweep.json) but holds " + listing(found) +
                ", which a sweep would overwrite; choose another output folder");
}

namespace {
constexpr const char* kFolderLock = ".rnnlab.lock";
constexpr const char* kShardLockPrefix = ".rnnlab-shard-";
bool is_shard_lock(const std::string& name) { return name.rfind(kShardLockPrefix, 0) == 0; }
}  // namespace

fs::path folder_lock_path(const fs::path& out) { return out / kFolderLock; }

fs::path shard_lock_path(const fs::path& out, std::size_t index, std::size_t count) {
  return out / (kShardLockPrefix + std::to_string(index + 1) + "-of-" + std::to_string(count) + ".lock");
}

FileLock lock_shard(const fs::path& out, std::size_t index, std::size_t count) {
  const fs::path path = shard_lock_path(out, index, count);
  FileLock lock = FileLock::acquire(path, false);
  if (!lock.locked()) {
    const std::string holder = lock_holder(path);
    throw Error("'" + out.string() + "' is in use: " + (holder.empty() ? "another process" : holder) +
                " is running " + (count > 1 ? "shard " + std::to_string(index + 1) + "/" + std::to_string(count) + " of " : "") +
                "this sweep there; wait for it to finish, or use another output folder");
  }
  lock.describe(this_process() + ", shard " + std::to_string(index + 1) + "/" + std::to_string(count) + "\n");
  return lock;
}

void check_fresh(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec) || fs::exists(out / "sweep.json", ec)) return;
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == kFolderLock || is_shard_lock(name)) continue;
    found.push_back(name);
  }
  std::sort(found.begin(), found.end());
  if (!found.empty())
    throw Error("fresh = true: '" + out.string() + "' is not a sweep folder (it has no sweep.json) and holds " +
                listing(found) + "; nothing was removed: choose an empty or new output folder");
}

void remove_sweep_outputs(const fs::path& out) {
  check_fresh(out);
  std::error_code ec;
  if (!fs::exists(out / "sweep.json", ec)) return;  // nothing a sweep wrote
  // Nobody may be running in the folder: try every shard lock.
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_shard_lock(name) || !fs::is_regular_file(entry.symlink_status(ec))) continue;
    FileLock probe = FileLock::acquire(entry.path(), false);
    if (!probe.locked()) {
      const std::string holder = lock_holder(entry.path());
      throw Error("fresh = true: '" + out.string() + "' is in use (" + (holder.empty() ? "another process" : holder) +
                  "); it cannot be cleared while a sweep runs there");
    }
  }
  auto remove = [&](const fs::path& p) {
    fs::remove(p, ec);  // never recursive: a file, or an empty folder
    if (ec) throw IoError("fresh = true: cannot remove '" + p.string() + "': " + ec.message());
  };
  const fs::path runs = out / "runs";
  if (fs::is_directory(fs::symlink_status(runs, ec))) {
    for (const auto& entry : fs::directory_iterator(runs, ec))
      if (fs::is_regular_file(entry.symlink_status(ec)) && is_run_file(entry.path().filename().string()))
        remove(entry.path());
    if (fs::is_empty(runs, ec)) remove(runs);
  }
  for (const char* name : {"runs.csv", "summary.csv", "monitors.csv"})
    if (fs::is_regular_file(fs::symlink_status(out / name, ec))) remove(out / name);
  remove(out / "sweep.json");  // last: until then the folder is still recognisably a sweep's
}

}  // namespace rnnlab::sweep
