// rnnlab_plugin_abi_version exported as an int, not a function: calling it
// would jump into data.
#include <boost/config.hpp>

namespace rnnlab { class PluginRegistrar; }

extern "C" {
BOOST_SYMBOL_EXPORT int rnnlab_plugin_abi_version = 1;
BOOST_SYMBOL_EXPORT void rnnlab_plugin_register(rnnlab::PluginRegistrar&) {
  __builtin_trap();  // the loader must reject the library before calling this
}
}
