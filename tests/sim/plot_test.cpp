// Figures (DESIGN §10): files written, numbers plotted equal the stored results, gaps stay
// gaps, the saved .gp replays with plain gnuplot, and bad requests name the valid choices.
#include "cfsim/plot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "cfsim/error.hpp"
#include "plot_test_util.hpp"

namespace cfsim {
namespace {

using namespace plot_test;
constexpr TimeS kStart = 1709510400; // 2024-03-04T00:00:00Z, a Monday
constexpr std::int64_t kCells = 48;
constexpr std::int64_t kGapFirst = 20, kGapEnd = 26; // intensity unknown in cells [20, 26)

struct RunSpec {
  std::string strategy, kind;
  bool baseline = false;
  double co2e = 0, co2e_lo = 0, co2e_hi = 0, cost = 0, coverage = 0.875;
  std::string status = "ok";
};

double intensity(std::int64_t i) {
  if (i >= kGapFirst && i < kGapEnd)
    return kNaN;
  return 320.0 + 110.0 * std::sin(static_cast<double>(i) * 0.2618) + static_cast<double>(i % 5);
}

bool office(std::int64_t i) {
  const std::int64_t h = i % 24;
  return h >= 9 && h < 17;
}

RunResult make_run(const RunSpec& s) {
  RunResult r;
  r.name = "plot_test/" + s.strategy + "/seed=1";
  r.strategy = s.strategy;
  r.status = s.status;
  if (s.status == "error")
    r.message = "forecast file missing";
  const bool ok = s.status == "ok";
  const double nan = kNaN;
  r.summary = {
      {"run", "", r.name},
      {"strategy", "", s.strategy},
      {"kind", "", s.kind},
      {"status", "", s.status},
      {"is_baseline", "1", std::int64_t{s.baseline ? 1 : 0}},
      {"co2e_operational_kg", "kg", ok ? 12.5 : nan},
      {"co2e_operational_lower_kg", "kg", ok ? 12.5 : nan},
      {"co2e_operational_upper_kg", "kg", ok ? 14.0 : nan},
      {"co2e_coverage", "1", ok ? s.coverage : nan},
      {"cost_usd", "USD", ok ? 42.0 : nan},
      {"savings_co2e_pct", "%", ok ? s.co2e : nan},
      {"savings_co2e_lower_pct", "%", ok ? s.co2e_lo : nan},
      {"savings_co2e_upper_pct", "%", ok ? s.co2e_hi : nan},
      {"savings_cost_pct", "%", ok ? s.cost : nan},
      {"complete", "1", std::int64_t{s.coverage < 1 ? 0 : 1}},
  };
  if (!ok)
    return r;
  NamedSeries ci{"intensity_g_per_kwh", "g kW-1 h-1", {}};
  NamedSeries fleet{"fleet_running", "1", {}};
  NamedSeries jobs{"jobs_running_cpus", "1", {}};
  NamedSeries co2e{"co2e_kg", "kg", {}};
  for (std::int64_t i = 0; i < kCells; ++i) {
    ci.values.push_back(intensity(i));
    double f = 0, j = 0;
    if (s.kind == "fleet")
      f = (s.strategy == "office_hours" && !office(i)) ? 0.0 : 4.0;
    if (s.kind == "jobs")
      j = (s.strategy == "lowest_window") ? (i % 24 < 6 ? 16.0 : 2.0) : 6.0;
    fleet.values.push_back(f);
    jobs.values.push_back(j);
    co2e.values.push_back(std::isnan(ci.values.back()) ? kNaN : (f + j) * 0.001);
  }
  r.series = {ci, fleet, jobs, co2e};
  return r;
}

// The hand-made result set: two baselines, two strategies (one with incomplete intensity).
ResultSet sample_results(bool with_error_run = false) {
  ResultSet rs;
  rs.grid = TimeGrid{kStart, 3600, kCells};
  rs.runs.push_back(make_run({"always_on", "fleet", true, 0, 0, 0, 0, 1.0}));
  rs.runs.push_back(make_run({"office_hours", "fleet", false, 74.5, 70.25, 77.125, 73.3, 1.0}));
  rs.runs.push_back(make_run({"no_wait", "jobs", true, 0, 0, 0, 0, 1.0}));
  rs.runs.push_back(make_run({"lowest_window", "jobs", false, 18.4, 12.1, 23.7, -1.5, 0.875}));
  if (with_error_run)
    rs.runs.push_back(make_run({"ecovisor", "jobs", false, 0, 0, 0, 0, 1.0, "error"}));
  rs.attributes = {{"cfsim_version", "0.1.0"},
                   {"scenario_name", "plot_test"},
                   {"scenario_sha256", "0123456789abcdef0123456789abcdef"}};
  return rs;
}

fs::path scratch(const std::string& name) {
  return scratch_dir("plot_test", name);
}

PlotOptions options(const fs::path& dir) {
  return plot_options(dir, "sample");
}

double summary_number(const RunResult& r, const std::string& name) {
  for (const Field& f : r.summary)
    if (f.name == name)
      return std::get<double>(f.value);
  ADD_FAILURE() << "no field " << name;
  return kNaN;
}

TEST(PlotFigures, NamesAreTheEightFiguresOfDesignSection10InOrder) {
  EXPECT_EQ(figure_names(),
            (std::vector<std::string>{"pareto", "savings", "timeline", "sweep", "wait_cdf",
                                      "heatmap", "methods", "quality"}));
}

TEST(PlotFigures, WritesDataScriptPdfAndPngForEveryFigure) {
  const fs::path dir = scratch("all") / "nested" / "out"; // created if missing
  const std::vector<std::string> files = plot_results(sample_results(), options(dir));
  const std::vector<std::string> names = figure_names();
  EXPECT_EQ(files.size(), 4 * names.size());
  for (const std::string& figure : names) {
    for (const char* ext : {"dat", "gp", "pdf", "png"}) {
      const fs::path p = dir / ("sample_" + figure + "." + ext);
      ASSERT_TRUE(fs::exists(p)) << p;
      EXPECT_GT(fs::file_size(p), 0u) << p;
      EXPECT_NE(std::find(files.begin(), files.end(), p.string()), files.end()) << p;
    }
    const std::string png = slurp(dir / ("sample_" + figure + ".png"));
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(slurp(dir / ("sample_" + figure + ".pdf")).substr(0, 5), "%PDF-");
  }
  // Nothing temporary is left behind.
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
    EXPECT_NE(name[0], '.') << name;
  }
}

TEST(PlotFormats, TexWritesLatexTextOverAGraphicItNamesWithoutAFolder) {
  const fs::path dir = scratch("tex");
  PlotOptions opt = options(dir);
  opt.figures = {"savings", "timeline"};
  opt.formats = {"tex", "pdf"};
  const std::vector<std::string> files = plot_results(sample_results(), opt);
  for (const char* figure : {"savings", "timeline"}) {
    const std::string base = std::string("sample_") + figure;
    const fs::path tex = dir / (base + "-tex.tex");
    const fs::path graphic = dir / (base + "-tex.pdf");
    ASSERT_TRUE(fs::exists(tex)) << tex;
    EXPECT_EQ(slurp(graphic).substr(0, 5), "%PDF-");
    EXPECT_EQ(slurp(dir / (base + ".pdf")).substr(0, 5), "%PDF-"); // the plain PDF is apart
    for (const fs::path& p : {tex, graphic})
      EXPECT_NE(std::find(files.begin(), files.end(), p.string()), files.end()) << p;
    const std::string text = slurp(tex);
    // The graphic by bare name (movable with \graphicspath), never the temporary folder.
    EXPECT_NE(text.find("]{" + base + "-tex}"), std::string::npos) << text.substr(0, 2000);
    EXPECT_EQ(text.find(".tmp"), std::string::npos);
    // Names from the data are escaped for LaTeX; literal labels use their LaTeX spelling.
    EXPECT_NE(text.find("office\\_hours"), std::string::npos);
    EXPECT_EQ(text.find("{office_hours"), std::string::npos);
  }
  const std::string savings = slurp(dir / "sample_savings-tex.tex");
  EXPECT_NE(savings.find("CO$_2$e"), std::string::npos);
  EXPECT_NE(savings.find("Savings vs baseline (\\%)"), std::string::npos);
  EXPECT_NE(slurp(dir / "sample_timeline-tex.tex").find("kWh$^{-1}$"), std::string::npos);
}

TEST(PlotFormats, WidthOneOrTwoColumnsOverridesTheFigureDefault) {
  const fs::path dir = scratch("width");
  PlotOptions opt = options(dir);
  opt.figures = {"savings", "timeline"};
  opt.formats = {"pdf"};
  opt.width = "1col";
  plot_results(sample_results(), opt);
  // The timeline is two columns wide by default (17.5 x 9 cm); squeezed into one column it
  // keeps 85 % of its height: 9 x 0.85 = 7.65 cm.
  const std::string timeline = slurp(dir / "sample_timeline.gp");
  EXPECT_NE(timeline.find("fig_w = width_1col"), std::string::npos);
  EXPECT_NE(timeline.find("fig_h = 7.65"), std::string::npos);
  opt.width = "2col";
  plot_results(sample_results(), opt);
  EXPECT_NE(slurp(dir / "sample_savings.gp").find("fig_w = width_2col"), std::string::npos);
  opt.width = "3col";
  try {
    plot_results(sample_results(), opt);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("1col (8.5 cm), 2col (17.5 cm)"), std::string::npos);
  }
}

