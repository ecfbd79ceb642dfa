#include "io/json_reader.hpp"

#include <algorithm>
#include <cmath>

#include "cfsim/error.hpp"
#include "io/json_text.hpp"

namespace cfsim {

JsonReader::JsonReader(const nlohmann::json& j, std::string origin, std::string path)
    : j_(&j), origin_(std::move(origin)), path_(std::move(path)) {
  if (!j.is_object())
    throw ConfigError(origin_ + ": " + (path_.empty() ? "/" : path_) +
                      ": expected an object, got " + jsontext::type_name(j));
}

void JsonReader::fail(const std::string& key, const std::string& what) const {
  throw ConfigError(origin_ + ": " + path_of(key) + ": " + what);
}

bool JsonReader::has(const std::string& key) const {
  return j_->contains(key);
}

const nlohmann::json* JsonReader::get(const std::string& key) {
  asked_.push_back(key);
  const auto it = j_->find(key);
  return it == j_->end() ? nullptr : &*it;
}

std::string JsonReader::string(const std::string& key, const std::optional<std::string>& def) {
  const auto* v = get(key);
  if (!v) {
    if (def)
      return *def;
    fail(key, "is required (a string)");
  }
  if (!v->is_string())
    fail(key, std::string("expected a string, got ") + jsontext::type_name(*v));
  return v->get<std::string>();
}

double JsonReader::number(const std::string& key, const std::optional<double>& def) {
  const auto* v = get(key);
  if (!v) {
    if (def)
      return *def;
    fail(key, "is required (a number)");
  }
  if (!v->is_number())
    fail(key, std::string("expected a number, got ") + jsontext::type_name(*v));
  return v->get<double>();
}

std::int64_t JsonReader::integer(const std::string& key, const std::optional<std::int64_t>& def) {
  const auto* v = get(key);
  if (!v) {
    if (def)
      return *def;
    fail(key, "is required (a whole number)");
  }
  if (v->is_number_integer() || v->is_number_unsigned())
    return v->get<std::int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::floor(d) == d && std::fabs(d) < 9e15)
      return static_cast<std::int64_t>(d);
  }
  fail(key, "expected a whole number, got " + v->dump());
}

bool JsonReader::boolean(const std::string& key, const std::optional<bool>& def) {
  const auto* v = get(key);
  if (!v) {
    if (def)
      return *def;
    fail(key, "is required (true or false)");
  }
  if (!v->is_boolean())
    fail(key, std::string("expected true or false, got ") + jsontext::type_name(*v));
  return v->get<bool>();
}

std::string JsonReader::choice(const std::string& key, const std::vector<std::string>& allowed,
                               const std::optional<std::string>& def) {
  const std::string s = string(key, def);
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end())
    return s;
  std::string list;
  for (const auto& a : allowed) {
    if (!list.empty())
      list += ", ";
    list += a;
  }
  fail(key, "'" + s + "' is not allowed (allowed: " + list + ")");
}

JsonReader JsonReader::object(const std::string& key) {
  const auto* v = get(key);
  if (!v)
    fail(key, "is required (an object)");
  return JsonReader(*v, origin_, path_of(key));
}

const nlohmann::json& JsonReader::array(const std::string& key) {
  const auto* v = get(key);
  if (!v)
    fail(key, "is required (an array)");
  if (!v->is_array())
    fail(key, std::string("expected an array, got ") + jsontext::type_name(*v));
  return *v;
}

void JsonReader::finish() const {
  for (const auto& [k, v] : j_->items()) {
    if (std::find(asked_.begin(), asked_.end(), k) != asked_.end())
      continue;
    std::vector<std::string> allowed = asked_;
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    std::string list;
    for (const auto& a : allowed) {
      if (!list.empty())
        list += ", ";
      list += a;
    }
    throw ConfigError(origin_ + ": " + (path_.empty() ? "/" : path_) + ": unknown key '" + k +
                      "' (allowed: " + list + ")");
  }
}

} // namespace cfsim
