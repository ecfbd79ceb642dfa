// A resolved scenario: every file read, every name checked, ready to run (DESIGN §8).
// sim/io/scenario_loader.cpp builds it from JSON; tests may build one in code.
#pragma once

#include <cstdint>
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
  std::vector<FleetGroup> fleet;
  std::vector<Job> jobs;
  std::optional<JobPool> job_pool; // required when there are jobs
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
