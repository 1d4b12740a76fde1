#pragma once
namespace rnnlab {
const char* version();  ///< e.g. "0.1.0"
int abi_version();      ///< RNNLAB_ABI_VERSION the kernel was built with
}  // namespace rnnlab
