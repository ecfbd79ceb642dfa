// Electricity Maps data-portal CSV exports (hourly, daily, ...). Columns are found by name, not
// position, because the two header generations order and spell them differently:
//   older: Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),
//          Carbon Intensity gCO₂eq/kWh (LCA),...,Data Source,Data Estimated,Data Estimation Method
//   newer: ...,Carbon intensity gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle),...
// Names are matched after csv::fold_name (case, "₂" vs "2", surrounding spaces).
#include <limits>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

constexpr std::string_view kTime = "Datetime (UTC)";
constexpr std::string_view kZone = "Zone Id";
constexpr std::string_view kEstimated = "Data Estimated";
constexpr std::string_view kLca = "Carbon Intensity gCO₂eq/kWh (LCA)";
constexpr std::string_view kLifeCycle = "Carbon intensity gCO₂eq/kWh (Life cycle)";
constexpr std::string_view kDirect = "Carbon Intensity gCO₂eq/kWh (direct)";

std::string expected_columns(std::string_view intensity) {
  return "`" + std::string(kTime) + "`, `" + std::string(kZone) + "`, `" + std::string(intensity) +
         "`, `" + std::string(kEstimated) + "`";
}

// The one column matching any of `names`; TraceError on the header line if none or several.
std::size_t require_column(const csv::Reader& r, const csv::Header& h,
                           const std::vector<std::string_view>& names, std::string_view role,
                           const std::string& expected) {
  std::vector<std::size_t> hits;
  for (const std::string_view n : names)
    for (const std::size_t i : h.find_folded(n))
      hits.push_back(i);
  if (hits.size() == 1)
    return hits.front();
  std::string spelled;
  for (const std::string_view n : names)
    spelled += (spelled.empty() ? "`" : " or `") + std::string(n) + "`";
  if (hits.empty())
    r.fail("header has no " + std::string(role) + " column " + spelled +
           " (an Electricity Maps portal export needs " + expected +
           "; case and gCO2eq/gCO₂eq "
           "spellings may vary; header is `" +
           h.joined() + "`)");
  r.fail("header has " + std::to_string(hits.size()) + " columns matching " + spelled +
         " (expected exactly one; header is `" + h.joined() + "`)");
}

} // namespace

RawSeries parse_em_portal_csv(std::string_view text, std::string_view origin,
                              const EmPortalOptions& opt) {
  std::vector<std::string_view> intensity_names;
  if (opt.basis == EmissionBasis::lifecycle)
    intensity_names = {kLca, kLifeCycle};
  else if (opt.basis == EmissionBasis::direct)
    intensity_names = {kDirect};
  else
    throw ConfigError(std::string(origin) +
                      ": an Electricity Maps portal export has lifecycle and direct intensity "
                      "(choose basis lifecycle or direct)");
  const std::string expected = expected_columns(intensity_names.front());

  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, expected);
  const std::size_t c_time = require_column(r, h, {kTime}, "time", expected);
  const std::size_t c_zone = require_column(r, h, {kZone}, "zone", expected);
  const std::size_t c_ci = require_column(r, h, intensity_names, "intensity", expected);
  const std::size_t c_est = require_column(r, h, {kEstimated}, "estimated-flag", expected);
  const std::string ci_name = h.names()[c_ci];
  const std::string header_text = h.joined();

  std::string zone;
  long zone_line = 0;
  long first_line = 0;
  csv::TimeOrder order;
  csv::SampleRows rows;
  rows.reserve(r.max_records());
  while (r.next()) {
    csv::expect_fields(r, h.size(), header_text);
    const TimeS t = csv::time_field(r, c_time, kTime);
    order.check(r, t, r[c_time]);
    if (first_line == 0)
      first_line = r.line();
    const std::string& row_zone = r[c_zone];
    if (row_zone.empty())
      r.fail("Zone Id is empty (expected a zone id such as ES)");
    if (zone.empty()) {
      zone = row_zone;
      zone_line = r.line();
    } else if (row_zone != zone) {
      r.fail("Zone Id " + row_zone + " differs from " + zone + " on line " +
             std::to_string(zone_line) + " (one zone per file: export each zone separately)");
    }
    if (r[c_ci].empty()) { // the portal had no value for this interval
      if (!r[c_est].empty())
        (void)csv::bool_field(r, c_est, kEstimated);
      rows.add(t, std::numeric_limits<double>::quiet_NaN(), Quality::missing);
      continue;
    }
    const double v = csv::number_field(r, c_ci, ci_name);
    if (v < 0)
      r.fail(ci_name + " " + r[c_ci] +
             " is negative (intensity must be >= 0; an empty field is a missing sample)");
    const bool estimated = csv::bool_field(r, c_est, kEstimated);
    rows.add(t, v, estimated ? Quality::estimated : Quality::measured);
  }
  if (rows.size() == 0)
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one row)");

  RawSeries out;
  out.provenance = csv::intensity_provenance(zone, SignalKind::average, opt.basis,
                                             "electricitymaps-portal", origin);
  csv::push_with_spans(out, rows, opt.span, origin, first_line);
  return out;
}

RawSeries load_em_portal_csv(const std::string& path, const EmPortalOptions& opt) {
  const std::string text = read_file(path);
  RawSeries out = parse_em_portal_csv(text, path, opt);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
