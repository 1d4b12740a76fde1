#include "rnnlab/sdk/version.hpp"

#include "rnnlab/sdk/abi.hpp"

#ifndef RNNLAB_VERSION_STRING
#define RNNLAB_VERSION_STRING "unknown"
#endif

namespace rnnlab {
const char* version() { return RNNLAB_VERSION_STRING; }
int abi_version() { return RNNLAB_ABI_VERSION; }
}  // namespace rnnlab
