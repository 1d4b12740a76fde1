#pragma once
// Parameters are data: every plugin (and the network) declares a table of
// ParamSpec, and user-supplied values are validated against it. The same
// table feeds `rnnlab help`, the docs and error messages.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

/// A parameter value as given by a user (Lua numbers arrive as double or
/// integer; both are held as double and checked for integrality).
using Value = std::variant<bool, double, std::string>;

RNNLAB_EXPORT std::string describe(const Value& v);  // e.g. "3", "true", "'abc'"

enum class ParamType { Number, Integer, Boolean, Choice, Text };
RNNLAB_EXPORT const char* to_string(ParamType t);

/// One entry of a parameter table.
struct RNNLAB_EXPORT ParamSpec {
  std::string name;     ///< key in Lua tables, e.g. "lr"
  ParamType type = ParamType::Number;
  Value default_value;  ///< used when the user gives none
  std::string symbol;   ///< the paper's symbol, e.g. "η"
  std::string unit;     ///< e.g. "ms"; empty when dimensionless
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;  ///< exclusive bounds
  std::vector<std::string> choices;       ///< for ParamType::Choice
  std::string meaning;                    ///< one line

  // Builders -----------------------------------------------------------
  static ParamSpec number(std::string name, double def);
  static ParamSpec integer(std::string name, std::int64_t def);
  static ParamSpec boolean(std::string name, bool def);
  static ParamSpec choice(std::string name, std::string def, std::vector<std::string> choices);
  static ParamSpec text(std::string name, std::string def);
  ParamSpec& sym(std::string s) { symbol = std::move(s); return *this; }
  ParamSpec& in(std::string u) { unit = std::move(u); return *this; }
  ParamSpec& range(double l, double h) { lo = l; hi = h; lo_open = hi_open = false; return *this; }
  ParamSpec& above(double l) { lo = l; lo_open = true; return *this; }   ///< (l, hi]
  ParamSpec& at_least(double l) { lo = l; lo_open = false; return *this; }
  ParamSpec& below(double h) { hi = h; hi_open = true; return *this; }
  ParamSpec& at_most(double h) { hi = h; hi_open = false; return *this; }
  ParamSpec& means(std::string m) { meaning = std::move(m); return *this; }

  /// "[0, inf)", "{a, b}", "true|false" — for help tables and errors.
  std::string valid_range() const;
  /// Throws Error naming `owner` (e.g. "rule 'eprop'") if `v` is invalid.
  Value check(const Value& v, const std::string& owner) const;
  /// The same checks and words, with messages starting with `where`
  /// (e.g. "'net.h5': attribute 'gain'") instead of "parameter 'gain' of ...".
  Value check_value(const Value& v, const std::string& where) const;
};

using ParamSpecs = std::vector<ParamSpec>;

/// A validated, complete parameter set (defaults filled in).
class RNNLAB_EXPORT ParamSet {
 public:
  ParamSet() = default;
  /// Validates `given` against `specs`. Unknown keys, wrong types and
  /// out-of-range values throw Error listing the valid keys or range.
  static ParamSet validate(const ParamSpecs& specs, const std::map<std::string, Value>& given,
                           const std::string& owner);

  double number(const std::string& name) const;
  std::int64_t integer(const std::string& name) const;
  bool boolean(const std::string& name) const;
  const std::string& text(const std::string& name) const;  ///< Choice or Text
  bool was_given(const std::string& name) const { return given_.count(name) != 0; }
  const std::map<std::string, Value>& values() const { return values_; }

 private:
  const Value& get(const std::string& name) const;
  std::map<std::string, Value> values_;
  std::map<std::string, bool> given_;
};

/// Parses "key=value, key=value" (numbers and true/false converted, the
/// rest kept as strings) — for parameters passed through a text parameter.
RNNLAB_EXPORT std::map<std::string, Value> parse_param_list(const std::string& text);

/// "lr, beta1, beta2" — for error messages.
RNNLAB_EXPORT std::string join_names(const ParamSpecs& specs);
RNNLAB_EXPORT std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

}  // namespace rnnlab
