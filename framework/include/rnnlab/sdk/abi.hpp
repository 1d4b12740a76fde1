#pragma once
// Plugin entry point and ABI handshake. A plugin source file ends with
//
//   RNNLAB_PLUGIN(register_my_plugin)
//
// where `void register_my_plugin(rnnlab::PluginRegistrar&)` registers its
// types. Before touching anything else the loader checks, from functions
// the macro exports, the plugin's ABI version and the fingerprint of the
// SDK layout it was compiled with (the sizes and alignments of every type
// that crosses the boundary, as its compiler saw them), and refuses a
// plugin built against other headers with a message naming both versions.
#include <boost/config.hpp>
#include <cstdint>
#include <string>

#include "rnnlab/sdk/config.hpp"
#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/lyapunov.hpp"
#include "rnnlab/sdk/registry.hpp"
#include "rnnlab/sdk/traces.hpp"

/// Bumped whenever a virtual function or an entry point of the plugin
/// interfaces changes (the layout fingerprint covers data layout).
#define RNNLAB_ABI_VERSION 4

/// Only for tests: a non-zero value simulates headers of another layout.
#ifndef RNNLAB_SDK_LAYOUT_SALT
#define RNNLAB_SDK_LAYOUT_SALT 0
#endif

namespace rnnlab::abi {

/// FNV-1a over the sizes and alignments of the types that cross the plugin
/// boundary, the library versions they depend on, and the ABI version.
constexpr std::uint64_t layout_fingerprint() {
  const std::uint64_t facts[] = {
      sizeof(std::string), sizeof(arma::mat), alignof(arma::mat), sizeof(arma::cube), sizeof(arma::vec),
      sizeof(Shape), sizeof(NetworkConfig), sizeof(Network), alignof(Network), sizeof(ParameterBlocks),
      sizeof(Batch), sizeof(Gradient), sizeof(TaskInfo), sizeof(Value), sizeof(ParamSpec), sizeof(ParamSet),
      sizeof(PluginInfo), sizeof(PluginRegistrar), sizeof(AnalysisInput), sizeof(AnalysisValue),
      sizeof(AnalysisResult), sizeof(LearningState), sizeof(GradientWorkspace), sizeof(Trajectory),
      sizeof(Backprop), sizeof(TraceOptions), sizeof(RandomFeedback), sizeof(Task), sizeof(Rule),
      sizeof(Optimizer), sizeof(Analysis), sizeof(Initializer), sizeof(PluginRegistrar::Entry),
      sizeof(LyapunovOptions), sizeof(LyapunovTape),
      static_cast<std::uint64_t>(ARMA_VERSION_MAJOR), static_cast<std::uint64_t>(ARMA_VERSION_MINOR),
      static_cast<std::uint64_t>(RNNLAB_ABI_VERSION), static_cast<std::uint64_t>(RNNLAB_SDK_LAYOUT_SALT)};
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::uint64_t v : facts) {
    h ^= v;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace rnnlab::abi

#define RNNLAB_PLUGIN(fn)                                                                         \
  extern "C" BOOST_SYMBOL_EXPORT int rnnlab_plugin_abi_version() { return RNNLAB_ABI_VERSION; }  \
  extern "C" BOOST_SYMBOL_EXPORT unsigned long long rnnlab_plugin_layout() {                     \
    return rnnlab::abi::layout_fingerprint();                                                     \
  }                                                                                               \
  extern "C" BOOST_SYMBOL_EXPORT const char* rnnlab_plugin_sdk_version() { return RNNLAB_VERSION_STRING; } \
  extern "C" BOOST_SYMBOL_EXPORT void rnnlab_plugin_register(rnnlab::PluginRegistrar& r) { fn(r); }
