#include "sweep/expand.hpp"

#include <cmath>

#include "cfsim/error.hpp"

namespace cfsim {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& path,
                       const std::string& what) {
  throw ConfigError(origin + ": /sweep" + (path.empty() ? "" : "/" + path) + ": " + what);
}

// Inclusive range from..to in steps of `step`; the end is kept when it is within a billionth
// of a step of a grid point (so 0..1 step 0.1 has 11 points despite rounding).
std::vector<json> range_values(const json& r, const std::string& origin, const std::string& key,
                               bool integers) {
  for (const auto& [k, v] : r.items())
    if (k != "from" && k != "to" && k != "step")
      fail(origin, key, "unknown key '" + k + "' in a range (allowed: from, to, step)");
  if (!r.contains("from") || !r.contains("to") || !r["from"].is_number() || !r["to"].is_number())
    fail(origin, key, "a range needs numbers 'from' and 'to' (and optionally 'step', default 1)");
  const double from = r["from"].get<double>(), to = r["to"].get<double>();
  const double step = r.contains("step") && r["step"].is_number() ? r["step"].get<double>() : 1.0;
  if (r.contains("step") && !r["step"].is_number())
    fail(origin, key, "'step' must be a number");
  if (!(step > 0) || !(to >= from) || !std::isfinite(from) || !std::isfinite(to))
    fail(origin, key, "expected from ≤ to and step > 0");
  const double n = std::floor((to - from) / step + 1e-9);
  if (n > 1e7)
    fail(origin, key, "the range has more than 10^7 values");
  std::vector<json> out;
  for (std::int64_t i = 0; i <= static_cast<std::int64_t>(n); ++i) {
    const double v = from + static_cast<double>(i) * step;
    if (integers || (v == std::floor(v) && std::fabs(v) < 9e15 && step == std::floor(step) &&
                     from == std::floor(from)))
      out.emplace_back(static_cast<std::int64_t>(std::llround(v)));
    else
      out.emplace_back(v);
  }
  return out;
}

std::vector<json> axis_values(const json& v, const std::string& origin, const std::string& key,
                              bool integers) {
  if (v.is_array()) {
    if (v.empty())
      fail(origin, key, "the list of values is empty");
    for (const json& x : v)
      if (!(x.is_number() || x.is_string() || x.is_boolean()) && !integers)
        fail(origin, key, "values must be numbers, strings or booleans, got " + x.dump());
    return std::vector<json>(v.begin(), v.end());
  }
  if (v.is_object())
    return range_values(v, origin, key, integers);
  fail(origin, key, "expected a list of values or a range {\"from\", \"to\", \"step\"}");
}

// The last segments of a pointer joined by '.', as many as `depth`.
std::string tail_name(const std::string& pointer, std::size_t depth) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= pointer.size()) {
    const std::size_t end = std::min(pointer.find('/', start), pointer.size());
    parts.push_back(pointer.substr(start, end - start));
    start = end + 1;
  }
  std::string name;
  for (std::size_t i = parts.size() - std::min(depth, parts.size()); i < parts.size(); ++i)
    name += (name.empty() ? "" : ".") + parts[i];
  return name;
}

} // namespace

std::string param_text(const json& v) {
  if (v.is_string())
    return v.get<std::string>();
  return v.dump(); // shortest round-trip form for numbers (nlohmann's grisu2)
}

std::size_t Sweep::size() const {
  std::size_t n = seeds.size();
  for (const SweepAxis& a : axes)
    n *= a.values.size();
  return n;
}

SweepPoint Sweep::point(const json& base, std::size_t index) const {
  SweepPoint p;
  p.index = index;
  p.doc = base;
  p.doc.erase("sweep");
  std::size_t rest = index;
  p.seed = seeds[rest % seeds.size()];
  rest /= seeds.size();
  std::vector<std::size_t> pick(axes.size());
  for (std::size_t k = axes.size(); k-- > 0;) {
    pick[k] = rest % axes[k].values.size();
    rest /= axes[k].values.size();
  }
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const json& v = axes[k].values[pick[k]];
    p.doc[json::json_pointer(axes[k].pointer)] = v;
    p.params.emplace_back(axes[k].name, v);
  }
  p.doc["seed"] = p.seed;
  return p;
}

Sweep read_sweep(const json& doc, const std::string& origin) {
  Sweep s;
  const std::uint64_t seed = doc.contains("seed") && doc["seed"].is_number_unsigned()
                                 ? doc["seed"].get<std::uint64_t>()
                                 : 0;
  s.seeds = {seed};
  const auto it = doc.find("sweep");
  if (it == doc.end())
    return s;
  if (!it->is_object() || it->empty())
    fail(origin, "", "expected an object of axes {\"/json/pointer\": [values], ...}");
  for (const auto& [key, v] : it->items()) {
    if (key == "seeds") {
      s.seeds.clear();
      for (const json& x : axis_values(v, origin, key, true)) {
        if (!x.is_number_integer() || x.get<std::int64_t>() < 0)
          fail(origin, key, "seeds are whole numbers ≥ 0, got " + x.dump());
        s.seeds.push_back(x.get<std::uint64_t>());
      }
      continue;
    }
    if (key.empty() || key[0] != '/')
      fail(origin, key,
           "an axis is a JSON pointer into the scenario starting with '/', e.g. "
           "\"/jobs/max_wait_h\", or \"seeds\"");
    json::json_pointer ptr;
    try {
      ptr = json::json_pointer(key);
    } catch (const json::exception& e) {
      fail(origin, key, std::string("not a valid JSON pointer: ") + e.what());
    }
    if (key == "/seed" || key == "/name" || key.rfind("/sweep", 0) == 0)
      fail(origin, key, "cannot be swept (use the \"seeds\" axis for seeds)");
    if (!doc.contains(ptr.parent_pointer()))
      fail(origin, key,
           "the scenario has no '" + ptr.parent_pointer().to_string() +
               "' to set a value in (check the path and array indices)");
    SweepAxis a;
    a.pointer = key;
    a.values = axis_values(v, origin, key, false);
    for (const json& x : a.values)
      if (x.is_string() && x.get<std::string>().find_first_of("/,=") != std::string::npos)
        fail(origin, key, "value " + x.dump() + " contains '/', ',' or '=' (run names use them)");
    s.axes.push_back(std::move(a));
  }
  // Short names: the last pointer segment, more segments where two axes would share one.
  for (std::size_t depth = 1;; ++depth) {
    bool unique = true;
    for (SweepAxis& a : s.axes)
      a.name = tail_name(a.pointer, depth);
    for (std::size_t i = 0; i < s.axes.size(); ++i)
      for (std::size_t j = i + 1; j < s.axes.size(); ++j)
        unique = unique && s.axes[i].name != s.axes[j].name;
    if (unique || depth > 64)
      break;
  }
  for (const SweepAxis& a : s.axes)
    if (a.name.find_first_of(",= ") != std::string::npos || a.name.empty())
      fail(origin, a.pointer, "its name '" + a.name + "' cannot be part of a run name");
  return s;
}

} // namespace cfsim
