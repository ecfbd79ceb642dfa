// The `heatmap` figure (sim/plot/figure_heatmap.cpp): cells are the mean over the seeds of one
// strategy at one (x, y) point, text parameters are categorical axes in sweep order, unknown
// cells stay NaN and are flagged, one panel per strategy, and the .gp replays in every format.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

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

RunResult grid_run(const std::string& strategy, const std::string& zone, double wait_h, int seed,
                   double savings, bool baseline = false) {
  RunResult r;
  std::ostringstream name;
  name << "hm/" << strategy << "/zone=" << zone << ",max_wait_h=" << wait_h << "/seed=" << seed;
  r.name = name.str();
  r.strategy = strategy;
  r.status = "ok";
  r.summary = {{"label", "", strategy},
               {"is_baseline", "1", std::int64_t{baseline ? 1 : 0}},
               {"param_zone", "", zone},
               {"param_max_wait_h", "", wait_h},
               {"savings_co2e_pct", "%", savings}};
  return r;
}

// Zones FR then DE (sweep order, not alphabetical) × waits 12 then 3 (ascending on the axis)
// × seeds 1, 2. lowest_window's savings: zone FR 10 + seed, DE 20 + seed, plus the wait; the
// DE/12 h point was not run (a hole). wait_awhile: FR/3 h seed 2 is NaN (unknown).
ResultSet grid_results() {
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 0};
  for (const std::string zone : {"FR", "DE"})
    for (const double wait : {12.0, 3.0})
      for (int seed = 1; seed <= 2; ++seed) {
        const double base = (zone == "FR" ? 10.0 : 20.0) + seed + wait;
        rs.runs.push_back(grid_run("no_wait", zone, wait, seed, 0, true));
        if (!(zone == "DE" && wait == 12.0))
          rs.runs.push_back(grid_run("lowest_window", zone, wait, seed, base));
        rs.runs.push_back(grid_run("wait_awhile", zone, wait, seed,
                                   zone == "FR" && wait == 3.0 && seed == 2 ? kNaN : 0.5 * base));
      }
  rs.attributes = {{"cfsim_version", "0.1.0"}, {"scenario_name", "hm"}};
  return rs;
}

fs::path scratch(const std::string& name) {
  return scratch_dir("plot_heatmap_test", name);
}

PlotOptions options(const fs::path& dir) {
  return plot_options(dir, "hm", "heatmap");
}

TEST(PlotHeatmap, CellsAreSeedMeansOnCategoricalAxes) {
  const fs::path dir = scratch("basic");
  PlotOptions opt = options(dir);
  opt.sweep_x = "max_wait_h"; // default x would be zone (the first param_* column)
  plot_results(grid_results(), opt);
  const auto rows = rows_of(dir / "hm_heatmap.dat");
  // Two panels (no_wait is a baseline) × 2 waits × 2 zones, every cell written.
  ASSERT_EQ(rows.size(), 8u);
  for (const auto& r : rows)
    ASSERT_EQ(r.size(), 13u);
  // Panel 1, lowest_window; x = wait ascending (3, 12), y = zone in sweep order (FR, DE).
  // FR/3 h: seeds 10 + 1 + 3 = 14 and 15 → mean 14.5.
  EXPECT_EQ(rows[0][3], "lowest_window");
  EXPECT_EQ(rows[0][4], "0");
  EXPECT_EQ(rows[0][5], "3");
  EXPECT_EQ(rows[0][6], "0");
  EXPECT_EQ(rows[0][7], "FR");
  EXPECT_EQ(rows[0][8], "2");
  EXPECT_EQ(rows[0][10], "14.5");
  EXPECT_EQ(rows[0][11], "0");
  EXPECT_EQ(rows[0][12], "14"); // printed whole from 10 on (14.5 rounds to even)
  // FR/12 h: 23 and 24 → 23.5.
  EXPECT_EQ(rows[1][5], "12");
  EXPECT_EQ(rows[1][10], "23.5");
  // DE/3 h: 24 and 25 → 24.5.
  EXPECT_EQ(rows[2][7], "DE");
  EXPECT_EQ(rows[2][10], "24.5");
  // DE/12 h was not run: no replicates, NaN, flagged, no text (No-Fallback).
  EXPECT_EQ(rows[3][8], "0");
  EXPECT_EQ(rows[3][10], "NaN");
  EXPECT_EQ(rows[3][11], "1");
  EXPECT_EQ(rows[3][12], "");
  // Panel 2, wait_awhile: FR/3 h has an unknown seed → NaN with 1 of 2 known.
  EXPECT_EQ(rows[4][0], "2");
  EXPECT_EQ(rows[4][3], "wait_awhile");
  EXPECT_EQ(rows[4][8], "2");
  EXPECT_EQ(rows[4][9], "1");
  EXPECT_EQ(rows[4][10], "NaN");
  EXPECT_EQ(rows[4][11], "1");
  // FR/12 h: 0.5 × (23, 24) → 11.75, printed "12".
  EXPECT_EQ(rows[5][10], "11.75");
  EXPECT_EQ(rows[5][12], "12");
  const std::string gp = slurp(dir / "hm_heatmap.gp");
  EXPECT_NE(gp.find("grey hatched: unknown"), std::string::npos);
  EXPECT_NE(gp.find("lc palette"), std::string::npos);
}

TEST(PlotHeatmap, StrategyOptionKeepsOnePanelAndAxesSwap) {
  const fs::path dir = scratch("one");
  PlotOptions opt = options(dir);
  opt.strategy = "wait_awhile";
  plot_results(grid_results(), opt); // default: x = zone, y = max_wait_h
  const auto rows = rows_of(dir / "hm_heatmap.dat");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][5], "FR");
  EXPECT_EQ(rows[0][7], "3");
  EXPECT_EQ(rows[1][5], "DE");
  EXPECT_EQ(rows[1][7], "3");
  EXPECT_EQ(rows[1][10], "12.25"); // 0.5 × (24, 25)
  EXPECT_EQ(rows[1][12], "12");
}

TEST(PlotHeatmap, FewerThanTwoParametersDrawAnExplainingFigure) {
  const fs::path dir = scratch("one_param");
  ResultSet rs = grid_results();
  ResultSet fr;
  fr.grid = rs.grid;
  for (const RunResult& r : rs.runs)
    if (r.name.find("zone=FR") != std::string::npos)
      fr.runs.push_back(r);
  plot_results(fr, options(dir));
  EXPECT_TRUE(rows_of(dir / "hm_heatmap.dat").empty());
  EXPECT_NE(slurp(dir / "hm_heatmap.gp").find("a heatmap needs two"), std::string::npos);
  EXPECT_GT(fs::file_size(dir / "hm_heatmap.png"), 0u);
}

TEST(PlotHeatmap, SameAxisTwiceAndUnknownAxisAreUsageErrors) {
  PlotOptions opt = options(scratch("bad"));
  opt.sweep_x = "zone";
  opt.sweep_y = "param_zone";
  EXPECT_THROW(plot_results(grid_results(), opt), UsageError);
  opt.sweep_y = "region";
  try {
    plot_results(grid_results(), opt);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("zone, max_wait_h"), std::string::npos) << e.what();
  }
}

TEST(PlotHeatmap, ScriptReplaysWithoutWarningsInEveryFormat) {
  const fs::path dir = scratch("replay");
  PlotOptions opt = options(dir);
  opt.formats = {"pdf"};
  plot_results(grid_results(), opt);
  expect_replays(dir, "hm_heatmap");
}

} // namespace
} // namespace cfsim