TEST(PlotSavings, DatHoldsTheStoredSavingsOfNonBaselineRuns) {
  const fs::path dir = scratch("savings");
  const ResultSet rs = sample_results(/*with_error_run=*/true);
  PlotOptions opt = options(dir);
  opt.figures = {"savings"};
  opt.formats = {"png"};
  plot_results(rs, opt);

  const Dat d = read_dat(dir / "sample_savings.dat");
  ASSERT_EQ(d.rows.size(), 2u); // baselines and the failed run are not bars
  const std::map<std::string, const RunResult*> by_strategy = {{"office_hours", &rs.runs[1]},
                                                               {"lowest_window", &rs.runs[3]}};
  for (const auto& row : d.rows) {
    ASSERT_EQ(row.size(), 18u);
    const RunResult& run = *by_strategy.at(row[1]);
    // Bar height: the saving when defined, else its lower bound (the certain part); the label
    // then gives the range (No-Fallback: no central value is invented).
    const double central = summary_number(run, "savings_co2e_pct");
    EXPECT_EQ(to_double(row[12]),
              std::isnan(central) ? summary_number(run, "savings_co2e_lower_pct") : central);
    if (std::isnan(central)) {
      EXPECT_NE(row[13].find(".."), std::string::npos) << row[13];
    }
    EXPECT_EQ(row[11], run.name);
    EXPECT_EQ(to_double(row[5]), summary_number(run, "savings_co2e_pct"));
    EXPECT_EQ(to_double(row[6]), summary_number(run, "savings_co2e_lower_pct"));
    EXPECT_EQ(to_double(row[7]), summary_number(run, "savings_co2e_upper_pct"));
    EXPECT_EQ(to_double(row[8]), summary_number(run, "savings_cost_pct"));
    EXPECT_EQ(to_double(row[9]), summary_number(run, "co2e_coverage"));
    // The whisker band: without seeds or an energy interval (these runs have no uncertainty
    // fields) it is the missing-data bounds, and the cost band is the cost saving itself.
    const double lo = summary_number(run, "savings_co2e_lower_pct"),
                 hi = summary_number(run, "savings_co2e_upper_pct");
    EXPECT_EQ(to_double(row[14]), std::min(lo, hi));
    EXPECT_EQ(to_double(row[15]), std::max(lo, hi));
    EXPECT_EQ(to_double(row[16]), summary_number(run, "savings_cost_pct"));
    EXPECT_EQ(to_double(row[17]), summary_number(run, "savings_cost_pct"));
  }
  EXPECT_EQ(d.rows[0][4], "always_on"); // office_hours is compared with the fleet baseline
  EXPECT_EQ(d.rows[1][4], "no_wait");   // lowest_window with the jobs baseline
  EXPECT_EQ(d.rows[1][10], "0");        // incomplete intensity coverage is flagged
  EXPECT_TRUE(has_comment(d, "savings_co2e_pct"));
  EXPECT_TRUE(has_comment(d, "(%)"));
  EXPECT_TRUE(has_comment(d, "scenario_sha256: 0123456789abcdef"));
  EXPECT_TRUE(has_comment(d, "plot_test/ecovisor/seed=1: forecast file missing"));
  // The figure says which run was left out.
  EXPECT_NE(slurp(dir / "sample_savings.gp").find("not shown (run failed): ecovisor"),
            std::string::npos);
}

