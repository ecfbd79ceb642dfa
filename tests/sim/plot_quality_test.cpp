// The `quality` figure (sim/plot/figure_quality.cpp): rows of /tables/quality with identical
// trace columns collapse into one .dat row holding the stored values; runs' own shares become a
// range; NaN (no billing data) stays NaN and reads "n/a"; no table gives a message figure; the
// .gp replays with plain gnuplot in every format without a warning.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace cfsim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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
  const fs::path dir = fs::path(CFSIM_BINARY_DIR) / "plot_quality_test" / name;
  fs::remove_all(dir);
  return dir;
}

PlotOptions options(const fs::path& dir) {
  PlotOptions opt;
  opt.out_dir = dir.string();
  opt.style_path = std::string(CFSIM_SOURCE_DIR) + "/plots/style.gp";
  opt.stem = "sample";
  opt.figures = {"quality"};
  opt.formats = {"png"};
  return opt;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// .dat rows split into fields; double-quoted text is one field.
std::vector<std::vector<std::string>> read_rows(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(slurp(p));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#')
      continue;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < line.size();) {
      if (line[i] == ' ') {
        ++i;
      } else if (line[i] == '"') {
        const std::size_t end = line.find('"', i + 1);
        out.push_back(line.substr(i + 1, end - i - 1));
        i = end + 1;
      } else {
        const std::size_t end = std::min(line.find(' ', i), line.size());
        out.push_back(line.substr(i, end - i));
        i = end;
      }
    }
    rows.push_back(out);
  }
  return rows;
}

TEST(PlotQuality, IdenticalTraceRowsCollapseToTheStoredValues) {
  const fs::path dir = scratch("sample");
  plot_results(sample_results(), options(dir));
  const auto rows = read_rows(dir / "sample_quality.dat");
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
  const auto rows = read_rows(dir / "sample_quality.dat");
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
    EXPECT_TRUE(read_rows(dir / "sample_quality.dat").empty());
    const std::string gp = slurp(dir / "sample_quality.gp");
    EXPECT_NE(gp.find("Nothing to plot"), std::string::npos);
    EXPECT_NE(gp.find(empty_table ? "has no rows" : "cfsim sweep does not write it"),
              std::string::npos);
    EXPECT_TRUE(fs::exists(dir / "sample_quality.png"));
  }
}

void expect_clean_replay(const fs::path& dir) {
  const fs::path gp = dir / "sample_quality.gp";
  for (const std::string fmt : {"pdf", "png", "svg", "tex"}) {
    const std::string out = "replayed." + fmt;
    const fs::path log = dir / ("replay_" + fmt + ".log");
    const std::string cmd = "cd '" + dir.string() + "' && gnuplot -e \"fmt='" + fmt + "'; out='" +
                            out + "'\" '" + gp.string() + "' 2>'" + log.string() + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << slurp(log);
    EXPECT_TRUE(fs::exists(dir / out)) << out;
    EXPECT_GT(fs::file_size(dir / out), 0u) << out;
    EXPECT_EQ(slurp(log), "") << "gnuplot warnings replaying " << gp << " as " << fmt;
  }
}

TEST(PlotQuality, ScriptReplaysWithoutWarningsInEveryFormat) {
  const fs::path dir = scratch("replay");
  plot_results(sample_results(), options(dir));
  expect_clean_replay(dir);
  const fs::path message = scratch("replay_message");
  ResultSet rs = sample_results();
  rs.tables.clear();
  plot_results(rs, options(message));
  expect_clean_replay(message);
}

} // namespace
} // namespace cfsim
