// The GAIA simulation (include/cfsim/gaia.hpp) on tiny hand-worked traces, one rule at a time,
// each citing the section of ../shared/published/gaia.md it checks; then the event-driven
// simulation against a literal step-by-step loop of spec §4 (written here, independently) on
// random small cases, and the fast window choices against their definition.
//
// Carbon traces are given as hourly g/kWh; ci_step = v / 1000 / 720, so "hour value 100" below
// means 100/720000 g per step for 1 W. Only the order of the values matters for the decisions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/gaia.hpp"

namespace cfsim::gaia {
namespace {

constexpr std::int64_t H = kStepsPerHour;

CarbonSteps hours(std::vector<double> g_per_kwh) {
  return carbon_steps(g_per_kwh);
}

// A workload from (arrival step, length steps, cpus); seconds = steps × 5.
Workload jobs(const std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>>& v) {
  std::vector<TraceJob> t;
  for (const auto& [a, L, c] : v)
    t.push_back(TraceJob{static_cast<double>(a * kStepS), static_cast<double>(L * kStepS), c});
  return make_workload(t);
}

Outcome run(const CarbonSteps& ci, const Workload& w, Mode m, Policy p, const std::string& waits,
            std::int64_t R, Variant v = Variant::faithful) {
  const Decisions d = decide(ci, w, decision_kind(m), p, *parse_waits(waits));
  return simulate(ci, w, d, RunSpec{m, R, v});
}

const Row& row_of(const Outcome& o, std::int64_t job, std::int32_t piece = 0) {
  for (const Row& r : o.rows)
    if (r.job == job && r.piece == piece)
      return r;
  throw std::runtime_error("no row for job " + std::to_string(job));
}

// ---- §1-§3: time base, truncation, queues ------------------------------------------------------

TEST(GaiaWorkload, TruncatesArrivalAndLengthTowardZero) {
  // §3: a = trunc(463 / 5) = 92 (92.6), L = trunc(1574 / 5) = 314 (314.8), ℓ = 314.8.
  const Workload w = make_workload({{463.0, 1574.0, 3}});
  EXPECT_EQ(w.jobs[0].arrival, 92);
  EXPECT_EQ(w.jobs[0].length, 314);
  EXPECT_DOUBLE_EQ(w.jobs[0].length_exact, 314.8);
  EXPECT_EQ(w.jobs[0].cpus, 3);
}

TEST(GaiaWorkload, QueueByTruncatedLengthSpotClassByUntruncated) {
  // §3: lengths 7199 s (ℓ 1439.8, L 1439: Short, short-class), 7200 s (ℓ 1440, L 1440: Long,
  // but short-class since ℓ/720 = 2 ≤ 2), 7204 s (ℓ 1440.8, L 1440: Long, not short-class).
  const Workload w = make_workload({{0, 7199, 1}, {0, 7200, 1}, {0, 7204, 1}});
  EXPECT_FALSE(w.jobs[0].long_queue);
  EXPECT_TRUE(w.jobs[0].short_class);
  EXPECT_TRUE(w.jobs[1].long_queue);
  EXPECT_TRUE(w.jobs[1].short_class);
  EXPECT_TRUE(w.jobs[2].long_queue);
  EXPECT_FALSE(w.jobs[2].short_class);
  EXPECT_EQ(w.n_short, 1);
  EXPECT_EQ(w.n_long, 2);
}

TEST(GaiaWorkload, QueueMeansCountLengthExactly1440InBothAndTruncate) {
  // §3 [QUIRK 3]: ℓ = 100, 200.5, 1440, 2001 → m_short = (100 + 200.5 + 1440) / 3 = 580.1666…
  // (E 580), m_long = (1440 + 2001) / 2 = 1720.5 (E 1720). The ℓ = 1440 job queues Long.
  const Workload w = make_workload({{0, 500, 1}, {0, 1002.5, 1}, {0, 7200, 1}, {0, 10005, 1}});
  EXPECT_NEAR(w.mean_short, 1740.5 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(w.mean_long, 1720.5);
  EXPECT_EQ(w.expected_short, 580);
  EXPECT_EQ(w.expected_long, 1720);
  EXPECT_EQ(w.jobs[0].expected, 580);
  EXPECT_EQ(w.jobs[2].expected, 1720);
}

TEST(GaiaWorkload, WaitsAreHoursPerQueue) {
  // §3: "6x24" → 4320 steps for Short, 17280 for Long; "0x0" → 0 and 0.
  const Workload w = make_workload({{0, 500, 1}, {0, 10000, 1}});
  const Waits six = *parse_waits("6x24");
  EXPECT_EQ(six.steps_for(w.jobs[0]), 4320);
  EXPECT_EQ(six.steps_for(w.jobs[1]), 17280);
  EXPECT_EQ(parse_waits("0x0")->steps_for(w.jobs[1]), 0);
  EXPECT_EQ(six.text(), "6x24");
  for (const char* bad : {"", "6", "x24", "6x", "6x24h", "-1x2", "6 x 24", "1.5x2"})
    EXPECT_FALSE(parse_waits(bad)) << bad;
}

TEST(GaiaCarbon, SpreadsEachHourOverItsStepsAndSumsInTimeOrder) {
  // §2: ci_step = v / 1000 / 720 over the hour's 720 steps; a window sum adds step by step.
  const CarbonSteps ci = hours({360, 720});
  EXPECT_EQ(ci.horizon(), 1440);
  EXPECT_DOUBLE_EQ(ci.at(719), 360.0 / 1000 / 720);
  EXPECT_DOUBLE_EQ(ci.at(720), 720.0 / 1000 / 720);
  double acc = 0;
  for (std::int64_t s = 700; s < 760; ++s)
    acc += ci.at(s);
  EXPECT_EQ(window_sum(ci, 700, 60), acc); // bit for bit
  EXPECT_NEAR(window_sum(ci, 700, 60), 20 * 0.0005 + 40 * 0.001, 1e-15);
}

// ---- §5: start-time policies -------------------------------------------------------------------

TEST(GaiaPolicy, LowestSlotIsTheEarliestMinimumStepIncludingW) {
  // §5 lowest: t = 100 in hour 0 (500), W = 1440 → steps 100 … 1540 (W included) see hours
  // 0 (500), 1 (300) and the first 101 steps of hour 2 (200): minimum at step 1440, o = 1340.
  const CarbonSteps ci = hours({500, 300, 200, 100});
  EXPECT_EQ(choose_offset(ci, Policy::lowest, 100, 60, 60, 1440, 1), 1340);
  // W = 1339 stops at step 1439: hour 1's first step, o = 620.
  EXPECT_EQ(choose_offset(ci, Policy::lowest, 100, 60, 60, 1339, 1), 620);
  // Ties go to the earliest step: hours 1 and 2 both 300 → step 720.
  EXPECT_EQ(choose_offset(hours({500, 300, 300, 900}), Policy::lowest, 100, 60, 60, 1440, 1), 620);
  // W = 0 → 0; the current hour cleanest → 0.
  EXPECT_EQ(choose_offset(ci, Policy::lowest, 100, 60, 60, 0, 1), 0);
  EXPECT_EQ(choose_offset(hours({100, 300, 200, 100}), Policy::lowest, 100, 60, 60, 1440, 1), 0);
}

TEST(GaiaPolicy, OracleCandidatesAreWholeHoursAfterArrival) {
  // §5 oracle: t = 360, L = 720, W = 1440; hours 400, 200, 100, 500. Candidates o = 0, 720,
  // 1440 cover half-hours (400+200), (200+100), (100+500): o = 720. The cleanest clock hour
  // (hour 2, o = 1080) is not a candidate.
  const CarbonSteps ci = hours({400, 200, 100, 500});
  EXPECT_EQ(choose_offset(ci, Policy::oracle, 360, 720, 360, 1440, 1), 720);
  // waiting uses E = 360 instead: windows hour 0 half (400), hour 1 half (200), hour 2 half
  // (100) → o = 1440; the job then runs its true L.
  EXPECT_EQ(choose_offset(ci, Policy::waiting, 360, 720, 360, 1440, 1), 1440);
  // W = 0: NJW.
  EXPECT_EQ(choose_offset(ci, Policy::oracle, 360, 720, 360, 0, 1), 0);
  // Equal window sums: the earliest.
  EXPECT_EQ(choose_offset(hours({300, 300, 300, 300}), Policy::oracle, 0, 720, 720, 1440, 1), 0);
  EXPECT_EQ(choose_offset(hours({300, 100, 300, 100}), Policy::oracle, 0, 720, 720, 2160, 1), 720);
}

TEST(GaiaPolicy, CarbonTimeMaximisesSavingPerCompletionTime) {
  // §5 cst_oracle: t = 0, L = 720, W = 1440; hours 400, 300, 260 (×720 steps each).
  // score(720) = (400 − 300) / 1440 = 0.0694, score(1440) = (400 − 260) / 2160 = 0.0648:
  // o = 720, although the oracle (lowest window) takes 1440.
  const CarbonSteps ci = hours({400, 300, 260, 900});
  EXPECT_EQ(choose_offset(ci, Policy::cst_oracle, 0, 720, 720, 1440, 1), 720);
  EXPECT_EQ(choose_offset(ci, Policy::oracle, 0, 720, 720, 1440, 1), 1440);
  // Hour 2 at 240: score(1440) = 160 / 2160 = 0.0741 > 0.0694 → 1440.
  EXPECT_EQ(choose_offset(hours({400, 300, 240, 900}), Policy::cst_oracle, 0, 720, 720, 1440, 1),
            1440);
  // cst_average uses E in the sums and the denominator: E = 360 sees the same hours here.
  EXPECT_EQ(choose_offset(ci, Policy::cst_average, 0, 720, 360, 1440, 1), 720);
}

TEST(GaiaPolicy, CarbonTimeNeedsAStrictlyPositiveScore) {
  // §5: o = 0 scores 0; a later start must score strictly more. Flat carbon → 0; later hours
  // dirtier → 0 (negative scores).
  EXPECT_EQ(choose_offset(hours({300, 300, 300, 300}), Policy::cst_oracle, 0, 720, 720, 1440, 1),
            0);
  EXPECT_EQ(choose_offset(hours({300, 400, 500, 600}), Policy::cst_oracle, 0, 720, 720, 1440, 1),
            0);
}

TEST(GaiaPolicy, CandidatesPastTheHorizonAreDropped) {
  // §5: visible steps t … min(t + max(L, E) + W, horizon − 1). Horizon 4 h = 2880 steps;
  // t = 1000, L = 720, W = 1440: o = 1440 would end at step 3159 → dropped; o ∈ {0, 720}.
  // The clean last hour cannot be chosen.
  const CarbonSteps ci = hours({500, 400, 300, 100});
  EXPECT_EQ(choose_offset(ci, Policy::oracle, 1000, 720, 720, 1440, 1), 720);
  // Lowest-Slot looks at t … min(t + W, horizon − 1) = 1000 … 2440: hour 3 from step 2160.
  EXPECT_EQ(choose_offset(ci, Policy::lowest, 1000, 720, 720, 1440, 1), 1160);
  // No candidate fits at all: an error, not a silent start.
  EXPECT_THROW(choose_offset(ci, Policy::oracle, 2500, 720, 720, 0, 1), ConfigError);
}

// ---- §6.2: suspend-resume ----------------------------------------------------------------------

TEST(GaiaSuspend, WaitAwhileLooksAtLPlusWStepsWithoutThePlusOne) {
  // §6.2: t = 0, L = 720, W = 720 → steps 0 … 1439 (hours 300, 200), not step 1440 (hour 2,
  // 100): the whole of hour 1, one piece.
  const CarbonSteps ci = hours({300, 200, 100});
  EXPECT_EQ(wait_awhile_pieces(ci, 0, 720, 720), (std::vector<Piece>{{720, 720}}));
}

TEST(GaiaSuspend, WaitAwhileTakesTheLowestStepsAndSplitsIntoPieces) {
  // t = 0, L = 1080, W = 1440: steps 0 … 2519 = hours 100, 300, 200 and 360 steps of 150.
  // Lowest 1080: hour 0 (720) and the 360 steps of hour 3 → pieces (0, 720), (2160, 360).
  EXPECT_EQ(wait_awhile_pieces(hours({100, 300, 200, 150}), 0, 1080, 1440),
            (std::vector<Piece>{{0, 720}, {2160, 360}}));
  // Ties to the earliest step: hours 100, 300, 100 → hour 0, then the first 360 steps of
  // hour 2.
  EXPECT_EQ(wait_awhile_pieces(hours({100, 300, 100, 300}), 0, 1080, 1440),
            (std::vector<Piece>{{0, 720}, {1440, 360}}));
  // Adjacent marked hours merge: hours 100, 100, 300 → one piece.
  EXPECT_EQ(wait_awhile_pieces(hours({100, 100, 300, 300}), 0, 1440, 720),
            (std::vector<Piece>{{0, 1440}}));
}

TEST(GaiaSuspend, EcovisorThresholdInterpolatesLinearly) {
  // §6.2: θ = 0.3-quantile of the 17280 steps from t, at position 0.3 · 17279 = 5183.7.
  // t = 576: 144 steps of hour 0 and 7 hours (1–7) at 100 fill sorted positions 0 … 5183,
  // hour 8 (200) comes next: θ = 200 − (200 − 100) · (1 − 0.7) = 170 (in ci_step units).
  std::vector<double> v(26, 500);
  for (int h = 0; h <= 7; ++h)
    v[static_cast<std::size_t>(h)] = 100;
  v[8] = 200;
  const CarbonSteps ci = hours(v);
  const double lo = 100.0 / 1000 / 720, hi = 200.0 / 1000 / 720;
  const double gamma = 0.3 * 17279 - 5183;
  EXPECT_DOUBLE_EQ(ecovisor_threshold(ci, 576), hi - (hi - lo) * (1 - gamma));
  EXPECT_NEAR(ecovisor_threshold(ci, 576), 170.0 / 1000 / 720, 1e-12);
  // Cut at the horizon end: 2 hours left (100 then 200), n = 1440, position 431.7 → 100.
  EXPECT_DOUBLE_EQ(ecovisor_threshold(hours({100, 200}), 0), lo);
}

TEST(GaiaSuspend, EcovisorIsStrictAndRunsOnceTheBudgetIsSpent) {
  // Horizon 2 h (100, 200): θ = 100 (above). No step is < θ (strict): t = 0, L = 360,
  // W = 360 idles 360 steps, then the budget is 0 and the job runs: one piece (360, 360).
  const CarbonSteps ci = hours({100, 200});
  EXPECT_EQ(ecovisor_pieces(ci, 0, 360, 360), (std::vector<Piece>{{360, 360}}));
  // W = 1000: idles hour 0 (budget 1000 → 280) and 280 steps of hour 1 (200, not < 100), then
  // runs from step 1000: piece (1000, 360).
  EXPECT_EQ(ecovisor_pieces(ci, 0, 360, 1000), (std::vector<Piece>{{1000, 360}}));
  // W = 0: runs at once.
  EXPECT_EQ(ecovisor_pieces(ci, 0, 360, 0), (std::vector<Piece>{{0, 360}}));
}

TEST(GaiaSuspend, EcovisorSplitsAroundDirtyHours) {
  // 8 hours: 10, 300, 20, 300, 30, 300, 300, 300. n = 5760, position 0.3 · 5759 = 1727.7 →
  // sorted index 1727 is in the 30-group (1440 … 2159): θ = 30; steps < θ: hours 0 and 2.
  // L = 1500, W = 720: hour 0 runs (720), hour 1 idles (budget 720 → 0), hour 2 runs (720),
  // hour 3 runs 60 steps because the budget is spent: pieces (0, 720), (1440, 780).
  const CarbonSteps ci = hours({10, 300, 20, 300, 30, 300, 300, 300});
  EXPECT_EQ(ecovisor_pieces(ci, 0, 1500, 720), (std::vector<Piece>{{0, 720}, {1440, 780}}));
}

TEST(GaiaSuspend, PiecesAreQueuedWithTheirSpotClass) {
  // §6.2: several pieces are queued apart with the parent's a as key. Ecovisor keeps the
  // parent's spot class (ℓ = 1500 > 1440: not short-class); WaitAwhile recomputes it from the
  // piece length (720 and 780 ≤ 1440: short-class).
  const CarbonSteps ci = hours({10, 300, 20, 300, 30, 300, 300, 300});
  const Workload w = jobs({{0, 1500, 2}});
  const Decisions eco = decide(ci, w, DecisionKind::ecovisor, Policy::none, *parse_waits("0x1"));
  ASSERT_EQ(eco.entries.size(), 2u);
  EXPECT_EQ(eco.entries[1].release, 1440);
  EXPECT_EQ(eco.entries[1].length, 780);
  EXPECT_EQ(eco.entries[1].key, 0);
  EXPECT_EQ(eco.entries[1].cpus, 2);
  EXPECT_FALSE(eco.entries[0].short_class);
  EXPECT_FALSE(eco.entries[1].short_class);
  const Decisions wa = decide(ci, w, DecisionKind::wait_awhile, Policy::none, *parse_waits("0x1"));
  // WaitAwhile sees steps 0 … 2219: hours 0 (10) and 2 (20), then 60 steps at 300 from the
  // earliest 300-hour (hour 1): pieces (0, 780) and (1440, 720).
  ASSERT_EQ(wa.entries.size(), 2u);
  EXPECT_EQ(wa.entries[0].length, 780);
  EXPECT_EQ(wa.entries[1].release, 1440);
  EXPECT_TRUE(wa.entries[0].short_class);
  EXPECT_TRUE(wa.entries[1].short_class);
  // One piece: the job is queued whole, with its own spot class.
  const Decisions one = decide(hours({10, 10, 10, 300}), w, DecisionKind::wait_awhile, Policy::none,
                               *parse_waits("0x1"));
  ASSERT_EQ(one.entries.size(), 1u);
  EXPECT_EQ(one.entries[0].pieces, 1);
  EXPECT_FALSE(one.entries[0].short_class);
}

// ---- §7: the queue -----------------------------------------------------------------------------

std::vector<std::uint32_t> pop_order(const std::vector<std::int64_t>& keys) {
  std::vector<std::uint32_t> o;
  heap_pop_order(keys, o);
  return o;
}

TEST(GaiaQueue, HeapPopOrderOnEqualKeysIsNotFifo) {
  // §7: orders checked against Python's heapq (the same algorithm) on these arrays.
  using V = std::vector<std::uint32_t>;
  EXPECT_EQ(pop_order({0, 0, 0}), (V{0, 1, 2}));
  EXPECT_EQ(pop_order({0, 0, 0, 0}), (V{0, 2, 1, 3}));
  EXPECT_EQ(pop_order({0, 0, 0, 0, 0, 0, 0}), (V{0, 2, 5, 6, 4, 1, 3}));
  EXPECT_EQ(pop_order({0, 0, 1, 1, 1, 2, 2, 2, 2}), (V{0, 1, 2, 4, 3, 6, 5, 8, 7}));
  EXPECT_EQ(pop_order({0, 1, 1, 1, 1}), (V{0, 2, 4, 1, 3}));
  EXPECT_EQ(pop_order({1, 2, 3}), (V{0, 1, 2}));
}

TEST(GaiaQueue, TieOrderDecidesWhoGetsReservedCores) {
  // §6.1 + §7: four 1-core jobs arrive at step 0, NJW (release 0), R = 2. Faithful pops
  // A, C, B, D: A and C get the reserved cores; clean (ties by id) gives them to A and B.
  const CarbonSteps ci = hours({100, 100, 100});
  const Workload w = jobs({{0, 60, 1}, {0, 60, 1}, {0, 60, 1}, {0, 60, 1}});
  const Outcome f = run(ci, w, Mode::carbon, Policy::oracle, "0x0", 2);
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows[1].job, 2);
  EXPECT_EQ(row_of(f, 2).capacity, Capacity::reserved);
  EXPECT_EQ(row_of(f, 1).capacity, Capacity::on_demand);
  const Outcome c = run(ci, w, Mode::carbon, Policy::oracle, "0x0", 2, Variant::clean);
  EXPECT_EQ(row_of(c, 1).capacity, Capacity::reserved);
  EXPECT_EQ(row_of(c, 2).capacity, Capacity::on_demand);
}

TEST(GaiaQueue, PassesThatDispatchNothingStillReorderTies) {
  // §4 + §7: each pass puts the queue back in pop order. Four jobs, Lowest-Slot, hour 1
  // cleanest: all released at step 720; R = 2. Arriving at step 0: passes 0 … 719 (720 of
  // them) bring the array [A B C D] → [A C B D] → [A B C D] …, back to [A B C D] at step 720,
  // whose pass pops A, C, B, D: A and C reserved. Arriving at step 1 (719 passes before 720):
  // the array is [A C B D] at step 720, popped A, B, C, D: A and B reserved.
  const CarbonSteps ci = hours({300, 100, 300});
  const Workload w0 = jobs({{0, 60, 1}, {0, 60, 1}, {0, 60, 1}, {0, 60, 1}});
  const Outcome o0 = run(ci, w0, Mode::carbon, Policy::lowest, "1x1", 2);
  EXPECT_EQ(o0.rows[0].start, 720);
  EXPECT_EQ(row_of(o0, 2).capacity, Capacity::reserved);
  EXPECT_EQ(row_of(o0, 1).capacity, Capacity::on_demand);
  const Workload w1 = jobs({{1, 60, 1}, {1, 60, 1}, {1, 60, 1}, {1, 60, 1}});
  const Outcome o1 = run(ci, w1, Mode::carbon, Policy::lowest, "1x1", 2);
  EXPECT_EQ(o1.rows[0].start, 720);
  EXPECT_EQ(row_of(o1, 1).capacity, Capacity::reserved);
  EXPECT_EQ(row_of(o1, 2).capacity, Capacity::on_demand);
  EXPECT_LT(o1.event_steps, 10); // two passes simulated, 718 applied as a permutation
}

// ---- §6.1: dispatch and accounting -------------------------------------------------------------

TEST(GaiaDispatch, ReservedCoresComeBackOneStepLateAndTheFeeStopsAtTheLastDispatch) {
  // §4 step 3 [QUIRK 6], §6.1 [QUIRK 8]: cost mode (release a + W, early starts on free
  // reserved), R = 1, two 1-core jobs of 60 steps at step 0, W = 720. A starts early at 0 on
  // the reserved core; it finishes at 60 and the core is back at the end of step 60: B starts
  // early at 61. Fee = 1 · 0.4 · 61 · 0.0624/720. Clean: B at 60, fee to the last finish 120.
  const CarbonSteps ci = hours({100, 100});
  const Workload w = jobs({{0, 60, 1}, {0, 60, 1}});
  const Outcome f = run(ci, w, Mode::cost, Policy::none, "1x1", 1);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].start, 0);
  EXPECT_TRUE(f.rows[0].early);
  EXPECT_EQ(f.rows[1].start, 61);
  EXPECT_EQ(f.rows[1].capacity, Capacity::reserved);
  EXPECT_EQ(f.fee_steps, 61);
  EXPECT_DOUBLE_EQ(f.cost_reserved_fee_usd, 1 * 0.4 * 61 * (0.0624 / 720));
  EXPECT_DOUBLE_EQ(f.cost_usd, f.cost_reserved_fee_usd); // nothing on-demand or spot
  EXPECT_DOUBLE_EQ(f.waiting_mean_steps, 30.5);
  const Outcome c = run(ci, w, Mode::cost, Policy::none, "1x1", 1, Variant::clean);
  EXPECT_EQ(c.rows[1].start, 60);
  EXPECT_EQ(c.fee_steps, 120);
}