TEST(PlotTimeline, GapInIntensityStaysNaNInTheDat) {
  const fs::path dir = scratch("timeline");
  PlotOptions opt = options(dir);
  opt.figures = {"timeline"};
  opt.formats = {"png"};
  const ResultSet rs = sample_results();
  plot_results(rs, opt);

  const Dat d = read_dat(dir / "sample_timeline.dat");
  // Default run: the first non-baseline ok fleet run.
  EXPECT_TRUE(has_comment(d, "# run: plot_test/office_hours/seed=1"));
  ASSERT_EQ(d.rows.size(), static_cast<std::size_t>(kCells));
  for (std::int64_t i = 0; i < kCells; ++i) {
    const auto& row = d.rows[static_cast<std::size_t>(i)];
    ASSERT_EQ(row.size(), 6u);
    EXPECT_EQ(std::stoll(row[1]), kStart + 3600 * i);
    const bool gap = i >= kGapFirst && i < kGapEnd;
    if (gap) {
      EXPECT_EQ(row[2], "NaN") << "cell " << i;
    } else {
      EXPECT_EQ(to_double(row[2]), intensity(i)) << "cell " << i;
    }
    EXPECT_EQ(row[3], gap ? "1" : "0");
    EXPECT_EQ(to_double(row[4]), office(i) ? 4.0 : 0.0);
  }
  EXPECT_EQ(d.rows[0][0], "2024-03-04T00:00:00Z");
  EXPECT_NE(slurp(dir / "sample_timeline.gp").find("Time (UTC)"), std::string::npos);
}

