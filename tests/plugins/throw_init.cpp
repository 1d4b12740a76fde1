// A static initialiser that throws: nothing can catch it while the library
// is being loaded, so the process ends in std::terminate (SIGABRT).
#include <rnnlab/sdk/abi.hpp>
#include <stdexcept>

namespace {
struct Throws {
  Throws() { throw std::runtime_error("static initialiser failed on purpose"); }
};
[[maybe_unused]] const Throws throws;

void register_nothing(rnnlab::PluginRegistrar&) {}
}  // namespace

RNNLAB_PLUGIN(register_nothing)
