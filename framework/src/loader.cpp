// Opens plugin libraries with Boost.DLL. Libraries are never unloaded:
// their handles are kept for the life of the process, so no object or
// factory made by a plugin can outlive its code.
#include <boost/dll/shared_library.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "rnnlab/abi.hpp"
#include "rnnlab/error.hpp"
#include "rnnlab/registry.hpp"

namespace rnnlab {
namespace {

std::vector<std::shared_ptr<boost::dll::shared_library>>& library_keeper() {
  // Deliberately leaked: unloading at exit could run before the last
  // plugin-made object is destroyed.
  static auto* keep = new std::vector<std::shared_ptr<boost::dll::shared_library>>();
  return *keep;
}
std::mutex keeper_mutex;

}  // namespace

void run_plugin_library(const std::string& file, PluginRegistrar& registrar) {
  auto lib = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code ec;
  lib->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !lib->is_loaded()) {
    const char* why = dlerror();
    throw Error(std::string("not a loadable library: ") + (why ? why : ec.message()));
  }
  if (!lib->has("rnnlab_plugin_abi_version") || !lib->has("rnnlab_plugin_register"))
    throw Error("not an rnnlab plugin (no RNNLAB_PLUGIN entry point)");
  const int abi = lib->get<int()>("rnnlab_plugin_abi_version")();
  if (abi != RNNLAB_ABI_VERSION)
    throw Error("plugin ABI version " + std::to_string(abi) + " does not match rnnlab's " +
                std::to_string(RNNLAB_ABI_VERSION) + "; rebuild the plugin against this rnnlab");
  {
    std::lock_guard<std::mutex> lock(keeper_mutex);
    library_keeper().push_back(lib);
  }
  try {
    lib->get<void(PluginRegistrar&)>("rnnlab_plugin_register")(registrar);
  } catch (const std::exception& e) {
    throw Error(std::string("registration failed: ") + e.what());
  } catch (...) {
    throw Error("registration failed with an unknown exception");
  }
}

}  // namespace rnnlab
