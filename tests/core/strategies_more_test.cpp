// The job strategies lowest_slot (GAIA Lowest-Slot), carbon_time (GAIA Carbon-Time*) and
// best_window (Carbon Aware SDK optimal window) on small hand-worked traces, and the SDK's own
// rolling-average examples. Every expected answer is worked out by hand in the comment above it;
// no disk access. Style, helpers and the placement contract as in strategies_test.cpp.
//
// The trace used unless a test says otherwise: an hourly grid of 8 cells from T0,
//   cell   0  1  2  3  4  5  6  7
//   value  5  3  8  1  1  9  2  7
// (hh:mm below are hours after T0; "C" sums are in value × hours, the common factor 3600 s of
// ForecastView::integrate dropped where it cancels.)
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/forecast.hpp"
#include "cfsim/strategy.hpp"
#include "strategies/strategies.hpp"
#include "strategy_test_support.hpp"

namespace cfsim {

namespace {

using namespace cfsim::test;

// These three strategies place every job, interruptible or not, in one piece.
Placement place_one(const JobStrategy& s, const Job& j, const Trace& t = Trace()) {
  Placement p = place(s, j, t);
  EXPECT_LE(p.pieces.size(), 1u);
  return p;
}

// An unknown key is a ConfigError naming the strategy and the allowed keys (none here).
void expect_rejects_any_parameter(std::unique_ptr<JobStrategy> (*make)(const Value&),
                                  const std::string& name) {
  try {
    make(params({{"expected_length_h", 2}}));
    FAIL() << name << ": unknown parameter accepted";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("strategy '" + name + "'"), std::string::npos) << what;
    EXPECT_NE(what.find("expected_length_h"), std::string::npos) << what;
    EXPECT_NE(what.find("allowed: none"), std::string::npos) << what;
  }
  EXPECT_NO_THROW(make(Value()));
  EXPECT_NO_THROW(make(Value::Object{}));
}

// ---- lowest_slot ---------------------------------------------------------------------------
// GAIA §5 `lowest`: argmin of the intensity over the steps t … t+W (W included), earliest on
// ties; per cell: candidates are the arrival and every cell boundary in (arrival, arrival + W].

TEST(StrategyLowestSlot, StartsAtTheCleanestCellAndRunsTheWholeLength) {
  // Arrival 00:00, 2 h, wait 5 h: candidates 00:00 … 05:00 on cells 5 3 8 1 1 9; minimum 1 at
  // 03:00 and 04:00 → the earlier, 03:00; the job runs 2 h from there: [03:00, 05:00).
  const auto s = strategies::make_lowest_slot(Value());
  const Placement p = place_one(*s, job(T0, 2 * H, 5 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyLowestSlot, TiesGoToTheEarliest) {
  // Trace 6 2 7 2 2 9 2 7; 1 h, wait 7 h: all 8 cells are candidates; minimum 2 at 01:00,
  // 03:00, 04:00 and 06:00 → 01:00.
  const auto s = strategies::make_lowest_slot(Value());
  const Placement p = place_one(*s, job(T0, H, 7 * H), trace_with_values({6, 2, 7, 2, 2, 9, 2, 7}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
}

TEST(StrategyLowestSlot, ArrivalWinsWhenItsOwnCellIsCleanest) {
  // Arrival 03:30, 1 h, wait 1 h: candidates 03:30 (cell 3 = 1) and 04:00 (cell 4 = 1) → tie →
  // the arrival, 03:30 (GAIA: "0 when the current hour is cleanest") → [03:30, 04:30).
  const auto s = strategies::make_lowest_slot(Value());
  EXPECT_EQ(place_one(*s, job(T0 + 3 * H + 30 * M, H, H)).pieces,
            Pieces({iv(T0 + 3 * H + 30 * M, T0 + 4 * H + 30 * M)}));
}

TEST(StrategyLowestSlot, NoWaitStartsAtArrival) {
  // max_wait 0: the only candidate is the arrival (cell 0 = 5, not the cleanest).
  const auto s = strategies::make_lowest_slot(Value());
  const Placement p = place_one(*s, job(T0, 2 * H, 0));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyLowestSlot, OffGridArrivalCandidatesAreCellBoundariesAndWaitIsInclusive) {
  // Arrival 00:30, 1 h. Wait 2 h: candidates 00:30 (cell 0 = 5), 01:00 (3), 02:00 (8); 03:00 is
  // 2.5 h away → 01:00 → [01:00, 02:00).
  // Wait 2.5 h: 03:00 (cell 3 = 1) is now exactly max_wait away and included → [03:00, 04:00).
  // Wait 2 h 29 min: 03:00 is out again → 01:00.
  const auto s = strategies::make_lowest_slot(Value());
  const TimeS a = T0 + 30 * M;
  EXPECT_EQ(place_one(*s, job(a, H, 2 * H)).pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
  EXPECT_EQ(place_one(*s, job(a, H, 2 * H + 30 * M)).pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
  EXPECT_EQ(place_one(*s, job(a, H, 2 * H + 29 * M)).pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
}

TEST(StrategyLowestSlot, LooksAtTheSlotNotAtWhatFollowsIt) {
  // Trace 4 1 9 2 2 9 9 9; 2 h, wait 3 h. lowest_slot: candidate cells 4 1 9 2 → 01:00, and the
  // job runs on through cell 2 (9): [01:00, 03:00), ∫ = 1 + 9 = 10.
  // lowest_window for contrast: sums 4+1=5, 1+9=10, 9+2=11, 2+2=4 → 03:00.
  const Trace t = trace_with_values({4, 1, 9, 2, 2, 9, 9, 9});
  const auto slot = strategies::make_lowest_slot(Value());
  EXPECT_EQ(place_one(*slot, job(T0, 2 * H, 3 * H), t).pieces, Pieces({iv(T0 + H, T0 + 3 * H)}));
  const auto window = strategies::make_lowest_window(Value());
  EXPECT_EQ(place_one(*window, job(T0, 2 * H, 3 * H), t).pieces,
            Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
}

TEST(StrategyLowestSlot, NeverChoosesAnUnknownCellAndIsBlind) {
  // Cell 3 unknown. 1 h, wait 5 h: candidate cells 5 3 8 ? 1 9 → cell 4 (1) → [04:00, 05:00);
  // a candidate was unknown → blind.
  const auto s = strategies::make_lowest_slot(Value());
  const Placement p = place_one(*s, job(T0, H, 5 * H), trace_with_unknown({3}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 4 * H, T0 + 5 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyLowestSlot, StartsAtArrivalWhenNoCandidateIsKnown) {
  // Cells 0, 1, 2 unknown; 1 h, wait 2 h: candidates 00:00, 01:00, 02:00 all unknown → the
  // arrival, blind.
  const auto s = strategies::make_lowest_slot(Value());
  const Placement p = place_one(*s, job(T0, H, 2 * H), trace_with_unknown({0, 1, 2}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyLowestSlot, OnlyCandidateCellsMakeItBlind) {
  // Cell 4 unknown. 2 h, wait 3 h: candidate cells 0..3 = 5 3 8 1, all known → 03:00; the job
  // then runs through cell 4, but the decision never consulted it → not blind.
  const auto s = strategies::make_lowest_slot(Value());
  const Placement p = place_one(*s, job(T0, 2 * H, 3 * H), trace_with_unknown({4}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyLowestSlot, CellsPastThePeriodEndAreUnknown) {
  // Arrival 06:00, 1 h, wait 3 h; the period ends at 08:00. Candidates 06:00 (2), 07:00 (7),
  // 08:00 and 09:00 (past the period: unknown) → 06:00, blind.
  const auto s = strategies::make_lowest_slot(Value());
  const Placement p = place_one(*s, job(T0 + 6 * H, H, 3 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 6 * H, T0 + 7 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyLowestSlot, RejectsParameters) {
  expect_rejects_any_parameter(strategies::make_lowest_slot, "lowest_slot");
}

// ---- carbon_time ---------------------------------------------------------------------------
// GAIA §5 `cst_oracle`: candidates o = 0, 1 h, 2 h, … ≤ W after arrival;
// score(o) = (C(0) − C(o)) / (o + L), maximum wins, earliest on ties, o = 0 scores 0.

TEST(StrategyCarbonTime, MaximisesCarbonSavedPerCompletionTime) {
  // Arrival 00:00, 2 h, wait 5 h: C(o) = 8, 11, 9, 2, 10, 11 for o = 0 … 5 h; scores
  // (8 − C) / (o + 2): 1 h −3/3, 2 h −1/4, 3 h 6/5 = 1.2, 4 h −2/6, 5 h −3/7 → 03:00.
  const auto s = strategies::make_carbon_time(Value());
  const Placement p = place_one(*s, job(T0, 2 * H, 5 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyCarbonTime, PrefersAnEarlySmallerSavingToALateLargerOne) {
  // Trace 10 6 10 10 10 10 1 10; 1 h, wait 7 h: C(o) = the cell values; scores (10 − C)/(o + 1):
  // 1 h 4/2 = 2, 6 h 9/7 ≈ 1.29, all others 0 or less → 01:00.
  // lowest_window for contrast picks the lowest sum, 06:00.
  const Trace t = trace_with_values({10, 6, 10, 10, 10, 10, 1, 10});
  const auto s = strategies::make_carbon_time(Value());
  EXPECT_EQ(place_one(*s, job(T0, H, 7 * H), t).pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
  const auto window = strategies::make_lowest_window(Value());
  EXPECT_EQ(place_one(*window, job(T0, H, 7 * H), t).pieces, Pieces({iv(T0 + 6 * H, T0 + 7 * H)}));
}

TEST(StrategyCarbonTime, TiesGoToTheEarliest) {
  // 1 h, wait 7 h: C = 5 3 8 1 1 9 2 7; scores (5 − C)/(o + 1): 1 h 2/2 = 1, 2 h −3/3,
  // 3 h 4/4 = 1, 4 h 4/5, 5 h −4/6, 6 h 3/7, 7 h −2/8 → 1 at 01:00 and 03:00 (both exactly
  // 7200/7200 and 14400/14400 in seconds) → 01:00.
  const auto s = strategies::make_carbon_time(Value());
  EXPECT_EQ(place_one(*s, job(T0, H, 7 * H)).pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
}

TEST(StrategyCarbonTime, ALaterStartMustSaveStrictlyMore) {
  // Arrival 03:00, 1 h, wait 1 h: C(0) = 1, C(1 h) = 1 → score 0, not > 0 → 03:00.
  // Arrival 06:00, 1 h, wait 1 h: C(0) = 2, C(1 h) = 7 → score −5/2 → 06:00.
  const auto s = strategies::make_carbon_time(Value());
  EXPECT_EQ(place_one(*s, job(T0 + 3 * H, H, H)).pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
  EXPECT_EQ(place_one(*s, job(T0 + 6 * H, H, H)).pieces, Pieces({iv(T0 + 6 * H, T0 + 7 * H)}));
}

TEST(StrategyCarbonTime, NoWaitStartsAtArrival) {
  // max_wait 0: only o = 0.
  const auto s = strategies::make_carbon_time(Value());
  const Placement p = place_one(*s, job(T0, 2 * H, 0));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyCarbonTime, OffGridArrivalStepsFromTheArrival) {
  // Arrival 00:30, 1 h, wait 3 h; candidates 00:30, 01:30, 02:30, 03:30 (whole steps after the
  // arrival, GAIA §5): C = .5·5 + .5·3 = 4, .5·3 + .5·8 = 5.5, .5·8 + .5·1 = 4.5, .5·1 + .5·1 = 1;
  // scores (4 − C)/(o + 1): −1.5/2, −0.5/3, 3/4 → 03:30 → [03:30, 04:30).
  const auto s = strategies::make_carbon_time(Value());
  EXPECT_EQ(place_one(*s, job(T0 + 30 * M, H, 3 * H)).pieces,
            Pieces({iv(T0 + 3 * H + 30 * M, T0 + 4 * H + 30 * M)}));
}

TEST(StrategyCarbonTime, SkipsUnknownCandidatesAndIsBlind) {
  // Cell 1 unknown. 1 h, wait 7 h: C(1 h) unknown (not scored); scores as in TiesGoToTheEarliest
  // without 01:00: 3 h 1, 4 h 0.8, 6 h 3/7 → 03:00, blind.
  const auto s = strategies::make_carbon_time(Value());
  const Placement p = place_one(*s, job(T0, H, 7 * H), trace_with_unknown({1}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyCarbonTime, UnknownAtArrivalStartsAtArrival) {
  // Cell 0 unknown: C(0) is unknown, so no saving can be measured against it → the arrival,
  // blind (although 03:00 would be cleaner).
  // Arrival 00:30, 1 h: C(0) covers half of cell 1; cell 1 unknown → the same.
  const auto s = strategies::make_carbon_time(Value());
  const Placement p = place_one(*s, job(T0, H, 7 * H), trace_with_unknown({0}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + H)}));
  EXPECT_TRUE(p.blind);
  const Placement q = place_one(*s, job(T0 + 30 * M, H, 5 * H), trace_with_unknown({1}));
  EXPECT_EQ(q.pieces, Pieces({iv(T0 + 30 * M, T0 + H + 30 * M)}));
  EXPECT_TRUE(q.blind);
}

TEST(StrategyCarbonTime, WindowsPastThePeriodEndAreUnknown) {
  // Arrival 05:00, 2 h, wait 3 h, period ends 08:00: C(0) = 9 + 2 = 11, 06:00 2 + 7 = 9 →
  // (11 − 9)/(1 + 2) = 2/3; 07:00 and 08:00 run past the period (unknown) → 06:00, blind.
  const auto s = strategies::make_carbon_time(Value());
  const Placement p = place_one(*s, job(T0 + 5 * H, 2 * H, 3 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 6 * H, T0 + 8 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyCarbonTime, RejectsParameters) {
  // No parameters: in particular no expected length (GAIA's cst_average is not this strategy).
  expect_rejects_any_parameter(strategies::make_carbon_time, "carbon_time");
}

// ---- best_window: the Carbon Aware SDK's rolling average -----------------------------------
// Source of the examples: Carbon Aware SDK (Green Software Foundation), EmissionsData
// RollingAverage and AverageOverPeriod documentation.

std::vector<strategies::TimedValue> points(TimeS start, TimeS duration,
                                           std::initializer_list<double> values) {
  std::vector<strategies::TimedValue> out;
  for (const double v : values) {
    out.push_back({start, v, duration});
    start += duration;
  }
  return out;
}

TEST(StrategyBestWindowAverage, SdkRollingAverageExample) {
  // SDK: [10, 20, 30, 40, 5] on 5-min points, 10-min window → [15, 25, 35, 22.5].
  // Windows start at each point: 00:00 (10 + 20)/2 = 15, 00:05 (20 + 30)/2 = 25,
  // 00:10 (30 + 40)/2 = 35, 00:15 (40 + 5)/2 = 22.5; 00:20 would end at 00:30, past the data
  // (00:25), so there are 4 averages for 5 points.
  const auto p = points(T0, 5 * M, {10, 20, 30, 40, 5});
  EXPECT_EQ(strategies::rolling_time_weighted_average(p, 10 * M),
            std::vector<double>({15, 25, 35, 22.5}));
}

TEST(StrategyBestWindowAverage, SdkFractionalBoundaryExample) {
  // SDK: hourly points 01:00 = 30, 02:00 = 100, 03:00 = 50, averaged over 01:30–03:30 → 70.
  // The window covers the second half of the 01:00 point (0.5 h), all of 02:00 (1 h) and the
  // first half of 03:00 (0.5 h): (0.5·30 + 1·100 + 0.5·50) / 2 h = (15 + 100 + 25) / 2 = 70.
  // (In seconds: (30·1800 + 100·3600 + 50·1800) / 7200 = 504000 / 7200 = 70, exactly.)
  const auto p = points(T0 + H, H, {30, 100, 50});
  const std::optional<double> avg =
      strategies::time_weighted_average(p, T0 + 90 * M, T0 + 3 * H + 30 * M);
  ASSERT_TRUE(avg.has_value());
  EXPECT_EQ(*avg, 70.0);
  // The same points rolled with a 2-h window: 01:00 (30 + 100)/2 = 65, 02:00 (100 + 50)/2 = 75;
  // 03:00 would end at 05:00, past the data (04:00).
  EXPECT_EQ(strategies::rolling_time_weighted_average(p, 2 * H), std::vector<double>({65, 75}));
}

TEST(StrategyBestWindowAverage, NoAverageOverAGap) {
  // Points 00:00 = 10 and 02:00 = 20 (1 h each; nothing for 01:00). No-Fallback: over
  // [00:00, 03:00) 1 h is uncovered → no average (the SDK would divide the covered sum by 3 h).
  // [00:30, 01:00) lies inside the first point → 10. A period past the data end, or an empty
  // one, has none either.
  const std::vector<strategies::TimedValue> p = {{T0, 10, H}, {T0 + 2 * H, 20, H}};
  EXPECT_FALSE(strategies::time_weighted_average(p, T0, T0 + 3 * H).has_value());
  EXPECT_EQ(strategies::time_weighted_average(p, T0 + 30 * M, T0 + H), std::optional<double>(10));
  EXPECT_FALSE(strategies::time_weighted_average(p, T0 + 2 * H, T0 + 4 * H).has_value());
  EXPECT_FALSE(strategies::time_weighted_average(p, T0, T0).has_value());
}

// ---- best_window: the strategy -------------------------------------------------------------

TEST(StrategyBestWindow, PicksTheLowestRollingAverage) {
  // Arrival 00:00, 2 h, wait 5 h: candidates 00:00 … 05:00, averages over 2 h
  // (5+3)/2 = 4, (3+8)/2 = 5.5, (8+1)/2 = 4.5, (1+1)/2 = 1, (1+9)/2 = 5, (9+2)/2 = 5.5 → 03:00.
  const auto s = strategies::make_best_window(Value());
  const Placement p = place_one(*s, job(T0, 2 * H, 5 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_FALSE(p.blind);
  const Trace t;
  const Job j = job(T0, 2 * H, 5 * H);
  const strategies::BestWindows best = strategies::best_windows(j, t.view(T0, T0 + 7 * H));
  EXPECT_EQ(best.starts, std::vector<TimeS>({T0 + 3 * H}));
  EXPECT_EQ(best.average, 1.0);
}

TEST(StrategyBestWindow, ReportsAllTiedMinimaAndChoosesTheEarliest) {
  // Trace 4 2 2 4 2 2 4 4; 2 h, wait 6 h: averages 3, 2, 3, 3, 2, 3, 4 → minimum 2 at 01:00
  // and 04:00, both reported (SDK optimalDataPoints); the job starts at the earliest, 01:00.
  const Trace t = trace_with_values({4, 2, 2, 4, 2, 2, 4, 4});
  const Job j = job(T0, 2 * H, 6 * H);
  const strategies::BestWindows best = strategies::best_windows(j, t.view(T0, T0 + 8 * H));
  EXPECT_EQ(best.starts, std::vector<TimeS>({T0 + H, T0 + 4 * H}));
  EXPECT_EQ(best.average, 2.0);
  EXPECT_FALSE(best.blind);
  const auto s = strategies::make_best_window(Value());
  EXPECT_EQ(place_one(*s, j, t).pieces, Pieces({iv(T0 + H, T0 + 3 * H)}));
}

TEST(StrategyBestWindow, NoWaitStartsAtArrival) {
  // max_wait 0: the only candidate is the arrival ((5 + 3)/2 = 4, not the cleanest).
  const auto s = strategies::make_best_window(Value());
  const Placement p = place_one(*s, job(T0, 2 * H, 0));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyBestWindow, OffGridArrivalAveragesFractionalCells) {
  // Arrival 00:30, 2 h, wait 4 h; candidates 00:30, 01:30, 02:30, 03:30, 04:30 (whole steps after
  // the arrival), each window cutting two cells in half as in the SDK's 70 example:
  //   00:30 (.5·5 + 3 + .5·8)/2 = 4.75   01:30 (.5·3 + 8 + .5·1)/2 = 5
  //   02:30 (.5·8 + 1 + .5·1)/2 = 2.75   03:30 (.5·1 + 1 + .5·9)/2 = 3
  //   04:30 (.5·1 + 9 + .5·2)/2 = 5.25   → 02:30.
  const auto s = strategies::make_best_window(Value());
  EXPECT_EQ(place_one(*s, job(T0 + 30 * M, 2 * H, 4 * H)).pieces,
            Pieces({iv(T0 + 2 * H + 30 * M, T0 + 4 * H + 30 * M)}));
}

TEST(StrategyBestWindow, FiveMinuteGridRollsLikeTheSdkExample) {
  // A 5-min grid holding [40, 30, 10, 20, 5] (then 50s); 10-min job, wait 15 min: candidates
  // +0, +5, +10, +15 min, averages (40+30)/2 = 35, (30+10)/2 = 20, (10+20)/2 = 15,
  // (20+5)/2 = 12.5 → +15 min: [00:15, 00:25).
  Trace t;
  t.grid = TimeGrid{T0, 5 * M, 8};
  t.values = {40, 30, 10, 20, 5, 50, 50, 50};
  const auto s = strategies::make_best_window(Value());
  EXPECT_EQ(place_one(*s, job(T0, 10 * M, 15 * M), t).pieces,
            Pieces({iv(T0 + 15 * M, T0 + 25 * M)}));
}

TEST(StrategyBestWindow, SkipsWindowsWithUnknownCellsAndIsBlind) {
  // Cell 4 unknown. Arrival 01:00, 2 h, wait 4 h: 01:00 (3+8)/2 = 5.5, 02:00 (8+1)/2 = 4.5,
  // 03:00 and 04:00 touch cell 4 (skipped), 05:00 (9+2)/2 = 5.5 → 02:00, blind.
  const Trace t = trace_with_unknown({4});
  const Job j = job(T0 + H, 2 * H, 4 * H);
  const auto s = strategies::make_best_window(Value());
  const Placement p = place_one(*s, j, t);
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 2 * H, T0 + 4 * H)}));
  EXPECT_TRUE(p.blind);
  const strategies::BestWindows best = strategies::best_windows(j, t.view(T0 + H, T0 + 7 * H));
  EXPECT_EQ(best.starts, std::vector<TimeS>({T0 + 2 * H}));
  EXPECT_TRUE(best.blind);
}

TEST(StrategyBestWindow, StartsAtArrivalWhenNoWindowIsKnown) {
  // Cells 1..7 unknown; 2 h, wait 5 h: every window touches cell 1 or later → no average →
  // the arrival, blind.
  const auto s = strategies::make_best_window(Value());
  const Placement p =
      place_one(*s, job(T0, 2 * H, 5 * H), trace_with_unknown({1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyBestWindow, WindowsPastThePeriodEndAreUnknown) {
  // Arrival 05:00, 2 h, wait 3 h, period ends 08:00: 05:00 (9+2)/2 = 5.5, 06:00 (2+7)/2 = 4.5,
  // 07:00 and 08:00 run past the period (unknown) → 06:00, blind.
  const auto s = strategies::make_best_window(Value());
  const Placement p = place_one(*s, job(T0 + 5 * H, 2 * H, 3 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 6 * H, T0 + 8 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyBestWindow, RejectsParameters) {
  expect_rejects_any_parameter(strategies::make_best_window, "best_window");
}

// ---- registry and invariants ---------------------------------------------------------------

TEST(StrategyLowestSlotCarbonTimeBestWindow, AreRegisteredAsJobStrategies) {
  // The registry is the one list of names: each new name builds a job strategy, has a summary,
  // parameters and a source, and refuses to be used as a fleet strategy.
  for (const std::string name : {"lowest_slot", "carbon_time", "best_window"}) {
    SCOPED_TRACE(name);
    const StrategyInfo& info = strategy_info(name);
    EXPECT_EQ(info.kind, StrategyKind::jobs);
    EXPECT_FALSE(info.summary.empty());
    EXPECT_FALSE(info.params.empty());
    EXPECT_FALSE(info.source.empty());
    EXPECT_NE(make_job_strategy(name, Value()), nullptr);
    EXPECT_THROW(make_fleet_strategy(name, Value()), ConfigError);
  }
}

TEST(StrategyLowestSlotCarbonTimeBestWindow, InvariantsHoldForOffGridJobs) {
  // No hand answer here: every placement must satisfy expect_valid (in window, one piece,
  // summing to the duration), including windows past the period end and unknown cells, on an
  // hourly grid and a 15-min grid, for interruptible and non-interruptible jobs.
  const Trace hourly = trace_with_unknown({5});
  const Trace quarter = quarter_hour_trace();
  std::vector<std::unique_ptr<JobStrategy>> all;
  all.push_back(strategies::make_lowest_slot(Value()));
  all.push_back(strategies::make_carbon_time(Value()));
  all.push_back(strategies::make_best_window(Value()));
  for (const Trace* t : {&hourly, &quarter})
    for (TimeS arrival = T0; arrival < T0 + 8 * H; arrival += 7 * M)
      for (const TimeS duration : {M, 25 * M, H, 2 * H + 10 * M})
        for (const TimeS wait : {TimeS{0}, 50 * M, 3 * H})
          for (const bool interruptible : {false, true})
            for (std::size_t k = 0; k < all.size(); ++k) {
              SCOPED_TRACE("strategy " + std::to_string(k) + ", arrival +" +
                           std::to_string(arrival - T0) + " s, duration " +
                           std::to_string(duration) + " s, wait " + std::to_string(wait) +
                           " s, interruptible " + std::to_string(interruptible));
              const Placement p =
                  place_one(*all[k], job(arrival, duration, wait, interruptible), *t);
              EXPECT_EQ(p.pieces.size(), 1u);
            }
}

} // namespace
} // namespace cfsim
