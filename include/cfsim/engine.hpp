// The replay engine: runs each strategy of a scenario over the same traces and workload and
// accounts energy, emissions (with No-Fallback coverage and bounds), cost and waiting.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cfsim/result.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/timezone.hpp"

namespace cfsim {

struct EngineOptions {
  explicit EngineOptions(int threads_ = 0, bool progress_ = false)
      : threads(threads_), progress(progress_) {}
  int threads = 0;       // 0: hardware concurrency; results are identical for any count
  bool progress = false; // progress lines on stderr
  // Indices into Scenario::strategies of the runs to make, in this order; empty: all. The
  // baselines are accounted whether they are selected or not (`cfsim sweep --filter`).
  std::vector<std::size_t> only;
};

// Runs every strategy of the scenario. A failing run becomes a row with status "error";
// the others carry on. Savings are filled in against the scenario's baselines.
ResultSet run_scenario(const Scenario& sc, const TimeZoneDb& tz, const EngineOptions& opt);

// The run name `scenario/label/k=v,k=v/seed=n` (DESIGN §8): the sweep parameters, then the
// strategy's scalar parameters (structured ones and swept ones left out), "-" when none.
std::string run_name(const std::string& scenario, const std::string& label, const Value& params,
                     const std::vector<SweepParam>& sweep_params, std::uint64_t seed);

// Names and units of the summary columns, in order (docs/result-schema.md).
std::vector<std::pair<std::string, std::string>> summary_columns();

} // namespace cfsim
