// Scenario loading (DESIGN §8): the opt-in fill policy of a carbon trace and the
// allow_mixed_signals flag, checked where they enter, with errors naming the allowed choices.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/scenario.hpp"

namespace cfsim {
namespace {

const std::string kCatalog = CFSIM_SOURCE_DIR "/scenarios/catalog";
const std::string kE2eDir = CFSIM_SOURCE_DIR "/tests/e2e";

// A small valid scenario; `carbon` is the traces.carbon object, `extra` more top-level keys.
std::string scenario_text(const std::string& carbon, const std::string& extra = "") {
  return R"({"name": "s", "catalog": ")" + kCatalog + R"(",
    "period": {"start": "2024-04-01T00:00:00Z", "days": 3},
    "traces": {"carbon": )" +
         carbon + R"(},
    "fleet": [{"instance_type": "m5.large", "region": "eu-central-1", "utilisation": 0.5}],
    "strategies": [{"name": "always_on"}])" +
         extra + "}";
}

Scenario parse(const std::string& carbon, const std::string& extra = "") {
  return parse_scenario(scenario_text(carbon, extra), "s.json", kE2eDir);
}

// The ConfigError text of parsing, or "" if it parsed.
std::string error_of(const std::string& carbon, const std::string& extra = "") {
  try {
    parse(carbon, extra);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const std::string kSynthetic = R"({"synthetic": {"zone": "DE"})";
const std::string kTidy = R"({"file": "golden_de_tidy.csv", "format": "tidy")";

TEST(ScenarioFill, DefaultIsNone) {
  EXPECT_EQ(parse(kSynthetic + "}").carbon.provenance.fill_policy, "none");
  EXPECT_EQ(parse(kTidy + "}").carbon.provenance.fill_policy, "none");
}

// The policy travels in the trace's provenance in the form the result file records.
TEST(ScenarioFill, PolicyAndLimitAreRecordedInTheTraceProvenance) {
  EXPECT_EQ(parse(kTidy + R"(, "fill": "linear", "max_fill_h": 6})").carbon.provenance.fill_policy,
            "linear(max 6 h)");
  EXPECT_EQ(parse(kTidy + R"(, "fill": "hold"})").carbon.provenance.fill_policy, "hold");
  EXPECT_EQ(parse(kSynthetic + R"(, "fill": "daily_profile", "max_fill_h": 1.5})")
                .carbon.provenance.fill_policy,
            "daily_profile(max 1.5 h)");
}

TEST(ScenarioFill, UnknownPolicyIsRejectedNamingTheAllowedOnes) {
  const std::string what = error_of(kTidy + R"(, "fill": "spline"})");
  EXPECT_NE(what.find("s.json"), std::string::npos) << what;
  EXPECT_NE(what.find("/traces/carbon/fill"), std::string::npos) << what;
  EXPECT_NE(what.find("'spline'"), std::string::npos) << what;
  EXPECT_NE(what.find("none, hold, linear, daily_profile"), std::string::npos) << what;
}

TEST(ScenarioFill, MaxFillNeedsAPolicyAndPositiveHours) {
  std::string what = error_of(kTidy + R"(, "max_fill_h": 6})");
  EXPECT_NE(what.find("/traces/carbon/max_fill_h"), std::string::npos) << what;
  EXPECT_NE(what.find("fill"), std::string::npos) << what;
  for (const char* bad : {"0", "-2", "\"6\""}) {
    what = error_of(kTidy + R"(, "fill": "hold", "max_fill_h": )" + bad + "}");
    EXPECT_NE(what.find("/traces/carbon/max_fill_h"), std::string::npos) << bad << ": " << what;
  }
  // Unknown keys of traces.carbon still list the new ones among the allowed keys.
  what = error_of(kTidy + R"(, "fil": "hold"})");
  EXPECT_NE(what.find("unknown key 'fil'"), std::string::npos) << what;
  EXPECT_NE(what.find("max_fill_h"), std::string::npos) << what;
}

TEST(ScenarioSignals, AllowMixedSignalsIsAnExplicitFlagDefaultFalse) {
  const Scenario def = parse(kSynthetic + "}");
  EXPECT_NE(def.resolved_json.find("\"allow_mixed_signals\":false"), std::string::npos)
      << def.resolved_json;
  const Scenario on = parse(kSynthetic + "}", R"(, "allow_mixed_signals": true)");
  EXPECT_NE(on.resolved_json.find("\"allow_mixed_signals\":true"), std::string::npos)
      << on.resolved_json;
  const std::string what = error_of(kSynthetic + "}", R"(, "allow_mixed_signals": "yes")");
  EXPECT_NE(what.find("/allow_mixed_signals"), std::string::npos) << what;
  EXPECT_NE(what.find("true or false"), std::string::npos) << what;
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// The jobs object of a scenario with two generated jobs; `extra` adds keys to it.
std::string jobs_extra(const std::string& extra) {
  return R"(, "jobs": {"run_on": {"instance_type": "m5.large", "region": "eu-central-1",
    "utilisation": 1}, "max_wait_h": 2, "generate": {"count": 2, "min_duration_h": 1,
    "max_duration_h": 2, "max_cpus": 2, "interruptible_share": 1})" +
         extra + "}";
}

TEST(ScenarioJobs, CheckpointRestartDefaultsToZero) {
  const Scenario sc = parse(kSynthetic + "}", jobs_extra(""));
  ASSERT_EQ(sc.jobs.size(), 2u);
  for (const Job& j : sc.jobs) {
    EXPECT_EQ(j.restart_overhead_s, 0);
    EXPECT_EQ(j.restart_energy_wh, 0.0);
    EXPECT_EQ(j.min_run_s, 0);
  }
}

TEST(ScenarioJobs, CheckpointRestartKeysApplyToEveryJob) {
  // 10 min → 600 s, 1.5 min → 90 s; 5 Wh as given.
  const Scenario sc = parse(
      kSynthetic + "}",
      jobs_extra(R"(, "restart_overhead_min": 10, "restart_energy_wh": 5, "min_run_min": 1.5)"));
  ASSERT_EQ(sc.jobs.size(), 2u);
  for (const Job& j : sc.jobs) {
    EXPECT_EQ(j.restart_overhead_s, 600);
    EXPECT_EQ(j.restart_energy_wh, 5.0);
    EXPECT_EQ(j.min_run_s, 90);
  }
}

TEST(ScenarioJobs, NegativeCheckpointRestartKeysAreRejectedByName) {
  for (const std::string key : {"restart_overhead_min", "restart_energy_wh", "min_run_min"}) {
    const std::string what = error_of(kSynthetic + "}", jobs_extra(", \"" + key + "\": -1"));
    EXPECT_NE(what.find(key), std::string::npos) << what;
    EXPECT_NE(what.find("≥ 0"), std::string::npos) << what;
  }
  const std::string what = error_of(kSynthetic + "}", jobs_extra(R"(, "min_run_min": "30")"));
  EXPECT_NE(what.find("min_run_min"), std::string::npos) << what;
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// jobs.capacity and jobs.regions (methodology §5.1–5.2): read where they enter, every mistake a
// ConfigError naming the file, the JSON path and the allowed choices.
std::string jobs_with(const std::string& extra) {
  return R"(, "jobs": {"run_on": {"instance_type": "m5.large", "region": "eu-central-1",
    "utilisation": 1}, "max_wait_h": 2, "generate": {"count": 2, "min_duration_h": 1,
    "max_duration_h": 2, "max_cpus": 2})" +
         extra + "}";
}

TEST(ScenarioCapacity, ReservedAndSpotAreRead) {
  const Scenario sc = parse(kSynthetic + "}", jobs_with(R"(, "capacity": {"reserved_vcpus": 4,
      "spot_fraction": 0.2, "spot_interruption_per_h": 0.05, "checkpoint_interval_min": 15,
      "restart_on": "spot"})"));
  ASSERT_TRUE(sc.job_pool.has_value());
  const JobCapacity& c = sc.job_pool->capacity;
  EXPECT_EQ(c.reserved_vcpus, 4.0);
  EXPECT_EQ(c.reserved_fee_fraction, 0.4); // the default (GAIA's ratio)
  EXPECT_EQ(c.spot_fraction, 0.2);
  EXPECT_TRUE(c.spot());
  EXPECT_EQ(c.interruption_per_h, 0.05);
  EXPECT_EQ(c.checkpoint_interval_s, 900);
  EXPECT_EQ(c.restart_on, PurchaseOption::spot);
  // The resolved scenario records the defaults that were applied.
  EXPECT_NE(sc.resolved_json.find("\"reserved_fee_fraction\":0.4"), std::string::npos)
      << sc.resolved_json;
  // Without a capacity block: on-demand only.
  const Scenario plain = parse(kSynthetic + "}", jobs_with(""));
  EXPECT_FALSE(plain.job_pool->capacity.spot());
  EXPECT_EQ(plain.job_pool->capacity.reserved_vcpus, 0.0);
  // A synthetic spot price trace: one price per grid cell (3 days hourly).
  const Scenario synth =
      parse(kSynthetic + "}", jobs_with(R"(, "capacity": {"spot_synthetic": {"mean_fraction": 0.3},
      "spot_interruption_per_h": 0})"));
  EXPECT_EQ(synth.job_pool->capacity.spot_usd_per_h.size(), 72u);
  EXPECT_EQ(synth.job_pool->capacity.restart_on, PurchaseOption::on_demand);
}

TEST(ScenarioCapacity, MistakesNameTheKeyAndTheAllowedValues) {
  const auto err = [](const std::string& capacity) {
    return error_of(kSynthetic + "}", jobs_with(R"(, "capacity": )" + capacity));
  };
  std::string what = err(R"({"spot_fraction": 0.2})");
  EXPECT_NE(what.find("/jobs/capacity/spot_interruption_per_h"), std::string::npos) << what;
  EXPECT_NE(what.find("never assumes"), std::string::npos) << what;
  what = err(R"({"checkpoint_interval_min": 10})");
  EXPECT_NE(what.find("checkpoint_interval_min"), std::string::npos) << what;
  EXPECT_NE(what.find("spot capacity"), std::string::npos) << what;
  what = err(R"({"spot_fraction": 0.2, "spot_interruption_per_h": 0.1, "restart_on": "later"})");
  EXPECT_NE(what.find("/jobs/capacity/restart_on"), std::string::npos) << what;
  EXPECT_NE(what.find("on_demand, spot"), std::string::npos) << what;
  what = err(R"({"spot_fraction": 0.2, "spot_interruption_per_h": 1.5})");
  EXPECT_NE(what.find("spot_interruption_per_h"), std::string::npos) << what;
  what = err(R"({"reserved_fee_fraction": 0.4})");
  EXPECT_NE(what.find("reserved_vcpus"), std::string::npos) << what;
  what = err(R"({"reserved": 4})");
  EXPECT_NE(what.find("unknown key 'reserved'"), std::string::npos) << what;
  EXPECT_NE(what.find("reserved_vcpus"), std::string::npos) << what;
  EXPECT_NE(what.find("spot_fraction"), std::string::npos) << what;
  what = err(R"({"reserved_vcpus": -1})");
  EXPECT_NE(what.find("/jobs/capacity/reserved_vcpus"), std::string::npos) << what;
}

const std::string kIrelandCandidate =
    R"({"region": "eu-west-1", "latency_ms": 12, "sovereignty": "eu",
        "carbon": {"synthetic": {"zone": "IE"}}})";

