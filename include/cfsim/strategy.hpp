// Strategies (DESIGN §6): small policies with one decision hook. Fleet strategies switch
// long-running instances on and off; job strategies place batch jobs in time. The one list of
// names is the registry table in core/strategies/registry.cpp.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cfsim/capacity.hpp"
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

// A job's placement: the spans it runs in (one for a non-interruptible job), where and on what
// capacity.
struct Placement {
  std::vector<Interval> pieces;
  bool blind = false; // the decision met unknown (missing) intensity in its window
  // on_demand anywhere; reserved (the pieces must be free in JobContext::reserved) and spot (one
  // piece; the engine simulates its interruptions, cfsim/spot.hpp) in the home region only.
  PurchaseOption capacity = PurchaseOption::on_demand;
  std::size_t region = 0; // index into JobContext::regions; 0: the home region
};

// A region a job may run in. Index 0 is the home region: the job pool's region with the
// scenario's carbon trace; the others are the scenario's candidate regions (jobs.regions).
struct RegionOption {
  std::string region;      // e.g. "eu-west-1"
  double usd_per_h = 0;    // this job's on-demand price there (instance price × cpus / vCPUs)
  double latency_ms = 0;   // NaN: not stated (the home region: 0)
  std::string sovereignty; // e.g. "eu"; empty: not stated
  ForecastView view;       // the region's forecast over the job's window (as `place` gets it)
};

// Everything the engine offers a job strategy at a job's arrival.
struct JobContext {
  std::vector<RegionOption> regions; // never empty; [0] is home
  // The reserved capacity's occupancy by the jobs placed before (in arrival order); nullptr
  // without reserved capacity. A reserved placement must be free over all its pieces.
  const ReservedTimeline* reserved = nullptr;
  // Spot prices and the interruption model; nullptr when the scenario offers no spot capacity.
  const JobCapacity* spot = nullptr;
  double instance_share = 0; // cpus / vCPUs of the pool's instance type

  const ForecastView& home() const { return regions.front().view; }
  // This job's spot price per hour in a grid cell of the period (spot != nullptr): the trace's
  // instance price × instance_share, or spot_fraction × the home on-demand price.
  double spot_usd_per_h(std::int64_t cell) const {
    return spot->spot_usd_per_h.empty()
               ? spot->spot_fraction * regions.front().usd_per_h
               : spot->spot_usd_per_h[static_cast<std::size_t>(cell)] * instance_share;
  }
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
  // The hook the engine calls, with the candidate regions and capacity on offer (every view
  // covers the same window as `place`'s). The default uses only the home forecast: on-demand
  // capacity in the home region, as `place` decides.
  virtual Placement place_with(const Job& job, const JobContext& ctx) const {
    return place(job, ctx.home());
  }
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
