// ForecastView and the baseline / carbon-aware strategies on small hand-worked traces. Every
// expected answer is worked out by hand in the comment above it; no disk access.
//
// The trace used unless a test says otherwise: an hourly grid of 8 cells from T0,
//   cell   0  1  2  3  4  5  6  7
//   value  5  3  8  1  1  9  2  7
// (hh:mm below are hours after T0.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <ostream>
#include <random>
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

// ---- ForecastView ----------------------------------------------------------------------------

TEST(ForecastView, ExposesTheCellsOverlappingTheWindow) {
  // [00:30, 02:15) overlaps cells 0, 1, 2.
  const Trace t;
  const ForecastView v = t.view(T0 + 30 * M, T0 + 2 * H + 15 * M);
  EXPECT_EQ(v.first_cell(), 0);
  EXPECT_EQ(v.end_cell(), 3);
  EXPECT_EQ(v.from_s(), T0 + 30 * M);
  EXPECT_EQ(v.to_s(), T0 + 2 * H + 15 * M);
  EXPECT_EQ(v.value(2), 8.0);
  EXPECT_TRUE(v.known(0));
}

TEST(ForecastView, IntegratesPartialCells) {
  // [00:30, 02:15): 5 × 1800 s + 3 × 3600 s + 8 × 900 s = 9000 + 10800 + 7200 = 27000.
  const Trace t;
  const ForecastView v = t.view(T0 + 30 * M, T0 + 2 * H + 15 * M);
  const ForecastView::Integral in = v.integrate(T0 + 30 * M, T0 + 2 * H + 15 * M);
  EXPECT_DOUBLE_EQ(in.value_s, 27000.0);
  EXPECT_EQ(in.unknown_s, 0);
}

TEST(ForecastView, CountsUnknownSecondsInsteadOfGuessing) {
  // Cell 2 unknown: 5 × 1800 + 3 × 3600 = 19800 over known cells; 900 s of cell 2 unknown.
  const Trace t = trace_with_unknown({2});
  const ForecastView v = t.view(T0 + 30 * M, T0 + 2 * H + 15 * M);
  EXPECT_FALSE(v.known(2));
  const ForecastView::Integral in = v.integrate(T0 + 30 * M, T0 + 2 * H + 15 * M);
  EXPECT_DOUBLE_EQ(in.value_s, 19800.0);
  EXPECT_EQ(in.unknown_s, 900);
}

TEST(ForecastView, SecondsOutsideTheWindowAreUnknown) {
  // View [01:00, 03:00); integrate [00:00, 04:00): known cells 1, 2 give 3 × 3600 + 8 × 3600 =
  // 39600; the 2 h outside the window are unknown to the strategy.
  const Trace t;
  const ForecastView v = t.view(T0 + H, T0 + 3 * H);
  const ForecastView::Integral in = v.integrate(T0, T0 + 4 * H);
  EXPECT_DOUBLE_EQ(in.value_s, 39600.0);
  EXPECT_EQ(in.unknown_s, 2 * H);
}

TEST(ForecastView, IsClippedToThePeriod) {
  // View [06:00, 12:00) on an 8-cell period ends at 08:00 (cells 6, 7). Integrate [06:00,
  // 10:00): 2 × 3600 + 7 × 3600 = 32400; 10:00 − 08:00 = 2 h unknown.
  const Trace t;
  const ForecastView v = t.view(T0 + 6 * H, T0 + 12 * H);
  EXPECT_EQ(v.to_s(), T0 + 8 * H);
  EXPECT_EQ(v.first_cell(), 6);
  EXPECT_EQ(v.end_cell(), 8);
  const ForecastView::Integral in = v.integrate(T0 + 6 * H, T0 + 10 * H);
  EXPECT_DOUBLE_EQ(in.value_s, 32400.0);
  EXPECT_EQ(in.unknown_s, 2 * H);
}

TEST(ForecastViewDeathTest, ReadingBeyondTheWindowDies) {
  // View [01:00, 03:00) shows cells 1 and 2 only: cells 0 and 3 exist but are not visible.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Trace t;
  const ForecastView v = t.view(T0 + H, T0 + 3 * H);
  EXPECT_DEATH((void)v.value(3), "outside its forecast window");
  EXPECT_DEATH((void)v.value(0), "outside its forecast window");
  EXPECT_DEATH((void)v.known(3), "outside its forecast window");
}

// ---- always_on / no_wait -------------------------------------------------------------------

TEST(StrategyAlwaysOn, RunsTheWholePeriod) {
  // 8 hourly cells from T0: one span [T0, T0 + 8 h).
  const auto s = strategies::make_always_on(Value());
  FleetContext ctx;
  ctx.grid = TimeGrid{T0, H, 8};
  EXPECT_EQ(s->plan(FleetGroup{}, ctx), Pieces({iv(T0, T0 + 8 * H)}));
}

TEST(StrategyAlwaysOn, RejectsParameters) {
  EXPECT_THROW(strategies::make_always_on(params({{"lag_min", 5}})), ConfigError);
}