TEST(GaiaDispatch, ReservedIsAllOrNothingAndOnDemandPaysPerCoreStep) {
  // §6.1: R = 3; a 2-core job then a 2-core job at step 0 (NJW): the first takes 2 reserved
  // cores, the second does not fit in the 1 left and goes on-demand: 2 · 60 · 0.0624/720.
  const CarbonSteps ci = hours({100, 100});
  const Outcome o = run(ci, jobs({{0, 60, 2}, {0, 60, 2}}), Mode::carbon, Policy::oracle, "0x0", 3);
  EXPECT_EQ(o.rows[0].capacity, Capacity::reserved);
  EXPECT_EQ(o.rows[1].capacity, Capacity::on_demand);
  EXPECT_DOUBLE_EQ(o.cost_on_demand_usd, 2.0 * 60.0 * (0.0624 / 720.0));
  // Carbon: 1 W per core on every capacity type: 2 · Σ ci_step over 60 steps, twice.
  EXPECT_DOUBLE_EQ(o.carbon_g, 2 * (2 * window_sum(ci, 0, 60)));
  // No early starts in mode carbon even with free reserved cores.
  const Outcome late =
      run(hours({300, 100, 300}), jobs({{0, 60, 1}}), Mode::carbon, Policy::oracle, "1x1", 5);
  EXPECT_EQ(late.rows[0].start, 720);
  EXPECT_FALSE(late.rows[0].early);
}

