// Expansion of a scenario's `sweep` block into points (DESIGN §8, docs/sweeps.md): the
// cartesian product of every axis (a JSON pointer into the scenario and its values) and the
// seeds. Points are made one at a time, so a sweep of 10^5 points never holds 10^5 documents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace cfsim {

struct SweepAxis {
  std::string pointer; // e.g. "/jobs/max_wait_h"
  std::string name;    // short, unique among the axes: "max_wait_h" (run names, columns)
  std::vector<nlohmann::json> values;
};

struct SweepPoint {
  std::size_t index = 0; // position in the product: axes in order (the first slowest), seeds last
  std::vector<std::pair<std::string, nlohmann::json>> params; // axis name → value, axis order
  std::uint64_t seed = 0;
  nlohmann::json doc; // the scenario with the values and seed set, without "sweep"
};

struct Sweep {
  std::vector<SweepAxis> axes;
  std::vector<std::uint64_t> seeds; // one entry (the scenario's seed) without a seeds axis
  std::size_t size() const;
  SweepPoint point(const nlohmann::json& base, std::size_t index) const;
};

// Reads doc["sweep"] (absent: one point, the scenario as written):
//   "sweep": { "/jobs/max_wait_h": [6, 12, 24],
//              "/strategies/1/params/alpha": {"from": 0, "to": 1, "step": 0.25},
//              "seeds": [1, 2, 3]  or  {"from": 1, "to": 10} }
// Axes are taken in key order. Every pointer's parent must exist in the scenario (a typo is an
// error naming the pointer, not a new key); values are non-empty lists or inclusive ranges.
// ConfigError with `origin` and the JSON path.
Sweep read_sweep(const nlohmann::json& doc, const std::string& origin);

// The text of a parameter value in a run name: numbers in their shortest round-trip form,
// strings as they are, booleans true/false.
std::string param_text(const nlohmann::json& v);

} // namespace cfsim
