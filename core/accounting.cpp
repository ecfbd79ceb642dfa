#include "cfsim/accounting.hpp"

#include <cmath>
#include <limits>

#include "cfsim/error.hpp"

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

namespace {
// One Dinkelbach search: the extreme (max if sign = +1, min if sign = −1) of N(x)/D(x).
double dinkelbach(double kn, const std::vector<double>& mn, double kd,
                  const std::vector<double>& md, double lo, double hi, double sign) {
  auto eval = [&](const std::vector<double>& x, double& n, double& d) {
    n = kn;
    d = kd;
    for (std::size_t c = 0; c < x.size(); ++c) {
      n += mn[c] * x[c];
      d += md[c] * x[c];
    }
  };
  std::vector<double> x(mn.size(), lo);
  double n = 0, d = 0;
  eval(x, n, d);
  double r = n / d;
  // Each pass picks, per cell, the bound that maximises sign·(N − r·D); the ratio improves
  // strictly until it is optimal. The number of vertices bounds the passes; in practice 2–4.
  for (int pass = 0; pass < 100; ++pass) {
    for (std::size_t c = 0; c < x.size(); ++c)
      x[c] = sign * (mn[c] - r * md[c]) > 0 ? hi : lo;
    eval(x, n, d);
    const double next = n / d;
    if (!(sign * (next - r) > 0))
      break;
    r = next;
  }
  return r;
}
} // namespace

RatioRange emission_ratio_range(double known_run_g, const std::vector<double>& missing_run_kwh,
                                double known_base_g, const std::vector<double>& missing_base_kwh,
                                double lo_g_per_kwh, double hi_g_per_kwh) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  CFSIM_CHECK(missing_run_kwh.size() == missing_base_kwh.size(), "runs on different grids");
  double base_missing = 0;
  for (double m : missing_base_kwh)
    base_missing += m;
  if (!std::isfinite(hi_g_per_kwh) || !(known_base_g + base_missing * lo_g_per_kwh > 0))
    return {nan, nan};
  return {dinkelbach(known_run_g, missing_run_kwh, known_base_g, missing_base_kwh, lo_g_per_kwh,
                     hi_g_per_kwh, -1.0),
          dinkelbach(known_run_g, missing_run_kwh, known_base_g, missing_base_kwh, lo_g_per_kwh,
                     hi_g_per_kwh, +1.0)};
}

} // namespace cfsim
