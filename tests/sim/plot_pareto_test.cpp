// The `pareto` figure (sim/plot/figure_pareto.cpp): the .dat holds the stored totals of the
// workload each run decides, the front is the set of non-dominated complete runs worked out by
// hand below, incomplete runs are ranges outside the front, and the .gp replays without
// warnings in every format.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "plot_test_util.hpp"

namespace cfsim {
namespace {

using namespace plot_test;

struct Spec {
  std::string label, strategy, kind, seed = "seed=1";
  bool baseline = false, complete = true;
  double cost = 0, co2e = 0, lower = 0, upper = 0; // of the workload the run decides
  std::string status = "ok";
};

// A run whose decided workload has `cost` / `co2e`; the other workload gets numbers that would
// change the answer if the figure used them (or the run totals) by mistake.
RunResult make_run(const Spec& s) {
  RunResult r;
  r.name = "t/" + s.label + "/-/" + s.seed;
  r.strategy = s.strategy;
  r.status = s.status;
  if (s.status == "error")
    r.message = "trace missing";
  const std::string other = s.kind == "fleet" ? "jobs" : "fleet";
  const double lo = s.complete ? s.co2e : s.lower, hi = s.complete ? s.co2e : s.upper;
  r.summary = {
      {"run", "", r.name},
      {"strategy", "", s.strategy},
      {"status", "", s.status},
      {"scenario", "", std::string("t")},
      {"label", "", s.label},
      {"kind", "", s.kind},
      {"is_baseline", "1", std::int64_t{s.baseline ? 1 : 0}},
      {"co2e_operational_kg", "kg", s.co2e + 1000},
      {"cost_usd", "USD", s.cost + 1000},
      {s.kind + "_co2e_kg", "kg", s.co2e},
      {s.kind + "_co2e_lower_kg", "kg", lo},
      {s.kind + "_co2e_upper_kg", "kg", hi},
      {s.kind + "_cost_usd", "USD", s.cost},
      {other + "_co2e_kg", "kg", 0.5},
      {other + "_co2e_lower_kg", "kg", 0.5},
      {other + "_co2e_upper_kg", "kg", 0.5},
      {other + "_cost_usd", "USD", 0.5},
      {"complete", "1", std::int64_t{s.complete ? 1 : 0}},
  };
  return r;
}

// Jobs, seed 1 (cost USD, CO2e kg):
//   no_wait (baseline) (10, 8)  dominated by alpha_0 (6, 5)
//   alpha_0            (6, 5)   front (ties lowest_window: neither is strictly better)
//   lowest_window      (6, 5)   front
//   alpha_0.5          (4, 6)   front
//   alpha_1            (3, 9)   front (cheapest)
//   ecovisor           (5, 6)   dominated by alpha_0.5 (cheaper, same CO2e)
//   wait_awhile        (2, known 1, range 4..7) incomplete: no point, not in the race (its known
//                      part 1 kg would otherwise dominate every other run)
// Jobs, seed 2: carbon_time (1, 1): its own front; it does not knock out the seed-1 runs.
// Fleet: always_on (baseline) (100, 50) dominated by office_hours (40, 20).
ResultSet sample(bool with_error = true) {
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 0};
  const std::vector<Spec> specs = {
      {"always_on", "always_on", "fleet", "seed=1", true, true, 100, 50},
      {"office_hours", "office_hours", "fleet", "seed=1", false, true, 40, 20},
      {"no_wait", "no_wait", "jobs", "seed=1", true, true, 10, 8},
      {"alpha_0", "cost_carbon", "jobs", "seed=1", false, true, 6, 5},
      {"lowest_window", "lowest_window", "jobs", "seed=1", false, true, 6, 5},
      {"alpha_0.5", "cost_carbon", "jobs", "seed=1", false, true, 4, 6},
      {"alpha_1", "cost_carbon", "jobs", "seed=1", false, true, 3, 9},
      {"ecovisor", "ecovisor", "jobs", "seed=1", false, true, 5, 6},
      {"wait_awhile", "wait_awhile", "jobs", "seed=1", false, false, 2, 1, 4, 7},
      {"carbon_time", "carbon_time", "jobs", "seed=2", false, true, 1, 1},
  };
  for (const Spec& s : specs)
    rs.runs.push_back(make_run(s));
  if (with_error)
    rs.runs.push_back(make_run(
        {"best_window", "best_window", "jobs", "seed=1", false, true, 0, 0, 0, 0, "error"}));
  rs.attributes = {
      {"cfsim_version", "0.1.0"}, {"scenario_name", "t"}, {"scenario_sha256", "0123456789abcdef"}};
  return rs;
}

fs::path scratch(const std::string& name) {
  return scratch_dir("plot_pareto_test", name);
}

PlotOptions options(const fs::path& dir) {
  return plot_options(dir, "t", "pareto");
}

// The data blocks of a .dat (gnuplot's `index`: separated by two blank lines).
std::vector<std::vector<std::vector<std::string>>> read_blocks(const fs::path& p) {
  std::vector<std::vector<std::vector<std::string>>> blocks(1);
  std::istringstream in(slurp(p));
  int blank = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) {
      if (++blank == 2 && !blocks.back().empty())
        blocks.emplace_back();
      continue;
    }
    blank = 0;
    if (line[0] != '#')
      blocks.back().push_back(split_row(line));
  }
  return blocks;
}

