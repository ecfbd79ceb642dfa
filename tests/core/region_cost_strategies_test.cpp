// region_shift and cost_carbon (core/strategies/), by hand on hourly 4-cell traces. The engine
// gives a strategy a JobContext: the candidate regions with their forecast views and prices,
// the reserved capacity's occupancy and the spot model; here the tests build it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cfsim/capacity.hpp"
#include "cfsim/error.hpp"
#include "strategy_test_support.hpp"

namespace cfsim {
namespace {

using namespace test;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Trace four(std::vector<double> values) {
  Trace t;
  t.grid = TimeGrid{T0, H, 4};
  t.values = std::move(values);
  t.known.assign(4, 1);
  return t;
}

// The view the engine would give: [arrival, arrival + horizon) clipped to the period.
ForecastView view_of(const Trace& t, const Job& j, const JobStrategy& s) {
  return t.view(j.arrival_s, std::min(j.arrival_s + s.horizon_s(j), t.grid.end_s()));
}

RegionOption region(const std::string& name, const Trace& t, const Job& j, const JobStrategy& s,
                    double latency_ms = kNaN, const std::string& sovereignty = "",
                    double usd_per_h = 1.0) {
  return RegionOption{name, usd_per_h, latency_ms, sovereignty, view_of(t, j, s)};
}

// Places `j` with `ctx` and checks the placement contract (strategy_test_support.hpp).
Placement place_in(const JobStrategy& s, const Job& j, const JobContext& ctx) {
  Placement p = s.place_with(j, ctx);
  expect_valid(j, p);
  EXPECT_LT(p.region, ctx.regions.size());
  return p;
}

std::unique_ptr<JobStrategy> region_shift(Value::Object params = {}) {
  return make_job_strategy("region_shift", Value(std::move(params)));
}
std::unique_ptr<JobStrategy> cost_carbon(double alpha) {
  return make_job_strategy("cost_carbon", params({{"alpha", Value(alpha)}}));
}

// ---- region_shift ----------------------------------------------------------------------------

// Two regions, 4 cells, a 1-h job arriving at 0 that may wait 3 h:
//   home   5 6 7 8   → its lowest window starts at 0 (5)
//   other  6 4 9 2   → its lowest window starts at 3h (2)
// With time shifting the other region at 3h wins (2 < 5); without, the arrival windows compare
// 5 (home) with 6 (other): home.
TEST(StrategyRegionShift, PicksTheCleanerRegionOnTwoRegionsOfFourCells) {
  const Trace home = four({5, 6, 7, 8}), other = four({6, 4, 9, 2});
  const Job j = job(T0, H, 3 * H);
  const auto shift = region_shift();
  JobContext ctx;
  ctx.regions = {region("r-home", home, j, *shift), region("r-other", other, j, *shift)};
  Placement p = place_in(*shift, j, ctx);
  EXPECT_EQ(p.region, 1u);
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
  EXPECT_EQ(p.capacity, PurchaseOption::on_demand);
  EXPECT_FALSE(p.blind);

  const auto now = region_shift({{"shift_time", Value(false)}});
  ctx.regions = {region("r-home", home, j, *now), region("r-other", other, j, *now)};
  p = place_in(*now, j, ctx);
  EXPECT_EQ(p.region, 0u);
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + H)}));
}

// Ties go to the earliest listed region, home first: both 5 at the arrival.
TEST(StrategyRegionShift, TiesGoToTheEarliestListedHomeFirst) {
  const Trace home = four({5, 9, 9, 9}), a = four({5, 9, 9, 9}), b = four({5, 9, 9, 9});
  const Job j = job(T0, H, 3 * H);
  const auto s = region_shift();
  JobContext ctx;
  ctx.regions = {region("h", home, j, *s), region("a", a, j, *s), region("b", b, j, *s)};
  EXPECT_EQ(place_in(*s, j, ctx).region, 0u);
  const Trace home_dirty = four({6, 9, 9, 9});
  ctx.regions[0] = region("h", home_dirty, j, *s);
  EXPECT_EQ(place_in(*s, j, ctx).region, 1u); // a before b
}