TEST(PlotTimeline, NamedJobRunShowsRunningVcpus) {
  const fs::path dir = scratch("timeline_jobs");
  PlotOptions opt = options(dir);
  opt.figures = {"timeline"};
  opt.formats = {"png"};
  opt.timeline_run = "plot_test/lowest_window/seed=1";
  plot_results(sample_results(), opt);

  const Dat d = read_dat(dir / "sample_timeline.dat");
  EXPECT_TRUE(has_comment(d, "# run: plot_test/lowest_window/seed=1"));
  ASSERT_EQ(d.rows.size(), static_cast<std::size_t>(kCells));
  EXPECT_EQ(to_double(d.rows[0][5]), 16.0);
  EXPECT_EQ(to_double(d.rows[10][5]), 2.0);
  EXPECT_NE(slurp(dir / "sample_timeline.gp").find("Running jobs (vCPU)"), std::string::npos);
}

TEST(PlotReplay, SavedScriptReplaysWithPlainGnuplot) {
  const fs::path dir = scratch("replay");
  PlotOptions opt = options(dir);
  opt.formats = {"pdf"};
  plot_results(sample_results(true), opt);

  for (const char* figure : {"savings", "timeline"}) {
    const fs::path gp = dir / (std::string("sample_") + figure + ".gp");
    const fs::path pdf = dir / (std::string("sample_") + figure + ".pdf");
    const fs::path png = dir / (std::string("replayed_") + figure + ".png");
    const fs::path log = dir / (std::string("replay_") + figure + ".log");
    fs::remove(pdf);
    // Default output: the PDF next to the script, from another working directory.
    EXPECT_EQ(run_shell("cd / && gnuplot '" + gp.string() + "' 2>'" + log.string() + "'"), 0)
        << slurp(log);
    EXPECT_TRUE(fs::exists(pdf)) << pdf;
    EXPECT_EQ(slurp(log), "") << "gnuplot warnings replaying " << gp;
    // Format and output chosen from the command line.
    EXPECT_EQ(run_shell("gnuplot -e \"fmt='png'; out='" + png.string() + "'\" '" + gp.string() +
                        "' 2>'" + log.string() + "'"),
              0)
        << slurp(log);
    ASSERT_TRUE(fs::exists(png)) << png;
    EXPECT_EQ(slurp(png).substr(0, 4), "\x89PNG");
    EXPECT_EQ(slurp(log), "") << "gnuplot warnings replaying " << gp;
    // SVG too, for web pages.
    const fs::path svg = dir / (std::string("replayed_") + figure + ".svg");
    EXPECT_EQ(run_shell("gnuplot -e \"fmt='svg'; out='" + svg.string() + "'\" '" + gp.string() +
                        "' 2>'" + log.string() + "'"),
              0)
        << slurp(log);
    EXPECT_NE(slurp(svg).find("<svg"), std::string::npos);
  }
}