TEST(PlotPareto, DatHoldsTheDecidedWorkloadsTotalsAndTheHandWorkedFront) {
  const fs::path dir = scratch("front");
  const ResultSet rs = sample();
  plot_results(rs, options(dir));
  const auto blocks = read_blocks(dir / "t_pareto.dat");
  ASSERT_EQ(blocks.size(), 2u);
  const auto& rows = blocks[0];
  ASSERT_EQ(rows.size(), 10u); // the failed run is not a row
  std::map<std::string, std::vector<std::string>> by_label;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 14u);
    by_label[row[2]] = row;
  }
  // The stored workload totals, not the run totals (which are 1000 higher).
  EXPECT_EQ(to_double(by_label["alpha_0.5"][6]), 4.0);
  EXPECT_EQ(to_double(by_label["alpha_0.5"][7]), 6.0);
  EXPECT_EQ(to_double(by_label["always_on"][6]), 100.0);
  EXPECT_EQ(by_label["always_on"][0], "fleet");
  EXPECT_EQ(by_label["always_on"][4], "1");
  // The incomplete run keeps its stored values, but its point is NaN (No-Fallback).
  const auto& wa = by_label["wait_awhile"];
  EXPECT_EQ(wa[5], "0");
  EXPECT_EQ(to_double(wa[7]), 1.0);
  EXPECT_EQ(to_double(wa[8]), 4.0);
  EXPECT_EQ(to_double(wa[9]), 7.0);
  EXPECT_EQ(wa[10], "NaN");
  EXPECT_EQ(wa[11], "0");
  EXPECT_EQ(to_double(by_label["alpha_1"][10]), 9.0);

  const std::set<std::string> want_front = {"office_hours", "alpha_0", "lowest_window",
                                            "alpha_0.5",    "alpha_1", "carbon_time"};
  for (const auto& [label, row] : by_label)
    EXPECT_EQ(row[11], want_front.count(label) ? "1" : "0") << label;
  EXPECT_EQ(by_label["carbon_time"][12], "t seed=2");
  EXPECT_EQ(by_label["alpha_0"][12], "t seed=1");
  // The LaTeX spelling for fmt tex, its backslash doubled as gnuplot reads quoted data text.
  EXPECT_EQ(by_label["alpha_0"][13], "alpha\\\\_0");

  // Index 1: the staircases, by kind and group, cost ascending (a tie by run name).
  std::vector<std::string> front_runs;
  for (const auto& row : blocks[1]) {
    ASSERT_EQ(row.size(), 5u);
    front_runs.push_back(row[4]);
  }
  EXPECT_EQ(front_runs,
            (std::vector<std::string>{"t/office_hours/-/seed=1", "t/alpha_1/-/seed=1",
                                      "t/alpha_0.5/-/seed=1", "t/alpha_0/-/seed=1",
                                      "t/lowest_window/-/seed=1", "t/carbon_time/-/seed=2"}));
  EXPECT_EQ(to_double(blocks[1][1][2]), 3.0);
  EXPECT_EQ(to_double(blocks[1][1][3]), 9.0);

  const std::string dat = slurp(dir / "t_pareto.dat");
  EXPECT_NE(dat.find("best_window (t/best_window/-/seed=1: trace missing)"), std::string::npos);
  const std::string gp = slurp(dir / "t_pareto.gp");
  EXPECT_NE(gp.find("not part of the front"), std::string::npos);
  EXPECT_NE(gp.find("one front per seed"), std::string::npos);
  EXPECT_NE(gp.find("not shown (run failed): best_window"), std::string::npos);
  EXPECT_NE(gp.find("Batch-job runs: the jobs' cost and CO_2e"), std::string::npos);
  EXPECT_NE(gp.find("Fleet runs: the fleet's cost and CO$_2$e"), std::string::npos);
  EXPECT_NE(gp.find("Operational\\nCO$_2$e (kg)"), std::string::npos);
  expect_replays(dir, "t_pareto");
}

