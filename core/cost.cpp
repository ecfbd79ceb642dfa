// Cost model (DESIGN §5). EC2 Linux on-demand and spot instances are billed per second with a
// 60-second minimum each time an instance starts (aws.amazon.com/ec2/pricing: "Per Second
// Billing"); EBS volumes are billed per GB-month, prorated by the hour over a 730-hour month
// (aws.amazon.com/ebs/pricing); reserved capacity is paid for every hour of the term.
#include "cfsim/cost.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "cfsim/error.hpp"

namespace cfsim {
namespace {

void check_price(double usd, const char* what) {
  if (!(usd >= 0.0) || !std::isfinite(usd))
    throw ConfigError(std::string(what) + " must be a finite number ≥ 0, got " +
                      std::to_string(usd));
}

void check_span(const Interval& s) {
  if (s.end_s < s.start_s)
    throw ConfigError("running span [" + format_utc(s.start_s) + ", " + format_utc(s.end_s) +
                      ") ends before it starts");
}

} // namespace

TimeS billed_seconds(TimeS running_s) {
  if (running_s < 0)
    throw ConfigError("negative running time " + std::to_string(running_s) + " s");
  if (running_s == 0)
    return 0;
  return std::max(kMinimumBilledS, running_s);
}

double running_cost_usd(const std::vector<Interval>& spans, double usd_per_h) {
  check_price(usd_per_h, "hourly price");
  TimeS billed = 0;
  for (const auto& s : spans) {
    check_span(s);
    billed += billed_seconds(s.duration_s());
  }
  return static_cast<double>(billed) * usd_per_h / 3600.0;
}

double spot_cost_usd(const std::vector<Interval>& spans, const TimeGrid& grid,
                     const std::vector<double>& usd_per_h) {
  if (grid.step_s <= 0 || grid.n < 0 || static_cast<std::int64_t>(usd_per_h.size()) != grid.n)
    throw ConfigError("spot price trace has " + std::to_string(usd_per_h.size()) +
                      " values for a grid of " + std::to_string(grid.n) + " cells");
  // The price of cell i, or an error naming the time: outside the grid is a scenario mistake,
  // a NaN price is missing data (the caller decides what a run without it means).
  const auto price_at = [&](std::int64_t i) {
    if (i < 0 || i >= grid.n)
      throw ConfigError("running time at " + format_utc(grid.cell_start(i)) +
                        " is outside the spot price grid [" + format_utc(grid.start_s) + ", " +
                        format_utc(grid.end_s()) + ")");
    const double p = usd_per_h[static_cast<std::size_t>(i)];
    if (std::isnan(p))
      throw TraceError("no spot price for the cell starting " + format_utc(grid.cell_start(i)) +
                       " (missing sample; spot cost over it is unknown)");
    if (p < 0.0 || !std::isfinite(p))
      throw TraceError("spot price " + std::to_string(p) + " $/h at " +
                       format_utc(grid.cell_start(i)) + " is not a finite number ≥ 0");
    return p;
  };

  double usd = 0.0;
  for (const auto& s : spans) {
    check_span(s);
    if (s.duration_s() == 0)
      continue;
    const std::int64_t first = grid.cell_of(s.start_s);
    const std::int64_t last = grid.cell_of(s.end_s - 1);
    for (std::int64_t i = first; i <= last; ++i) {
      const TimeS a = std::max(s.start_s, grid.cell_start(i));
      const TimeS b = std::min(s.end_s, grid.cell_start(i + 1));
      usd += static_cast<double>(b - a) * price_at(i) / 3600.0;
    }
    // The rest of the 60 s minimum, at the price in force when the span started.
    const TimeS extra = billed_seconds(s.duration_s()) - s.duration_s();
    if (extra > 0)
      usd += static_cast<double>(extra) * price_at(first) / 3600.0;
  }
  return usd;
}

double ebs_cost_usd(double gb, double usd_per_gb_month, double hours) {
  if (!(gb >= 0.0))
    throw ConfigError("EBS volume size must be ≥ 0 GB, got " + std::to_string(gb));
  check_price(usd_per_gb_month, "EBS price per GB-month");
  if (!(hours >= 0.0))
    throw ConfigError("EBS hours must be ≥ 0, got " + std::to_string(hours));
  return gb * usd_per_gb_month * hours / kHoursPerMonth;
}

double reserved_cost_usd(int count, double usd_per_h, double hours) {
  if (count < 0)
    throw ConfigError("reserved instance count must be ≥ 0, got " + std::to_string(count));
  check_price(usd_per_h, "reserved hourly rate");
  if (!(hours >= 0.0))
    throw ConfigError("reserved hours must be ≥ 0, got " + std::to_string(hours));
  return static_cast<double>(count) * usd_per_h * hours;
}

} // namespace cfsim
