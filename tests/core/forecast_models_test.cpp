// Tests of the forecast models (DESIGN §6; Let's Wait Awhile §3): the spec parser, the static
// oracle/gaussian seen series, persistence ("same slot yesterday") and the error statistics.
// Every expected number is worked out by hand in the comment next to it.
#include "cfsim/forecast_models.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/rng.hpp"

namespace {

using namespace cfsim;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr TimeS T0 = 1711929600; // 2024-04-01T00:00:00Z

// A grid series from values; NaN = a cell the source does not cover.
GridSeries grid_of(const std::vector<double>& v, TimeS step_s = 3600) {
  GridSeries s = grid_series(TimeGrid{T0, step_s, static_cast<std::int64_t>(v.size())}, v);
  return s;
}

ForecastSpec gaussian(double e) {
  return ForecastSpec{ForecastKind::gaussian, e, {}, {}, {}};
}

std::string config_error(const Value& v) {
  try {
    (void)parse_forecast_spec(v);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

// --- parse_forecast_spec / to_string ---------------------------------------------------------

TEST(ForecastSpecParse, ReadsEachKind) {
  const ForecastSpec o = parse_forecast_spec(Value(Value::Object{{"kind", "oracle"}}));
  EXPECT_EQ(o.kind, ForecastKind::oracle);
  EXPECT_EQ(o.error, 0.0);
  const ForecastSpec g =
      parse_forecast_spec(Value(Value::Object{{"kind", "gaussian"}, {"error", 0.05}}));
  EXPECT_EQ(g.kind, ForecastKind::gaussian);
  EXPECT_EQ(g.error, 0.05);
  const ForecastSpec p = parse_forecast_spec(Value(Value::Object{{"kind", "persistence"}}));
  EXPECT_EQ(p.kind, ForecastKind::persistence);
  // A bare string is shorthand for {"kind": ...}.
  EXPECT_EQ(parse_forecast_spec(Value("persistence")).kind, ForecastKind::persistence);
  EXPECT_EQ(parse_forecast_spec(Value("oracle")).kind, ForecastKind::oracle);
}

// The one list of forecast kinds (issue: oracle, gaussian, persistence, replay), each with the
// texts `cfsim strategies` prints, and each name accepted by the parser.
TEST(ForecastKinds, RegistryListsEveryKindWithItsSource) {
  std::vector<std::string> names;
  for (const ForecastKindInfo& k : forecast_kind_infos()) {
    names.push_back(k.name);
    EXPECT_FALSE(k.summary.empty() || k.params.empty() || k.source.empty()) << k.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"oracle", "gaussian", "persistence", "replay"}));
  EXPECT_EQ(
      parse_forecast_spec(Value(Value::Object{{"kind", Value("gaussian")}, {"error", Value(0.1)}}))
          .kind,
      ForecastKind::gaussian);
}

TEST(ForecastSpecParse, UnknownKindNamesTheAllowedOnes) {
  const std::string msg = config_error(Value(Value::Object{{"kind", "arima"}}));
  EXPECT_NE(msg.find("unknown forecast kind 'arima'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("allowed: oracle, gaussian, persistence"), std::string::npos) << msg;
  EXPECT_NE(config_error(Value("arima")).find("allowed: oracle"), std::string::npos);
}

TEST(ForecastSpecParse, UnknownKeyNamesTheAllowedOnes) {
  const std::string msg =
      config_error(Value(Value::Object{{"kind", "gaussian"}, {"error", 0.1}, {"sd", 3}}));
  EXPECT_NE(msg.find("unknown parameter 'sd'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("allowed: error, kind"), std::string::npos) << msg;
}

TEST(ForecastSpecParse, ErrorOnlyWithGaussianFiniteAndNonNegative) {
  // Given to another kind.
  EXPECT_NE(config_error(Value(Value::Object{{"kind", "oracle"}, {"error", 0.1}}))
                .find("applies only to kind 'gaussian'"),
            std::string::npos);
  EXPECT_NE(config_error(Value(Value::Object{{"kind", "persistence"}, {"error", 0.0}}))
                .find("applies only to kind 'gaussian'"),
            std::string::npos);
  // Missing with gaussian: never defaulted.
  EXPECT_NE(config_error(Value(Value::Object{{"kind", "gaussian"}})).find("'error' is required"),
            std::string::npos);
  EXPECT_NE(config_error(Value("gaussian")).find("needs an error level"), std::string::npos);
  // Negative, infinite, NaN, not a number.
  for (double bad : {-0.01, std::numeric_limits<double>::infinity(), kNaN}) {
    EXPECT_NE(config_error(Value(Value::Object{{"kind", "gaussian"}, {"error", bad}}))
                  .find("allowed: a finite number >= 0"),
              std::string::npos)
        << bad;
  }
  EXPECT_THROW(parse_forecast_spec(Value(Value::Object{{"kind", "gaussian"}, {"error", "5%"}})),
               ConfigError);
  // kind is required.
  EXPECT_NE(config_error(Value(Value::Object{{"error", 0.1}})).find("'kind' is required"),
            std::string::npos);
  // e = 0 is a valid (perfect) gaussian forecast.
  EXPECT_EQ(parse_forecast_spec(Value(Value::Object{{"kind", "gaussian"}, {"error", 0}})).error,
            0.0);
}

TEST(ForecastSpecParse, ToString) {
  EXPECT_EQ(to_string(ForecastSpec{}), "oracle");
  EXPECT_EQ(to_string(ForecastSpec{ForecastKind::persistence, 0, {}, {}, {}}), "persistence");
  EXPECT_EQ(to_string(gaussian(0.05)), "gaussian(e=0.05)");
  EXPECT_EQ(to_string(gaussian(0)), "gaussian(e=0)");
  EXPECT_EQ(to_string(gaussian(0.3)), "gaussian(e=0.3)");
}

// --- static forecasts -------------------------------------------------------------------------

TEST(ForecastStatic, OracleIsTheTruthAndGapsStayNaN) {
  const GridSeries t = grid_of({120, kNaN, 80.5, 0, 300});
  const std::vector<double> seen = static_forecast(t, ForecastSpec{}, 7);
  ASSERT_EQ(seen.size(), 5U);
  EXPECT_EQ(seen[0], 120);
  EXPECT_TRUE(std::isnan(seen[1]));
  EXPECT_EQ(seen[2], 80.5);
  EXPECT_EQ(seen[3], 0);
  EXPECT_EQ(seen[4], 300);
}

TEST(ForecastStatic, GaussianZeroErrorIsTheTruthExactly) {
  const GridSeries t = grid_of({120.125, kNaN, 80.5, 1e-300, 300});
  const std::vector<double> seen = static_forecast(t, gaussian(0.0), 42);
  ASSERT_EQ(seen.size(), 5U);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (std::isnan(t.value[i]))
      EXPECT_TRUE(std::isnan(seen[i]));
    else
      EXPECT_EQ(seen[i], t.value[i]) << i;
  }
}

TEST(ForecastStatic, GaussianIsDeterministicPerSeedAndDiffersAcrossSeeds) {
  std::vector<double> v(500);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = 200.0 + static_cast<double>(i % 24);
  const GridSeries t = grid_of(v);
  const auto a = static_forecast(t, gaussian(0.05), 3);
  const auto b = static_forecast(t, gaussian(0.05), 3);
  const auto c = static_forecast(t, gaussian(0.05), 4);
  EXPECT_EQ(a, b); // bit-identical
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    differ += a[i] != c[i] ? 1U : 0U;
  EXPECT_EQ(differ, a.size()); // continuous noise: every cell differs between seeds
  // Another stream is another, independent noise vector under the same seed.
  const auto d = static_forecast(t, gaussian(0.05), 3, kForecastNoiseStream + 1);
  EXPECT_NE(a, d);
}

// seen = truth + σ·z_i with z_i the i-th normal() of Rng(seed, kForecastNoiseStream) and σ = e ×
// coverage-weighted mean of the known cells. Truth [100 (coverage 1), 400 (coverage 0.5), gap,
// 50]: mean = (100·1 + 400·0.5 + 50·1) / (1 + 0.5 + 1) = 350 / 2.5 = 140, so e = 0.1 gives
// σ = 0.1 × 140. The gap (cell 2) still consumes z_2; cell 3 gets z_3.
TEST(ForecastStatic, GaussianNoiseIsSigmaTimesTheCellsOwnDraw) {
  GridSeries t = grid_of({100, 400, kNaN, 50});
  t.coverage[1] = 0.5;
  const double sigma = 0.1 * 140.0;
  Rng rng(9, kForecastNoiseStream);
  std::vector<double> z(4);
  for (double& x : z)
    x = rng.normal();
  const auto seen = static_forecast(t, gaussian(0.1), 9);
  EXPECT_EQ(seen[0], 100 + sigma * z[0]);
  EXPECT_EQ(seen[1], 400 + sigma * z[1]);
  EXPECT_TRUE(std::isnan(seen[2]));
  EXPECT_EQ(seen[3], 50 + sigma * z[3]);
}

// One draw per cell whether known or not: opening a gap in cell 1 changes nothing elsewhere
// (the mean, hence σ, is kept equal by making the gap cell carry the mean value, 200).
TEST(ForecastStatic, NoiseOfACellDoesNotDependOnWhereTheGapsAre) {
  const GridSeries full = grid_of({100, 200, 300, 200});
  const GridSeries gappy = grid_of({100, kNaN, 300, 200});
  const auto a = static_forecast(full, gaussian(0.2), 11);
  const auto b = static_forecast(gappy, gaussian(0.2), 11);
  EXPECT_EQ(a[0], b[0]);
  EXPECT_TRUE(std::isnan(b[1]));
  EXPECT_EQ(a[2], b[2]);
  EXPECT_EQ(a[3], b[3]);
}

// Same seed ⇒ same z for every e (common random numbers, LWA §3). Where the truth is 0, seen is
// σ·z exactly, and 0.1 = 2 × 0.05 in binary (same mantissa), so the noise for e = 0.1 is
// exactly twice that for e = 0.05. Elsewhere truth + σ·z rounds, so seen − truth agrees to a
// few ulps of the truth only.
TEST(ForecastStatic, NoiseScalesLinearlyWithTheErrorLevel) {
  std::vector<double> v(200);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = i % 2 == 0 ? 0.0 : 400.0; // mean 200: σ = 10 and 20
  const GridSeries t = grid_of(v);
  const auto s05 = static_forecast(t, gaussian(0.05), 5);
  const auto s10 = static_forecast(t, gaussian(0.1), 5);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double d05 = s05[i] - v[i];
    const double d10 = s10[i] - v[i];
    if (v[i] == 0.0)
      EXPECT_EQ(d10, 2.0 * d05) << i;
    else
      EXPECT_NEAR(d10, 2.0 * d05, 1e-12 * 400.0) << i;
  }
}

// (seen − truth)/σ over 100 000 cells are i.i.d. N(0, 1): the sample sd has standard error
// ≈ 1/sqrt(2n) = 0.00224, the mean 1/sqrt(n) = 0.00316; allow 5 standard errors each.
TEST(ForecastStatic, StandardisedNoiseHasUnitSd) {
  const std::size_t n = 100000;
  const GridSeries t = grid_of(std::vector<double>(n, 300.0)); // σ = 0.1 × 300 = 30
  const auto seen = static_forecast(t, gaussian(0.1), 2024);
  const double sigma = 30.0;
  double sum = 0, sum_sq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = (seen[i] - 300.0) / sigma;
    sum += z;
    sum_sq += z * z;
  }
  const double dn = static_cast<double>(n);
  const double mean = sum / dn;
  const double sd = std::sqrt((sum_sq - dn * mean * mean) / (dn - 1));
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(dn));
  EXPECT_NEAR(sd, 1.0, 5.0 / std::sqrt(2.0 * dn));
}

TEST(ForecastStatic, GaussianKeepsUnknownCellsNaNAndDoesNotClip) {
  // Truth 1 everywhere but gaps every 10th cell; e = 5 → σ = 5, so P(seen < 0) = P(z < −0.2)
  // ≈ 0.42: among 90 known cells some are negative (no clipping, LWA §3).
  std::vector<double> v(100, 1.0);
  for (std::size_t i = 0; i < v.size(); i += 10)
    v[i] = kNaN;
  const auto seen = static_forecast(grid_of(v), gaussian(5.0), 1);
  std::size_t negative = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i % 10 == 0) {
      EXPECT_TRUE(std::isnan(seen[i])) << i;
    } else {
      EXPECT_FALSE(std::isnan(seen[i])) << i;
      negative += seen[i] < 0 ? 1U : 0U;
    }
  }
  EXPECT_GT(negative, 0U);
  // A series with no known cell stays all NaN.
  const auto none = static_forecast(grid_of({kNaN, kNaN}), gaussian(0.1), 1);
  EXPECT_TRUE(std::isnan(none[0]) && std::isnan(none[1]));
}

