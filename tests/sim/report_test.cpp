// `cfsim table` and `cfsim check` (include/cfsim/report.hpp): rounding, LaTeX escaping and
// units, per-run bounds and group-by aggregation on hand-made result sets, the check's pass
// rule at the tolerance boundary, NaN handling, and golden files (round trip and errors).
// Every expected value is worked out by hand in the comment beside it.
#include "cfsim/report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "test_support.hpp"

namespace cfsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

RunResult run(const std::string& name, const std::string& label, std::vector<Field> fields) {
  RunResult r;
  r.name = name;
  r.strategy = label;
  r.summary.push_back({"label", "", label});
  for (Field& f : fields)
    r.summary.push_back(std::move(f));
  return r;
}

// ---- Significant figures -------------------------------------------------------------------

TEST(TableFormat, DecimalsFollowTheLargestMagnitudeOfTheColumn) {
  // 3 significant figures of 123.456: hundreds, tens, units → 0 decimals (3 − 1 − 2).
  EXPECT_EQ(column_decimals(123.456, 3), 0);
  // 66.8: tens and units and one decimal (3 − 1 − 1).
  EXPECT_EQ(column_decimals(66.8089757329, 3), 1);
  // 9.99 is below 10: 2 decimals (3 − 1 − 0).
  EXPECT_EQ(column_decimals(9.99, 3), 2);
  // 0.012345: floor(log10) = −2 → 3 − 1 + 2 = 4 decimals, "0.0123".
  EXPECT_EQ(column_decimals(0.012345, 3), 4);
  // 2976.7 has 4 integer digits: never fewer than 0 decimals, the digits stay (2977).
  EXPECT_EQ(column_decimals(2976.72092466, 3), 0);
  // An all-zero or all-NaN column: 0 has no magnitude; show significant − 1 decimals, "0.00".
  EXPECT_EQ(column_decimals(0.0, 3), 2);
  EXPECT_EQ(column_decimals(kNaN, 3), 2);
  // 2 significant figures of 182.08: 0 decimals.
  EXPECT_EQ(column_decimals(182.079529793, 2), 0);
}

TEST(TableFormat, FixedDecimalsAndNoNegativeZero) {
  EXPECT_EQ(format_fixed(66.8089757329, 1), "66.8");
  EXPECT_EQ(format_fixed(2976.72092466, 0), "2977");
  EXPECT_EQ(format_fixed(0.012345, 4), "0.0123");
  // −0.00106 (wait_awhile's cost savings in the default scenario) at 1 decimal is −0.0: a sign
  // on zero is noise, so "0.0".
  EXPECT_EQ(format_fixed(-0.0010619077822, 1), "0.0");
  EXPECT_EQ(format_fixed(-0.06, 1), "-0.1");
  EXPECT_EQ(format_fixed(kNaN, 2), "nan");
}

// ---- LaTeX text and units ------------------------------------------------------------------

TEST(TableLatex, EscapesSpecialCharacters) {
  EXPECT_EQ(latex_escape("default/office_hours/lag_min=5/seed=42"),
            "default/office\\_hours/lag\\_min=5/seed=42");
  EXPECT_EQ(latex_escape("50% & $5 #1 {x}"), "50\\% \\& \\$5 \\#1 \\{x\\}");
  EXPECT_EQ(latex_escape("a^b~c\\d"), "a\\^{}b\\~{}c\\textbackslash{}d");
  EXPECT_EQ(latex_escape("plain text"), "plain text");
}

TEST(TableLatex, UdunitsToLatex) {
  EXPECT_EQ(latex_unit("kg"), "kg");
  EXPECT_EQ(latex_unit("%"), "\\%");
  EXPECT_EQ(latex_unit("kW h"), "kW\\,h");
  EXPECT_EQ(latex_unit("g kW-1 h-1"), "g\\,kW$^{-1}$\\,h$^{-1}$");
  EXPECT_EQ(latex_unit("USD"), "USD");
  EXPECT_EQ(latex_unit("kg m2"), "kg\\,m$^{2}$");
  EXPECT_EQ(latex_unit("1"), ""); // dimensionless: no parentheses in the header
  EXPECT_EQ(latex_unit(""), "");
}

// ---- Per-run cells and bounds --------------------------------------------------------------

