// Traces: raw samples as read from a source, and series resampled onto a scenario grid.
// Every sample carries its quality and every trace its provenance (DESIGN §2, §3).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cfsim/time.hpp"

namespace cfsim {

enum class Quality : std::uint8_t {
  measured = 0,  // the source reported a value
  estimated = 1, // the source reported a value and said it was estimated
  missing = 2,   // no value: never replaced by a default (No-Fallback)
  filled = 3,    // produced by an explicit, opt-in fill policy
};
const char* to_string(Quality q);

enum class SignalKind : std::uint8_t { average, marginal, price };
enum class EmissionBasis : std::uint8_t { lifecycle, direct, none };
const char* to_string(SignalKind s);
const char* to_string(EmissionBasis b);

struct Provenance {
  std::string zone; // e.g. "DE", "US-CAL-CISO"; empty for price traces
  SignalKind signal = SignalKind::average;
  EmissionBasis basis = EmissionBasis::lifecycle;
  std::string source;      // e.g. "electricitymaps-portal", "synthetic:DE", "lets-wait-awhile"
  std::string origin;      // file path (or "<text>") the trace came from
  std::string sha256;      // of the file's bytes; empty for generated traces
  std::string units;       // UDUNITS spelling, e.g. "g kW-1 h-1" or "USD h-1"
  std::string fill_policy; // "none" unless an explicit fill policy was applied
};

// Samples as the source gave them. Sample i holds `value[i]` over [start_s[i], end_s[i]);
// intervals are sorted and do not overlap; a gap between them is missing data. A sample
// with quality `missing` has a NaN value and states explicitly that the source had no value.
struct RawSeries {
  std::vector<TimeS> start_s;
  std::vector<TimeS> end_s;
  std::vector<double> value;
  std::vector<Quality> quality;
  Provenance provenance;

  std::size_t size() const { return value.size(); }
  void push(TimeS start, TimeS end, double v, Quality q);
};

// A series on a scenario grid. value[i] is the time-weighted mean of the known source samples
// overlapping cell i (NaN when none); coverage[i] in [0, 1] is the fraction of the cell they
// cover; estimated_share[i] the fraction of the cell covered by estimated samples.
struct GridSeries {
  TimeGrid grid;
  std::vector<double> value;
  std::vector<double> coverage;
  std::vector<double> estimated_share;
  std::vector<Quality> quality; // missing if coverage == 0, filled/estimated/measured otherwise
  Provenance provenance;

  bool known(std::int64_t i) const { return coverage[static_cast<std::size_t>(i)] > 0.0; }
};

// Time-weighted resampling (DESIGN §2): each grid cell gets the duration-weighted mean of the
// known samples overlapping it, and the covered fraction as coverage. Coarse samples are held
// over the finer cells they cover; nothing is interpolated; a gap stays a gap.
GridSeries resample(const RawSeries& raw, const TimeGrid& grid);

// A series on `grid` from one value per cell: a finite value is a measured, fully covered cell,
// NaN a missing one (for values computed on the grid, and tests).
GridSeries grid_series(const TimeGrid& grid, const std::vector<double>& values);

// Statistics over the known cells (used for No-Fallback bounds).
struct KnownRange {
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;     // coverage-weighted
  double coverage = 0.0; // mean coverage over all cells
  bool any = false;
};
KnownRange known_range(const GridSeries& s);

} // namespace cfsim
