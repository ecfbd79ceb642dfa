// The replay engine against a scenario small enough to account by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "cfsim/engine.hpp"
#include "cfsim/error.hpp"
#include "cfsim/forecast_models.hpp"

namespace cfsim {
namespace {

constexpr TimeS T0 = 1711929600; // 2024-04-01T00:00:00Z, a Monday

class UtcOnly : public TimeZoneDb {
public:
  UtcOffsetTable offsets(const std::string& zone, TimeS, TimeS) const override {
    if (zone != "Etc/UTC")
      throw ConfigError("unknown time zone '" + zone + "'");
    return UtcOffsetTable::fixed(zone, 0);
  }
};

// A one-type catalog with round numbers: 2 vCPUs at 1..3 W each, burstable (no memory power),
// PUE 1.5, 0.1 $/h, EBS 0.073 $/GB-month (= 0.0001 $/GB-h over 730 h), 350.4 kg embodied.
Catalog test_catalog() {
  Catalog c;
  c.microarchs["X"] = Microarch{"X", 1.0, 3.0, std::nullopt};
  InstanceType it;
  it.name = "t.test";
  it.family = "t";
  it.vcpus = 2;
  it.memory_gb = 8;
  it.microarchs = {"X"};
  it.burstable = true;
  it.embodied_kg = 350.4;
  it.on_demand_usd_per_h["r1"] = 0.1;
  c.instances[it.name] = it;
  c.families["t"] = FamilyMax{2, 8};
  c.pue_by_provider["aws"] = 1.5;
  c.zone_by_region["r1"] = "Z";
  c.ebs_usd_per_gb_month["r1"] = 0.073;
  c.ccf_grid_g_per_kwh["r1"] = 250; // an annual-average factor for the CCF comparison
  return c;
}

Scenario hand_scenario() {
  Scenario sc;
  sc.name = "hand";
  sc.grid = TimeGrid{T0, 3600, 4};
  sc.catalog = test_catalog();
  // Intensity 300, 200, (missing), 400 g/kWh.
  sc.carbon.push(T0, T0 + 3600, 300, Quality::measured);
  sc.carbon.push(T0 + 3600, T0 + 7200, 200, Quality::measured);
  sc.carbon.push(T0 + 10800, T0 + 14400, 400, Quality::measured);
  sc.carbon.provenance.zone = "Z";
  FleetGroup g;
  g.name = "boxes";
  g.instance_type = "t.test";
  g.region = "r1";
  g.count = 2;
  g.utilisation.hourly = {0.5};
  g.ebs_gb = 10;
  sc.fleet = {g};
  sc.jobs = {Job{0, T0, 3600, 1, 2 * 3600, false}};
  sc.job_pool = JobPool{"t.test", "r1", 1.0};
  const Value office(Value::Object{
      {"timezone", Value("Etc/UTC")},
      {"lag_min", Value(0)},
      {"periods", Value(Value::Array{Value(Value::Object{{"begin", Value("00:00")},
                                                         {"end", Value("02:00")},
                                                         {"weekdays", Value("mon-sun")}})})}});
  sc.strategies = {{"always_on", "always_on", Value()},
                   {"office_hours", "office_hours", office},
                   {"no_wait", "no_wait", Value()},
                   {"lowest_window", "lowest_window", Value()}};
  return sc;
}

double num(const RunResult& r, const std::string& name) {
  for (const Field& f : r.summary)
    if (f.name == name) {
      if (const auto* d = std::get_if<double>(&f.value))
        return *d;
      return static_cast<double>(std::get<std::int64_t>(f.value));
    }
  ADD_FAILURE() << "no field " << name;
  return std::nan("");
}

const RunResult& run_named(const ResultSet& rs, const std::string& strategy) {
  for (const RunResult& r : rs.runs)
    if (r.strategy == strategy)
      return r;
  throw std::runtime_error("no run " + strategy);
}

// A column of the engine's /tables/quality table.
template <class T>
const std::vector<T>& quality_column(const ResultSet& rs, const std::string& name) {
  for (const Table& t : rs.tables)
    if (t.name == "quality")
      for (const TableColumn& c : t.columns)
        if (c.name == name)
          return std::get<std::vector<T>>(c.values);
  throw std::runtime_error("no quality column " + name);
}

const NamedSeries& series_named(const RunResult& r, const std::string& name) {
  for (const NamedSeries& s : r.series)
    if (s.name == name)
      return s;
  throw std::runtime_error("no series " + name);
}

// Fleet, always_on, by hand: each instance draws 2 × (1 + 0.5 × (3 − 1)) = 4 W; two instances
// 8 W → 8 W × 1 h × 1.5 / 1000 = 0.012 kWh per hour, 0.048 kWh in 4 h.
//   operational known = 0.012 × (300 + 200 + 400) = 10.8 g; hour 3 is missing (0.012 kWh):
//   lower = 10.8 + 0.012 × 200 = 13.2 g, upper = 10.8 + 0.012 × 400 = 15.6 g; coverage 0.75.
//   cost = 2 × 0.1 $ × 4 h + EBS 20 GB × 0.073 × 4 / 730 = 0.8 + 0.008 = 0.808 $
//   embodied = 2 × 350.4 × 4 / 35040 × 2/2 = 0.08 kg; instance hours 8.
// Jobs under the baseline no_wait: 1 vCPU at u = 1 → 3 W → 0.0045 kWh in hour 0 at 300 g/kWh
//   = 1.35 g; cost 0.1 × 1/2 × 1 h = 0.05 $.
TEST(Engine, AlwaysOnAccountsFleetAndBaselineJobsByHand) {
  const ResultSet rs = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "always_on");
  ASSERT_EQ(r.status, "ok") << r.message;
  EXPECT_NEAR(num(r, "fleet_energy_kwh"), 0.048, 1e-12);
  EXPECT_NEAR(num(r, "fleet_co2e_kg"), 10.8e-3, 1e-12);
  EXPECT_NEAR(num(r, "fleet_co2e_lower_kg"), 13.2e-3, 1e-12);
  EXPECT_NEAR(num(r, "fleet_co2e_upper_kg"), 15.6e-3, 1e-12);
  EXPECT_NEAR(num(r, "fleet_cost_usd"), 0.808, 1e-12);
  EXPECT_NEAR(num(r, "jobs_co2e_kg"), 1.35e-3, 1e-12);
  EXPECT_NEAR(num(r, "jobs_cost_usd"), 0.05, 1e-12);
  EXPECT_NEAR(num(r, "co2e_operational_kg"), 12.15e-3, 1e-12);
  EXPECT_NEAR(num(r, "co2e_coverage"), 1.0 - 0.012 / (0.048 + 0.0045), 1e-12);
  EXPECT_NEAR(num(r, "co2e_embodied_kg"), 0.08 + 350.4 * 1 / 35040 * 1.0 / 2, 1e-12);
  EXPECT_NEAR(num(r, "instance_hours"), 8.0 + 0.5, 1e-12);
  EXPECT_EQ(num(r, "complete"), 0.0);
  EXPECT_EQ(num(r, "is_baseline"), 1.0);
  // Per instance and month (730 h): (0.0108 kg known + 0.08 kg embodied) / 2 instances over
  // 4/730 months = 0.0454 × 182.5 = 8.2855 kg.
  EXPECT_NEAR(num(r, "fleet_co2e_per_instance_month_kg"), 8.2855, 1e-9);
  EXPECT_NEAR(num(r, "savings_cost_pct"), 0.0, 1e-12);
}

// office_hours 00:00–02:00 UTC: 2 hours of 0.012 kWh at 300 and 200 → 6 g, complete.
// The baseline is incomplete, so the central saving is undefined (No-Fallback) and only the
// bounds are given: 1 − 6/13.2 = 54.5454..% .. 1 − 6/15.6 = 61.5384..%.
// Cost 2 × 0.1 × 2 h + 0.008 = 0.408 $ → 1 − 0.408/0.808 = 49.5049..%.
TEST(Engine, OfficeHoursSavingsHaveBoundsWhenTheBaselineHasGaps) {
  const ResultSet rs = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{2, false});
  const RunResult& r = run_named(rs, "office_hours");
  ASSERT_EQ(r.status, "ok") << r.message;
  EXPECT_NEAR(num(r, "fleet_co2e_kg"), 6e-3, 1e-12);
  EXPECT_TRUE(std::isnan(num(r, "savings_co2e_pct")));
  EXPECT_NEAR(num(r, "savings_co2e_lower_pct"), 100 * (1 - 6 / 13.2), 1e-9);
  EXPECT_NEAR(num(r, "savings_co2e_upper_pct"), 100 * (1 - 6 / 15.6), 1e-9);
  EXPECT_NEAR(num(r, "savings_cost_pct"), 100 * (1 - 0.408 / 0.808), 1e-9);
  EXPECT_NEAR(num(r, "instance_hours"), 4.0 + 0.5, 1e-12);
}