TEST(ForecastStaticDeathTest, PersistenceIsNotStatic) {
  const GridSeries t = grid_of({1, 2});
  EXPECT_DEATH((void)static_forecast(t, ForecastSpec{ForecastKind::persistence, 0, {}, {}, {}}, 1),
               "not static forecasts");
}

// --- persistence ------------------------------------------------------------------------------

// Hourly grid, truth[i] = 100 + i, three days (72 cells; D = 24). Decision at cell 30:
//   cell 29 < 30: the past, its own truth 129;
//   cell 30: 30 − 24 = 6 < 30 → 106;   cell 31: 31 − 24 = 7 → 107;
//   cell 53: 53 − 24 = 29 < 30 → 129;
//   cell 54: 54 − 24 = 30 is not < 30, so 54 − 48 = 6 → 106;
//   cell 71: 71 − 24 = 47 ≥ 30, 71 − 48 = 23 < 30 → 123.
TEST(ForecastPersistence, SameSlotYesterdayWorkedByHand) {
  std::vector<double> v(72);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = 100.0 + static_cast<double>(i);
  const GridSeries t = grid_of(v);
  EXPECT_EQ(cells_per_day(t.grid), 24);
  EXPECT_EQ(persistence_value(t, 30, 29), 129);
  EXPECT_EQ(persistence_value(t, 30, 0), 100);
  EXPECT_EQ(persistence_value(t, 30, 30), 106);
  EXPECT_EQ(persistence_value(t, 30, 31), 107);
  EXPECT_EQ(persistence_value(t, 30, 53), 129);
  EXPECT_EQ(persistence_value(t, 30, 54), 106);
  EXPECT_EQ(persistence_value(t, 30, 71), 123);
}

