// lab.plot.curves{...}, lab.plot.lyapunov{...}, lab.plot.trial(task_or_batch, net?, {...}),
// lab.plot.fixed_points(result, {...}), and lab.results(dir, {...}): the runs
// behind a sweep's figures, for scripts.
#include <algorithm>
#include <cmath>

#include "bindings.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/app/plot.hpp"

namespace rnnlab::lua {
namespace {

// Reads the fields of an options table into `set`, refusing unknown keys.
template <class Set>
void read_options(lua_State* L, int index, const std::string& where, const std::vector<std::string>& valid, Set set) {
  if (lua_isnoneornil(L, index)) return;
  if (!lua_istable(L, index)) throw Error(where + " expects a table of options, got " + type_of(L, index));
  auto params = to_params(L, index, where);
  for (const auto& [k, v] : params) {
    if (std::find(valid.begin(), valid.end(), k) == valid.end())
      throw Error(where + ": unknown option '" + k + "'; valid: " + join(valid));
    set(k, v);
  }
}

std::string text(const Value& v, const std::string& key) {
  if (auto s = std::get_if<std::string>(&v)) return *s;
  throw Error("option '" + key + "' must be a string, got " + describe(v));
}
double number(const Value& v, const std::string& key) {
  if (auto d = std::get_if<double>(&v)) return *d;
  throw Error("option '" + key + "' must be a number, got " + describe(v));
}
// A whole number in [lo, 2^53]: converting NaN, a fraction's overflow or
// 1e300 to an integer type would be undefined behaviour.
double whole(const Value& v, const std::string& key, double lo) {
  const double d = number(v, key);
  if (!(d >= lo && d <= 9007199254740992.0) || d != std::floor(d))
    throw Error("option '" + key + "' must be a whole number >= " + describe(lo) + ", got " + describe(v));
  return d;
}
bool boolean(const Value& v, const std::string& key) {
  if (auto b = std::get_if<bool>(&v)) return *b;
  throw Error("option '" + key + "' must be a boolean, got " + describe(v));
}

int curves(lua_State* L) {
  CurvesOptions o;
  read_options(L, 1, "lab.plot.curves",
               {"sweep", "out", "by", "select", "from", "log_y", "title", "value", "level", "level_title"},
               [&](const std::string& k, const Value& v) {
                 if (k == "sweep") o.sweep = text(v, k);
                 else if (k == "value") o.value = text(v, k);
                 else if (k == "level") o.level = number(v, k);
                 else if (k == "level_title") o.level_title = text(v, k);
                 else if (k == "out") o.out = text(v, k);
                 else if (k == "by") o.by = text(v, k);
                 else if (k == "select") o.select = text(v, k);
                 else if (k == "from") o.from = static_cast<std::size_t>(whole(v, k, 0));
                 else if (k == "log_y") o.log_y = boolean(v, k);
                 else o.title = text(v, k);
               });
  if (o.sweep.empty() || o.out.empty()) throw Error("lab.plot.curves needs 'sweep' (a sweep directory) and 'out'");
  lua_pushstring(L, plot_curves(o).c_str());
  return 1;
}

int lyapunov(lua_State* L) {
  LyapunovPlotOptions o;
  read_options(L, 1, "lab.plot.lyapunov", {"sweep", "out", "by", "select", "before", "after", "title"},
               [&](const std::string& k, const Value& v) {
                 if (k == "sweep") o.sweep = text(v, k);
                 else if (k == "out") o.out = text(v, k);
                 else if (k == "by") o.by = text(v, k);
                 else if (k == "select") o.select = text(v, k);
                 else if (k == "before") o.before = text(v, k);
                 else if (k == "after") o.after = text(v, k);
                 else o.title = text(v, k);
               });
  if (o.sweep.empty() || o.out.empty()) throw Error("lab.plot.lyapunov needs 'sweep' (a sweep directory) and 'out'");
  lua_pushstring(L, plot_lyapunov(o).c_str());
  return 1;
}

int trial(lua_State* L) {
  std::shared_ptr<Batch> batch = opt_batch(L, 1);
  std::string name = batch ? batch->task : "";
  std::string out, title;
  double index = 1, seed = 1;
  if (auto* t = test<TaskObject>(L, 1)) {
    name = (*t)->name;
    read_options(L, 3, "lab.plot.trial", {"out", "trial", "seed", "title"}, [&](const std::string& k, const Value& v) {
      if (k == "seed") seed = whole(v, k, 0);
    });
    batch = std::make_shared<Batch>();
    (*t)->object->generate(static_cast<std::uint64_t>(seed), *batch);
  } else if (!batch) {
    throw Error("lab.plot.trial(task_or_batch, net, options): argument 1 must be an rnnlab.Task or rnnlab.Batch, got " +
                type_of(L, 1));
  }
  const Network* net = nullptr;
  if (!lua_isnoneornil(L, 2)) net = check<Network>(L, 2).get();
  read_options(L, 3, "lab.plot.trial", {"out", "trial", "seed", "title"}, [&](const std::string& k, const Value& v) {
    if (k == "out") out = text(v, k);
    else if (k == "trial") index = whole(v, k, 1);
    else if (k == "title") title = text(v, k);
  });
  if (out.empty()) throw Error("lab.plot.trial needs the option 'out' (image path without extension)");
  if (index < 1) throw Error("lab.plot.trial: 'trial' counts from 1");
  if (title.empty()) title = name + ", trial " + std::to_string(static_cast<long>(index));
  lua_pushstring(L, plot_trial(*batch, net, static_cast<std::size_t>(index) - 1, out, title).c_str());
  return 1;
}

// A grid value as the sweep wrote it: a number if the text is one.
void push_grid_value(lua_State* L, const std::string& text) {
  if (lua_stringtonumber(L, text.c_str()) == 0) lua_pushstring(L, text.c_str());
}

// lab.results(dir, { by = "gain", select = "lr" }) -> { runs = {...}, best = {...} }
int results(lua_State* L) {
  const std::string dir = luaL_checkstring(L, 1);
  std::string by, select;
  read_options(L, 2, "lab.results", {"by", "select"}, [&](const std::string& k, const Value& v) {
    if (k == "by") by = text(v, k);
    else select = text(v, k);
  });
  if (!select.empty() && by.empty()) throw Error("lab.results: 'select' needs 'by' (the grid key of the groups)");
  const std::vector<RunResult> runs = read_sweep_results(dir);
  for (const std::string& key : {by, select})
    if (!key.empty() && !runs.front().grid.count(key))
      throw Error("lab.results: '" + dir + "' has no grid key '" + key + "'");
  lua_createtable(L, 0, 2);
  lua_createtable(L, static_cast<int>(runs.size()), 0);
  lua_Integer i = 0;
  for (const RunResult& r : runs) {
    lua_createtable(L, 0, 6);
    lua_pushstring(L, r.id.c_str());
    lua_setfield(L, -2, "id");
    lua_createtable(L, 0, static_cast<int>(r.grid.size()));
    for (const auto& [k, v] : r.grid) {
      push_grid_value(L, v);
      lua_setfield(L, -2, k.c_str());
    }
    lua_setfield(L, -2, "grid");
    lua_pushnumber(L, r.final_loss);
    lua_setfield(L, -2, "final_loss");
    lua_pushboolean(L, r.diverged);
    lua_setfield(L, -2, "diverged");
    lua_createtable(L, static_cast<int>(r.curve.size()), 0);
    lua_Integer j = 0;
    for (const auto& [iteration, loss] : r.curve) {
      lua_createtable(L, 0, 2);
      lua_pushinteger(L, static_cast<lua_Integer>(iteration));
      lua_setfield(L, -2, "iteration");
      lua_pushnumber(L, loss);
      lua_setfield(L, -2, "loss");
      lua_rawseti(L, -2, ++j);
    }
    lua_setfield(L, -2, "curve");
    lua_createtable(L, 0, static_cast<int>(r.scalars.size()));
    for (const auto& [k, v] : r.scalars) {
      lua_pushnumber(L, v);
      lua_setfield(L, -2, k.c_str());
    }
    lua_setfield(L, -2, "scalars");
    lua_rawseti(L, -2, ++i);
  }
  lua_setfield(L, -2, "runs");
  lua_newtable(L);
  if (!by.empty())
    for (const auto& [group, choice] : best_selection(runs, by, select)) {
      push_grid_value(L, group);
      if (select.empty()) lua_pushboolean(L, 1);
      else push_grid_value(L, choice);
      lua_settable(L, -3);
    }
  lua_setfield(L, -2, "best");
  return 1;
}

// The numbers and arrays of numbers of a result table (what analysis:run returned).
AnalysisResult result_table(lua_State* L, int index, const std::string& where) {
  if (!lua_istable(L, index)) throw Error(where + ": argument 1 must be the table an analysis returned, got " + type_of(L, index));
  AnalysisResult out;
  for (lua_pushnil(L); lua_next(L, index); lua_pop(L, 1)) {
    if (lua_type(L, -2) != LUA_TSTRING) continue;
    const std::string key = lua_tostring(L, -2);
    if (lua_type(L, -1) == LUA_TNUMBER) {
      out.emplace_back(key, static_cast<double>(lua_tonumber(L, -1)));
    } else if (lua_istable(L, -1)) {
      std::vector<double> values;
      const auto n = static_cast<lua_Integer>(luaL_len(L, -1));
      for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, -1, i);
        if (lua_type(L, -1) != LUA_TNUMBER) {
          lua_pop(L, 1);
          throw Error(where + ": '" + key + "' must be an array of numbers");
        }
        values.push_back(lua_tonumber(L, -1));
        lua_pop(L, 1);
      }
      out.emplace_back(key, std::move(values));
    }
  }
  return out;
}

int fixed_points(lua_State* L) {
  const AnalysisResult result = result_table(L, 1, "lab.plot.fixed_points");
  std::string out, title = "fixed points";
  read_options(L, 2, "lab.plot.fixed_points", {"out", "title"}, [&](const std::string& k, const Value& v) {
    if (k == "out") out = text(v, k);
    else title = text(v, k);
  });
  if (out.empty()) throw Error("lab.plot.fixed_points needs the option 'out' (image path without extension)");
  lua_pushstring(L, plot_fixed_points(result, out, title).c_str());
  return 1;
}

}  // namespace

void open_results(lua_State* L) {
  lua_pushcfunction(L, guarded<results>);
  lua_setfield(L, -2, "results");
}

void open_plot(lua_State* L) {
  static const luaL_Reg functions[] = {{"curves", guarded<curves>},
                                       {"lyapunov", guarded<lyapunov>},
                                       {"trial", guarded<trial>},
                                       {"fixed_points", guarded<fixed_points>},
                                       {nullptr, nullptr}};
  lua_newtable(L);
  luaL_setfuncs(L, functions, 0);
  lua_setfield(L, -2, "plot");
}

}  // namespace rnnlab::lua