// lowest_window for the job (1 h, may wait 2 h): candidates hour 0 (300), hour 1 (200),
// hour 2 (unknown). It picks hour 1 and reports a blind decision; 0.0045 × 200 = 0.9 g;
// savings vs no_wait 1 − 0.9/1.35 = 33.33..% (both complete, so the central value exists).
TEST(Engine, LowestWindowShiftsTheJobAndCountsTheBlindDecision) {
  const ResultSet rs = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "lowest_window");
  ASSERT_EQ(r.status, "ok") << r.message;
  EXPECT_NEAR(num(r, "jobs_co2e_kg"), 0.9e-3, 1e-12);
  EXPECT_NEAR(num(r, "savings_co2e_pct"), 100.0 / 3.0, 1e-9);
  EXPECT_EQ(num(r, "blind_decisions"), 1.0);
  EXPECT_NEAR(num(r, "wait_mean_h"), 1.0, 1e-12);
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_EQ(r.jobs[0].start_s, T0 + 3600);
  EXPECT_FALSE(r.jobs[0].deadline_missed);
  EXPECT_NEAR(num(r, "savings_cost_pct"), 0.0, 1e-12); // same length, same price
}

// Checkpoint/restart, by hand: one interruptible job arriving 01:00, 1.5 h, may wait 1.5 h,
// overhead 30 min, 2 Wh per suspension; window [01:00, 04:00) = 200, (missing), 400.
// wait_awhile: any single 1.5-h piece overlaps the missing hour, two pieces (2 h running)
// avoid it: [01:00, 02:00) and [03:00, 04:00). 3 W × 1 h × 1.5 / 1000 = 0.0045 kWh per hour:
// 0.9 g + 1.8 g; the suspension writes 2 Wh × 1.5 / 1000 = 0.003 kWh at 02:00's cell (hour 1,
// 200 g/kWh) = 0.6 g. Energy 0.009 + 0.003 = 0.012 kWh, 3.3 g, all on known intensity.
// Cost: 2 h running (the overhead is running time) × 0.1 $ × 1/2 = 0.1 $; instance hours
// 8 (fleet) + 2 × 1/2 = 9.
TEST(Engine, RestartOverheadAndSuspensionEnergyAreAccountedByHand) {
  Scenario sc = hand_scenario();
  Job j{0, T0 + 3600, 5400, 1, 5400, true};
  j.restart_overhead_s = 1800;
  j.restart_energy_wh = 2;
  sc.jobs = {j};
  sc.strategies = {{"wait_awhile", "wait_awhile", Value()}};
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "wait_awhile");
  ASSERT_EQ(r.status, "ok") << r.message;
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_EQ(r.jobs[0].pieces, 2);
  EXPECT_EQ(r.jobs[0].start_s, T0 + 3600);
  EXPECT_EQ(r.jobs[0].end_s, T0 + 4 * 3600);
  EXPECT_FALSE(r.jobs[0].deadline_missed);
  EXPECT_NEAR(r.jobs[0].energy_kwh, 0.012, 1e-12);
  EXPECT_NEAR(r.jobs[0].co2e_g, 3.3, 1e-9);
  EXPECT_NEAR(r.jobs[0].co2e_coverage, 1.0, 1e-12);
  EXPECT_NEAR(r.jobs[0].cost_usd, 0.1, 1e-12);
  EXPECT_NEAR(num(r, "jobs_energy_kwh"), 0.012, 1e-12);
  EXPECT_NEAR(num(r, "jobs_co2e_kg"), 3.3e-3, 1e-12);
  EXPECT_NEAR(num(r, "jobs_cost_usd"), 0.1, 1e-12);
  EXPECT_NEAR(num(r, "instance_hours"), 9.0, 1e-12);
  // Per cell, with the always_on fleet's 0.012 kWh per hour: hour 1 0.012 + 0.0045 + 0.003,
  // hour 2 0.012 (the job idles), hour 3 0.012 + 0.0045; the job runs 1 vCPU in hours 1 and 3
  // (the suspension energy is not running time).
  const std::vector<double>& e = series_named(r, "energy_kwh").values;
  ASSERT_EQ(e.size(), 4u);
  EXPECT_NEAR(e[1], 0.0195, 1e-12);
  EXPECT_NEAR(e[2], 0.012, 1e-12);
  EXPECT_NEAR(e[3], 0.0165, 1e-12);
  EXPECT_EQ(series_named(r, "jobs_running_cpus").values, std::vector<double>({0, 1, 0, 1}));
}

// The baselines compared with themselves: the unknown hour is the same unknown in both, so
// the saving is exactly 0 even though the data are incomplete.
TEST(Engine, BaselineAgainstItselfSavesExactlyZeroDespiteGaps) {
  const ResultSet rs = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "always_on");
  EXPECT_EQ(num(r, "complete"), 0.0);
  EXPECT_EQ(num(r, "savings_co2e_lower_pct"), 0.0);
  EXPECT_EQ(num(r, "savings_co2e_upper_pct"), 0.0);
  EXPECT_EQ(num(r, "savings_co2e_pct"), 0.0);
}