TEST(PlotReplay, StyleNextToTheFiguresTravelsWithThem) {
  // The default layout (figures and style.gp in plots/): the .gp finds the style relative to
  // itself, so the folder can be moved or copied into a thesis repository.
  const fs::path root = scratch("moved");
  const fs::path dir = root / "plots";
  fs::create_directories(dir);
  fs::copy_file(fs::path(CFSIM_SOURCE_DIR) / "plots/style.gp", dir / "style.gp");
  PlotOptions opt = options(dir);
  opt.style_path = (dir / "style.gp").string();
  opt.figures = {"savings"};
  opt.formats = {"pdf"};
  plot_results(sample_results(), opt);
  EXPECT_NE(slurp(dir / "sample_savings.gp").find("script_dir . '/style.gp'"), std::string::npos);

  const fs::path moved = root / "elsewhere";
  fs::rename(dir, moved);
  fs::remove(moved / "sample_savings.pdf");
  EXPECT_EQ(run_shell("cd / && gnuplot '" + (moved / "sample_savings.gp").string() + "'"), 0);
  EXPECT_TRUE(fs::exists(moved / "sample_savings.pdf"));
}

TEST(PlotErrors, UnknownFigureNamesTheValidOnes) {
  PlotOptions opt = options(scratch("unknown_figure"));
  opt.figures = {"pareto_front"};
  try {
    plot_results(sample_results(), opt);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    const std::string what = e.what();
    EXPECT_NE(what.find("pareto_front"), std::string::npos) << what;
    EXPECT_NE(what.find("pareto, savings, timeline, sweep, wait_cdf, heatmap, methods, quality"),
              std::string::npos)
        << what;
  }
  EXPECT_FALSE(fs::exists(opt.out_dir)); // nothing written before validation
}

TEST(PlotErrors, UnknownFormatAndUnknownTimelineRun) {
  PlotOptions opt = options(scratch("bad_options"));
  opt.formats = {"jpeg"};
  EXPECT_THROW(plot_results(sample_results(), opt), UsageError);

  opt = options(scratch("bad_run"));
  opt.figures = {"timeline"};
  opt.timeline_run = "plot_test/nope/seed=1";
  try {
    plot_results(sample_results(), opt);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("plot_test/office_hours/seed=1"), std::string::npos);
  }
}

TEST(PlotErrors, MissingStyleFile) {
  PlotOptions opt = options(scratch("no_style"));
  opt.style_path = (fs::path(CFSIM_BINARY_DIR) / "no/such/style.gp").string();
  EXPECT_THROW(plot_results(sample_results(), opt), InputError);
}

