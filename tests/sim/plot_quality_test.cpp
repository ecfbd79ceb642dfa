// The `quality` figure (sim/plot/figure_quality.cpp): rows of /tables/quality with identical
// trace columns collapse into one .dat row holding the stored values; runs' own shares become a
// range; NaN (no billing data) stays NaN and reads "n/a"; no table gives a message figure; the
// .gp replays with plain gnuplot in every format without a warning.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "plot_test_util.hpp"

namespace cfsim {
namespace {

using namespace plot_test;

RunResult run(const std::string& strategy, const std::string& status = "ok") {
  RunResult r;
  r.name = "quality_test/" + strategy + "/-/seed=1";
  r.strategy = strategy;
  r.status = status;
  return r;
}

// Three runs; per run a carbon row (identical trace columns for runs 0 and 1, run 2's has another
// fill policy) and a candidate-region row (no billing metrics, NaN). Shares are binary fractions,
// so the sums and the percent texts below are exact.
ResultSet sample_results() {
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 24};
  rs.attributes = {{"scenario_name", "quality_test"}};
  rs.runs = {run("always_on"), run("office_hours"), run("ecovisor", "error")};
  using D = std::vector<double>;
  using S = std::vector<std::string>;
  Table t;
  t.name = "quality";
  t.columns = {
      {"run", "", std::vector<std::int64_t>{0, 1, 2, 0, 1, 2}},
      {"trace", "", S{"carbon", "carbon", "carbon", "eu-west-1", "eu-west-1", "eu-west-1"}},
      {"source", "", S{"em", "em", "em", "synthetic:IE", "synthetic:IE", "synthetic:IE"}},
      {"zone", "", S{"DE", "DE", "DE", "IE", "IE", "IE"}},
      {"signal", "", S(6, "average")},
      {"basis", "", S(6, "lifecycle")},
      {"fill_policy", "", S{"none", "none", "linear(max 6 h)", "none", "none", "none"}},
      {"measured_share", "1", D{0.75, 0.75, 0.75, 1, 1, 1}},
      {"estimated_share", "1", D{0.125, 0.125, 0.125, 0, 0, 0}},
      {"filled_share", "1", D{0.0625, 0.0625, 0.0625, 0, 0, 0}},
      {"missing_share", "1", D{0.0625, 0.0625, 0.0625, 0, 0, 0}},
      {"coverage", "1", D{0.875, 0.875, 0.875, 1, 1, 1}},
      {"co2e_coverage", "1", D{1.0, 0.75, kNaN, 1.0, 0.75, kNaN}},
      {"co2e_estimated_share", "1", D{0, 0.125, kNaN, 0, 0.125, kNaN}},
      {"co2e_filled_share", "1", D{0, 0, kNaN, 0, 0, kNaN}},
      {"tac_fleet", "1", D{0.25, 0.25, 0.25, kNaN, kNaN, kNaN}},
      {"cost_mape_pct", "%", D{12.5, 12.5, 12.5, kNaN, kNaN, kNaN}},
      {"dps_mean", "1", D{87.25, 87.25, 87.25, kNaN, kNaN, kNaN}},
  };
  rs.tables.push_back(t);
  return rs;
}

fs::path scratch(const std::string& name) {
  return scratch_dir("plot_quality_test", name);
}

PlotOptions options(const fs::path& dir) {
  return plot_options(dir, "sample", "quality");
}

TEST(PlotQuality, IdenticalTraceRowsCollapseToTheStoredValues) {
  const fs::path dir = scratch("sample");
  plot_results(sample_results(), options(dir));
  const auto rows = rows_of(dir / "sample_quality.dat");
  // Distinct traces in first-seen order: carbon (runs 0, 1), carbon with linear fill (run 2),
  // eu-west-1 (runs 0, 1, 2: same trace columns in every run).
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& r : rows)
    ASSERT_EQ(r.size(), 25u);
  const auto& c = rows[0];
  EXPECT_EQ(c[1], "carbon");
  EXPECT_EQ(c[2], "em");
  EXPECT_EQ(c[6], "none");
  const std::vector<std::string> carbon_numbers{"0.75", "0.125", "0.0625", "0.0625", "0.875",
                                                "0.25", "12.5",  "87.25",  "2"};
  EXPECT_EQ(std::vector<std::string>(c.begin() + 7, c.begin() + 16), carbon_numbers);
  EXPECT_EQ(c[16], "0.75"); // co2e_coverage over runs 0 and 1: 1.0 and 0.75
  EXPECT_EQ(c[17], "1");
  EXPECT_EQ(c[18], "0,1");
  EXPECT_EQ(c[19], "carbon · DE");
  EXPECT_EQ(c[20], "em, average, lifecycle, fill none");
  EXPECT_EQ(c[21], "measured 75.00 %, estimated 12.50 %");
  EXPECT_EQ(c[24], "filled 6.25 %, missing 6.25 %");
  EXPECT_EQ(c[22], "TAC 25.00 % · Cost-MAPE 12.5 % · DPS 87");
  EXPECT_EQ(c[23], "runs' energy on known intensity: 75.00 % to 100 % (2 runs)");