// 30-min grid: D = 48. Decision at cell 50: cell 60 → 60 − 48 = 12; cell 98 → 98 − 48 = 50 is
// not < 50 → 98 − 96 = 2.
TEST(ForecastPersistence, HalfHourlyGridUsesFortyEightCellsPerDay) {
  std::vector<double> v(144);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<double>(i);
  const GridSeries t = grid_of(v, 1800);
  EXPECT_EQ(cells_per_day(t.grid), 48);
  EXPECT_EQ(persistence_value(t, 50, 60), 12);
  EXPECT_EQ(persistence_value(t, 50, 98), 2);
}

// Decision at cell 10 of an hourly grid: cell 10 → 10 − 24 < 0, before the grid → NaN;
// cell 33 → 9 (known); cell 34 → 34 − 24 = 10 is not < 10, 34 − 48 < 0 → NaN.
TEST(ForecastPersistence, BeforeTheGridIsNaN) {
  std::vector<double> v(48, 5.0);
  const GridSeries t = grid_of(v);
  EXPECT_TRUE(std::isnan(persistence_value(t, 10, 10)));
  EXPECT_EQ(persistence_value(t, 10, 33), 5.0);
  EXPECT_TRUE(std::isnan(persistence_value(t, 10, 34)));
  // A decision before the grid start: everything is "future" with no past to copy.
  EXPECT_TRUE(std::isnan(persistence_value(t, -5, 3)));
}

