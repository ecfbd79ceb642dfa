// WattTime data: the v3 `historical` JSON response, and the CSV archives published with
// dos-group/vessim (`time,<region>` actuals; `request_time,forecast_time,<region>` forecasts).
// Units are converted once, here (DESIGN §2): 1 lb = 453.59237 g exactly, so
// lbs/MWh × 0.45359237 = g/kWh. The CSV archives do not state their unit, so the caller must.
// WattTime's MOER is the emission rate of the marginal generators from their stack emissions
// (combustion only), so the basis is `direct`.
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io_carbon.hpp"
#include "io/csv.hpp"
#include "io/json_text.hpp"

namespace cfsim {
namespace {

using nlohmann::json;

constexpr double kGPerKwhPerLbsPerMwh = 0.45359237; // 453.59237 g/lb ÷ 1000 kWh/MWh

constexpr std::string_view kExpectedJson =
    "a WattTime v3 historical response {\"data\": [{\"point_time\", \"value\"}], \"meta\": "
    "{\"region\", \"signal_type\", \"units\", ..}}";

// The factor to g/kWh for a unit the caller states for a CSV archive.
double csv_unit_factor(const std::string& units, std::string_view origin) {
  if (units == "lbs_co2_per_mwh")
    return kGPerKwhPerLbsPerMwh;
  if (units == "g_per_kwh")
    return 1.0;
  if (units.empty())
    throw ConfigError(std::string(origin) +
                      ": units is required: the WattTime CSV archives do not state their unit, "
                      "and the v3 API's lbs_co2_per_mwh and g/kWh differ by a factor of 2.2, so "
                      "cfsim will not assume one (state units: lbs_co2_per_mwh or g_per_kwh)");
  throw ConfigError(std::string(origin) + ": units '" + units +
                    "' is unknown (allowed: lbs_co2_per_mwh, g_per_kwh)");
}

// The value column: `region` by name, or the only column left besides the time columns.
std::size_t value_column(const csv::Reader& r, const csv::Header& h, const std::string& region,
                         std::size_t n_time_columns, std::string_view expected) {
  if (!region.empty()) {
    if (const auto c = h.find(region); c && *c >= n_time_columns)
      return *c;
    r.fail("header has no column `" + region + "` (the region option names the value column; " +
           "header is `" + h.joined() + "`)");
  }
  if (h.size() != n_time_columns + 1)
    r.fail("header `" + h.joined() + "` has " + std::to_string(h.size()) + " columns (expected `" +
           std::string(expected) +
           "` with exactly one value column, or name it with the region option)");
  return n_time_columns; // the time columns come first (checked by the caller)
}

void expect_name(const csv::Reader& r, const csv::Header& h, std::size_t col, std::string_view name,
                 std::string_view expected) {
  if (col >= h.size() || h.names()[col] != name)
    r.fail("header is `" + h.joined() + "` (expected `" + std::string(expected) + "`)");
}

double csv_value(const csv::Reader& r, std::size_t col, const std::string& column, double factor,
                 bool& present) {
  present = !r[col].empty();
  if (!present)
    return std::numeric_limits<double>::quiet_NaN();
  const double v = csv::number_field(r, col, column);
  if (v < 0)
    r.fail(column + " " + r[col] +
           " is negative (intensity must be >= 0; leave it empty for a missing sample)");
  return v * factor;
}

} // namespace

RawSeries parse_watttime_historical_json(std::string_view text, std::string_view origin) {
  const json root = jsontext::parse(text, origin, kExpectedJson);
  const jsontext::Locator top(origin, "");
  if (!root.is_object())
    top.fail(std::string("the document is ") + jsontext::type_name(root) + " (expected " +
             std::string(kExpectedJson) + ")");
  const json* meta_p = jsontext::member(root, "meta");
  if (meta_p == nullptr)
    top.fail("has no \"meta\" object (it states region, signal_type and units; expected " +
             std::string(kExpectedJson) + ")");
  const jsontext::Locator at_meta(origin, "meta");
  const json& meta = jsontext::require_object(*meta_p, at_meta, "region, signal_type, units");

  const std::string units = jsontext::require_string(meta, "units", at_meta, "\"lbs_co2_per_mwh\"");
  if (units != "lbs_co2_per_mwh")
    at_meta.fail("units '" + units + "' is unknown (allowed: lbs_co2_per_mwh)");
  const std::string signal_type =
      jsontext::require_string(meta, "signal_type", at_meta, "\"co2_moer\" or \"co2_aoer\"");
  SignalKind signal = SignalKind::marginal;
  if (signal_type == "co2_moer")
    signal = SignalKind::marginal;
  else if (signal_type == "co2_aoer")
    signal = SignalKind::average;
  else
    at_meta.fail("signal_type '" + signal_type +
                 "' is not a carbon-intensity signal (allowed: co2_moer, co2_aoer)");
  const std::string region =
      jsontext::require_string(meta, "region", at_meta, "a region such as \"CAISO_NORTH\"");
  if (region.empty())
    at_meta.fail("region is empty (expected a region such as \"CAISO_NORTH\")");

  SampleSpan span; // from the response when it says; else the sample-span rule
  if (const json* p = jsontext::member(meta, "data_point_period_seconds");
      p != nullptr && !p->is_null()) {
    if (!p->is_number_integer() && !p->is_number_unsigned())
      at_meta.fail("data_point_period_seconds " + p->dump() + " is not a whole number of seconds");
    const auto seconds = p->get<std::int64_t>();
    if (seconds <= 0)
      at_meta.fail("data_point_period_seconds " + p->dump() + " is not positive");
    span.max_sample_s = seconds;
  }

  const json* data = jsontext::member(root, "data");
  if (data == nullptr)
    top.fail("has no \"data\" array (expected " + std::string(kExpectedJson) + ")");
  if (!data->is_array())
    top.fail(std::string("data is ") + jsontext::type_name(*data) + " (expected an array)");
  if (data->empty())
    top.fail("data is empty (expected at least one point)");

  csv::SampleRows rows;
  rows.reserve(data->size());
  jsontext::Order order;
  for (std::size_t i = 0; i < data->size(); ++i) {
    const jsontext::Locator at = top.item("data", i);
    const json& item = jsontext::require_object((*data)[i], at, "a point");
    const TimeS t = jsontext::require_time(item, "point_time", at, "2023-06-08T00:00:00+00:00");
    order.check(at, "point_time", t, item.at("point_time").get<std::string>());
    const json* v = jsontext::member(item, "value");
    if (v == nullptr)
      at.fail("has no value (expected a number >= 0 in lbs_co2_per_mwh, or null)");
    double lbs = 0.0;
    if (!jsontext::intensity_or_null(*v, "value", at, lbs)) {
      rows.add(t, std::numeric_limits<double>::quiet_NaN(), Quality::missing);
      continue;
    }
    rows.add(t, lbs * kGPerKwhPerLbsPerMwh, Quality::measured);
  }
  if (span.max_sample_s == 0 && rows.size() == 1)
    top.item("data", 0).fail(
        "a single point and no meta.data_point_period_seconds: nothing gives its duration");

  RawSeries out;
  out.provenance =
      csv::intensity_provenance(region, signal, EmissionBasis::direct, "watttime-api", origin);
  csv::push_with_spans(out, rows, span, origin, 1);
  return out;
}

RawSeries load_watttime_historical_json(const std::string& path) {
  const std::string text = read_file(path);
  RawSeries out = parse_watttime_historical_json(text, path);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

RawSeries parse_watttime_actual_csv(std::string_view text, std::string_view origin,
                                    const WattTimeCsvOptions& opt) {
  const double factor = csv_unit_factor(opt.units, origin);
  constexpr std::string_view expected = "time,<region>";
  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, expected);
  expect_name(r, h, 0, "time", expected);
  const std::size_t c_v = value_column(r, h, opt.region, 1, expected);
  const std::string column = h.names()[c_v];

  csv::SampleRows rows;
  rows.reserve(r.max_records());
  csv::TimeOrder order;
  long first_line = 0;
  while (r.next()) {
    csv::expect_fields(r, h.size(), h.joined());
    const TimeS t = csv::time_field(r, 0, "time");
    order.check(r, t, r[0]);
    if (first_line == 0)
      first_line = r.line();
    bool present = false;
    const double v = csv_value(r, c_v, column, factor, present);
    rows.add(t, v, present ? Quality::measured : Quality::missing);
  }
  if (rows.size() == 0)
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one row)");