TEST(Engine, SeriesSumToTheTotals) {
  const ResultSet rs = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{1, false});
  for (const RunResult& r : rs.runs) {
    double co2e = 0, cost = 0, energy = 0;
    for (const NamedSeries& s : r.series) {
      double sum = 0;
      for (double v : s.values)
        sum += v;
      if (s.name == "co2e_kg")
        co2e = sum;
      if (s.name == "cost_usd")
        cost = sum;
      if (s.name == "energy_kwh")
        energy = sum;
    }
    EXPECT_NEAR(co2e, num(r, "co2e_operational_kg"), 1e-12) << r.name;
    EXPECT_NEAR(cost, num(r, "cost_usd"), 1e-12) << r.name;
    EXPECT_NEAR(energy, num(r, "energy_kwh"), 1e-12) << r.name;
  }
}

TEST(Engine, SameResultsForAnyThreadCount) {
  const Scenario sc = hand_scenario();
  const ResultSet a = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const ResultSet b = run_scenario(sc, UtcOnly(), EngineOptions{4, false});
  ASSERT_EQ(a.runs.size(), b.runs.size());
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    EXPECT_EQ(a.runs[i].name, b.runs[i].name);
    ASSERT_EQ(a.runs[i].series.size(), b.runs[i].series.size());
    for (std::size_t k = 0; k < a.runs[i].series.size(); ++k) {
      const auto& x = a.runs[i].series[k].values;
      const auto& y = b.runs[i].series[k].values;
      ASSERT_EQ(x.size(), y.size());
      // Bitwise: NaN cells must match too.
      EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)), 0) << a.runs[i].name;
    }
  }
}

// A failing run is a row with status "error"; the others carry on.
TEST(Engine, AFailingRunIsARowNotACrash) {
  Scenario sc = hand_scenario();
  const Value bad_tz(Value::Object{
      {"timezone", Value("Mars/Olympus")},
      {"periods", Value(Value::Array{Value(Value::Object{{"weekdays", Value("mon-fri")}})})}});
  sc.strategies[1].params = bad_tz;
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "office_hours");
  EXPECT_EQ(r.status, "error");
  EXPECT_NE(r.message.find("Mars/Olympus"), std::string::npos) << r.message;
  EXPECT_EQ(run_named(rs, "lowest_window").status, "ok");
  ASSERT_EQ(r.summary.size(), rs.runs[0].summary.size());
  // Same fields, units and types as a run that succeeded, so the table stays rectangular.
  for (std::size_t i = 0; i < r.summary.size(); ++i) {
    EXPECT_EQ(r.summary[i].name, rs.runs[0].summary[i].name);
    EXPECT_EQ(r.summary[i].units, rs.runs[0].summary[i].units);
    EXPECT_EQ(r.summary[i].value.index(), rs.runs[0].summary[i].value.index()) << r.summary[i].name;
  }
  // Its quality row has the trace's data but no energy shares.
  EXPECT_TRUE(std::isnan(quality_column<double>(rs, "co2e_coverage")[1]));
  EXPECT_EQ(quality_column<double>(rs, "measured_share")[1], 0.75);
}

// Without a fill policy the missing hour stays missing (No-Fallback): the run is incomplete,
// nothing is filled, and the quality table says so (3 of 4 hours measured, 1 missing).
TEST(Engine, WithoutAFillPolicyTheGapStaysMissing) {
  const ResultSet rs = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "always_on");
  EXPECT_EQ(num(r, "complete"), 0.0);
  EXPECT_EQ(num(r, "co2e_filled_share"), 0.0);
  EXPECT_TRUE(std::isnan(series_named(r, "intensity_g_per_kwh").values[2]));
  EXPECT_EQ(series_named(r, "intensity_filled_share").values, (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(quality_column<std::string>(rs, "fill_policy")[0], "none");
  EXPECT_EQ(quality_column<double>(rs, "measured_share")[0], 0.75);
  EXPECT_EQ(quality_column<double>(rs, "missing_share")[0], 0.25);
  EXPECT_EQ(quality_column<double>(rs, "filled_share")[0], 0.0);
}

// Fill "linear": hour 2 lies between 200 and 400 → 300 g/kWh, flagged filled. By hand:
//   fleet always_on 0.012 kWh × (300 + 200 + 300 + 400) = 14.4 g, no missing energy, so the
//   bounds meet; jobs (no_wait) 1.35 g; total 15.75 g over 0.0525 kWh of which 0.012 kWh on the
//   filled hour → co2e_filled_share = 0.012 / 0.0525, co2e_coverage = 1 − that; complete.
//   office_hours saves 1 − 6 / 14.4 = 58.33 % (a central value: nothing is unknown).
//   lowest_window sees hour 2 as known (300): hour 1 wins, and no decision is blind.
TEST(Engine, LinearFillCompletesTheTotalsAndReportsTheFilledShare) {
  Scenario sc = hand_scenario();
  sc.carbon.provenance.fill_policy = "linear";
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "always_on");
  ASSERT_EQ(r.status, "ok") << r.message;
  EXPECT_NEAR(num(r, "fleet_co2e_kg"), 14.4e-3, 1e-12);
  EXPECT_NEAR(num(r, "fleet_co2e_lower_kg"), 14.4e-3, 1e-12);
  EXPECT_NEAR(num(r, "fleet_co2e_upper_kg"), 14.4e-3, 1e-12);
  EXPECT_NEAR(num(r, "co2e_operational_kg"), 15.75e-3, 1e-12);
  EXPECT_NEAR(num(r, "co2e_filled_share"), 0.012 / 0.0525, 1e-12);
  EXPECT_NEAR(num(r, "co2e_coverage"), 1 - 0.012 / 0.0525, 1e-12);
  EXPECT_EQ(num(r, "co2e_estimated_share"), 0.0);
  EXPECT_EQ(num(r, "complete"), 1.0);
  EXPECT_EQ(series_named(r, "intensity_g_per_kwh").values[2], 300.0);
  EXPECT_EQ(series_named(r, "intensity_coverage").values, (std::vector<double>{1, 1, 0, 1}));
  EXPECT_EQ(series_named(r, "intensity_filled_share").values, (std::vector<double>{0, 0, 1, 0}));

  const RunResult& office = run_named(rs, "office_hours");
  EXPECT_NEAR(num(office, "savings_co2e_pct"), 100 * (1 - 6 / 14.4), 1e-9);
  EXPECT_EQ(num(office, "co2e_filled_share"), 0.0); // 00:00–02:00: no filled hour
  EXPECT_NEAR(num(office, "co2e_operational_kg"), 7.35e-3, 1e-12);

  const RunResult& lw = run_named(rs, "lowest_window");
  EXPECT_EQ(num(lw, "blind_decisions"), 0.0);
  ASSERT_EQ(lw.jobs.size(), 1u);
  EXPECT_EQ(lw.jobs[0].start_s, T0 + 3600);

  // /tables/quality: one row per run, the trace's provenance and shares, the run's shares.
  EXPECT_EQ(quality_column<std::int64_t>(rs, "run"), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(quality_column<std::string>(rs, "trace")[0], "carbon");
  EXPECT_EQ(quality_column<std::string>(rs, "zone")[0], "Z");
  EXPECT_EQ(quality_column<std::string>(rs, "signal")[0], "average");
  EXPECT_EQ(quality_column<std::string>(rs, "basis")[0], "lifecycle");
  EXPECT_EQ(quality_column<std::string>(rs, "fill_policy")[3], "linear");
  EXPECT_EQ(quality_column<double>(rs, "measured_share")[0], 0.75);
  EXPECT_EQ(quality_column<double>(rs, "estimated_share")[0], 0.0);
  EXPECT_EQ(quality_column<double>(rs, "filled_share")[0], 0.25);
  EXPECT_EQ(quality_column<double>(rs, "missing_share")[0], 0.0);
  EXPECT_EQ(quality_column<double>(rs, "coverage")[0], 0.75);
  EXPECT_EQ(quality_column<double>(rs, "co2e_filled_share")[0], num(r, "co2e_filled_share"));
  EXPECT_EQ(quality_column<double>(rs, "co2e_coverage")[1], num(office, "co2e_coverage"));
}

// A limit shorter than the gap leaves it missing: the run stays incomplete, nothing is filled,
// and the provenance still records the policy that was asked for.
TEST(Engine, MaxFillShorterThanTheGapLeavesItMissing) {
  Scenario sc = hand_scenario();
  sc.carbon.provenance.fill_policy = "linear(max 0.5 h)";
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "always_on");
  EXPECT_EQ(num(r, "complete"), 0.0);
  EXPECT_EQ(num(r, "co2e_filled_share"), 0.0);
  EXPECT_NEAR(num(r, "fleet_co2e_kg"), 10.8e-3, 1e-12);
  EXPECT_EQ(quality_column<std::string>(rs, "fill_policy")[0], "linear(max 0.5 h)");
  EXPECT_EQ(quality_column<double>(rs, "missing_share")[0], 0.25);
}