TEST(StrategyNoWait, RunsAtArrivalInOnePiece) {
  // Arrival 00:30, 2 h, may wait 5 h: [00:30, 02:30) whatever the intensity.
  const auto s = strategies::make_no_wait(Value::Object{});
  const Placement p = place(*s, job(T0 + 30 * M, 2 * H, 5 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 30 * M, T0 + 2 * H + 30 * M)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyNoWait, RejectsParameters) {
  EXPECT_THROW(strategies::make_no_wait(params({{"percentile", 30}})), ConfigError);
}

// ---- lowest_window -------------------------------------------------------------------------

TEST(StrategyLowestWindow, PicksTheLowestSumWindow) {
  // Arrival 00:00, 2 h, wait 5 h: starts 0..5 h, sums of two cells
  // 5+3=8, 3+8=11, 8+1=9, 1+1=2, 1+9=10, 9+2=11 → 03:00.
  const auto s = strategies::make_lowest_window(Value());
  const Placement p = place(*s, job(T0, 2 * H, 5 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyLowestWindow, TiesGoToTheEarliest) {
  // Trace 4 2 2 4 2 2 4 4; 2 h, wait 6 h: sums 6, 4, 6, 6, 4, 6, 8 → tie of 4 at 01:00 and
  // 04:00 → 01:00.
  Trace t;
  t.values = {4, 2, 2, 4, 2, 2, 4, 4};
  const auto s = strategies::make_lowest_window(Value());
  const Placement p = place(*s, job(T0, 2 * H, 6 * H), t);
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + H, T0 + 3 * H)}));
}

TEST(StrategyLowestWindow, NoWaitStartsAtArrival) {
  // max_wait 0: the only candidate is the arrival (cells 0, 1 = 5 + 3, not the cheapest).
  const auto s = strategies::make_lowest_window(Value());
  const Placement p = place(*s, job(T0, 2 * H, 0));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H)}));
}

TEST(StrategyLowestWindow, OffGridArrivalStepsFromTheArrival) {
  // Arrival 00:30, 2 h, wait 4 h; candidates 00:30, 01:30, 02:30, 03:30, 04:30:
  //   00:30 .5·5 + 3 + .5·8 = 9.5     01:30 .5·3 + 8 + .5·1 = 10
  //   02:30 .5·8 + 1 + .5·1 = 5.5     03:30 .5·1 + 1 + .5·9 = 6
  //   04:30 .5·1 + 9 + .5·2 = 10.5    → 02:30.
  const auto s = strategies::make_lowest_window(Value());
  const Placement p = place(*s, job(T0 + 30 * M, 2 * H, 4 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 2 * H + 30 * M, T0 + 4 * H + 30 * M)}));
}