  RawSeries out;
  out.provenance = csv::intensity_provenance(column, SignalKind::marginal, EmissionBasis::direct,
                                             "watttime-actual-csv", origin);
  csv::push_with_spans(out, rows, opt.span, origin, first_line);
  return out;
}

RawSeries load_watttime_actual_csv(const std::string& path, const WattTimeCsvOptions& opt) {
  const std::string text = read_file(path);
  RawSeries out = parse_watttime_actual_csv(text, path, opt);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

ForecastArchive parse_watttime_forecast_csv(std::string_view text, std::string_view origin,
                                            const WattTimeCsvOptions& opt) {
  const double factor = csv_unit_factor(opt.units, origin);
  if (opt.span.max_sample_s < 0)
    throw ConfigError(std::string(origin) + ": max_sample_s " +
                      std::to_string(opt.span.max_sample_s) +
                      " is negative (0 = the archive's most common point spacing, or seconds)");
  constexpr std::string_view expected = "request_time,forecast_time,<region>";
  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, expected);
  expect_name(r, h, 0, "request_time", expected);
  expect_name(r, h, 1, "forecast_time", expected);
  const std::size_t c_v = value_column(r, h, opt.region, 2, expected);
  const std::string column = h.names()[c_v];

  ForecastArchive out;
  std::map<TimeS, std::size_t> spacing; // point spacing within an issue → count
  csv::TimeOrder points;                // forecast_time order within the current issue
  std::string issue_text;
  long first_line = 0;
  while (r.next()) {
    csv::expect_fields(r, h.size(), h.joined());
    const TimeS issued = csv::time_field(r, 0, "request_time");
    const TimeS point = csv::time_field(r, 1, "forecast_time");
    if (first_line == 0)
      first_line = r.line();
    if (out.issued_s.empty() || issued != out.issued_s.back()) {
      if (!out.issued_s.empty() && issued < out.issued_s.back())
        r.fail("request_time " + r[0] + " is earlier than the previous issue's " + issue_text +
               " (issues must be sorted by request_time, each issue's rows together)");
      out.issued_s.push_back(issued);
      out.point_s.emplace_back();
      out.value.emplace_back();
      issue_text = r[0];
      points = csv::TimeOrder();
    }
    points.check(r, point, r[1]);
    if (point < issued)
      r.fail("forecast_time " + r[1] + " is before its request_time " + r[0] +
             " (a forecast point cannot precede its issue)");
    bool present = false;
    const double v = csv_value(r, c_v, column, factor, present);
    std::vector<TimeS>& ps = out.point_s.back();
    if (!ps.empty())
      ++spacing[point - ps.back()];
    ps.push_back(point);
    out.value.back().push_back(v);
  }
  if (out.issued_s.empty())
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one row)");

  out.point_step_s = opt.span.max_sample_s;
  if (out.point_step_s == 0) {
    std::size_t best = 0;
    for (const auto& [step, count] : spacing) // ascending: a tie keeps the smaller step
      if (count > best) {
        best = count;
        out.point_step_s = step;
      }
    if (out.point_step_s == 0)
      throw TraceError(std::string(origin), first_line,
                       "every issue has a single point, which gives no spacing to infer a "
                       "point's duration from (state the sample span, max_sample_s > 0)");
  }
  out.provenance = csv::intensity_provenance(column, SignalKind::marginal, EmissionBasis::direct,
                                             "watttime-forecast-csv", origin);
  return out;
}

ForecastArchive load_watttime_forecast_csv(const std::string& path, const WattTimeCsvOptions& opt) {
  const std::string text = read_file(path);
  ForecastArchive out = parse_watttime_forecast_csv(text, path, opt);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
