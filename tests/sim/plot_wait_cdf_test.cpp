// The `wait_cdf` figure (sim/plot/figure_wait_cdf.cpp): the .dat holds the ECDF steps of the
// stored waits, worked out by hand below; fleet, failed and job-less runs are left out; seeds of
// one sweep point pool, sweep points get a panel each; the .gp replays with plain gnuplot in
// every format without a warning.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "plot_test_util.hpp"

namespace cfsim {
namespace {

using namespace plot_test;
constexpr TimeS kStart = 1709510400; // 2024-03-04T00:00:00Z

JobRecord job(std::int64_t id, double wait_h, bool missed = false) {
  JobRecord j;
  j.job_id = id;
  j.arrival_s = kStart + 3600 * id;
  j.wait_h = wait_h;
  j.start_s = j.arrival_s + (std::isnan(wait_h) ? 0 : static_cast<TimeS>(wait_h * 3600));
  j.end_s = j.start_s + 3600;
  j.pieces = 1;
  j.cpus = 2;
  j.deadline_missed = missed;
  return j;
}

RunResult run(const std::string& name, const std::string& strategy, const std::string& kind,
              std::vector<JobRecord> jobs, const std::string& status = "ok") {
  RunResult r;
  r.name = name;
  r.strategy = strategy;
  r.status = status;
  if (status == "error")
    r.message = "trace file missing";
  r.summary = {{"label", "", strategy}, {"kind", "", kind}};
  r.jobs = std::move(jobs);
  return r;
}

// One scenario, allowed wait 6 h (in the stored scenario JSON, as `cfsim run` writes it).
ResultSet single_results() {
  ResultSet rs;
  rs.grid = TimeGrid{kStart, 3600, 48};
  rs.attributes = {{"scenario_name", "wait_test"},
                   {"scenario_json", R"({"name":"wait_test","jobs":{"max_wait_h":6}})"}};
  // A fleet run also places the jobs (like the baseline): not drawn.
  rs.runs.push_back(run("wait_test/always_on/-/seed=1", "always_on", "fleet", {job(0, 0)}));
  rs.runs.push_back(
      run("wait_test/no_wait/-/seed=1", "no_wait", "jobs", {job(0, 0), job(1, 0), job(2, 0)}));
  rs.runs.push_back(run("wait_test/lowest_window/-/seed=1", "lowest_window", "jobs",
                        {job(0, 2), job(1, 0.5), job(2, 2, true), job(3, 5.25)}));
  rs.runs.push_back(run("wait_test/wait_awhile/-/seed=1", "wait_awhile", "jobs", {}, "error"));
  rs.runs.push_back(run("wait_test/ecovisor/-/seed=1", "ecovisor", "jobs", {}));
  rs.runs.push_back(
      run("wait_test/carbon_time/-/seed=1", "carbon_time", "jobs", {job(0, 1), job(1, kNaN)}));
  return rs;
}

// A sweep: allowed wait 3 h and 6 h (param_max_wait_h), two seeds each.
ResultSet sweep_results(int points) {
  ResultSet rs;
  rs.grid = TimeGrid{kStart, 3600, 48};
  rs.attributes = {{"scenario_name", "sweep_test"},
                   {"scenario_text", R"({"jobs": {"max_wait_h": 12}})"}};
  for (int p = 0; p < points; ++p)
    for (int seed = 1; seed <= 2; ++seed) {
      const double wait = 3.0 * (p + 1);
      const std::string tail =
          "/max_wait_h=" + std::to_string(static_cast<int>(wait)) + "/seed=" + std::to_string(seed);
      RunResult r = run("sweep_test/lowest_window" + tail, "lowest_window", "jobs",
                        {job(0, seed * 0.5), job(1, wait)});
      r.summary.push_back({"param_max_wait_h", "", wait});
      rs.runs.push_back(r);
    }
  return rs;
}

fs::path scratch(const std::string& name) {
  return scratch_dir("plot_wait_cdf_test", name);
}

PlotOptions options(const fs::path& dir) {
  return plot_options(dir, "sample", "wait_cdf");
}

// The rows of group `group` as numbers: group, wait_h, jobs_le, share, step.
std::vector<std::vector<double>> rows_of(const Dat& d, double group) {
  std::vector<std::vector<double>> out;
  for (const auto& r : d.rows) {
    std::vector<double> row;
    for (const std::string& f : r)
      row.push_back(to_double(f));
    if (row.at(0) == group)
      out.push_back(row);
  }
  return out;
}

TEST(PlotWaitCdf, DatHoldsTheEcdfStepsOfTheStoredWaits) {
  const fs::path dir = scratch("single");
  plot_results(single_results(), options(dir));
  const Dat d = read_dat(dir / "sample_wait_cdf.dat");

  // Groups: no_wait, lowest_window, carbon_time (runs 1, 2, 5). Fleet, failed, empty: not drawn.
  EXPECT_TRUE(has_comment(d, "# group 0: strategy \"no_wait\", label \"no_wait\", point \"\", "
                             "runs 1, jobs 3, unknown_wait 0, deadline_misses 0, max_wait_h 6"));
  EXPECT_TRUE(has_comment(d, "# group 1: strategy \"lowest_window\", label \"lowest_window\", "
                             "point \"\", runs 2, jobs 4, unknown_wait 0, deadline_misses 1, "
                             "max_wait_h 6"));
  EXPECT_TRUE(has_comment(d, "# group 2: strategy \"carbon_time\", label \"carbon_time\", "
                             "point \"\", runs 5, jobs 1, unknown_wait 1, deadline_misses 0"));
  EXPECT_FALSE(has_comment(d, "# group 3"));
  EXPECT_TRUE(has_comment(d, "# fleet runs (not drawn): wait_test/always_on/-/seed=1"));
  EXPECT_TRUE(has_comment(d, "# job runs without jobs (not drawn): wait_test/ecovisor/-/seed=1"));
  EXPECT_TRUE(has_comment(d, "wait_test/wait_awhile/-/seed=1: trace file missing"));

  // The panel ends at 1.06 × max(longest wait 5.25 h, allowed wait 6 h) = 6.36 h.
  const double x_end = 6.0 * 1.06;
  // no_wait: all three jobs at 0 h — a single step from 0 to 1 at 0 h.
  const auto g0 = rows_of(d, 0);
  ASSERT_EQ(g0.size(), 3u);
  EXPECT_EQ(g0[0], (std::vector<double>{0, 0, 0, 0, 0}));     // drawing aid: share 0 before
  EXPECT_EQ(g0[1], (std::vector<double>{0, 0, 3, 1, 1}));     // the step: 3 of 3 jobs at 0 h
  EXPECT_EQ(g0[2], (std::vector<double>{0, x_end, 3, 1, 0})); // carried to the right edge
  // lowest_window: waits 2, 0.5, 2, 5.25 h, sorted 0.5, 2, 2, 5.25: steps at the three
  // distinct waits with 1, 3 and 4 of the 4 jobs.
  const auto g1 = rows_of(d, 1);
  ASSERT_EQ(g1.size(), 5u);
  EXPECT_EQ(g1[0], (std::vector<double>{1, 0.5, 0, 0, 0}));
  EXPECT_EQ(g1[1], (std::vector<double>{1, 0.5, 1, 0.25, 1}));
  EXPECT_EQ(g1[2], (std::vector<double>{1, 2, 3, 0.75, 1}));
  EXPECT_EQ(g1[3], (std::vector<double>{1, 5.25, 4, 1, 1}));
  EXPECT_EQ(g1[4], (std::vector<double>{1, x_end, 4, 1, 0}));
  // carbon_time: the NaN wait is counted as unknown, never drawn as a number.
  const auto g2 = rows_of(d, 2);
  ASSERT_EQ(g2.size(), 3u);
  EXPECT_EQ(g2[1], (std::vector<double>{2, 1, 1, 1, 1}));

  const std::string gp = slurp(dir / "sample_wait_cdf.gp");
  EXPECT_NE(gp.find("lowest_window (1 missed)"), std::string::npos);
  EXPECT_NE(gp.find("set arrow 1 from 6, graph 0 to 6, graph 1"), std::string::npos);
  EXPECT_NE(gp.find("not shown (run failed): wait_awhile"), std::string::npos);
  EXPECT_NE(gp.find("1 job with unknown wait not drawn"), std::string::npos);
  EXPECT_NE(gp.find("Waiting time (h)"), std::string::npos);
}

TEST(PlotWaitCdf, SeedsOfASweepPointPoolAndPointsGetPanels) {
  const fs::path dir = scratch("sweep");
  plot_results(sweep_results(2), options(dir));
  const Dat d = read_dat(dir / "sample_wait_cdf.dat");
  // Point max_wait_h=3: seeds 1 and 2 pooled, waits {0.5, 3} and {1, 3} → 0.5, 1, 3, 3.
  EXPECT_TRUE(has_comment(d, "# group 0: strategy \"lowest_window\", label \"lowest_window\", "
                             "point \"max_wait_h=3\", runs 0,1, jobs 4, unknown_wait 0, "
                             "deadline_misses 0, max_wait_h 3"));
  EXPECT_TRUE(has_comment(d, "point \"max_wait_h=6\", runs 2,3, jobs 4, unknown_wait 0, "
                             "deadline_misses 0, max_wait_h 6"));
  const auto g0 = rows_of(d, 0);
  ASSERT_EQ(g0.size(), 5u);
  EXPECT_EQ(g0[1], (std::vector<double>{0, 0.5, 1, 0.25, 1}));
  EXPECT_EQ(g0[2], (std::vector<double>{0, 1, 2, 0.5, 1}));
  EXPECT_EQ(g0[3], (std::vector<double>{0, 3, 4, 1, 1}));
  EXPECT_EQ(g0[4], (std::vector<double>{0, 3 * 1.06, 4, 1, 0}));
  const std::string gp = slurp(dir / "sample_wait_cdf.gp");
  EXPECT_NE(gp.find("n_panels = 2"), std::string::npos);
  // The swept allowed wait (3 h, 6 h) wins over the scenario's 12 h.
  EXPECT_NE(gp.find("set arrow 1 from 3, graph 0"), std::string::npos);
  EXPECT_NE(gp.find("set arrow 1 from 6, graph 0"), std::string::npos);
  EXPECT_EQ(gp.find("from 12,"), std::string::npos);
  EXPECT_NE(gp.find("each line pools the jobs of up to 2 runs (seeds)"), std::string::npos);
}

TEST(PlotWaitCdf, ManySweepPointsPoolIntoOnePanel) {
  const fs::path dir = scratch("many");
  plot_results(sweep_results(7), options(dir));
  const Dat d = read_dat(dir / "sample_wait_cdf.dat");
  // 7 points > 6 panels: one group with all 14 runs (28 jobs), allowed waits differ → NaN.
  EXPECT_TRUE(has_comment(d, "point \"all 7 sweep points\", runs 0,1,2,3,4,5,6,7,8,9,10,11,12,13, "
                             "jobs 28, unknown_wait 0, deadline_misses 0, max_wait_h NaN"));
  EXPECT_FALSE(has_comment(d, "# group 1"));
  const auto g0 = rows_of(d, 0);
  ASSERT_FALSE(g0.empty());
  // Waits: 0.5 (7 runs of seed 1), 1 (7 of seed 2), and 3, 6, ..., 21 twice each.
  EXPECT_EQ(g0[1], (std::vector<double>{0, 0.5, 7, 0.25, 1}));
  EXPECT_EQ(g0[2], (std::vector<double>{0, 1, 14, 0.5, 1}));
  EXPECT_EQ(g0[3], (std::vector<double>{0, 3, 16, 16.0 / 28.0, 1}));
  EXPECT_NE(slurp(dir / "sample_wait_cdf.gp").find("unset arrow 1"), std::string::npos);
}

TEST(PlotWaitCdf, NoJobRunsGiveAMessageFigure) {
  const fs::path dir = scratch("empty");
  ResultSet rs = single_results();
  rs.runs.erase(rs.runs.begin() + 1, rs.runs.end()); // only the fleet run is left
  PlotOptions opt = options(dir);
  opt.formats = {"png", "pdf"};
  plot_results(rs, opt);
  const Dat d = read_dat(dir / "sample_wait_cdf.dat");
  EXPECT_TRUE(d.rows.empty());
  const std::string gp = slurp(dir / "sample_wait_cdf.gp");
  EXPECT_NE(gp.find("Nothing to plot"), std::string::npos);
  EXPECT_NE(gp.find("No job placements to draw"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "sample_wait_cdf.png"));
}

TEST(PlotWaitCdf, ScriptReplaysWithoutWarningsInEveryFormat) {
  for (int points : {0, 2}) {
    const fs::path dir = scratch("replay_" + std::to_string(points));
    plot_results(points == 0 ? single_results() : sweep_results(points), options(dir));
    expect_replays(dir, "sample_wait_cdf");
  }
  const fs::path dir = scratch("replay_message");
  ResultSet rs = single_results();
  rs.runs.resize(1);
  plot_results(rs, options(dir));
  expect_replays(dir, "sample_wait_cdf");
}

} // namespace
} // namespace cfsim
