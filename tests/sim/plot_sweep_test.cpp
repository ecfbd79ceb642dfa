// The `sweep` figure (sim/plot/figure_sweep.cpp): replicates (runs differing only in seed) are
// summarised by their median and a min..max (< 10 seeds) or p5..p95 band, baselines are left out
// of savings, a failed replicate makes a gap, and the .gp replays in every format.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "plot_test_util.hpp"

namespace cfsim {
namespace {

using namespace plot_test;

// One run of a hand-made sweep "sw": strategy, allowed wait, seed and its savings. `p5`/`p95`
// are its own uncertainty fields (NaN: not written).
RunResult sweep_run(const std::string& strategy, double wait_h, int seed, double savings,
                    bool baseline = false, double p5 = kNaN, double p95 = kNaN,
                    const std::string& status = "ok") {
  RunResult r;
  std::ostringstream name;
  name << "sw/" << strategy << "/max_wait_h=" << wait_h << "/seed=" << seed;
  r.name = name.str();
  r.strategy = strategy;
  r.status = status;
  r.summary = {{"label", "", strategy},
               {"kind", "", std::string("jobs")},
               {"is_baseline", "1", std::int64_t{baseline ? 1 : 0}},
               {"param_max_wait_h", "", wait_h},
               {"savings_co2e_pct", "%", status == "ok" ? savings : kNaN},
               {"wait_mean_h", "h", wait_h / 2}};
  if (!std::isnan(p5)) {
    r.summary.push_back({"savings_co2e_p5_pct", "%", p5});
    r.summary.push_back({"savings_co2e_p95_pct", "%", p95});
  }
  return r;
}

// no_wait (baseline, 0 %), lowest_window (3 seeds; own p5/p95 = value − 2 / + 3) and
// wait_awhile (3 seeds, the third failed at 12 h) at 3 h and 12 h.
ResultSet sweep_results() {
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 0};
  const std::vector<double> lw3 = {10, 30, 20}, lw12 = {40, 50, 45};
  for (int seed = 1; seed <= 3; ++seed) {
    const auto i = static_cast<std::size_t>(seed - 1);
    rs.runs.push_back(sweep_run("no_wait", 3, seed, 0, true));
    rs.runs.push_back(sweep_run("lowest_window", 3, seed, lw3[i], false, lw3[i] - 2, lw3[i] + 3));
    rs.runs.push_back(sweep_run("wait_awhile", 3, seed, 5));
    rs.runs.push_back(sweep_run("no_wait", 12, seed, 0, true));
    rs.runs.push_back(
        sweep_run("lowest_window", 12, seed, lw12[i], false, lw12[i] - 2, lw12[i] + 3));
    rs.runs.push_back(
        sweep_run("wait_awhile", 12, seed, 7, false, kNaN, kNaN, seed == 3 ? "error" : "ok"));
  }
  rs.attributes = {{"cfsim_version", "0.1.0"}, {"scenario_name", "sw"}};
  return rs;
}

fs::path scratch(const std::string& name) {
  return scratch_dir("plot_sweep_test", name);
}

PlotOptions options(const fs::path& dir) {
  return plot_options(dir, "sw", "sweep");
}

TEST(PlotSweep, MedianAndMinMaxBandOverSeedsBaselinesLeftOut) {
  const fs::path dir = scratch("basic");
  plot_results(sweep_results(), options(dir));
  const auto rows = rows_of(dir / "sw_sweep.dat");
  // Two lines (lowest_window, wait_awhile) × two waits; no_wait is a baseline (0 %).
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& r : rows)
    ASSERT_EQ(r.size(), 15u);
  // lowest_window at 3 h: seeds 10, 30, 20 → median 20 (the middle value), band min 10 ..
  // max 30 (3 < 10 seeds); own p5/p95 envelope: 10 − 2 = 8 .. 30 + 3 = 33.
  EXPECT_EQ(rows[0][3], "lowest_window");
  EXPECT_EQ(rows[0][5], "3");
  EXPECT_EQ(rows[0][7], "3");
  EXPECT_EQ(rows[0][8], "3");
  EXPECT_EQ(rows[0][9], "20");
  EXPECT_EQ(rows[0][10], "10");
  EXPECT_EQ(rows[0][11], "30");
  EXPECT_EQ(rows[0][12], "min-max");
  EXPECT_EQ(rows[0][13], "8");
  EXPECT_EQ(rows[0][14], "33");
  // lowest_window at 12 h: 40, 50, 45 → 45, 40 .. 50, envelope 38 .. 53.
  EXPECT_EQ(rows[1][5], "12");
  EXPECT_EQ(rows[1][9], "45");
  EXPECT_EQ(rows[1][10], "40");
  EXPECT_EQ(rows[1][11], "50");
  EXPECT_EQ(rows[1][13], "38");
  EXPECT_EQ(rows[1][14], "53");
  // wait_awhile at 3 h: 5, 5, 5, no own uncertainty fields → NaN envelope (not invented).
  EXPECT_EQ(rows[2][3], "wait_awhile");
  EXPECT_EQ(rows[2][2], "2"); // second line
  EXPECT_EQ(rows[2][9], "5");
  EXPECT_EQ(rows[2][13], "NaN");
  // wait_awhile at 12 h: seed 3 failed → the point is a gap (No-Fallback), 2 of 3 known.
  EXPECT_EQ(rows[3][7], "3");
  EXPECT_EQ(rows[3][8], "2");
  EXPECT_EQ(rows[3][9], "NaN");
  EXPECT_EQ(rows[3][10], "NaN");
  EXPECT_EQ(rows[3][11], "NaN");
  const std::string gp = slurp(dir / "sw_sweep.gp");
  EXPECT_NE(gp.find("band: min-max over the seeds"), std::string::npos);
  EXPECT_NE(gp.find("gap: a seed's value unknown"), std::string::npos);
  EXPECT_EQ(gp.find("set logscale x"), std::string::npos); // 12 / 3 < 8: a linear axis
}