TEST(GaiaDispatch, ShortClassJobsGoToSpotEvenWithIdleReservedCores) {
  // §6.1 [QUIRK 9]: carbon-spot, R = 4 idle: the short-class job (ℓ = 600) goes to spot,
  // 1 · 600 · 0.01248/720; the long one (ℓ = 2000) takes reserved cores. Clean: reserved first.
  const CarbonSteps ci = hours({100, 100, 100, 100});
  const Workload w = jobs({{0, 600, 1}, {0, 2000, 1}});
  const Outcome f = run(ci, w, Mode::carbon_spot, Policy::cst_average, "0x0", 4);
  EXPECT_EQ(row_of(f, 0).capacity, Capacity::spot);
  EXPECT_DOUBLE_EQ(row_of(f, 0).cost_usd, 600.0 * (0.01248 / 720.0));
  EXPECT_EQ(row_of(f, 1).capacity, Capacity::reserved);
  const Outcome c = run(ci, w, Mode::carbon_spot, Policy::cst_average, "0x0", 4, Variant::clean);
  EXPECT_EQ(row_of(c, 0).capacity, Capacity::reserved);
  // Without "spot" in the mode the short job takes the reserved core.
  EXPECT_EQ(row_of(run(ci, w, Mode::carbon, Policy::cst_average, "0x0", 4), 0).capacity,
            Capacity::reserved);
}