TEST(StrategyLowestWindow, CellCandidatesUseCellBoundaries) {
  // Same job, candidates = arrival and cell boundaries with offset ≤ 4 h: 00:30 (9.5),
  // 01:00 3+8=11, 02:00 8+1=9, 03:00 1+1=2, 04:00 1+9=10 (05:00 is 4.5 h away) → 03:00.
  // Arrival 03:30, 1 h, wait 1 h: 03:30 .5·1 + .5·1 = 1, 04:00 1 (05:00 is 1.5 h away) → tie
  // → the arrival itself, 03:30.
  const auto s = strategies::make_lowest_window(params({{"candidates", "cell"}}));
  const Placement p = place(*s, job(T0 + 30 * M, 2 * H, 4 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_EQ(place(*s, job(T0 + 3 * H + 30 * M, H, H)).pieces,
            Pieces({iv(T0 + 3 * H + 30 * M, T0 + 4 * H + 30 * M)}));
}

TEST(StrategyLowestWindow, MaxWaitIsInclusive) {
  // 1 h, wait 3 h: candidates 00:00 … 03:00 (offset 3 h = max_wait included): 5, 3, 8, 1 → 03:00.
  const auto s = strategies::make_lowest_window(Value());
  EXPECT_EQ(place(*s, job(T0, H, 3 * H)).pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
}

TEST(StrategyLowestWindow, AvoidsWindowsWithUnknownCellsAndIsBlind) {
  // Cell 4 unknown. Arrival 01:00, 2 h, wait 4 h: candidates 01:00 3+8=11, 02:00 8+1=9,
  // 03:00 (cells 3, 4: unknown), 04:00 (cells 4, 5: unknown), 05:00 9+2=11 → 02:00, blind.
  const auto s = strategies::make_lowest_window(Value());
  const Placement p = place(*s, job(T0 + H, 2 * H, 4 * H), trace_with_unknown({4}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 2 * H, T0 + 4 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyLowestWindow, StartsAtArrivalWhenNoCandidateIsKnown) {
  // Cells 1..7 unknown; arrival 00:00, 2 h, wait 5 h: every window touches cell 1 or later →
  // no fully known candidate → arrival, blind.
  const auto s = strategies::make_lowest_window(Value());
  const Placement p = place(*s, job(T0, 2 * H, 5 * H), trace_with_unknown({1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyLowestWindow, WindowsPastThePeriodEndAreUnknown) {
  // Arrival 05:00, 2 h, wait 3 h, period ends 08:00: 05:00 9+2=11, 06:00 2+7=9, 07:00 and
  // 08:00 run past the period (unknown) → 06:00, blind.
  const auto s = strategies::make_lowest_window(Value());
  const Placement p = place(*s, job(T0 + 5 * H, 2 * H, 3 * H));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 6 * H, T0 + 8 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyLowestWindow, RejectsBadParameters) {
  EXPECT_THROW(strategies::make_lowest_window(params({{"candidates", "hour"}})), ConfigError);
  try {
    strategies::make_lowest_window(params({{"window", 2}}));
    FAIL() << "unknown parameter accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("candidates"), std::string::npos) << e.what();
  }
}

// ---- wait_awhile ---------------------------------------------------------------------------

TEST(StrategyWaitAwhile, TakesTheLowestSlots) {
  // Arrival 00:00, 3 h, wait 3 h: window cells 0..5 = 5 3 8 1 1 9; the 3 lowest are cell 3 (1),
  // cell 4 (1), cell 1 (3) → [01:00, 02:00) and [03:00, 05:00) (cells 3, 4 merged).
  const auto s = strategies::make_wait_awhile(Value());
  const Placement p = place(*s, job(T0, 3 * H, 3 * H, true));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + H, T0 + 2 * H), iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyWaitAwhile, TiesGoToTheEarliestAndTheLastSegmentIsCutEarly) {
  // Window [00:00, 05:00) = 5 3 8 1 1. 1 h: cells 3 and 4 tie at 1 → cell 3 = [03:00, 04:00).
  // 1.5 h (wait 3.5 h, same window): cell 3, then the first half of cell 4 → [03:00, 04:30).
  const auto s = strategies::make_wait_awhile(Value());
  EXPECT_EQ(place(*s, job(T0, H, 4 * H, true)).pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
  EXPECT_EQ(place(*s, job(T0, 90 * M, 3 * H + 30 * M, true)).pieces,
            Pieces({iv(T0 + 3 * H, T0 + 4 * H + 30 * M)}));
}

TEST(StrategyWaitAwhile, OffGridArrivalSplitsAtCellBoundaries) {
  // Arrival 00:30, 2 h, wait 2 h: window [00:30, 04:30) = [00:30,01:00) 5, [01,02) 3, [02,03) 8,
  // [03,04) 1, [04:00,04:30) 1. Ascending: [03,04) 1 h + [04:00,04:30) 0.5 h (tie, later), then
  // 0.5 h of [01,02) (its earliest part) → [01:00, 01:30) and [03:00, 04:30); 0.5+1.5 = 2 h.
  const auto s = strategies::make_wait_awhile(Value());
  const Placement p = place(*s, job(T0 + 30 * M, 2 * H, 2 * H, true));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + H, T0 + H + 30 * M), iv(T0 + 3 * H, T0 + 4 * H + 30 * M)}));
}

TEST(StrategyWaitAwhile, NonInterruptibleIsLowestWindow) {
  // As StrategyLowestWindow.PicksTheLowestSumWindow: sums 8, 11, 9, 2, 10, 11 → 03:00.
  const auto s = strategies::make_wait_awhile(Value());
  const Placement p = place(*s, job(T0, 2 * H, 5 * H, false));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
}

TEST(StrategyWaitAwhile, AvoidsUnknownWhileKnownTimeSuffices) {
  // Cell 3 unknown. 3 h, wait 3 h: known cells 0..5 except 3 = 5 3 8 · 1 9; lowest 3: cell 4
  // (1), cell 1 (3), cell 0 (5) → [00:00, 02:00) and [04:00, 05:00); blind.
  const auto s = strategies::make_wait_awhile(Value());
  const Placement p = place(*s, job(T0, 3 * H, 3 * H, true), trace_with_unknown({3}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H), iv(T0 + 4 * H, T0 + 5 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyWaitAwhile, FillsUpWithUnknownEarliestFirst) {
  // Only cell 1 known. 2 h, wait 1 h: window cells 0..2; known time = cell 1 (1 h); the other
  // hour comes from the earliest unknown segment, cell 0 → [00:00, 02:00) merged; blind.
  const auto s = strategies::make_wait_awhile(Value());
  const Placement p = place(*s, job(T0, 2 * H, H, true), trace_with_unknown({0, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + 2 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyWaitAwhile, RejectsParameters) {
  EXPECT_THROW(strategies::make_wait_awhile(params({{"percentile", 30}})), ConfigError);
}

// ---- wait_awhile with checkpoint/restart --------------------------------------------------

Job checkpointed(Job j, TimeS overhead, TimeS min_run, double energy_wh = 0, double power_w = 0) {
  j.restart_overhead_s = overhead;
  j.min_run_s = min_run;
  j.restart_energy_wh = energy_wh;
  j.run_power_w = power_w;
  return j;
}

// A copy of the plain wait_awhile (before checkpoint/restart), the reference for overhead 0.
Pieces plain_wait_awhile(const Job& j, const ForecastView& v) {
  const std::vector<ForecastView::Segment> segs = v.segments(j.arrival_s, j.deadline_s());
  std::vector<std::size_t> order(segs.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    if (segs[x].known != segs[y].known)
      return segs[x].known;
    return segs[x].known && segs[x].intensity < segs[y].intensity;
  });
  Pieces pieces;
  TimeS left = j.duration_s;
  for (std::size_t i : order) {
    if (left == 0)
      break;
    const TimeS len = std::min(left, segs[i].span.duration_s());
    pieces.push_back({segs[i].span.start_s, segs[i].span.start_s + len});
    left -= len;
  }
  std::sort(pieces.begin(), pieces.end(),
            [](const Interval& x, const Interval& y) { return x.start_s < y.start_s; });
  Pieces merged;
  for (const Interval& piece : pieces) {
    if (!merged.empty() && merged.back().end_s == piece.start_s)
      merged.back().end_s = piece.end_s;
    else
      merged.push_back(piece);
  }
  return merged;
}

TEST(StrategyWaitAwhileCheckpoint, OverheadZeroIsThePlainAlgorithmOnARandomSweep) {
  // No hand answer: with overhead 0 and min_run 0 (restart energy 0, or set but without a known
  // power) every placement equals the plain algorithm's, on the test trace and on random hourly
  // and 15-min traces with unknown cells, on- and off-grid arrivals.
  const auto s = strategies::make_wait_awhile(Value());
  std::mt19937_64 rng(7);
  std::vector<Trace> traces{Trace(), trace_with_unknown({3})};
  for (int k = 0; k < 20; ++k) {
    Trace t;
    const bool quarter = k % 2 == 1;
    t.grid = quarter ? TimeGrid{T0, 900, 32} : TimeGrid{T0, H, 8};
    t.values.clear();
    t.known.clear();
    for (int i = 0; i < (quarter ? 32 : 8); ++i) {
      t.values.push_back(static_cast<double>(rng() % 10));
      t.known.push_back(rng() % 8 == 0 ? 0 : 1);
    }
    traces.push_back(t);
  }
  int checked = 0;
  for (const Trace& t : traces)
    for (TimeS arrival = T0; arrival < T0 + 7 * H; arrival += 23 * M)
      for (const TimeS duration : {M, 45 * M, H, 2 * H + 10 * M})
        for (const TimeS wait : {TimeS{0}, 50 * M, 3 * H}) {
          Job j = job(arrival, duration, wait, true);
          if (j.deadline_s() > T0 + 8 * H)
            continue;
          SCOPED_TRACE("arrival +" + std::to_string(arrival - T0) + " s, duration " +
                       std::to_string(duration) + " s, wait " + std::to_string(wait) + " s");
          const ForecastView v = t.view(j.arrival_s, j.arrival_s + s->horizon_s(j));
          EXPECT_EQ(place(*s, j, t).pieces, plain_wait_awhile(j, v));
          EXPECT_EQ(place(*s, checkpointed(j, 0, 0, 5.0, 0), t).pieces, plain_wait_awhile(j, v));
          ++checked;
        }
  EXPECT_GT(checked, 1000);
}

TEST(StrategyWaitAwhileCheckpoint, OverheadMakesFewerLongerPiecesOptimal) {
  // Trace 1 9 1 8 1 9 2 2; 3 h, wait 5 h, window cells 0..7.
  // Overhead 0: the three 1s, cells 0, 2, 4 → three 1-h pieces, Σ = 3.
  // Overhead 1 h (k pieces run 3 + (k − 1) h):
  //   k = 1 (3 h): [0,3) 11, [1,4) 18, [2,5) 10, [3,6) 18, [4,7) 12, [5,8) 13 → 10.
  //   k = 2 (4 h in two runs): without a 9, runs from {0}, {2,3,4}, {6,7}: {0}+{2,3,4} = 11,
  //     {2,3}+{6,7} = {3,4}+{6,7} = 13; with a 9 ≥ 12 → 11.
  //   k = 3 (5 h in three runs): ≥ {0}+{2,3,4}+{6} = 13; k ≥ 4 needs 6 cells + 3 gaps > 8.
  //   → one piece [02:00, 05:00).
  Trace t;
  t.values = {1, 9, 1, 8, 1, 9, 2, 2};
  const auto s = strategies::make_wait_awhile(Value());
  const Job j = job(T0, 3 * H, 5 * H, true);
  EXPECT_EQ(place(*s, j, t).pieces,
            Pieces({iv(T0, T0 + H), iv(T0 + 2 * H, T0 + 3 * H), iv(T0 + 4 * H, T0 + 5 * H)}));
  EXPECT_EQ(place(*s, checkpointed(j, H, 0), t).pieces, Pieces({iv(T0 + 2 * H, T0 + 5 * H)}));
}

TEST(StrategyWaitAwhileCheckpoint, OverheadIsRunAfterEachResume) {
  // Default trace, 3 h, wait 3 h, window cells 0..5 = 5 3 8 1 1 9; overhead 30 min (lattice
  // 30 min). Two pieces run 3.5 h: best is [00:30, 02:00) 2.5 + 3 = 5.5 with [03:00, 05:00)
  // 1 + 1 = 2 → 7.5 (the 3-h pieces alone: [02:00, 05:00) = 10; [01:00, 02:00) + [03:00, 05:30)
  // = 3 + 2 + 4.5 = 9.5; three pieces run 4 h and need two of the 8, 9 or 5 cells' time ≥ 9).
  const auto s = strategies::make_wait_awhile(Value());
  const Placement p = place(*s, checkpointed(job(T0, 3 * H, 3 * H, true), 30 * M, 0));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 30 * M, T0 + 2 * H), iv(T0 + 3 * H, T0 + 5 * H)}));
}

TEST(StrategyWaitAwhileCheckpoint, MinRunForbidsAShortPiece) {
  // Default trace, 3 h, wait 3 h: plain → [01:00, 02:00) (1 h) and [03:00, 05:00).
  // min_run 2 h, overhead 0: every piece but the last ≥ 2 h. One piece: [02:00, 05:00) = 10
  // best. Two: a first piece ≥ 2 h, then a last piece after a gap, within cells 0..5:
  // {0,1} + {3} = {0,1} + {4} = 5 + 3 + 1 = 9 ({1,2} + {4} = 12) → 9, a tie; the optimum
  // ending earliest wins → [00:00, 02:00), [03:00, 04:00) (the last piece may be short).
  const auto s = strategies::make_wait_awhile(Value());
  const Job j = job(T0, 3 * H, 3 * H, true);
  EXPECT_EQ(place(*s, j).pieces, Pieces({iv(T0 + H, T0 + 2 * H), iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_EQ(place(*s, checkpointed(j, 0, 2 * H)).pieces,
            Pieces({iv(T0, T0 + 2 * H), iv(T0 + 3 * H, T0 + 4 * H)}));
}

TEST(StrategyWaitAwhileCheckpoint, SuspensionEnergyIsWeighedAtThePiecesEnd) {
  // Default trace, 3 h, wait 3 h, window cells 0..5 = 5 3 8 1 1 9; overhead 0, min_run 0,
  // restart energy 3 Wh at 1 W run power = 3 h of running at the intensity of the suspended
  // piece's last cell. One piece: [02:00, 05:00) = 10 best. Two pieces (3 cells, 2 runs):
  // {1}+{3,4} = 3 + 2 + 3·3 = 14, {0,1}+{3} = 9 + 3·3 = 18, {0}+{3,4} = 7 + 3·5 = 22,
  // others higher; three pieces {1}{3}{5} = 13 + 3·3 + 3·1 = 25. → one piece (plain: the 14).
  const auto s = strategies::make_wait_awhile(Value());
  const Placement p = place(*s, checkpointed(job(T0, 3 * H, 3 * H, true), 0, 0, 3.0, 1.0));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 2 * H, T0 + 5 * H)}));
}

// Forecast cost of cell-aligned pieces: (unknown seconds, Σ intensity × seconds) including the
// suspension energy as `energy_s` seconds at the suspended piece's last cell.
std::pair<double, double> cell_cost(const Trace& t, const std::vector<std::pair<int, int>>& runs,
                                    double energy_s) {
  double unknown = 0, known = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    for (int c = runs[r].first; c < runs[r].second; ++c) {
      const auto i = static_cast<std::size_t>(c);
      if (t.known[i])
        known += t.values[i] * H;
      else
        unknown += H;
    }
    if (r + 1 < runs.size()) {
      const auto last = static_cast<std::size_t>(runs[r].second - 1);
      if (t.known[last])
        known += t.values[last] * energy_s;
      else
        unknown += energy_s;
    }
  }
  return {unknown, known};
}

TEST(StrategyWaitAwhileCheckpoint, DynamicProgrammeMatchesBruteForceOnSmallWindows) {
  // No hand answer: on random hourly traces (some cells unknown) and windows of 1..8 cells,
  // with duration, overhead and min_run in whole hours (so the DP's lattice is the cells) and a
  // random suspension energy, the placement's cost equals the minimum over every set of cells
  // (2^n subsets; runs of cells are the pieces) that satisfies the constraints.
  const auto s = strategies::make_wait_awhile(Value());
  std::mt19937_64 rng(11);
  int cases = 0;
  for (int k = 0; k < 400; ++k) {
    Trace t;
    for (std::size_t i = 0; i < 8; ++i) {
      t.values[i] = static_cast<double>(rng() % 10);
      t.known[i] = rng() % 6 == 0 ? 0 : 1;
    }
    const int n = 1 + static_cast<int>(rng() % 8);
    const int d = 1 + static_cast<int>(rng() % static_cast<unsigned>(n));
    const Job j =
        checkpointed(job(T0, d * H, (n - d) * H, true), static_cast<TimeS>(rng() % 3) * H,
                     static_cast<TimeS>(rng() % 4) * H, static_cast<double>(rng() % 5), 2.0);
    if (j.restart_overhead_s == 0 && j.min_run_s == 0)
      continue; // the plain algorithm (checked above)
    const double energy_s = j.restart_energy_wh * 3600.0 / j.run_power_w;
    std::pair<double, double> best{std::numeric_limits<double>::infinity(), 0};
    for (unsigned mask = 1; mask < (1u << n); ++mask) {
      std::vector<std::pair<int, int>> runs;
      for (int c = 0; c < n; ++c)
        if (mask >> c & 1u) {
          if (!runs.empty() && runs.back().second == c)
            ++runs.back().second;
          else
            runs.push_back({c, c + 1});
        }
      TimeS total = 0;
      bool ok = true;
      for (std::size_t r = 0; r < runs.size(); ++r) {
        const TimeS len = (runs[r].second - runs[r].first) * H;
        total += len;
        ok = ok && (r + 1 == runs.size() || len >= j.min_run_s);
      }
      if (ok && total == j.running_s(runs.size()))
        best = std::min(best, cell_cost(t, runs, energy_s));
    }
    const Placement p = place(*s, j, t);
    std::vector<std::pair<int, int>> runs;
    for (const Interval& piece : p.pieces) {
      ASSERT_EQ((piece.start_s - T0) % H, 0);
      ASSERT_EQ((piece.end_s - T0) % H, 0);
      runs.push_back(
          {static_cast<int>((piece.start_s - T0) / H), static_cast<int>((piece.end_s - T0) / H)});
    }
    const std::pair<double, double> got = cell_cost(t, runs, energy_s);
    SCOPED_TRACE("case " + std::to_string(k) + ": n " + std::to_string(n) + ", d " +
                 std::to_string(d) + ", overhead " + std::to_string(j.restart_overhead_s) +
                 ", min_run " + std::to_string(j.min_run_s));
    EXPECT_EQ(got.first, best.first);
    EXPECT_NEAR(got.second, best.second, 1e-6);
    ++cases;
  }
  EXPECT_GT(cases, 250);
}

// ---- ecovisor ------------------------------------------------------------------------------

TEST(StrategyEcovisor, ThresholdIsThe30thPercentileInterpolated) {
  // Lookahead 24 h, clipped to the 8-cell period: sorted 1 1 2 3 5 7 8 9, position
  // 0.3 × 7 = 2.1 → θ = 2 + 0.1 × (3 − 2) = 2.1. 3 h, wait 5 h, window [00:00, 08:00):
  //   c0 5 idle (budget 4 h), c1 3 idle (3 h), c2 8 idle (2 h), c3 1 run, c4 1 run,
  //   c5 9 idle (1 h), c6 2 < 2.1 run → 3 h done: [03:00, 05:00), [06:00, 07:00).
  // (Without the interpolation θ would be 2, c6 would idle and c7 run instead.)
  const auto s = strategies::make_ecovisor(Value());
  const Placement p = place(*s, job(T0, 3 * H, 5 * H, true));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H), iv(T0 + 6 * H, T0 + 7 * H)}));
  EXPECT_FALSE(p.blind);
}

