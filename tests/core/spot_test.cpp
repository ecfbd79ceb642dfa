// The spot interruption model (include/cfsim/spot.hpp) and the reserved-capacity timeline
// (include/cfsim/capacity.hpp), by hand on an hourly grid from T0.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "cfsim/capacity.hpp"
#include "cfsim/rng.hpp"
#include "cfsim/spot.hpp"

namespace cfsim {
namespace {

constexpr TimeS T0 = 1577836800; // 2020-01-01 00:00:00 UTC
constexpr TimeS H = 3600;
constexpr TimeS M = 60;
const TimeGrid kGrid{T0, H, 24};

SpotModel model(double p, TimeS checkpoint_s, PurchaseOption restart_on, TimeS overhead_s = 0) {
  return SpotModel{p, checkpoint_s, restart_on, overhead_s};
}

std::vector<ExecutedPiece> spot_pieces(std::initializer_list<std::pair<TimeS, TimeS>> spans,
                                       PurchaseOption last = PurchaseOption::spot) {
  std::vector<ExecutedPiece> out;
  for (const auto& [a, b] : spans)
    out.push_back({{T0 + a, T0 + b}, PurchaseOption::spot});
  out.back().capacity = last;
  return out;
}

// 1 − (1 − p)^(s/3600): p = 0.1 over an hour is 0.1; p = 0.5 over half an hour 1 − √0.5.
TEST(Spot, InterruptionProbabilityOfAConstantHazard) {
  EXPECT_EQ(interruption_probability(0.0, 3600), 0.0);
  EXPECT_EQ(interruption_probability(1.0, 1), 1.0);
  EXPECT_EQ(interruption_probability(1.0, 0), 0.0);
  EXPECT_NEAR(interruption_probability(0.1, 3600), 0.1, 1e-15);
  EXPECT_NEAR(interruption_probability(0.5, 1800), 1.0 - std::sqrt(0.5), 1e-15);
  EXPECT_NEAR(interruption_probability(0.2, 7200), 1.0 - 0.64, 1e-15);
}

// p = 0: the job runs its length on spot in one piece, never interrupted.
TEST(Spot, NoInterruptionsWhenTheRateIsZero) {
  const SpotRun r = simulate_spot(kGrid, T0 + 30 * M, 5 * H, model(0.0, 0, PurchaseOption::spot),
                                  42, 7, kGrid.end_s());
  EXPECT_EQ(r.pieces, spot_pieces({{30 * M, 5 * H + 30 * M}}));
  EXPECT_EQ(r.interruptions, 0);
  EXPECT_EQ(r.lost_work_s, 0);
  EXPECT_EQ(r.unfinished_work_s, 0);
}

// p = 1 interrupts every cell the job does not finish in. A 3-h job from T0, checkpoints every
// 45 min of work, restarting on spot without overhead:
//   [0, 1h) 60 min done, 45 kept, 15 lost; [1h, 2h) 45 + 60 = 105 done, 90 kept, 15 lost;
//   [2h, 3h) 150 done, 135 kept, 15 lost; [3h, 3h45) the last 45 min, finished in cell 3.
// 3 interruptions, 45 min lost. With a 10-min reload at each restart: [1h, 2h) does 50 min of
// work (95 done, 90 kept, 5 lost), [2h, 3h) 50 (140, 135, 5 lost), [3h, 3h55) 10 + 45 min.
TEST(Spot, RateOneInterruptsEveryCellAndCheckpointsBoundTheLoss) {
  SpotRun r = simulate_spot(kGrid, T0, 3 * H, model(1.0, 45 * M, PurchaseOption::spot), 42, 7,
                            kGrid.end_s());
  EXPECT_EQ(r.pieces, spot_pieces({{0, H}, {H, 2 * H}, {2 * H, 3 * H}, {3 * H, 3 * H + 45 * M}}));
  EXPECT_EQ(r.interruptions, 3);
  EXPECT_EQ(r.lost_work_s, 45 * M);
  EXPECT_EQ(r.unfinished_work_s, 0);

  r = simulate_spot(kGrid, T0, 3 * H, model(1.0, 45 * M, PurchaseOption::spot, 10 * M), 42, 7,
                    kGrid.end_s());
  EXPECT_EQ(r.pieces, spot_pieces({{0, H}, {H, 2 * H}, {2 * H, 3 * H}, {3 * H, 3 * H + 55 * M}}));
  EXPECT_EQ(r.interruptions, 3);
  EXPECT_EQ(r.lost_work_s, 25 * M);
}

// No checkpoints, restart on on-demand: the first cell interrupts, all 60 min are lost, and the
// job reruns its whole 3 h on on-demand capacity from 1h.
TEST(Spot, WithoutCheckpointsAllWorkIsLostAndTheRestartIsOnDemand) {
  const SpotRun r = simulate_spot(kGrid, T0, 3 * H, model(1.0, 0, PurchaseOption::on_demand), 42, 7,
                                  kGrid.end_s());
  std::vector<ExecutedPiece> want = {{{T0, T0 + H}, PurchaseOption::spot},
                                     {{T0 + H, T0 + 4 * H}, PurchaseOption::on_demand}};
  EXPECT_EQ(r.pieces, want);
  EXPECT_EQ(r.interruptions, 1);
  EXPECT_EQ(r.lost_work_s, H);
}

// p = 1, no checkpoints, restart on spot: the job never finishes. Stopped at the period end 6h:
// interrupted at 1h, ..., 5h (5 × 60 min lost); [5h, 6h) is cut by the period end, where 2 h of
// the 3 h are still to do (and an interruption at 6h would lie outside the period).
TEST(Spot, AJobThatCannotFinishIsCutAtThePeriodEnd) {
  const SpotRun r =
      simulate_spot(kGrid, T0, 3 * H, model(1.0, 0, PurchaseOption::spot), 42, 7, T0 + 6 * H);
  ASSERT_EQ(r.pieces.size(), 6u);
  EXPECT_EQ(r.pieces.back().span, (Interval{T0 + 5 * H, T0 + 6 * H}));
  EXPECT_EQ(r.interruptions, 5);
  EXPECT_EQ(r.lost_work_s, 5 * H);
  EXPECT_EQ(r.unfinished_work_s, 2 * H);
}

// A seeded case, draws from Rng(42, spot_stream(7, attempt)) (printed once, checked below):
//   attempt 0: 0.180083 ...            attempt 1: 0.142909 ...
//   attempt 2: 0.931281 0.147249 ...   attempt 3: (not drawn: it finishes in its first cell)
// p = 0.25/h, so a full cell interrupts iff u < 0.25. A 4-h job from T0, checkpoints every
// 40 min, restart on spot, no overhead:
//   attempt 0 [0, 1h): 0.180 < 0.25 → interrupted at 1h; 60 done, 40 kept, 20 lost.
//   attempt 1 [1h, …): 0.143 < 0.25 → at 2h; 40 + 60 = 100 done, 80 kept, 20 lost.
//   attempt 2 [2h, …): cell 2 0.931 no; cell 3 0.147 → at 4h; 80 + 120 = 200 done, 200 kept.
//   attempt 3 [4h, 4h40): the last 40 min.
TEST(Spot, SeededDrawsByHand) {
  Rng a0(42, spot_stream(7, 0)), a1(42, spot_stream(7, 1)), a2(42, spot_stream(7, 2));
  EXPECT_NEAR(a0.uniform01(), 0.180083, 1e-6);
  EXPECT_NEAR(a1.uniform01(), 0.142909, 1e-6);
  EXPECT_NEAR(a2.uniform01(), 0.931281, 1e-6);
  EXPECT_NEAR(a2.uniform01(), 0.147249, 1e-6);
  const SpotRun r = simulate_spot(kGrid, T0, 4 * H, model(0.25, 40 * M, PurchaseOption::spot), 42,
                                  7, kGrid.end_s());
  EXPECT_EQ(r.pieces, spot_pieces({{0, H}, {H, 2 * H}, {2 * H, 4 * H}, {4 * H, 4 * H + 40 * M}}));
  EXPECT_EQ(r.interruptions, 3);
  EXPECT_EQ(r.lost_work_s, 40 * M);
  // The outcome is a function of (seed, job id, attempt): the same again, another job differs.
  EXPECT_EQ(simulate_spot(kGrid, T0, 4 * H, model(0.25, 40 * M, PurchaseOption::spot), 42, 7,
                          kGrid.end_s())
                .pieces,
            r.pieces);
  EXPECT_NE(spot_stream(7, 0), spot_stream(8, 0));
  EXPECT_NE(spot_stream(7, 0), spot_stream(7, 1));
}

// A start inside a cell: the first cell runs 30 min, q = 1 − 0.75^0.5 = 0.1340; the draw
// 0.180083 does not interrupt. Cell 1 (full hour, q = 0.25): 0.307695 no; cell 2: 0.052166 →
// interrupted at 3h with 150 min done; no checkpoints, restart on demand: [3h, 6h) on demand.
TEST(Spot, APartCellHasTheProbabilityOfItsSeconds) {
  const SpotRun r = simulate_spot(kGrid, T0 + 30 * M, 3 * H,
                                  model(0.25, 0, PurchaseOption::on_demand), 42, 7, kGrid.end_s());
  std::vector<ExecutedPiece> want = {{{T0 + 30 * M, T0 + 3 * H}, PurchaseOption::spot},
                                     {{T0 + 3 * H, T0 + 6 * H}, PurchaseOption::on_demand}};
  EXPECT_EQ(r.pieces, want);
  EXPECT_EQ(r.lost_work_s, 150 * M);
}

// First-order outcomes of a 2-h spot start at T0, p = 0.5/h, no checkpoints, restart on demand:
// interrupted at 1h with probability 0.5 (spot [0, 1h), then 2 h on demand from 1h), else the
// plain run. The last cell never interrupts. p = 0: one outcome.
TEST(Spot, FirstOrderOutcomesByHand) {
  std::vector<SpotOutcome> o =
      spot_outcomes(kGrid, T0, 2 * H, model(0.5, 0, PurchaseOption::on_demand));
  ASSERT_EQ(o.size(), 2u);
  EXPECT_DOUBLE_EQ(o[0].probability, 0.5);
  std::vector<ExecutedPiece> interrupted = {{{T0, T0 + H}, PurchaseOption::spot},
                                            {{T0 + H, T0 + 3 * H}, PurchaseOption::on_demand}};
  EXPECT_EQ(o[0].pieces, interrupted);
  EXPECT_DOUBLE_EQ(o[1].probability, 0.5);
  EXPECT_EQ(o[1].pieces, spot_pieces({{0, 2 * H}}));

  // Checkpoints every 45 min and a 10-min reload: after 1h, 45 min are kept → 10 + 75 min.
  o = spot_outcomes(kGrid, T0, 3 * H, model(0.5, 45 * M, PurchaseOption::spot, 10 * M));
  ASSERT_EQ(o.size(), 3u); // at 1h, at 2h, uninterrupted
  EXPECT_DOUBLE_EQ(o[0].probability, 0.5);
  EXPECT_EQ(o[0].pieces[1].span, (Interval{T0 + H, T0 + H + 10 * M + 135 * M}));
  EXPECT_DOUBLE_EQ(o[1].probability, 0.25);
  EXPECT_EQ(o[1].pieces[1].span, (Interval{T0 + 2 * H, T0 + 2 * H + 10 * M + 90 * M}));
  EXPECT_DOUBLE_EQ(o[2].probability, 0.25);
  EXPECT_DOUBLE_EQ(o[0].probability + o[1].probability + o[2].probability, 1.0);

  o = spot_outcomes(kGrid, T0, 2 * H, model(0.0, 0, PurchaseOption::on_demand));
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].probability, 1.0);
}

