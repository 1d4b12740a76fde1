#pragma once
// Parameter tables as text, for `rnnlab help NAME` and the docs.
#include <string>

#include "rnnlab/sdk/export.hpp"
#include "rnnlab/sdk/params.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {

/// Aligned table: name, symbol, unit, default, valid range, meaning.
RNNLAB_EXPORT std::string format_param_table(const ParamSpecs& specs);
/// Header line (kind, name, version, file, summary) and the table.
RNNLAB_EXPORT std::string format_help(const PluginInfo& info);

}  // namespace rnnlab
