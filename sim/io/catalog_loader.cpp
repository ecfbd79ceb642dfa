// The instance catalog loader (DESIGN §5, scenarios/catalog/README.md for the schema).
//
// Three strict JSON files: instances.json (families and instance types), coefficients.json
// (CCF energy coefficients) and regions.json (PUE provider, Electricity Maps zone, EBS price).
// Every key is known or an error naming the allowed ones; every number is range-checked; every
// entry names a source that exists in its file's "sources" table; cross references (family,
// microarchitecture, GPU model, price region, provider) must resolve. Nothing gets a default:
// a value the files do not give is an error, never a silent average (No-Fallback).
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cfsim/catalog.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "io/json_text.hpp"

namespace cfsim {
namespace {

using nlohmann::json;

constexpr std::string_view kInstancesSchema = "cfsim-catalog-instances/1";
constexpr std::string_view kCoefficientsSchema = "cfsim-catalog-coefficients/1";
constexpr std::string_view kRegionsSchema = "cfsim-catalog-regions/1";

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ConfigError(where + ": " + what);
}

std::string in_quotes(std::string_view s) {
  return "'" + std::string(s) + "'";
}

std::string join(const std::vector<std::string>& items) {
  if (items.empty())
    return "(none)";
  std::string out;
  for (const auto& s : items) {
    if (!out.empty())
      out += ", ";
    out += s;
  }
  return out;
}

template <class Map> std::string keys_of(const Map& m) {
  std::vector<std::string> keys;
  for (const auto& kv : m)
    keys.push_back(kv.first);
  return join(keys);
}

// Shortest text that reads back to the same double (messages quote the offending value).
std::string format_number(double x) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, res.ptr);
}

// Parses strict JSON (no comments, no trailing commas: nlohmann's defaults) and rejects a key
// repeated within one object, which nlohmann would otherwise resolve silently (last one wins).
json parse_strict(std::string_view text, const std::string& file) {
  std::vector<std::set<std::string>> open_objects;
  const json::parser_callback_t on_event = [&](int /*depth*/, json::parse_event_t event,
                                               json& parsed) {
    if (event == json::parse_event_t::object_start) {
      open_objects.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      open_objects.pop_back();
    } else if (event == json::parse_event_t::key) {
      const auto key = parsed.get<std::string>();
      if (!open_objects.back().insert(key).second)
        fail(file, "duplicate key " + in_quotes(key) + " (each key may appear once per object)");
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), on_event, /*allow_exceptions=*/true,
                       /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    fail(file, std::string("invalid JSON: ") + e.what());
  }
}

