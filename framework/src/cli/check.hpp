#pragma once
// `rnnlab check PLUGIN.so [--exact BLOCKS]`.
#include <optional>
#include <string>

namespace rnnlab {

struct CheckOptions {
  std::string plugin;  ///< the .so
  /// --exact: "W_out,b_out", "all" or "" (none), for every rule of the
  /// file instead of what each declares (PluginInfo::exact).
  std::optional<std::string> exact;
};

/// Prints one PASS/FAIL line per check; 0 if all pass, 1 if one fails or
/// the file does not load, 2 for a usage error.
int run_check(const std::string& exe, const CheckOptions& options);

}  // namespace rnnlab
