// Forecast models: what a strategy is shown in place of the truth (DESIGN §6 "Forecasts given
// to strategies"). The engine builds a ForecastView from the values computed here; accounting
// always uses the truth, a forecast only changes decisions (Let's Wait Awhile §3).
//
//   oracle       the truth itself (a perfect forecast);
//   gaussian     the truth plus static i.i.d. N(0, σ) noise, σ = e × mean of the truth
//                (Wiesner et al., "Let's Wait Awhile", Middleware 2021, §3);
//   persistence  "same slot yesterday": the most recent observed cell at the same time of day.
//
// No-Fallback (DESIGN §3): a forecast of a cell is unknown (NaN) whenever the value it would be
// built from is unknown; no model invents a value where the source had none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cfsim/series.hpp"
#include "cfsim/value.hpp"

namespace cfsim {

enum class ForecastKind { oracle, gaussian, persistence, replay };
const char* to_string(ForecastKind k);

struct ForecastSpec {
  ForecastKind kind = ForecastKind::oracle;
  double error = 0; // e, the relative noise level of `gaussian` (σ = e × mean); ≥ 0, finite
  // `replay` of a recorded forecast archive (WattTime CSV `request_time,forecast_time,<region>`):
  // at each decision time the strategy sees the latest forecast issued at or before it, never
  // the actuals. The archive is read by the scenario loader (sim); these name it.
  std::string archive_file;   // path as written in the scenario (relative to it)
  std::string archive_units;  // "lbs_co2_per_mwh" or "g_per_kwh": never assumed
  std::string archive_region; // value column; empty: the only one
};

// The forecast kinds with what they show strategies, parameters and source, in order.
struct ForecastKindInfo {
  std::string name, summary, params, source;
};
std::vector<ForecastKindInfo> forecast_kind_infos();

// Reads {"kind": "oracle" | "gaussian" | "persistence", "error": 0.05}. "error" is required with
// "gaussian" (a noise level is never defaulted) and rejected with the other kinds; it must be
// finite and ≥ 0. A bare string ("oracle", "persistence") is accepted as shorthand for
// {"kind": ...}. Unknown keys and kinds throw ConfigError naming the allowed ones; `context`
// starts every message (e.g. "scenario 'x': forecast").
ForecastSpec parse_forecast_spec(const Value& v, const std::string& context = "forecast");

// "oracle", "persistence", "gaussian(e=0.05)" (e in its shortest round-trip decimal form).
std::string to_string(const ForecastSpec& spec);

// --- Static forecasts (oracle, gaussian) ----------------------------------------------------
// A slot has one seen value whoever looks at it and whenever (LWA §3): the whole seen series is
// computed once, before the run, and the decision time does not matter.

// The Rng stream of the gaussian noise ("forecast" in ASCII). A caller that draws noise for
// several traces under one seed (e.g. region_shift's candidate regions) passes a distinct stream
// per trace, so that their noise is independent rather than identical.
inline constexpr std::uint64_t kForecastNoiseStream = 0x666f726563617374ULL;

// One seen value per grid cell of `truth`:
//   oracle    seen[i] = truth[i];
//   gaussian  seen[i] = truth[i] + σ·z_i, σ = e × (time-weighted, i.e. coverage-weighted, mean
//             of the truth over its known cells, cfsim::known_range), z_i the i-th normal() of
//             Rng(seed, stream). One draw per cell in cell order, unknown cells included, so the
//             noise of a cell depends only on (seed, stream, cell index), not on where the gaps
//             are; and z does not depend on e (common random numbers across error levels: the
//             noise for e = 0.1 is exactly twice that for e = 0.05). No clipping: seen values may
//             be negative, as in LWA. e = 0 gives exactly the truth.
//   persistence is not static (it depends on the decision time): CFSIM_CHECK failure, use
//             persistence_value / persistence_window.
// Unknown cells of the truth (coverage 0) are NaN in every model. Same arguments ⇒ identical
// vector, bit for bit.
std::vector<double> static_forecast(const GridSeries& truth, const ForecastSpec& spec,
                                    std::uint64_t seed,
                                    std::uint64_t stream = kForecastNoiseStream);

// --- Persistence ("same slot yesterday", DESIGN §6) -----------------------------------------
// Cells per day of the grid (86400 / step_s; the step must divide a day).
std::int64_t cells_per_day(const TimeGrid& grid);

// The persistence forecast of `cell` issued at the start of `decision_cell` (D = cells per day):
//   cell ≥ decision_cell: the truth of cell − k·D for the smallest k ≥ 1 with
//                         cell − k·D < decision_cell, i.e. the latest cell at the same time of
//                         day that is already in the past (k = (cell − decision_cell) / D + 1);
//   cell < decision_cell: the past, its truth.
// NaN when that source cell is before the grid start or unknown (No-Fallback: persistence never
// reaches further back than the latest same-time-of-day cell to find a known value).
// `cell` must lie on the grid; `decision_cell` may lie anywhere.
double persistence_value(const GridSeries& truth, std::int64_t decision_cell, std::int64_t cell);

// Writes persistence_value(truth, decision_cell, c) into values[c] and its knownness (1 if not
// NaN) into known[c], for c in [first_cell, end_cell); other cells are left untouched. `values`
// and `known` must have one entry per grid cell (the engine builds a ForecastView over them);
// the window must lie on the grid.
void persistence_window(const GridSeries& truth, std::int64_t decision_cell,
                        std::int64_t first_cell, std::int64_t end_cell, std::vector<double>& values,
                        std::vector<std::uint8_t>& known);

// --- Forecast error statistics (reported next to savings) -----------------------------------
struct ForecastErrors {
  std::int64_t n = 0; // cells where both seen and truth are known
  double mae = 0;     // mean |seen − truth|
  double rmse = 0;    // sqrt(mean (seen − truth)²)
  double bias = 0;    // mean (seen − truth): > 0 means the forecast over-estimates
  double mape_pct = 0; // 100 × mean |seen − truth| / |truth| over the n_mape cells with truth ≠ 0
  std::int64_t n_mape = 0;
};

// Over the cells where truth is known (coverage > 0) and seen is not NaN. Statistics over no
// cell are NaN, never 0 (No-Fallback); so is mape_pct when every truth is 0.
ForecastErrors forecast_errors(const std::vector<double>& seen, const GridSeries& truth);

// One overall figure for persistence: the errors of the day-ahead persistence, each cell
// against the cell exactly one day earlier (cells of the first day have no forecast and are
// not counted). This is the error of every forecast persistence makes for a cell less than one
// day after the decision; cells further ahead repeat an older day and typically err more.
ForecastErrors persistence_errors(const GridSeries& truth);

} // namespace cfsim
