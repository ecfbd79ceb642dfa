// The `methods` figure (sim/plot/figure_methods.cpp): hourly accounting vs Cloud Carbon
// Footprint's estimate. The .dat holds the stored values (one run per label) or their mean,
// smallest and largest worked out by hand below (several runs per label); a missing CCF factor
// stays "n/a" (NaN, never 0); an incomplete run has no central value; the .gp replays without
// warnings in every format.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "plot_test_util.hpp"

namespace cfsim {
namespace {

using namespace plot_test;

struct Spec {
  std::string label, strategy, seed = "seed=1";
  bool complete = true;
  double hourly = 0, lower = 0, upper = 0, ccf = 0, diff = 0;
  std::string status = "ok";
};

RunResult make_run(const Spec& s) {
  RunResult r;
  r.name = "m/" + s.label + "/-/" + s.seed;
  r.strategy = s.strategy;
  r.status = s.status;
  if (s.status == "error")
    r.message = "catalog entry missing";
  r.summary = {
      {"run", "", r.name},
      {"strategy", "", s.strategy},
      {"status", "", s.status},
      {"label", "", s.label},
      {"kind", "", std::string("jobs")},
      {"is_baseline", "1", std::int64_t{0}},
      {"co2e_operational_kg", "kg", s.hourly},
      {"co2e_operational_lower_kg", "kg", s.complete ? s.hourly : s.lower},
      {"co2e_operational_upper_kg", "kg", s.complete ? s.hourly : s.upper},
      {"co2e_ccf_estimate_kg", "kg", s.ccf},
      {"co2e_ccf_difference_pct", "%", s.diff},
      {"complete", "1", std::int64_t{s.complete ? 1 : 0}},
  };
  return r;
}

ResultSet with_runs(const std::vector<Spec>& specs) {
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 0};
  for (const Spec& s : specs)
    rs.runs.push_back(make_run(s));
  rs.attributes = {{"cfsim_version", "0.1.0"}, {"scenario_name", "m"}};
  return rs;
}

fs::path scratch(const std::string& name) {
  return scratch_dir("plot_methods_test", name);
}

PlotOptions options(const fs::path& dir) {
  return plot_options(dir, "m", "methods");
}

// Rows of the .dat keyed by their label (column 3).
std::map<std::string, std::vector<std::string>> read_rows(const fs::path& p) {
  std::map<std::string, std::vector<std::string>> rows;
  for (auto& row : rows_of(p)) {
    EXPECT_EQ(row.size(), 21u) << ::testing::PrintToString(row);
    rows[row.at(2)] = row;
  }
  return rows;
}

// One run per label: the stored numbers, one row each.
//   always_on     hourly 80, CCF 60, 100 x (60/80 - 1) = -25 %
//   office_hours  hourly 40, CCF 50, +25 %
//   lowest_window incomplete: known part 30, bounds 35..45, CCF 36, no difference
//   region_shift  hourly 20, no CCF factor (NaN), no difference
TEST(PlotMethods, OneRunPerLabelShowsTheStoredValues) {
  const fs::path dir = scratch("per_run");
  plot_results(with_runs({{"always_on", "always_on", "seed=1", true, 80, 0, 0, 60, -25},
                          {"office_hours", "office_hours", "seed=1", true, 40, 0, 0, 50, 25},
                          {"lowest_window", "lowest_window", "seed=1", false, 30, 35, 45, 36, kNaN},
                          {"region_shift", "region_shift", "seed=1", true, 20, 0, 0, kNaN, kNaN},
                          {"ecovisor", "ecovisor", "seed=1", true, 0, 0, 0, 0, 0, "error"}}),
               options(dir));
  const auto rows = read_rows(dir / "m_methods.dat");
  ASSERT_EQ(rows.size(), 4u); // the failed run is left out
  const auto& a = rows.at("always_on");
  EXPECT_EQ(a[3], "1");
  EXPECT_EQ(to_double(a[4]), 80.0);
  EXPECT_EQ(to_double(a[5]), 80.0);
  EXPECT_EQ(to_double(a[6]), 80.0);
  EXPECT_EQ(to_double(a[7]), 60.0);
  EXPECT_EQ(to_double(a[10]), -25.0);
  EXPECT_EQ(to_double(a[13]), 80.0);
  EXPECT_EQ(a[17], "-25");
  EXPECT_EQ(a[18], "");
  EXPECT_EQ(to_double(a[19]), 80.0);
  EXPECT_EQ(a[20], "m/always_on/-/seed=1");
  EXPECT_EQ(rows.at("office_hours")[17], "+25");

  const auto& lw = rows.at("lowest_window"); // No-Fallback: no central value, no difference
  EXPECT_EQ(lw[4], "NaN");
  EXPECT_EQ(to_double(lw[5]), 35.0);
  EXPECT_EQ(to_double(lw[6]), 45.0);
  EXPECT_EQ(to_double(lw[13]), 35.0); // the bar shows the certain part
  EXPECT_EQ(lw[10], "NaN");
  EXPECT_EQ(lw[14], "0");
  EXPECT_EQ(lw[16], "0");
  EXPECT_EQ(lw[17], "n/a");
  EXPECT_EQ(lw[18], "(incomplete)");
  EXPECT_EQ(to_double(lw[19]), 45.0);

  const auto& rsh = rows.at("region_shift"); // no factor: NaN, never 0
  EXPECT_EQ(rsh[7], "NaN");
  EXPECT_EQ(rsh[15], "0");
  EXPECT_EQ(rsh[17], "n/a");
  EXPECT_EQ(rsh[18], "(no factor)");

  const std::string gp = slurp(dir / "m_methods.gp");
  EXPECT_NE(gp.find("n/a: no CCF factor for the region"), std::string::npos);
  EXPECT_NE(gp.find("not shown (run failed): ecovisor"), std::string::npos);
  EXPECT_NE(gp.find("Operational CO$_2$e (kg)"), std::string::npos);
  expect_replays(dir, "m_methods");
}

// Several runs per label: mean, smallest and largest over the runs that have the value.
//   lowest_window: seed 1 (10, CCF 12, +20 %), seed 2 (20, CCF 22, +10 %), seed 3 incomplete
//     (bounds 5..30, CCF 8): hourly mean (10 + 20) / 2 = 15 over 2 runs, whisker 5..30,
//     CCF (12 + 22 + 8) / 3 = 14 in 8..22, difference (20 + 10) / 2 = 15 in 10..20
//   always_on: (80, CCF 60, -25 %), (100, CCF 69, -31 %): 90, CCF 64.5, -28 % in -31..-25
TEST(PlotMethods, SeveralRunsPerLabelAreAggregated) {
  const fs::path dir = scratch("aggregated");
  plot_results(with_runs({{"lowest_window", "lowest_window", "seed=1", true, 10, 0, 0, 12, 20},
                          {"lowest_window", "lowest_window", "seed=2", true, 20, 0, 0, 22, 10},
                          {"lowest_window", "lowest_window", "seed=3", false, 1, 5, 30, 8, kNaN},
                          {"always_on", "always_on", "seed=1", true, 80, 0, 0, 60, -25},
                          {"always_on", "always_on", "seed=2", true, 100, 0, 0, 69, -31}}),
               options(dir));
  const auto rows = read_rows(dir / "m_methods.dat");
  ASSERT_EQ(rows.size(), 2u);
  const auto& lw = rows.at("lowest_window");
  EXPECT_EQ(lw[0], "1"); // order of first appearance
  EXPECT_EQ(lw[3], "3");
  EXPECT_EQ(to_double(lw[4]), 15.0);
  EXPECT_EQ(to_double(lw[5]), 5.0);
  EXPECT_EQ(to_double(lw[6]), 30.0);
  EXPECT_EQ(to_double(lw[7]), 14.0);
  EXPECT_EQ(to_double(lw[8]), 8.0);
  EXPECT_EQ(to_double(lw[9]), 22.0);
  EXPECT_EQ(to_double(lw[10]), 15.0);
  EXPECT_EQ(to_double(lw[11]), 10.0);
  EXPECT_EQ(to_double(lw[12]), 20.0);
  EXPECT_EQ(to_double(lw[13]), 15.0);
  EXPECT_EQ(lw[14], "2");
  EXPECT_EQ(lw[15], "3");
  EXPECT_EQ(lw[16], "2");
  EXPECT_EQ(lw[17], "+15");
  EXPECT_EQ(lw[18], "+10..+20");
  EXPECT_EQ(to_double(lw[19]), 30.0);
  const auto& ao = rows.at("always_on");
  EXPECT_EQ(to_double(ao[4]), 90.0);
  EXPECT_EQ(to_double(ao[7]), 64.5);
  EXPECT_EQ(to_double(ao[10]), -28.0);
  EXPECT_EQ(ao[17], "-28");
  EXPECT_EQ(ao[18], "-31..-25");
  EXPECT_NE(slurp(dir / "m_methods.gp").find("bars: mean per label (5 runs)"), std::string::npos);
  expect_replays(dir, "m_methods");
}

TEST(PlotMethods, NoRunWithResultsGivesAMessageFigure) {
  const fs::path dir = scratch("empty");
  plot_results(with_runs({{"ecovisor", "ecovisor", "seed=1", true, 0, 0, 0, 0, 0, "error"}}),
               options(dir));
  EXPECT_TRUE(read_rows(dir / "m_methods.dat").empty());
  EXPECT_NE(slurp(dir / "m_methods.gp").find("Nothing to plot"), std::string::npos);
  expect_replays(dir, "m_methods");
}

TEST(PlotMethods, LayoutSurvivesBothWidths) {
  for (const std::string width : {"1col", "2col"}) {
    const fs::path dir = scratch("width_" + width);
    PlotOptions opt = options(dir);
    opt.width = width;
    plot_results(
        with_runs({{"always_on", "always_on", "seed=1", true, 80, 0, 0, 60, -25},
                   {"carbon_office_hours", "carbon_office_hours", "seed=1", true, 40, 0, 0, 50, 25},
                   {"lowest_window", "lowest_window", "seed=1", true, 30, 0, 0, 36, 20},
                   {"wait_awhile", "wait_awhile", "seed=1", true, 20, 0, 0, 15, -25}}),
        opt);
    expect_replays(dir, "m_methods");
  }
}

} // namespace
} // namespace cfsim
