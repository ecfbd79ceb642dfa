// Emissions accounting with No-Fallback (DESIGN §3): energy in cells whose intensity is
// unknown is counted apart; totals come with coverage and bounds (missing energy × the lowest
// and highest intensity observed in the trace).
#pragma once

#include <vector>

#include "cfsim/series.hpp"

namespace cfsim {

struct Emissions {
  double known_g = 0;              // Σ energy × intensity over covered energy
  double energy_kwh = 0;           // all energy
  double missing_energy_kwh = 0;   // energy in uncovered (parts of) cells
  double estimated_energy_kwh = 0; // energy on estimated samples
  double lower_g = 0;              // known + missing × min observed intensity
  double upper_g = 0;              // known + missing × max observed intensity
  double coverage() const { return energy_kwh > 0 ? 1.0 - missing_energy_kwh / energy_kwh : 1.0; }
  bool complete() const { return missing_energy_kwh <= 0.0; }
  void add(const Emissions& o);
};

// Emissions of `energy_kwh` drawn in cell `i` of `intensity`.
// A cell with coverage c contributes c × energy × value as known and (1 − c) × energy as missing.
Emissions cell_emissions(const GridSeries& intensity, std::int64_t i, double energy_kwh,
                         const KnownRange& range);

// Range of E_run / E_base when both runs draw energy in cells whose intensity is unknown.
// E = known_g + Σ_c missing_kwh[c] · x_c with the SAME unknown x_c ∈ [lo, hi] in both runs
// (one grid, one trace), so the runs' unknowns are not independent: comparing a run with
// itself gives exactly [1, 1]. The ratio is linear-fractional in x, so its extremes lie on
// vertices of the box; Dinkelbach's method (Management Science 13(7), 1967) finds them in a few
// passes. Returns NaN bounds when E_base can be 0 or an intensity bound is infinite.
struct RatioRange {
  double min = 0;
  double max = 0;
};
RatioRange emission_ratio_range(double known_run_g, const std::vector<double>& missing_run_kwh,
                                double known_base_g, const std::vector<double>& missing_base_kwh,
                                double lo_g_per_kwh, double hi_g_per_kwh);

} // namespace cfsim
