// A small JSON-like value tree for strategy parameters, so the core never sees a JSON
// library. sim/ converts parsed JSON into it. Objects keep key order (sorted by std::map).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace cfsim {

class Value {
public:
  using Array = std::vector<Value>;
  using Object = std::map<std::string, Value>;

  Value() : v_(std::monostate{}) {}
  Value(bool b) : v_(b) {}
  Value(double d) : v_(d) {}
  Value(int i) : v_(static_cast<double>(i)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::make_shared<Array>(std::move(a))) {}
  Value(Object o) : v_(std::make_shared<Object>(std::move(o))) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_bool() const { return std::holds_alternative<bool>(v_); }
  bool is_number() const { return std::holds_alternative<double>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_array() const { return std::holds_alternative<std::shared_ptr<Array>>(v_); }
  bool is_object() const { return std::holds_alternative<std::shared_ptr<Object>>(v_); }

  // Accessors throw ConfigError("<context>: expected a number, got a string") etc.
  bool as_bool(const std::string& context) const;
  double as_number(const std::string& context) const;
  const std::string& as_string(const std::string& context) const;
  const Array& as_array(const std::string& context) const;
  const Object& as_object(const std::string& context) const;
  const char* type_name() const;
  std::string to_json() const; // compact, keys sorted; numbers with %.17g

private:
  std::variant<std::monostate, bool, double, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      v_;
};

// Reads named parameters from an object and rejects unknown keys, naming the allowed ones:
//   ParamReader p(params, "strategy 'office_hours'");
//   double lag = p.number("lag_min", 5.0);  ... p.finish();  // throws on unknown keys
class ParamReader {
public:
  ParamReader(const Value& params, std::string context);
  double number(const std::string& key, double default_value);
  double number_required(const std::string& key);
  bool boolean(const std::string& key, bool default_value);
  std::string string(const std::string& key, const std::string& default_value);
  std::string string_required(const std::string& key);
  const Value* value(const std::string& key); // nullptr if absent
  const std::string& context() const { return context_; }
  void finish() const; // throws ConfigError if the object has keys that were never asked for

private:
  const Value::Object* obj_ = nullptr;
  std::string context_;
  std::vector<std::string> asked_;
};

} // namespace cfsim
