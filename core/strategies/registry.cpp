// The one list of strategy names (DESIGN §6, STYLE "one registry"): name → kind → description
// → factory. An explicit table, not static self-registration.
#include <algorithm>

#include "cfsim/error.hpp"
#include "cfsim/strategy.hpp"
#include "strategies/strategies.hpp"

namespace cfsim {

namespace {

struct Entry {
  StrategyInfo info;
  std::unique_ptr<FleetStrategy> (*make_fleet)(const Value&) = nullptr;
  std::unique_ptr<JobStrategy> (*make_jobs)(const Value&) = nullptr;
};

const std::vector<Entry>& registry() {
  using namespace strategies;
  static const std::vector<Entry> table = {
      {{"always_on", StrategyKind::fleet, "every fleet instance runs the whole period (baseline)",
        "none", "baseline"},
       make_always_on,
       nullptr},
      {{"office_hours", StrategyKind::fleet,
        "instances run only inside scheduled periods (AWS Instance Scheduler semantics)",
        "timezone (IANA name, required); periods (list of {begin \"HH:MM\", end \"HH:MM\", "
        "weekdays e.g. \"mon-fri\", \"mon#1\", \"friL\", monthdays e.g. \"1-15\", \"L\", \"15W\", "
        "months e.g. \"jan-mar\"}); lag_min (scheduler lag, minutes, default 5)",
        "AWS Solutions, Instance Scheduler on AWS, implementation guide"},
       make_office_hours,
       nullptr},
      {{"threshold_stop", StrategyKind::fleet,
        "instances stop while the forecast intensity exceeds a threshold (decided every grid "
        "cell), kept up for a minimum up-time and forced on when the hours required per UTC day "
        "need the rest of the day; unknown intensity: run",
        "threshold_g_per_kwh (g/kWh, absolute) XOR percentile (0..100 of the forecast cells in "
        "the next lookahead_h, linear interpolation); lookahead_h (hours, default 24, percentile "
        "only); min_up_h (hours, default 1); required_h_per_day (hours per UTC day, 0..24, "
        "default 0)",
        "cfsim (DESIGN §6); the threshold suspend/resume rule of Ecovisor (Souza et al., ASPLOS "
        "2023) applied to fleet instances"},
       make_threshold_stop,
       nullptr},
      {{"carbon_office_hours", StrategyKind::fleet,
        "office_hours, except that a share of each local day's office time (whole grid cells, "
        "the dirtiest) runs instead in the cleanest free cells of an allowed window of that day, "
        "if cleaner; running time per day unchanged",
        "office_hours' timezone, periods, lag_min; deferrable_share (0..1, default 0.25); "
        "allowed_begin (local \"HH:MM\", default \"00:00\"); allowed_end (local \"HH:MM\" or "
        "\"24:00\", default \"24:00\")",
        "AWS Instance Scheduler periods + temporal shifting (Wiesner et al., Let's Wait Awhile, "
        "Middleware 2021)"},
       make_carbon_office_hours,
       nullptr},
      {{"no_wait", StrategyKind::jobs, "every job starts at its arrival (baseline)", "none",
        "baseline; GAIA No-Jobs-Wait (Hanafy et al., ASPLOS 2024)"},
       nullptr,
       make_no_wait},
      {{"lowest_window", StrategyKind::jobs,
        "start where the intensity summed over the job's length is lowest within its allowed "
        "wait (candidates every grid step after arrival, earliest on ties)",
        "candidates (\"step\": every grid step after arrival, default; \"cell\": arrival and every "
        "cell boundary)",
        "GAIA Lowest-Window* (Hanafy et al., ASPLOS 2024); Wiesner et al., Middleware 2021"},
       nullptr,
       make_lowest_window},
      {{"wait_awhile", StrategyKind::jobs,
        "interruptible jobs run in the lowest-intensity time within [arrival, arrival + length + "
        "wait); non-interruptible jobs as lowest_window",
        "none", "Wiesner et al., Let's Wait Awhile, Middleware 2021"},
       nullptr,
       make_wait_awhile},
      {{"ecovisor", StrategyKind::jobs,
        "run while the intensity is below a percentile of the next hours, or once the wait "
        "budget is spent",
        "percentile (default 30, 0..100); lookahead_h (hours the percentile covers, default 24)",
        "Souza et al., Ecovisor, ASPLOS 2023, as implemented in GAIA (Hanafy et al., ASPLOS 2024)"},
       nullptr,
       make_ecovisor},
      {{"lowest_slot", StrategyKind::jobs,
        "start at the beginning of the lowest-intensity grid cell within the allowed wait "
        "(candidates: arrival and every cell boundary up to arrival + wait; earliest on ties); "
        "the job then runs its whole length",
        "none", "GAIA Lowest-Slot (Hanafy et al., ASPLOS 2024)"},
       nullptr,
       make_lowest_slot},
      {{"carbon_time", StrategyKind::jobs,
        "start where (carbon at arrival - carbon at start) / (wait + length) is largest "
        "(candidates every grid step after arrival, earliest on ties, a later start must save "
        "strictly more than 0)",
        "none (the job's true length; GAIA's cst_average variant with an expected length is not "
        "provided)",
        "GAIA Carbon-Time* / cst_oracle (Hanafy et al., ASPLOS 2024)"},
       nullptr,
       make_carbon_time},
      {{"best_window", StrategyKind::jobs,
        "start at the lowest time-weighted rolling average of the forecast over the job's "
        "length (candidates every grid step from arrival to arrival + wait; all tied minima "
        "found, earliest chosen)",
        "none (window = the job's duration; candidate spacing = the grid step)",
        "Green Software Foundation Carbon Aware SDK: forecast optimal window (rolling average, "
        "optimalDataPoints), GetBestEmissionsDataForLocationsByTime"},
       nullptr,
       make_best_window},
      {{"region_shift", StrategyKind::jobs,
        "run each job in the candidate region (home or jobs.regions) with the lowest forecast "
        "emissions, at its lowest-window start within the allowed wait (or at arrival), on "
        "demand at that region's price; ties to the earliest listed, home first",
        "max_latency_ms (ms, optional: candidates above it are not used; each must state "
        "latency_ms); sovereignty (label, e.g. \"eu\", optional: candidates must state the same); "
        "shift_time (bool, default true: lowest-window start per region; false: start at arrival)",
        "spatial shifting: Google's carbon-intelligent computing (Radovanovic et al., IEEE Trans. "
        "Power Systems 2023); Sukprasert et al., EuroSys 2024"},
       nullptr,
       make_region_shift},
      {{"cost_carbon", StrategyKind::jobs,
        "per job, the start (grid steps within the allowed wait) and capacity (reserved if free, "
        "spot with its expected rework, on-demand) minimising alpha*cost/cost_ref + "
        "(1-alpha)*carbon/carbon_ref, both normalised by starting at arrival on demand; ties: "
        "reserved, spot, on-demand, earliest",
        "alpha (0..1, required: 0 carbon only, 1 cost only); capacity from jobs.capacity",
        "cost-carbon trade-off of purchase options (GAIA, Hanafy et al., ASPLOS 2024), weighted "
        "sum scalarisation"},
       nullptr,
       make_cost_carbon},
  };
  return table;
}

const Entry& entry(const std::string& name) {
  for (const Entry& e : registry())
    if (e.info.name == name)
      return e;
  std::string valid;
  for (const Entry& e : registry()) {
    if (!valid.empty())
      valid += ", ";
    valid += e.info.name;
  }
  throw ConfigError("unknown strategy '" + name + "' (valid: " + valid + ")");
}

} // namespace

const char* to_string(StrategyKind k) {
  return k == StrategyKind::fleet ? "fleet" : "jobs";
}

std::vector<StrategyInfo> strategy_infos() {
  std::vector<StrategyInfo> out;
  for (const Entry& e : registry())
    out.push_back(e.info);
  return out;
}

const StrategyInfo& strategy_info(const std::string& name) {
  return entry(name).info;
}

std::unique_ptr<FleetStrategy> make_fleet_strategy(const std::string& name, const Value& params) {
  const Entry& e = entry(name);
  if (!e.make_fleet)
    throw ConfigError("strategy '" + name + "' places batch jobs, not fleet instances");
  return e.make_fleet(params);
}

std::unique_ptr<JobStrategy> make_job_strategy(const std::string& name, const Value& params) {
  const Entry& e = entry(name);
  if (!e.make_jobs)
    throw ConfigError("strategy '" + name + "' switches fleet instances, it does not place jobs");
  return e.make_jobs(params);
}

} // namespace cfsim