TEST(PlotErrors, MissingGnuplotSaysToInstallIt) {
  PlotOptions opt = options(scratch("no_gnuplot"));
  opt.figures = {"savings"};
  struct EnvGuard { // CFSIM_GNUPLOT names the gnuplot program; restored however the test ends
    EnvGuard() { ::setenv("CFSIM_GNUPLOT", "/nonexistent/gnuplot", 1); }
    ~EnvGuard() { ::unsetenv("CFSIM_GNUPLOT"); }
  } guard;
  try {
    plot_results(sample_results(), opt);
    ADD_FAILURE() << "expected cfsim::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::unavailable);
    EXPECT_NE(std::string(e.what()).find("install gnuplot"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(fs::path(opt.out_dir) / "sample_savings.pdf"));
}

TEST(PlotErrors, GnuplotFailureIsReportedWithItsMessage) {
  PlotOptions opt = options(scratch("bad_style"));
  opt.figures = {"savings"};
  opt.formats = {"png"};
  const fs::path style = fs::path(opt.out_dir).parent_path() / "bad_style.gp";
  fs::create_directories(style.parent_path());
  std::ofstream(style) << "this is not gnuplot\n";
  opt.style_path = style.string();
  try {
    plot_results(sample_results(), opt);
    FAIL() << "expected cfsim::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::cant_create);
    EXPECT_NE(std::string(e.what()).find("gnuplot failed"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(fs::path(opt.out_dir) / "sample_savings.png"));
}

// Seeds and the energy model widen the whisker band beyond the missing-data bounds: it spans
// the smallest and largest of all of them (methodology §8), here p5 − 20 and p95 + 30 around
// office_hours' saving, and the cost band its p5..p95.
TEST(PlotSavings, WhiskersSpanSeedPercentilesAndEnergyModelBounds) {
  const fs::path dir = scratch("savings_band");
  ResultSet rs = sample_results(/*with_error_run=*/false);
  RunResult& office = rs.runs[1];
  const double s = summary_number(office, "savings_co2e_pct");
  office.summary.push_back({"savings_co2e_p5_pct", "%", s - 20});
  office.summary.push_back({"savings_co2e_p95_pct", "%", s + 30});
  office.summary.push_back({"savings_co2e_model_lower_pct", "%", s - 1});
  office.summary.push_back({"savings_co2e_model_upper_pct", "%", s + 1});
  office.summary.push_back({"savings_cost_p5_pct", "%", 10.0});
  office.summary.push_back({"savings_cost_p95_pct", "%", 20.0});
  office.summary.push_back({"uncertainty_seeds", "1", std::int64_t{10}});
  PlotOptions opt = options(dir);
  opt.figures = {"savings"};
  opt.formats = {"png"};
  plot_results(rs, opt);
  const Dat d = read_dat(dir / "sample_savings.dat");
  ASSERT_EQ(d.rows[0][1], "office_hours");
  EXPECT_EQ(to_double(d.rows[0][14]), s - 20);
  EXPECT_EQ(to_double(d.rows[0][15]), s + 30);
  EXPECT_EQ(to_double(d.rows[0][16]), std::min(10.0, summary_number(office, "savings_cost_pct")));
  EXPECT_EQ(to_double(d.rows[0][17]), std::max(20.0, summary_number(office, "savings_cost_pct")));
  EXPECT_NE(slurp(dir / "sample_savings.gp").find("p5-p95 over 10 seeds"), std::string::npos);
}

TEST(PlotSavings, OnlyBaselinesStillDrawsAnExplainingFigure) {
  const fs::path dir = scratch("only_baselines");
  ResultSet rs = sample_results();
  rs.runs = {rs.runs[0], rs.runs[2]};
  PlotOptions opt = options(dir);
  opt.formats = {"png"};
  plot_results(rs, opt);
  EXPECT_TRUE(read_dat(dir / "sample_savings.dat").rows.empty());
  EXPECT_GT(fs::file_size(dir / "sample_savings.png"), 0u);
  // The timeline falls back to a baseline run.
  EXPECT_TRUE(has_comment(read_dat(dir / "sample_timeline.dat"), "# run: plot_test/always_on"));
}

TEST(PlotSavings, ASweepOfMoreThanTwelveRunsGetsOneBarPerStrategyOverItsRuns) {
  // 7 office_hours runs saving 1..7 % CO2e (cost 11..17 %) and 7 lowest_window runs saving
  // 10..16 % (lower bounds 2 below, upper 3 above; lowest_window's 13 % run incomplete).
  // By hand: medians 4 and 13 (cost 14 and 3), bounds 8..19 for lowest_window, whiskers
  // 1..7 and 8..19, coverage the smallest (0.875), complete = 0 for lowest_window.
  ResultSet rs = sample_results();
  rs.runs.erase(rs.runs.begin() + 1); // keep the two baselines only
  rs.runs.erase(rs.runs.begin() + 2);
  for (int i = 1; i <= 7; ++i) {
    const double v = i;
    RunResult a = make_run({"office_hours", "fleet", false, v, v, v, 10 + v, 1.0});
    a.name = "plot_test/office_hours/k=" + std::to_string(i) + "/seed=1";
    rs.runs.push_back(a);
    RunResult b =
        make_run({"lowest_window", "jobs", false, 9 + v, 7 + v, 12 + v, v - 1, i == 4 ? 0.875 : 1});
    b.name = "plot_test/lowest_window/k=" + std::to_string(i) + "/seed=1";
    rs.runs.push_back(b);
  }
  const fs::path dir = scratch("savings_sweep");
  PlotOptions opt = options(dir);
  opt.figures = {"savings"};
  opt.formats = {"png"};
  plot_results(rs, opt);
  const Dat d = read_dat(dir / "sample_savings.dat");
  EXPECT_TRUE(has_comment(d, "aggregated: more than 12 runs"));
  ASSERT_EQ(d.rows.size(), 2u);
  EXPECT_EQ(d.rows[0][11], "office_hours");
  EXPECT_EQ(to_double(d.rows[0][5]), 4.0);
  EXPECT_EQ(to_double(d.rows[0][8]), 14.0);
  EXPECT_EQ(to_double(d.rows[0][14]), 1.0);
  EXPECT_EQ(to_double(d.rows[0][15]), 7.0);
  EXPECT_EQ(to_double(d.rows[0][16]), 11.0);
  EXPECT_EQ(to_double(d.rows[0][17]), 17.0);
  EXPECT_EQ(d.rows[0][10], "1");
  EXPECT_EQ(d.rows[1][11], "lowest_window");
  EXPECT_EQ(to_double(d.rows[1][5]), 13.0);
  EXPECT_EQ(to_double(d.rows[1][6]), 8.0);
  EXPECT_EQ(to_double(d.rows[1][7]), 19.0);
  EXPECT_EQ(to_double(d.rows[1][8]), 3.0);
  EXPECT_EQ(to_double(d.rows[1][9]), 0.875);
  EXPECT_EQ(d.rows[1][10], "0");
  EXPECT_EQ(to_double(d.rows[1][14]), 8.0);
  EXPECT_EQ(to_double(d.rows[1][15]), 19.0);
}

TEST(PlotFormats, ProvenanceFootnoteIsOnByDefaultAndCanBeLeftOut) {
  // The footnote names the version, the scenario and its sha256's first 12 characters; the
  // tex format shows it as text, so it can be searched for.
  const fs::path dir = scratch("provenance");
  PlotOptions opt = options(dir);
  opt.figures = {"savings"};
  opt.formats = {"tex"};
  plot_results(sample_results(), opt);
  const std::string footnote = "cfsim 0.1.0 · scenario plot\\_test · sha256 0123456789ab";
  EXPECT_NE(slurp(dir / "sample_savings-tex.tex").find(footnote), std::string::npos);
  opt.provenance = false;
  plot_results(sample_results(), opt);
  EXPECT_EQ(slurp(dir / "sample_savings-tex.tex").find("sha256 0123456789ab"), std::string::npos);
  EXPECT_NE(slurp(dir / "sample_savings.gp").find("show_provenance = 0"), std::string::npos);
  // A replay can still turn it on.
  EXPECT_EQ(run_shell("cd '" + dir.string() +
                      "' && gnuplot -e \"fmt='tex'; show_provenance=1; "
                      "out='on-tex.tex'\" sample_savings.gp"),
            0);
  EXPECT_NE(slurp(dir / "on-tex.tex").find(footnote), std::string::npos);
}

} // namespace
} // namespace cfsim
