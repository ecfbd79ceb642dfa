// National Grid ESO Carbon Intensity API (api.carbonintensity.org.uk), national endpoints such
// as /intensity/{from}/{to}:
//   {"data": [{"from": "2018-01-20T12:00Z", "to": "2018-01-20T12:30Z",
//              "intensity": {"forecast": 266, "actual": 263, "index": "moderate"}}]}
// Each item states its own interval [from, to) (half-hourly), so no span is inferred; a missing
// half-hour stays a gap. Times have no seconds ("…T12:00Z"); cfsim::parse_utc reads that form.
// `actual` null (not yet metered, or never) → missing; the forecast series is returned apart.
// The API's methodology counts CO2 at the point of generation (zero for nuclear, wind, solar),
// so the basis is `direct` (docs/formats.md cites it). `index` is a label derived from the
// value and is not used.
#include <limits>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io_carbon.hpp"
#include "io/csv.hpp"
#include "io/json_text.hpp"

namespace cfsim {
namespace {

using nlohmann::json;

constexpr std::string_view kExpected =
    "a Carbon Intensity API response {\"data\": [{\"from\", \"to\", \"intensity\": "
    "{\"forecast\", \"actual\", \"index\"}}]}";

void push_value(RawSeries& s, TimeS from, TimeS to, const json& intensity, const char* key,
                const jsontext::Locator& at) {
  const json* v = jsontext::member(intensity, key);
  if (v == nullptr)
    at.fail(std::string("intensity has no ") + key +
            " (expected a number >= 0 in gCO2/kWh, or null)");
  double d = 0.0;
  const std::string name = std::string("intensity.") + key;
  if (jsontext::intensity_or_null(*v, name.c_str(), at, d))
    s.push(from, to, d, Quality::measured);
  else
    s.push(from, to, std::numeric_limits<double>::quiet_NaN(), Quality::missing);
}

} // namespace

UkCiSeries parse_uk_ci_json(std::string_view text, std::string_view origin) {
  const json root = jsontext::parse(text, origin, kExpected);
  const jsontext::Locator top(origin, "");
  if (!root.is_object())
    top.fail(std::string("the document is ") + jsontext::type_name(root) + " (expected " +
             std::string(kExpected) + ")");
  const json* data = jsontext::member(root, "data");
  if (data == nullptr) {
    std::string said; // an API error response: {"error": {"code": .., "message": ..}}
    if (const json* e = jsontext::member(root, "error"); e != nullptr)
      said = "; the response says error: " + e->dump();
    top.fail("has no \"data\" array (expected " + std::string(kExpected) + ")" + said);
  }
  if (!data->is_array())
    top.fail(std::string("data is ") + jsontext::type_name(*data) + " (expected an array)");
  if (data->empty())
    top.fail("data is empty (expected at least one half-hour)");

  UkCiSeries out;
  out.actual.provenance = csv::intensity_provenance(
      "GB", SignalKind::average, EmissionBasis::direct, "uk-carbon-intensity", origin);
  out.forecast.provenance = out.actual.provenance;
  out.forecast.provenance.source = "uk-carbon-intensity:forecast";

  jsontext::Order order;
  TimeS prev_to = 0;
  std::string prev_to_text;
  for (std::size_t i = 0; i < data->size(); ++i) {
    const jsontext::Locator at = top.item("data", i);
    const json& item = jsontext::require_object((*data)[i], at, "a half-hour");
    if (jsontext::member(item, "regionid") != nullptr || jsontext::member(item, "regions"))
      at.fail("is a regional item (regionid/regions): only the national endpoints "
              "(/intensity/...) are supported");
    const TimeS from = jsontext::require_time(item, "from", at, "2018-01-20T12:00Z");
    const std::string from_text = item.at("from").get<std::string>();
    order.check(at, "from", from, from_text);
    const TimeS to = jsontext::require_time(item, "to", at, "2018-01-20T12:30Z");
    const std::string to_text = item.at("to").get<std::string>();
    if (to <= from)
      at.fail("to " + to_text + " is not after from " + from_text +
              " (an interval must have a positive length)");
    if (i > 0 && from < prev_to)
      at.fail("from " + from_text + " is before the previous item's to " + prev_to_text +
              " (intervals must not overlap)");
    prev_to = to;
    prev_to_text = to_text;

    const json* intensity_p = jsontext::member(item, "intensity");
    if (intensity_p == nullptr)
      at.fail("has no intensity object (expected {\"forecast\", \"actual\", \"index\"})");
    const json& intensity =
        jsontext::require_object(*intensity_p, at, "intensity {forecast, actual, index}");
    push_value(out.actual, from, to, intensity, "actual", at);
    push_value(out.forecast, from, to, intensity, "forecast", at);
  }
  return out;
}

UkCiSeries load_uk_ci_json(const std::string& path) {
  const std::string text = read_file(path);
  UkCiSeries out = parse_uk_ci_json(text, path);
  out.actual.provenance.sha256 = sha256_hex(text);
  out.forecast.provenance.sha256 = out.actual.provenance.sha256;
  return out;
}

} // namespace cfsim
