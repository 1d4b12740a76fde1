#include "rnnlab/sdk/params.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "rnnlab/sdk/error.hpp"

namespace rnnlab {
namespace {

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == std::floor(v) && std::abs(v) < 1e17) return std::to_string(static_cast<long long>(v));
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

const char* type_name(const Value& v) {
  if (std::holds_alternative<bool>(v)) return "boolean";
  if (std::holds_alternative<double>(v)) return "number";
  return "string";
}

}  // namespace

std::string describe(const Value& v) {
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto d = std::get_if<double>(&v)) return format_number(*d);
  return "'" + std::get<std::string>(v) + "'";
}

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::Number: return "number";
    case ParamType::Integer: return "integer";
    case ParamType::Boolean: return "boolean";
    case ParamType::Choice: return "choice";
    case ParamType::Text: return "string";
  }
  return "?";
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string join_names(const ParamSpecs& specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  return join(names);
}

std::map<std::string, Value> parse_param_list(const std::string& text) {
  std::map<std::string, Value> out;
  std::stringstream ss(text);
  std::string item;
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
  };
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw Error("expected key=value in '" + text + "', got '" + item + "'");
    const std::string key = trim(item.substr(0, eq)), value = trim(item.substr(eq + 1));
    if (value == "true" || value == "false") {
      out[key] = value == "true";
      continue;
    }
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (!value.empty() && end == value.c_str() + value.size())
      out[key] = number;
    else
      out[key] = value;
  }
  return out;
}

ParamSpec ParamSpec::number(std::string name, double def) {
  ParamSpec s;
  s.name = std::move(name);
  s.type = ParamType::Number;
  s.default_value = def;
  return s;
}
ParamSpec ParamSpec::integer(std::string name, std::int64_t def) {
  ParamSpec s = number(std::move(name), static_cast<double>(def));
  s.type = ParamType::Integer;
  return s;
}
ParamSpec ParamSpec::boolean(std::string name, bool def) {
  ParamSpec s;
  s.name = std::move(name);
  s.type = ParamType::Boolean;
  s.default_value = def;
  return s;
}
ParamSpec ParamSpec::choice(std::string name, std::string def, std::vector<std::string> choices) {
  ParamSpec s;
  s.name = std::move(name);
  s.type = ParamType::Choice;
  s.default_value = std::move(def);
  s.choices = std::move(choices);
  return s;
}
ParamSpec ParamSpec::text(std::string name, std::string def) {
  ParamSpec s;
  s.name = std::move(name);
  s.type = ParamType::Text;
  s.default_value = std::move(def);
  return s;
}

std::string ParamSpec::valid_range() const {
  switch (type) {
    case ParamType::Boolean: return "true|false";
    case ParamType::Choice: {
      std::string out("{");
      out.append(join(choices)).append("}");
      return out;
    }
    case ParamType::Text: return "any string";
    default: break;
  }
  if (std::isinf(lo) && std::isinf(hi)) return "any";
  std::string out(lo_open ? "(" : "[");
  out.append(format_number(lo)).append(", ").append(format_number(hi));
  out.append(hi_open || std::isinf(hi) ? ")" : "]");
  return out;
}

Value ParamSpec::check(const Value& v, const std::string& owner) const {
  return check_value(v, "parameter '" + name + "' of " + owner);
}

Value ParamSpec::check_value(const Value& v, const std::string& where) const {
  auto wrong_type = [&](const char* expected) {
    return Error(where + " must be " + expected + ", got " + type_name(v) + " " + describe(v));
  };
  switch (type) {
    case ParamType::Boolean:
      if (!std::holds_alternative<bool>(v)) throw wrong_type("a boolean");
      return v;
    case ParamType::Choice: {
      if (!std::holds_alternative<std::string>(v)) throw wrong_type("a string");
      const auto& s = std::get<std::string>(v);
      for (const auto& c : choices)
        if (c == s) return v;
      throw Error(where + " must be one of " + join(choices) + ", got '" + s + "'");
    }
    case ParamType::Text:
      if (!std::holds_alternative<std::string>(v)) throw wrong_type("a string");
      return v;
    case ParamType::Number:
    case ParamType::Integer: {
      if (!std::holds_alternative<double>(v)) throw wrong_type(type == ParamType::Integer ? "an integer" : "a number");
      const double d = std::get<double>(v);
      if (std::isnan(d)) throw Error(where + " must be a number, got nan");
      if (type == ParamType::Integer && (std::floor(d) != d || std::isinf(d)))
        throw Error(where + " must be an integer, got " + describe(v));
      const bool low_ok = lo_open ? d > lo : d >= lo;
      const bool high_ok = hi_open ? d < hi : d <= hi;
      if (!low_ok || !high_ok)
        throw Error(where + " = " + describe(v) + " is out of range " + valid_range());
      // Beyond 2^53 doubles skip integers, and converting a larger value to
      // a size or count is undefined behaviour.
      if (type == ParamType::Integer && std::abs(d) > 9007199254740992.0)
        throw Error(where + " must be an integer of magnitude at most 9007199254740992 (2^53), got " + describe(v));
      // Every printed range excludes inf ("[0, inf)", "any" means any number).
      if (std::isinf(d)) throw Error(where + " must be a finite number, got " + describe(v));
      return v;
    }
  }
  return v;
}

ParamSet ParamSet::validate(const ParamSpecs& specs, const std::map<std::string, Value>& given,
                            const std::string& owner) {
  ParamSet out;
  for (const auto& [key, value] : given) {
    const ParamSpec* spec = nullptr;
    for (const auto& s : specs)
      if (s.name == key) spec = &s;
    if (!spec) {
      throw Error("unknown parameter '" + key + "' for " + owner + "; valid: " +
                  (specs.empty() ? std::string("(none)") : join_names(specs)));
    }
    out.values_[key] = spec->check(value, owner);
    out.given_[key] = true;
  }
  for (const auto& s : specs)
    if (!out.values_.count(s.name)) out.values_[s.name] = s.default_value;
  return out;
}

const Value& ParamSet::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw Error("internal: parameter '" + name + "' is not declared");
  return it->second;
}

double ParamSet::number(const std::string& name) const { return std::get<double>(get(name)); }
std::int64_t ParamSet::integer(const std::string& name) const {
  return static_cast<std::int64_t>(std::get<double>(get(name)));
}
bool ParamSet::boolean(const std::string& name) const { return std::get<bool>(get(name)); }
const std::string& ParamSet::text(const std::string& name) const {
  return std::get<std::string>(get(name));
}

}  // namespace rnnlab
