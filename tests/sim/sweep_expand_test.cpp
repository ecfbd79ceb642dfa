// The `sweep` block (DESIGN §8, docs/sweeps.md): cartesian products over JSON pointers, ranges,
// seeds, short names and errors.
#include <gtest/gtest.h>

#include <string>

#include "cfsim/error.hpp"
#include "sweep/expand.hpp"

namespace cfsim {
namespace {

using json = nlohmann::json;

const json kBase = json::parse(R"({
  "name": "s", "seed": 5,
  "jobs": {"max_wait_h": 12, "run_on": {"region": "eu-central-1"}},
  "strategies": [{"name": "no_wait"}, {"name": "cost_carbon", "params": {"alpha": 0.5}}]
})");

std::string error_of(const std::string& sweep) {
  json doc = kBase;
  doc["sweep"] = json::parse(sweep);
  try {
    (void)read_sweep(doc, "s.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepExpand, NoSweepIsOnePointWithTheScenarioSeed) {
  const Sweep s = read_sweep(kBase, "s.json");
  ASSERT_EQ(s.size(), 1u);
  const SweepPoint p = s.point(kBase, 0);
  EXPECT_EQ(p.seed, 5u);
  EXPECT_TRUE(p.params.empty());
  EXPECT_EQ(p.doc, kBase);
}

// 3 waits × 2 alphas × 2 seeds = 12 points; the first axis (keys in order: "/jobs/..." before
// "/strategies/...") varies slowest, seeds fastest. Point 7 = wait index 1, alpha index 1,
// seed index 1: 7 = (1 × 2 + 1) × 2 + 1.
TEST(SweepExpand, CartesianProductInAxisOrderWithSeedsFastest) {
  json doc = kBase;
  doc["sweep"] = json::parse(R"({"/jobs/max_wait_h": [6, 12, 24],
      "/strategies/1/params/alpha": {"from": 0, "to": 1, "step": 1}, "seeds": {"from": 1, "to": 2}})");
  const Sweep s = read_sweep(doc, "s.json");
  ASSERT_EQ(s.size(), 12u);
  const SweepPoint p = s.point(doc, 7);
  EXPECT_EQ(p.doc["jobs"]["max_wait_h"], 12);
  EXPECT_EQ(p.doc["strategies"][1]["params"]["alpha"], 1);
  EXPECT_EQ(p.seed, 2u);
  EXPECT_EQ(p.doc["seed"], 2);
  EXPECT_FALSE(p.doc.contains("sweep"));
  ASSERT_EQ(p.params.size(), 2u);
  EXPECT_EQ(p.params[0].first, "max_wait_h");
  EXPECT_EQ(p.params[1].first, "alpha");
  EXPECT_EQ(param_text(p.params[1].second), "1");
}

// 0..1 in steps of 0.25 has 5 values; 0..0.3 in steps of 0.1 keeps 0.3 despite rounding.
TEST(SweepExpand, RangesIncludeTheirEnd) {
  json doc = kBase;
  doc["sweep"] =
      json::parse(R"({"/strategies/1/params/alpha": {"from": 0, "to": 1, "step": 0.25}})");
  const Sweep s = read_sweep(doc, "s.json");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(param_text(s.point(doc, 1).params[0].second), "0.25");
  doc["sweep"] =
      json::parse(R"({"/strategies/1/params/alpha": {"from": 0, "to": 0.3, "step": 0.1}})");
  EXPECT_EQ(read_sweep(doc, "s.json").size(), 4u);
}

TEST(SweepExpand, SharedLastSegmentsGetLongerNames) {
  json doc = kBase;
  doc["jobs"]["run_on"]["max_wait_h"] = 1;
  doc["sweep"] = json::parse(R"({"/jobs/max_wait_h": [1], "/jobs/run_on/max_wait_h": [2]})");
  const Sweep s = read_sweep(doc, "s.json");
  EXPECT_EQ(s.axes[0].name, "jobs.max_wait_h");
  EXPECT_EQ(s.axes[1].name, "run_on.max_wait_h");
}

TEST(SweepExpand, MistakesNameThePointerAndWhatIsAllowed) {
  EXPECT_NE(error_of(R"({"/jobz/max_wait_h": [1]})")
                .find("/sweep//jobz/max_wait_h: the scenario has no '/jobz'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"/strategies/7/params/alpha": [1]})").find("no '/strategies/7/params'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"jobs": [1]})").find("JSON pointer"), std::string::npos);
  EXPECT_NE(error_of(R"({"/jobs/max_wait_h": []})").find("empty"), std::string::npos);
  EXPECT_NE(error_of(R"({"/jobs/max_wait_h": {"from": 2, "to": 1}})").find("from ≤ to"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"/jobs/max_wait_h": {"from": 1, "upto": 2}})").find("allowed: from, to, step"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"seeds": [-1]})").find("whole numbers"), std::string::npos);
  EXPECT_NE(error_of(R"({"/seed": [1]})").find("seeds"), std::string::npos);
  EXPECT_NE(error_of(R"({"/name": ["a/b"]})").find("cannot be swept"), std::string::npos);
}

} // namespace
} // namespace cfsim