// The source cell unknown → NaN, never a value from further back (No-Fallback): truth[i] = i
// with gaps at cells 7 and 40. Decision 30: cell 31 → 31 − 24 = 7 (gap) → NaN; cell 55 →
// 55 − 24 = 31 ≥ 30, 55 − 48 = 7 (gap) → NaN; cell 32 → 8. A past gap stays a gap.
TEST(ForecastPersistence, UnknownSourceIsNaN) {
  std::vector<double> v(72);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<double>(i);
  v[7] = kNaN;
  v[40] = kNaN;
  const GridSeries t = grid_of(v);
  EXPECT_TRUE(std::isnan(persistence_value(t, 30, 31)));
  EXPECT_TRUE(std::isnan(persistence_value(t, 30, 55)));
  EXPECT_EQ(persistence_value(t, 30, 32), 8);
  // Decision at 45: cell 40 is the past, and unknown.
  EXPECT_TRUE(std::isnan(persistence_value(t, 45, 40)));
  // Decision at 41: cell 64 → 64 − 24 = 40 < 41 → the gap → NaN (no fallback to cell 16).
  EXPECT_TRUE(std::isnan(persistence_value(t, 41, 64)));
}

// Window [28, 33) with decision 30 on truth[i] = 100 + i, gap at cell 8:
//   28 → 128, 29 → 129 (past), 30 → 106, 31 → 107, 32 → cell 8 → NaN/unknown;
// cells outside the window keep their sentinel.
TEST(ForecastPersistence, WindowFillsOnlyTheWindow) {
  std::vector<double> v(72);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = 100.0 + static_cast<double>(i);
  v[8] = kNaN;
  const GridSeries t = grid_of(v);
  std::vector<double> values(72, -1.0);
  std::vector<std::uint8_t> known(72, 7);
  persistence_window(t, 30, 28, 33, values, known);
  EXPECT_EQ(values[28], 128);
  EXPECT_EQ(values[29], 129);
  EXPECT_EQ(values[30], 106);
  EXPECT_EQ(values[31], 107);
  EXPECT_TRUE(std::isnan(values[32]));
  EXPECT_EQ(known[28], 1);
  EXPECT_EQ(known[31], 1);
  EXPECT_EQ(known[32], 0);
  for (std::size_t i = 0; i < 72; ++i) {
    if (i >= 28 && i < 33)
      continue;
    EXPECT_EQ(values[i], -1.0) << i;
    EXPECT_EQ(known[i], 7) << i;
  }
}