// One JSON object being read: `where` prefixes every message ("dir/instances.json: instance
// 'm5.large'"). check_keys() rejects unknown keys naming the allowed ones and missing ones.
class Entry {
public:
  Entry(const json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object())
      fail(where_, std::string("expected an object, got ") + jsontext::type_name(j_));
  }

  const std::string& where() const { return where_; }
  const json& raw() const { return j_; }

  void check_keys(std::initializer_list<std::string_view> required,
                  std::initializer_list<std::string_view> optional = {}) const {
    std::vector<std::string> allowed;
    for (auto k : required)
      allowed.emplace_back(k);
    for (auto k : optional)
      allowed.emplace_back(k);
    std::sort(allowed.begin(), allowed.end());
    for (const auto& item : j_.items()) {
      if (!std::binary_search(allowed.begin(), allowed.end(), item.key()))
        fail(where_, "unknown key " + in_quotes(item.key()) + " (allowed: " + join(allowed) + ")");
    }
    for (auto k : required) {
      if (!j_.contains(k))
        fail(where_, "missing required key " + in_quotes(k));
    }
  }

  bool has(std::string_view key) const { return j_.contains(key); }

  const json& at(std::string_view key) const {
    const auto it = j_.find(key);
    if (it == j_.end())
      fail(where_, "missing required key " + in_quotes(key));
    return *it;
  }

  double number(std::string_view key, double min, bool min_inclusive) const {
    const json& v = at(key);
    if (!v.is_number())
      fail(where_, in_quotes(key) + " must be a number, got " + jsontext::type_name(v));
    const double x = v.get<double>();
    const bool ok = min_inclusive ? x >= min : x > min;
    if (!ok) {
      const std::string bound = (min_inclusive ? "≥ " : "> ") + format_number(min);
      fail(where_, in_quotes(key) + " is " + format_number(x) + (x < 0 ? " (negative)" : "") +
                       " (allowed: a number " + bound + ")");
    }
    return x;
  }
  double non_negative(std::string_view key) const { return number(key, 0.0, true); }
  double positive(std::string_view key) const { return number(key, 0.0, false); }

  int whole(std::string_view key, int min) const {
    const json& v = at(key);
    if (!v.is_number_integer())
      fail(where_, in_quotes(key) + " must be a whole number, got " +
                       (v.is_number() ? format_number(v.get<double>()) : jsontext::type_name(v)));
    const auto x = v.get<std::int64_t>();
    if (x < min || x > 1'000'000)
      fail(where_, in_quotes(key) + " is " + std::to_string(x) + (x < 0 ? " (negative)" : "") +
                       " (allowed: a whole number ≥ " + std::to_string(min) + ")");
    return static_cast<int>(x);
  }

  std::string text(std::string_view key) const {
    const json& v = at(key);
    if (!v.is_string() || v.get<std::string>().empty())
      fail(where_, in_quotes(key) + " must be a non-empty string, got " + jsontext::type_name(v));
    return v.get<std::string>();
  }

  bool flag(std::string_view key) const {
    const json& v = at(key);
    if (!v.is_boolean())
      fail(where_, in_quotes(key) + " must be true or false, got " + jsontext::type_name(v));
    return v.get<bool>();
  }

  Entry object(std::string_view key) const {
    return Entry(at(key), where_ + ": " + std::string(key));
  }

private:
  const json& j_;
  std::string where_;
};

// The "sources" table of one file: id -> {title, url?, locator?, as_of?, note?}.
class Sources {
public:
  explicit Sources(const Entry& top) {
    const Entry table = top.object("sources");
    for (const auto& item : table.raw().items()) {
      const Entry s(item.value(), table.where() + ": " + in_quotes(item.key()));
      s.check_keys({"title"}, {"url", "locator", "as_of", "note"});
      (void)s.text("title");
      for (auto k : {"url", "locator", "as_of", "note"})
        if (s.has(k))
          (void)s.text(k);
      ids_.insert(item.key());
    }
    if (ids_.empty())
      fail(table.where(), "no sources (every value must cite one)");
  }

  // Checks that entry.key names a known source.
  void require(const Entry& e, std::string_view key) const {
    const std::string id = e.text(key);
    if (ids_.count(id) == 0)
      fail(e.where(), in_quotes(key) + " refers to unknown source " + in_quotes(id) +
                          " (allowed: " + join(std::vector<std::string>(ids_.begin(), ids_.end())) +
                          ")");
  }

private:
  std::set<std::string> ids_;
};

void check_schema(const Entry& top, std::string_view expected) {
  const std::string got = top.text("schema");
  if (got != expected)
    fail(top.where(),
         "unsupported schema " + in_quotes(got) + " (allowed: " + std::string(expected) + ")");
}

// A {"value": x, "source": id, "note"?: text} constant.
double sourced_value(const Entry& top, const Sources& sources, std::string_view key, double min,
                     bool min_inclusive) {
  const Entry e = top.object(key);
  e.check_keys({"value", "source"}, {"note"});
  sources.require(e, "source");
  return e.number("value", min, min_inclusive);
}