// Fill "hold" with a second job running in the gap (hour 2, no wait): the gap takes hour 1's
// 200 g/kWh. Fleet 0.012 × (300 + 200 + 200 + 400) = 13.2 g; job 1 draws 0.0045 kWh × 200 =
// 0.9 g, all of it on filled intensity (its co2e_coverage is 0, its filled share 1).
TEST(Engine, HoldFillAndTheJobsTable) {
  Scenario sc = hand_scenario();
  sc.carbon.provenance.fill_policy = "hold";
  sc.jobs.push_back(Job{1, T0 + 7200, 3600, 1, 0, false});
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "no_wait");
  ASSERT_EQ(r.status, "ok") << r.message;
  EXPECT_NEAR(num(r, "fleet_co2e_kg"), 13.2e-3, 1e-12);
  EXPECT_NEAR(num(r, "jobs_co2e_kg"), (1.35 + 0.9) * 1e-3, 1e-12);
  EXPECT_EQ(num(r, "complete"), 1.0);
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_EQ(r.jobs[0].co2e_filled_share, 0.0);
  EXPECT_EQ(r.jobs[0].co2e_coverage, 1.0);
  EXPECT_NEAR(r.jobs[1].co2e_g, 0.9, 1e-12);
  EXPECT_EQ(r.jobs[1].co2e_filled_share, 1.0);
  EXPECT_EQ(r.jobs[1].co2e_coverage, 0.0);
  EXPECT_NEAR(num(r, "co2e_filled_share"), (0.012 + 0.0045) / (0.048 + 0.009), 1e-12);
}

TEST(Engine, RunNamesFollowTheConvention) {
  const ResultSet rs = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{1, false});
  EXPECT_EQ(rs.runs[0].name, "hand/always_on/-/seed=0");
  // Scalar parameters form the k=v part; values containing '/' and structured values stay out
  // (the label tells such runs apart).
  EXPECT_EQ(rs.runs[1].name, "hand/office_hours/lag_min=0/seed=0");
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// Purchase options by hand, same 4-hour scenario, fleet under office_hours (2 of 4 hours):
//   spot at 0.3 × on-demand: 2 instances × 0.1 × 0.3 $/h × 2 h = 0.12 $, + EBS 0.008 $;
//   reserved at 0.06 $/h: paid for all 4 h whether running or not: 2 × 0.06 × 4 = 0.48 $,
//   + EBS 0.008 $ (AWS: reserved capacity is billed for the term, used or not).
TEST(Engine, SpotAndReservedCapacityAreBilledByTheirRules) {
  Scenario sc = hand_scenario();
  sc.fleet[0].purchase = PurchaseOption::spot;
  sc.fleet[0].spot_fraction = 0.3;
  ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  EXPECT_NEAR(num(run_named(rs, "office_hours"), "fleet_cost_usd"), 0.12 + 0.008, 1e-12);
  EXPECT_NEAR(num(run_named(rs, "always_on"), "fleet_cost_usd"), 0.24 + 0.008, 1e-12);

  // A spot price trace: 0.02, 0.04, 0.06, 0.08 $/h per cell → office hours (cells 0, 1):
  //   2 × (0.02 + 0.04) × 1 h = 0.12 $.
  sc.fleet[0].spot_usd_per_h = {0.02, 0.04, 0.06, 0.08};
  rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  EXPECT_NEAR(num(run_named(rs, "office_hours"), "fleet_cost_usd"), 0.12 + 0.008, 1e-12);

  sc.fleet[0].purchase = PurchaseOption::reserved;
  sc.fleet[0].reserved_usd_per_h = 0.06;
  rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  EXPECT_NEAR(num(run_named(rs, "office_hours"), "fleet_cost_usd"), 0.48 + 0.008, 1e-12);
  EXPECT_NEAR(num(run_named(rs, "always_on"), "fleet_cost_usd"), 0.48 + 0.008, 1e-12);
  EXPECT_NEAR(num(run_named(rs, "office_hours"), "savings_cost_pct"), 0.0, 1e-12);
}

