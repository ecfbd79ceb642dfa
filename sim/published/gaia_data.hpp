// Internal: the GAIA experiment's data readers (sim/published/gaia.cpp), exposed for tests.
// Spec: ../shared/published/gaia.md §2 (carbon rows) and §3 (job trace).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/gaia.hpp"
#include "cfsim/series.hpp"
#include "cfsim/time.hpp"

namespace cfsim::published::gaia_data {

// The job trace `arrival_time,length,cpus` (seconds, seconds, cores) with the raw seconds,
// which the experiment truncates itself (spec §3). Rows must be in arrival order; every length
// must be at least one 5-s step; cpus a whole number ≥ 1. TraceError "file:line: ..." otherwise.
struct JobTrace {
  std::vector<gaia::TraceJob> rows;
  std::vector<long> lines; // line of each row, for later errors
};
JobTrace parse_job_trace(std::string_view text, std::string_view origin);

// An Electricity Maps portal export (hourly) read through the EM portal importer, with the
// line of every row. Rows must be consecutive hours (a row's index is its hour, spec §2).
struct HourlyCarbon {
  std::vector<TimeS> hour_s;     // start of each row's hour (UTC)
  std::vector<double> g_per_kwh; // NaN where the export has no value
  std::vector<Quality> quality;
  std::vector<long> lines;
  std::string column; // the intensity column's header, as spelled in the file
  std::string zone;
  EmissionBasis basis = EmissionBasis::lifecycle;
};
HourlyCarbon parse_hourly_carbon(std::string_view text, std::string_view origin,
                                 EmissionBasis basis);

// Rows [base_offset + start_index, … + 720) (spec §2). Refuses a window that does not fit
// (the original silently runs a shorter horizon) and rows without a value (No-Fallback);
// estimated rows are kept and counted.
struct CarbonWindow {
  std::int64_t start_index = 0;
  std::int64_t first_row = 0; // data row (0-based, header not counted)
  std::vector<double> g_per_kwh;
  TimeS first_hour_s = 0, last_hour_s = 0;
  std::int64_t estimated_hours = 0;
};
CarbonWindow select_window(const HourlyCarbon& c, std::string_view origin, std::int64_t base_offset,
                           std::int64_t start_index);

} // namespace cfsim::published::gaia_data
