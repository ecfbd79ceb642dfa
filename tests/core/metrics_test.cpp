// The thesis's data-quality metrics (DESIGN §7; definitions in docs/metrics.md). Every known
// answer is worked by hand in the comment above its test, and the worked examples of
// docs/metrics.md are these tests. Traces, billing and the catalog are built in code: no disk.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cfsim/catalog.hpp"
#include "cfsim/cost_trace.hpp"
#include "cfsim/energy.hpp"
#include "cfsim/error.hpp"
#include "cfsim/metrics.hpp"

namespace cfsim {
namespace {

constexpr TimeS T0 = 1711929600; // 2024-04-01T00:00:00Z
constexpr TimeS H = 3600;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CostRecord usage(const std::string& resource, TimeS start, TimeS end, double billed,
                 const std::string& instance_type = "", const std::string& region = "us-east-1") {
  CostRecord r;
  r.charge_start_s = start;
  r.charge_end_s = end;
  r.resource_id = resource;
  r.service_name =
      instance_type.empty() ? "Amazon Simple Storage Service" : "Amazon Elastic Compute Cloud";
  r.region_id = region;
  r.charge_category = "Usage";
  r.pricing_category = "Standard";
  r.consumed_quantity = instance_type.empty() ? 1.0 : static_cast<double>(end - start) / 3600.0;
  r.consumed_unit = instance_type.empty() ? "GB" : "Hours";
  r.billed_cost = billed;
  r.effective_cost = billed;
  r.list_cost = billed;
  r.billing_currency = "USD";
  r.instance_type = instance_type;
  return r;
}

// Carbon samples on an hourly grid from T0: NaN = gap; `estimated` marks estimated cells.
GridSeries carbon(const std::vector<double>& g_per_kwh, const std::vector<bool>& estimated = {},
                  std::int64_t n = -1) {
  RawSeries raw;
  for (std::size_t i = 0; i < g_per_kwh.size(); ++i)
    if (!std::isnan(g_per_kwh[i]))
      raw.push(T0 + static_cast<TimeS>(i) * H, T0 + static_cast<TimeS>(i + 1) * H, g_per_kwh[i],
               i < estimated.size() && estimated[i] ? Quality::estimated : Quality::measured);
  return resample(raw, TimeGrid{T0, H, n < 0 ? static_cast<std::int64_t>(g_per_kwh.size()) : n});
}

// ---------------------------------------------------------------------------------------------
// TAC. The worked example of docs/metrics.md §1.
//
// Grid: 6 hourly cells from T0. Carbon points in cells 1, 2, 3 (0, 4, 5 are gaps).
// Resource i-a: hourly usage records starting in cells 0, 1, 2.
// Resource i-b: hourly usage records starting in cells 2 and 4.
// Left out: a Tax record (not_usage), a usage record without ResourceId (no_resource_id), a
// record of i-c at T0+10h (outside_period: i-c is not part of the fleet).
//
// offset  i-a cost / both        i-b cost / both    fleet TAC            any       all
//  −1 h   {0,1} / {1}   = 1/6    {1,3} / {1,3} = 2/6  (1/6+2/6)/2 = 1/4  {1,3} 2/6  {1} 1/6
//   0     {0,1,2}/{1,2} = 2/6    {2,4} / {2}   = 1/6  (2/6+1/6)/2 = 1/4  {1,2} 2/6  {2} 1/6
//  +1 h   {1,2,3}/{1,2,3}= 3/6   {3,5} / {3}   = 1/6  (3/6+1/6)/2 = 1/3  {1,2,3} 3/6 {3} 1/6
// (at −1 h i-a's cell-0 record moves before the period: its cost point is lost, not wrapped).
CostTrace tac_example_costs() {
  CostTrace t;
  for (const int c : {0, 1, 2})
    t.records.push_back(usage("i-a", T0 + c * H, T0 + (c + 1) * H, 0.1, "m5.large"));
  for (const int c : {2, 4})
    t.records.push_back(usage("i-b", T0 + c * H, T0 + (c + 1) * H, 0.1, "m5.large"));
  CostRecord tax = usage("", T0, T0 + 6 * H, 1.0);
  tax.charge_category = "Tax";
  t.records.push_back(tax);
  t.records.push_back(usage("", T0 + H, T0 + 2 * H, 0.01));
  t.records.push_back(usage("i-c", T0 + 10 * H, T0 + 11 * H, 0.1, "m5.large"));
  return t;
}

GridSeries tac_example_carbon() {
  return carbon({kNaN, 300, 310, 320, kNaN, kNaN});
}

TEST(Tac, WorkedExampleAtOffsetZero) {
  const TacResult r = time_alignment_coverage(tac_example_costs(), tac_example_carbon());
  EXPECT_EQ(r.cells, 6);
  EXPECT_EQ(r.carbon_cells, 3);
  ASSERT_EQ(r.resources.size(), 2u);
  EXPECT_EQ(r.resources[0].resource_id, "i-a");
  EXPECT_EQ(r.resources[0].cost_cells, 3);
  EXPECT_EQ(r.resources[0].both_cells, 2);
  EXPECT_DOUBLE_EQ(r.resources[0].tac, 2.0 / 6.0);
  EXPECT_EQ(r.resources[0].span_cells, 3); // cells 0..2
  EXPECT_DOUBLE_EQ(r.resources[0].tac_span, 2.0 / 3.0);
  EXPECT_EQ(r.resources[1].resource_id, "i-b");
  EXPECT_DOUBLE_EQ(r.resources[1].tac, 1.0 / 6.0);
  EXPECT_EQ(r.resources[1].span_cells, 3); // cells 2..4
  EXPECT_DOUBLE_EQ(r.resources[1].tac_span, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.fleet_tac, 0.25);
  EXPECT_DOUBLE_EQ(r.fleet_any, 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(r.fleet_all, 1.0 / 6.0);
  // 8 records: 5 used; Tax, no ResourceId and outside the period left out and counted.
  EXPECT_EQ(r.records.total, 8u);
  EXPECT_EQ(r.records.used, 5u);
  EXPECT_EQ(r.records.excluded.at("not_usage"), 1u);
  EXPECT_EQ(r.records.excluded.at("no_resource_id"), 1u);
  EXPECT_EQ(r.records.excluded.at("outside_period"), 1u);
}

TEST(Tac, LabelOffsetsMinusOneZeroPlusOneHour) {
  struct Case {
    TimeS offset;
    double a, b, fleet, any, all;
  };
  for (const Case& k : {Case{-H, 1.0 / 6, 2.0 / 6, 0.25, 2.0 / 6, 1.0 / 6},
                        Case{0, 2.0 / 6, 1.0 / 6, 0.25, 2.0 / 6, 1.0 / 6},
                        Case{H, 3.0 / 6, 1.0 / 6, 1.0 / 3, 3.0 / 6, 1.0 / 6}}) {
    SCOPED_TRACE("label offset " + std::to_string(k.offset) + " s");
    TacOptions opt;
    opt.label_offset_s = k.offset;
    const TacResult r = time_alignment_coverage(tac_example_costs(), tac_example_carbon(), opt);
    ASSERT_EQ(r.resources.size(), 2u); // the fleet does not change with the offset
    EXPECT_EQ(r.label_offset_s, k.offset);
    EXPECT_DOUBLE_EQ(r.resources[0].tac, k.a);
    EXPECT_DOUBLE_EQ(r.resources[1].tac, k.b);
    EXPECT_DOUBLE_EQ(r.fleet_tac, k.fleet);
    EXPECT_DOUBLE_EQ(r.fleet_any, k.any);
    EXPECT_DOUBLE_EQ(r.fleet_all, k.all);
  }
}

// A 2-hour record from T0+30min on an hourly grid overlaps cells 0, 1, 2 (rule overlap) but
// starts in cell 0 only (rule start). Carbon everywhere: TAC 3/4 vs 1/4 on a 4-cell grid.
TEST(Tac, OverlapAndStartRulesDifferForRecordsLongerThanACell) {
  CostTrace t;
  t.records.push_back(usage("i-x", T0 + H / 2, T0 + H / 2 + 2 * H, 0.2, "m5.large"));
  const GridSeries c = carbon({1, 1, 1, 1});
  EXPECT_DOUBLE_EQ(time_alignment_coverage(t, c).fleet_tac, 0.75);
  TacOptions start;
  start.rule = CostPointRule::start;
  EXPECT_DOUBLE_EQ(time_alignment_coverage(t, c, start).fleet_tac, 0.25);
}

// A filled carbon cell is not a carbon point unless asked: fills are not data (DESIGN §3).
TEST(Tac, FilledCarbonCellsAreNotCarbonPointsByDefault) {
  RawSeries raw;
  raw.push(T0, T0 + H, 100, Quality::measured);
  raw.push(T0 + H, T0 + 2 * H, 100, Quality::filled);
  const GridSeries c = resample(raw, TimeGrid{T0, H, 2});
  CostTrace t;
  t.records.push_back(usage("i-x", T0, T0 + 2 * H, 0.2, "m5.large"));
  EXPECT_DOUBLE_EQ(time_alignment_coverage(t, c).fleet_tac, 0.5);
  TacOptions opt;
  opt.filled_is_carbon = true;
  EXPECT_DOUBLE_EQ(time_alignment_coverage(t, c, opt).fleet_tac, 1.0);
}

TEST(Tac, LowLevelShareAndEmptyFleet) {
  EXPECT_DOUBLE_EQ(tac_share({true, true, false, true}, {true, false, true, true}), 0.5);
  EXPECT_TRUE(std::isnan(tac_share({}, {})));
  const TacResult r = time_alignment_coverage(CostTrace{}, carbon({1, 2}));
  EXPECT_TRUE(r.resources.empty());
  EXPECT_TRUE(std::isnan(r.fleet_tac)); // no resources: no figure, not 0
}

// ---------------------------------------------------------------------------------------------
// Cost-MAPE. Low level, worked example of docs/metrics.md §2:
//   modelled 1.0, 2.0, 0.5, 3.0; billed 0.8, 2.0, 0.0, 4.0
//   APE: |1 − 0.8|/0.8 = 0.25; 0; (billed 0: excluded, counted); |3 − 4|/4 = 0.25
//   MAPE = (0.25 + 0 + 0.25) / 3 = 16.667 %, max 25 %, 3 used, 1 zero-billed.
TEST(CostMape, ZeroBilledIntervalIsExcludedAndCounted) {
  const MapeResult m = cost_mape({1.0, 2.0, 0.5, 3.0}, {0.8, 2.0, 0.0, 4.0});
  EXPECT_EQ(m.pairs, 4u);
  EXPECT_EQ(m.used, 3u);
  EXPECT_EQ(m.zero_billed, 1u);
  EXPECT_NEAR(m.mape_pct, 100.0 / 6.0, 1e-12);
  EXPECT_NEAR(m.max_ape_pct, 25.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.modelled_total, 6.0);
  EXPECT_DOUBLE_EQ(m.billed_total, 6.8);
}

TEST(CostMape, CreditsAndUnknownsAreCountedApart) {
  const MapeResult m = cost_mape({1.0, 1.0, kNaN, 1.0}, {-0.5, kNaN, 1.0, 2.0});
  EXPECT_EQ(m.negative_billed, 1u);
  EXPECT_EQ(m.unknown, 2u);
  EXPECT_EQ(m.used, 1u);
  EXPECT_DOUBLE_EQ(m.mape_pct, 50.0);
  const MapeResult none = cost_mape({1.0}, {0.0});
  EXPECT_TRUE(std::isnan(none.mape_pct)); // nothing to average: no figure, not 0 %
}

Catalog priced_catalog() {
  Catalog c;
  InstanceType m5;
  m5.name = "m5.large";
  m5.family = "m5";
  m5.vcpus = 2;
  m5.memory_gb = 8;
  m5.on_demand_usd_per_h = {{"us-east-1", 0.096}};
  c.instances[m5.name] = m5;
  return c;
}

// Over billing, worked example of docs/metrics.md §2. Catalog: m5.large 0.096 USD/h in
// us-east-1. Grid: 3 hourly cells from T0.
//   i-1 [T0, T0+1h)        billed 0.096 → modelled 0.096            APE 0
//   i-1 [T0+1h, T0+2h)     billed 0.12  → modelled 0.096            APE 0.024/0.12 = 0.2
//   i-2 [T0, T0+1h)        Committed, billed 0 → modelled 0.096     zero-billed (counted)
//   i-5 [T0+30m, T0+2h30m) billed 0.24 over 2 h, pro rata 1/4, 1/2, 1/4:
//        cell 0: 0.048 vs 0.06, cell 1: 0.096 vs 0.12, cell 2: 0.048 vs 0.06   APE 0.2 each
//   left out: i-3 in eu-north-1 (no_region_price), vol-1 (no_instance_type), i-4 x9.huge
//   (unknown_instance_type), a Tax row (not_usage).
//   MAPE = (0 + 4 × 0.2) / 5 = 16 %; 1 zero-billed pair.
CostTrace mape_example_costs() {
  CostTrace t;
  t.records.push_back(usage("i-1", T0, T0 + H, 0.096, "m5.large"));
  t.records.push_back(usage("i-1", T0 + H, T0 + 2 * H, 0.12, "m5.large"));
  CostRecord committed = usage("i-2", T0, T0 + H, 0.0, "m5.large");
  committed.pricing_category = "Committed";
  t.records.push_back(committed);
  t.records.push_back(usage("i-5", T0 + H / 2, T0 + H / 2 + 2 * H, 0.24, "m5.large"));
  t.records.push_back(usage("i-3", T0, T0 + H, 0.1, "m5.large", "eu-north-1"));
  t.records.push_back(usage("vol-1", T0, T0 + H, 0.01));
  t.records.push_back(usage("i-4", T0, T0 + H, 9.0, "x9.huge"));
  CostRecord tax = usage("", T0, T0 + 3 * H, 0.5);
  tax.charge_category = "Tax";
  t.records.push_back(tax);
  return t;
}

TEST(CostMape, OverBillingAndCatalogWorkedExample) {
  const CostMapeResult r = cost_mape(mape_example_costs(), priced_catalog(), TimeGrid{T0, H, 3});
  ASSERT_EQ(r.pairs.size(), 6u);
  EXPECT_EQ(r.pairs[0].resource_id, "i-1");
  EXPECT_EQ(r.pairs[0].cell, 0);
  EXPECT_DOUBLE_EQ(r.pairs[0].modelled_usd, 0.096);
  EXPECT_EQ(r.pairs[3].resource_id, "i-5");
  EXPECT_NEAR(r.pairs[3].modelled_usd, 0.048, 1e-15);
  EXPECT_NEAR(r.pairs[3].billed_usd, 0.06, 1e-15);
  EXPECT_EQ(r.mape.used, 5u);
  EXPECT_EQ(r.mape.zero_billed, 1u);
  EXPECT_NEAR(r.mape.mape_pct, 16.0, 1e-9);
  EXPECT_EQ(r.records.total, 8u);
  EXPECT_EQ(r.records.used, 4u);
  EXPECT_EQ(r.records.excluded.at("no_region_price"), 1u);
  EXPECT_EQ(r.records.excluded.at("no_instance_type"), 1u);
  EXPECT_EQ(r.records.excluded.at("unknown_instance_type"), 1u);
  EXPECT_EQ(r.records.excluded.at("not_usage"), 1u);
}

// EffectiveCost 0 for covered usage (DESIGN §7): with that column, i-1's first hour is also
// zero-billed, leaving the four 0.2 pairs: MAPE 20 %, 2 zero-billed.
TEST(CostMape, ChosenColumnChangesWhatIsZeroBilled) {
  CostTrace t = mape_example_costs();
  t.records[0].effective_cost = 0.0;
  CostMapeOptions opt;
  opt.column = CostColumn::effective;
  const CostMapeResult r = cost_mape(t, priced_catalog(), TimeGrid{T0, H, 3}, opt);
  EXPECT_EQ(r.mape.zero_billed, 2u);
  EXPECT_EQ(r.mape.used, 4u);
  EXPECT_NEAR(r.mape.mape_pct, 20.0, 1e-9);
  // A NULL in the chosen column is unknown, not zero: the record is left out and counted.
  t.records[1].effective_cost = kNaN;
  const CostMapeResult u = cost_mape(t, priced_catalog(), TimeGrid{T0, H, 3}, opt);
  EXPECT_EQ(u.records.excluded.at("cost_unknown"), 1u);
}

// An instance that ran 15 min of its hourly charge period (ConsumedQuantity 0.25 Hours, billed
// 0.024): the charge-period model prices the whole hour, 0.096 → APE 300 %; the consumed-
// quantity model prices 0.25 h → 0.024, APE 0.
TEST(CostMape, ConsumedQuantityHoursOption) {
  CostTrace t;
  CostRecord r = usage("i-9", T0, T0 + H, 0.024, "m5.large");
  r.consumed_quantity = 0.25;
  t.records.push_back(r);
  EXPECT_NEAR(cost_mape(t, priced_catalog(), TimeGrid{T0, H, 1}).mape.mape_pct, 300.0, 1e-9);
  CostMapeOptions opt;
  opt.hours = ModelHours::consumed_quantity;
  EXPECT_NEAR(cost_mape(t, priced_catalog(), TimeGrid{T0, H, 1}, opt).mape.mape_pct, 0.0, 1e-9);
  t.records[0].consumed_unit = "GB";
  EXPECT_EQ(cost_mape(t, priced_catalog(), TimeGrid{T0, H, 1}, opt)
                .records.excluded.at("no_consumed_hours"),
            1u);
}

// ---------------------------------------------------------------------------------------------
// Availability. Worked example of docs/metrics.md §3: grid 4 hourly cells from T0 (14,400 s).
//   [T0−30m, T0+30m) measured  → 1,800 s inside the period
//   [T0+30m, T0+1h)  measured  → 1,800 s
//   [T0+1h, T0+1h30) estimated → 1,800 s
//   [T0+1h30, T0+2h) missing (explicit), [T0+2h, T0+3h) gap
//   [T0+3h, T0+4h)   filled    → 3,600 s
// measured 3,600/14,400 = 0.25; estimated 0.125; filled 0.25; missing (1,800+3,600)/14,400 =
// 0.375; sum 1. Five samples overlap the period; the most common duration is 30 min (3 of 5).
RawSeries availability_example() {
  RawSeries raw;
  raw.push(T0 - H / 2, T0 + H / 2, 200, Quality::measured);
  raw.push(T0 + H / 2, T0 + H, 210, Quality::measured);
  raw.push(T0 + H, T0 + H + H / 2, 220, Quality::estimated);
  raw.push(T0 + H + H / 2, T0 + 2 * H, kNaN, Quality::missing);
  raw.push(T0 + 3 * H, T0 + 4 * H, 230, Quality::filled);
  return raw;
}

TEST(Availability, SharesOfThePeriodSumToOne) {
  const Availability a = availability(availability_example(), TimeGrid{T0, H, 4});
  EXPECT_DOUBLE_EQ(a.measured, 0.25);
  EXPECT_DOUBLE_EQ(a.estimated, 0.125);
  EXPECT_DOUBLE_EQ(a.filled, 0.25);
  EXPECT_DOUBLE_EQ(a.missing, 0.375);
  EXPECT_DOUBLE_EQ(a.present() + a.missing, 1.0);
  EXPECT_EQ(a.samples, 5u);
  EXPECT_EQ(a.samples_measured, 2u);
  EXPECT_EQ(a.samples_estimated, 1u);
  EXPECT_EQ(a.samples_missing, 1u);
  EXPECT_EQ(a.samples_filled, 1u);
  EXPECT_EQ(a.nominal_step_s, H / 2);
  EXPECT_EQ(a.period_s, 4 * H);
}

// The same shares from the resampled series (cell 0 measured, cell 1 half estimated, cell 2
// empty, cell 3 filled).
TEST(Availability, GridSeriesGivesTheSameShares) {
  const Availability a = availability(resample(availability_example(), TimeGrid{T0, H, 4}));
  EXPECT_DOUBLE_EQ(a.measured, 0.25);
  EXPECT_DOUBLE_EQ(a.estimated, 0.125);
  EXPECT_DOUBLE_EQ(a.filled, 0.25);
  EXPECT_DOUBLE_EQ(a.missing, 0.375);
}

// Availability is time-weighted: at 15-min cells the same trace gives the same shares.
TEST(Availability, SharesDoNotDependOnTheGridStep) {
  const Availability a = availability(availability_example(), TimeGrid{T0, 900, 16});
  EXPECT_DOUBLE_EQ(a.measured, 0.25);
  EXPECT_DOUBLE_EQ(a.missing, 0.375);
  EXPECT_EQ(a.cells, 16);
}

// ---------------------------------------------------------------------------------------------
// DPS. Worked example of docs/metrics.md §4. Carbon on 5 hourly cells from T0: cell 0
// measured, cell 1 estimated, cell 2 a gap, cell 3 half measured + half estimated, cell 4
// measured. Instance i-1 (m5.large, us-east-1) has instance-hour records in cells 0, 1, 3 and a
// data-transfer record in cell 2 (not runtime: no_instance_type). Column EffectiveCost, NULL
// in cell 1's record. Its intervals: cells 0..3 (first to last runtime cell), 4 intervals:
//   runtime  1, 1, 0, 1            → 0.75
//   price    1, 0, 0, 1 (bill)     → 0.5
//   emission 1, 0.5, 0, 0.5 + 0.5 × 0.5 = 0.75 → 2.25 / 4 = 0.5625 (estimated weighs 0.5)
//   DPS = 100 × (0.75 + 0.5 + 0.5625) / 3 = 60.41667
GridSeries dps_example_carbon() {
  RawSeries raw;
  raw.push(T0, T0 + H, 300, Quality::measured);
  raw.push(T0 + H, T0 + 2 * H, 310, Quality::estimated);
  raw.push(T0 + 3 * H, T0 + 3 * H + H / 2, 320, Quality::measured);
  raw.push(T0 + 3 * H + H / 2, T0 + 4 * H, 330, Quality::estimated);
  raw.push(T0 + 4 * H, T0 + 5 * H, 340, Quality::measured);
  return resample(raw, TimeGrid{T0, H, 5});
}

CostTrace dps_example_costs() {
  CostTrace t;
  for (const int c : {0, 1, 3})
    t.records.push_back(usage("i-1", T0 + c * H, T0 + (c + 1) * H, 0.096, "m5.large"));
  t.records[1].effective_cost = kNaN;
  t.records.push_back(usage("i-1", T0 + 2 * H, T0 + 3 * H, 0.01)); // data transfer
  return t;
}

TEST(Dps, LowLevelScoreWithEstimatedAtHalf) {
  const Dps d = data_precision_score({1, 1, 0, 1}, {1, 0, 0, 1}, {1, 0.5, 0, 0.75});
  EXPECT_EQ(d.intervals, 4);
  EXPECT_DOUBLE_EQ(d.runtime_coverage, 0.75);
  EXPECT_DOUBLE_EQ(d.price_coverage, 0.5);
  EXPECT_DOUBLE_EQ(d.emission_coverage, 0.5625);
  EXPECT_NEAR(d.score, 60.416666666666667, 1e-12);
  EXPECT_TRUE(std::isnan(data_precision_score({}, {}, {}).score));
}

TEST(Dps, EmissionCreditWeighsEstimatedAtHalf) {
  const GridSeries c = dps_example_carbon();
  EXPECT_DOUBLE_EQ(emission_credit(c, 0), 1.0);
  EXPECT_DOUBLE_EQ(emission_credit(c, 1), 0.5);
  EXPECT_DOUBLE_EQ(emission_credit(c, 2), 0.0);
  EXPECT_DOUBLE_EQ(emission_credit(c, 3), 0.75);
  EXPECT_DOUBLE_EQ(emission_credit(c, 3, DpsWeights{1.0, 0.0}), 1.0);
}

TEST(Dps, PerInstanceFromBillingWorkedExample) {
  InstanceDpsOptions opt;
  opt.column = CostColumn::effective;
  const DpsResult r =
      data_precision_scores(dps_example_costs(), dps_example_carbon(), nullptr, opt);
  ASSERT_EQ(r.instances.size(), 1u);
  const InstanceDps& d = r.instances[0];
  EXPECT_EQ(d.resource_id, "i-1");
  EXPECT_EQ(d.instance_type, "m5.large");
  EXPECT_EQ(d.first_cell, 0);
  EXPECT_EQ(d.last_cell, 3);
  EXPECT_DOUBLE_EQ(d.dps.runtime_coverage, 0.75);
  EXPECT_DOUBLE_EQ(d.dps.price_coverage, 0.5);
  EXPECT_DOUBLE_EQ(d.dps.emission_coverage, 0.5625);
  EXPECT_NEAR(d.dps.score, 60.416666666666667, 1e-12);
  EXPECT_NEAR(r.mean_score, 60.416666666666667, 1e-12);
  EXPECT_EQ(r.records.used, 3u);
  EXPECT_EQ(r.records.excluded.at("no_instance_type"), 1u);
}

// Price from the catalog (m5.large is priced in us-east-1): every runtime cell is priced, so
// price = 0.75 and DPS = 100 × (0.75 + 0.75 + 0.5625) / 3 = 68.75. Estimated weighing 1:
// emission (1 + 1 + 0 + 1) / 4 = 0.75 → 100 × (0.75 + 0.5 + 0.75) / 3 = 66.667.
TEST(Dps, CatalogPricesAndTheEstimatedWeightParameter) {
  const Catalog cat = priced_catalog();
  InstanceDpsOptions opt;
  opt.column = CostColumn::effective;
  opt.price = PriceSource::catalog;
  EXPECT_NEAR(data_precision_scores(dps_example_costs(), dps_example_carbon(), &cat, opt)
                  .instances[0]
                  .dps.score,
              68.75, 1e-12);
  InstanceDpsOptions w1;
  w1.column = CostColumn::effective;
  w1.weights.estimated = 1.0;
  EXPECT_NEAR(data_precision_scores(dps_example_costs(), dps_example_carbon(), nullptr, w1)
                  .instances[0]
                  .dps.score,
              200.0 / 3.0, 1e-12);
  EXPECT_THROW(data_precision_scores(dps_example_costs(), dps_example_carbon(), nullptr, opt),
               ConfigError);
}

// ---------------------------------------------------------------------------------------------
// Aggregation fidelity. Worked example of docs/metrics.md §5: over [T0, T0+4h) samples 100
// (measured), 200 (estimated), a missing hour, 300 → mean of the known hours (100 + 200 + 300)
// / 3 = 200, coverage 3/4, estimated 1/4. Against a published 190: +10/190 = +5.263 %; against
// 250: −20 %.
TEST(Fidelity, MeanOfKnownHoursAgainstAPublishedMean) {
  RawSeries raw;
  raw.push(T0, T0 + H, 100, Quality::measured);
  raw.push(T0 + H, T0 + 2 * H, 200, Quality::estimated);
  raw.push(T0 + 2 * H, T0 + 3 * H, kNaN, Quality::missing);
  raw.push(T0 + 3 * H, T0 + 4 * H, 300, Quality::measured);
  raw.push(T0 + 4 * H, T0 + 5 * H, 9999, Quality::measured); // outside the period
  const PeriodMean pm = period_mean(raw, Interval{T0, T0 + 4 * H});
  EXPECT_DOUBLE_EQ(pm.mean, 200.0);
  EXPECT_DOUBLE_EQ(pm.coverage, 0.75);
  EXPECT_DOUBLE_EQ(pm.estimated_share, 0.25);
  EXPECT_EQ(pm.samples, 3u);
  const Fidelity f = aggregation_fidelity(pm.mean, 190.0);
  EXPECT_NEAR(f.relative_difference, 10.0 / 190.0, 1e-15);
  EXPECT_NEAR(aggregation_fidelity(pm.mean, 250.0).relative_difference, -0.2, 1e-15);
  EXPECT_NEAR(aggregation_fidelity(pm.mean, 250.0).abs_relative_difference, 0.2, 1e-15);
  EXPECT_TRUE(std::isnan(aggregation_fidelity(1.0, 0.0).relative_difference));
}

// `date -u -d 2022-01-01 +%s` = 1640995200, `date -u -d 2023-01-01 +%s` = 1672531200: 8,760 h.
TEST(Fidelity, CalendarYearIsUtcJanuaryToJanuary) {
  const Interval y = calendar_year(2022);
  EXPECT_EQ(y.start_s, 1640995200);
  EXPECT_EQ(y.end_s, 1672531200);
  EXPECT_EQ(calendar_year(2020).duration_s(), 8784 * H); // leap year
}

// ---------------------------------------------------------------------------------------------
// kg CO2e per instance-month. Worked example of docs/metrics.md §6: 4 hourly cells, intensity
// 100, (gap), 300, 200 g/kWh; energy 2, 2, 0, 2 kWh (the instance is stopped in cell 2):
//   known = 2·100 + 2·200 = 600 g; missing energy 2 kWh (cell 1); observed range 100..300
//   bounds 600 + 2·100 = 800 g .. 600 + 2·300 = 1,200 g; coverage 1 − 2/6 = 2/3
//   with embodied 0.5 kg: total 1.1 kg (1.3 .. 1.7); period 4 h → × 730/4 = 182.5:
//   200.75 kg per instance-month (237.25 .. 310.25)
TEST(MetricKgPerInstance, OperationalPlusEmbodiedPerInstanceMonthWithBounds) {
  const InstanceCo2e k = instance_co2e({2, 2, 0, 2}, carbon({100, kNaN, 300, 200}), 0.5);
  EXPECT_DOUBLE_EQ(k.operational.known_g, 600.0);
  EXPECT_DOUBLE_EQ(k.operational.missing_energy_kwh, 2.0);
  EXPECT_NEAR(k.coverage(), 2.0 / 3.0, 1e-15);
  EXPECT_FALSE(k.complete());
  EXPECT_DOUBLE_EQ(k.period_h, 4.0);
  EXPECT_DOUBLE_EQ(k.total_kg, 1.1);
  EXPECT_DOUBLE_EQ(k.lower_kg, 1.3);
  EXPECT_DOUBLE_EQ(k.upper_kg, 1.7);
  EXPECT_NEAR(k.kg_per_instance_month, 200.75, 1e-12);
  EXPECT_NEAR(k.lower_kg_per_instance_month, 237.25, 1e-12);
  EXPECT_NEAR(k.upper_kg_per_instance_month, 310.25, 1e-12);
}

// DESIGN §5's m5.large hour (u = 0.5, PUE 1.135, 379.069 g/kWh): 3.1761 g operational +
// 0.9577 g embodied = 4.1338 g; one hour as the whole period → × 730 = 3.0177 kg per
// instance-month (DESIGN rounds to 4 decimals of a gram: tolerance 1e-4 kg).
TEST(MetricKgPerInstance, DesignWorkedExampleM5Large) {
  Catalog c;
  Microarch sky;
  sky.name = "Skylake";
  sky.min_w_per_vcpu = 0.65;
  sky.max_w_per_vcpu = 4.26;
  sky.per_chip_memory_gb = 81.32;
  c.microarchs[sky.name] = sky;
  c.families["m5"] = FamilyMax{96, 384};
  InstanceType m5;
  m5.name = "m5.large";
  m5.family = "m5";
  m5.vcpus = 2;
  m5.memory_gb = 8;
  m5.microarchs = {"Skylake"};
  m5.embodied_kg = 1610.79;
  c.instances[m5.name] = m5;
  const double kwh = energy_kwh(instance_power(c, m5, 0.5).total_w(), 1.0, 1.135);
  const InstanceCo2e k = instance_co2e({kwh}, carbon({379.069}), embodied_kg(c, m5, 1.0, 2));
  EXPECT_NEAR(k.operational.known_g, 3.1761, 1e-4);
  EXPECT_NEAR(k.embodied_kg, 0.9577e-3, 1e-7);
  EXPECT_TRUE(k.complete());
  EXPECT_NEAR(k.kg_per_instance_month, 4.1338 * 730 / 1000, 1e-4);
}

} // namespace
} // namespace cfsim
