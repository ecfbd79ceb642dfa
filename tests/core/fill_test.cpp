// Opt-in gap filling on the grid and the comparability check of carbon signals, by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/fill.hpp"

namespace cfsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr TimeS T0 = 1711929600; // 2024-04-01T00:00:00Z

// An hourly grid series from values; NaN = a cell the source does not cover.
GridSeries grid_of(const std::vector<double>& v, TimeS step_s = 3600) {
  GridSeries s = grid_series(TimeGrid{T0, step_s, static_cast<std::int64_t>(v.size())}, v);
  s.provenance.zone = "DE";
  s.provenance.fill_policy = "none";
  return s;
}

FillPolicy policy(FillMethod m, double max_h = std::numeric_limits<double>::infinity()) {
  return FillPolicy{m, max_h};
}

void expect_values(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i]))
      EXPECT_TRUE(std::isnan(got[i])) << "cell " << i << " = " << got[i] << ", expected missing";
    else
      EXPECT_DOUBLE_EQ(got[i], want[i]) << "cell " << i;
  }
}

TEST(FillPolicyText, NamesRoundTripAndUnknownNamesListTheAllowedOnes) {
  EXPECT_EQ(fill_method_names(),
            (std::vector<std::string>{"none", "hold", "linear", "daily_profile"}));
  EXPECT_EQ(to_string(FillPolicy{}), "none");
  EXPECT_EQ(to_string(policy(FillMethod::hold)), "hold");
  EXPECT_EQ(to_string(policy(FillMethod::linear, 6)), "linear(max 6 h)");
  EXPECT_EQ(to_string(policy(FillMethod::daily_profile, 1.5)), "daily_profile(max 1.5 h)");
  for (const char* text : {"none", "hold", "linear(max 6 h)", "daily_profile(max 0.25 h)"})
    EXPECT_EQ(to_string(parse_fill_policy(text)), text);
  EXPECT_EQ(parse_fill_policy("").method, FillMethod::none);
  EXPECT_EQ(parse_fill_policy("linear(max 6 h)").max_fill_h, 6.0);
  for (const char* bad : {"spline", "linear(max six h)", "linear(max 0 h)", "linear(6 h)",
                          "none(max 2 h)", "hold(max -1 h)"}) {
    try {
      parse_fill_policy(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
  try {
    fill_method_from_name("spline");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("none, hold, linear, daily_profile"), std::string::npos)
        << e.what();
  }
}

TEST(Fill, NoneLeavesTheSeriesAlone) {
  const GridSeries s = grid_of({100, kNaN, 300});
  const FilledSeries f = fill_gaps(s, FillPolicy{});
  expect_values(f.series.value, {100, kNaN, 300});
  EXPECT_EQ(f.series.coverage, s.coverage);
  EXPECT_EQ(f.filled_share, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(f.series.provenance.fill_policy, "none");
}

// hold: 120, _, _, 90 → 120, 120, 120, 90; the filled cells are flagged and fully covered.
TEST(Fill, HoldCarriesTheLastValueOverATwoCellGap) {
  const FilledSeries f = fill_gaps(grid_of({120, kNaN, kNaN, 90}), policy(FillMethod::hold));
  expect_values(f.series.value, {120, 120, 120, 90});
  EXPECT_EQ(f.series.coverage, (std::vector<double>{1, 1, 1, 1}));
  EXPECT_EQ(f.filled_share, (std::vector<double>{0, 1, 1, 0}));
  EXPECT_EQ(f.series.quality, (std::vector<Quality>{Quality::measured, Quality::filled,
                                                    Quality::filled, Quality::measured}));
  EXPECT_EQ(f.series.provenance.fill_policy, "hold");
}

// linear: 100, _, _, 400 → cell centres 1/3 and 2/3 of the way: 200, 300.
TEST(Fill, LinearBetweenTheKnownNeighboursAtCellCentres) {
  const FilledSeries f = fill_gaps(grid_of({100, kNaN, kNaN, 400}), policy(FillMethod::linear, 6));
  expect_values(f.series.value, {100, 200, 300, 400});
  EXPECT_EQ(f.series.quality[1], Quality::filled);
  EXPECT_EQ(f.series.quality[2], Quality::filled);
  EXPECT_EQ(f.series.quality[3], Quality::measured);
  EXPECT_EQ(f.series.provenance.fill_policy, "linear(max 6 h)");
}

// A gap at the start has no last value (hold) and no left neighbour (linear): it stays missing;
// a gap at the end is held but has no right neighbour for linear.
TEST(Fill, GapsAtTheStartAndEnd) {
  const GridSeries s = grid_of({kNaN, 50, 70, kNaN, kNaN});
  const FilledSeries hold = fill_gaps(s, policy(FillMethod::hold));
  expect_values(hold.series.value, {kNaN, 50, 70, 70, 70});
  EXPECT_EQ(hold.series.quality[0], Quality::missing);
  EXPECT_EQ(hold.series.coverage[0], 0.0);
  EXPECT_EQ(hold.filled_share, (std::vector<double>{0, 0, 0, 1, 1}));

  const FilledSeries lin = fill_gaps(s, policy(FillMethod::linear));
  expect_values(lin.series.value, {kNaN, 50, 70, kNaN, kNaN});
  EXPECT_EQ(lin.filled_share, (std::vector<double>{0, 0, 0, 0, 0}));
  EXPECT_EQ(lin.series.quality[4], Quality::missing);
}

// max_fill_h 2: a 2-hour gap is filled, a 3-hour gap stays missing in full (not its first 2 h).
TEST(Fill, MaxFillLeavesALongGapUnfilled) {
  const GridSeries s = grid_of({100, kNaN, kNaN, 400, kNaN, kNaN, kNaN, 800});
  const FilledSeries f = fill_gaps(s, policy(FillMethod::linear, 2));
  expect_values(f.series.value, {100, 200, 300, 400, kNaN, kNaN, kNaN, 800});
  EXPECT_EQ(f.filled_share, (std::vector<double>{0, 1, 1, 0, 0, 0, 0, 0}));
  // The limit is in hours, whatever the step: at 30 min, 3 cells are 1.5 h ≤ 2 h.
  const FilledSeries half =
      fill_gaps(grid_of({100, kNaN, kNaN, kNaN, 500}, 1800), policy(FillMethod::linear, 2));
  expect_values(half.series.value, {100, 200, 300, 400, 500});
}

// daily_profile from two known days: day 1 is 100 + h, day 2 is 200 + h at UTC hour h; day 3 is
// missing and gets the mean of its hour over the known cells: 150 + h.
TEST(Fill, DailyProfileFromTwoKnownDays) {
  std::vector<double> v;
  for (int d = 0; d < 3; ++d)
    for (int h = 0; h < 24; ++h)
      v.push_back(d == 0 ? 100.0 + h : d == 1 ? 200.0 + h : kNaN);
  const FilledSeries f = fill_gaps(grid_of(v), policy(FillMethod::daily_profile));
  for (int h = 0; h < 24; ++h) {
    EXPECT_DOUBLE_EQ(f.series.value[static_cast<std::size_t>(48 + h)], 150.0 + h) << "hour " << h;
    EXPECT_EQ(f.series.quality[static_cast<std::size_t>(48 + h)], Quality::filled);
  }
  EXPECT_EQ(f.series.value[5], 105.0); // known cells keep their values
  EXPECT_EQ(f.series.provenance.fill_policy, "daily_profile");

  // A gap at the very start is filled too (no neighbour needed); a slot with no known cell
  // stays missing. Cells are 6-hourly slots 00, 06, 12, 18 here.
  const FilledSeries g = fill_gaps(grid_of({kNaN, 10, kNaN, 30, 20, 12, kNaN, 34}, 6 * 3600),
                                   policy(FillMethod::daily_profile));
  expect_values(g.series.value, {20, 10, kNaN, 30, 20, 12, kNaN, 34});
  EXPECT_EQ(g.series.quality[0], Quality::filled);
  EXPECT_EQ(g.series.quality[2], Quality::missing); // slot 12:00 has no known cell
}

// The profile weighs each known cell by its coverage: on a 12-hourly grid, slot 00:00 has 100
// (coverage 1) and 400 (coverage 0.5) → (100 + 0.5 × 400) / 1.5 = 200.
TEST(Fill, DailyProfileWeighsCellsByCoverage) {
  GridSeries t = grid_of({100, 7, 400, 9, kNaN, 8}, 12 * 3600);
  t.coverage[2] = 0.5;
  const FilledSeries g = fill_gaps(t, policy(FillMethod::daily_profile, 12));
  EXPECT_DOUBLE_EQ(g.series.value[4], 200.0);
  // Cell 2's uncovered half is filled with its own value (next test), not the profile.
  EXPECT_EQ(g.series.value[2], 400.0);
}

// A partly covered cell (coverage 0.25 at 120 g/kWh) is filled for its uncovered 45 min with
// its own value: the value stays 120, coverage becomes 1, the filled share is 0.75. It also
// anchors the fill of the neighbouring gap. A limit below 45 min leaves it partly covered.
TEST(Fill, PartlyCoveredCellsAreFilledForTheirUncoveredPart) {
  GridSeries s = grid_of({120, kNaN, 60});
  s.coverage[0] = 0.25;
  s.estimated_share[0] = 0.25;
  s.quality[0] = Quality::estimated;
  const FilledSeries f = fill_gaps(s, policy(FillMethod::linear, 1));
  expect_values(f.series.value, {120, 90, 60});
  EXPECT_EQ(f.series.coverage, (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(f.filled_share, (std::vector<double>{0.75, 1, 0}));
  EXPECT_EQ(f.series.quality[0], Quality::filled);
  EXPECT_EQ(f.series.estimated_share[0], 0.25); // the source's estimated part is kept

  const FilledSeries g = fill_gaps(s, policy(FillMethod::linear, 0.5));
  EXPECT_EQ(g.series.coverage[0], 0.25);
  EXPECT_EQ(g.filled_share[0], 0.0);
  EXPECT_EQ(g.series.quality[0], Quality::estimated);
  EXPECT_EQ(g.series.quality[1], Quality::missing); // the 1-h gap exceeds 0.5 h
}

// Shares over 6 hourly cells under hold(max 1 h): cell 0 measured; cell 1 half estimated, half
// measured; cell 2 a 1-h gap, filled; cell 3 half covered, its other half filled; cells 4–5 a
// 2-h gap, too long, missing → measured 2/6, estimated 0.5/6, filled 1.5/6, missing 2/6.
TEST(Fill, QualitySharesAreTimeWeightedOverTheGrid) {
  GridSeries s = grid_of({100, 200, kNaN, 300, kNaN, kNaN});
  s.estimated_share[1] = 0.5;
  s.quality[1] = Quality::estimated;
  s.coverage[3] = 0.5;
  const FilledSeries f = fill_gaps(s, policy(FillMethod::hold, 1));
  EXPECT_EQ(f.filled_share, (std::vector<double>{0, 0, 1, 0.5, 0, 0}));
  const QualityShares q = quality_shares(f);
  EXPECT_DOUBLE_EQ(q.measured, 2.0 / 6);
  EXPECT_DOUBLE_EQ(q.estimated, 0.5 / 6);
  EXPECT_DOUBLE_EQ(q.filled, 1.5 / 6);
  EXPECT_DOUBLE_EQ(q.missing, 2.0 / 6);
  EXPECT_DOUBLE_EQ(q.coverage(), 2.5 / 6);
}

Provenance trace(std::string origin, std::string zone, SignalKind sig, EmissionBasis basis) {
  Provenance p;
  p.origin = std::move(origin);
  p.zone = std::move(zone);
  p.signal = sig;
  p.basis = basis;
  return p;
}

TEST(CheckComparable, AverageAndMarginalAreNotMixedWithoutTheFlag) {
  const std::vector<Provenance> t = {
      trace("de_em.csv", "DE", SignalKind::average, EmissionBasis::lifecycle),
      trace("caiso_wt.json", "CAISO_NORTH", SignalKind::marginal, EmissionBasis::lifecycle)};
  try {
    check_comparable(t, false);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'de_em.csv'"), std::string::npos) << what;
    EXPECT_NE(what.find("'caiso_wt.json'"), std::string::npos) << what;
    EXPECT_NE(what.find("average and marginal"), std::string::npos) << what;
    EXPECT_NE(what.find("allow_mixed_signals"), std::string::npos) << what;
  }
  EXPECT_NO_THROW(check_comparable(t, true));
}

TEST(CheckComparable, LifecycleAndDirectFactorsAreNotMixedWithoutTheFlag) {
  const std::vector<Provenance> t = {
      trace("a.csv", "DE", SignalKind::average, EmissionBasis::lifecycle),
      trace("b.csv", "FR", SignalKind::average, EmissionBasis::lifecycle),
      trace("c.csv", "FR", SignalKind::average, EmissionBasis::direct)};
  try {
    check_comparable(t, false);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'a.csv'"), std::string::npos) << what;
    EXPECT_NE(what.find("'c.csv'"), std::string::npos) << what;
    EXPECT_NE(what.find("lifecycle and direct"), std::string::npos) << what;
    EXPECT_NE(what.find("allow_mixed_signals"), std::string::npos) << what;
  }
  EXPECT_NO_THROW(check_comparable(t, true));
}

TEST(CheckComparable, LikeTracesAndPriceTracesPass) {
  Provenance price = trace("spot.json", "", SignalKind::price, EmissionBasis::none);
  EXPECT_NO_THROW(check_comparable({}, false));
  EXPECT_NO_THROW(
      check_comparable({trace("a.csv", "DE", SignalKind::marginal, EmissionBasis::direct), price,
                        trace("b.csv", "FR", SignalKind::marginal, EmissionBasis::direct)},
                       false));
}

} // namespace
} // namespace cfsim