TEST(StrategyEcovisor, RunsOnlyStrictlyBelowTheThreshold) {
  // 50th percentile over 3 h: cells 5 3 8, sorted 3 5 8, position 0.5 × 2 = 1 → θ = 5.
  // 1 h, wait 2 h: c0 5 is not < 5 → idle (1 h left), c1 3 < 5 run → [01:00, 02:00).
  const auto s = strategies::make_ecovisor(params({{"percentile", 50}, {"lookahead_h", 3}}));
  EXPECT_EQ(place(*s, job(T0, H, 2 * H, true)).pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
}

TEST(StrategyEcovisor, SpentBudgetRunsToTheEnd) {
  // θ = 2.1 as above. 3 h, wait 2.5 h, window [00:00, 05:30): c0 idle (1.5 h left), c1 idle
  // (0.5 h), c2: idle [02:00, 02:30), budget 0, run [02:30, 03:00); c3, c4 run; c5 runs its
  // first 0.5 h although 9 ≥ θ → [02:30, 05:30), ending exactly at the deadline.
  const auto s = strategies::make_ecovisor(Value());
  const Placement p = place(*s, job(T0, 3 * H, 2 * H + 30 * M, true));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 2 * H + 30 * M, T0 + 5 * H + 30 * M)}));
}

TEST(StrategyEcovisor, PercentileAndLookaheadParameters) {
  // Lookahead 4 h: cells 0..3 = 5 3 8 1, sorted 1 3 5 8.
  // 50th: position 0.5 × 3 = 1.5 → θ = 3 + 0.5 × (5 − 3) = 4. 2 h, wait 4 h: c0 5 idle (3 h),
  //   c1 3 < 4 run, c2 8 idle (2 h), c3 1 run → [01:00, 02:00), [03:00, 04:00).
  // 30th: position 0.9 → θ = 1 + 0.9 × (3 − 1) = 2.8. c0, c1, c2 idle (1 h left), c3 1 run,
  //   c4 1 < 2.8 run → [03:00, 05:00).
  const auto p50 = strategies::make_ecovisor(params({{"percentile", 50}, {"lookahead_h", 4}}));
  EXPECT_EQ(place(*p50, job(T0, 2 * H, 4 * H, true)).pieces,
            Pieces({iv(T0 + H, T0 + 2 * H), iv(T0 + 3 * H, T0 + 4 * H)}));
  const auto p30 = strategies::make_ecovisor(params({{"lookahead_h", 4}}));
  EXPECT_EQ(place(*p30, job(T0, 2 * H, 4 * H, true)).pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
}

TEST(StrategyEcovisor, MinRunKeepsAStartedPieceRunning) {
  // θ = 2.1. 3 h, wait 5 h; min_run 0 → [03:00, 05:00), [06:00, 07:00) (as above).
  // min_run 2.5 h: c0, c1, c2 idle (budget 2 h), c3 1 starts at 03:00 and must run until 05:30:
  // c4 runs, c5 (9) runs its first half; at 05:30 the rule applies again: 9 ≥ θ, budget 2 h →
  // idle to 06:00 (1.5 h left); c6 2 < θ resumes and runs the remaining 0.5 h →
  // [03:00, 05:30), [06:00, 06:30).
  const auto s = strategies::make_ecovisor(Value());
  const Job j = job(T0, 3 * H, 5 * H, true);
  EXPECT_EQ(place(*s, j).pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H), iv(T0 + 6 * H, T0 + 7 * H)}));
  EXPECT_EQ(place(*s, checkpointed(j, 0, 150 * M)).pieces,
            Pieces({iv(T0 + 3 * H, T0 + 5 * H + 30 * M), iv(T0 + 6 * H, T0 + 6 * H + 30 * M)}));
}