TEST(GaiaDispatch, CarbonCostSpotStartsOnlyLongClassJobsEarly) {
  // §6 table: carbon-cost-spot allows early starts for jobs that are not short-class.
  // Hours 300, 100: both jobs are released at 720 (Carbon-Time); R = 2 free at step 0: the
  // long-class job (ℓ = 2000) starts early on reserved, the short-class one waits and then
  // goes to spot. carbon-cost starts both early.
  const CarbonSteps ci = hours({300, 100, 100, 100, 100});
  const Workload w = jobs({{0, 600, 1}, {0, 2000, 1}});
  const Outcome o = run(ci, w, Mode::carbon_cost_spot, Policy::cst_oracle, "1x1", 2);
  EXPECT_EQ(row_of(o, 1).start, 0);
  EXPECT_TRUE(row_of(o, 1).early);
  EXPECT_EQ(row_of(o, 0).start, 720);
  EXPECT_EQ(row_of(o, 0).capacity, Capacity::spot);
  const Outcome c = run(ci, w, Mode::carbon_cost, Policy::cst_oracle, "1x1", 2);
  EXPECT_EQ(row_of(c, 0).start, 0);
  EXPECT_EQ(row_of(c, 1).start, 0);
  EXPECT_EQ(c.n_early, 2);
}

