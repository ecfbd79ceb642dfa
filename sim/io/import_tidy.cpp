// The tidy canonical carbon-intensity CSV (DESIGN §4, docs/formats.md):
// datetime_utc,zone,ci_g_per_kwh,ef_type,signal,is_estimated,source
// One series per call: one zone, one emission-factor basis, one signal kind. Rows of other zones
// (when a zone is selected) are still validated in full, so a bad row never goes unnoticed.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

constexpr std::string_view kHeader =
    "datetime_utc,zone,ci_g_per_kwh,ef_type,signal,is_estimated,source";
enum Col : std::size_t { c_time, c_zone, c_ci, c_ef, c_signal, c_est, c_source, c_count };

EmissionBasis parse_ef_type(const csv::Reader& r) {
  const std::string& s = r[c_ef];
  if (s == "lifecycle")
    return EmissionBasis::lifecycle;
  if (s == "direct")
    return EmissionBasis::direct;
  r.fail("ef_type '" + s + "' is unknown (expected lifecycle or direct)");
}

SignalKind parse_signal(const csv::Reader& r) {
  const std::string& s = r[c_signal];
  if (s == "average")
    return SignalKind::average;
  if (s == "marginal")
    return SignalKind::marginal;
  r.fail("signal '" + s + "' is unknown (expected average or marginal)");
}

} // namespace

RawSeries parse_tidy_intensity_csv(std::string_view text, std::string_view origin,
                                   const TidyOptions& opt) {
  csv::Reader r(text, origin);
  const csv::Header header = csv::read_header(r, kHeader);
  if (header.joined() != kHeader)
    r.fail("header is `" + header.joined() + "` (expected exactly `" + std::string(kHeader) + "`)");

  std::string zone = opt.zone; // fixed by the option, or by the first row
  EmissionBasis basis = EmissionBasis::lifecycle;
  SignalKind signal = SignalKind::average;
  long first_line = 0;              // first row of the selected zone (0: none yet)
  std::vector<std::string> sources; // distinct sources of the selected rows, in row order
  std::map<std::string, csv::TimeOrder, std::less<>> order; // per zone
  std::map<std::string, long, std::less<>> zones_seen;      // zone -> first line
  csv::SampleRows rows;
  rows.reserve(r.max_records());

  while (r.next()) {
    csv::expect_fields(r, c_count, kHeader);
    const TimeS t = csv::time_field(r, c_time, "datetime_utc");
    const std::string& row_zone = r[c_zone];
    if (row_zone.empty())
      r.fail("zone is empty (expected a zone id such as DE or US-CAL-CISO)");
    double v = std::numeric_limits<double>::quiet_NaN();
    const bool has_value = !r[c_ci].empty();
    if (has_value) {
      v = csv::number_field(r, c_ci, "ci_g_per_kwh");
      if (v < 0)
        r.fail("ci_g_per_kwh " + r[c_ci] +
               " is negative (intensity must be >= 0; leave it empty for a missing sample)");
    }
    const EmissionBasis row_basis = parse_ef_type(r);
    const SignalKind row_signal = parse_signal(r);
    // A row without a value may leave is_estimated empty: there is no value to qualify.
    const bool estimated =
        (has_value || !r[c_est].empty()) && csv::bool_field(r, c_est, "is_estimated");
    order[row_zone].check(r, t, r[c_time]);
    zones_seen.try_emplace(row_zone, r.line());

    if (zone.empty())
      zone = row_zone;
    if (row_zone != zone) {
      if (!opt.zone.empty())
        continue; // another zone's row: validated above, not selected
      r.fail("zone " + row_zone + " differs from zone " + zone + " on line " +
             std::to_string(zones_seen.at(zone)) +
             " (one zone per file, or select one with the zone option)");
    }
    if (first_line == 0) {
      first_line = r.line();
      basis = row_basis;
      signal = row_signal;
    } else if (row_basis != basis) {
      r.fail(std::string("ef_type ") + to_string(row_basis) + " differs from " + to_string(basis) +
             " on line " + std::to_string(first_line) +
             " (one emission-factor basis per series; lifecycle and direct never mix)");
    } else if (row_signal != signal) {
      r.fail(std::string("signal ") + to_string(row_signal) + " differs from " + to_string(signal) +
             " on line " + std::to_string(first_line) +
             " (one signal kind per series; average and marginal never mix)");
    }
    const std::string& row_source = r[c_source];
    if (!row_source.empty() &&
        std::find(sources.begin(), sources.end(), row_source) == sources.end())
      sources.push_back(row_source);
    const Quality q = !has_value  ? Quality::missing
                      : estimated ? Quality::estimated
                                  : Quality::measured;
    rows.add(t, v, q);
  }

  if (zones_seen.empty())
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one row)");
  if (rows.size() == 0) {
    std::string list;
    for (const auto& [z, line] : zones_seen)
      list += (list.empty() ? "" : ", ") + z;
    throw TraceError(std::string(origin), 2,
                     "no rows for zone " + opt.zone + " (zones in the file: " + list + ")");
  }

  std::string source; // several sources (e.g. measured and estimated rows) are joined by ';'
  for (const std::string& s : sources)
    source += (source.empty() ? "" : ";") + s;
  RawSeries out;
  out.provenance = csv::intensity_provenance(zone, signal, basis, source, origin);
  csv::push_with_spans(out, rows, opt.span, origin, first_line);
  return out;
}

RawSeries load_tidy_intensity_csv(const std::string& path, const TidyOptions& opt) {
  const std::string text = read_file(path);
  RawSeries out = parse_tidy_intensity_csv(text, path, opt);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
