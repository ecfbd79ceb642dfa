// Internal to sim/io: reading a JSON *data* file (a recorded API response) with the error style of
// the CSV importers. A syntax error names the line (nlohmann reports a byte position, converted
// here); a bad item names its array index, e.g. "de.json: history[17]: carbonIntensity -5 is
// negative (...)". Data errors are TraceError (exit 65); unlike io/json_reader.hpp (scenario
// files, ConfigError), unknown keys are allowed, because API responses grow new fields.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cfsim/error.hpp"
#include "cfsim/time.hpp"

namespace cfsim::jsontext {

inline const char* type_name(const nlohmann::json& j) {
  switch (j.type()) {
  case nlohmann::json::value_t::null:
    return "null";
  case nlohmann::json::value_t::boolean:
    return "a boolean";
  case nlohmann::json::value_t::number_integer:
  case nlohmann::json::value_t::number_unsigned:
  case nlohmann::json::value_t::number_float:
    return "a number";
  case nlohmann::json::value_t::string:
    return "a string";
  case nlohmann::json::value_t::array:
    return "an array";
  case nlohmann::json::value_t::object:
    return "an object";
  default:
    return "an unsupported value";
  }
}

// Parses `text`. Errors: "origin:1: empty file (expected <expected>)"; a syntax error
// "origin:LINE: JSON syntax error near column C: <detail> (expected <expected>)", where LINE and
// C come from nlohmann's byte position: the last byte it read, i.e. the end of the offending
// token (python's json module names the token's start instead; the line is the same, since no
// JSON token spans lines).
inline nlohmann::json parse(std::string_view text, std::string_view origin,
                            std::string_view expected) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw TraceError(std::string(origin), 1, "empty file (expected " + std::string(expected) + ")");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t upto = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    long line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < upto; ++i)
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    const std::size_t column = upto - line_start + 1;
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line L, column C:
    // <detail>"; keep the detail, the position is ours.
    std::string detail = e.what();
    if (const std::size_t p = detail.find(": "); p != std::string::npos)
      detail = detail.substr(p + 2);
    throw TraceError(std::string(origin), line,
                     "JSON syntax error near column " + std::to_string(column) + ": " + detail +
                         " (expected " + std::string(expected) + ")");
  } catch (const nlohmann::json::exception& e) { // e.g. number overflow (1e999): no position
    std::string detail = e.what();               // "[json.exception.out_of_range.406] ..."
    if (const std::size_t p = detail.find("] "); p != std::string::npos)
      detail = detail.substr(p + 2);
    throw TraceError(std::string(origin) + ": invalid JSON: " + detail + " (expected " +
                     std::string(expected) + ")");
  }
}

// Where a value sits in the document, for messages: "origin: data[3]: ...".
class Locator {
public:
  Locator(std::string_view origin, std::string path) : origin_(origin), path_(std::move(path)) {}
  Locator item(std::string_view array, std::size_t index) const {
    return Locator(origin_, std::string(array) + "[" + std::to_string(index) + "]");
  }
  const std::string& path() const { return path_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw TraceError(origin_ + ": " + (path_.empty() ? std::string() : path_ + ": ") + what);
  }

private:
  std::string origin_;
  std::string path_;
};

// The object member `key` of `obj`; nullptr if absent.
inline const nlohmann::json* member(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

inline const nlohmann::json& require_object(const nlohmann::json& j, const Locator& at,
                                            std::string_view what) {
  if (!j.is_object())
    at.fail(std::string("expected an object (") + std::string(what) + "), got " + type_name(j));
  return j;
}

// A required string member.
inline std::string require_string(const nlohmann::json& obj, const char* key, const Locator& at,
                                  std::string_view allowed) {
  const nlohmann::json* v = member(obj, key);
  if (v == nullptr)
    at.fail(std::string("has no ") + key + " (expected " + std::string(allowed) + ")");
  if (!v->is_string())
    at.fail(std::string(key) + " is " + type_name(*v) + " (expected " + std::string(allowed) + ")");
  return v->get<std::string>();
}

// A required timestamp string member (cfsim::parse_utc forms).
inline TimeS require_time(const nlohmann::json& obj, const char* key, const Locator& at,
                          std::string_view example) {
  const std::string allowed = "an ISO 8601 UTC time such as " + std::string(example);
  const std::string s = require_string(obj, key, at, allowed);
  if (const auto t = parse_utc(s))
    return *t;
  at.fail(std::string(key) + " '" + s + "' is not a timestamp (expected " + allowed + ")");
}

// An intensity value: a finite number ≥ 0, or null (returns false: no value).
inline bool intensity_or_null(const nlohmann::json& v, const char* key, const Locator& at,
                              double& out) {
  if (v.is_null())
    return false;
  if (!v.is_number())
    at.fail(std::string(key) + " is " + type_name(v) +
            " (expected a number >= 0, or null for a missing value)");
  const double d = v.get<double>();
  if (!std::isfinite(d))
    at.fail(std::string(key) + " is not finite (expected a number >= 0)");
  if (d < 0)
    at.fail(std::string(key) + " " + v.dump() +
            " is negative (intensity must be >= 0; null marks a missing value)");
  out = d;
  return true;
}

// Sorted, no duplicates: each item's time `t` (spelled `text`) against the previous item's.
class Order {
public:
  void check(const Locator& at, const char* key, TimeS t, const std::string& text) {
    if (any_ && t <= prev_) {
      const char* how = t == prev_ ? " repeats " : " is earlier than ";
      at.fail(std::string(key) + " " + text + how + prev_path_ + "'s " + prev_text_ +
              " (items must be sorted by time without duplicates)");
    }
    any_ = true;
    prev_ = t;
    prev_text_ = text;
    prev_path_ = at.path();
  }

private:
  bool any_ = false;
  TimeS prev_ = 0;
  std::string prev_text_;
  std::string prev_path_;
};

} // namespace cfsim::jsontext