TEST(PlotPareto, OnlyIncompleteRunsGiveRangesAndNoFront) {
  const fs::path dir = scratch("incomplete");
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 0};
  rs.runs.push_back(make_run({"no_wait", "no_wait", "jobs", "seed=1", true, false, 10, 3, 5, 9}));
  rs.runs.push_back(
      make_run({"lowest_window", "lowest_window", "jobs", "seed=1", false, false, 10, 2, 4, 8}));
  plot_results(rs, options(dir));
  const auto blocks = read_blocks(dir / "t_pareto.dat");
  ASSERT_EQ(blocks.size(), 1u); // no front block
  for (const auto& row : blocks[0]) {
    EXPECT_EQ(row[10], "NaN");
    EXPECT_EQ(row[11], "0");
  }
  // One cost for both runs: the x range is widened around it rather than left empty.
  EXPECT_NE(slurp(dir / "t_pareto.gp").find("set xrange [9.9:10.1]"), std::string::npos);
  expect_replays(dir, "t_pareto");
}

TEST(PlotPareto, NothingToPlaceGivesAMessageFigure) {
  const fs::path dir = scratch("empty");
  ResultSet rs;
  rs.grid = TimeGrid{1709510400, 3600, 0};
  rs.runs.push_back(
      make_run({"no_wait", "no_wait", "jobs", "seed=1", true, true, 0, 0, 0, 0, "error"}));
  plot_results(rs, options(dir));
  const auto blocks = read_blocks(dir / "t_pareto.dat");
  EXPECT_TRUE(blocks[0].empty());
  EXPECT_NE(slurp(dir / "t_pareto.gp").find("Nothing to plot"), std::string::npos);
  expect_replays(dir, "t_pareto");
}

TEST(PlotPareto, LayoutSurvivesBothWidths) {
  for (const std::string width : {"1col", "2col"}) {
    const fs::path dir = scratch("width_" + width);
    PlotOptions opt = options(dir);
    opt.width = width;
    plot_results(sample(false), opt);
    const std::string gp = slurp(dir / "t_pareto.gp");
    EXPECT_NE(gp.find(width == "1col" ? "fig_w = width_1col" : "fig_w = width_2col"),
              std::string::npos);
    expect_replays(dir, "t_pareto");
  }
}

} // namespace
} // namespace cfsim
