// The feedback-matrix methods of rnnlab.Rule, added to the type's method
// table after open_plugins() defined it:
//   rule:feedback()            B as a table of rows, or nil
//   rule:set_feedback(rows)    use B in every later phase (kept by begin())
//   rule:save_feedback(path)   B to HDF5 (dataset "feedback", N × Nout)
// A supplied B works for any rule whose learning state has an entry
// "feedback" (e-prop and RFLO with random feedback): the rule object is
// wrapped so that after each begin() the entry is replaced by B.
#include <algorithm>
#include <sstream>

#include "bindings.hpp"
#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/error.hpp"
#include "rnnlab/sdk/io.hpp"

namespace rnnlab::lua {

namespace {

const arma::mat* feedback_entry(const LearningState& state) {
  for (const auto& [name, m] : state)
    if (name == "feedback") return &m;
  return nullptr;
}

// A rule whose "feedback" state entry is replaced by a supplied B after
// every begin(): the draw from the phase seed is overridden, checkpoints
// save B as before.
class SuppliedFeedback final : public Rule {
 public:
  SuppliedFeedback(std::shared_ptr<Rule> inner, arma::mat B) : inner_(std::move(inner)), B_(std::move(B)) {}
  void begin(const Network& net, std::uint64_t seed) override {
    check_feedback(B_, net.shape());
    inner_->begin(net, seed);
    LearningState s = inner_->state();
    for (auto& [name, m] : s)
      if (name == "feedback") m = B_;
    inner_->restore(s);
  }
  void gradient(const Network& net, const Batch& batch, Gradient& out) override { inner_->gradient(net, batch, out); }
  LearningState state() const override { return inner_->state(); }
  void restore(const LearningState& state) override { inner_->restore(state); }
  const arma::mat& supplied() const { return B_; }
  void supply(arma::mat B) { B_ = std::move(B); }
  const std::shared_ptr<Rule>& inner() const { return inner_; }

