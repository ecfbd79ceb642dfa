// A resolved scenario: every file read, every name checked, ready to run (DESIGN §8).
// sim/io/scenario_loader.cpp builds it from JSON; tests may build one in code.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cfsim/catalog.hpp"
#include "cfsim/cost_trace.hpp"
#include "cfsim/forecast_models.hpp"
#include "cfsim/io_carbon.hpp"
#include "cfsim/series.hpp"
#include "cfsim/value.hpp"
#include "cfsim/workload.hpp"

namespace cfsim {

struct StrategySpec {
  std::string name;  // registry name
  std::string label; // run-name part, defaults to name (unique within a scenario)
  Value params;      // object
};

// How the summary's uncertainty is spread (methodology §8): forecast noise (and every other
// seeded draw) over `seeds` seeds, and the energy model's coefficients over intervals. The
// defaults leave a run as it is: one seed, point coefficients.
struct UncertaintySpec {
  int seeds = 1; // runs with seeds seed, seed + 1, ..., seed + seeds − 1 (p5 / p50 / p95)
  // Offsets added to every utilisation (fleet groups and the job pool), the result clamped to
  // [0, 1]: the interval [u + low, u + high].
  double utilisation_low = 0, utilisation_high = 0;
  // Factors on the CPU and GPU min and max watts of the catalog: [low × W, high × W].
  double watts_factor_low = 1, watts_factor_high = 1;
  bool energy_interval() const {
    return utilisation_low != 0 || utilisation_high != 0 || watts_factor_low != 1 ||
           watts_factor_high != 1;
  }
};

// A candidate region for batch jobs besides the home region (the job pool's region with the
// scenario's carbon trace): scenario "jobs.regions", read by region_shift.
struct RegionCandidate {
  std::string region; // catalog region with an on-demand price for the pool's instance type
  RawSeries carbon;   // its intensity trace as read (g/kWh), like Scenario::carbon
  double latency_ms = std::numeric_limits<double>::quiet_NaN(); // NaN: not stated
  std::string sovereignty;                                      // e.g. "eu"; empty: not stated
};

// One expanded parameter of a sweep point (docs/sweeps.md): the axis name, the value as run
// names print it, and the number when it is one.
struct SweepParam {
  std::string name; // e.g. "max_wait_h"
  std::string text; // e.g. "12"
  bool is_number = false;
  double number = 0;
};

struct Scenario {
  std::string name;
  TimeGrid grid;
  std::uint64_t seed = 0;
  Catalog catalog;
  RawSeries carbon;                    // intensity trace as read (g/kWh)
  std::optional<RawSeries> spot_price; // USD per instance-hour, per instance type of the fleet
  // Billing data for the data-quality metrics (TAC, Cost-MAPE, DPS; docs/metrics.md): optional.
  std::optional<CostTrace> costs;
  TimeS cost_label_offset_s = 0; // added to charge periods before alignment (TAC, DPS)
  CostColumn cost_column = CostColumn::billed;
  bool allow_mixed_signals = false; // explicit flag to compare average with marginal traces
  ForecastSpec forecast;            // what strategies see (oracle unless the scenario says)
  std::optional<ForecastArchive> forecast_archive; // the recorded forecasts of `replay`
  UncertaintySpec uncertainty;
  std::vector<SweepParam> sweep_params; // set by `cfsim sweep` for each point; empty otherwise
  std::vector<FleetGroup> fleet;
  std::vector<Job> jobs;
  std::optional<JobPool> job_pool;          // required when there are jobs
  std::vector<RegionCandidate> job_regions; // candidate regions beyond home, in scenario order
  std::vector<StrategySpec> strategies;
  std::string baseline_fleet = "always_on"; // label of the fleet run savings are measured against
  std::string baseline_jobs = "no_wait";    // label of the job run savings are measured against
  std::string resolved_json; // the scenario as run (defaults filled in), for provenance
  std::string sha256;        // of the scenario file bytes
  std::vector<std::pair<std::string, std::string>> input_hashes; // path -> sha256
};

// Parses and validates a scenario file: unknown keys, names, instance types, regions and
// zones are ConfigErrors naming the allowed choices. Relative paths resolve against the
// scenario file's folder. `parse_scenario` takes the text (and the folder for relative paths).
Scenario load_scenario(const std::string& path);
Scenario parse_scenario(std::string_view json_text, std::string_view origin,
                        const std::string& base_dir);

} // namespace cfsim
