#pragma once
#include "rnnlab/sdk/export.hpp"

namespace rnnlab {
RNNLAB_EXPORT const char* version();  ///< e.g. "0.1.0"
RNNLAB_EXPORT int abi_version();      ///< RNNLAB_ABI_VERSION the kernel was built with
}  // namespace rnnlab