// ecovisor in the default scenario: central 6.3368718702 %, missing-data and model bounds at
// the value, forecast seeds p5 5.96038103895 and p95 6.36727060439 %.
ResultSet ecovisor_like() {
  ResultSet rs;
  rs.attributes = {
      {"cfsim_version", "0.1.0"}, {"scenario_name", "default"}, {"scenario_sha256", "abc123"}};
  rs.runs.push_back(run("default/ecovisor/lookahead_h=24,percentile=30/seed=42", "ecovisor",
                        {{"savings_co2e_pct", "%", 6.3368718702},
                         {"savings_co2e_lower_pct", "%", 6.3368718702},
                         {"savings_co2e_upper_pct", "%", 6.3368718702},
                         {"savings_co2e_p5_pct", "%", 5.96038103895},
                         {"savings_co2e_p95_pct", "%", 6.36727060439},
                         {"energy_kwh", "kW h", 182.079529793}}));
  // An incomplete run: no central savings, the bounds known; energy unknown.
  rs.runs.push_back(run("gap/wait_awhile/-/seed=1", "wait_awhile",
                        {{"savings_co2e_pct", "%", kNaN},
                         {"savings_co2e_lower_pct", "%", 2.5},
                         {"savings_co2e_upper_pct", "%", 8.25},
                         {"savings_co2e_p5_pct", "%", kNaN},
                         {"savings_co2e_p95_pct", "%", kNaN},
                         {"energy_kwh", "kW h", kNaN}}));
  return rs;
}

TEST(TableBuild, RunCellShowsTheUnionOfTheBounds) {
  TableOptions opt;
  opt.metrics = {"savings_co2e_pct"};
  const ReportTable t = build_table(ecovisor_like(), opt);
  ASSERT_EQ(t.rows.size(), 2u);
  const TableCell& c = t.rows[0].cells[0];
  EXPECT_DOUBLE_EQ(c.value, 6.3368718702);
  ASSERT_TRUE(c.lower && c.upper);
  EXPECT_DOUBLE_EQ(*c.lower, 5.96038103895); // min(6.33687, 5.96038)
  EXPECT_DOUBLE_EQ(*c.upper, 6.36727060439); // max(6.33687, 6.36727)
  // The incomplete run: its NaN seed bounds add nothing, the missing-data bounds remain.
  EXPECT_TRUE(std::isnan(t.rows[1].cells[0].value));
  EXPECT_DOUBLE_EQ(*t.rows[1].cells[0].lower, 2.5);
  EXPECT_DOUBLE_EQ(*t.rows[1].cells[0].upper, 8.25);
  EXPECT_TRUE(contains(t.metrics[0].bounds, "missing data"));
  EXPECT_TRUE(contains(t.metrics[0].bounds, "forecast seeds (p5-p95)"));
}

TEST(TableRender, LatexBooktabsUnitsAsymmetricBoundsAndNotAvailable) {
  TableOptions opt;
  opt.metrics = {"savings_co2e_pct", "energy_kwh"};
  opt.source = "d.h5";
  const std::string tex = render_table(build_table(ecovisor_like(), opt), opt);
  EXPECT_TRUE(contains(tex, "% cfsim "));
  EXPECT_TRUE(contains(tex, "scenario sha256 abc123"));
  EXPECT_TRUE(contains(tex, "\\usepackage{booktabs}"));
  EXPECT_TRUE(contains(tex, "\\begin{tabular}{lrr}\n\\toprule\n"));
  EXPECT_TRUE(contains(tex, "run & savings co2e (\\%) & energy (kW\\,h) \\\\\n\\midrule\n"));
  // savings column: max |value| 6.34 → 2 decimals; +: 6.36727 − 6.33687 = 0.0304 → "0.03";
  // −: 6.33687 − 5.96038 = 0.3765 → "0.38". energy: 182.08 → 0 decimals, "182"; no bounds.
  EXPECT_TRUE(contains(tex, "default/ecovisor/lookahead\\_h=24,percentile=30/seed=42 & "
                            "$6.34^{+0.03}_{-0.38}$ & $182$ \\\\\n"));
  // The incomplete run: only the range [2.50, 8.25]; energy unknown → "--" and its note.
  EXPECT_TRUE(contains(tex, "gap/wait\\_awhile/-/seed=1 & $[2.50, 8.25]$ & -- \\\\\n"));
  EXPECT_TRUE(contains(tex, "\\bottomrule\n\\multicolumn{3}{l}{\\footnotesize --: not available: "
                            "incomplete data (see coverage)} \\\\\n"));
  EXPECT_TRUE(contains(tex, "\\end{tabular}\n"));
  EXPECT_FALSE(contains(tex, "\\begin{table}")); // no caption, no label: a bare tabular

  opt.caption = "Savings";
  opt.label = "tab:savings";
  const std::string floated = render_table(build_table(ecovisor_like(), opt), opt);
  EXPECT_TRUE(contains(floated, "\\begin{table}\n\\centering\n\\begin{tabular}"));
  EXPECT_TRUE(contains(
      floated, "\\caption{Savings savings\\_co2e\\_pct: bounds from the union over missing data, "
               "forecast seeds (p5-p95).}"));
  EXPECT_TRUE(contains(floated, "\\label{tab:savings}\n\\end{table}\n"));
}