TEST(GaiaDispatch, WaitingCountsEveryPieceInFaithfulAndJobsInClean) {
  // §8 [QUIRK 10]: WaitAwhile t = 0, L = 1080 (Short), W = 2 h = 1440 on hours 100, 300,
  // 200, 150 → pieces
  // at 0 (wait 0) and 2160 (wait 2160): faithful mean over 2 rows = 1080. Clean: one job with
  // completion delay 2520 − 0 − 1080 = 1440.
  const CarbonSteps ci = hours({100, 300, 200, 150, 900});
  const Workload w = jobs({{0, 1080, 1}});
  const Outcome f = run(ci, w, Mode::suspend_resume, Policy::none, "2x0", 0);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.split_jobs, 1);
  EXPECT_DOUBLE_EQ(f.waiting_mean_steps, 1080);
  const Outcome c = run(ci, w, Mode::suspend_resume, Policy::none, "2x0", 0, Variant::clean);
  EXPECT_DOUBLE_EQ(c.waiting_mean_steps, 1440);
  EXPECT_EQ(c.waiting_rows, 1);
}

TEST(GaiaDispatch, RunningPastTheHorizonIsAnError) {
  // No-Fallback: carbon past the window is unknown. L = 1000 at step 1000 of a 2-h horizon.
  const CarbonSteps ci = hours({100, 100});
  EXPECT_THROW(run(ci, jobs({{1000, 1000, 1}}), Mode::carbon, Policy::lowest, "0x0", 0),
               ConfigError);
  EXPECT_THROW(run(ci, jobs({{1000, 300, 1}}), Mode::suspend_resume, Policy::none, "1x1", 0),
               ConfigError);
}

