#pragma once
// A sweep's output folder: what may be written there, what `fresh` may
// remove, and the locks that keep two processes from mixing two sweeps.
//
//   OUT/.rnnlab.lock                 held exclusively for short steps that
//                                    change the folder as a whole (writing
//                                    sweep.json, fresh, tables, merge)
//   OUT/.rnnlab-shard-K-of-N.lock    held for the length of a sweep by the
//                                    process running shard K of N (an MPI
//                                    rank is a shard); names its holder
//
// Locks are flock(2) locks: the kernel drops them when their process ends,
// however it ends, so a killed sweep never leaves the folder locked.
#include <filesystem>
#include <string>
#include <vector>

namespace rnnlab::sweep {

/// A flock(2) lock on a file, released on destruction.
class FileLock {
 public:
  FileLock() = default;
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  /// Opens (creating) `path` and locks it exclusively: waits when `wait`,
  /// otherwise returns an unlocked FileLock if another process holds it.
  static FileLock acquire(const std::filesystem::path& path, bool wait);
  bool locked() const { return fd_ >= 0; }
  /// Replaces the file's text (who holds the lock, for others to read).
  void describe(const std::string& holder);

 private:
  int fd_ = -1;
};

/// The text a lock's holder wrote into it ("" if none or unreadable).
std::string lock_holder(const std::filesystem::path& lock_file);

/// "pid P on host H, started YYYY-MM-DD HH:MM:SS UTC" for this process.
std::string this_process();

/// The names a sweep writes at the top of its folder.
bool is_sweep_output_name(const std::string& name);

/// Throws Error unless `out` can hold this sweep: it does not exist, or is
/// a folder that is a sweep folder (has an rnnlab sweep.json) or holds
/// none of the names a sweep writes. `runs` must not be a symbolic link.
void check_sweep_folder(const std::filesystem::path& out);

/// fresh = true is allowed (after check_sweep_folder passed): a folder that
/// exists without a sweep.json must be empty (a user's folder is never
/// cleared). Reads only the folder's names.
void check_fresh(const std::filesystem::path& out);

/// fresh = true: removes only what a sweep wrote (the run files in runs/,
/// runs.csv, summary.csv, sweep.json), after check_fresh; refuses while any
/// shard lock of the folder is held. Call with the folder lock, after
/// check_sweep_folder passed.
void remove_sweep_outputs(const std::filesystem::path& out);

/// The shard lock's path for shard `index` (0-based) of `count`.
std::filesystem::path shard_lock_path(const std::filesystem::path& out, std::size_t index, std::size_t count);

/// The folder lock's path.
std::filesystem::path folder_lock_path(const std::filesystem::path& out);

/// Locks shard `index` of `count` for this process, naming it in the lock;
/// throws Error naming the holder if another process has it.
FileLock lock_shard(const std::filesystem::path& out, std::size_t index, std::size_t count);

}  // namespace rnnlab::sweep
