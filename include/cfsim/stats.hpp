// Small statistics shared by strategies, the engine and the uncertainty summary.
#pragma once

#include <optional>
#include <vector>

namespace cfsim {

// numpy.percentile(values, pct) with its default "linear" method (numpy >= 1.22, including its
// _lerp rounding), pct in 0..100; nullopt if `values` is empty.
std::optional<double> percentile_linear(std::vector<double> values, double pct);

} // namespace cfsim
