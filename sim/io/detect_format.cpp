// Format recognition by content. CSV: the header record (csv::Reader, so a byte-order mark and
// quoted names are handled) is matched against each format's required column names. JSON: the
// document's keys are matched textually — the importer parses and validates it afterwards, and
// a document that would not parse still reaches the importer that reports where it breaks.
#include "io/detect_format.hpp"

#include <algorithm>
#include <string>

#include "cfsim/error.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

bool has(const csv::Header& h, std::string_view name) {
  return !h.find_folded(name).empty();
}

bool has_key(std::string_view text, std::string_view key) {
  return text.find("\"" + std::string(key) + "\"") != std::string_view::npos;
}

const FormatInfo& entry(std::string_view name) {
  for (const FormatInfo& f : known_formats())
    if (name == f.name)
      return f;
  check_failed("known format name", __FILE__, __LINE__, std::string(name));
}

DetectedFormat found(std::string_view name, std::string evidence) {
  return DetectedFormat{&entry(name), std::move(evidence)};
}

DetectedFormat detect_json(std::string_view text) {
  // Most specific keys first: each of these names occurs in one format only.
  if (has_key(text, "ResultsByTime"))
    return found("cost-explorer", "JSON key \"ResultsByTime\"");
  if (has_key(text, "SpotPriceHistory"))
    return found("spot-history", "JSON key \"SpotPriceHistory\"");
  if (has_key(text, "point_time"))
    return found("watttime-json", "JSON key \"point_time\"");
  if (has_key(text, "carbonIntensity"))
    return found("em-api", "JSON key \"carbonIntensity\"");
  if (has_key(text, "intensity") && has_key(text, "from"))
    return found("uk-ci", "JSON keys \"from\" and \"intensity\"");
  if (has_key(text, "zone") && (has_key(text, "history") || has_key(text, "data")))
    return found("em-api", "JSON keys \"zone\" and \"history\"/\"data\"");
  return {};
}

} // namespace

const std::vector<FormatInfo>& known_formats() {
  static const std::vector<FormatInfo> formats = {
      {"tidy", InputKind::carbon,
       "cfsim's canonical CSV `datetime_utc,zone,ci_g_per_kwh,ef_type,signal,is_estimated,source`"},
      {"two-column", InputKind::carbon,
       "research CSV `Time,Carbon Intensity` (e.g. Let's Wait Awhile), needs --zone"},
      {"em-portal", InputKind::carbon,
       "Electricity Maps data-portal CSV (`Datetime (UTC)` and `Carbon Intensity gCO₂eq/kWh "
       "(LCA)` or `Carbon intensity gCO₂eq/kWh (Life cycle)`)"},
      {"em-live", InputKind::carbon,
       "Electricity Maps live-poll CSV `zone_datetime,timestamp,carbon_intensity_avg,...`, needs "
       "--zone"},
      {"watttime", InputKind::carbon, "WattTime actual CSV archive `time,<region>`, needs --units"},
      {"em-api", InputKind::carbon,
       "Electricity Maps API v3 history/past-range JSON (\"carbonIntensity\")"},
      {"watttime-json", InputKind::carbon, "WattTime v3 historical JSON (\"point_time\")"},
      {"uk-ci", InputKind::carbon, "UK Carbon Intensity API JSON (\"from\", \"intensity\")"},
      {"focus", InputKind::cost, "FOCUS 1.0–1.2 CSV (`ChargePeriodStart`, `BilledCost`)"},
      {"cur2", InputKind::cost, "AWS CUR 2.0 CSV (`line_item_usage_start_date`)"},
      {"cost-explorer", InputKind::cost,
       "AWS Cost Explorer GetCostAndUsage JSON (\"ResultsByTime\")"},
      {"watttime-forecast", InputKind::other,
       "WattTime forecast CSV archive `request_time,forecast_time,<region>`"},
      {"spot-history", InputKind::other,
       "aws ec2 describe-spot-price-history JSON (\"SpotPriceHistory\")"},
      {"gaia-jobs", InputKind::other, "job trace CSV `arrival_time,length,cpus`"},
      {"published-means", InputKind::other,
       "published annual means `zonecode,<year>,...` (give it with --published)"},
  };
  return formats;
}

const FormatInfo& format_named(std::string_view name) {
  for (const FormatInfo& f : known_formats())
    if (name == f.name)
      return f;
  std::string names;
  for (const FormatInfo& f : known_formats())
    names += (names.empty() ? "" : ", ") + std::string(f.name);
  throw UsageError("unknown format '" + std::string(name) + "' (formats: " + names + ")");
}

std::string format_list(InputKind kind) {
  std::string out;
  for (const FormatInfo& f : known_formats())
    if (f.kind == kind)
      out += std::string(out.empty() ? "" : "; ") + f.name + ": " + f.description;
  return out;
}

DetectedFormat detect_format(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first == std::string_view::npos)
    return {};
  if (text[first] == '{' || text[first] == '[')
    return detect_json(text);

  csv::Header h;
  try {
    csv::Reader r(text, "<sniff>");
    if (!r.next() || r.blank())
      return {};
    h = csv::Header(r.fields());
  } catch (const TraceError&) { // not even a CSV header
    return {};
  }
  const std::string header = "header `" + h.joined() + "`";
  const std::vector<std::string>& n = h.names();
  if (h.joined() == "datetime_utc,zone,ci_g_per_kwh,ef_type,signal,is_estimated,source")
    return found("tidy", header);
  if (h.joined() == "Time,Carbon Intensity")
    return found("two-column", header);
  if (has(h, "zone_datetime") && has(h, "carbon_intensity_avg"))
    return found("em-live", header);
  if (has(h, "Datetime (UTC)") && (has(h, "Carbon Intensity gCO₂eq/kWh (LCA)") ||
                                   has(h, "Carbon intensity gCO₂eq/kWh (Life cycle)") ||
                                   has(h, "Carbon Intensity gCO₂eq/kWh (direct)")))
    return found("em-portal", header);
  if (has(h, "ChargePeriodStart") && has(h, "BilledCost"))
    return found("focus", "FOCUS columns ChargePeriodStart and BilledCost");
  if (has(h, "line_item_usage_start_date"))
    return found("cur2", "CUR 2.0 column line_item_usage_start_date");
  if (n.size() == 3 && n[0] == "request_time" && n[1] == "forecast_time")
    return found("watttime-forecast", header);
  if (n.size() == 2 && n[0] == "time")
    return found("watttime", header);
  if (h.joined() == "arrival_time,length,cpus")
    return found("gaia-jobs", header);
  if (!n.empty() && n[0] == "zonecode")
    return found("published-means", header);
  return {};
}

} // namespace cfsim