TEST(TableRender, CsvKeepsEveryDigitAndUnitsInTheHeader) {
  TableOptions opt;
  opt.format = TableFormat::csv;
  opt.metrics = {"savings_co2e_pct", "energy_kwh"};
  const std::string csv = render_table(build_table(ecovisor_like(), opt), opt);
  // energy has no bound fields in this file: one column; savings has lower and upper.
  EXPECT_TRUE(contains(csv, "run,savings_co2e_pct (%),savings_co2e_pct lower (%),"
                            "savings_co2e_pct upper (%),energy_kwh (kW h)\n"));
  // %.17g of the stored doubles (python3 '%.17g' % 6.3368718702 → 6.3368718702000004).
  // The run name holds a comma: quoted (RFC 4180).
  EXPECT_TRUE(contains(csv, "\"default/ecovisor/lookahead_h=24,percentile=30/seed=42\","
                            "6.3368718702000004,5.9603810389499996,6.3672706043899998,"
                            "182.07952979300001\n"))
      << csv;
  EXPECT_TRUE(contains(csv, "gap/wait_awhile/-/seed=1,nan,2.5,8.25,nan\n")) << csv;
}

TEST(TableRender, MarkdownPipeTable) {
  TableOptions opt;
  opt.format = TableFormat::markdown;
  opt.metrics = {"savings_co2e_pct"};
  const std::string md = render_table(build_table(ecovisor_like(), opt), opt);
  EXPECT_TRUE(contains(md, "| run | savings_co2e_pct (%) |\n|---|---:|\n")) << md;
  EXPECT_TRUE(contains(md, "| default/ecovisor/lookahead_h=24,percentile=30/seed=42 | "
                           "6.34 +0.03/−0.38 |\n"))
      << md;
  EXPECT_TRUE(contains(md, "| gap/wait_awhile/-/seed=1 | [2.50, 8.25] |\n")) << md;
}

// ---- Group-by ------------------------------------------------------------------------------

// Two labels × seeds: a's co2e 10 and 14 kg; b's 5 kg and NaN (an incomplete seed).
ResultSet seeds_set() {
  ResultSet rs;
  auto add = [&](const std::string& label, int seed, double co2e, double wait, std::string fc) {
    rs.runs.push_back(run("s/" + label + "/-/seed=" + std::to_string(seed), label,
                          {{"co2e_operational_kg", "kg", co2e},
                           {"param_max_wait_h", "h", wait},
                           {"jobs", "1", std::int64_t{300}},
                           {"forecast", "", std::move(fc)}}));
  };
  add("a", 1, 10.0, 6, "oracle");
  add("b", 1, 5.0, 6, "oracle");
  add("a", 2, 14.0, 6, "oracle");
  add("b", 2, kNaN, 6, "persistence");
  return rs;
}

TEST(TableBuild, GroupByMeanAndMinMaxOverTheGroupsRuns) {
  TableOptions opt;
  opt.metrics = {"co2e_operational_kg", "jobs"};
  opt.group_by = {"label", "param_max_wait_h"};
  const ReportTable t = build_table(seeds_set(), opt);
  ASSERT_EQ(t.rows.size(), 2u); // first-seen order: a, then b
  EXPECT_EQ(t.rows[0].keys, (std::vector<std::string>{"a", "6"}));
  EXPECT_EQ(t.rows[0].runs, 2u);
  EXPECT_DOUBLE_EQ(t.rows[0].cells[0].value, 12.0); // (10 + 14) / 2
  EXPECT_DOUBLE_EQ(*t.rows[0].cells[0].lower, 10.0);
  EXPECT_DOUBLE_EQ(*t.rows[0].cells[0].upper, 14.0);
  EXPECT_DOUBLE_EQ(t.rows[0].cells[1].value, 300.0); // integer field: 300 both seeds
  // b: one seed is NaN → the mean is NaN, not 5 (the complete seed alone).
  EXPECT_TRUE(std::isnan(t.rows[1].cells[0].value));
  EXPECT_FALSE(t.rows[1].cells[0].lower.has_value());

  const std::string tex = render_table(t, opt);
  // Headers: "param max wait" keeps its unit h; n column; co2e 12 → 1 decimal; ±2.0 symmetric.
  EXPECT_TRUE(contains(tex, "label & param max wait (h) & $n$ & co2e operational (kg) & jobs \\\\"))
      << tex;
  EXPECT_TRUE(contains(tex, "a & 6 & 2 & $12.0 \\pm 2.0$ & $300$ \\\\\n")) << tex;
  EXPECT_TRUE(contains(tex, "b & 6 & 2 & -- & $300$ \\\\\n")) << tex;
  EXPECT_TRUE(contains(tex, "% Each row: mean over its n runs; bounds: minimum and maximum"));
}