TEST(ScenarioRegions, CandidatesAreReadWithTheirOwnTrace) {
  const Scenario sc =
      parse(kSynthetic + "}", jobs_with(R"(, "regions": [)" + kIrelandCandidate + "]"));
  ASSERT_EQ(sc.job_regions.size(), 1u);
  const RegionCandidate& c = sc.job_regions[0];
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.latency_ms, 12.0);
  EXPECT_EQ(c.sovereignty, "eu");
  EXPECT_EQ(c.carbon.provenance.zone, "IE");
  EXPECT_EQ(c.carbon.provenance.fill_policy, "none");
  EXPECT_NE(c.carbon.provenance.source, sc.carbon.provenance.source);
  // Latency and sovereignty are optional: not stated is NaN and "".
  const Scenario bare = parse(kSynthetic + "}", jobs_with(R"(, "regions": [{"region": "eu-west-1",
      "carbon": {"synthetic": {"zone": "IE"}, "fill": "hold"}}])"));
  EXPECT_TRUE(std::isnan(bare.job_regions[0].latency_ms));
  EXPECT_EQ(bare.job_regions[0].sovereignty, "");
  EXPECT_EQ(bare.job_regions[0].carbon.provenance.fill_policy, "hold");
}

TEST(ScenarioRegions, MistakesNameTheCandidateAndTheAllowedChoices) {
  const auto err = [](const std::string& regions) {
    return error_of(kSynthetic + "}", jobs_with(R"(, "regions": )" + regions));
  };
  // No price for the pool's instance type: the regions that have one are listed.
  std::string what = err(R"([{"region": "eu-west-3", "carbon": {"synthetic": {"zone": "FR"}}}])");
  EXPECT_NE(what.find("/jobs/regions/0/region"), std::string::npos) << what;
  EXPECT_NE(what.find("eu-central-1, eu-west-1, us-east-1"), std::string::npos) << what;
  // The trace must be of the region's zone unless the what-if is asked for.
  what = err(R"([{"region": "eu-west-1", "carbon": {"synthetic": {"zone": "DE"}}}])");
  EXPECT_NE(what.find("/jobs/regions/0/carbon"), std::string::npos) << what;
  EXPECT_NE(what.find("check_region_zone"), std::string::npos) << what;
  EXPECT_EQ(err(R"([{"region": "eu-west-1", "carbon": {"synthetic": {"zone": "DE"},
                    "check_region_zone": false}}])"),
            "");
  // Home is candidate 0 already; a region twice; an unknown key lists the allowed ones.
  what = err(R"([{"region": "eu-central-1", "carbon": {"synthetic": {"zone": "DE"}}}])");
  EXPECT_NE(what.find("home region"), std::string::npos) << what;
  what = err("[" + kIrelandCandidate + ", " + kIrelandCandidate + "]");
  EXPECT_NE(what.find("/jobs/regions/1/region"), std::string::npos) << what;
  EXPECT_NE(what.find("twice"), std::string::npos) << what;
  what = err(R"([{"region": "eu-west-1", "latency": 5, "carbon": {"synthetic": {"zone": "IE"}}}])");
  EXPECT_NE(what.find("unknown key 'latency'"), std::string::npos) << what;
  EXPECT_NE(what.find("latency_ms"), std::string::npos) << what;
  EXPECT_NE(what.find("sovereignty"), std::string::npos) << what;
  what = err(R"([{"region": "eu-west-1", "latency_ms": -3,
                  "carbon": {"synthetic": {"zone": "IE"}}}])");
  EXPECT_NE(what.find("/jobs/regions/0/latency_ms"), std::string::npos) << what;
  // A candidate needs its own carbon trace: none is assumed.
  what = err(R"([{"region": "eu-west-1"}])");
  EXPECT_NE(what.find("carbon"), std::string::npos) << what;
}

} // namespace
} // namespace cfsim
