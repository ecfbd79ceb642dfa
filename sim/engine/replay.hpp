// Internal: one replay of a scenario (every strategy, the scenario's own seed and energy model;
// sim/engine/engine.cpp). run_scenario (sim/engine/uncertainty.cpp) repeats it over the seeds
// and coefficient intervals of the scenario's uncertainty block and summarises the spread.
#pragma once

#include "cfsim/engine.hpp"

namespace cfsim {

ResultSet run_replay(const Scenario& sc, const TimeZoneDb& tz, const EngineOptions& opt);

} // namespace cfsim