// ---- §8: Fig. 9 --------------------------------------------------------------------------------

TEST(GaiaFig9, PositionJoinSwapsJobsThatShareAnArrivalStep) {
  // §8 [QUIRK 12]: four jobs at step 0 with lengths 60, 120, 180, 240 (minutes 5, 10, 15, 20).
  // The reference (NJW) dispatches them in pop order A, C, B, D, so its list position 1 holds
  // job C. The policy run is the reference itself: by id every saving is 0; by position job B
  // (id 1) is paired with C's carbon: saved = C − B = 60 steps' worth, and job C with B's:
  // −60 steps' worth. The total is 0, so the CDF divides by 0: only the savings are checked.
  const CarbonSteps ci = hours({360, 360});
  const Workload w = jobs({{0, 60, 1}, {0, 120, 1}, {0, 180, 1}, {0, 240, 1}});
  const Outcome ref = run(ci, w, Mode::carbon, Policy::oracle, "0x0", 0);
  const Fig9 by_id = fig9_cdf(w, ref, ref, false);
  const Fig9 by_pos = fig9_cdf(w, ref, ref, true);
  EXPECT_EQ(by_pos.minutes, (std::vector<std::int64_t>{5, 10, 15, 20}));
  for (const double s : by_id.saved_g)
    EXPECT_EQ(s, 0.0);
  const double step = 360.0 / 1000 / 720;
  EXPECT_NEAR(by_pos.saved_g[1], 60 * step, 1e-15);
  EXPECT_NEAR(by_pos.saved_g[2], -60 * step, 1e-15);
}

