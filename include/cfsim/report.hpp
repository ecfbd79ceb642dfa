// Reports drawn from a result file (DESIGN §10–§11): tables for theses and papers (`cfsim
// table`: LaTeX booktabs, CSV, markdown; docs/tables.md) and the regression check of CI
// pipelines (`cfsim check`: metrics of named runs against a golden JSON file under tolerances;
// docs/check.md). Both only read a ResultSet; nothing here runs a scenario.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cfsim/result.hpp"

namespace cfsim {

// ---- Formatting pieces (sim/report/table.cpp) --------------------------------------------------

// Decimals that show `significant` significant figures of the largest magnitude `max_abs` of a
// column: significant − 1 − floor(log10(max_abs)), clamped to [0, 12]. One count per column, so
// every number of the column has the same decimals (the decimal points line up and the
// precision is the same absolute step); smaller numbers of the column show fewer figures, and
// large whole numbers keep all their integer digits (123456 stays 123456, never 1.23e5).
int column_decimals(double max_abs, int significant);

// `v` with `decimals` decimals ("%.*f"); "-0.0" (a small negative rounded to zero) is written
// "0.0", a sign on zero being noise. NaN → "nan" (callers print their own marker).
std::string format_fixed(double v, int decimals);

// Escapes LaTeX's special characters in text (run names, labels): \ { } $ & # ^ _ % ~.
std::string latex_escape(std::string_view text);

// A UDUNITS unit spelling as LaTeX text mode for a column header, e.g. "kg" → "kg", "%" → "\%",
// "kW h" → "kW\,h", "g kW-1 h-1" → "g\,kW$^{-1}$\,h$^{-1}$", "USD" → "USD"; "1" and "" (no unit)
// → "". A factor is letters with an optional signed integer exponent.
std::string latex_unit(std::string_view udunits);

// ---- Tables (sim/report/table.cpp) -------------------------------------------------------------

enum class TableFormat { latex, csv, markdown };

struct TableOptions {
  TableFormat format = TableFormat::latex;
  std::vector<std::string> metrics;  // summary fields; empty: default_table_metrics()
  std::vector<std::string> group_by; // empty: one row per run; else run members or fields
  std::string runs_regex;            // ECMAScript, search in the run name; empty: every run
  int significant = 3;               // significant figures (LaTeX and markdown)
  bool bounds = true;                // show ± bounds where the file has them
  // LaTeX only: with a caption or a label the tabular is wrapped in a table float.
  std::string caption;
  std::string label;
  std::string source; // the result file's name, for the provenance comment
};

// One cell: a number with optional bounds, or a text. NaN value: not available.
struct TableCell {
  double value = 0;
  std::optional<double> lower, upper; // absent: no bounds for this cell
  std::optional<std::string> text;    // a text field
};

struct TableMetric {
  std::string name;
  std::string units;  // UDUNITS, "" for text
  std::string bounds; // what the bounds of this column are, for notes; "" without bounds
};

struct TableRow {
  std::vector<std::string> keys; // run name, or the group-by values
  std::size_t runs = 1;          // runs in the row (groups)
  std::vector<TableCell> cells;  // one per metric
};

struct ReportTable {
  std::vector<std::string> key_names; // "run", or the group-by columns
  std::vector<std::string> key_units; // their units ("" for text)
  std::vector<TableMetric> metrics;
  std::vector<TableRow> rows;
  bool grouped = false;
  std::vector<std::string> provenance; // lines for the leading comment
};

// The metrics shown without --metrics: those of energy, CO2e, cost and savings that the file
// has (energy_kwh, co2e_operational_kg, cost_usd, savings_co2e_pct, savings_cost_pct).
std::vector<std::string> default_table_metrics(const ResultSet& rs);

// Rows and cells. Without grouping a cell is the run's value with the union of the bounds the
// summary has for that metric (missing data, energy-model coefficients, forecast seeds p5–p95;
// the same band as the savings figure's whiskers). With grouping it is the mean over the
// group's runs with their minimum and maximum as bounds (NaN if any run's value is NaN: an
// incomplete group is not averaged over its complete runs). UsageError for an unknown metric or
// group column (naming the available ones), a text metric that differs within a group, or no
// run left by runs_regex.
ReportTable build_table(const ResultSet& rs, const TableOptions& opt);

// The whole output text in opt.format.
std::string render_table(const ReportTable& t, const TableOptions& opt);

// ---- `cfsim check` (sim/report/check.cpp) -----------------------------------------------------

struct Tolerance {
  double rel = 0; // relative to |expected|
  double abs = 0; // in the metric's units
};

// The pass rule: |actual − expected| ≤ abs + rel·|expected|. An expected NaN matches only a NaN;
// a NaN actual never matches a number. Equal values always pass (also ±infinity).
bool within_tolerance(double actual, double expected, const Tolerance& tol);

using GoldenValue = std::variant<double, std::string>; // NaN: JSON null

struct GoldenMetric {
  std::string name;
  GoldenValue value;
};

struct GoldenRun {
  std::string name;
  std::vector<GoldenMetric> metrics;
};

struct Golden {
  std::vector<std::pair<std::string, std::string>> source; // provenance, informational
  Tolerance default_tolerance;
  std::vector<std::pair<std::string, Tolerance>> tolerances; // per metric
  std::vector<GoldenRun> runs;
  const Tolerance& tolerance_of(const std::string& metric) const;
};

// Parses a golden file (format "cfsim-golden/1", docs/check.md). TraceError "origin:LINE: ..."
// for bad JSON, unknown or missing keys, wrong types, negative tolerances or no runs.
Golden parse_golden(std::string_view text, const std::string& origin);
Golden load_golden(const std::string& path);

struct GoldenOptions {
  std::vector<std::string> metrics; // empty: every summary field
  std::string runs_regex;           // empty: every run
  Tolerance tolerance{1e-9, 0};
  std::string source; // the result file's name
};

// A golden from a trusted result: the chosen metrics of the chosen runs. UsageError for an
// unknown metric or no run selected; Error for a non-finite number (JSON has no infinity) or a
// run without a summary (status error).
Golden make_golden(const ResultSet& rs, const GoldenOptions& opt);
// JSON text, one metric per line, numbers in the shortest form that round-trips (at most 17
// significant digits), NaN as null.
std::string golden_json(const Golden& g);

struct Comparison {
  bool pass = false;
  std::string run, metric;
  std::string expected, actual; // as text
  Tolerance tolerance;
  double allowed = 0;    // abs + rel·|expected|
  double difference = 0; // |actual − expected| (NaN when not numeric)
  std::string note;      // why it failed when not a number comparison ("run missing", ...)
};

// Every golden metric of every golden run against `rs`. A run or metric missing in `rs` fails.
std::vector<Comparison> compare_golden(const ResultSet& rs, const Golden& g);
// "PASS run metric: expected E, actual A, |diff| D <= tolerance T (abs a + rel r*|E|)"
std::string format_comparison(const Comparison& c);

} // namespace cfsim