// Reserved occupancy is per cell: a job using part of a cell holds its vCPUs for the cell.
TEST(ReservedTimeline, FreeCommitAndWholeCells) {
  ReservedTimeline r(TimeGrid{T0, H, 4}, 2);
  EXPECT_TRUE(r.free(T0, T0 + 2 * H, 2));
  EXPECT_FALSE(r.free(T0, T0 + H, 3));       // more than reserved
  r.commit(T0 + 30 * M, T0 + H + 30 * M, 1); // touches cells 0 and 1
  EXPECT_EQ(r.used(0), 1.0);
  EXPECT_EQ(r.used(1), 1.0);
  EXPECT_EQ(r.used(2), 0.0);
  EXPECT_TRUE(r.free(T0, T0 + H, 1));
  EXPECT_FALSE(r.free(T0 + H + 45 * M, T0 + 2 * H + 30 * M, 2)); // cell 1 has 1 left
  EXPECT_TRUE(r.free(T0 + 2 * H, T0 + 4 * H, 2));
  EXPECT_FALSE(r.free(T0 + 3 * H, T0 + 5 * H, 1)); // past the period: no reserved capacity
  EXPECT_TRUE(r.free(T0 + H, T0 + H, 5));          // an empty span
}

TEST(Capacity, Names) {
  EXPECT_STREQ(to_string(PurchaseOption::on_demand), "on_demand");
  EXPECT_STREQ(to_string(PurchaseOption::spot), "spot");
  EXPECT_STREQ(to_string(PurchaseOption::reserved), "reserved");
}

} // namespace
} // namespace cfsim
