// Strict reading of a JSON object: every key must be asked for, or it is an error naming the
// allowed keys (DESIGN §8). Errors name the file and the JSON path, e.g.
// "default.json: /fleet/0/count: expected a whole number ≥ 1, got -3".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cfsim {

class JsonReader {
public:
  JsonReader(const nlohmann::json& j, std::string origin, std::string path);

  bool has(const std::string& key) const;
  const nlohmann::json* get(const std::string& key); // marks the key as known
  std::string path_of(const std::string& key) const { return path_ + "/" + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

  std::string string(const std::string& key, const std::optional<std::string>& def = std::nullopt);
  double number(const std::string& key, const std::optional<double>& def = std::nullopt);
  std::int64_t integer(const std::string& key,
                       const std::optional<std::int64_t>& def = std::nullopt);
  bool boolean(const std::string& key, const std::optional<bool>& def = std::nullopt);
  // One of `allowed`; the error lists them.
  std::string choice(const std::string& key, const std::vector<std::string>& allowed,
                     const std::optional<std::string>& def = std::nullopt);
  JsonReader object(const std::string& key);
  const nlohmann::json& array(const std::string& key);
  // Throws naming unknown keys and the allowed ones.
  void finish() const;

  const std::string& origin() const { return origin_; }
  const std::string& path() const { return path_; }

private:
  const nlohmann::json* j_;
  std::string origin_, path_;
  std::vector<std::string> asked_;
};

} // namespace cfsim