TEST(TableBuild, TextMetricMustAgreeWithinAGroup) {
  TableOptions opt;
  opt.metrics = {"forecast"};
  opt.group_by = {"label"};
  // b's seeds saw "oracle" and "persistence": no single text for the row.
  EXPECT_TRUE(test::throws_with<UsageError>([&] { build_table(seeds_set(), opt); },
                                            {"forecast", "differs within the group (b)"}));
  opt.group_by = {"label", "forecast"}; // grouping by it splits b in two rows
  EXPECT_EQ(build_table(seeds_set(), opt).rows.size(), 3u);
}

TEST(TableBuild, UnknownNamesListTheFields) {
  TableOptions opt;
  opt.metrics = {"co2_kg"};
  EXPECT_TRUE(test::throws_with<UsageError>([&] { build_table(seeds_set(), opt); },
                                            {"no summary field 'co2_kg'", "co2e_operational_kg"}));
  opt.metrics = {"co2e_operational_kg"};
  opt.group_by = {"zone"};
  EXPECT_TRUE(test::throws_with<UsageError>([&] { build_table(seeds_set(), opt); },
                                            {"--group-by: no column 'zone'", "param_max_wait_h"}));
  opt.group_by = {};
  opt.runs_regex = "nothing";
  EXPECT_TRUE(test::throws_with<UsageError>([&] { build_table(seeds_set(), opt); },
                                            {"matches none of the 4 runs"}));
}

// ---- The check's pass rule -----------------------------------------------------------------

TEST(CheckRule, ExactlyAtTheToleranceBoundaryPassesJustBeyondFails) {
  // Values exact in binary, so the boundary is exact: expected 8, rel 0.25 → allowed 2.
  const Tolerance rel{0.25, 0};
  EXPECT_TRUE(within_tolerance(10.0, 8.0, rel));
  EXPECT_TRUE(within_tolerance(6.0, 8.0, rel));
  EXPECT_FALSE(within_tolerance(std::nextafter(10.0, 11.0), 8.0, rel));
  EXPECT_FALSE(within_tolerance(std::nextafter(6.0, 5.0), 8.0, rel));
  // expected 0, abs 0.5: ±0.5 pass, the next double beyond fails (rel is useless at 0).
  const Tolerance abs{1e-9, 0.5};
  EXPECT_TRUE(within_tolerance(0.5, 0.0, abs));
  EXPECT_TRUE(within_tolerance(-0.5, 0.0, abs));
  EXPECT_FALSE(within_tolerance(std::nextafter(0.5, 1.0), 0.0, abs));
  // Both: expected −4, abs 1 + rel 0.5·|−4| = 3 → [−7, −1].
  const Tolerance both{0.5, 1.0};
  EXPECT_TRUE(within_tolerance(-7.0, -4.0, both));
  EXPECT_TRUE(within_tolerance(-1.0, -4.0, both));
  EXPECT_FALSE(within_tolerance(-0.99, -4.0, both));
  // Zero tolerance: only the same double.
  EXPECT_TRUE(within_tolerance(0.1 + 0.2, 0.1 + 0.2, Tolerance{}));
  EXPECT_FALSE(within_tolerance(0.3, 0.1 + 0.2, Tolerance{})); // 0.30000000000000004 ≠ 0.3
}

