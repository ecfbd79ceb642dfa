// The replay engine: runs each strategy of a scenario over the same traces and workload and
// accounts energy, emissions (with No-Fallback coverage and bounds), cost and waiting.
#pragma once

#include <string>

#include "cfsim/result.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/timezone.hpp"

namespace cfsim {

struct EngineOptions {
  int threads = 0;       // 0: hardware concurrency; results are identical for any count
  bool progress = false; // progress lines on stderr
};

// Runs every strategy of the scenario. A failing run becomes a row with status "error";
// the others carry on. Savings are filled in against the scenario's baselines.
ResultSet run_scenario(const Scenario& sc, const TimeZoneDb& tz, const EngineOptions& opt);

// Names and units of the summary columns, in order (docs/result-schema.md).
std::vector<std::pair<std::string, std::string>> summary_columns();

} // namespace cfsim
