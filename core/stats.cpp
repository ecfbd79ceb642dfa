#include "cfsim/stats.hpp"

#include <algorithm>
#include <cmath>

namespace cfsim {

std::optional<double> percentile_linear(std::vector<double> v, double pct) {
  if (v.empty())
    return std::nullopt;
  std::sort(v.begin(), v.end());
  const double pos = pct / 100.0 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  const double t = pos - static_cast<double>(lo);
  const double diff = v[hi] - v[lo];
  // numpy's _lerp: from the upper end when t ≥ 0.5, so the result is exact at t = 1.
  return t >= 0.5 ? v[hi] - diff * (1 - t) : v[lo] + diff * t;
}

} // namespace cfsim