TEST(StrategyEcovisor, RestartOverheadIsRunAfterEachResumeAndTakenFromTheBudget) {
  // θ = 2.1. 3 h, wait 5 h, overhead 30 min: c0, c1, c2 idle (budget 2 h); c3, c4 run
  // [03:00, 05:00) (1 h left); c5 9: idle while the budget exceeds one overhead, 2 − 0.5 =
  // 1.5 h ≥ the cell → idle (budget 1 h); c6 2 < θ resumes: 1 h + 0.5 h overhead left, budget
  // 0.5 h; c6 runs 1 h; c7 7 ≥ θ but budget − overhead = 0 → runs the last 0.5 h →
  // [03:00, 05:00), [06:00, 07:30): 3.5 h = 3 h + one overhead, ends before the 08:00 deadline.
  const auto s = strategies::make_ecovisor(Value());
  EXPECT_EQ(place(*s, checkpointed(job(T0, 3 * H, 5 * H, true), 30 * M, 0)).pieces,
            Pieces({iv(T0 + 3 * H, T0 + 5 * H), iv(T0 + 6 * H, T0 + 7 * H + 30 * M)}));
}

TEST(StrategyEcovisor, NonInterruptibleRunsWithoutABreak) {
  // θ = 2.1. 2 h, wait 4 h: c0, c1, c2 idle (1 h left), c3 1 < θ → start 03:00: [03:00, 05:00).
  // 2 h, wait 1.5 h: c0 idle (0.5 h left), c1 idles its first 0.5 h → start 01:30 and run
  // through the 8 of cell 2: [01:30, 03:30).
  const auto s = strategies::make_ecovisor(Value());
  EXPECT_EQ(place(*s, job(T0, 2 * H, 4 * H)).pieces, Pieces({iv(T0 + 3 * H, T0 + 5 * H)}));
  EXPECT_EQ(place(*s, job(T0, 2 * H, 90 * M)).pieces,
            Pieces({iv(T0 + 90 * M, T0 + 3 * H + 30 * M)}));
}