// The allow-list. Candidates (flat traces): a 1 g/kWh at 50 ms "eu"; b 2 at 10 ms "us";
// c 3 at 15 ms "eu"; home 5 is always allowed.
TEST(StrategyRegionShift, LatencyAndSovereigntyFilterTheCandidates) {
  const Trace home = four({5, 5, 5, 5}), a = four({1, 1, 1, 1}), b = four({2, 2, 2, 2}),
              c = four({3, 3, 3, 3});
  const Job j = job(T0, H, 0);
  const auto chosen = [&](Value::Object params) {
    const auto s = region_shift(std::move(params));
    JobContext ctx;
    ctx.regions = {region("home", home, j, *s), region("a", a, j, *s, 50, "eu"),
                   region("b", b, j, *s, 10, "us"), region("c", c, j, *s, 15, "eu")};
    return place_in(*s, j, ctx).region;
  };
  EXPECT_EQ(chosen({}), 1u);
  EXPECT_EQ(chosen({{"max_latency_ms", Value(20)}}), 2u);
  EXPECT_EQ(chosen({{"sovereignty", Value("eu")}}), 1u);
  EXPECT_EQ(chosen({{"max_latency_ms", Value(20)}, {"sovereignty", Value("eu")}}), 3u);
  EXPECT_EQ(chosen({{"max_latency_ms", Value(5)}, {"sovereignty", Value("eu")}}), 0u);
}

