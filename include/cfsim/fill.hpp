// The two explicit exceptions to "data as the source gave them" (DESIGN §2, §3), each only on
// request: opt-in gap filling of a trace on the scenario grid, and comparing traces of
// different signal kinds (average vs marginal) or emission-factor bases (lifecycle vs direct).
// docs/methodology.md §4 gives the exact rules.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/series.hpp"

namespace cfsim {

// How a gap in a grid series may be filled. `none` is the default: a gap stays a gap.
//   hold           the last known cell's value, carried forward (a gap at the start stays)
//   linear         a straight line between the values of the known cells on either side of
//                  the gap, read at cell centres (gaps at the start or end stay)
//   daily_profile  the coverage-weighted mean of the known cells at the same time of day
//                  (UTC, same step slot) over the series (a slot with no known cell stays)
enum class FillMethod : std::uint8_t { none, hold, linear, daily_profile };

// The one list of method names, in enum order ("none", "hold", "linear", "daily_profile").
const std::vector<std::string>& fill_method_names();
const char* to_string(FillMethod m);
// ConfigError naming the allowed methods for an unknown name.
FillMethod fill_method_from_name(std::string_view name);

struct FillPolicy {
  FillMethod method = FillMethod::none;
  // Longest gap filled, in hours (> 0); a longer gap stays missing in full. Infinity: no limit.
  double max_fill_h = std::numeric_limits<double>::infinity();
};

// The policy as recorded in provenance: "none", "hold", "linear(max 6 h)", "daily_profile".
std::string to_string(const FillPolicy& p);
// The inverse of to_string (also the bare method names); "" reads as "none". ConfigError for
// anything else, naming the allowed forms.
FillPolicy parse_fill_policy(std::string_view text);

// A grid series after filling, and the share of each cell whose value comes from the fill.
// In `series`, a filled cell has quality `filled` and coverage 1 (its value is known to
// strategies and accounting); the source's own coverage of cell i is
// series.coverage[i] − filled_share[i]. estimated_share is left as the source gave it.
struct FilledSeries {
  GridSeries series;
  std::vector<double> filled_share;
};

// Applies `p` to a resampled series. A gap is a maximal run of cells the source does not
// cover at all; it is filled only if it lasts at most max_fill_h. A partly covered cell (0 <
// coverage < 1) is filled for its uncovered part, with its own value (the grid does not say
// where in the cell the data stopped, and at grid resolution the cell's value is its best
// estimate under every method), if that part lasts at most max_fill_h. Values used to fill
// come from the source's known cells only, never from other filled cells. Sets
// provenance.fill_policy to to_string(p). With `none` the series comes back unchanged.
FilledSeries fill_gaps(const GridSeries& s, const FillPolicy& p);

// Time-weighted shares of a trace's grid cells (they sum to 1): measured and estimated
// (covered by the source), filled (by the fill policy) and missing.
struct QualityShares {
  double measured = 0;
  double estimated = 0;
  double filled = 0;
  double missing = 0;
  double coverage() const { return measured + estimated; } // the source's own coverage
};
QualityShares quality_shares(const FilledSeries& f);

// Traces compared in one study must share the signal kind (average vs marginal) and the
// emission-factor basis (lifecycle vs direct) — averages and marginals answer different
// questions (DESIGN §2). A ConfigError names the first two traces that differ and the scenario
// flag `allow_mixed_signals`, unless `allow_mixing` is true. Price traces are not carbon
// signals and are ignored.
void check_comparable(const std::vector<Provenance>& traces, bool allow_mixing);

} // namespace cfsim
