// Two-column CSV as published with research code, e.g. Let's Wait Awhile's data/*.csv
// (Wiesner et al., Middleware 2021): `Time,Carbon Intensity`, naive UTC times, g/kWh. The file
// names neither zone, signal nor basis, so the caller states them (docs/formats.md).
#include <limits>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {
constexpr std::string_view kHeader = "Time,Carbon Intensity";
} // namespace

RawSeries parse_two_column_csv(std::string_view text, std::string_view origin,
                               const TwoColumnOptions& opt) {
  if (opt.zone.empty())
    throw ConfigError(std::string(origin) +
                      ": a two-column CSV names no zone (state it in the trace's zone option)");
  if (opt.signal == SignalKind::price)
    throw ConfigError(std::string(origin) +
                      ": signal price is not a carbon-intensity signal (expected average or "
                      "marginal)");

  csv::Reader r(text, origin);
  const csv::Header header = csv::read_header(r, kHeader);
  if (header.joined() != kHeader)
    r.fail("header is `" + header.joined() + "` (expected exactly `" + std::string(kHeader) + "`)");

  csv::SampleRows rows;
  rows.reserve(r.max_records());
  csv::TimeOrder order;
  long first_line = 0;
  while (r.next()) {
    csv::expect_fields(r, 2, kHeader);
    const TimeS t = csv::time_field(r, 0, "Time");
    order.check(r, t, r[0]);
    if (first_line == 0)
      first_line = r.line();
    if (r[1].empty()) { // an explicit missing sample: the row is there, its value is not
      rows.add(t, std::numeric_limits<double>::quiet_NaN(), Quality::missing);
      continue;
    }
    const double v = csv::number_field(r, 1, "Carbon Intensity");
    if (v < 0)
      r.fail("Carbon Intensity " + r[1] +
             " is negative (intensity must be >= 0; leave it empty for a missing sample)");
    rows.add(t, v, Quality::measured);
  }
  if (rows.size() == 0)
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one row)");

  RawSeries out;
  out.provenance = csv::intensity_provenance(opt.zone, opt.signal, opt.basis, opt.source, origin);
  csv::push_with_spans(out, rows, opt.span, origin, first_line);
  return out;
}

RawSeries load_two_column_csv(const std::string& path, const TwoColumnOptions& opt) {
  const std::string text = read_file(path);
  RawSeries out = parse_two_column_csv(text, path, opt);
  out.provenance.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
