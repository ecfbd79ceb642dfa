#include "cfsim/accounting.hpp"

#include <limits>

namespace cfsim {

void Emissions::add(const Emissions& o) {
  known_g += o.known_g;
  energy_kwh += o.energy_kwh;
  missing_energy_kwh += o.missing_energy_kwh;
  estimated_energy_kwh += o.estimated_energy_kwh;
  lower_g += o.lower_g;
  upper_g += o.upper_g;
}

Emissions cell_emissions(const GridSeries& intensity, std::int64_t i, double energy_kwh,
                         const KnownRange& range) {
  const auto k = static_cast<std::size_t>(i);
  const double c = intensity.coverage[k];
  Emissions e;
  e.energy_kwh = energy_kwh;
  // Energy × intensity per interval (energy-weighted), over the covered part of the cell only;
  // the uncovered part is unknown and bounded by the trace's observed extremes (DESIGN §3).
  const double known_kwh = c * energy_kwh;
  e.known_g = c > 0 ? known_kwh * intensity.value[k] : 0.0;
  e.missing_energy_kwh = energy_kwh - known_kwh;
  e.estimated_energy_kwh = intensity.estimated_share[k] * energy_kwh;
  // With no observed value at all, nothing bounds the missing part from above.
  const double lo = range.any ? range.min : 0.0;
  const double hi = range.any ? range.max : std::numeric_limits<double>::infinity();
  e.lower_g = e.known_g + e.missing_energy_kwh * lo;
  e.upper_g = e.known_g + e.missing_energy_kwh * hi;
  return e;
}

} // namespace cfsim
