#pragma once
// Runs Lua protocol scripts (`rnnlab run`). The Lua layer is a thin
// binding over the kernel API; sugar lives in share/rnnlab/lua/.
#include <string>
#include <utility>
#include <vector>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

struct ScriptOptions {
  std::string script;                                      ///< path of the .lua file
  std::vector<std::pair<std::string, std::string>> args;   ///< --set key=value
  std::string out;                                         ///< --out (lab.args.out), may be empty
  int jobs = 0;                                            ///< --jobs (0 = all cores)
  bool quiet = false;                                      ///< --quiet: no progress output
  int shard_index = 0, shard_count = 1;                    ///< --shard K/N (0-based index)
  std::string share_dir;                                   ///< directory holding lua/prelude.lua
};

/// Runs the script; prints errors to stderr (first line: file:line and the
/// message, then a traceback). Returns the process exit status: 0 success,
/// 1 error, 130 interrupted.
RNNLAB_EXPORT int run_script(Registry& registry, const ScriptOptions& options);

/// share/rnnlab for an executable at `exe_path` (RNNLAB_SHARE_DIR overrides).
RNNLAB_EXPORT std::string default_share_dir(const std::string& exe_path);

}  // namespace rnnlab
