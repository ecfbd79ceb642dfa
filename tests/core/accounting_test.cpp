#include <gtest/gtest.h>

#include <cmath>

#include "cfsim/accounting.hpp"

namespace cfsim {
namespace {

constexpr TimeS T0 = 1711929600;

// No-Fallback (DESIGN §3), worked by hand: intensities 100, (gap), 300 g/kWh on three hourly
// cells, 2 kWh drawn in each.
//   known    = 2·100 + 2·300 = 800 g; missing energy = 2 kWh (cell 1)
//   bounds   = 800 + 2·100 = 1000 g (lowest observed) .. 800 + 2·300 = 1400 g (highest)
//   coverage = 1 − 2/6 = 2/3 < 1, and the total is not complete. Never a filled value.
TEST(Accounting, GapGivesCoverageBelowOneAndBounds) {
  RawSeries raw;
  raw.push(T0, T0 + 3600, 100, Quality::measured);
  raw.push(T0 + 7200, T0 + 10800, 300, Quality::measured);
  const GridSeries g = resample(raw, TimeGrid{T0, 3600, 3});
  const KnownRange range = known_range(g);
  Emissions total;
  for (std::int64_t i = 0; i < 3; ++i)
    total.add(cell_emissions(g, i, 2.0, range));
  EXPECT_DOUBLE_EQ(total.known_g, 800.0);
  EXPECT_DOUBLE_EQ(total.missing_energy_kwh, 2.0);
  EXPECT_DOUBLE_EQ(total.lower_g, 1000.0);
  EXPECT_DOUBLE_EQ(total.upper_g, 1400.0);
  EXPECT_NEAR(total.coverage(), 2.0 / 3.0, 1e-15);
  EXPECT_FALSE(total.complete());
}

// A half-covered cell: value 200 over 30 min of the hour, 4 kWh in the cell
//   known = 0.5·4·200 = 400 g, missing 2 kWh, bounds with min = max = 200 → 800 g both.
TEST(Accounting, PartialCellCountsOnlyTheCoveredEnergyAsKnown) {
  RawSeries raw;
  raw.push(T0, T0 + 1800, 200, Quality::estimated);
  const GridSeries g = resample(raw, TimeGrid{T0, 3600, 1});
  const Emissions e = cell_emissions(g, 0, 4.0, known_range(g));
  EXPECT_DOUBLE_EQ(e.known_g, 400.0);
  EXPECT_DOUBLE_EQ(e.missing_energy_kwh, 2.0);
  EXPECT_DOUBLE_EQ(e.lower_g, 800.0);
  EXPECT_DOUBLE_EQ(e.upper_g, 800.0);
  EXPECT_DOUBLE_EQ(e.estimated_energy_kwh, 2.0); // half the cell is estimated
  EXPECT_DOUBLE_EQ(e.coverage(), 0.5);
}

// With no observed value at all nothing bounds the unknown from above.
TEST(Accounting, EntirelyMissingTraceHasAnOpenUpperBound) {
  RawSeries raw;
  const GridSeries g = resample(raw, TimeGrid{T0, 3600, 2});
  const Emissions e = cell_emissions(g, 1, 1.5, known_range(g));
  EXPECT_EQ(e.known_g, 0.0);
  EXPECT_EQ(e.lower_g, 0.0);
  EXPECT_TRUE(std::isinf(e.upper_g));
  EXPECT_EQ(e.coverage(), 0.0);
}

TEST(Accounting, CompleteTraceHasEqualBounds) {
  RawSeries raw;
  raw.push(T0, T0 + 3600, 379.069, Quality::measured);
  const GridSeries g = resample(raw, TimeGrid{T0, 3600, 1});
  const Emissions e = cell_emissions(g, 0, 0.0055729, known_range(g));
  EXPECT_DOUBLE_EQ(e.lower_g, e.known_g);
  EXPECT_DOUBLE_EQ(e.upper_g, e.known_g);
  EXPECT_TRUE(e.complete());
  EXPECT_NEAR(e.known_g, 0.0055729 * 379.069, 1e-15);
}

} // namespace
} // namespace cfsim
