// Strategies (DESIGN §6): small policies with one decision hook. Fleet strategies switch
// long-running instances on and off; job strategies place batch jobs in time. The one list of
// names is the registry table in core/strategies/registry.cpp.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cfsim/forecast.hpp"
#include "cfsim/time.hpp"
#include "cfsim/timezone.hpp"
#include "cfsim/value.hpp"
#include "cfsim/workload.hpp"

namespace cfsim {

enum class StrategyKind { fleet, jobs };
const char* to_string(StrategyKind k);

// What a fleet strategy may use. `forecast_at(t)` is the forecast issued at decision time t,
// visible up to t + horizon_s; a strategy deciding at time t must ask for forecast_at(t).
struct FleetContext {
  TimeGrid grid;
  const TimeZoneDb* time_zones = nullptr;
  std::function<ForecastView(TimeS decision_s, TimeS horizon_s)> forecast_at;
};

class FleetStrategy {
public:
  virtual ~FleetStrategy() = default;
  // The spans during which each instance of `group` runs, sorted, non-overlapping, within
  // [grid.start_s, grid.end_s()).
  virtual std::vector<Interval> plan(const FleetGroup& group, const FleetContext& ctx) const = 0;
};

// A job's placement: the spans it runs in (one for a non-interruptible job).
struct Placement {
  std::vector<Interval> pieces;
  bool blind = false; // the decision met unknown (missing) intensity in its window
};

class JobStrategy {
public:
  virtual ~JobStrategy() = default;
  // How far past the job's arrival the strategy looks (its forecast window).
  virtual TimeS horizon_s(const Job& job) const { return job.duration_s + job.max_wait_s; }
  // Decided once, at arrival; `view` covers [arrival, arrival + horizon_s(job)) clipped to the
  // scenario period. Pieces must lie within [arrival, deadline] and sum to
  // job.running_s(pieces) (the duration plus the restart overhead after every resume); every
  // piece but the last lasts at least job.min_run_s.
  virtual Placement place(const Job& job, const ForecastView& view) const = 0;
};

struct StrategyInfo {
  std::string name;
  StrategyKind kind;
  std::string summary; // one line
  std::string params;  // parameters with units and defaults, for `cfsim strategies`
  std::string source;  // publication or tool it reproduces
};

// All strategies, in registry order.
std::vector<StrategyInfo> strategy_infos();
// Throws ConfigError("unknown strategy 'x' (valid: always_on, ...)").
const StrategyInfo& strategy_info(const std::string& name);
// Build a strategy from its parameters (ConfigError on unknown or bad parameters).
std::unique_ptr<FleetStrategy> make_fleet_strategy(const std::string& name, const Value& params);
std::unique_ptr<JobStrategy> make_job_strategy(const std::string& name, const Value& params);

} // namespace cfsim