TEST(ForecastPersistenceDeathTest, WindowMustFitTheGrid) {
  const GridSeries t = grid_of(std::vector<double>(48, 1.0));
  std::vector<double> values(48);
  std::vector<std::uint8_t> known(48);
  EXPECT_DEATH(persistence_window(t, 30, 40, 49, values, known), "outside the grid");
  std::vector<double> short_values(10);
  std::vector<std::uint8_t> short_known(10);
  EXPECT_DEATH(persistence_window(t, 30, 0, 5, short_values, short_known), "per grid cell");
}

// --- error statistics -------------------------------------------------------------------------

// seen [1, 2, 4], truth [1, 3, 2]: d = [0, −1, 2] → mae (0 + 1 + 2)/3 = 1,
// rmse sqrt((0 + 1 + 4)/3) = sqrt(5/3), bias (0 − 1 + 2)/3 = 1/3,
// mape (0/1 + 1/3 + 2/2)/3 × 100 = (0 + 1/3 + 1)/3 × 100 = 44.44…
TEST(ForecastErrorStats, WorkedByHand) {
  const ForecastErrors e = forecast_errors({1, 2, 4}, grid_of({1, 3, 2}));
  EXPECT_EQ(e.n, 3);
  EXPECT_EQ(e.n_mape, 3);
  EXPECT_DOUBLE_EQ(e.mae, 1.0);
  EXPECT_DOUBLE_EQ(e.rmse, std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(e.bias, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(e.mape_pct, (0.0 + 1.0 / 3.0 + 1.0) / 3.0 * 100.0);
}

// seen [1, NaN, 5, 2], truth [0, 3, gap, 4]: only cells 0 (d = 1, truth 0) and 3 (d = −2)
// count: n 2, mae 1.5, rmse sqrt((1 + 4)/2), bias −0.5; mape over cell 3 only: 2/4 → 50 %.
TEST(ForecastErrorStats, SkipsUnknownCellsAndZeroTruthForMape) {
  const ForecastErrors e = forecast_errors({1, kNaN, 5, 2}, grid_of({0, 3, kNaN, 4}));
  EXPECT_EQ(e.n, 2);
  EXPECT_EQ(e.n_mape, 1);
  EXPECT_DOUBLE_EQ(e.mae, 1.5);
  EXPECT_DOUBLE_EQ(e.rmse, std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(e.bias, -0.5);
  EXPECT_DOUBLE_EQ(e.mape_pct, 50.0);
}

TEST(ForecastErrorStats, NoCommonCellIsNaNNotZero) {
  const ForecastErrors e = forecast_errors({kNaN, 1}, grid_of({2, kNaN}));
  EXPECT_EQ(e.n, 0);
  EXPECT_TRUE(std::isnan(e.mae));
  EXPECT_TRUE(std::isnan(e.rmse));
  EXPECT_TRUE(std::isnan(e.bias));
  EXPECT_TRUE(std::isnan(e.mape_pct));
  // Known cells whose truth is all 0: mae defined, mape not.
  const ForecastErrors z = forecast_errors({1, 1}, grid_of({0, 0}));
  EXPECT_EQ(z.n, 2);
  EXPECT_DOUBLE_EQ(z.mae, 1.0);
  EXPECT_TRUE(std::isnan(z.mape_pct));
}

TEST(ForecastErrorStats, OracleHasZeroError) {
  const GridSeries t = grid_of({5, kNaN, 7, 9});
  const ForecastErrors e = forecast_errors(static_forecast(t, ForecastSpec{}, 0), t);
  EXPECT_EQ(e.n, 3);
  EXPECT_EQ(e.mae, 0.0);
  EXPECT_EQ(e.rmse, 0.0);
  EXPECT_EQ(e.bias, 0.0);
  EXPECT_EQ(e.mape_pct, 0.0);
}

// Two hourly days: day 1 all 100, day 2 all 110 except a gap at cell 30. Day-ahead persistence
// forecasts cell i ≥ 24 by cell i − 24 (= 100); day 1 has no forecast; cell 30 is unknown. So
// n = 24 − 1 = 23 cells, each with d = 100 − 110 = −10: mae 10, rmse 10, bias −10,
// mape 10/110 × 100 = 9.0909…
TEST(ForecastErrorStats, PersistenceErrorsAreDayAhead) {
  std::vector<double> v(48, 100.0);
  for (std::size_t i = 24; i < 48; ++i)
    v[i] = 110.0;
  v[30] = kNaN;
  const ForecastErrors e = persistence_errors(grid_of(v));
  EXPECT_EQ(e.n, 23);
  EXPECT_DOUBLE_EQ(e.mae, 10.0);
  EXPECT_DOUBLE_EQ(e.rmse, 10.0);
  EXPECT_DOUBLE_EQ(e.bias, -10.0);
  EXPECT_DOUBLE_EQ(e.mape_pct, 10.0 / 110.0 * 100.0);
  // A gap in day 1 removes the day-2 cell it would forecast: cell 5 → cell 29 not counted.
  v[5] = kNaN;
  EXPECT_EQ(persistence_errors(grid_of(v)).n, 22);
}

} // namespace

namespace {

// `replay` names its archive and its unit; neither is ever assumed.
TEST(ForecastSpecParse, ReplayNeedsItsArchiveAndUnits) {
  using cfsim::Value;
  const cfsim::ForecastSpec s = cfsim::parse_forecast_spec(Value(Value::Object{
      {"kind", Value("replay")}, {"file", Value("f.csv")}, {"units", Value("g_per_kwh")}}));
  EXPECT_EQ(s.kind, cfsim::ForecastKind::replay);
  EXPECT_EQ(s.archive_file, "f.csv");
  EXPECT_EQ(cfsim::to_string(s), "replay(f.csv)");
  EXPECT_THROW(cfsim::parse_forecast_spec(Value("replay")), cfsim::ConfigError);
  EXPECT_THROW(cfsim::parse_forecast_spec(
                   Value(Value::Object{{"kind", Value("replay")}, {"file", Value("f.csv")}})),
               cfsim::ConfigError);
}

} // namespace
