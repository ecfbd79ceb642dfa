// Emissions accounting with No-Fallback (DESIGN §3): energy in cells whose intensity is
// unknown is counted apart; totals come with coverage and bounds (missing energy × the lowest
// and highest intensity observed in the trace).
#pragma once

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

} // namespace cfsim
