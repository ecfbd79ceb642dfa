#include "cfsim/series.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cfsim/error.hpp"

namespace cfsim {

const char* to_string(Quality q) {
  switch (q) {
  case Quality::measured:
    return "measured";
  case Quality::estimated:
    return "estimated";
  case Quality::missing:
    return "missing";
  case Quality::filled:
    return "filled";
  }
  return "?";
}
const char* to_string(SignalKind s) {
  switch (s) {
  case SignalKind::average:
    return "average";
  case SignalKind::marginal:
    return "marginal";
  case SignalKind::price:
    return "price";
  }
  return "?";
}
const char* to_string(EmissionBasis b) {
  switch (b) {
  case EmissionBasis::lifecycle:
    return "lifecycle";
  case EmissionBasis::direct:
    return "direct";
  case EmissionBasis::none:
    return "none";
  }
  return "?";
}

void RawSeries::push(TimeS start, TimeS end, double v, Quality q) {
  CFSIM_CHECK(end > start, "sample interval must not be empty");
  CFSIM_CHECK(start_s.empty() || start >= end_s.back(), "samples must be sorted and disjoint");
  start_s.push_back(start);
  end_s.push_back(end);
  value.push_back(q == Quality::missing ? std::numeric_limits<double>::quiet_NaN() : v);
  quality.push_back(q);
}

GridSeries resample(const RawSeries& raw, const TimeGrid& grid) {
  const auto n = static_cast<std::size_t>(grid.n);
  GridSeries out;
  out.grid = grid;
  out.provenance = raw.provenance;
  out.value.assign(n, std::numeric_limits<double>::quiet_NaN());
  out.coverage.assign(n, 0.0);
  out.estimated_share.assign(n, 0.0);
  out.quality.assign(n, Quality::missing);
  std::vector<double> weighted(n, 0.0);
  std::vector<TimeS> covered_s(n, 0), estimated_s(n, 0);
  std::vector<bool> any_filled(n, false);

  // Samples are sorted and disjoint: one pass, each sample spreads over the cells it overlaps.
  for (std::size_t k = 0; k < raw.size(); ++k) {
    if (raw.quality[k] == Quality::missing)
      continue;
    const TimeS a = std::max(raw.start_s[k], grid.start_s);
    const TimeS b = std::min(raw.end_s[k], grid.end_s());
    if (a >= b)
      continue;
    for (std::int64_t c = grid.cell_of(a); c < grid.n && grid.cell_start(c) < b; ++c) {
      const TimeS lo = std::max(a, grid.cell_start(c));
      const TimeS hi = std::min(b, grid.cell_start(c) + grid.step_s);
      if (hi <= lo)
        continue;
      const auto i = static_cast<std::size_t>(c);
      const TimeS d = hi - lo;
      weighted[i] += raw.value[k] * static_cast<double>(d);
      covered_s[i] += d;
      if (raw.quality[k] == Quality::estimated)
        estimated_s[i] += d;
      if (raw.quality[k] == Quality::filled)
        any_filled[i] = true;
    }
  }
  const auto step = static_cast<double>(grid.step_s);
  for (std::size_t i = 0; i < n; ++i) {
    if (covered_s[i] == 0)
      continue;
    out.value[i] = weighted[i] / static_cast<double>(covered_s[i]);
    out.coverage[i] = static_cast<double>(covered_s[i]) / step;
    out.estimated_share[i] = static_cast<double>(estimated_s[i]) / step;
    out.quality[i] = any_filled[i]        ? Quality::filled
                     : estimated_s[i] > 0 ? Quality::estimated
                                          : Quality::measured;
  }
  return out;
}

GridSeries grid_series(const TimeGrid& grid, const std::vector<double>& values) {
  CFSIM_CHECK(values.size() == static_cast<std::size_t>(grid.n), "one value per grid cell");
  GridSeries s;
  s.grid = grid;
  s.value = values;
  for (double x : values) {
    const bool known = !std::isnan(x);
    s.coverage.push_back(known ? 1.0 : 0.0);
    s.estimated_share.push_back(0.0);
    s.quality.push_back(known ? Quality::measured : Quality::missing);
  }
  return s;
}

KnownRange known_range(const GridSeries& s) {
  KnownRange r;
  double sum = 0, wsum = 0, cov = 0;
  for (std::size_t i = 0; i < s.value.size(); ++i) {
    cov += s.coverage[i];
    if (s.coverage[i] <= 0)
      continue;
    const double v = s.value[i];
    if (!r.any) {
      r.min = r.max = v;
      r.any = true;
    }
    r.min = std::min(r.min, v);
    r.max = std::max(r.max, v);
    sum += v * s.coverage[i];
    wsum += s.coverage[i];
  }
  r.mean = wsum > 0 ? sum / wsum : std::numeric_limits<double>::quiet_NaN();
  r.coverage = s.value.empty() ? 0.0 : cov / static_cast<double>(s.value.size());
  return r;
}

} // namespace cfsim
