// office_hours: start/stop schedules with the period semantics of AWS Instance Scheduler.
//
// Source: AWS Solutions, "Instance Scheduler on AWS", implementation guide
// (https://docs.aws.amazon.com/solutions/latest/instance-scheduler-on-aws/), sections on
// schedules and period rules. A schedule has one time zone and one or more periods; an instance
// runs while ANY period of its schedule is running. A period is running on a local day that
// matches ALL its day rules (weekdays, monthdays, months; an absent rule matches every day),
// from begintime (inclusive) to endtime (exclusive), local wall-clock time. Weekday syntax:
// names or 0..6 (0 = Monday), ranges, lists, "mon#1" (nth weekday of the month), "friL" (last
// one); month days: numbers, ranges, lists, "L" (last day), "15W" (nearest weekday); months:
// names or numbers, ranges, lists. The scheduler is a Lambda function run every N minutes, so a
// state change takes effect `lag_min` after the boundary (default 5, the guide's default
// scheduling interval).
//
// Modelling choices and limits (docs/office-hours.md has the full list):
// - The guide says a period with only a begin time needs a manual stop (and only an end time a
//   manual start). A simulation cannot stop anything by hand, so cfsim ends such a period at the
//   end of the local day (and starts an end-only period at local midnight).
// - Local times are converted with the zone's offsets: a begin or end inside a spring-forward
//   gap takes effect when the gap ends; one that occurs twice (fall back) at its first
//   occurrence (UtcOffsetTable::local_to_utc).
// - The lag is a constant delay; in reality it varies between runs (0..N minutes plus Lambda
//   runtime and boot time). The "every nth" forms ("1/7", "jan/3") are not supported.
//
// The period rules and their parsing live in office_periods.cpp (shared with
// carbon_office_hours).
#include <memory>
#include <utility>

#include "cfsim/error.hpp"
#include "strategies/office_periods.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {

class OfficeHours final : public FleetStrategy {
public:
  explicit OfficeHours(OfficeSchedule schedule) : schedule_(std::move(schedule)) {}

  std::vector<Interval> plan(const FleetGroup& group, const FleetContext& ctx) const override {
    CFSIM_CHECK(ctx.time_zones != nullptr, "office_hours needs FleetContext::time_zones");
    return schedule_.spans(*ctx.time_zones, group.name, ctx.grid.start_s, ctx.grid.end_s());
  }

private:
  OfficeSchedule schedule_;
};

} // namespace

std::unique_ptr<FleetStrategy> make_office_hours(const Value& params) {
  ParamReader p(params, "strategy 'office_hours'");
  OfficeSchedule schedule = OfficeSchedule::read(p);
  p.finish();
  return std::make_unique<OfficeHours>(std::move(schedule));
}

} // namespace cfsim::strategies
