#pragma once
// Plugin entry point and ABI handshake. A plugin source file ends with
//
//   RNNLAB_PLUGIN(register_my_plugin)
//
// where `void register_my_plugin(rnnlab::PluginRegistrar&)` registers its
// types. The loader first calls rnnlab_plugin_abi_version() and rejects a
// library built against another ABI before touching anything else.
#include <boost/config.hpp>

#include "rnnlab/registry.hpp"

/// Bumped whenever a type crossing the plugin boundary changes layout.
#define RNNLAB_ABI_VERSION 2

#define RNNLAB_PLUGIN(fn)                                                          \
  extern "C" BOOST_SYMBOL_EXPORT int rnnlab_plugin_abi_version() {                  \
    return RNNLAB_ABI_VERSION;                                                     \
  }                                                                                \
  extern "C" BOOST_SYMBOL_EXPORT void rnnlab_plugin_register(rnnlab::PluginRegistrar& r) { \
    fn(r);                                                                         \
  }