 private:
  std::shared_ptr<Rule> inner_;
  arma::mat B_;
};

// B of a rule: the supplied one until a phase has begun, then the state's.
const arma::mat* current_feedback(const RuleObject& r, LearningState& keep) {
  keep = r.object->state();
  const arma::mat* m = feedback_entry(keep);
  if (auto* s = dynamic_cast<const SuppliedFeedback*>(r.object.get()); s && (!m || m->is_empty()))
    return &s->supplied();
  return m && !m->is_empty() ? m : nullptr;
}

// A Lua table of rows {{…}, {…}} as a matrix.
arma::mat to_matrix(lua_State* L, int index, const std::string& call) {
  if (!lua_istable(L, index)) throw Error(call + ": expects a table of rows, got " + type_of(L, index));
  const auto rows = static_cast<arma::uword>(luaL_len(L, index));
  if (rows == 0) throw Error(call + ": the matrix has no rows");
  arma::mat m;
  for (arma::uword i = 0; i < rows; ++i) {
    lua_geti(L, index, static_cast<lua_Integer>(i + 1));
    if (!lua_istable(L, -1)) {
      const std::string got = type_of(L, -1);
      lua_pop(L, 1);
      throw Error(call + ": row " + std::to_string(i + 1) + " is a " + got + ", not a table of numbers");
    }
    const auto cols = static_cast<arma::uword>(luaL_len(L, -1));
    if (i == 0) m.set_size(rows, cols);
    if (cols != m.n_cols || cols == 0) {
      lua_pop(L, 1);
      throw Error(call + ": row " + std::to_string(i + 1) + " has " + std::to_string(cols) + " entries, row 1 has " +
                  std::to_string(m.n_cols));
    }
    for (arma::uword j = 0; j < cols; ++j) {
      lua_geti(L, -1, static_cast<lua_Integer>(j + 1));
      int is_number = 0;
      const double v = lua_tonumberx(L, -1, &is_number);
      lua_pop(L, 1);
      if (!is_number) {
        lua_pop(L, 1);
        throw Error(call + ": entry [" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "] is not a number");
      }
      m(i, j) = v;
    }
    lua_pop(L, 1);
  }
  return m;
}

void push_matrix(lua_State* L, const arma::mat& m) {
  lua_createtable(L, static_cast<int>(m.n_rows), 0);
  for (arma::uword i = 0; i < m.n_rows; ++i) {
    lua_createtable(L, static_cast<int>(m.n_cols), 0);
    for (arma::uword j = 0; j < m.n_cols; ++j) {
      lua_pushnumber(L, m(i, j));
      lua_rawseti(L, -2, static_cast<lua_Integer>(j + 1));
    }
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

int rule_feedback(lua_State* L) {
  const RuleObject& r = *check<RuleObject>(L, 1);
  LearningState keep;
  if (const arma::mat* m = current_feedback(r, keep)) push_matrix(L, *m);
  else lua_pushnil(L);
  return 1;
}

int rule_set_feedback(lua_State* L) {
  RuleObject& r = *check<RuleObject>(L, 1);
  const std::string call = "rule:set_feedback(B)";
  arma::mat B = to_matrix(L, 2, call);
  if (!B.is_finite()) throw Error(call + ": B holds NaN or Inf");
  if (auto* s = dynamic_cast<SuppliedFeedback*>(r.object.get())) {
    s->supply(std::move(B));
    return 0;
  }
  if (!feedback_entry(r.object->state()))
    throw Error("rule '" + r.name + "' has no feedback matrix to set (its learning state has no 'feedback'; " +
                "e-prop needs feedback = \"random\")");
  r.object = std::make_shared<SuppliedFeedback>(r.object, std::move(B));
  return 0;
}

int rule_save_feedback(lua_State* L) {
  const RuleObject& r = *check<RuleObject>(L, 1);
  const std::string path = path_arg(L, 2, "rule:save_feedback(path)");
  LearningState keep;
  const arma::mat* m = current_feedback(r, keep);
  if (!m)
    throw Error("rule:save_feedback: rule '" + r.name + "' has no feedback matrix (yet: B is drawn when a phase " +
                "begins)");
  save_matrix(path, "feedback", *m);
  return 0;
}

// Adds "a(), b()" to the sorted method list of an unknown-key message.
std::string with_methods(const std::string& valid, std::vector<std::string> added) {
  const std::string tag = "; methods: ";
  const auto at = valid.find(tag);
  std::vector<std::string> all = std::move(added);
  std::string head = valid;
  if (at != std::string::npos) {
    std::stringstream in(valid.substr(at + tag.size()));
    std::string item;
    while (std::getline(in, item, ',')) {
      item.erase(0, item.find_first_not_of(' '));
      if (!item.empty()) all.push_back(item);
    }
    head = valid.substr(0, at);
  }
  std::sort(all.begin(), all.end());
  return head + tag + join(all);
}

}  // namespace

void open_rule(lua_State* L) {
  static const luaL_Reg methods[] = {{"feedback", guarded<rule_feedback>},
                                     {"set_feedback", guarded<rule_set_feedback>},
                                     {"save_feedback", guarded<rule_save_feedback>},
                                     {nullptr, nullptr}};
  // __index is a closure whose upvalues are (methods, fields, type name,
  // valid keys) (lua_util.cpp, install_metatable).
  luaL_getmetatable(L, TypeName<RuleObject>::value);
  if (lua_getfield(L, -1, "__index") != LUA_TFUNCTION || !lua_getupvalue(L, -1, 1) || !lua_istable(L, -1))
    throw Error("internal: rnnlab.Rule is not defined before open_rule");
  luaL_setfuncs(L, methods, 0);
  lua_pop(L, 1);
  if (lua_getupvalue(L, -1, 4)) {
    if (lua_type(L, -1) == LUA_TSTRING) {
      const std::string valid =
          with_methods(lua_tostring(L, -1), {"feedback()", "set_feedback()", "save_feedback()"});
      lua_pop(L, 1);
      lua_pushstring(L, valid.c_str());
      lua_setupvalue(L, -2, 4);
    } else {
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 2);
}

}  // namespace rnnlab::lua