TEST(GaiaFig9, CdfIsTheCumulativeShareOfSavingsOverLength) {
  // Job 0 (5 min) saves 1 unit, job 1 (10 min) saves 3 units: CDF 0.25, 1.
  const CarbonSteps ci = hours({400, 100, 100});
  const Workload w = jobs({{0, 60, 1}, {0, 120, 1}});
  const Outcome ref = run(ci, w, Mode::carbon, Policy::oracle, "0x0", 0);
  Outcome pol = ref;
  pol.rows[0].carbon_g -= 1;
  pol.rows[1].carbon_g -= 3;
  const Fig9 f = fig9_cdf(w, ref, pol, false);
  EXPECT_EQ(f.minutes, (std::vector<std::int64_t>{5, 10}));
  EXPECT_NEAR(f.cdf[0], 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(f.cdf[1], 1.0);
}

// ---- the event-driven simulation against the literal step loop ---------------------------------

// Spec §4 and §7 as written: every step, arrivals pushed into an array heap in trace order, a
// pass that pops everything (the heap of §7, coded again here), the reserved cores of jobs
// finishing at t released at the end of step t. Keys: a (faithful) or (a, job, piece) (clean).
Outcome step_loop(const CarbonSteps& ci, const Workload& w, const Decisions& d,
                  const RunSpec& spec) {
  const bool faithful = spec.variant == Variant::faithful;
  using Key = std::tuple<std::int64_t, std::int64_t, std::int32_t>;
  auto key = [&](std::size_t e) {
    const Entry& x = d.entries[e];
    return faithful ? Key{x.key, 0, 0} : Key{x.key, x.job, x.piece};
  };
  std::vector<std::size_t> heap;
  auto push = [&](std::size_t item) {
    heap.push_back(item);
    std::size_t pos = heap.size() - 1;
    while (pos > 0) {
      const std::size_t parent = (pos - 1) / 2;
      if (key(item) < key(heap[parent])) {
        heap[pos] = heap[parent];
        pos = parent;
      } else {
        break;
      }
    }
    heap[pos] = item;
  };
  auto pop = [&] {
    const std::size_t last = heap.back();
    heap.pop_back();
    if (heap.empty())
      return last;
    const std::size_t result = heap[0];
    const std::size_t end = heap.size();
    std::size_t pos = 0, child = 1;
    while (child < end) {
      const std::size_t right = child + 1;
      if (right < end && !(key(heap[child]) < key(heap[right])))
        child = right;
      heap[pos] = heap[child];
      pos = child;
      child = 2 * pos + 1;
    }
    heap[pos] = last;
    while (pos > 0) { // sift `last` up to its place
      const std::size_t parent = (pos - 1) / 2;
      if (key(last) < key(heap[parent])) {
        heap[pos] = heap[parent];
        pos = parent;
      } else {
        break;
      }
    }
    heap[pos] = last;
    return result;
  };
  const bool spot = uses_spot(spec.mode);
  const bool early_any = spec.mode == Mode::carbon_cost || spec.mode == Mode::cost;
  const bool early_long = spec.mode == Mode::carbon_cost_spot;
  std::int64_t free = spec.reserved_cores;
  std::vector<std::pair<std::int64_t, std::int64_t>> running; // finish, cores
  Outcome o;
  std::size_t next = 0;
  for (std::int64_t t = 0; next < w.jobs.size() || !heap.empty(); ++t) {
    for (; next < w.jobs.size() && w.jobs[next].arrival <= t; ++next)
      for (std::size_t e = d.first[next]; e < d.first[next + 1]; ++e)
        push(e);
    std::vector<std::size_t> survivors;
    while (!heap.empty()) {
      const std::size_t ei = pop();
      const Entry& e = d.entries[ei];
      const bool due = t >= e.release;
      const bool early = !due && (early_any || (early_long && !e.short_class)) && free >= e.cpus;
      if (!due && !early) {
        survivors.push_back(ei);
        continue;
      }
      Row r;
      r.entry = static_cast<std::uint32_t>(ei);
      r.job = e.job;
      r.piece = e.piece;
      r.pieces = e.pieces;
      r.arrival = e.key;
      r.start = t;
      r.length = e.length;
      r.cpus = e.cpus;
      r.early = early;
      r.carbon_g = static_cast<double>(e.cpus) * window_sum(ci, t, e.length);
      if (spot && e.short_class && !(!faithful && free >= e.cpus)) {
        r.capacity = Capacity::spot;
        r.cost_usd = static_cast<double>(e.cpus) * static_cast<double>(e.length) *
                     (kSpotUsdPerCoreHour / 720.0);
        o.cost_spot_usd += r.cost_usd;
        ++o.n_spot;
      } else if (free >= e.cpus) {
        r.capacity = Capacity::reserved;
        free -= e.cpus;
        running.emplace_back(t + e.length, e.cpus);
        ++o.n_reserved;
      } else {
        r.capacity = Capacity::on_demand;
        r.cost_usd = static_cast<double>(e.cpus) * static_cast<double>(e.length) *
                     (kOnDemandUsdPerCoreHour / 720.0);
        o.cost_on_demand_usd += r.cost_usd;
        ++o.n_on_demand;
      }
      o.n_early += early ? 1 : 0;
      o.carbon_g += r.carbon_g;
      o.cost_usd += r.cost_usd;
      o.last_dispatch_step = std::max(o.last_dispatch_step, t);
      o.last_finish_step = std::max(o.last_finish_step, t + e.length);
      o.rows.push_back(r);
    }
    for (const std::size_t s : survivors)
      push(s);
    // End of step t: faithful releases jobs finishing at t; clean makes the cores of jobs
    // finishing at t + 1 usable at the start of step t + 1.
    const std::int64_t until = faithful ? t : t + 1;
    for (auto it = running.begin(); it != running.end();)
      if (it->first <= until) {
        free += it->second;
        it = running.erase(it);
      } else {
        ++it;
      }
  }
  o.fee_steps = faithful ? o.last_dispatch_step : o.last_finish_step;
  o.cost_reserved_fee_usd = static_cast<double>(spec.reserved_cores) * kReservedShareOfOnDemand *
                            static_cast<double>(o.fee_steps) * (kOnDemandUsdPerCoreHour / 720.0);
  o.cost_usd += o.cost_reserved_fee_usd;
  return o;
}

struct Case {
  CarbonSteps ci;
  Workload w;
  Waits waits;
};

Case random_case(std::mt19937_64& rng) {
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  Case c;
  // 14 hours from a few values: many exact ties between hours and windows.
  std::vector<double> v;
  for (int h = 0; h < 14; ++h)
    v.push_back(static_cast<double>(100 * uni(1, 4)));
  c.ci = carbon_steps(v);
  // Arrivals clumped on a few steps (heap ties), lengths on both sides of 1440.
  std::vector<std::int64_t> arrivals;
  const std::int64_t n = uni(3, 24);
  for (std::int64_t i = 0; i < n; ++i)
    arrivals.push_back(uni(0, 5) * uni(0, 600));
  std::sort(arrivals.begin(), arrivals.end());
  std::vector<TraceJob> t;
  for (const std::int64_t a : arrivals)
    t.push_back(TraceJob{static_cast<double>(a * 5 + uni(0, 4)),
                         static_cast<double>(uni(1, 2200) * 5 + uni(0, 4)), uni(1, 3)});
  c.w = make_workload(t);
  c.waits = Waits{uni(0, 2), uni(0, 3)};
  return c;
}

TEST(GaiaEventDriven, EqualsTheStepLoopBitForBit) {
  std::mt19937_64 rng(20240427);
  const std::vector<std::pair<Mode, Policy>> modes = {
      {Mode::carbon, Policy::oracle},
      {Mode::carbon, Policy::lowest},
      {Mode::carbon_spot, Policy::cst_average},
      {Mode::carbon_cost, Policy::cst_oracle},
      {Mode::carbon_cost, Policy::waiting},
      {Mode::carbon_cost_spot, Policy::cst_average},
      {Mode::cost, Policy::none},
      {Mode::suspend_resume, Policy::none},
      {Mode::suspend_resume_threshold, Policy::none},
      {Mode::suspend_resume_spot_threshold, Policy::none},
      {Mode::suspend_resume_spot, Policy::none},
  };
  int compared = 0, with_ties = 0;
  for (int k = 0; k < 40; ++k) {
    const Case c = random_case(rng);
    for (const auto& [m, p] : modes) {
      const Decisions d = decide(c.ci, c.w, decision_kind(m), p, c.waits);
      for (const Variant v : {Variant::faithful, Variant::clean}) {
        const std::int64_t R = std::uniform_int_distribution<std::int64_t>(0, 5)(rng);
        const RunSpec spec{m, R, v};
        const Outcome fast = simulate(c.ci, c.w, d, spec);
        const Outcome slow = step_loop(c.ci, c.w, d, spec);
        SCOPED_TRACE("case " + std::to_string(k) + " " + to_string(m) + " " + to_string(v) +
                     " R=" + std::to_string(R));
        ASSERT_EQ(fast.rows.size(), slow.rows.size());
        for (std::size_t i = 0; i < fast.rows.size(); ++i)
          ASSERT_EQ(fast.rows[i], slow.rows[i]) << "row " << i;
        EXPECT_EQ(fast.carbon_g, slow.carbon_g);
        EXPECT_EQ(fast.cost_usd, slow.cost_usd);
        EXPECT_EQ(fast.fee_steps, slow.fee_steps);
        EXPECT_EQ(fast.n_early, slow.n_early);
        ++compared;
        for (std::size_t i = 1; i < fast.rows.size(); ++i)
          if (fast.rows[i].arrival == fast.rows[i - 1].arrival) {
            ++with_ties;
            break;
          }
      }
    }
  }
  EXPECT_EQ(compared, 40 * 11 * 2);
  EXPECT_GT(with_ties, 100); // the cases do exercise equal keys
}

// ---- fast decisions against their definitions --------------------------------------------------

TEST(GaiaDecisions, WindowChoicesEqualTheirDefinition) {
  // Hours from {100, 200} repeat, so many candidate windows tie exactly: the bounds must
  // hand those to the exact sums and pick as the definition does.
  std::mt19937_64 rng(7);
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  int checked = 0;
  for (int k = 0; k < 300; ++k) {
    std::vector<double> v;
    for (int h = 0; h < 40; ++h)
      v.push_back(static_cast<double>(100 * uni(1, 2)) + (uni(0, 3) == 0 ? 0.01 : 0.0));
    const CarbonSteps ci = carbon_steps(v);
    const std::int64_t t = uni(0, 3000), L = uni(1, 6000), E = uni(1, 6000),
                       W = 720 * uni(0, 24) + (uni(0, 1) ? 0 : uni(0, 719)), c = uni(1, 4);
    for (const Policy p : {Policy::lowest, Policy::oracle, Policy::waiting, Policy::cst_oracle,
                           Policy::cst_average}) {
      if (t + std::max(L, E) + W >= ci.horizon())
        continue;
      EXPECT_EQ(choose_offset(ci, p, t, L, E, W, c),
                choose_offset_by_definition(ci, p, t, L, E, W, c))
          << to_string(p) << " t=" << t << " L=" << L << " E=" << E << " W=" << W;
      ++checked;
    }
  }
  EXPECT_GT(checked, 500);
}

TEST(GaiaDecisions, SuspendPiecesEqualTheirDefinition) {
  // WaitAwhile: sort every step of the window by (value, step) and take L. Ecovisor: θ from
  // all sorted step values with numpy's formula, then the walk step by step.
  std::mt19937_64 rng(11);
  auto uni = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  auto as_pieces = [](const std::vector<char>& marked, std::int64_t t) {
    std::vector<Piece> out;
    for (std::size_t i = 0; i < marked.size(); ++i) {
      if (!marked[i])
        continue;
      const auto s = static_cast<std::int64_t>(i);
      if (!out.empty() && out.back().offset + out.back().length == s - t)
        ++out.back().length;
      else
        out.push_back(Piece{s - t, 1});
    }
    return out;
  };
  for (int k = 0; k < 200; ++k) {
    std::vector<double> v;
    for (int h = 0; h < 30; ++h)
      v.push_back(static_cast<double>(50 * uni(1, 6)));
    const CarbonSteps ci = carbon_steps(v);
    const std::int64_t t = uni(0, 8000), L = uni(1, 3000), W = uni(0, 6000);
    if (t + L + W > ci.horizon())
      continue;
    // WaitAwhile
    std::vector<std::int64_t> steps;
    for (std::int64_t s = t; s < t + L + W; ++s)
      steps.push_back(s);
    std::stable_sort(steps.begin(), steps.end(),
                     [&](std::int64_t a, std::int64_t b) { return ci.at(a) < ci.at(b); });
    std::vector<char> marked(static_cast<std::size_t>(ci.horizon()), 0);
    for (std::int64_t i = 0; i < L; ++i)
      marked[static_cast<std::size_t>(steps[static_cast<std::size_t>(i)])] = 1;
    EXPECT_EQ(wait_awhile_pieces(ci, t, L, W), as_pieces(marked, t)) << "t=" << t;
    // Ecovisor
    std::vector<double> day;
    for (std::int64_t s = t; s < std::min(t + 17280, ci.horizon()); ++s)
      day.push_back(ci.at(s));
    std::sort(day.begin(), day.end());
    const double vi = static_cast<double>(day.size() - 1) * 0.3;
    const auto lo = static_cast<std::size_t>(vi);
    const std::size_t hi = std::min(lo + 1, day.size() - 1);
    const double g = vi - static_cast<double>(lo), diff = day[hi] - day[lo];
    const double theta = g >= 0.5 ? day[hi] - diff * (1 - g) : day[lo] + diff * g;
    EXPECT_EQ(ecovisor_threshold(ci, t), theta);
    std::fill(marked.begin(), marked.end(), 0);
    std::int64_t budget = W, done = 0;
    for (std::int64_t s = t; done < L; ++s) {
      if (ci.at(s) < theta || budget <= 0) {
        marked[static_cast<std::size_t>(s)] = 1;
        ++done;
      } else {
        --budget;
      }
    }
    EXPECT_EQ(ecovisor_pieces(ci, t, L, W), as_pieces(marked, t)) << "t=" << t;
  }
}

} // namespace
} // namespace cfsim::gaia