void parse_coefficients(std::string_view text, const std::string& file, Catalog& c) {
  const json doc = parse_strict(text, file);
  const Entry top(doc, file);
  top.check_keys({"schema", "sources", "microarchs", "gpus", "pue_by_provider", "memory_w_per_gb",
                  "average_per_chip_memory_gb", "vcpus_per_chip", "embodied_lifetime_h"},
                 {"description"});
  check_schema(top, kCoefficientsSchema);
  const Sources sources(top);

  const Entry microarchs = top.object("microarchs");
  for (const auto& item : microarchs.raw().items()) {
    const Entry e(item.value(), file + ": microarch " + in_quotes(item.key()));
    e.check_keys({"min_w_per_vcpu", "max_w_per_vcpu", "per_chip_memory_gb", "source"}, {"note"});
    sources.require(e, "source");
    Microarch m;
    m.name = item.key();
    m.min_w_per_vcpu = e.non_negative("min_w_per_vcpu");
    m.max_w_per_vcpu = e.positive("max_w_per_vcpu");
    if (m.max_w_per_vcpu < m.min_w_per_vcpu)
      fail(e.where(), "'max_w_per_vcpu' " + format_number(m.max_w_per_vcpu) +
                          " is below 'min_w_per_vcpu' " + format_number(m.min_w_per_vcpu));
    // null is an explicit statement that CCF has no per-chip value (the average applies).
    if (!e.at("per_chip_memory_gb").is_null())
      m.per_chip_memory_gb = e.positive("per_chip_memory_gb");
    c.microarchs.emplace(m.name, m);
  }
  if (c.microarchs.empty())
    fail(microarchs.where(), "no microarchitectures");

  const Entry gpus = top.object("gpus");
  for (const auto& item : gpus.raw().items()) {
    const Entry e(item.value(), file + ": gpu " + in_quotes(item.key()));
    e.check_keys({"min_w", "max_w", "source"}, {"note"});
    sources.require(e, "source");
    GpuModel g;
    g.name = item.key();
    g.min_w = e.non_negative("min_w");
    g.max_w = e.positive("max_w");
    if (g.max_w < g.min_w)
      fail(e.where(),
           "'max_w' " + format_number(g.max_w) + " is below 'min_w' " + format_number(g.min_w));
    c.gpus.emplace(g.name, g);
  }

  const Entry pue = top.object("pue_by_provider");
  for (const auto& item : pue.raw().items()) {
    const Entry e(item.value(), file + ": pue_by_provider " + in_quotes(item.key()));
    e.check_keys({"value", "source"}, {"note"});
    sources.require(e, "source");
    c.pue_by_provider[item.key()] = e.number("value", 1.0, true);
  }
  if (c.pue_by_provider.empty())
    fail(pue.where(), "no providers");

  c.memory_w_per_gb = sourced_value(top, sources, "memory_w_per_gb", 0.0, false);
  c.average_per_chip_memory_gb =
      sourced_value(top, sources, "average_per_chip_memory_gb", 0.0, false);
  c.vcpus_per_chip = sourced_value(top, sources, "vcpus_per_chip", 0.0, false);
  c.embodied_lifetime_h = sourced_value(top, sources, "embodied_lifetime_h", 0.0, false);
}

void parse_regions(std::string_view text, const std::string& file, Catalog& c) {
  const json doc = parse_strict(text, file);
  const Entry top(doc, file);
  top.check_keys({"schema", "sources", "regions"}, {"description"});
  check_schema(top, kRegionsSchema);
  const Sources sources(top);

  const Entry regions = top.object("regions");
  for (const auto& item : regions.raw().items()) {
    const Entry e(item.value(), file + ": region " + in_quotes(item.key()));
    e.check_keys({"provider", "location", "zone", "zone_source", "ebs_gp3_usd_per_gb_month",
                  "ebs_source", "source"},
                 {"note", "ccf_grid_g_per_kwh", "ccf_source"});
    sources.require(e, "source");
    sources.require(e, "zone_source");
    sources.require(e, "ebs_source");
    const std::string provider = e.text("provider");
    if (c.pue_by_provider.count(provider) == 0)
      fail(e.where(), "unknown provider " + in_quotes(provider) +
                          " (allowed: the providers of coefficients.json pue_by_provider: " +
                          keys_of(c.pue_by_provider) + ")");
    (void)e.text("location");
    c.zone_by_region[item.key()] = e.text("zone");
    c.ebs_usd_per_gb_month[item.key()] = e.positive("ebs_gp3_usd_per_gb_month");
    // Optional: CCF's annual-average grid factor, for the method comparison (DESIGN §10).
    if (item.value().contains("ccf_grid_g_per_kwh")) {
      sources.require(e, "ccf_source");
      c.ccf_grid_g_per_kwh[item.key()] = e.positive("ccf_grid_g_per_kwh");
    }
  }
  if (c.zone_by_region.empty())
    fail(regions.where(), "no regions");
}

