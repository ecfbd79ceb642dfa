// Run results as plain values (DESIGN §9): what the engine produces and the result store,
// `dump` and the figures consume. Nothing downstream reaches back upstream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
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
  double co2e_g = 0;            // over the known part (measured, estimated or filled)
  double co2e_coverage = 1;     // energy share on measured or estimated intensity
  double co2e_filled_share = 0; // energy share on intensity filled by a fill policy
  double cost_usd = 0;
  bool deadline_missed = false;
  bool blind = false;
  // Where and on what capacity (methodology §5.1–5.2): the placement's capacity ("on_demand",
  // "spot", "reserved"; a spot job restarted on on-demand keeps "spot") and region (the AWS
  // region name); the spot model's interruptions, the work they lost (redone), and the work
  // not done when the period ended (0: the job finished; its energy, CO2e and cost then cover
  // the period only).
  std::string capacity = "on_demand";
  std::string region{};
  std::int32_t interruptions = 0;
  double lost_work_h = 0;
  double unfinished_work_h = 0;
};

// A column of an extra table: one value per row, all columns of a table equally long.
struct TableColumn {
  std::string name;
  std::string units; // UDUNITS spelling, empty for text and indices
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;
  std::size_t size() const;
};

// An extra table of a result set, stored as /tables/<name> (docs/result-schema.md), e.g. the
// per-run data-quality table "quality". The names "summary" and "jobs" are reserved. A column
// that refers to a run holds its index in ResultSet::runs (like /tables/jobs' `run`).
struct Table {
  std::string name;
  std::vector<TableColumn> columns;
  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
};

inline std::size_t TableColumn::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

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
  std::vector<Table> tables; // extra tables beside /tables/summary and /tables/jobs
  // Root attributes (DESIGN §9): tool version, git sha, creation time, command line, resolved
  // scenario JSON and its sha256, seed, catalog and trace sha256s, schema version, ...
  std::vector<std::pair<std::string, std::string>> attributes;
};

// ---- Reading a result set: the lookups every reader (figures, tables, checks, CLI) shares ----

// The run's summary field `name`; nullptr if the run lacks it (a failed run has none).
inline const Field* find_field(const RunResult& run, std::string_view name) {
  for (const Field& f : run.summary)
    if (f.name == name)
      return &f;
  return nullptr;
}

// A numeric field as double (an integer converted); NaN if absent or text: unknown stays
// unknown (No-Fallback).
inline double field_number(const Field* f) {
  if (f == nullptr)
    return std::numeric_limits<double>::quiet_NaN();
  if (const auto* d = std::get_if<double>(&f->value))
    return *d;
  if (const auto* i = std::get_if<std::int64_t>(&f->value))
    return static_cast<double>(*i);
  return std::numeric_limits<double>::quiet_NaN();
}
inline double field_number(const RunResult& run, std::string_view name) {
  return field_number(find_field(run, name));
}

// A root attribute of the result set; "" if it has none.
inline std::string attribute(const ResultSet& rs, std::string_view key) {
  for (const auto& [k, v] : rs.attributes)
    if (k == key)
      return v;
  return {};
}

} // namespace cfsim