  // Run 2 failed: its co2e_coverage is NaN, so the range has no finite value.
  const auto& f = rows[1];
  EXPECT_EQ(f[6], "linear(max 6 h)");
  EXPECT_EQ(f[15], "1");
  EXPECT_EQ(f[16], "NaN");
  EXPECT_EQ(f[17], "NaN");
  EXPECT_EQ(f[18], "2");
  EXPECT_EQ(f[23], "runs' energy on known intensity: n/a (1 run)");

  // The region trace: no billing data — NaN in the numbers, n/a in the text, no energy line.
  const auto& r = rows[2];
  EXPECT_EQ(r[1], "eu-west-1");
  EXPECT_EQ(r[7], "1");
  EXPECT_EQ(r[12], "NaN");
  EXPECT_EQ(r[13], "NaN");
  EXPECT_EQ(r[14], "NaN");
  EXPECT_EQ(r[15], "3");
  EXPECT_EQ(r[18], "0,1,2");
  EXPECT_EQ(r[21], "measured 100 %");
  EXPECT_EQ(r[24], "no gaps");
  EXPECT_EQ(r[22], "TAC n/a · Cost-MAPE n/a · DPS n/a (no billing data)");
  EXPECT_EQ(r[23], "");

  const std::string dat = slurp(dir / "sample_quality.dat");
  EXPECT_NE(dat.find("Per-instance quality is not stored"), std::string::npos);
  EXPECT_NE(dat.find("# quality table: 6 rows"), std::string::npos);
}

TEST(PlotQuality, TinyMissingShareIsNotRoundedAway) {
  const fs::path dir = scratch("tiny");
  ResultSet rs = sample_results();
  for (TableColumn& col : rs.tables[0].columns) {
    if (col.name == "measured_share")
      col.values = std::vector<double>(6, 0.9993055555555556);
    if (col.name == "missing_share")
      col.values = std::vector<double>(6, 0.00006944444444444444);
  }
  plot_results(rs, options(dir));
  const auto rows = rows_of(dir / "sample_quality.dat");
  ASSERT_FALSE(rows.empty());
  // 100 × 6.944e-5 = 0.006944 %: below 0.01 %, so two significant digits, not "0.00 %".
  EXPECT_NE(rows[0][24].find("missing 0.0069 %"), std::string::npos) << rows[0][24];
  EXPECT_NE(rows[0][21].find("measured 99.93 %"), std::string::npos) << rows[0][21];
}

TEST(PlotQuality, NoQualityTableGivesAMessageFigure) {
  for (const bool empty_table : {false, true}) {
    const fs::path dir = scratch(empty_table ? "empty_table" : "no_table");
    ResultSet rs = sample_results();
    if (empty_table)
      for (TableColumn& col : rs.tables[0].columns)
        std::visit([](auto& v) { v.clear(); }, col.values);
    else
      rs.tables.clear();
    plot_results(rs, options(dir));
    EXPECT_TRUE(rows_of(dir / "sample_quality.dat").empty());
    const std::string gp = slurp(dir / "sample_quality.gp");
    EXPECT_NE(gp.find("Nothing to plot"), std::string::npos);
    EXPECT_NE(gp.find(empty_table ? "has no rows" : "cfsim sweep does not write it"),
              std::string::npos);
    EXPECT_TRUE(fs::exists(dir / "sample_quality.png"));
  }
}

TEST(PlotQuality, ScriptReplaysWithoutWarningsInEveryFormat) {
  const fs::path dir = scratch("replay");
  plot_results(sample_results(), options(dir));
  expect_replays(dir, "sample_quality");
  const fs::path message = scratch("replay_message");
  ResultSet rs = sample_results();
  rs.tables.clear();
  plot_results(rs, options(message));
  expect_replays(message, "sample_quality");
}

// ---- Without /tables/quality (a sweep): the summary's energy shares --------------------------

