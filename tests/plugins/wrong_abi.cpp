// Claims an ABI version rnnlab does not speak; must never be registered.
#include <boost/config.hpp>

namespace rnnlab { class PluginRegistrar; }

extern "C" BOOST_SYMBOL_EXPORT int rnnlab_plugin_abi_version() { return 999; }
extern "C" BOOST_SYMBOL_EXPORT void rnnlab_plugin_register(rnnlab::PluginRegistrar&) {
  __builtin_trap();  // the loader must reject the library before calling this
}
