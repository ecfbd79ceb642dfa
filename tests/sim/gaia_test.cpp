// The GAIA experiment's edges (sim/published/gaia.cpp): the job trace and carbon readers on the
// real files of ../shared/data (hash-checked first) with the checksums of
// ../shared/published/gaia.md §2-§3, their error messages, and the experiment file's strict
// reading and result set.
#include <gtest/gtest.h>

#include "test_support.hpp"

#include <cstdio>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "cfsim/error.hpp"
#include "cfsim/gaia.hpp"
#include "cfsim/io.hpp"
#include "published/experiments.hpp"
#include "published/gaia_data.hpp"

namespace {

using cfsim::test::kShared;
using cfsim::test::sha_matches;
using cfsim::test::throws_with;
namespace gd = cfsim::published::gaia_data;

constexpr const char* kPaiSha = "f1fb822a29bff1a12948a482423f761d68ac7c88ae541f646fe4e6e149361069";
constexpr const char* kEsSha = "06752426534b84a317a14083774f52e58afe132612064b181f4d5f05fa8120b8";

// ---- the job trace (spec §3) -------------------------------------------------------------------

TEST(GaiaData, Pai1kChecksums) {
  ASSERT_TRUE(sha_matches("gaia/pai_1k.csv", kPaiSha));
  const std::string path = kShared + "gaia/pai_1k.csv";
  const gd::JobTrace t = gd::parse_job_trace(cfsim::read_file(path), path);
  ASSERT_EQ(t.rows.size(), 1000u);
  const cfsim::gaia::Workload w = cfsim::gaia::make_workload(t.rows);
  // §3 checksums.
  EXPECT_EQ(w.expected_short, 454);
  EXPECT_EQ(w.expected_long, 5221);
  EXPECT_EQ(w.n_short, 715);
  EXPECT_EQ(w.n_long, 285);
  // Row 2 (line 4): 463.0,1570.0,3 → a = trunc(92.6) = 92, L = 314.
  EXPECT_EQ(w.jobs[2].arrival, 92);
  EXPECT_EQ(w.jobs[2].length, 314);
  EXPECT_EQ(w.jobs[2].cpus, 3);
  EXPECT_EQ(t.lines[2], 4);
  // Every length ≥ 300 s (60 steps), as the spec says.
  for (const auto& j : w.jobs)
    EXPECT_GE(j.length, 60);
}

TEST(GaiaData, JobTraceErrorsNameFileLineAndRule) {
  const std::string h = "arrival_time,length,cpus\n";
  EXPECT_TRUE(throws_with([&] { gd::parse_job_trace("arrival,length,cpus\n0,300,1\n", "j.csv"); },
                          {"j.csv:1:", "arrival_time,length,cpus"}));
  EXPECT_TRUE(throws_with([&] { gd::parse_job_trace(h + "10,300,1\n5,300,1\n", "j.csv"); },
                          {"j.csv:3:", "arrival order"}));
  EXPECT_TRUE(throws_with([&] { gd::parse_job_trace(h + "0,4.9,1\n", "j.csv"); },
                          {"j.csv:2:", "shorter than one 5-s step"}));
  EXPECT_TRUE(throws_with([&] { gd::parse_job_trace(h + "0,300,1.5\n", "j.csv"); },
                          {"j.csv:2:", "whole number of cores"}));
  EXPECT_TRUE(
      throws_with([&] { gd::parse_job_trace(h + "0,300,0\n", "j.csv"); }, {"j.csv:2:", "cpus 0"}));
  EXPECT_TRUE(throws_with([&] { gd::parse_job_trace(h + "-1,300,1\n", "j.csv"); },
                          {"j.csv:2:", "out of range"}));
  EXPECT_TRUE(throws_with([&] { gd::parse_job_trace(h + "0,abc,1\n", "j.csv"); },
                          {"j.csv:2:", "not a number"}));
  EXPECT_TRUE(throws_with([&] { gd::parse_job_trace(h, "j.csv"); }, {"j.csv:2:", "no data"}));
  // Raw seconds are kept for the experiment's own truncation.
  const gd::JobTrace t = gd::parse_job_trace(h + "463.7,1574.9,2\n", "j.csv");
  EXPECT_DOUBLE_EQ(t.rows[0].arrival_s, 463.7);
  EXPECT_DOUBLE_EQ(t.rows[0].length_s, 1574.9);
}

// ---- the carbon window (spec §2) ---------------------------------------------------------------

TEST(GaiaData, Es2022WindowAtStartIndex7000) {
  ASSERT_TRUE(sha_matches("em-portal/ES_2022_hourly.csv", kEsSha));
  const std::string path = kShared + "em-portal/ES_2022_hourly.csv";
  const std::string text = cfsim::read_file(path);
  const gd::HourlyCarbon lca = gd::parse_hourly_carbon(text, path, cfsim::EmissionBasis::lifecycle);
  ASSERT_EQ(lca.g_per_kwh.size(), 8760u);
  EXPECT_EQ(lca.column, "Carbon Intensity gCO₂eq/kWh (LCA)");
  EXPECT_EQ(lca.zone, "ES");
  const gd::CarbonWindow w = gd::select_window(lca, path, 0, 7000);
  ASSERT_EQ(w.g_per_kwh.size(), 720u);
  EXPECT_EQ(w.first_row, 7000);
  EXPECT_EQ(cfsim::format_utc(w.first_hour_s), "2022-10-19T16:00:00Z");
  EXPECT_EQ(cfsim::format_utc(w.last_hour_s), "2022-11-18T15:00:00Z");
  // Line 7002 (`sed -n 7002p`): 2022-10-19 16:00:00,...,166.64,222.1,...
  EXPECT_DOUBLE_EQ(w.g_per_kwh.front(), 222.1);
  const gd::HourlyCarbon direct = gd::parse_hourly_carbon(text, path, cfsim::EmissionBasis::direct);
  EXPECT_EQ(direct.column, "Carbon Intensity gCO₂eq/kWh (direct)");
  EXPECT_DOUBLE_EQ(gd::select_window(direct, path, 0, 7000).g_per_kwh.front(), 166.64);
  // The optional sweep's last start fits; one more row does not (the original would shorten
  // the horizon silently).
  EXPECT_EQ(gd::select_window(lca, path, 0, 8040).g_per_kwh.size(), 720u);
  EXPECT_TRUE(throws_with([&] { gd::select_window(lca, path, 0, 8041); },
                          {"ES_2022_hourly.csv", "8760 data rows", "720 consecutive hours"}));
  EXPECT_TRUE(throws_with([&] { gd::select_window(lca, path, 17544, 7000); },
                          {"base offset 17544", "[24544, 25264)"}));
}

std::string portal(int rows, int skip_hour = -1, int empty_row = -1) {
  std::string t = "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),"
                  "Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable "
                  "Percentage,Data Source,Data Estimated,Data Estimation Method\n";
  int hour = 0;
  for (int i = 0; i < rows; ++i, ++hour) {
    if (hour == skip_hour)
      ++hour;
    char ts[32];
    std::snprintf(ts, sizeof ts, "2022-01-%02d %02d:00:00", 1 + hour / 24, hour % 24);
    t += std::string(ts) + ",Spain,Spain,ES,100," + (i == empty_row ? "" : "200") +
         ",50,40,entsoe.eu," + (i == 3 ? "true" : "false") + ",\n";
  }
  return t;
}

TEST(GaiaData, CarbonWindowRefusesShortFilesGapsAndMissingValues) {
  // A short file: 100 rows cannot hold 720 hours.
  const gd::HourlyCarbon small =
      gd::parse_hourly_carbon(portal(100), "s.csv", cfsim::EmissionBasis::lifecycle);
  EXPECT_TRUE(throws_with([&] { gd::select_window(small, "s.csv", 0, 0); },
                          {"s.csv", "100 data rows", "refuses"}));
  // Rows must be consecutive hours: hour 5 missing → the row after it (line 7) is named.
  EXPECT_TRUE(throws_with(
      [&] { gd::parse_hourly_carbon(portal(730, 5), "g.csv", cfsim::EmissionBasis::lifecycle); },
      {"g.csv:7:", "consecutive hours"}));
  // An empty value inside the window is an error naming its line; estimated rows are kept.
  // Row 10 (line 12) is empty, row 3 estimated.
  const gd::HourlyCarbon holed =
      gd::parse_hourly_carbon(portal(740, -1, 10), "h.csv", cfsim::EmissionBasis::lifecycle);
  EXPECT_TRUE(throws_with([&] { gd::select_window(holed, "h.csv", 0, 0); },
                          {"h.csv:12:", "no value", "not filled"}));
  EXPECT_EQ(gd::select_window(holed, "h.csv", 0, 11).g_per_kwh.size(), 720u);
  EXPECT_EQ(gd::select_window(holed, "h.csv", 0, 11).estimated_hours, 0);
  const gd::HourlyCarbon est =
      gd::parse_hourly_carbon(portal(740), "e.csv", cfsim::EmissionBasis::lifecycle);
  EXPECT_EQ(gd::select_window(est, "e.csv", 0, 0).estimated_hours, 1);
}

// ---- the experiment file -----------------------------------------------------------------------

cfsim::published::ExperimentFile file(const nlohmann::json& j) {
  cfsim::published::ExperimentFile f;
  f.json = j;
  f.origin = "g.json";
  f.base_dir = "";
  f.sha256 = "0";
  return f;
}

nlohmann::json small_grid() {
  return nlohmann::json{
      {"experiment", "gaia"},
      {"variant", "faithful"},
      {"jobs", kShared + "gaia/pai_1k.csv"},
      {"carbon",
       {{"file", kShared + "em-portal/ES_2022_hourly.csv"},
        {"base_offset", 0},
        {"start_index", 7000}}},
      {"runs",
       {{{"mode", "carbon"}, {"policy", "oracle"}, {"waits", "0x0"}, {"reserved_cores", 0}},
        {{"mode", "carbon"},
         {"policy", "cst_average"},
         {"waits", "6x24"},
         {"reserved_cores", {0, 9}}},
        {{"mode", "suspend-resume"}, {"waits", "6x24"}, {"reserved_cores", 0}}}},
      {"figures", nlohmann::json::array({"fig9"})}};
}

TEST(GaiaExperiment, UnknownKeysAndBadValuesAreConfigErrors) {
  auto j = small_grid();
  j["bogus"] = 1;
  EXPECT_TRUE(throws_with<cfsim::ConfigError>(
      [&] { cfsim::published::validate_gaia(file(j)); },
      {"g.json", "unknown key 'bogus'", "allowed:", "runs", "variant"}));
  j = small_grid();
  j["carbon"]["colour"] = "LCA";
  EXPECT_TRUE(throws_with<cfsim::ConfigError>([&] { cfsim::published::validate_gaia(file(j)); },
                                              {"/carbon", "unknown key 'colour'", "column"}));
  j = small_grid();
  j["runs"][0]["mode"] = "greedy";
  EXPECT_TRUE(throws_with<cfsim::ConfigError>(
      [&] { cfsim::published::validate_gaia(file(j)); },
      {"/runs/0/mode", "'greedy'", "carbon-cost-spot", "suspend-resume-threshold"}));
  j = small_grid();
  j["runs"][2]["policy"] = "oracle";
  EXPECT_TRUE(throws_with<cfsim::ConfigError>([&] { cfsim::published::validate_gaia(file(j)); },
                                              {"/runs/2/policy", "ignores the carbon policy"}));
  j = small_grid();
  j["runs"][1]["waits"] = "6h";
  EXPECT_TRUE(throws_with<cfsim::ConfigError>([&] { cfsim::published::validate_gaia(file(j)); },
                                              {"/runs/1/waits", "AxB"}));
  j = small_grid();
  j["runs"].erase(0);
  EXPECT_TRUE(throws_with<cfsim::ConfigError>([&] { cfsim::published::validate_gaia(file(j)); },
                                              {"reference run", "0x0"}));
  j = small_grid();
  j["figures"] = {"fig8"};
  EXPECT_TRUE(
      throws_with<cfsim::ConfigError>([&] { cfsim::published::validate_gaia(file(j)); },
                                      {"fig8 needs the run gaia/carbon/lowest/R=0,waits=6x24/-"}));
  j = small_grid();
  j["carbon"].erase("base_offset");
  EXPECT_TRUE(throws_with<cfsim::ConfigError>([&] { cfsim::published::validate_gaia(file(j)); },
                                              {"/carbon/base_offset", "required"}));
}

TEST(GaiaExperiment, RunsTheGridRowsIntoOneResultSet) {
  cfsim::ExperimentOptions one;
  one.threads = 1;
  const cfsim::ResultSet rs = cfsim::published::run_gaia(file(small_grid()), one);
  ASSERT_EQ(rs.runs.size(), 4u);
  EXPECT_EQ(rs.runs[0].name, "gaia/carbon/oracle/R=0,waits=0x0/-");
  EXPECT_EQ(rs.runs[2].name, "gaia/carbon/cst_average/R=9,waits=6x24/-");
  EXPECT_EQ(rs.runs[3].name, "gaia/suspend-resume/-/R=0,waits=6x24/-");
  std::set<std::string> fields;
  for (const auto& r : rs.runs) {
    ASSERT_EQ(r.summary.size(), rs.runs[0].summary.size());
    for (std::size_t k = 0; k < r.summary.size(); ++k)
      EXPECT_EQ(r.summary[k].name, rs.runs[0].summary[k].name);
  }
  auto number = [](const cfsim::RunResult& r, const std::string& name) {
    for (const auto& f : r.summary)
      if (f.name == name)
        return std::get<double>(f.value);
    return -1.0;
  };
  EXPECT_EQ(number(rs.runs[0], "normalized_carbon"), 1.0);
  EXPECT_LT(number(rs.runs[1], "normalized_carbon"), 1.0); // Carbon-Time saves carbon
  EXPECT_EQ(rs.runs[0].jobs.size(), 1000u);
  EXPECT_GT(rs.runs[3].jobs.size(), 1000u); // WaitAwhile pieces are rows of their own
  // Job seconds: the window's first hour + 5 s × step.
  EXPECT_EQ(rs.runs[0].jobs[0].start_s, rs.grid.start_s);
  bool has_fig9 = false;
  for (const auto& t : rs.tables)
    has_fig9 |= t.name == "fig9";
  EXPECT_TRUE(has_fig9);
  auto attr = [&](const std::string& k) {
    for (const auto& [n, v] : rs.attributes)
      if (n == k)
        return v;
    return std::string("(none)");
  };
  EXPECT_EQ(attr("experiment"), "gaia");
  EXPECT_EQ(attr("mode"), "faithful");
  EXPECT_EQ(attr("carbon_column"), "Carbon Intensity gCO₂eq/kWh (LCA)");
  EXPECT_NE(attr("input_sha256").find(kPaiSha), std::string::npos);
  // The same numbers whatever the thread count.
  cfsim::ExperimentOptions two;
  two.threads = 2;
  const cfsim::ResultSet rs2 = cfsim::published::run_gaia(file(small_grid()), two);
  for (std::size_t i = 0; i < rs.runs.size(); ++i)
    EXPECT_EQ(number(rs.runs[i], "cost_usd"), number(rs2.runs[i], "cost_usd"));
}

} // namespace