// A sweep-like run: its zone as `param_zone` (omitted if empty), the run's energy shares and
// billing metrics as summary fields.
RunResult sweep_run(const std::string& zone, const std::string& strategy, double cov, double est,
                    double fil, double tac = kNaN, double mape = kNaN, double dps = kNaN,
                    const std::string& status = "ok") {
  RunResult r;
  r.name = "sweep_test/" + strategy + "/zone=" + zone + "/seed=1";
  r.strategy = strategy;
  r.status = status;
  if (!zone.empty())
    r.summary.push_back({"param_zone", "", zone});
  r.summary.push_back({"co2e_coverage", "1", cov});
  r.summary.push_back({"co2e_estimated_share", "1", est});
  r.summary.push_back({"co2e_filled_share", "1", fil});
  const bool complete = std::isnan(cov) || (1.0 - cov) - fil <= 0.0;
  r.summary.push_back({"complete", "1", std::int64_t{complete ? 1 : 0}});
  r.summary.push_back({"tac_fleet", "1", tac});
  r.summary.push_back({"cost_mape_pct", "%", mape});
  r.summary.push_back({"dps_mean", "1", dps});
  return r;
}

// Two zones, interleaved in run order (so the groups are first-seen order, not run blocks);
// binary fractions, so every share below is exact:
//   run 0 DE  cov 1      est 0      fil 0       TAC 0.5   MAPE 10    DPS 80
//   run 1 FR  cov 0.5    est 0.5    fil 0.5     no billing
//   run 2 DE  cov 0.75   est 0.125  fil 0.125   TAC 0.25  MAPE 12.5  DPS 90
//   run 3 FR  cov 0.5    est 0.25   fil 0.25    no billing (ties with run 1)
//   run 4 FR  failed
//   run 5 DE  cov 0.875  est 0.25   fil 0.0625  TAC 0.75  MAPE 20    DPS 85
//   run 6 FR  cov 1      est 0      fil 0       no billing
// DE: lowest coverage = run 2: measured 0.75 - 0.125 = 0.625, estimated 0.125, filled 0.125,
//     unknown 1 - 0.75 - 0.125 = 0.125; coverage 0.75 to 1; TAC 0.25 to 0.75, MAPE 10 to 20,
//     DPS 80 to 90; incomplete (unknown > 0): run 2 and run 5 (1 - 0.875 - 0.0625 = 0.0625).
// FR: lowest coverage = run 1 (the first of the 0.5 tie): measured 0.5 - 0.5 = 0, estimated
//     0.5, filled 0.5, unknown 1 - 0.5 - 0.5 = 0; coverage 0.5 to 1; all billing NaN → n/a;
//     incomplete: run 3 (1 - 0.5 - 0.25 = 0.25); run 4 failed: counted and named, not drawn.
ResultSet sweep_results() {
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 24};
  rs.attributes = {{"scenario_name", "sweep_test"}};
  rs.runs = {
      sweep_run("DE", "always_on", 1, 0, 0, 0.5, 10, 80),
      sweep_run("FR", "always_on", 0.5, 0.5, 0.5),
      sweep_run("DE", "office_hours", 0.75, 0.125, 0.125, 0.25, 12.5, 90),
      sweep_run("FR", "office_hours", 0.5, 0.25, 0.25),
      sweep_run("FR", "ecovisor", kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, "error"),
      sweep_run("DE", "ecovisor", 0.875, 0.25, 0.0625, 0.75, 20, 85),
      sweep_run("FR", "no_wait", 1, 0, 0),
  };
  return rs;
}

