// Internal: one factory per strategy file. The registry (registry.cpp) is the only list of
// names; each factory validates its parameters (ParamReader) and throws ConfigError.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "cfsim/strategy.hpp"

namespace cfsim::strategies {

std::unique_ptr<FleetStrategy> make_always_on(const Value& params);
std::unique_ptr<FleetStrategy> make_office_hours(const Value& params);
std::unique_ptr<FleetStrategy> make_threshold_stop(const Value& params);
std::unique_ptr<FleetStrategy> make_carbon_office_hours(const Value& params);
std::unique_ptr<JobStrategy> make_no_wait(const Value& params);
std::unique_ptr<JobStrategy> make_lowest_window(const Value& params);
std::unique_ptr<JobStrategy> make_wait_awhile(const Value& params);
std::unique_ptr<JobStrategy> make_ecovisor(const Value& params);
std::unique_ptr<JobStrategy> make_lowest_slot(const Value& params);
std::unique_ptr<JobStrategy> make_carbon_time(const Value& params);
std::unique_ptr<JobStrategy> make_best_window(const Value& params);
std::unique_ptr<JobStrategy> make_region_shift(const Value& params);
std::unique_ptr<JobStrategy> make_cost_carbon(const Value& params);

// best_window's building blocks (best_window.cpp), exposed so that the Carbon Aware SDK's own
// examples can be unit tests.

// A data point labelling [time_s, time_s + duration_s) (the SDK's EmissionsData).
struct TimedValue {
  TimeS time_s = 0;
  double value = 0;
  TimeS duration_s = 0;
};
// The time-weighted mean of `points` (sorted, not overlapping) over [from_s, to_s): each point
// weighs the seconds it overlaps the period (the SDK's AverageOverPeriod). nullopt if the points
// do not cover the whole period (No-Fallback: a gap is not averaged over) or it is empty.
std::optional<double> time_weighted_average(std::span<const TimedValue> points, TimeS from_s,
                                            TimeS to_s);
// The SDK's RollingAverage with its default tick: one window of `window_s` starting at each
// point's time, as long as the window ends within the data. Points must be contiguous.
std::vector<double> rolling_time_weighted_average(std::span<const TimedValue> points,
                                                  TimeS window_s);
// Every candidate start with the minimum average (in time order; the SDK's optimalDataPoints),
// that average, and whether a candidate was skipped for unknown data.
struct BestWindows {
  std::vector<TimeS> starts;
  double average = 0;
  bool blind = false;
};
BestWindows best_windows(const Job& job, const ForecastView& view);

} // namespace cfsim::strategies
