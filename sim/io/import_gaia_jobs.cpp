// GAIA job traces (Hanafy et al., ASPLOS 2024; umassos/GAIA src/cluster_traces/*.csv):
// `arrival_time,length,cpus`, arrival and length in seconds (written as floats, "0.0"), cpus in
// cores. Arrivals are relative to the period start; cfsim times are whole seconds, so arrival
// and length are rounded to the nearest second (the published traces hold whole seconds).
#include <cmath>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

constexpr std::string_view kHeader = "arrival_time,length,cpus";
// Ten thousand years in seconds: far beyond any trace, well inside int64 after rounding.
constexpr double kMaxSeconds = 3.2e11;

TimeS whole_seconds(const csv::Reader& r, std::size_t col, std::string_view column, double v) {
  if (std::fabs(v) > kMaxSeconds)
    r.fail(std::string(column) + " " + r[col] + " is out of range (at most 3.2e11 s)");
  return static_cast<TimeS>(std::llround(v));
}

} // namespace

std::vector<Job> parse_gaia_jobs_csv(std::string_view text, std::string_view origin,
                                     const JobCsvOptions& opt) {
  if (opt.max_wait_s < 0)
    throw ConfigError(std::string(origin) + ": max_wait_s " + std::to_string(opt.max_wait_s) +
                      " is negative (expected a wait in seconds >= 0)");
  csv::Reader r(text, origin);
  const csv::Header header = csv::read_header(r, kHeader);
  if (header.joined() != kHeader)
    r.fail("header is `" + header.joined() + "` (expected exactly `" + std::string(kHeader) + "`)");

  std::vector<Job> jobs;
  jobs.reserve(r.max_records());
  double prev_arrival = 0.0;
  std::string prev_text;
  while (r.next()) {
    csv::expect_fields(r, 3, kHeader);
    const double arrival = csv::number_field(r, 0, "arrival_time");
    const double length = csv::number_field(r, 1, "length");
    const double cpus = csv::number_field(r, 2, "cpus");
    if (arrival < 0)
      r.fail("arrival_time " + r[0] + " is negative (seconds after the period start, >= 0)");
    if (!jobs.empty() && arrival < prev_arrival)
      r.fail("arrival_time " + r[0] + " is earlier than the previous row's " + prev_text +
             " (arrivals must be non-decreasing)");
    if (!(length > 0))
      r.fail("length " + r[1] + " is not positive (a job runs for more than 0 s)");
    if (!(cpus > 0))
      r.fail("cpus " + r[2] + " is not positive (a job needs more than 0 cores)");
    const TimeS duration = whole_seconds(r, 1, "length", length);
    if (duration == 0)
      r.fail("length " + r[1] + " rounds to 0 s (lengths are whole seconds, at least 1)");

    Job j;
    j.id = static_cast<std::int64_t>(jobs.size());
    j.arrival_s = opt.period_start_s + whole_seconds(r, 0, "arrival_time", arrival);
    j.duration_s = duration;
    j.cpus = cpus;
    j.max_wait_s = opt.max_wait_s;
    j.interruptible = opt.interruptible;
    jobs.push_back(j);
    prev_arrival = arrival;
    prev_text = r[0];
  }
  if (jobs.empty())
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one job)");
  return jobs;
}

std::vector<Job> load_gaia_jobs_csv(const std::string& path, const JobCsvOptions& opt) {
  return parse_gaia_jobs_csv(read_file(path), path, opt);
}

} // namespace cfsim