void parse_instances(std::string_view text, const std::string& file, Catalog& c) {
  const json doc = parse_strict(text, file);
  const Entry top(doc, file);
  top.check_keys({"schema", "sources", "families", "instances"}, {"description"});
  check_schema(top, kInstancesSchema);
  const Sources sources(top);

  struct FamilyInfo {
    std::string largest;
    bool burstable = false;
    double embodied_kg = 0;
  };
  std::map<std::string, FamilyInfo> info;

  const Entry families = top.object("families");
  for (const auto& item : families.raw().items()) {
    const Entry e(item.value(), file + ": family " + in_quotes(item.key()));
    e.check_keys({"largest", "max_vcpus", "max_memory_gb", "burstable", "embodied_kg",
                  "embodied_inputs", "source", "embodied_source"},
                 {"note"});
    sources.require(e, "source");
    sources.require(e, "embodied_source");
    FamilyMax fm;
    fm.vcpus = e.whole("max_vcpus", 1);
    fm.memory_gb = e.positive("max_memory_gb");
    FamilyInfo fi;
    fi.largest = e.text("largest");
    fi.burstable = e.flag("burstable");
    fi.embodied_kg = e.positive("embodied_kg");
    // The inputs document how embodied_kg follows from CCF's formula (README); tests check it.
    const Entry inputs = e.object("embodied_inputs");
    inputs.check_keys({"memory_gb", "cpus", "ssds", "hdds", "gpus"});
    (void)inputs.positive("memory_gb");
    (void)inputs.whole("cpus", 1);
    (void)inputs.whole("ssds", 0);
    (void)inputs.whole("hdds", 0);
    (void)inputs.whole("gpus", 0);
    c.families.emplace(item.key(), fm);
    info.emplace(item.key(), fi);
  }
  if (c.families.empty())
    fail(families.where(), "no families");

  const Entry instances = top.object("instances");
  for (const auto& item : instances.raw().items()) {
    const Entry e(item.value(), file + ": instance " + in_quotes(item.key()));
    e.check_keys({"family", "vcpus", "memory_gb", "microarchs", "gpus", "on_demand_usd_per_h",
                  "source", "microarchs_source", "price_source"},
                 {"gpu_model", "note"});
    sources.require(e, "source");
    sources.require(e, "microarchs_source");
    sources.require(e, "price_source");

    InstanceType it;
    it.name = item.key();
    it.family = e.text("family");
    const auto fam = c.families.find(it.family);
    if (fam == c.families.end())
      fail(e.where(),
           "unknown family " + in_quotes(it.family) + " (allowed: " + keys_of(c.families) + ")");
    if (it.name.rfind(it.family + ".", 0) != 0)
      fail(e.where(), "name does not start with its family " + in_quotes(it.family + "."));
    it.vcpus = e.whole("vcpus", 1);
    it.memory_gb = e.positive("memory_gb");
    if (it.vcpus > fam->second.vcpus || it.memory_gb > fam->second.memory_gb)
      fail(e.where(), std::to_string(it.vcpus) + " vCPUs / " + format_number(it.memory_gb) +
                          " GB exceeds its family's largest member (" +
                          std::to_string(fam->second.vcpus) + " vCPUs / " +
                          format_number(fam->second.memory_gb) + " GB)");

    const json& archs = e.at("microarchs");
    if (!archs.is_array() || archs.empty())
      fail(e.where(),
           "'microarchs' must be a non-empty array of microarchitecture names (allowed: " +
               keys_of(c.microarchs) + ")");
    for (const json& a : archs) {
      if (!a.is_string() || c.microarchs.count(a.get<std::string>()) == 0)
        fail(e.where(), "unknown microarch " +
                            (a.is_string() ? in_quotes(a.get<std::string>())
                                           : std::string(jsontext::type_name(a))) +
                            " (allowed: " + keys_of(c.microarchs) + ")");
      it.microarchs.push_back(a.get<std::string>());
    }

    it.gpus = e.whole("gpus", 0);
    if (it.gpus > 0) {
      if (!e.has("gpu_model"))
        fail(e.where(), "'gpu_model' is required when gpus > 0 (allowed: " + keys_of(c.gpus) + ")");
      it.gpu_model = e.text("gpu_model");
      if (c.gpus.count(it.gpu_model) == 0)
        fail(e.where(), "unknown gpu_model " + in_quotes(it.gpu_model) +
                            " (allowed: " + keys_of(c.gpus) + ")");
    } else if (e.has("gpu_model")) {
      fail(e.where(), "'gpu_model' given but gpus is 0");
    }

    const Entry prices = e.object("on_demand_usd_per_h");
    for (const auto& p : prices.raw().items()) {
      if (c.zone_by_region.count(p.key()) == 0)
        fail(prices.where(),
             "unknown region " + in_quotes(p.key()) +
                 " (allowed: the regions of regions.json: " + keys_of(c.zone_by_region) + ")");
      it.on_demand_usd_per_h[p.key()] = prices.positive(p.key());
    }
    if (it.on_demand_usd_per_h.empty())
      fail(prices.where(), "no prices");

    const FamilyInfo& fi = info.at(it.family);
    it.burstable = fi.burstable;
    it.embodied_kg = fi.embodied_kg;
    c.instances.emplace(it.name, it);
  }

  // CCF's memory and embodied rules scale by the family's largest member: it must be listed
  // and agree with the family's maxima, so the two cannot drift apart.
  for (const auto& [family, fi] : info) {
    const std::string where = file + ": family " + in_quotes(family);
    const auto it = c.instances.find(fi.largest);
    if (it == c.instances.end() || it->second.family != family)
      fail(where, "'largest' names " + in_quotes(fi.largest) +
                      ", which is not an instance of this family in 'instances'");
    const FamilyMax& fm = c.families.at(family);
    if (it->second.vcpus != fm.vcpus || it->second.memory_gb != fm.memory_gb)
      fail(where, "max_vcpus/max_memory_gb (" + std::to_string(fm.vcpus) + " / " +
                      format_number(fm.memory_gb) + ") differ from its largest member " +
                      in_quotes(fi.largest) + " (" + std::to_string(it->second.vcpus) + " / " +
                      format_number(it->second.memory_gb) + ")");
  }
}

std::string file_label(std::string_view origin, std::string_view name) {
  if (origin.empty())
    return std::string(name);
  std::string out(origin);
  if (out.back() != '/')
    out += '/';
  return out + std::string(name);
}

} // namespace

Catalog parse_catalog(std::string_view instances_json, std::string_view coefficients_json,
                      std::string_view regions_json, std::string_view origin) {
  Catalog c;
  // Order matters: instances refer to microarchs and GPUs (coefficients) and regions; regions
  // refer to providers (coefficients).
  parse_coefficients(coefficients_json, file_label(origin, "coefficients.json"), c);
  parse_regions(regions_json, file_label(origin, "regions.json"), c);
  parse_instances(instances_json, file_label(origin, "instances.json"), c);
  std::string all;
  all.reserve(instances_json.size() + coefficients_json.size() + regions_json.size());
  all.append(instances_json).append(coefficients_json).append(regions_json);
  c.sha256 = sha256_hex(all);
  return c;
}

Catalog load_catalog(const std::string& dir) {
  const std::string base = file_label(dir, "");
  return parse_catalog(read_file(base + "instances.json"), read_file(base + "coefficients.json"),
                       read_file(base + "regions.json"), dir);
}

} // namespace cfsim
