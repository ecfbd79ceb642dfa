// Uncertainty of a scenario's results (methodology §8): the energy model's coefficient
// intervals and p5 / p50 / p95 of the savings over forecast-noise seeds, by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <variant>

#include "cfsim/engine.hpp"
#include "cfsim/error.hpp"
#include "cfsim/forecast_models.hpp"
#include "cfsim/scenario.hpp"
#include "cfsim/stats.hpp"

namespace cfsim {
namespace {

constexpr TimeS T0 = 1711929600; // 2024-04-01T00:00:00Z

class NoZones : public TimeZoneDb {
public:
  UtcOffsetTable offsets(const std::string& zone, TimeS, TimeS) const override {
    throw ConfigError("no time zones in this test (asked for '" + zone + "')");
  }
};

double num(const RunResult& r, const std::string& name) {
  for (const Field& f : r.summary)
    if (f.name == name) {
      if (const auto* d = std::get_if<double>(&f.value))
        return *d;
      return static_cast<double>(std::get<std::int64_t>(f.value));
    }
  ADD_FAILURE() << "no summary field " << name;
  return NAN;
}

const RunResult& run_labelled(const ResultSet& rs, const std::string& label) {
  for (const RunResult& r : rs.runs)
    for (const Field& f : r.summary)
      if (f.name == "label" && std::get<std::string>(f.value) == label)
        return r;
  throw std::runtime_error("no run " + label);
}

// One instance type: 2 vCPUs at 1..3 W each (burstable: no memory power), PUE 1.5.
Scenario one_box_scenario() {
  Scenario sc;
  sc.name = "u";
  sc.grid = TimeGrid{T0, 3600, 3};
  Microarch m{"X", 1.0, 3.0, std::nullopt};
  sc.catalog.microarchs["X"] = m;
  InstanceType it;
  it.name = "t.test";
  it.family = "t";
  it.vcpus = 2;
  it.memory_gb = 8;
  it.microarchs = {"X"};
  it.burstable = true;
  it.on_demand_usd_per_h["r1"] = 0.1;
  sc.catalog.instances[it.name] = it;
  sc.catalog.families["t"] = FamilyMax{2, 8};
  sc.catalog.pue_by_provider["aws"] = 1.5;
  sc.catalog.ebs_usd_per_gb_month["r1"] = 0.073;
  // 100 g/kWh, missing, 300 g/kWh: the missing hour lies within the observed [100, 300].
  sc.carbon.push(T0, T0 + 3600, 100, Quality::measured);
  sc.carbon.push(T0 + 7200, T0 + 10800, 300, Quality::measured);
  FleetGroup g;
  g.name = "box";
  g.instance_type = "t.test";
  g.region = "r1";
  g.utilisation.hourly = {0.5};
  sc.fleet = {g};
  sc.strategies = {{"always_on", "always_on", Value()}};
  return sc;
}

// Central: 2 × (1 + 0.5 × 2) = 4 W → 0.006 kWh per hour with PUE 1.5: known 0.006 × (100 +
// 300) = 2.4 g, the missing hour in [0.6, 1.8] g → bounds [3.0, 4.2] g.
// Low end (utilisation 0.5 − 0.5 = 0, watts × 0.5): 2 × 0.5 = 1 W → 0.0015 kWh/h, lower bound
// 0.0015 × (100 + 300 + 100) = 0.75 g. High end (0.5 + 0.25 = 0.75, watts × 2): 2 × (2 + 0.75 ×
// 4) = 10 W → 0.015 kWh/h, upper bound 0.015 × (100 + 300 + 300) = 10.5 g.
TEST(Uncertainty, EnergyModelIntervalsBoundTheTotalsByHand) {
  Scenario sc = one_box_scenario();
  sc.uncertainty.utilisation_low = -0.5;
  sc.uncertainty.utilisation_high = 0.25;
  sc.uncertainty.watts_factor_low = 0.5;
  sc.uncertainty.watts_factor_high = 2.0;
  const ResultSet rs = run_scenario(sc, NoZones(), EngineOptions{1, false});
  const RunResult& r = run_labelled(rs, "always_on");
  EXPECT_NEAR(num(r, "co2e_operational_lower_kg"), 3.0e-3, 1e-12);
  EXPECT_NEAR(num(r, "co2e_operational_upper_kg"), 4.2e-3, 1e-12);
  EXPECT_NEAR(num(r, "energy_kwh"), 0.018, 1e-12);
  EXPECT_NEAR(num(r, "energy_model_lower_kwh"), 0.0045, 1e-12);
  EXPECT_NEAR(num(r, "energy_model_upper_kwh"), 0.045, 1e-12);
  EXPECT_NEAR(num(r, "co2e_model_lower_kg"), 0.75e-3, 1e-12);
  EXPECT_NEAR(num(r, "co2e_model_upper_kg"), 10.5e-3, 1e-12);
  // Against itself the saving is 0 in every model world.
  EXPECT_EQ(num(r, "savings_co2e_model_lower_pct"), 0.0);
  EXPECT_EQ(num(r, "savings_co2e_model_upper_pct"), 0.0);
}

// Point coefficients: the model bounds are the missing-data bounds, nothing wider.
TEST(Uncertainty, PointCoefficientsLeaveOnlyTheMissingDataBounds) {
  const ResultSet rs = run_scenario(one_box_scenario(), NoZones(), EngineOptions{1, false});
  const RunResult& r = run_labelled(rs, "always_on");
  EXPECT_EQ(num(r, "co2e_model_lower_kg"), num(r, "co2e_operational_lower_kg"));
  EXPECT_EQ(num(r, "co2e_model_upper_kg"), num(r, "co2e_operational_upper_kg"));
  EXPECT_EQ(num(r, "uncertainty_seeds"), 1.0);
  EXPECT_TRUE(rs.tables.empty() || rs.tables.back().name != "seeds");
}

// Jobs over a day whose hourly intensity rises and falls, decided on a noisy forecast (σ = 30 %
// of the mean): lowest_window's saving depends on the noise draw, i.e. on the seed.
Scenario noisy_jobs_scenario(std::uint64_t seed, int seeds) {
  Scenario sc = one_box_scenario();
  sc.grid = TimeGrid{T0, 3600, 48};
  sc.carbon = RawSeries{};
  for (int h = 0; h < 48; ++h)
    sc.carbon.push(T0 + h * 3600, T0 + (h + 1) * 3600, 200 + 100 * std::sin(h * 0.45),
                   Quality::measured);
  sc.fleet.clear();
  for (int i = 0; i < 8; ++i)
    sc.jobs.push_back(Job{i, T0 + i * 3 * 3600, 2 * 3600, 1, 12 * 3600, false});
  sc.job_pool = JobPool{"t.test", "r1", 1.0};
  sc.strategies = {{"no_wait", "no_wait", Value()}, {"lowest_window", "lowest_window", Value()}};
  sc.forecast =
      parse_forecast_spec(Value(Value::Object{{"kind", Value("gaussian")}, {"error", Value(0.3)}}));
  sc.seed = seed;
  sc.uncertainty.seeds = seeds;
  return sc;
}

// p5 / p50 / p95 over seeds 7, 8, 9 are numpy's linear percentiles of the three single-seed
// savings s(7), s(8), s(9) sorted as a ≤ b ≤ c: p5 at position 0.1 = a + 0.1 (b − a), p50 = b,
// p95 at position 1.9 = b + 0.9 (c − b).
TEST(Uncertainty, SeedPercentilesOfTheSavingsByHand) {
  std::vector<double> single;
  for (std::uint64_t s = 7; s < 10; ++s) {
    const ResultSet one =
        run_scenario(noisy_jobs_scenario(s, 1), NoZones(), EngineOptions{1, false});
    single.push_back(num(run_labelled(one, "lowest_window"), "savings_co2e_pct"));
  }
  std::sort(single.begin(), single.end());
  ASSERT_LT(single.front(), single.back()) << "the noise should change some decision";
  const double a = single[0], b = single[1], c = single[2];

  const ResultSet rs = run_scenario(noisy_jobs_scenario(7, 3), NoZones(), EngineOptions{2, false});
  const RunResult& r = run_labelled(rs, "lowest_window");
  EXPECT_EQ(num(r, "uncertainty_seeds"), 3.0);
  EXPECT_NEAR(num(r, "savings_co2e_p5_pct"), a + 0.1 * (b - a), 1e-9);
  EXPECT_NEAR(num(r, "savings_co2e_p50_pct"), b, 1e-9);
  EXPECT_NEAR(num(r, "savings_co2e_p95_pct"), b + 0.9 * (c - b), 1e-9);
  // The central values are seed 7's, as without the uncertainty block.
  const ResultSet seven =
      run_scenario(noisy_jobs_scenario(7, 1), NoZones(), EngineOptions{1, false});
  EXPECT_EQ(num(r, "savings_co2e_pct"),
            num(run_labelled(seven, "lowest_window"), "savings_co2e_pct"));
  // /tables/seeds: one row per run and seed.
  ASSERT_FALSE(rs.tables.empty());
  const Table& t = rs.tables.back();
  EXPECT_EQ(t.name, "seeds");
  EXPECT_EQ(t.rows(), 3 * rs.runs.size());
}

// The scenario block: {"seeds", "utilisation_offset", "watts_factor"}; intervals must contain
// the point value, and mistakes name what is allowed.
std::string uncertainty_error(const std::string& block) {
  const std::string text = R"({"name": "s", "catalog": ")" CFSIM_SOURCE_DIR
                           R"(/scenarios/catalog", "period": {"start": "2024-04-01T00:00:00Z",
    "days": 1}, "traces": {"carbon": {"synthetic": {"zone": "DE"}}},
    "fleet": [{"instance_type": "m5.large", "region": "eu-central-1", "utilisation": 0.5}],
    "strategies": [{"name": "always_on"}], "uncertainty": )" +
                           block + "}";
  try {
    const Scenario sc = parse_scenario(text, "s.json", ".");
    EXPECT_EQ(sc.uncertainty.seeds, 4);
    EXPECT_EQ(sc.uncertainty.watts_factor_high, 1.2);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Uncertainty, ScenarioBlockIsCheckedWhereItEnters) {
  EXPECT_EQ(uncertainty_error(R"({"seeds": 4, "utilisation_offset": [-0.1, 0.1],
                                  "watts_factor": [0.8, 1.2]})"),
            "");
  EXPECT_NE(uncertainty_error(R"({"seeds": 0})").find("/uncertainty/seeds"), std::string::npos);
  EXPECT_NE(uncertainty_error(R"({"watts_factor": [1.1, 1.2]})").find("0 ≤ low ≤ 1 ≤ high"),
            std::string::npos);
  EXPECT_NE(uncertainty_error(R"({"utilisation_offset": 0.1})").find("[low, high]"),
            std::string::npos);
  EXPECT_NE(uncertainty_error(R"({"sedes": 3})").find("sedes"), std::string::npos);
}

} // namespace
} // namespace cfsim