// A filter on an attribute a candidate does not state is an error naming it (No-Fallback).
TEST(StrategyRegionShift, AFilterOnAnUnstatedAttributeIsAnError) {
  const Trace home = four({5, 5, 5, 5}), a = four({1, 1, 1, 1});
  const Job j = job(T0, H, 0);
  for (const auto& [key, value] : {std::pair<std::string, Value>{"max_latency_ms", Value(20)},
                                   std::pair<std::string, Value>{"sovereignty", Value("eu")}}) {
    const auto s = region_shift({{key, value}});
    JobContext ctx;
    ctx.regions = {region("home", home, j, *s), region("eu-west-3", a, j, *s)};
    try {
      (void)s->place_with(j, ctx);
      ADD_FAILURE() << key << ": no error";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("eu-west-3"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
}

// Unknown data: the other region's windows are unknown → not scored, home chosen, blind.
TEST(StrategyRegionShift, UnknownCandidateWindowsAreNotScored) {
  const Trace home = four({5, 6, 7, 8});
  Trace other = four({1, 1, 1, 1});
  other.known = {0, 0, 0, 0};
  const Job j = job(T0, H, 3 * H);
  const auto s = region_shift();
  JobContext ctx;
  ctx.regions = {region("home", home, j, *s), region("other", other, j, *s)};
  const Placement p = place_in(*s, j, ctx);
  EXPECT_EQ(p.region, 0u);
  EXPECT_EQ(p.pieces, Pieces({iv(T0, T0 + H)}));
  EXPECT_TRUE(p.blind);
}

// Without a context (`place`), region_shift is lowest_window at home.
TEST(StrategyRegionShift, PlaceAloneIsLowestWindowAtHome) {
  const Job j = job(T0, H, 4 * H);
  const Placement p = place(*region_shift(), j); // 5 3 8 1 1 …: the 1 at 3h
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
  EXPECT_EQ(p.region, 0u);
}

TEST(StrategyRegionShift, BadParametersNameTheAllowedOnes) {
  EXPECT_THROW(region_shift({{"max_latency_ms", Value(-1)}}), ConfigError);
  EXPECT_THROW(region_shift({{"sovereignty", Value("")}}), ConfigError);
  try {
    region_shift({{"latency", Value(5)}});
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("max_latency_ms"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("shift_time"), std::string::npos) << e.what();
  }
}

// ---- cost_carbon -----------------------------------------------------------------------------

// The worked example. Cells 5 3 8 1; a 1-vCPU, 1-h job at 0 may wait 3 h; on-demand 1 $/h;
// 1 reserved vCPU, busy in cells 2 and 3 (an earlier job), so reserved is free at 0 and 1h.
// cost_ref = 1 $ (on demand at arrival), carbon_ref = 5 (× 3600 s × power, which cancels).
//   candidate          cost  carbon   score α·cost + (1 − α)·carbon (normalised)
//   reserved @0         0    5/5 = 1   (1 − α)
//   reserved @1h        0    3/5       0.6 (1 − α)
//   on-demand @3h       1    1/5       α + 0.2 (1 − α)
//   (on-demand @0, @1h, @2h are dominated by reserved or by on-demand @3h)
// α = 0    → on-demand @3h (0.2): the carbon-optimal start
// α = 0.25 → on-demand @3h (0.25 + 0.15 = 0.40 < 0.45)
// α = 0.5  → reserved @1h  (0.30 < 0.5 (reserved @0) < 0.6 (on-demand @3h))
// α = 0.75 → reserved @1h  (0.15 < 0.25)
// α = 1    → reserved @0   (cost 0, earliest): the cheapest
struct Chosen {
  PurchaseOption capacity;
  TimeS start;
};
Chosen worked_example(double alpha, bool reserved_busy_all = false) {
  const Trace t = four({5, 3, 8, 1});
  Job j = job(T0, H, 3 * H);
  const auto s = cost_carbon(alpha);
  ReservedTimeline reserved(t.grid, 1);
  reserved.commit(T0 + (reserved_busy_all ? 0 : 2 * H), T0 + 4 * H, 1);
  JobContext ctx;
  ctx.regions = {region("home", t, j, *s)};
  ctx.reserved = &reserved;
  ctx.instance_share = 1;
  const Placement p = place_in(*s, j, ctx);
  EXPECT_EQ(p.region, 0u);
  return {p.capacity, p.pieces.front().start_s - T0};
}

TEST(StrategyCostCarbon, AlphaZeroIsCarbonOptimalAlphaOneIsCheapest) {
  Chosen c = worked_example(0.0);
  EXPECT_EQ(c.capacity, PurchaseOption::on_demand);
  EXPECT_EQ(c.start, 3 * H);
  c = worked_example(1.0);
  EXPECT_EQ(c.capacity, PurchaseOption::reserved);
  EXPECT_EQ(c.start, 0);
}

TEST(StrategyCostCarbon, HalfAndHalfByHand) {
  Chosen c = worked_example(0.5);
  EXPECT_EQ(c.capacity, PurchaseOption::reserved);
  EXPECT_EQ(c.start, H);
  c = worked_example(0.25);
  EXPECT_EQ(c.capacity, PurchaseOption::on_demand);
  EXPECT_EQ(c.start, 3 * H);
}

// Reserved is used first when it is free (α = 1: cost 0 beats on-demand), not when it is busy
// over the whole window (then on-demand at the arrival, the earliest of equal costs).
TEST(StrategyCostCarbon, ReservedFirstWhenFreeNotWhenBusy) {
  Chosen c = worked_example(1.0);
  EXPECT_EQ(c.capacity, PurchaseOption::reserved);
  c = worked_example(1.0, true);
  EXPECT_EQ(c.capacity, PurchaseOption::on_demand);
  EXPECT_EQ(c.start, 0);
  // Equal carbon: α = 0 with reserved free everywhere takes reserved at the cleanest start.
  const Trace t = four({5, 3, 8, 1});
  const Job j = job(T0, H, 3 * H);
  const auto s = cost_carbon(0.0);
  ReservedTimeline reserved(t.grid, 1);
  JobContext ctx;
  ctx.regions = {region("home", t, j, *s)};
  ctx.reserved = &reserved;
  const Placement p = place_in(*s, j, ctx);
  EXPECT_EQ(p.capacity, PurchaseOption::reserved);
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
}

// The α sweep of the worked example is a Pareto front: cost non-increasing, carbon
// non-decreasing as α grows (costs 1 1 0 0 0, carbon 1 1 3 3 5).
TEST(StrategyCostCarbon, AlphaSweepIsMonotone) {
  const std::vector<double> carbon_of_cell = {5, 3, 8, 1};
  double last_cost = std::numeric_limits<double>::infinity(), last_carbon = -1;
  std::vector<double> costs, carbons;
  for (double alpha : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    const Chosen c = worked_example(alpha);
    const double cost = c.capacity == PurchaseOption::reserved ? 0.0 : 1.0;
    const double carbon = carbon_of_cell[static_cast<std::size_t>(c.start / H)];
    EXPECT_LE(cost, last_cost) << alpha;
    EXPECT_GE(carbon, last_carbon) << alpha;
    last_cost = cost;
    last_carbon = carbon;
    costs.push_back(cost);
    carbons.push_back(carbon);
  }
  EXPECT_EQ(costs, (std::vector<double>{1, 1, 0, 0, 0}));
  EXPECT_EQ(carbons, (std::vector<double>{1, 1, 3, 3, 5}));
}

// Spot's expected rework, by hand. Cells 5 3 8 1; a 2-h job at 0, no wait; on-demand 1 $/h, spot
// 0.3 × on-demand; p = 0.5/h, no checkpoints, restart on demand. First order:
//   interrupted at 1h (0.5): spot [0, 1h) 0.3 $ + on demand [1h, 3h) 2 $; carbon 5 + 3 + 8 = 16
//   not interrupted (0.5):   spot [0, 2h) 0.6 $;                        carbon 5 + 3 = 8
//   E[cost] = 1.45 $, E[carbon] = 12; on demand: 2 $, 8.
// Normalised: on demand 1 for every α; spot 0.725 α + 1.5 (1 − α), below 1 iff α > 0.645.
//   α = 0.5:  spot 0.3625 + 0.75 = 1.1125 > 1 → on demand
//   α = 0.75: spot 0.54375 + 0.375 = 0.91875 < 1 → spot
TEST(StrategyCostCarbon, SpotCarriesItsExpectedRework) {
  const Trace t = four({5, 3, 8, 1});
  const Job j = job(T0, 2 * H, 0);
  JobCapacity cap;
  cap.spot_fraction = 0.3;
  cap.interruption_per_h = 0.5;
  cap.restart_on = PurchaseOption::on_demand;
  const auto chosen = [&](double alpha) {
    const auto s = cost_carbon(alpha);
    JobContext ctx;
    ctx.regions = {region("home", t, j, *s)};
    ctx.spot = &cap;
    ctx.instance_share = 1;
    return place_in(*s, j, ctx).capacity;
  };
  EXPECT_EQ(chosen(0.0), PurchaseOption::on_demand);
  EXPECT_EQ(chosen(0.5), PurchaseOption::on_demand);
  EXPECT_EQ(chosen(0.75), PurchaseOption::spot);
  EXPECT_EQ(chosen(1.0), PurchaseOption::spot);
  // Never interrupted, spot ties on-demand on carbon and wins the tie (spot before on-demand).
  cap.interruption_per_h = 0;
  EXPECT_EQ(chosen(0.0), PurchaseOption::spot);
}

// Unknown carbon: with α < 1 unknown windows are not scored (blind); with α = 1 carbon is not
// needed. Cell 3 unknown: α = 0 picks the 3 at 1h instead of the unknown cell.
TEST(StrategyCostCarbon, UnknownWindowsAreNotScored) {
  Trace t = four({5, 3, 8, 1});
  t.known = {1, 1, 1, 0};
  const Job j = job(T0, H, 3 * H);
  const auto s = cost_carbon(0.0);
  JobContext ctx;
  ctx.regions = {region("home", t, j, *s)};
  const Placement p = place_in(*s, j, ctx);
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + H, T0 + 2 * H)}));
  EXPECT_TRUE(p.blind);
  // Nothing known: decided on cost alone, at the arrival on demand, blind.
  t.known = {0, 0, 0, 0};
  ctx.regions = {region("home", t, j, *s)};
  const Placement q = place_in(*s, j, ctx);
  EXPECT_EQ(q.pieces, Pieces({iv(T0, T0 + H)}));
  EXPECT_TRUE(q.blind);
}

TEST(StrategyCostCarbon, AlphaIsRequiredAndInZeroOne) {
  EXPECT_THROW(make_job_strategy("cost_carbon", Value()), ConfigError);
  EXPECT_THROW(cost_carbon(-0.1), ConfigError);
  EXPECT_THROW(cost_carbon(1.5), ConfigError);
  EXPECT_NO_THROW(cost_carbon(0.25));
}

// Existing strategies keep their behaviour through the context hook: on demand, home.
TEST(JobContextDefault, ExistingStrategiesRunOnDemandAtHome) {
  const Trace home = four({5, 3, 8, 1}), other = four({0, 0, 0, 0});
  const Job j = job(T0, H, 3 * H);
  const auto lw = make_job_strategy("lowest_window", Value());
  JobContext ctx;
  ctx.regions = {region("home", home, j, *lw), region("other", other, j, *lw)};
  const Placement p = place_in(*lw, j, ctx);
  EXPECT_EQ(p.region, 0u);
  EXPECT_EQ(p.capacity, PurchaseOption::on_demand);
  EXPECT_EQ(p.pieces, Pieces({iv(T0 + 3 * H, T0 + 4 * H)}));
}

} // namespace
} // namespace cfsim