TEST(PlotQuality, SweepDrawsTheLowestCoverageRunsEnergySharesPerZone) {
  const fs::path dir = scratch("sweep");
  plot_results(sweep_results(), options(dir));
  const Dat d = read_dat(dir / "sample_quality.dat");
  ASSERT_EQ(d.rows.size(), 2u);
  for (const auto& r : d.rows)
    ASSERT_EQ(r.size(), 25u);
  const std::vector<std::string> de{"0",     "DE",    "3",     "0",     "2",    "2",
                                    "0.625", "0.125", "0.125", "0.125", "0.75", "1",
                                    "0.25",  "0.75",  "10",    "20",    "80",   "90"};
  EXPECT_EQ(std::vector<std::string>(d.rows[0].begin(), d.rows[0].begin() + 18), de);
  EXPECT_EQ(d.rows[0][18], "sweep_test/office_hours/zone=DE/seed=1");
  EXPECT_EQ(d.rows[0][19], "carbon · DE (param_zone)");
  EXPECT_EQ(d.rows[0][20], "3 runs: 2 incomplete");
  EXPECT_EQ(d.rows[0][21], "measured 62.50 %, estimated 12.50 %");
  EXPECT_EQ(d.rows[0][22], "filled 12.50 %, unknown 12.50 %");
  EXPECT_EQ(d.rows[0][23], "coverage over the runs: 75.00–100 %");
  EXPECT_EQ(d.rows[0][24], "TAC 25.00–75.00 % · Cost-MAPE 10.0–20.0 % · DPS 80–90");

  // FR: the failed run 4 is not a member (3 ok runs) but is counted; run 3 is incomplete;
  // billing all NaN → n/a.
  const std::vector<std::string> fr{"1", "FR",  "3", "1",   "1",   "1",   "0",   "0.5", "0.5",
                                    "0", "0.5", "1", "NaN", "NaN", "NaN", "NaN", "NaN", "NaN"};
  EXPECT_EQ(std::vector<std::string>(d.rows[1].begin(), d.rows[1].begin() + 18), fr);
  EXPECT_EQ(d.rows[1][18], "sweep_test/always_on/zone=FR/seed=1");
  EXPECT_EQ(d.rows[1][20], "3 runs: 1 incomplete, 1 failed (not drawn)");
  EXPECT_EQ(d.rows[1][21], "estimated 50.00 %");
  EXPECT_EQ(d.rows[1][22], "filled 50.00 %");
  EXPECT_EQ(d.rows[1][23], "coverage over the runs: 50.00–100 %");
  EXPECT_EQ(d.rows[1][24], "TAC n/a · Cost-MAPE n/a · DPS n/a (no billing data)");

  // The header says what the bars are and names the failed run.
  EXPECT_TRUE(has_comment(d, "ENERGY shares from /tables/summary"));
  EXPECT_TRUE(has_comment(d, "NOT shown"));
  EXPECT_TRUE(has_comment(d, "failed runs (counted, not drawn): 1"));
  EXPECT_TRUE(has_comment(d, "sweep_test/ecovisor/zone=FR/seed=1"));
  const std::string gp = slurp(dir / "sample_quality.gp");
  EXPECT_NE(gp.find("Share of the runs' energy (%)"), std::string::npos);
  EXPECT_EQ(gp.find("grid time (%)"), std::string::npos);
  EXPECT_NE(gp.find("not the trace's grid-time shares"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "sample_quality.png"));
}

TEST(PlotQuality, SweepWithoutParamZoneGroupsByTheCarbonZoneAttribute) {
  const fs::path dir = scratch("sweep_attribute");
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 24};
  rs.attributes = {{"scenario_name", "sweep_test"}, {"carbon_zone", "PL"}};
  // 1 - 0.9 - 0.1 = -2.8e-17 and 1 - 0.8 - 0.2 = -5.6e-17: rounding, read as 0.
  rs.runs = {sweep_run("", "always_on", 0.9, 0, 0.1), sweep_run("", "no_wait", 0.8, 0.5, 0.2)};
  plot_results(rs, options(dir));
  const Dat d = read_dat(dir / "sample_quality.dat");
  ASSERT_EQ(d.rows.size(), 1u);
  const auto& r = d.rows[0];
  EXPECT_EQ(r[1], "PL");
  EXPECT_EQ(r[2], "2");
  EXPECT_EQ(r[5], "1");
  EXPECT_EQ(r[9], "0"); // unknown: -5.6e-17 clamped
  EXPECT_EQ(r[19], "carbon · PL (carbon_zone)");
  EXPECT_EQ(r[22], "filled 20.00 %");
  EXPECT_TRUE(has_comment(d, "root attribute carbon_zone"));

  // A share negative beyond rounding is kept and reported, not clamped.
  const fs::path bad = scratch("sweep_inconsistent");
  rs.runs = {sweep_run("", "always_on", 0.75, 0, 0.5)};
  plot_results(rs, options(bad));
  const Dat b = read_dat(bad / "sample_quality.dat");
  ASSERT_EQ(b.rows.size(), 1u);
  EXPECT_EQ(b.rows[0][9], "-0.25");
  EXPECT_TRUE(has_comment(b, "WARNING: zone PL"));
}

TEST(PlotQuality, SweepScriptReplaysWithoutWarningsInEveryFormat) {
  const fs::path dir = scratch("replay_sweep");
  plot_results(sweep_results(), options(dir));
  expect_replays(dir, "sample_quality");
}

} // namespace
} // namespace cfsim
