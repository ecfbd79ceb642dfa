#include <gtest/gtest.h>

#include <cmath>

#include "cfsim/series.hpp"

namespace cfsim {
namespace {

constexpr TimeS T0 = 1711929600; // 2024-04-01T00:00:00Z
constexpr TimeS M = 60;

// Mixed 15/30-min input onto an hourly grid, worked by hand (DESIGN §2 time-weighted rule):
//   cell 0 = [00:00, 01:00): 100 over 30 min, 200 over 15 min (estimated), 400 over 15 min
//            → (100·30 + 200·15 + 400·15) / 60 = 12000 / 60 = 200, coverage 1, estimated 0.25
//   cell 1 = [01:00, 02:00): 300 over 30 min, then nothing → 300, coverage 0.5
//   cell 2 = [02:00, 03:00): nothing → NaN, coverage 0, missing (a gap stays a gap)
TEST(Resample, TimeWeightedMeanAndCoverageOnMixedResolution) {
  RawSeries raw;
  raw.push(T0, T0 + 30 * M, 100, Quality::measured);
  raw.push(T0 + 30 * M, T0 + 45 * M, 200, Quality::estimated);
  raw.push(T0 + 45 * M, T0 + 60 * M, 400, Quality::measured);
  raw.push(T0 + 60 * M, T0 + 90 * M, 300, Quality::measured);
  const GridSeries g = resample(raw, TimeGrid{T0, 3600, 3});
  EXPECT_DOUBLE_EQ(g.value[0], 200.0);
  EXPECT_DOUBLE_EQ(g.coverage[0], 1.0);
  EXPECT_DOUBLE_EQ(g.estimated_share[0], 0.25);
  EXPECT_EQ(g.quality[0], Quality::estimated);
  EXPECT_DOUBLE_EQ(g.value[1], 300.0);
  EXPECT_DOUBLE_EQ(g.coverage[1], 0.5);
  EXPECT_EQ(g.quality[1], Quality::measured);
  EXPECT_TRUE(std::isnan(g.value[2]));
  EXPECT_EQ(g.coverage[2], 0.0);
  EXPECT_EQ(g.quality[2], Quality::missing);
}

// Coarse to fine holds the interval value (no interpolation): one hourly sample of 250 covers
// four 15-min cells with 250 each; the next hour is missing and stays missing.
TEST(Resample, CoarseToFineHoldsTheValueAndKeepsGaps) {
  RawSeries raw;
  raw.push(T0, T0 + 3600, 250, Quality::measured);
  raw.push(T0 + 3600, T0 + 7200, 0, Quality::missing); // explicit missing sample
  const GridSeries g = resample(raw, TimeGrid{T0, 900, 8});
  for (int i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(g.value[static_cast<std::size_t>(i)], 250.0);
    EXPECT_DOUBLE_EQ(g.coverage[static_cast<std::size_t>(i)], 1.0);
  }
  for (int i = 4; i < 8; ++i) {
    EXPECT_TRUE(std::isnan(g.value[static_cast<std::size_t>(i)]));
    EXPECT_EQ(g.quality[static_cast<std::size_t>(i)], Quality::missing);
  }
}

// A sample straddling the grid start contributes only its part inside the grid; samples
// before or after the grid are ignored.
TEST(Resample, ClipsToTheGrid) {
  RawSeries raw;
  raw.push(T0 - 7200, T0 - 3600, 999, Quality::measured);
  raw.push(T0 - 1800, T0 + 1800, 120, Quality::measured);
  raw.push(T0 + 1800, T0 + 3600, 180, Quality::measured);
  raw.push(T0 + 3600, T0 + 7200, 777, Quality::measured);
  const GridSeries g = resample(raw, TimeGrid{T0, 3600, 1});
  EXPECT_DOUBLE_EQ(g.value[0], 150.0); // (120·30 + 180·30) / 60
  EXPECT_DOUBLE_EQ(g.coverage[0], 1.0);
}

TEST(Resample, KnownRangeUsesOnlyCoveredCells) {
  RawSeries raw;
  raw.push(T0, T0 + 3600, 80, Quality::measured);
  raw.push(T0 + 7200, T0 + 9000, 400, Quality::measured); // half of cell 2
  const GridSeries g = resample(raw, TimeGrid{T0, 3600, 4});
  const KnownRange r = known_range(g);
  ASSERT_TRUE(r.any);
  EXPECT_DOUBLE_EQ(r.min, 80.0);
  EXPECT_DOUBLE_EQ(r.max, 400.0);
  // coverage-weighted mean (80·1 + 400·0.5) / 1.5 = 186.67; mean coverage (1 + 0.5) / 4
  EXPECT_NEAR(r.mean, 280.0 / 1.5, 1e-12);
  EXPECT_DOUBLE_EQ(r.coverage, 0.375);
}

} // namespace
} // namespace cfsim