TEST(CheckRule, NanMatchesOnlyNan) {
  const Tolerance huge{1e300, 1e300};
  EXPECT_TRUE(within_tolerance(kNaN, kNaN, Tolerance{}));
  EXPECT_FALSE(within_tolerance(1.0, kNaN, huge)); // expected NaN, got a number
  EXPECT_FALSE(within_tolerance(kNaN, 1.0, huge)); // a NaN never passes a number
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(within_tolerance(inf, inf, Tolerance{})); // equal values pass (inf − inf is NaN)
  EXPECT_FALSE(within_tolerance(inf, 1.0, huge));
}

// ---- Golden files --------------------------------------------------------------------------

ResultSet golden_source() {
  ResultSet rs;
  rs.attributes = {{"cfsim_version", "0.1.0"}, {"scenario_sha256", "abc123"}};
  rs.runs.push_back(run("t/a/-/seed=1", "a",
                        {{"co2e_operational_kg", "kg", 0.1 + 0.2},
                         {"tac_fleet", "1", kNaN},
                         {"jobs", "1", std::int64_t{300}}}));
  rs.runs.push_back(run("t/b/-/seed=1", "b",
                        {{"co2e_operational_kg", "kg", 88.27},
                         {"tac_fleet", "1", kNaN},
                         {"jobs", "1", std::int64_t{12}}}));
  return rs;
}

TEST(Golden, WrittenGoldenRoundTripsAndPassesExactly) {
  GoldenOptions opt;
  opt.tolerance = Tolerance{0, 0}; // the same doubles must come back: shortest round trip
  opt.source = "x.h5";
  const std::string json = golden_json(make_golden(golden_source(), opt));
  EXPECT_TRUE(contains(json, "\"format\": \"cfsim-golden/1\""));
  // 0.1 + 0.2 needs all 17 digits; 88.27 round-trips with 15 ("%.15g").
  EXPECT_TRUE(contains(json, "\"co2e_operational_kg\": 0.30000000000000004")) << json;
  EXPECT_TRUE(contains(json, "\"co2e_operational_kg\": 88.27,\n")) << json;
  EXPECT_TRUE(contains(json, "\"default\": {\"rel\": 0, \"abs\": 0}")) << json;
  EXPECT_TRUE(contains(json, "\"tac_fleet\": null"));
  EXPECT_TRUE(contains(json, "\"label\": \"a\""));
  const Golden g = parse_golden(json, "x.golden.json");
  const auto results = compare_golden(golden_source(), g);
  ASSERT_EQ(results.size(), 8u); // 2 runs × (label, co2e, tac_fleet, jobs)
  for (const Comparison& c : results)
    EXPECT_TRUE(c.pass) << format_comparison(c);
}

TEST(Golden, MissingRunOrMetricAndTypeMismatchFail) {
  const std::string json = R"({
  "format": "cfsim-golden/1",
  "tolerances": {"default": {"rel": 1e-9, "abs": 0}, "co2e_operational_kg": {"rel": 0.01, "abs": 0}},
  "runs": {
    "t/a/-/seed=1": {"co2e_operational_kg": 0.3, "wait_mean_h": 1, "label": "b", "tac_fleet": 0},
    "t/gone/-/seed=1": {"jobs": 300}
  }
})";
  const Golden g = parse_golden(json, "g.json");
  // Object keys come back sorted: run "t/a" then "t/gone"; metrics alphabetical.
  const auto r = compare_golden(golden_source(), g);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].metric, "co2e_operational_kg"); // 0.30000000000000004 vs 0.3, rel 1 %: pass
  EXPECT_TRUE(r[0].pass);
  EXPECT_EQ(r[1].metric, "label"); // "a" vs expected "b": text compares exactly
  EXPECT_FALSE(r[1].pass);
  EXPECT_EQ(format_comparison(r[1]),
            "FAIL t/a/-/seed=1 label: expected \"b\", actual \"a\" (text, exact match)");
  EXPECT_EQ(r[2].metric, "tac_fleet"); // NaN in the file, 0 expected
  EXPECT_FALSE(r[2].pass);
  EXPECT_EQ(format_comparison(r[2]),
            "FAIL t/a/-/seed=1 tac_fleet: expected 0, actual nan (a NaN never matches a number)");
  EXPECT_EQ(r[3].metric, "wait_mean_h"); // not in the run's summary
  EXPECT_FALSE(r[3].pass);
  EXPECT_TRUE(contains(format_comparison(r[3]), "metric not in the run's summary"));
  EXPECT_EQ(r[4].run, "t/gone/-/seed=1");
  EXPECT_FALSE(r[4].pass);
  EXPECT_EQ(format_comparison(r[4]),
            "FAIL t/gone/-/seed=1 jobs: expected 300 (run not in the result file)");
  // A pass line shows the numbers: |0.30000000000000004 − 0.3| = 5.55e-17 ≤ 0.01·0.3 = 0.003.
  EXPECT_EQ(format_comparison(r[0]),
            "PASS t/a/-/seed=1 co2e_operational_kg: expected 0.3, actual "
            "0.30000000000000004, |diff| 5.55e-17 <= tolerance 0.003 (abs 0 + rel 0.01 * "
            "|expected|)");
}

