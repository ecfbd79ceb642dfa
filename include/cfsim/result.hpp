// Run results as plain values (DESIGN §9): what the engine produces and the result store,
// `dump` and the figures consume. Nothing downstream reaches back upstream.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "cfsim/time.hpp"

namespace cfsim {

// One summary column value. Every run of a result set has the same fields in the same order.
// The run's name, strategy, status and message are RunResult members, not fields.
struct Field {
  std::string name;  // e.g. "co2e_operational_kg"
  std::string units; // UDUNITS spelling ("kg", "kW h", "USD", "%", "1"), empty for text
  std::variant<double, std::int64_t, std::string> value;
};

// One time series of a run on the result grid, e.g. intensity_g_per_kwh, fleet_running.
struct NamedSeries {
  std::string name;
  std::string units;
  std::vector<double> values; // NaN where unknown (No-Fallback)
};

// One row per job placement.
struct JobRecord {
  std::int64_t job_id = 0;
  TimeS arrival_s = 0;
  TimeS start_s = 0; // first piece
  TimeS end_s = 0;   // end of the last piece
  std::int32_t pieces = 0;
  double cpus = 0;
  double wait_h = 0; // start − arrival
  double energy_kwh = 0;
  double co2e_g = 0;        // over the covered part
  double co2e_coverage = 1; // energy share with known intensity
  double cost_usd = 0;
  bool deadline_missed = false;
  bool blind = false;
};

struct RunResult {
  std::string name; // "scenario/strategy/k=v,k=v/seed=n"
  std::string strategy;
  std::string status = "ok"; // "ok" or "error"
  std::string message;       // error text when status == "error"
  std::vector<Field> summary;
  std::vector<NamedSeries> series;
  std::vector<JobRecord> jobs;
};

struct ResultSet {
  TimeGrid grid;
  std::vector<RunResult> runs;
  // Root attributes (DESIGN §9): tool version, git sha, creation time, command line, resolved
  // scenario JSON and its sha256, seed, catalog and trace sha256s, schema version, ...
  std::vector<std::pair<std::string, std::string>> attributes;
};

} // namespace cfsim
