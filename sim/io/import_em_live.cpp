// Electricity Maps live-API polls written to CSV, as recorded by umassos/carbonAdvisor
// (`traces/*.csv`): zone_datetime,timestamp,carbon_intensity_avg,fossilFuelPercentage.
//   zone_datetime         the hour the value belongs to (ISO 8601, UTC)
//   timestamp             when the poll ran (epoch seconds, may be fractional); not a sample time
//   carbon_intensity_avg  g CO2e/kWh
//   fossilFuelPercentage  0–100; validated, not used
// A poll that did not happen leaves no row: those hours stay gaps (the sample-span rule in
// csv.hpp never stretches a sample over them). Columns are found by name; others are ignored.
#include <algorithm>
#include <limits>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io_carbon.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

constexpr std::string_view kHeader =
    "zone_datetime,timestamp,carbon_intensity_avg,fossilFuelPercentage";

std::size_t require_column(const csv::Reader& r, const csv::Header& h, std::string_view name) {
  if (const auto c = h.find(name))
    return *c;
  r.fail("header has no `" + std::string(name) +
         "` column (an Electricity Maps live-poll CSV needs `zone_datetime` and "
         "`carbon_intensity_avg`, e.g. `" +
         std::string(kHeader) + "`; header is `" + h.joined() + "`)");
}

// End-labelled samples: sample i covers [max(t_{i-1}, t_i − span), t_i), the first one
// [t_0 − span, t_0). The mirror image of csv::push_with_spans, with the same span inference.
void push_end_labelled(RawSeries& out, const csv::SampleRows& rows, const SampleSpan& opt,
                       std::string_view origin, long first_row_line) {
  if (opt.max_sample_s < 0)
    throw ConfigError(std::string(origin) + ": max_sample_s " + std::to_string(opt.max_sample_s) +
                      " is negative (0 = the file's most common spacing, or a span in seconds)");
  TimeS span = opt.max_sample_s;
  if (span == 0) {
    span = csv::most_common_spacing(rows.start_s);
    if (span == 0)
      throw TraceError(std::string(origin), first_row_line,
                       "a single row gives no spacing to infer its duration from (state the "
                       "sample span, max_sample_s > 0)");
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const TimeS end = rows.start_s[i];
    const TimeS start = i == 0 ? end - span : std::max(rows.start_s[i - 1], end - span);
    out.push(start, end, rows.value[i], rows.quality[i]);
  }
}

} // namespace

RawSeries parse_em_live_csv(std::string_view text, std::string_view origin,
                            const EmLiveOptions& opt) {
  if (opt.zone.empty())
    throw ConfigError(std::string(origin) +
                      ": an Electricity Maps live-poll CSV names no zone (state it in the zone "
                      "option, e.g. DE)");
  if (opt.basis == EmissionBasis::none)
    throw ConfigError(std::string(origin) +
                      ": basis none is not an emission-factor basis (expected lifecycle or "
                      "direct: the one the polls requested)");

  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, kHeader);
  const std::size_t c_time = require_column(r, h, "zone_datetime");
  const std::size_t c_ci = require_column(r, h, "carbon_intensity_avg");
  const auto c_poll = h.find("timestamp");
  const auto c_fossil = h.find("fossilFuelPercentage");
  const std::string header_text = h.joined();

  csv::SampleRows rows;
  rows.reserve(r.max_records());
  csv::TimeOrder order;
  long first_line = 0;
  while (r.next()) {
    csv::expect_fields(r, h.size(), header_text);
    const TimeS t = csv::time_field(r, c_time, "zone_datetime");
    order.check(r, t, r[c_time]);
    if (first_line == 0)
      first_line = r.line();
    // The poll time and the fossil share are not used, but a malformed one means a damaged row.
    if (c_poll && !r[*c_poll].empty())
      (void)csv::number_field(r, *c_poll, "timestamp");
    if (c_fossil && !r[*c_fossil].empty()) {
      const double f = csv::number_field(r, *c_fossil, "fossilFuelPercentage");
      if (f < 0 || f > 100)
        r.fail("fossilFuelPercentage " + r[*c_fossil] + " is outside 0..100 (a percentage)");
    }
    if (r[c_ci].empty()) {
      rows.add(t, std::numeric_limits<double>::quiet_NaN(), Quality::missing);
      continue;
    }
    const double v = csv::number_field(r, c_ci, "carbon_intensity_avg");
    if (v < 0)
      r.fail("carbon_intensity_avg " + r[c_ci] +
             " is negative (intensity must be >= 0; leave it empty for a missing sample)");
    rows.add(t, v, Quality::measured);
  }
  if (rows.size() == 0)
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one row)");

  RawSeries out;
  out.provenance = csv::intensity_provenance(opt.zone, SignalKind::average, opt.basis,
                                             "electricitymaps-live", origin);
  if (opt.label == Label::start)
    csv::push_with_spans(out, rows, opt.span, origin, first_line);
  else
    push_end_labelled(out, rows, opt.span, origin, first_line);
  return out;
}

RawSeries load_em_live_csv(const std::string& path, const EmLiveOptions& opt) {
  const std::string text = read_file(path);
  RawSeries out = parse_em_live_csv(text, path, opt);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
