// Internal: an office-hours schedule with AWS Instance Scheduler period semantics, parsed from
// office_hours' parameters (timezone, periods, lag_min). Shared by office_hours.cpp, which runs
// it as it is, and carbon_office_hours.cpp, which moves part of each day's office time. The
// semantics and their limits are documented in office_hours.cpp and docs/office-hours.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cfsim/time.hpp"
#include "cfsim/timezone.hpp"
#include "cfsim/value.hpp"

namespace cfsim::strategies {

class OfficeSchedule {
public:
  // Reads 'timezone' (required), 'periods' (required) and 'lag_min' (default 5) from `p`. The
  // caller reads its own parameters and calls p.finish(). Errors start with p.context().
  static OfficeSchedule read(ParamReader& p);

  // The local days (days since 1970-01-01 on the local calendar) whose periods can reach
  // [from_s, to_s), and the zone's offsets for them (with a margin).
  struct Days {
    UtcOffsetTable table;
    std::int64_t first = 0, last = -1; // inclusive
  };
  // ConfigError "fleet group 'g': <context>: unknown time zone ..." if `db` lacks the zone.
  Days days(const TimeZoneDb& db, const std::string& group, TimeS from_s, TimeS to_s) const;

  // The running spans of local day `day` (UTC, lag applied, clipped to [from_s, to_s)), one per
  // period that runs that day; unsorted and possibly overlapping (see merge_spans).
  std::vector<Interval> day_spans(const UtcOffsetTable& table, std::int64_t day, TimeS from_s,
                                  TimeS to_s) const;

  // Every running span within [from_s, to_s), merged: the office_hours plan.
  std::vector<Interval> spans(const TimeZoneDb& db, const std::string& group, TimeS from_s,
                              TimeS to_s) const;

  struct Period; // defined in office_periods.cpp

private:
  std::string context_; // e.g. "strategy 'office_hours'"
  std::string zone_;
  std::shared_ptr<const std::vector<Period>> periods_;
  TimeS lag_s_ = 0;
};

// Sorted by start, overlapping or touching spans merged into one.
std::vector<Interval> merge_spans(std::vector<Interval> spans);

// "HH:MM" as seconds after local midnight, 00:00..23:59, and 24:00 (the next local midnight)
// when `allow_24` is set. ConfigError "<where>: '<text>': <why> (allowed: ...)" otherwise.
TimeS parse_time_of_day(const std::string& where, const std::string& text, bool allow_24);

} // namespace cfsim::strategies
