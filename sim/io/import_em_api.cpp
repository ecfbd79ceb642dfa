// Electricity Maps API v3 `carbon-intensity/history` and `carbon-intensity/past-range` responses:
//   {"zone": "DE", "history": [{"zone": "DE", "carbonIntensity": 302,
//    "datetime": "2019-05-21T00:00:00.000Z", "updatedAt": .., "createdAt": ..,
//    "emissionFactorType": "lifecycle", "isEstimated": false, "estimationMethod": null}, ..]}
// past-range returns the same items under "data". `datetime` labels the start of the interval
// (the hour for history); the interval end comes from the sample-span rule (csv.hpp), so a
// missing hour stays a gap. Keys the importer does not use are ignored: the API adds fields.
#include <limits>
#include <optional>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io_carbon.hpp"
#include "io/csv.hpp"
#include "io/json_text.hpp"

namespace cfsim {
namespace {

using nlohmann::json;

constexpr std::string_view kExpected =
    "an Electricity Maps v3 response {\"zone\": .., \"history\" or \"data\": [{\"datetime\", "
    "\"carbonIntensity\", ..}]}";

std::optional<EmissionBasis> basis_of(const json& item, const jsontext::Locator& at) {
  const json* v = jsontext::member(item, "emissionFactorType");
  if (v == nullptr || v->is_null())
    return std::nullopt;
  if (!v->is_string())
    at.fail(std::string("emissionFactorType is ") + jsontext::type_name(*v) +
            " (expected \"lifecycle\" or \"direct\")");
  const std::string s = v->get<std::string>();
  if (s == "lifecycle")
    return EmissionBasis::lifecycle;
  if (s == "direct")
    return EmissionBasis::direct;
  at.fail("emissionFactorType '" + s + "' is unknown (expected lifecycle or direct)");
}

} // namespace

RawSeries parse_em_api_json(std::string_view text, std::string_view origin,
                            const EmApiOptions& opt) {
  if (opt.basis && *opt.basis == EmissionBasis::none)
    throw ConfigError(std::string(origin) +
                      ": basis none is not an emission-factor basis (expected lifecycle or "
                      "direct, or leave it unset to take emissionFactorType from the file)");
  const json root = jsontext::parse(text, origin, kExpected);
  const jsontext::Locator top(origin, "");
  if (!root.is_object())
    top.fail(std::string("the document is ") + jsontext::type_name(root) + " (expected " +
             std::string(kExpected) + ")");

  const json* history = jsontext::member(root, "history");
  const json* data = jsontext::member(root, "data");
  if (history != nullptr && data != nullptr)
    top.fail("has both \"history\" and \"data\" (expected one of them: history from "
             "carbon-intensity/history, data from carbon-intensity/past-range)");
  if (history == nullptr && data == nullptr) {
    std::string said; // an API error response carries a message instead of samples
    for (const char* k : {"message", "error"})
      if (const json* m = jsontext::member(root, k); m != nullptr && m->is_string())
        said += std::string("; the response says ") + k + ": \"" + m->get<std::string>() + "\"";
    top.fail("has no \"history\" or \"data\" array (expected " + std::string(kExpected) + ")" +
             said);
  }
  const char* array_key = history != nullptr ? "history" : "data";
  const json& items = history != nullptr ? *history : *data;
  if (!items.is_array())
    top.fail(std::string(array_key) + " is " + jsontext::type_name(items) + " (expected an array)");
  if (items.empty())
    top.fail(std::string(array_key) + " is empty (expected at least one sample)");

  std::string zone;
  std::string zone_from; // where the zone was first stated, for messages
  if (const json* z = jsontext::member(root, "zone"); z != nullptr) {
    if (!z->is_string() || z->get<std::string>().empty())
      top.fail(std::string("zone is ") + (z->is_string() ? "empty" : jsontext::type_name(*z)) +
               " (expected a zone id such as \"DE\")");
    zone = z->get<std::string>();
    zone_from = "the top-level zone";
  }

  std::optional<EmissionBasis> basis = opt.basis;
  std::string basis_from = opt.basis ? "the requested basis" : "";
  csv::SampleRows rows;
  rows.reserve(items.size());
  jsontext::Order order;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const jsontext::Locator at = top.item(array_key, i);
    const json& item = jsontext::require_object(items[i], at, "a sample");
    const TimeS t = jsontext::require_time(item, "datetime", at, "2019-05-21T00:00:00.000Z");
    order.check(at, "datetime", t, item.at("datetime").get<std::string>());

    if (const json* z = jsontext::member(item, "zone"); z != nullptr) {
      if (!z->is_string() || z->get<std::string>().empty())
        at.fail(std::string("zone is ") + (z->is_string() ? "empty" : jsontext::type_name(*z)) +
                " (expected a zone id such as \"DE\")");
      const std::string item_zone = z->get<std::string>();
      if (zone.empty()) {
        zone = item_zone;
        zone_from = at.path();
      } else if (item_zone != zone) {
        at.fail("zone " + item_zone + " differs from " + zone + " in " + zone_from +
                " (one zone per file: request each zone separately)");
      }
    }

    if (const auto b = basis_of(item, at)) {
      if (!basis) {
        basis = b;
        basis_from = at.path();
      } else if (*b != *basis) {
        at.fail(std::string("emissionFactorType ") + to_string(*b) + " differs from " +
                to_string(*basis) + " in " + basis_from +
                " (one emission-factor basis per series; lifecycle and direct never mix)");
      }
    }

    bool estimated = false;
    if (const json* e = jsontext::member(item, "isEstimated"); e != nullptr && !e->is_null()) {
      if (!e->is_boolean())
        at.fail(std::string("isEstimated is ") + jsontext::type_name(*e) +
                " (expected true, false or null)");
      estimated = e->get<bool>();
    }

    const json* ci = jsontext::member(item, "carbonIntensity");
    if (ci == nullptr)
      at.fail("has no carbonIntensity (expected a number >= 0, or null for a missing value)");
    double v = 0.0;
    if (!jsontext::intensity_or_null(*ci, "carbonIntensity", at, v)) {
      rows.add(t, std::numeric_limits<double>::quiet_NaN(), Quality::missing);
      continue;
    }
    rows.add(t, v, estimated ? Quality::estimated : Quality::measured);
  }

  if (zone.empty())
    top.fail("states no zone, neither at the top level nor in any sample (expected \"zone\": "
             "\"DE\")");
  if (!basis)
    top.fail("no sample states emissionFactorType (older v3 responses omit it): state the basis "
             "the request used (EmApiOptions::basis lifecycle or direct); cfsim does not assume "
             "one");
  if (opt.span.max_sample_s == 0 && rows.size() == 1)
    top.item(array_key, 0)
        .fail("a single sample gives no spacing to infer its duration from (state the sample "
              "span, max_sample_s > 0; 3600 for the hourly history endpoint)");

  RawSeries out;
  out.provenance =
      csv::intensity_provenance(zone, SignalKind::average, *basis, "electricitymaps-api", origin);
  csv::push_with_spans(out, rows, opt.span, origin, 1);
  return out;
}

RawSeries load_em_api_json(const std::string& path, const EmApiOptions& opt) {
  const std::string text = read_file(path);
  RawSeries out = parse_em_api_json(text, path, opt);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
