#include "cfsim/value.hpp"

#include <algorithm>
#include <cstdio>

#include "cfsim/error.hpp"

namespace cfsim {

const char* Value::type_name() const {
  if (is_null())
    return "null";
  if (is_bool())
    return "a boolean";
  if (is_number())
    return "a number";
  if (is_string())
    return "a string";
  if (is_array())
    return "an array";
  return "an object";
}

namespace {
[[noreturn]] void wrong_type(const std::string& context, const char* expected, const Value& v) {
  throw ConfigError(context + ": expected " + expected + ", got " + v.type_name());
}

void append_json_string(std::string& out, const std::string& s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  out += '"';
}
} // namespace

bool Value::as_bool(const std::string& context) const {
  if (!is_bool())
    wrong_type(context, "true or false", *this);
  return std::get<bool>(v_);
}
double Value::as_number(const std::string& context) const {
  if (!is_number())
    wrong_type(context, "a number", *this);
  return std::get<double>(v_);
}
const std::string& Value::as_string(const std::string& context) const {
  if (!is_string())
    wrong_type(context, "a string", *this);
  return std::get<std::string>(v_);
}
const Value::Array& Value::as_array(const std::string& context) const {
  if (!is_array())
    wrong_type(context, "an array", *this);
  return *std::get<std::shared_ptr<Array>>(v_);
}
const Value::Object& Value::as_object(const std::string& context) const {
  if (!is_object())
    wrong_type(context, "an object", *this);
  return *std::get<std::shared_ptr<Object>>(v_);
}

std::string Value::to_json() const {
  std::string out;
  if (is_null()) {
    out = "null";
  } else if (is_bool()) {
    out = std::get<bool>(v_) ? "true" : "false";
  } else if (is_number()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(v_));
    out = buf;
  } else if (is_string()) {
    append_json_string(out, std::get<std::string>(v_));
  } else if (is_array()) {
    out += '[';
    bool first = true;
    for (const Value& v : *std::get<std::shared_ptr<Array>>(v_)) {
      if (!first)
        out += ',';
      first = false;
      out += v.to_json();
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : *std::get<std::shared_ptr<Object>>(v_)) {
      if (!first)
        out += ',';
      first = false;
      append_json_string(out, k);
      out += ':';
      out += v.to_json();
    }
    out += '}';
  }
  return out;
}

ParamReader::ParamReader(const Value& params, std::string context) : context_(std::move(context)) {
  if (params.is_null())
    return; // no parameters given: every key takes its default
  obj_ = &params.as_object(context_ + ": params");
}

const Value* ParamReader::value(const std::string& key) {
  asked_.push_back(key);
  if (obj_ == nullptr)
    return nullptr;
  const auto it = obj_->find(key);
  return it == obj_->end() ? nullptr : &it->second;
}

double ParamReader::number(const std::string& key, double default_value) {
  const Value* v = value(key);
  return v ? v->as_number(context_ + ": parameter '" + key + "'") : default_value;
}
double ParamReader::number_required(const std::string& key) {
  const Value* v = value(key);
  if (!v)
    throw ConfigError(context_ + ": parameter '" + key + "' is required");
  return v->as_number(context_ + ": parameter '" + key + "'");
}
bool ParamReader::boolean(const std::string& key, bool default_value) {
  const Value* v = value(key);
  return v ? v->as_bool(context_ + ": parameter '" + key + "'") : default_value;
}
std::string ParamReader::string(const std::string& key, const std::string& default_value) {
  const Value* v = value(key);
  return v ? v->as_string(context_ + ": parameter '" + key + "'") : default_value;
}
std::string ParamReader::string_required(const std::string& key) {
  const Value* v = value(key);
  if (!v)
    throw ConfigError(context_ + ": parameter '" + key + "' is required");
  return v->as_string(context_ + ": parameter '" + key + "'");
}

void ParamReader::finish() const {
  if (obj_ == nullptr)
    return;
  for (const auto& [k, v] : *obj_) {
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
    throw ConfigError(context_ + ": unknown parameter '" + k +
                      "' (allowed: " + (list.empty() ? std::string("none") : list) + ")");
  }
}

} // namespace cfsim
