// The canonical tidy carbon-intensity CSV writer (DESIGN §4), the inverse of
// parse_tidy_intensity_csv. The tidy format states only each row's start; the reader gives a row
// the file's most common spacing at most (the sample-span rule, csv.hpp). So that the reader
// gets back the same covered and uncovered time, the writer:
//   - picks the series' modal sample duration as its step;
//   - writes each gap between samples as explicit missing rows (empty ci_g_per_kwh), one per
//     step from the gap's start, the last one cut at the next sample;
//   - splits a sample longer than the step into step-long rows with the same value and quality
//     (time-weighted values are unchanged);
//   - closes a last sample shorter than the step with a missing row at its end.
// Then every row's spacing equals its duration and the reader's span equals the step. Values
// are written in their shortest round-trip form (std::to_chars), so they read back bit-equal.
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io_carbon.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

struct Row {
  TimeS start;
  double value;
  Quality quality;
};

void append_number(std::string& out, double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  CFSIM_CHECK(res.ec == std::errc(), "to_chars failed for a finite double");
  out.append(buf, res.ptr);
}

} // namespace

std::string format_tidy_intensity_csv(const RawSeries& s) {
  const Provenance& p = s.provenance;
  const std::string who = "format_tidy_intensity_csv(" + p.origin + ")";
  const std::size_t n = s.size();
  CFSIM_CHECK(s.start_s.size() == n && s.end_s.size() == n && s.quality.size() == n,
              "RawSeries vectors differ in length");
  if (p.zone.empty())
    throw ConfigError(who + ": the series has no zone (the tidy zone column must not be empty)");
  if (p.signal == SignalKind::price)
    throw ConfigError(who + ": a price series is not a carbon-intensity series (the tidy signal "
                            "column is average or marginal)");
  if (p.basis == EmissionBasis::none)
    throw ConfigError(who + ": the series has no emission-factor basis (the tidy ef_type column "
                            "is lifecycle or direct)");
  if (n == 0)
    throw ConfigError(who + ": the series has no samples (a tidy file needs at least one row)");

  std::map<TimeS, std::size_t> durations;
  for (std::size_t i = 0; i < n; ++i) {
    CFSIM_CHECK(s.end_s[i] > s.start_s[i], "RawSeries sample with an empty interval");
    CFSIM_CHECK(i == 0 || s.start_s[i] >= s.end_s[i - 1], "RawSeries samples overlap");
    const std::string at =
        who + ": sample " + std::to_string(i) + " at " + format_utc(s.start_s[i]);
    if (s.quality[i] == Quality::filled)
      throw ConfigError(at + " is filled: the tidy format has no column to flag filled values "
                             "(write the series before applying a fill policy)");
    if (s.quality[i] != Quality::missing && !(std::isfinite(s.value[i]) && s.value[i] >= 0))
      throw TraceError(at + ": value " + std::to_string(s.value[i]) +
                       " is not an intensity (a finite number >= 0; mark it missing instead)");
    ++durations[s.end_s[i] - s.start_s[i]];
  }
  TimeS step = 0;
  std::size_t best = 0;
  for (const auto& [d, count] : durations) // ascending: a tie keeps the shorter duration
    if (count > best) {
      best = count;
      step = d;
    }

  std::vector<Row> rows;
  rows.reserve(n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0)
      for (TimeS t = s.end_s[i - 1]; t < s.start_s[i]; t += step) // a gap: explicit missing rows
        rows.push_back({t, nan, Quality::missing});
    const double v = s.quality[i] == Quality::missing ? nan : s.value[i];
    for (TimeS t = s.start_s[i]; t < s.end_s[i]; t += step) // longer than the step: split
      rows.push_back({t, v, s.quality[i]});
  }
  if (s.end_s[n - 1] - rows.back().start < step) // the reader gives the last row a whole step
    rows.push_back({s.end_s[n - 1], nan, Quality::missing});

  if (rows.size() >= 2) {
    std::vector<TimeS> starts;
    starts.reserve(rows.size());
    for (const Row& r : rows)
      starts.push_back(r.start);
    const TimeS inferred = csv::most_common_spacing(starts);
    if (inferred != step)
      throw ConfigError(who + ": the samples' most common duration is " + std::to_string(step) +
                        " s, but the written rows would be most often " + std::to_string(inferred) +
                        " s apart, so the tidy reader would infer other durations (resample the "
                        "series onto a regular grid first)");
  }

  const std::string tail = std::string(",") + to_string(p.basis) + "," + to_string(p.signal) + ",";
  std::string out = "datetime_utc,zone,ci_g_per_kwh,ef_type,signal,is_estimated,source\n";
  out.reserve(out.size() + rows.size() * (48 + p.zone.size() + p.source.size()));
  for (const Row& r : rows) {
    out += format_utc(r.start);
    out += ',';
    csv::append_field(out, p.zone);
    out += ',';
    if (r.quality != Quality::missing)
      append_number(out, r.value);
    out += tail;
    if (r.quality != Quality::missing) // a missing row has no value to qualify
      out += r.quality == Quality::estimated ? "true" : "false";
    out += ',';
    csv::append_field(out, p.source);
    out += '\n';
  }
  return out;
}

} // namespace cfsim
