#include "io/json_value.hpp"

namespace cfsim {

Value to_value(const nlohmann::json& j) {
  switch (j.type()) {
  case nlohmann::json::value_t::null:
    return Value();
  case nlohmann::json::value_t::boolean:
    return Value(j.get<bool>());
  case nlohmann::json::value_t::number_integer:
  case nlohmann::json::value_t::number_unsigned:
  case nlohmann::json::value_t::number_float:
    return Value(j.get<double>());
  case nlohmann::json::value_t::string:
    return Value(j.get<std::string>());
  case nlohmann::json::value_t::array: {
    Value::Array a;
    for (const auto& e : j)
      a.push_back(to_value(e));
    return Value(std::move(a));
  }
  case nlohmann::json::value_t::object: {
    Value::Object o;
    for (const auto& [k, v] : j.items())
      o.emplace(k, to_value(v));
    return Value(std::move(o));
  }
  default:
    return Value();
  }
}

} // namespace cfsim
