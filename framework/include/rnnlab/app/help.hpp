#pragma once
// Parameter tables as text, for `rnnlab help NAME` and the docs.
#include <string>

#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

/// Aligned table: name, symbol, unit, default, valid range, meaning.
std::string format_param_table(const ParamSpecs& specs);
/// Header line (kind, name, version, file, summary) and the table.
std::string format_help(const PluginInfo& info);

}  // namespace rnnlab
