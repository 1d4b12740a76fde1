// Lua binding of networks, batches and gradients.
#include <filesystem>
#include <sstream>

#include "bindings.hpp"
#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/io.hpp"
#include "rnnlab/sdk/registry.hpp"

namespace rnnlab::lua {
namespace {

// --- Network ------------------------------------------------------------
// `init` of lab.network: an initializer name, { name, { parameters } } or
// an rnnlab.Initializer (from lab.initializer); sets config.init and
// config.init_params.
void network_init(lua_State* L, int index, NetworkConfig& config) {
  if (auto* made = test<InitializerObject>(L, index)) {
    config.init = (*made)->name;
    config.init_params = (*made)->values;
    return;
  }
  if (lua_type(L, index) == LUA_TSTRING) {
    config.init = lua_tostring(L, index);
    return;
  }
  if (lua_type(L, index) == LUA_TTABLE && lua_rawgeti(L, index, 1) == LUA_TSTRING) {
    config.init = lua_tostring(L, -1);
    lua_rawgeti(L, index, 2);
    config.init_params = to_params(L, lua_gettop(L), "initializer '" + config.init + "'");
    lua_pop(L, 2);
    std::size_t entries = 0;
    for (lua_pushnil(L); lua_next(L, index); lua_pop(L, 1)) ++entries;
    if (entries > 2) throw Error("network: init must be { name, { parameters } }, got more elements");
    return;
  }
  throw Error("network: init must be an initializer name, { name, { parameters } } or an rnnlab.Initializer, got " +
              type_of(L, index));
}

int network_new(lua_State* L) {
  // `init` chooses the initializer; the other fields are the parameters.
  NetworkConfig init;  // only init and init_params are used
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_pushstring(L, "init");
    if (lua_rawget(L, 1) != LUA_TNIL) {
      network_init(L, lua_gettop(L), init);
      lua_newtable(L);
      for (lua_pushnil(L); lua_next(L, 1);) {
        if (lua_type(L, -2) == LUA_TSTRING && std::string(lua_tostring(L, -2)) == "init") {
          lua_pop(L, 1);
          continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
      }
      lua_replace(L, 1);
    }
    lua_settop(L, 1);
  }
  const auto given = to_params(L, 1, "network");
  NetworkConfig config = Network::config_from(ParamSet::validate(Network::specs(), given, "network"));
  config.init = init.init;
  config.init_params = init.init_params;
  push(L, std::make_shared<Network>(make_network(*context(L).registry, config)));
  return 1;
}

int network_load(lua_State* L) {
  push(L, std::make_shared<Network>(load_network(path_arg(L, 1, "lab.load_network(path)"))));
  return 1;
}

int network_save(lua_State* L) {
  const Network& net = *check<Network>(L, 1);
  save_network(path_arg(L, 2, "net:save(path)"), net);
  lua_settop(L, 1);
  return 1;
}

int network_copy(lua_State* L) {
  push(L, std::make_shared<Network>(*check<Network>(L, 1)));
  return 1;
}

// net:initial(): a network holding the weights before training (the
// recorded ones, or the current weights of a network never trained).
int network_initial(lua_State* L) {
  const Network& net = *check<Network>(L, 1);
  push(L, std::make_shared<Network>(net.config(), net.initial_params()));
  return 1;
}

int network_tostring(lua_State* L) {
  lua_pushstring(L, check<Network>(L, 1)->summary().c_str());
  return 1;
}

bool network_field(lua_State* L, int self, const std::string& key) {
  const Network& net = *check<Network>(L, self);
  const auto& s = net.shape();
  const auto& c = net.config();
  if (key == "inputs") lua_pushinteger(L, static_cast<lua_Integer>(s.inputs));
  else if (key == "hidden") lua_pushinteger(L, static_cast<lua_Integer>(s.hidden));
  else if (key == "outputs") lua_pushinteger(L, static_cast<lua_Integer>(s.outputs));
  else if (key == "alpha") lua_pushnumber(L, c.alpha);
  else if (key == "gain") lua_pushnumber(L, c.gain);
  else if (key == "seed") lua_pushinteger(L, static_cast<lua_Integer>(c.seed));
  else if (key == "bias") lua_pushboolean(L, s.bias);
  else if (key == "activation") lua_pushstring(L, to_string(c.activation));
  else if (key == "precision") lua_pushstring(L, to_string(c.precision));
  else if (key == "init") lua_pushstring(L, c.init.empty() ? "gaussian" : c.init.c_str());
  else if (key == "parameters") lua_pushinteger(L, static_cast<lua_Integer>(s.size()));
  else return false;
  return true;
}

// --- Batch ----------------------------------------------------------------
int batch_load(lua_State* L) {
  push(L, std::make_shared<Batch>(load_batch(path_arg(L, 1, "lab.load_batch(path)"))));
  return 1;
}

// batch:constant_loss(): the "same answer on every trial" level of this batch.
int batch_constant_loss(lua_State* L) {
  lua_pushnumber(L, constant_answer_loss(*check<Batch>(L, 1)));
  return 1;
}

int batch_save(lua_State* L) {
  const Batch& batch = *check<Batch>(L, 1);
  save_batch(path_arg(L, 2, "batch:save(path)"), batch);
  lua_settop(L, 1);
  return 1;
}

int batch_tostring(lua_State* L) {
  const Batch& b = *check<Batch>(L, 1);
  std::ostringstream os;
  os << "Batch(task=" << (b.task.empty() ? "?" : b.task) << ", trials=" << b.size() << ", steps=" << b.steps()
     << ", inputs=" << b.inputs() << ", outputs=" << b.outputs() << ", dt=" << b.dt
     << ", loss=" << to_string(b.loss) << ")";
  lua_pushstring(L, os.str().c_str());
  return 1;
}

bool batch_field(lua_State* L, int self, const std::string& key) {
  const Batch& b = *check<Batch>(L, self);
  if (key == "size") lua_pushinteger(L, static_cast<lua_Integer>(b.size()));
  else if (key == "steps") lua_pushinteger(L, static_cast<lua_Integer>(b.steps()));
  else if (key == "inputs") lua_pushinteger(L, static_cast<lua_Integer>(b.inputs()));
  else if (key == "outputs") lua_pushinteger(L, static_cast<lua_Integer>(b.outputs()));
  else if (key == "dt") lua_pushnumber(L, b.dt);
  else if (key == "task") lua_pushstring(L, b.task.c_str());
  else if (key == "loss") lua_pushstring(L, to_string(b.loss));
  else return false;
  return true;
}

// --- Gradient ---------------------------------------------------------------
int gradient_save(lua_State* L) {
  const Gradient& g = *check<Gradient>(L, 1);
  save_gradient(path_arg(L, 2, "grad:save(path)"), g, g.params.shape());
  lua_settop(L, 1);
  return 1;
}

int gradient_tostring(lua_State* L) {
  const Gradient& g = *check<Gradient>(L, 1);
  std::ostringstream os;
  os << "Gradient(rule=" << g.rule << ", loss=" << g.loss << ", norm=" << arma::norm(g.params.theta, 2) << ")";
  lua_pushstring(L, os.str().c_str());
  return 1;
}

bool gradient_field(lua_State* L, int self, const std::string& key) {
  const Gradient& g = *check<Gradient>(L, self);
  if (key == "loss") lua_pushnumber(L, g.loss);
  else if (key == "rule") lua_pushstring(L, g.rule.c_str());
  else if (key == "norm") lua_pushnumber(L, arma::norm(g.params.theta, 2));
  else return false;
  return true;
}

// lab.mkdir(path): creates a directory and its parents (no error if present).
int make_directory(lua_State* L) {
  const std::string path = path_arg(L, 1, "lab.mkdir(path)");
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw IoError("cannot create directory '" + path + "': " + ec.message());
  lua_pushstring(L, path.c_str());
  return 1;
}

}  // namespace

std::shared_ptr<Batch> opt_batch(lua_State* L, int index) {
  if (auto* b = test<Batch>(L, index)) return *b;
  return nullptr;
}

void open_objects(lua_State* L) {
  static const luaL_Reg network_methods[] = {
      {"save", guarded<network_save>}, {"copy", guarded<network_copy>}, {"initial", guarded<network_initial>},
      {nullptr, nullptr}};
  static const char* const network_fields[] = {"inputs", "hidden", "outputs", "alpha", "gain", "seed",
                                               "bias", "activation", "precision", "init", "parameters", nullptr};
  define_type<Network>(L, network_methods, network_field, network_fields, guarded<network_tostring>);
  static const luaL_Reg batch_methods[] = {{"save", guarded<batch_save>}, {"constant_loss", guarded<batch_constant_loss>}, {nullptr, nullptr}};
  static const char* const batch_fields[] = {"size", "steps", "inputs", "outputs", "dt", "task", "loss", nullptr};
  define_type<Batch>(L, batch_methods, batch_field, batch_fields, guarded<batch_tostring>);
  static const luaL_Reg gradient_methods[] = {{"save", guarded<gradient_save>}, {nullptr, nullptr}};
  static const char* const gradient_fields[] = {"loss", "rule", "norm", nullptr};
  define_type<Gradient>(L, gradient_methods, gradient_field, gradient_fields, guarded<gradient_tostring>);

  static const luaL_Reg functions[] = {{"network", guarded<network_new>},
                                       {"load_network", guarded<network_load>},
                                       {"load_batch", guarded<batch_load>},
                                       {"mkdir", guarded<make_directory>},
                                       {nullptr, nullptr}};
  luaL_setfuncs(L, functions, 0);
}

}  // namespace rnnlab::lua
