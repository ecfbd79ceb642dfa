// What a figure of `cfsim plot` is made of (DESIGN §10), shared by the figure files
// sim/plot/figure_<name>.cpp and the driver sim/plot/plot.cpp.
//
// A figure is one function `Figure make_<name>(const Context&)` that turns a ResultSet into two
// texts: the numbers it plots (the .dat, with a header naming columns, units and the source) and
// the gnuplot commands that draw them (the body of the .gp). The driver adds the common head
// (style, terminal, provenance footnote), saves both files and renders each format.
//
// Text in a figure is drawn by gnuplot's enhanced text for PDF/PNG/SVG and by LaTeX for the
// `tex` format (cairolatex), so every literal label goes through `label()` (both spellings) and
// text taken from the data through the style's `tex_safe()` (escapes LaTeX specials when
// fmt eq "tex", no-op otherwise).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cfsim/plot.hpp"
#include "cfsim/result.hpp"
#include "cfsim/time.hpp"

namespace cfsim::figures {

// What every figure function gets.
struct Context {
  const ResultSet& results;
  const PlotOptions& opt;
  std::string base;       // "<stem>_<figure>": file name without extension
  std::string source;     // .dat header lines describing where the numbers come from
  std::string provenance; // one line for the figure footnote
};

// What every figure function returns.
struct Figure {
  std::string dat;       // the .dat file (header comments + rows)
  std::string body;      // gnuplot commands; `dat` names the data file, the terminal is set
  double width_cm = 8.5; // default size (8.5 = one column, 17.5 = two); --width overrides it
  double height_cm = 6.5;
  std::string subject; // appended to the provenance footnote (e.g. the run plotted)
  // Where the provenance footnote goes (a gnuplot label position).
  std::string provenance_at = "screen 0.995, character 0.6 right";
};

// ---- Reading the ResultSet ------------------------------------------------------------------

// (find_field, field_number and attribute are in cfsim/result.hpp.)
// A text summary field; empty if absent or numeric.
std::string text(const RunResult& run, std::string_view name);
bool is_error(const RunResult& run);
bool is_baseline(const RunResult& run);
std::string strategy_of(const RunResult& run);
std::string run_name(const RunResult& run);
const NamedSeries* find_series(const RunResult& run, std::string_view name);
// The '/'-separated parts of a run name after its strategy ("scenario/strategy/k=v/seed=1" →
// {"k=v", "seed=1"}); the whole name if the strategy is not one of its parts.
std::vector<std::string> run_tail(const std::string& run, const std::string& strategy);
// The smallest and largest finite value of `v` (NaN, NaN if none).
std::pair<double, double> finite_extent(std::initializer_list<double> v);

// ---- Formatting -------------------------------------------------------------------------------

// Shortest text that reads back as the same double; "NaN" for unknown.
std::string num(double v);
// A text column of a .dat file: double-quoted, one line, no inner double quotes.
std::string dat_text(std::string_view s);
// A gnuplot single-quoted string literal (no escapes inside; a quote is doubled).
std::string gp_str(std::string_view s);
// A gnuplot double-quoted string literal: "\n" in `s` becomes a line break in the text.
std::string gp_dq(std::string_view s);
// A POSIX shell single-quoted word.
std::string sh_quote(std::string_view s);
// One line of a .dat/.gp comment: no line breaks can escape the comment.
std::string one_line(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// A gnuplot string expression for a literal label: `enhanced` (gnuplot enhanced text, e.g.
// "CO_2e (g kWh^{-1})") for pdf/png/svg, `latex` (e.g. "CO$_2$e (g\,kWh$^{-1}$)") for tex.
// With one argument the text is plain: LaTeX specials are escaped for tex.
std::string label(std::string_view enhanced, std::string_view latex);
std::string label(std::string_view plain);
// A figure with nothing to draw but an explanation (e.g. no non-baseline runs): still written,
// so `cfsim plot` never fails because one figure has no data, and the reader sees why.
std::string message_body(std::string_view message);

// ---- Axes -------------------------------------------------------------------------------------

// Time axis tics: a readable spacing for the span, aligned to UTC midnight (or Monday). Tics
// finer than a day show the time of day, and the date is written once under each midnight.
struct TimeTics {
  TimeS first_s = 0, inc_s = 3600;
  int minor = 1;
  std::string format;
  bool date_under_midnight = false;
};
TimeS align_up(TimeS t, TimeS inc, TimeS origin);
TimeTics time_tics(TimeS t0, TimeS t1);
// A nice tic step (1, 2 or 5 × 10^k) giving about `n` intervals up to `max`.
double nice_step(double max, double n);
// Tic step for counts (instances, vCPUs): whole numbers.
double count_step(double max);

// ---- The figures (one file each) ----------------------------------------------------------------

Figure make_savings(const Context& ctx);
Figure make_timeline(const Context& ctx);
Figure make_pareto(const Context& ctx);
Figure make_methods(const Context& ctx);
Figure make_sweep(const Context& ctx);
Figure make_heatmap(const Context& ctx);
Figure make_wait_cdf(const Context& ctx);
Figure make_quality(const Context& ctx);

} // namespace cfsim::figures