// A daily utilisation profile is read at each cell's UTC hour: u = 0 in hours 0–2 and 1 in
// hour 3 → per instance 2 × 1 W = 2 W, then 2 × 3 W = 6 W; two instances, PUE 1.5:
//   energy (2·2·3 + 2·6·1) × 1.5 / 1000 = 0.036 kWh (a mean utilisation would give 0.042),
//   known CO2e 0.006 × 300 + 0.006 × 200 + (hour 2 missing) + 0.018 × 400 = 10.2 g.
TEST(Engine, DailyUtilisationProfileFollowsTheUtcHour) {
  Scenario sc = hand_scenario();
  std::vector<double> profile(24, 1.0);
  profile[0] = profile[1] = profile[2] = 0.0;
  sc.fleet[0].utilisation.hourly = profile;
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  EXPECT_NEAR(num(run_named(rs, "always_on"), "fleet_energy_kwh"), 0.036, 1e-12);
  EXPECT_NEAR(num(run_named(rs, "always_on"), "fleet_co2e_kg"), 10.2e-3, 1e-12);
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// Persistence ("same slot yesterday", DESIGN §6) against the oracle, by hand. 48 hourly cells:
// day 1 has 100 + h g/kWh at hour h except 50 at 03:00; day 2 has 200 except 10 at 05:00
// (cell 29). A 1-hour job arrives at 02:00 on day 2 (cell 26) and may wait 4 h: candidates are
// cells 26..30. The persistence forecast issued at cell 26 shows yesterday's 102, 50, 104, 105,
// 106 → lowest_window starts at cell 27, whose TRUE intensity is 200 (accounting always uses
// the truth): 0.0045 kWh × 200 = 0.9 g. The oracle sees cell 29's 10 g/kWh → 0.045 g.
// Forecast error of day-ahead persistence over day 2: |200 − (100 + h)| = 100 − h except
// 150 at 03:00 and |10 − 105| = 95 at 05:00 → (2124 − 97 − 95 + 150 + 95) / 24 = 90.708333.
Scenario two_day_scenario(const char* forecast_kind) {
  Scenario sc = hand_scenario();
  sc.grid = TimeGrid{T0, 3600, 48};
  sc.carbon = RawSeries();
  sc.carbon.provenance.zone = "Z";
  for (int h = 0; h < 48; ++h) {
    double v = h < 24 ? (h == 3 ? 50.0 : 100.0 + h) : (h == 29 ? 10.0 : 200.0);
    sc.carbon.push(T0 + h * 3600, T0 + (h + 1) * 3600, v, Quality::measured);
  }
  sc.jobs = {Job{0, T0 + 26 * 3600, 3600, 1, 4 * 3600, false}};
  sc.strategies = {{"always_on", "always_on", Value()},
                   {"no_wait", "no_wait", Value()},
                   {"lowest_window", "lowest_window", Value()}};
  sc.forecast = parse_forecast_spec(Value(forecast_kind));
  return sc;
}

TEST(Engine, PersistenceForecastDecidesOnYesterdayAndIsAccountedOnTheTruth) {
  const ResultSet pers =
      run_scenario(two_day_scenario("persistence"), UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(pers, "lowest_window");
  ASSERT_EQ(r.status, "ok") << r.message;
  ASSERT_EQ(r.jobs.size(), 1u);
  EXPECT_EQ(r.jobs[0].start_s, T0 + 27 * 3600);
  EXPECT_NEAR(num(r, "jobs_co2e_kg"), 0.9e-3, 1e-12);
  EXPECT_NEAR(num(r, "forecast_mae_g_per_kwh"), 2177.0 / 24.0, 1e-9);

  const ResultSet oracle =
      run_scenario(two_day_scenario("oracle"), UtcOnly(), EngineOptions{1, false});
  const RunResult& o = run_named(oracle, "lowest_window");
  EXPECT_EQ(o.jobs[0].start_s, T0 + 29 * 3600);
  EXPECT_NEAR(num(o, "jobs_co2e_kg"), 0.045e-3, 1e-12);
  EXPECT_EQ(num(o, "forecast_mae_g_per_kwh"), 0.0);
}

// A gaussian forecast with e = 0 is the oracle exactly; with e > 0 it changes only decisions:
// the no_wait baseline is the same, accounting stays on the truth, the error is reported.
TEST(Engine, GaussianForecastNoiseChangesDecisionsNotAccounting) {
  Scenario zero = two_day_scenario("oracle");
  zero.forecast =
      parse_forecast_spec(Value(Value::Object{{"kind", Value("gaussian")}, {"error", Value(0.0)}}));
  const ResultSet z = run_scenario(zero, UtcOnly(), EngineOptions{1, false});
  EXPECT_EQ(run_named(z, "lowest_window").jobs[0].start_s, T0 + 29 * 3600);
  Scenario noisy = zero;
  noisy.forecast.error = 0.5;
  const ResultSet n = run_scenario(noisy, UtcOnly(), EngineOptions{1, false});
  EXPECT_EQ(num(run_named(n, "no_wait"), "jobs_co2e_kg"),
            num(run_named(z, "no_wait"), "jobs_co2e_kg"));
  EXPECT_GT(num(run_named(n, "lowest_window"), "forecast_mae_g_per_kwh"), 0.0);
  EXPECT_EQ(std::get<std::string>(run_named(n, "lowest_window").summary[0].value), "hand");
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// Cloud Carbon Footprint's estimate next to the hourly accounting (DESIGN §10), by hand on the
// complete two-day trace. CCF: 50 % utilisation and the region's annual factor 250 g/kWh.
//   fleet: 2 × 2 × (1 + 0.5 × 2) W = 8 W × 48 h × 1.5 / 1000 = 0.576 kWh × 250 = 144 g
//   job (no_wait, 1 vCPU, 1 h): 1 × 2 W × 1 h × 1.5 / 1000 = 0.003 kWh × 250 = 0.75 g
//   → 144.75 g. Hourly: fleet 0.012 kWh/h × Σ intensity (day 1: 2400 + 276 − 53 = 2623;
//   day 2: 23 × 200 + 10 = 4610) = 0.012 × 7233 = 86.796 g; job 0.0045 kWh × 200 = 0.9 g
//   → 87.696 g. Difference 100 × (144.75 / 87.696 − 1) = 65.0588 %.
TEST(Engine, CloudCarbonFootprintEstimateSitsNextToTheHourlyAccounting) {
  const ResultSet rs = run_scenario(two_day_scenario("oracle"), UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "always_on");
  EXPECT_NEAR(num(r, "co2e_operational_kg"), 87.696e-3, 1e-12);
  EXPECT_NEAR(num(r, "co2e_ccf_estimate_kg"), 144.75e-3, 1e-12);
  EXPECT_NEAR(num(r, "co2e_ccf_difference_pct"), 100.0 * (144.75 / 87.696 - 1.0), 1e-9);
  // With a gap the hourly total is not complete: the estimate is still given, the difference
  // is not (No-Fallback).
  const ResultSet gap = run_scenario(hand_scenario(), UtcOnly(), EngineOptions{1, false});
  EXPECT_NEAR(num(run_named(gap, "always_on"), "co2e_ccf_estimate_kg"), 12.75e-3, 1e-12);
  EXPECT_TRUE(std::isnan(num(run_named(gap, "always_on"), "co2e_ccf_difference_pct")));
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// `replay` of a recorded forecast archive (issue 4: at each decision time the strategy sees the
// latest forecast issued at or before it, never the actuals), by hand on the two-day trace.
// One forecast issued at hour 25 with hourly points for hours 26..30: 9, 9, 1, 9, 9 g/kWh.
//   job A arrives at hour 26 (wait 4 h): it sees the hour-25 issue → the lowest point is
//   hour 28 → starts at 28; accounted on the truth (200 g/kWh): 0.0045 kWh × 200 = 0.9 g.
//   job B arrives at hour 10, before anything was issued: every cell unknown → it starts at
//   arrival and the decision is blind (No-Fallback); truth 110 → 0.495 g.
// Forecast error over the archive's points (hours 26..30: truth 200, 200, 200, 10, 200):
//   |9−200|, |9−200|, |1−200|, |9−10|, |9−200| → MAE (191 + 191 + 199 + 1 + 191) / 5 = 154.6.
TEST(Engine, ReplayedForecastArchiveIsTheLatestIssueBeforeEachDecision) {
  Scenario sc = two_day_scenario("oracle");
  sc.forecast.kind = ForecastKind::replay;
  sc.forecast.archive_file = "hand";
  ForecastArchive a;
  a.issued_s = {T0 + 25 * 3600};
  a.point_s = {{T0 + 26 * 3600, T0 + 27 * 3600, T0 + 28 * 3600, T0 + 29 * 3600, T0 + 30 * 3600}};
  a.value = {{9, 9, 1, 9, 9}};
  a.point_step_s = 3600;
  sc.forecast_archive = a;
  sc.jobs = {Job{0, T0 + 26 * 3600, 3600, 1, 4 * 3600, false},
             Job{1, T0 + 10 * 3600, 3600, 1, 4 * 3600, false}};
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "lowest_window");
  ASSERT_EQ(r.status, "ok") << r.message;
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_EQ(r.jobs[0].start_s, T0 + 28 * 3600);
  EXPECT_FALSE(r.jobs[0].blind);
  EXPECT_EQ(r.jobs[1].start_s, T0 + 10 * 3600);
  EXPECT_TRUE(r.jobs[1].blind);
  EXPECT_NEAR(num(r, "jobs_co2e_kg"), (0.9 + 0.495) * 1e-3, 1e-12);
  EXPECT_NEAR(num(r, "forecast_mae_g_per_kwh"), 154.6, 1e-9);
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// ---- Capacity (spot, reserved) and regions of jobs (methodology §5.1–5.2) ----------------------

std::string text(const RunResult& r, const std::string& name) {
  for (const Field& f : r.summary)
    if (f.name == name)
      return std::get<std::string>(f.value);
  ADD_FAILURE() << "no field " << name;
  return "";
}

// The hand catalog, jobs only, a complete 4-hour trace 300, 200, 100, 400 g/kWh.
Scenario jobs_only_scenario() {
  Scenario sc = hand_scenario();
  sc.fleet.clear();
  sc.carbon = RawSeries();
  sc.carbon.provenance.zone = "Z";
  const double v[] = {300, 200, 100, 400};
  for (int h = 0; h < 4; ++h)
    sc.carbon.push(T0 + h * 3600, T0 + (h + 1) * 3600, v[h], Quality::measured);
  return sc;
}

StrategySpec cost_carbon_spec(const std::string& label, double alpha) {
  return {"cost_carbon", label, Value(Value::Object{{"alpha", Value(alpha)}})};
}

// Spot with interruptions, by hand. One 2-h job at 0 (1 vCPU, no wait); spot at 0.3 × on-demand,
// p = 1/h (every cell interrupts), checkpoints every 45 min, restart on spot. cost_carbon with
// α = 1 expects (first order) 1 h + 1.25 h on spot = 0.03375 $ < 0.1 $ on demand: spot.
// The engine simulates it: [0, 1h) interrupted (60 done, 45 kept, 15 lost); [1h, 2h) interrupted
// (105 done, 90 kept, 15 lost); [2h, 2h30) the last 30 min. 2 interruptions, 0.5 h lost, ends
// at 2h30, past its deadline (2h).
//   cost: 2.5 h × 0.1 $ × 0.3 × 1/2 = 0.0375 $ (on demand, no_wait: 2 h × 0.05 = 0.1 $)
//   energy: 3 W × 2.5 h × 1.5 / 1000 = 0.01125 kWh; CO2e 0.0045 × (300 + 200) + 0.00225 × 100
//   = 2.475 g (no_wait 2.25 g): rework costs carbon, spot saves 62.5 % of the cost.
TEST(EngineCapacity, SpotCostAgainstOnDemandWithInterruptionsByHand) {
  Scenario sc = jobs_only_scenario();
  sc.jobs = {Job{0, T0, 2 * 3600, 1, 0, false}};
  JobCapacity& cap = sc.job_pool->capacity;
  cap.spot_fraction = 0.3;
  cap.interruption_per_h = 1.0;
  cap.checkpoint_interval_s = 45 * 60;
  cap.restart_on = PurchaseOption::spot;
  sc.strategies = {{"no_wait", "no_wait", Value()}, cost_carbon_spec("cheapest", 1.0)};
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "cost_carbon");
  ASSERT_EQ(r.status, "ok") << r.message;
  ASSERT_EQ(r.jobs.size(), 1u);
  const JobRecord& j = r.jobs[0];
  EXPECT_EQ(j.capacity, "spot");
  EXPECT_EQ(j.region, "r1");
  EXPECT_EQ(j.pieces, 3);
  EXPECT_EQ(j.interruptions, 2);
  EXPECT_NEAR(j.lost_work_h, 0.5, 1e-12);
  EXPECT_EQ(j.unfinished_work_h, 0.0);
  EXPECT_EQ(j.start_s, T0);
  EXPECT_EQ(j.end_s, T0 + 9000);
  EXPECT_TRUE(j.deadline_missed);
  EXPECT_NEAR(j.cost_usd, 0.0375, 1e-12);
  EXPECT_NEAR(j.energy_kwh, 0.01125, 1e-12);
  EXPECT_NEAR(j.co2e_g, 2.475, 1e-12);
  EXPECT_NEAR(num(r, "jobs_cost_usd"), 0.0375, 1e-12);
  EXPECT_NEAR(num(r, "savings_cost_pct"), 62.5, 1e-9);
  EXPECT_NEAR(num(r, "savings_co2e_pct"), 100 * (1 - 2.475 / 2.25), 1e-9);
  EXPECT_EQ(num(r, "jobs_spot_share"), 1.0);
  EXPECT_EQ(num(r, "jobs_reserved_share"), 0.0);
  EXPECT_EQ(num(r, "jobs_interruptions"), 2.0);
  EXPECT_NEAR(num(r, "jobs_lost_work_h"), 0.5, 1e-12);
  EXPECT_NEAR(num(r, "instance_hours"), 1.25, 1e-12);
  EXPECT_EQ(num(r, "deadline_misses"), 1.0);
  const std::vector<double>& cost = series_named(r, "cost_usd").values;
  EXPECT_NEAR(cost[0], 0.015, 1e-15);
  EXPECT_NEAR(cost[1], 0.015, 1e-15);
  EXPECT_NEAR(cost[2], 0.0075, 1e-15);
  EXPECT_EQ(cost[3], 0.0);
  const RunResult& base = run_named(rs, "no_wait");
  EXPECT_EQ(base.jobs[0].capacity, "on_demand");
  EXPECT_NEAR(num(base, "jobs_cost_usd"), 0.1, 1e-12);
  EXPECT_EQ(num(base, "jobs_spot_share"), 0.0);
}

// Reserved capacity by hand: 1 reserved vCPU at the default fee 0.4 × on-demand per vCPU-hour:
// 0.4 × 0.1 $ / 2 vCPUs × 1 vCPU × 4 h = 0.08 $, paid by every run (used or not). Two 1-vCPU,
// 1-h jobs arrive at 0 without wait, listed id 1 first: placement goes in (arrival, id) order
// (the records keep the listed order), so job 0 takes the reserved vCPU (cost 0) and job 1 finds it
// busy and runs on demand (0.05 $).
//   cost_carbon: 0.08 + 0.05 = 0.13 $; no_wait (on demand both): 0.08 + 0.1 = 0.18 $.
TEST(EngineCapacity, ReservedIsFirstComeFirstServedAndItsFeeIsAlwaysPaid) {
  Scenario sc = jobs_only_scenario();
  sc.jobs = {Job{1, T0, 3600, 1, 0, false}, Job{0, T0, 3600, 1, 0, false}};
  sc.job_pool->capacity.reserved_vcpus = 1;
  sc.strategies = {{"no_wait", "no_wait", Value()}, cost_carbon_spec("cheapest", 1.0)};
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "cost_carbon");
  ASSERT_EQ(r.status, "ok") << r.message;
  ASSERT_EQ(r.jobs.size(), 2u); // records in the scenario's order
  EXPECT_EQ(r.jobs[1].job_id, 0);
  EXPECT_EQ(r.jobs[1].capacity, "reserved");
  EXPECT_EQ(r.jobs[1].cost_usd, 0.0);
  EXPECT_EQ(r.jobs[0].job_id, 1);
  EXPECT_EQ(r.jobs[0].capacity, "on_demand");
  EXPECT_NEAR(r.jobs[0].cost_usd, 0.05, 1e-15);
  EXPECT_NEAR(num(r, "jobs_reserved_fee_usd"), 0.08, 1e-15);
  EXPECT_NEAR(num(r, "jobs_cost_usd"), 0.13, 1e-15);
  EXPECT_EQ(num(r, "jobs_reserved_share"), 0.5);
  const RunResult& base = run_named(rs, "no_wait");
  EXPECT_NEAR(num(base, "jobs_cost_usd"), 0.18, 1e-15);
  EXPECT_NEAR(num(r, "savings_cost_pct"), 100 * (1 - 0.13 / 0.18), 1e-9);
  // The fee is spread over the period's cells: 0.02 $ per hour, + 0.05 $ in hour 0.
  EXPECT_NEAR(series_named(r, "cost_usd").values[0], 0.07, 1e-15);
  EXPECT_NEAR(series_named(r, "cost_usd").values[3], 0.02, 1e-15);
}

// Region shift, accounted in the other region, and savings bounds over two traces. A second
// region r2 (zone Y, 0.2 $/h) with 100, 100, 50, 100 g/kWh; home r1 is 300, 200, (missing), 400.
// Jobs: A at 0 and B at 2h, 1 h each, 1 vCPU, no wait. region_shift: A home 300 vs r2 100 → r2;
// B home unknown (blind) vs r2 50 → r2. Run: 0.0045 kWh × (100 + 50) = 0.675 g, complete;
// cost 2 × 0.2 × 1/2 = 0.2 $. no_wait: A 1.35 g at home, B 0.0045 kWh on home's missing hour.
// The unknown lies in the union of the observed ranges, [50, 400] (conservative: home alone
// observed [200, 400]): savings from 1 − 0.675 / (1.35 + 0.0045 × 50) = 57.14 % to
// 1 − 0.675 / (1.35 + 0.0045 × 400) = 78.57 %.
TEST(EngineRegions, RegionShiftIsAccountedInItsRegionAndBoundsUseAllTraces) {
  Scenario sc = hand_scenario();
  sc.fleet.clear();
  sc.catalog.instances["t.test"].on_demand_usd_per_h["r2"] = 0.2;
  sc.catalog.zone_by_region["r2"] = "Y";
  sc.catalog.ccf_grid_g_per_kwh["r2"] = 100;
  RegionCandidate r2;
  r2.region = "r2";
  r2.latency_ms = 12;
  r2.sovereignty = "eu";
  r2.carbon.provenance.zone = "Y";
  r2.carbon.provenance.source = "hand:Y";
  r2.carbon.provenance.fill_policy = "none";
  const double v[] = {100, 100, 50, 100};
  for (int h = 0; h < 4; ++h)
    r2.carbon.push(T0 + h * 3600, T0 + (h + 1) * 3600, v[h], Quality::measured);
  sc.job_regions = {r2};
  sc.jobs = {Job{0, T0, 3600, 1, 0, false}, Job{1, T0 + 7200, 3600, 1, 0, false}};
  sc.strategies = {{"no_wait", "no_wait", Value()}, {"region_shift", "region_shift", Value()}};
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "region_shift");
  ASSERT_EQ(r.status, "ok") << r.message;
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_EQ(r.jobs[0].region, "r2");
  EXPECT_EQ(r.jobs[1].region, "r2");
  EXPECT_TRUE(r.jobs[1].blind);
  EXPECT_NEAR(num(r, "jobs_co2e_kg"), 0.675e-3, 1e-15);
  EXPECT_EQ(num(r, "complete"), 1.0);
  EXPECT_NEAR(num(r, "jobs_cost_usd"), 0.2, 1e-15);
  EXPECT_EQ(num(r, "jobs_other_region_share"), 1.0);
  EXPECT_EQ(num(r, "blind_decisions"), 1.0);
  EXPECT_TRUE(std::isnan(num(r, "savings_co2e_pct")));
  EXPECT_NEAR(num(r, "savings_co2e_lower_pct"), 100 * (1 - 0.675 / 1.575), 1e-9);
  EXPECT_NEAR(num(r, "savings_co2e_upper_pct"), 100 * (1 - 0.675 / 3.15), 1e-9);
  EXPECT_NEAR(num(r, "savings_cost_pct"), -100.0, 1e-9);
  // CCF's estimate uses each job's region factor: 2 W × 2 h × 1.5 / 1000 × 100 g/kWh = 0.6 g.
  EXPECT_NEAR(num(r, "co2e_ccf_estimate_kg"), 0.6e-3, 1e-15);
  // The baseline compared with itself stays exactly 0 with two traces too.
  const RunResult& base = run_named(rs, "no_wait");
  EXPECT_EQ(num(base, "savings_co2e_lower_pct"), 0.0);
  EXPECT_EQ(num(base, "savings_co2e_upper_pct"), 0.0);
  EXPECT_EQ(base.jobs[0].region, "r1");
  // /tables/quality: the home rows, then one row per run for r2.
  EXPECT_EQ(quality_column<std::int64_t>(rs, "run"), (std::vector<std::int64_t>{0, 1, 0, 1}));
  EXPECT_EQ(quality_column<std::string>(rs, "trace"),
            (std::vector<std::string>{"carbon", "carbon", "r2", "r2"}));
  EXPECT_EQ(quality_column<std::string>(rs, "zone")[2], "Y");
  EXPECT_EQ(quality_column<std::string>(rs, "source")[3], "hand:Y");
  EXPECT_EQ(quality_column<double>(rs, "measured_share")[2], 1.0);
  EXPECT_EQ(quality_column<double>(rs, "measured_share")[0], 0.75);
  EXPECT_EQ(quality_column<double>(rs, "co2e_coverage")[3], num(r, "co2e_coverage"));
  EXPECT_TRUE(std::isnan(quality_column<double>(rs, "tac_fleet")[2]));
}

// A candidate trace that does not cover the period is No-Fallback data like the home trace: r2
// has only the first half of hour 0 (100 g/kWh), then 100, 50, 100. A job at 0 (1 h, no wait)
// sees r2's hour 0 as known (100 < home's 300) and runs there; half its 0.0045 kWh falls on
// r2's unknown half-hour: known 0.00225 × 100 = 0.225 g, bounds with r2's own observed range
// [50, 100]: 0.225 + 0.00225 × 50 = 0.3375 g to 0.225 + 0.00225 × 100 = 0.45 g; coverage 0.5,
// incomplete. r2's quality row: 7/8 of its grid time measured, 1/8 missing.
TEST(EngineRegions, ACandidateTraceWithAGapIsReportedNotFilled) {
  Scenario sc = hand_scenario();
  sc.fleet.clear();
  sc.catalog.instances["t.test"].on_demand_usd_per_h["r2"] = 0.2;
  RegionCandidate r2;
  r2.region = "r2";
  r2.carbon.provenance.zone = "Y";
  r2.carbon.provenance.fill_policy = "none";
  r2.carbon.push(T0, T0 + 1800, 100, Quality::measured);
  r2.carbon.push(T0 + 3600, T0 + 7200, 100, Quality::measured);
  r2.carbon.push(T0 + 7200, T0 + 10800, 50, Quality::measured);
  r2.carbon.push(T0 + 10800, T0 + 14400, 100, Quality::measured);
  sc.job_regions = {r2};
  sc.jobs = {Job{0, T0, 3600, 1, 0, false}};
  sc.strategies = {{"no_wait", "no_wait", Value()}, {"region_shift", "region_shift", Value()}};
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  const RunResult& r = run_named(rs, "region_shift");
  ASSERT_EQ(r.status, "ok") << r.message;
  EXPECT_EQ(r.jobs[0].region, "r2");
  EXPECT_NEAR(r.jobs[0].co2e_g, 0.225, 1e-12);
  EXPECT_NEAR(r.jobs[0].co2e_coverage, 0.5, 1e-12);
  EXPECT_NEAR(num(r, "jobs_co2e_lower_kg"), 0.3375e-3, 1e-15);
  EXPECT_NEAR(num(r, "jobs_co2e_upper_kg"), 0.45e-3, 1e-15);
  EXPECT_EQ(num(r, "complete"), 0.0);
  EXPECT_EQ(quality_column<std::string>(rs, "trace")[3], "r2");
  EXPECT_EQ(quality_column<double>(rs, "measured_share")[3], 0.875);
  EXPECT_EQ(quality_column<double>(rs, "missing_share")[3], 0.125);
}

// An α sweep over a small workload traces a Pareto front: cost non-increasing and CO2e
// non-decreasing as α grows. 8 hours 500 300 800 100 100 900 200 700 g/kWh; three jobs
// (1 h/1 vCPU at 0, 2 h/1 vCPU at 1h, 1 h/2 vCPU at 2h, each may wait 3–4 h); 1 reserved vCPU;
// spot at 0.3 × on-demand, p = 0.2/h, checkpoints every 30 min, restart on demand. Results are
// the same for any thread count (reserved capacity is committed in arrival order within a run;
// spot draws are keyed on (seed, job, attempt)).
TEST(EngineCapacity, AlphaSweepIsAParetoFrontAndThreadIndependent) {
  Scenario sc = jobs_only_scenario();
  sc.grid = TimeGrid{T0, 3600, 8};
  sc.carbon = RawSeries();
  sc.carbon.provenance.zone = "Z";
  const double v[] = {500, 300, 800, 100, 100, 900, 200, 700};
  for (int h = 0; h < 8; ++h)
    sc.carbon.push(T0 + h * 3600, T0 + (h + 1) * 3600, v[h], Quality::measured);
  sc.jobs = {Job{0, T0, 3600, 1, 3 * 3600, false}, Job{1, T0 + 3600, 7200, 1, 3 * 3600, false},
             Job{2, T0 + 7200, 3600, 2, 4 * 3600, false}};
  JobCapacity& cap = sc.job_pool->capacity;
  cap.reserved_vcpus = 1;
  cap.spot_fraction = 0.3;
  cap.interruption_per_h = 0.2;
  cap.checkpoint_interval_s = 1800;
  sc.seed = 7;
  sc.strategies = {{"no_wait", "no_wait", Value()},      cost_carbon_spec("alpha_0", 0.0),
                   cost_carbon_spec("alpha_0.25", 0.25), cost_carbon_spec("alpha_0.5", 0.5),
                   cost_carbon_spec("alpha_0.75", 0.75), cost_carbon_spec("alpha_1", 1.0)};
  const ResultSet rs = run_scenario(sc, UtcOnly(), EngineOptions{1, false});
  double last_cost = std::numeric_limits<double>::infinity(), last_co2e = -1;
  for (std::size_t i = 1; i < rs.runs.size(); ++i) {
    const RunResult& r = rs.runs[i];
    ASSERT_EQ(r.status, "ok") << r.message;
    EXPECT_LE(num(r, "jobs_cost_usd"), last_cost) << r.name;
    EXPECT_GE(num(r, "jobs_co2e_kg"), last_co2e) << r.name;
    last_cost = num(r, "jobs_cost_usd");
    last_co2e = num(r, "jobs_co2e_kg");
  }
  const RunResult& carbon_only = rs.runs[1];
  const RunResult& cost_only = rs.runs.back();
  EXPECT_LT(num(cost_only, "jobs_cost_usd"), num(carbon_only, "jobs_cost_usd"));
  EXPECT_GT(num(cost_only, "jobs_co2e_kg"), num(carbon_only, "jobs_co2e_kg"));
  EXPECT_EQ(text(carbon_only, "label"), "alpha_0");

  const ResultSet b = run_scenario(sc, UtcOnly(), EngineOptions{4, false});
  ASSERT_EQ(rs.runs.size(), b.runs.size());
  for (std::size_t i = 0; i < rs.runs.size(); ++i) {
    ASSERT_EQ(rs.runs[i].jobs.size(), b.runs[i].jobs.size());
    for (std::size_t k = 0; k < rs.runs[i].jobs.size(); ++k) {
      EXPECT_EQ(rs.runs[i].jobs[k].start_s, b.runs[i].jobs[k].start_s);
      EXPECT_EQ(rs.runs[i].jobs[k].capacity, b.runs[i].jobs[k].capacity);
      EXPECT_EQ(rs.runs[i].jobs[k].interruptions, b.runs[i].jobs[k].interruptions);
      EXPECT_EQ(
          std::memcmp(&rs.runs[i].jobs[k].cost_usd, &b.runs[i].jobs[k].cost_usd, sizeof(double)),
          0);
    }
  }
}

} // namespace
} // namespace cfsim