TEST(StrategyEcovisor, UnknownCellsAreLeftOutOfThetaAndWaitedThrough) {
  // Cell 3 unknown: θ over 5 3 8 · 1 9 2 7, sorted 1 2 3 5 7 8 9, position 0.3 × 6 = 1.8 →
  // θ = 2 + 0.8 × (3 − 2) = 2.8. 2 h, wait 4 h: c0 5, c1 3, c2 8 idle (1 h left), c3 unknown
  // idle (0 left), c4 1 run, c5 runs (budget spent) → [04:00, 06:00), blind.
  const auto s = strategies::make_ecovisor(Value());
  const Placement p = place(*s, job(T0, 2 * H, 4 * H, true), trace_with_unknown({3}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 4 * H, T0 + 6 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyEcovisor, UnknownCellInTheLookaheadMakesThetaBlind) {
  // Cell 5 unknown, left out of θ: sorted 1 1 2 3 5 7 8, position 0.3 × 6 = 1.8 →
  // θ = 1 + 0.8 × (2 − 1) = 1.8. 1 h, wait 4 h: c0 5, c1 3, c2 8 idle (1 h left), c3 1 < 1.8 run
  // → [03:00, 04:00). The job never reaches cell 5, but θ was computed without it: blind.
  const auto s = strategies::make_ecovisor(Value());
  const Placement p = place(*s, job(T0, H, 4 * H, true), trace_with_unknown({5}));
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
  EXPECT_TRUE(p.blind);
}

TEST(StrategyEcovisor, UnknownSegmentOutsideTheLookaheadIsBlindOnlyWhenConsulted) {
  // Lookahead 2 h: θ over 5 3, sorted 3 5, position 0.3 → θ = 3 + 0.3 × 2 = 3.6; cell 3
  // unknown (outside the lookahead, so θ is not blind).
  // 1 h, wait 4 h: c0 5 idle (3 h left), c1 3 < 3.6 run → [01:00, 02:00); cell 3 never
  //   consulted → not blind.
  // 2 h, wait 4 h: c0 idle, c1 run, c2 8 idle (2 h left), c3 unknown idle (1 h left, blind),
  //   c4 1 < 3.6 run → [01:00, 02:00), [04:00, 05:00), blind.
  const auto s = strategies::make_ecovisor(params({{"lookahead_h", 2}}));
  const Trace t = trace_with_unknown({3});
  const Placement short_job = place(*s, job(T0, H, 4 * H, true), t);
  EXPECT_EQ(short_job.pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
  EXPECT_FALSE(short_job.blind);
  const Placement long_job = place(*s, job(T0, 2 * H, 4 * H, true), t);
  EXPECT_EQ(long_job.pieces, Pieces({iv(T0 + H, T0 + 2 * H), iv(T0 + 4 * H, T0 + 5 * H)}));
  EXPECT_TRUE(long_job.blind);
}

TEST(StrategyEcovisor, HorizonCoversTheLookahead) {
  // max(duration + wait, lookahead): max(3 h, 24 h) = 24 h; max(30 h, 24 h) = 30 h.
  const auto s = strategies::make_ecovisor(Value());
  EXPECT_EQ(s->horizon_s(job(T0, 2 * H, H)), 24 * H);
  EXPECT_EQ(s->horizon_s(job(T0, 20 * H, 10 * H)), 30 * H);
}

TEST(StrategyEcovisor, RejectsBadParameters) {
  EXPECT_THROW(strategies::make_ecovisor(params({{"percentile", 101}})), ConfigError);
  EXPECT_THROW(strategies::make_ecovisor(params({{"percentile", -1}})), ConfigError);
  EXPECT_THROW(strategies::make_ecovisor(params({{"lookahead_h", 0}})), ConfigError);
  EXPECT_THROW(strategies::make_ecovisor(params({{"percentile", "30"}})), ConfigError);
  EXPECT_NO_THROW(strategies::make_ecovisor(params({{"percentile", 0}})));
  EXPECT_NO_THROW(strategies::make_ecovisor(params({{"percentile", 100}})));
  try {
    strategies::make_ecovisor(params({{"threshold", 30}}));
    FAIL() << "unknown parameter accepted";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("percentile"), std::string::npos) << what;
    EXPECT_NE(what.find("lookahead_h"), std::string::npos) << what;
  }
}

// ---- invariants over many jobs -------------------------------------------------------------

TEST(StrategyInvariants, HoldForOffGridJobsOnHourlyAndQuarterHourGrids) {
  // No hand answer here: every placement must satisfy expect_valid (in window, sorted, merged,
  // summing to the duration plus the restart overheads, min_run kept), including windows that
  // run past the period end and traces with unknown cells, on an hourly grid and a 15-min grid.
  const Trace hourly = trace_with_unknown({5});
  const Trace quarter = quarter_hour_trace();
  std::vector<std::unique_ptr<JobStrategy>> all;
  all.push_back(strategies::make_no_wait(Value()));
  all.push_back(strategies::make_lowest_window(Value()));
  all.push_back(strategies::make_lowest_window(params({{"candidates", "cell"}})));
  all.push_back(strategies::make_wait_awhile(Value()));
  all.push_back(strategies::make_ecovisor(Value()));
  all.push_back(strategies::make_ecovisor(params({{"percentile", 80}, {"lookahead_h", 2}})));
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
              const Job j = job(arrival, duration, wait, interruptible);
              place(*all[k], j, *t);
              // Checkpoint/restart: overheads and min runs on and off the grid.
              place(*all[k], checkpointed(j, 20 * M, 0, 4.0, 3.0), *t);
              place(*all[k], checkpointed(j, 0, 40 * M), *t);
              place(*all[k], checkpointed(j, 7 * M, 90 * M, 1.0, 3.0), *t);
            }
}

} // namespace
} // namespace cfsim
