// Opens plugin libraries with Boost.DLL. Libraries are never unloaded:
// their handles are kept for the life of the process, so no object or
// factory made by a plugin can outlive its code.
#include <dlfcn.h>
#include <link.h>

#include <boost/dll/shared_library.hpp>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

#include "plugin_probe.hpp"
#include "rnnlab/sdk/abi.hpp"
#include "rnnlab/sdk/version.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab {
namespace {

std::vector<std::shared_ptr<boost::dll::shared_library>>& library_keeper() {
  // Deliberately leaked: unloading at exit could run before the last
  // plugin-made object is destroyed.
  static auto* keep = new std::vector<std::shared_ptr<boost::dll::shared_library>>();
  return *keep;
}
std::mutex keeper_mutex;

// The address of an entry point, checked to be a function: calling a data
// symbol (`extern "C" int rnnlab_plugin_abi_version = 1;`) would jump into
// data and crash. The ELF symbol table says what the symbol is.
void* entry_point(boost::dll::shared_library& lib, const char* name) {
  void* address = dlsym(lib.native(), name);
  if (!address) throw Error("not an rnnlab plugin (no RNNLAB_PLUGIN entry point)");
  Dl_info info{};
  void* entry = nullptr;  // the ElfW(Sym) of the symbol
  if (dladdr1(address, &info, &entry, RTLD_DL_SYMENT) == 0 || !entry)
    throw Error(std::string("not an rnnlab plugin: ") + name + " is not a function");
  const unsigned type = ELF64_ST_TYPE(static_cast<const ElfW(Sym)*>(entry)->st_info);
  if (type != STT_FUNC && type != STT_GNU_IFUNC)
    throw Error(std::string("not an rnnlab plugin: ") + name + " is not a function (" +
                (type == STT_OBJECT ? "a data symbol" : "ELF symbol type " + std::to_string(type)) +
                "; RNNLAB_PLUGIN defines both entry points as functions)");
  return address;
}

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
  auto* const abi_version = reinterpret_cast<int (*)()>(entry_point(*lib, "rnnlab_plugin_abi_version"));
  auto* const register_plugin =
      reinterpret_cast<void (*)(PluginRegistrar&)>(entry_point(*lib, "rnnlab_plugin_register"));
  const int abi = abi_version();
  if (abi != RNNLAB_ABI_VERSION)
    throw Error("plugin ABI version " + std::to_string(abi) + " does not match rnnlab's " +
                std::to_string(RNNLAB_ABI_VERSION) + "; rebuild the plugin against this rnnlab");
  // Same interface version: now the data layout the plugin was compiled
  // with (its SDK headers, compiler flags, Armadillo) must be this one's.
  if (!lib->has("rnnlab_plugin_layout"))
    throw Error("plugin has no SDK layout fingerprint (built with headers older than SDK 2.0); rebuild it against "
                "this rnnlab " + std::string(version()));
  auto* const layout = reinterpret_cast<unsigned long long (*)()>(entry_point(*lib, "rnnlab_plugin_layout"));
  std::string built_with = "an unknown rnnlab";
  if (lib->has("rnnlab_plugin_sdk_version")) {
    auto* const sdk_version = reinterpret_cast<const char* (*)()>(entry_point(*lib, "rnnlab_plugin_sdk_version"));
    if (const char* v = sdk_version()) built_with = "rnnlab " + std::string(v).substr(0, 40);
  }
  if (layout() != abi::layout_fingerprint()) {
    char theirs[17], ours[17];
    std::snprintf(theirs, sizeof theirs, "%016llx", layout());
    std::snprintf(ours, sizeof ours, "%016llx", static_cast<unsigned long long>(abi::layout_fingerprint()));
    throw Error("plugin built against " + built_with + " with another SDK layout (fingerprint " + theirs +
                "; this rnnlab " + version() + ": " + ours + "); rebuild the plugin against this rnnlab");
  }
  {
    std::lock_guard<std::mutex> lock(keeper_mutex);
    library_keeper().push_back(lib);
  }
  try {
    register_plugin(registrar);
  } catch (const std::exception& e) {
    throw Error(std::string("registration failed: ") + e.what());
  } catch (...) {
    throw Error("registration failed with an unknown exception");
  }
}

}  // namespace rnnlab