// Ten seeds: the band becomes p5..p95 (numpy.percentile, linear). Values 1..10 (worked out by
// hand): p5 at position 0.45 → 1.45, p95 at 8.55 → 9.55, median at 4.5 → 5.5. numpy's rounding
// (from the upper end when the fraction is ≥ 0.5: 10 − 0.45) gives 9.549999999999999 for p95,
// and 19.099999999999998 for twice the values; numpy.percentile prints these same digits.
TEST(PlotSweep, TenSeedsGiveAP5P95Band) {
  const fs::path dir = scratch("ten");
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 0};
  for (int seed = 1; seed <= 10; ++seed) {
    rs.runs.push_back(sweep_run("lowest_window", 6, seed, 11 - seed));
    rs.runs.push_back(sweep_run("lowest_window", 24, seed, 2.0 * seed));
  }
  plot_results(rs, options(dir));
  const auto rows = rows_of(dir / "sw_sweep.dat");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][9], "5.5");
  EXPECT_EQ(rows[0][10], "1.45");
  EXPECT_EQ(rows[0][11], "9.549999999999999");
  EXPECT_EQ(rows[0][12], "p5-p95");
  EXPECT_EQ(rows[1][9], "11"); // 2..20: twice the above
  EXPECT_EQ(rows[1][10], "2.9");
  EXPECT_EQ(rows[1][11], "19.099999999999998");
  EXPECT_NE(slurp(dir / "sw_sweep.gp").find("band: p5-p95 over the seeds"), std::string::npos);
}

TEST(PlotSweep, OtherMetricKeepsBaselinesAndStrategyFilters) {
  const fs::path dir = scratch("metric");
  PlotOptions opt = options(dir);
  opt.metric = "wait_mean_h";
  opt.strategy = "no_wait";
  plot_results(sweep_results(), opt);
  const auto rows = rows_of(dir / "sw_sweep.dat");
  ASSERT_EQ(rows.size(), 2u); // a waiting time is not 0 by definition: the baseline is drawn
  EXPECT_EQ(rows[0][3], "no_wait");
  EXPECT_EQ(rows[0][9], "1.5"); // wait_h / 2
  EXPECT_EQ(rows[1][9], "6");
}

TEST(PlotSweep, BadOptionsNameTheValidChoices) {
  const auto what = [](PlotOptions opt) {
    try {
      plot_results(sweep_results(), opt);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  PlotOptions opt = options(scratch("bad"));
  opt.sweep_x = "zone";
  EXPECT_NE(what(opt).find("Valid values are: max_wait_h"), std::string::npos) << what(opt);
  opt = options(scratch("bad"));
  opt.metric = "nope";
  EXPECT_NE(what(opt).find("savings_co2e_pct"), std::string::npos) << what(opt);
  opt = options(scratch("bad"));
  opt.strategy = "ecovisor";
  EXPECT_NE(what(opt).find("lowest_window, wait_awhile"), std::string::npos) << what(opt);
  opt = options(scratch("bad"));
  opt.sweep_x = "param_max_wait_h"; // the column name works too
  EXPECT_EQ(what(opt), "no error");
}

TEST(PlotSweep, NoSweptParameterDrawsAnExplainingFigure) {
  const fs::path dir = scratch("none");
  ResultSet rs = sweep_results();
  rs.runs.resize(3); // one max_wait_h value only: nothing was swept
  plot_results(rs, options(dir));
  EXPECT_TRUE(rows_of(dir / "sw_sweep.dat").empty());
  EXPECT_NE(slurp(dir / "sw_sweep.gp").find("no param_* columns"), std::string::npos);
  EXPECT_GT(fs::file_size(dir / "sw_sweep.png"), 0u);
}

// Two swept parameters: one panel per value of the other (here a text zone).
TEST(PlotSweep, SecondParameterGivesOnePanelPerValue) {
  const fs::path dir = scratch("panels");
  ResultSet rs = sweep_results();
  ResultSet more = sweep_results();
  for (RunResult& r : rs.runs)
    r.summary.push_back({"param_zone", "", std::string("FR")});
  for (RunResult& r : more.runs) {
    r.name += "/zone=DE";
    r.summary.push_back({"param_zone", "", std::string("DE")});
    rs.runs.push_back(r);
  }
  plot_results(rs, options(dir));
  const auto rows = rows_of(dir / "sw_sweep.dat");
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[0][1], "zone=FR"); // text values in sweep (first-seen) order
  EXPECT_EQ(rows[4][1], "zone=DE");
  EXPECT_EQ(rows[4][0], "2");
}

TEST(PlotSweep, ScriptReplaysWithoutWarningsInEveryFormat) {
  const fs::path dir = scratch("replay");
  PlotOptions opt = options(dir);
  opt.formats = {"pdf"};
  plot_results(sweep_results(), opt);
  expect_replays(dir, "sw_sweep");
}

} // namespace
} // namespace cfsim
