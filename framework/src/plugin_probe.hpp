#pragma once
// Trial loads of plugin libraries in a child process (issue 15): a library
// whose static initialisers crash, throw, hang or call exit() must be
// reported by name, not take rnnlab down with it. Internal to librnnlab.
#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <string>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab {
class PluginRegistrar;

// Declared here, defined in loader.cpp: opens a library, checks that both
// entry points are functions and the ABI matches, runs its entry point into
// `registrar`. Throws Error with the reason on failure.
void run_plugin_library(const std::string& file, PluginRegistrar& registrar);

namespace probe {

/// What identifies one version of a file: a changed file (rewritten,
/// replaced, touched) differs in at least one field. ctime cannot be set
/// back by the user, so a copy with a forged mtime still differs.
struct FileKey {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  static FileKey of(const struct stat& st);
  bool operator==(const FileKey&) const = default;
};

struct Verdict {
  bool ok = false;
  std::string reason;      ///< why not, if !ok
  bool cacheable = false;  ///< false for time-outs and a probe that did not start
};

/// Loads `file` (a regular file) in a fresh child process running the
/// rnnlab-plugin-probe helper and reports how that went. Never throws.
Verdict run(const std::string& file);

/// Probe verdicts by canonical path and FileKey, kept in
/// $XDG_CACHE_HOME/rnnlab (or ~/.cache/rnnlab) across runs. Every I/O error
/// only disables the cache. RNNLAB_PLUGIN_CACHE=0 turns it off.
class Cache {
 public:
  Cache();
  const Verdict* find(const std::string& path, const FileKey& key) const;
  void store(const std::string& path, const FileKey& key, const Verdict& verdict);
  /// Writes the file (atomically, by rename) if anything was stored.
  void save();

 private:
  struct Entry {
    FileKey key;
    Verdict verdict;
    std::uint64_t order = 0;  // higher = newer; the oldest go first past the cap
  };
  void read_into(std::map<std::string, Entry>& entries) const;
  std::string file_;  // "" = no cache
  std::string host_;  // this rnnlab build: verdicts of another build are not used
  std::map<std::string, Entry> entries_;  // read at start, plus ours
  std::map<std::string, Entry> updates_;  // stored by this process, not yet saved
};

/// main() of the helper executable: rnnlab-plugin-probe FILE. Writes
/// "ok N" or "fail REASON" as one line to fd 3 (to stdout if fd 3 is not
/// open, for a person debugging a plugin, e.g. under gdb). The one internal
/// function librnnlab exports: the helper executable's whole program, kept
/// in the library so that it loads plugins exactly as rnnlab does.
RNNLAB_EXPORT int helper_main(int argc, char** argv);

}  // namespace probe
}  // namespace rnnlab
