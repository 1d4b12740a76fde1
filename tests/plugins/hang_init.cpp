// A static initialiser that never returns: loading this library hangs.
#include <unistd.h>

#include <rnnlab/sdk/abi.hpp>

namespace {
struct Hangs {
  Hangs() {
    for (;;) pause();
  }
};
[[maybe_unused]] const Hangs hangs;

void register_nothing(rnnlab::PluginRegistrar&) {}
}  // namespace

RNNLAB_PLUGIN(register_nothing)
