#include <gtest/gtest.h>

#include <cmath>
#include <limits>

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

namespace cfsim {
namespace {

// Comparing a run with itself: whatever the unknown intensity, the ratio is exactly 1.
TEST(EmissionRatioRange, SameRunGivesExactlyOne) {
  const std::vector<double> m = {0.0, 0.5, 0.0, 2.0};
  const RatioRange r = emission_ratio_range(120.0, m, 120.0, m, 50.0, 400.0);
  EXPECT_EQ(r.min, 1.0);
  EXPECT_EQ(r.max, 1.0);
}

// One shared unknown cell, x ∈ [0, 10]: run 10 + 1·x, base 10 + 2·x.
// ratio(x) = (10 + x) / (10 + 2x): x = 0 → 1 (max), x = 10 → 20/30 (min). Treating the two
// runs' unknowns as independent would give the looser [10/30, 20/10].
TEST(EmissionRatioRange, SharedUnknownCellByHand) {
  const RatioRange r = emission_ratio_range(10.0, {1.0}, 10.0, {2.0}, 0.0, 10.0);
  EXPECT_DOUBLE_EQ(r.min, 20.0 / 30.0);
  EXPECT_DOUBLE_EQ(r.max, 1.0);
}

// Two unknown cells a, b ∈ [0, 10]; the run draws 1 kWh in a, the base 1 kWh in b:
// ratio = (10 + x_a) / (10 + x_b) → max 20/10 = 2 (a high, b low), min 10/20 = 0.5.
// A vertex search must set the two cells to opposite bounds.
TEST(EmissionRatioRange, DifferentCellsTakeOppositeBounds) {
  const RatioRange r = emission_ratio_range(10.0, {1.0, 0.0}, 10.0, {0.0, 1.0}, 0.0, 10.0);
  EXPECT_DOUBLE_EQ(r.min, 0.5);
  EXPECT_DOUBLE_EQ(r.max, 2.0);
}

// Mixed signs per cell, worked by enumerating the 4 vertices of x ∈ [1, 3]²:
//   run = 4 + 2·x1 + 1·x2, base = 6 + 1·x1 + 3·x2
//   (1,1): 7/10 = 0.7; (3,1): 11/12 = 0.91667; (1,3): 9/16 = 0.5625; (3,3): 13/18 = 0.72222
//   → min 0.5625, max 11/12.
TEST(EmissionRatioRange, MatchesVertexEnumeration) {
  const RatioRange r = emission_ratio_range(4.0, {2.0, 1.0}, 6.0, {1.0, 3.0}, 1.0, 3.0);
  EXPECT_DOUBLE_EQ(r.min, 9.0 / 16.0);
  EXPECT_DOUBLE_EQ(r.max, 11.0 / 12.0);
}

TEST(EmissionRatioRange, UndefinedWhenTheBaseCanBeZeroOrUnbounded) {
  EXPECT_TRUE(std::isnan(emission_ratio_range(1.0, {0.0}, 0.0, {1.0}, 0.0, 5.0).min));
  EXPECT_TRUE(std::isnan(
      emission_ratio_range(1.0, {1.0}, 5.0, {1.0}, 0.0, std::numeric_limits<double>::infinity())
          .max));
}

} // namespace
} // namespace cfsim
