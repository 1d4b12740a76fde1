// A static initialiser that dereferences a wild pointer: loading this
// library kills the process with SIGSEGV before any entry point is called.
#include <rnnlab/sdk/abi.hpp>

namespace {
// Not instrumented: the sanitizers would otherwise report the store
// themselves instead of letting it fault.
__attribute__((no_sanitize("address", "undefined"))) int crash() {
  int* volatile wild = reinterpret_cast<int*>(16);
  *wild = 1;
  return *wild;
}
[[maybe_unused]] const int crashed = crash();

void register_nothing(rnnlab::PluginRegistrar&) {}
}  // namespace

RNNLAB_PLUGIN(register_nothing)
