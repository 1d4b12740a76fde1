// The script runner, modelled on lua.c: a message handler adds a
// traceback, Ctrl-C raises an error at the next safe point, and the
// rnnlab module is preloaded with its Lua prelude.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "bindings.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/app/script.hpp"
#include "rnnlab/app/trainer.hpp"
#include "rnnlab/sdk/version.hpp"

namespace rnnlab {
namespace {

lua_State* g_running = nullptr;

void interrupt_hook(lua_State* L, lua_Debug*) {
  lua_sethook(L, nullptr, 0, 0);
  luaL_error(L, "interrupted");
}

extern "C" void on_sigint(int) {
  // Async-signal-safe: an atomic flag for the C++ loops, and a hook that
  // makes the interpreter raise at its next instruction (as lua.c does).
  request_interrupt();
  if (g_running) lua_sethook(g_running, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

// "file:line: " of the innermost Lua function on the stack ("" if none):
// where a script raised an error object that carries no position.
void push_script_position(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

int message_handler(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (!msg) {
    // error(obj) with a non-string: say where, and what it was.
    push_script_position(L);
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
      lua_concat(L, 2);
      return 1;
    }
    lua_pushfstring(L, "error object is a %s value (error() takes a message string)", luaL_typename(L, 1));
    lua_concat(L, 2);
    msg = lua_tostring(L, -1);
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int open_module(lua_State* L) {
  lua_newtable(L);
  lua::open_objects(L);
  lua::open_plugins(L);
  lua::open_rule(L);
  lua::open_train(L);
  lua::open_sweep(L);
  lua::open_plot(L);
  lua::open_results(L);
  lua_pushstring(L, version());
  lua_setfield(L, -2, "version");
  return 1;
}

// Parses "--set key=value": numbers become numbers, true/false booleans.
void push_arg_value(lua_State* L, const std::string& text) {
  if (text == "true" || text == "false") {
    lua_pushboolean(L, text == "true");
    return;
  }
  if (lua_stringtonumber(L, text.c_str()) == 0) lua_pushstring(L, text.c_str());
}

// Runs a chunk at the top of the stack under the traceback handler.
int protected_call(lua_State* L, int nargs, int nresults) {
  const int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, message_handler);
  lua_insert(L, base);
  const int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return status;
}

int report(lua_State* L) {
  std::string msg = lua_tostring(L, -1) ? lua_tostring(L, -1) : "(no message)";
  lua_pop(L, 1);
  if (interrupt_requested()) {
    std::cerr << "rnnlab: interrupted (Ctrl-C); results written so far are kept\n";
    return 130;
  }
  std::cerr << "rnnlab: " << msg << std::endl;
  return 1;
}

}  // namespace

std::string default_share_dir(const std::string& exe_path) {
  if (const char* env = std::getenv("RNNLAB_SHARE_DIR")) return env;
  std::error_code ec;
  auto exe = std::filesystem::weakly_canonical(exe_path, ec);
  return (exe.parent_path().parent_path() / "share" / "rnnlab").string();
}

int run_script(Registry& registry, const ScriptOptions& options) {
  lua::Context ctx{&registry, options.quiet, options.jobs, options.shard_index, options.shard_count};
  lua_State* L = luaL_newstate();
  if (!L) {
    std::cerr << "rnnlab: cannot create a Lua state (out of memory)\n";
    return 1;
  }
  luaL_openlibs(L);
  lua::set_context(L, &ctx);

  int exit_code = 0;
  auto fail = [&](int) { exit_code = report(L); };

  // The module: C functions, then the prelude's sugar on top.
  luaL_requiref(L, "rnnlab", open_module, 0);  // module on the stack, in package.loaded
  const std::string prelude = (std::filesystem::path(options.share_dir) / "lua" / "prelude.lua").string();
  std::string prelude_code;
  {
    FILE* f = std::fopen(prelude.c_str(), "rb");
    if (!f) {
      std::cerr << "rnnlab: cannot read the Lua prelude '" << prelude
                << "' (set RNNLAB_SHARE_DIR to the share/rnnlab directory)\n";
      lua_close(L);
      return 1;
    }
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) prelude_code.append(buf, n);
    std::fclose(f);
  }
  if (luaL_loadbufferx(L, prelude_code.data(), prelude_code.size(), "=[rnnlab prelude]", "t") != LUA_OK) {
    fail(1);
    lua_close(L);
    return exit_code;
  }
  lua_pushvalue(L, -2);  // prelude(module) -> module
  if (protected_call(L, 1, 1) != LUA_OK) {
    fail(1);
    lua_close(L);
    return exit_code;
  }
  lua_remove(L, -2);
  // lab.args from --set and --out.
  lua_newtable(L);
  for (const auto& [key, value] : options.args) {
    push_arg_value(L, value);
    lua_setfield(L, -2, key.c_str());
  }
  if (!options.out.empty()) {
    lua_pushstring(L, options.out.c_str());
    lua_setfield(L, -2, "out");
  }
  lua_setfield(L, -2, "args");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, "rnnlab.module");
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "loaded");
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "rnnlab");
  lua_pop(L, 2);
  lua_setglobal(L, "lab");

  // Strict globals come last: from here on an undefined global is an error.
  lua_getglobal(L, "lab");
  lua_getfield(L, -1, "_strict");
  lua_remove(L, -2);
  if (lua_isfunction(L, -1)) {
    if (protected_call(L, 0, 0) != LUA_OK) {
      fail(1);
      lua_close(L);
      return exit_code;
    }
  } else {
    lua_pop(L, 1);
  }

  clear_interrupt();
  g_running = L;
  auto* previous = std::signal(SIGINT, on_sigint);
  int status = luaL_loadfilex(L, options.script.c_str(), "t");
  if (status == LUA_OK) {
    lua_pushstring(L, options.script.c_str());
    status = protected_call(L, 1, 0);
  }
  std::signal(SIGINT, previous);
  g_running = nullptr;
  if (status != LUA_OK) fail(status);
  std::fflush(stdout);
  lua_close(L);  // every plugin-made object dies here, before any library
  return exit_code;
}

}  // namespace rnnlab