TEST(Golden, MalformedFilesNameFileAndLine) {
  // Syntax: the value after "format": is missing; nlohmann stops at the "}" on line 3.
  EXPECT_TRUE(test::throws_with<TraceError>(
      [] { parse_golden("{\n  \"format\": \n}\n", "g.json"); }, {"g.json:3: JSON syntax error"}));
  // A negative tolerance on line 3.
  const std::string neg = "{\n  \"format\": \"cfsim-golden/1\",\n  \"tolerances\": {\"default\": "
                          "{\"rel\": -1, \"abs\": 0}},\n  \"runs\": {\"r\": {\"m\": 1}}\n}\n";
  EXPECT_TRUE(test::throws_with<TraceError>(
      [&] { parse_golden(neg, "g.json"); },
      {"g.json:3: /tolerances/default/rel: expected a finite number >= 0, got -1"}));
  // A boolean value on line 5.
  const std::string boolean = "{\n  \"format\": \"cfsim-golden/1\",\n  \"tolerances\": "
                              "{\"default\": {\"rel\": 0, \"abs\": 0}},\n  \"runs\": {\n    "
                              "\"r\": {\"m\": true}\n  }\n}\n";
  EXPECT_TRUE(test::throws_with<TraceError>([&] { parse_golden(boolean, "g.json"); },
                                            {"g.json:5: /runs/r/m: expected a number, null"}));
  // Unknown key, wrong format, no runs, a tolerance without abs, a tolerance naming no metric.
  EXPECT_TRUE(test::throws_with<TraceError>(
      [] { parse_golden(R"({"format": "cfsim-golden/1", "tolerance": {}})", "g.json"); },
      {"g.json:1: /tolerance: unknown key (allowed: format, runs, source, tolerances)"}));
  EXPECT_TRUE(
      test::throws_with<TraceError>([] { parse_golden(R"({"format": "golden/2"})", "g.json"); },
                                    {"/format: expected \"cfsim-golden/1\", got \"golden/2\""}));
  EXPECT_TRUE(test::throws_with<TraceError>(
      [] {
        parse_golden(
            R"({"format": "cfsim-golden/1", "tolerances": {"default": {"rel": 0, "abs": 0}},
                         "runs": {}})",
            "g.json");
      },
      {"/runs: is empty"}));
  EXPECT_TRUE(test::throws_with<TraceError>(
      [] {
        parse_golden(R"({"format": "cfsim-golden/1", "tolerances": {"default": {"rel": 0}},
                         "runs": {"r": {"m": 1}}})",
                     "g.json");
      },
      {"/tolerances/default: has no \"abs\""}));
  EXPECT_TRUE(test::throws_with<TraceError>(
      [] {
        parse_golden(R"({"format": "cfsim-golden/1", "tolerances": {"default": {"rel": 0, "abs": 0},
                         "co2": {"rel": 0, "abs": 1}}, "runs": {"r": {"m": 1}}})",
                     "g.json");
      },
      {"/tolerances/co2: names no metric of any run"}));
}

TEST(Golden, WriteGoldenRefusesUnknownMetricsAndFailedRuns) {
  GoldenOptions opt;
  opt.metrics = {"co2_kg"};
  EXPECT_TRUE(test::throws_with<UsageError>([&] { make_golden(golden_source(), opt); },
                                            {"no summary field 'co2_kg'"}));
  ResultSet rs = golden_source();
  rs.runs[1].status = "error";
  rs.runs[1].message = "boom";
  rs.runs[1].summary.clear();
  EXPECT_TRUE(test::throws_with<Error>([&] { make_golden(rs, GoldenOptions{}); },
                                       {"run t/b/-/seed=1 failed (boom)"}));
  GoldenOptions only_a;
  only_a.runs_regex = "/a/";
  EXPECT_EQ(make_golden(rs, only_a).runs.size(), 1u);
}

} // namespace
} // namespace cfsim
