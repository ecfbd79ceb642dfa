// Figures from stored results (DESIGN §10). The only user of gnuplot-iostream.
//
// Every figure is one function that turns a ResultSet into two texts: the numbers it plots
// (<stem>_<figure>.dat, with a header naming columns, units and the source) and the gnuplot
// commands that draw them. `plot_results` wraps the commands in a common preamble that loads
// plots/style.gp and sets the terminal from variables, saves the result as a standalone
// <stem>_<figure>.gp, and pipes exactly that text to gnuplot once per output format. A reader
// can therefore restyle or replay any figure without C++: `gnuplot -e "fmt='png'" x.gp`.
// Adding a figure = one `make_*` function plus one row in `kFigures`.
#include "cfsim/plot.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

// gnuplot-iostream (and the Boost headers it pulls in) is third-party code: keep its warnings
// out of the project's -Werror build without weakening the flags for our own code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <gnuplot-iostream.h>
#pragma GCC diagnostic pop

#include "cfsim/error.hpp"
#include "cfsim/time.hpp"

#ifndef CFSIM_VERSION
#define CFSIM_VERSION "unknown"
#endif

namespace cfsim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- Reading the ResultSet ----------------------------------------------------------------

const Field* find_field(const RunResult& run, std::string_view name) {
  for (const Field& f : run.summary)
    if (f.name == name)
      return &f;
  return nullptr;
}

// A numeric summary field as double; NaN if absent or text.
double number(const RunResult& run, std::string_view name) {
  const Field* f = find_field(run, name);
  if (f == nullptr)
    return kNaN;
  if (const auto* d = std::get_if<double>(&f->value))
    return *d;
  if (const auto* i = std::get_if<std::int64_t>(&f->value))
    return static_cast<double>(*i);
  return kNaN;
}

// A text summary field; empty if absent or numeric.
std::string text(const RunResult& run, std::string_view name) {
  const Field* f = find_field(run, name);
  if (f == nullptr)
    return {};
  if (const auto* s = std::get_if<std::string>(&f->value))
    return *s;
  return {};
}

bool is_error(const RunResult& run) {
  return run.status == "error" || text(run, "status") == "error";
}
bool is_baseline(const RunResult& run) {
  return number(run, "is_baseline") == 1.0;
}
std::string strategy_of(const RunResult& run) {
  return run.strategy.empty() ? text(run, "strategy") : run.strategy;
}
std::string run_name(const RunResult& run) {
  return run.name.empty() ? text(run, "run") : run.name;
}

const NamedSeries* find_series(const RunResult& run, std::string_view name) {
  for (const NamedSeries& s : run.series)
    if (s.name == name)
      return &s;
  return nullptr;
}

std::string attribute(const ResultSet& rs, std::string_view key) {
  for (const auto& [k, v] : rs.attributes)
    if (k == key)
      return v;
  return {};
}

// ---- Formatting ---------------------------------------------------------------------------

// Shortest text that reads back as the same double; "NaN" for unknown (gnuplot reads it as an
// undefined value, which breaks a line instead of drawing through it).
std::string num(double v) {
  if (!std::isfinite(v))
    return "NaN";
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

// A text column of a .dat file: double-quoted, one line, no inner double quotes.
std::string dat_text(std::string_view s) {
  std::string out = "\"";
  for (char c : s)
    out += (c == '"') ? '\'' : (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out + "\"";
}

// A gnuplot single-quoted string literal (no escapes inside; a quote is doubled).
std::string gp_str(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += '\'';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "'";
}

// A gnuplot double-quoted string literal: "\n" in `s` becomes a line break in the text.
std::string gp_dq(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (c != '\r')
      out += c;
  }
  return out + "\"";
}

// A POSIX shell single-quoted word.
std::string sh_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// One line of a .dat/.gp comment: no line breaks can escape the comment.
std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0)
      out += sep;
    out += parts[i];
  }
  return out;
}

// ---- Figures ------------------------------------------------------------------------------

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
  double width_cm = 8.5; // default size, overridable with -e "fig_w=...; fig_h=..."
  double height_cm = 6.5;
  std::string subject; // appended to the provenance footnote (e.g. the run plotted)
  // Where the provenance footnote goes (a gnuplot label position).
  std::string provenance_at = "screen 0.995, character 0.6 right";
};

// A figure with nothing to draw but an explanation (e.g. no non-baseline runs): still written,
// so `cfsim plot` never fails because one figure has no data, and the reader sees why.
std::string message_body(std::string_view message) {
  return "# Nothing to plot: the message below explains why.\n"
         "unset border; unset tics; unset key; unset grid\n"
         "set label 1 " +
         gp_dq(message) +
         " at graph 0.5, graph 0.5 center noenhanced\n"
         "plot [0:1][0:1] NaN notitle\n";
}

// ---- savings: CO2e and cost savings per strategy against its baseline ---------------------

// A saving as the figure labels it (the same rule as pct() in the .gp): one decimal below
// 10 %, whole numbers above, "0.0" near zero.
std::string pct_text(double v) {
  if (!std::isfinite(v))
    return "nan";
  char buf[32];
  if (std::fabs(v) < 0.05)
    return "0.0";
  std::snprintf(buf, sizeof buf, std::fabs(v) < 9.95 ? "%.1f" : "%.0f", v);
  return buf;
}

struct SavingsRow {
  std::string run, strategy, label, kind, baseline;
  double co2e = kNaN, co2e_lo = kNaN, co2e_hi = kNaN, cost = kNaN, coverage = kNaN;
  // The whole uncertainty band (methodology §8): missing data, the energy model's intervals
  // and p5..p95 over the seeds; NaN parts are left out.
  double band_lo = kNaN, band_hi = kNaN, cost_lo = kNaN, cost_hi = kNaN;
  std::int64_t seeds = 1;
  bool complete = true;
};

// The smallest and largest finite value of `v` (NaN, NaN if none).
std::pair<double, double> finite_extent(std::initializer_list<double> v) {
  double lo = kNaN, hi = kNaN;
  for (double x : v)
    if (std::isfinite(x)) {
      lo = std::isnan(lo) ? x : std::min(lo, x);
      hi = std::isnan(hi) ? x : std::max(hi, x);
    }
  return {lo, hi};
}

// The '/'-separated parts of a run name after its strategy ("scenario/strategy/k=v/seed=1" →
// {"k=v", "seed=1"}); the whole name if the strategy is not one of its parts.
std::vector<std::string> run_tail(const std::string& run, const std::string& strategy) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= run.size()) {
    const std::size_t end = std::min(run.find('/', start), run.size());
    parts.push_back(run.substr(start, end - start));
    start = end + 1;
  }
  const auto it = std::find(parts.begin(), parts.end(), strategy);
  if (it == parts.end())
    return {run};
  return {it + 1, parts.end()};
}

Figure make_savings(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  std::vector<SavingsRow> rows;
  std::vector<std::string> baselines, skipped;
  for (const RunResult& run : rs.runs) {
    if (is_error(run)) {
      skipped.push_back(strategy_of(run) + " (" + run_name(run) + ": " + one_line(run.message) +
                        ")");
      continue;
    }
    if (is_baseline(run)) {
      baselines.push_back(run_name(run) + " [" + text(run, "kind") + "]");
      continue;
    }
    SavingsRow r;
    r.run = run_name(run);
    r.strategy = strategy_of(run);
    r.kind = text(run, "kind");
    r.baseline = "none";
    for (const RunResult& b : rs.runs)
      if (!is_error(b) && is_baseline(b) && text(b, "kind") == r.kind) {
        r.baseline = strategy_of(b);
        break;
      }
    r.co2e = number(run, "savings_co2e_pct");
    r.co2e_lo = number(run, "savings_co2e_lower_pct");
    r.co2e_hi = number(run, "savings_co2e_upper_pct");
    if (r.co2e_lo > r.co2e_hi)
      std::swap(r.co2e_lo, r.co2e_hi); // false if either is NaN
    r.cost = number(run, "savings_cost_pct");
    std::tie(r.band_lo, r.band_hi) =
        finite_extent({r.co2e_lo, r.co2e_hi, number(run, "savings_co2e_model_lower_pct"),
                       number(run, "savings_co2e_model_upper_pct"),
                       number(run, "savings_co2e_p5_pct"), number(run, "savings_co2e_p95_pct")});
    std::tie(r.cost_lo, r.cost_hi) = finite_extent(
        {r.cost, number(run, "savings_cost_p5_pct"), number(run, "savings_cost_p95_pct")});
    const double seeds = number(run, "uncertainty_seeds");
    r.seeds = std::isfinite(seeds) ? static_cast<std::int64_t>(seeds) : 1;
    r.coverage = number(run, "co2e_coverage");
    r.complete = number(run, "complete") != 0.0; // absent counts as complete
    rows.push_back(std::move(r));
  }
  // A strategy that appears in several runs (a sweep) is labelled with the parts of its run
  // name that tell the runs apart ("lowest_window wait_h=24"); parts they share are dropped.
  for (SavingsRow& r : rows) {
    std::vector<std::vector<std::string>> tails; // run-name parts after the strategy
    for (const SavingsRow& o : rows)
      if (o.strategy == r.strategy)
        tails.push_back(run_tail(o.run, o.strategy));
    r.label = r.strategy;
    if (tails.size() < 2)
      continue;
    for (const std::string& part : run_tail(r.run, r.strategy)) {
      const bool shared = std::all_of(tails.begin(), tails.end(), [&](const auto& t) {
        return std::find(t.begin(), t.end(), part) != t.end();
      });
      if (!shared)
        r.label += " " + part;
    }
  }

  Figure fig;
  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'savings': operational CO2e and cost savings of each run against the\n"
         "# baseline run of the same kind (fleet or jobs), in percent of the baseline's value.\n"
      << ctx.source;
  dat << "# baseline runs (0 % by definition, not drawn): "
      << (baselines.empty() ? "none" : join(baselines, ", ")) << "\n";
  dat << "# skipped runs (status=error, no results): "
      << (skipped.empty() ? "none" : join(skipped, "; ")) << "\n";
  dat << "# columns:\n"
         "#  1 x                      bar group position (1)\n"
         "#  2 strategy               strategy name (text; picks colour in style.gp)\n"
         "#  3 label                  bar group label (text)\n"
         "#  4 kind                   workload kind: fleet or jobs (text)\n"
         "#  5 baseline               strategy of the baseline run compared against (text)\n"
         "#  6 savings_co2e_pct       operational CO2e savings (%)\n"
         "#  7 savings_co2e_lower_pct lower bound of the CO2e savings given missing intensity (%)\n"
         "#  8 savings_co2e_upper_pct upper bound of the CO2e savings given missing intensity (%)\n"
         "#  9 savings_cost_pct       cost savings (%)\n"
         "# 10 co2e_coverage          share of energy with known intensity (1)\n"
         "# 11 complete               1 if the run's data were complete, else 0 (1)\n"
         "# 12 run                    run name (text)\n"
         "# 13 co2e_bar_pct           bar height: the saving, or its lower bound when only\n"
         "#                           bounds are defined (incomplete data, No-Fallback) (%)\n"
         "# 14 co2e_text              bar label: the saving, or \"lower..upper\" (text)\n"
         "# 15 co2e_band_lower_pct    lower end of the whole uncertainty band: missing data,\n"
         "#                           energy-model intervals and p5 over the seeds (%)\n"
         "# 16 co2e_band_upper_pct    upper end of the band (p95 over the seeds) (%)\n"
         "# 17 cost_band_lower_pct    cost savings, p5 over the seeds (%)\n"
         "# 18 cost_band_upper_pct    cost savings, p95 over the seeds (%)\n";
  double y_min = 0, y_max = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SavingsRow& r = rows[i];
    dat << (i + 1) << ' ' << dat_text(r.strategy) << ' ' << dat_text(r.label) << ' '
        << dat_text(r.kind) << ' ' << dat_text(r.baseline) << ' ' << num(r.co2e) << ' '
        << num(r.co2e_lo) << ' ' << num(r.co2e_hi) << ' ' << num(r.cost) << ' ' << num(r.coverage)
        << ' ' << (r.complete ? 1 : 0) << ' ' << dat_text(r.run) << ' '
        << num(std::isfinite(r.co2e) ? r.co2e : r.co2e_lo) << ' '
        << dat_text(std::isfinite(r.co2e) || !std::isfinite(r.co2e_lo)
                        ? pct_text(r.co2e)
                        : pct_text(r.co2e_lo) + ".." + pct_text(r.co2e_hi))
        << ' ' << num(r.band_lo) << ' ' << num(r.band_hi) << ' ' << num(r.cost_lo) << ' '
        << num(r.cost_hi) << '\n';
    for (double v :
         {r.co2e, r.co2e_lo, r.co2e_hi, r.cost, r.band_lo, r.band_hi, r.cost_lo, r.cost_hi})
      if (std::isfinite(v)) {
        y_min = std::min(y_min, v);
        y_max = std::max(y_max, v);
      }
  }
  fig.dat = dat.str();

  if (rows.empty()) {
    fig.body =
        message_body("No non-baseline run with results:\nnothing to compare with a baseline.");
    return fig;
  }

  // Room above (below) the bars for the value labels. Savings that print as 0.0 get none below.
  if (y_min > -0.05)
    y_min = 0;
  const double span = std::max(y_max - y_min, 10.0);
  if (y_max > 0 || y_min == 0)
    y_max += 0.16 * span;
  if (y_min < 0)
    y_min -= 0.16 * span;
  // Layout: one column if the group labels fit side by side, else the full text width, else
  // full width with rotated one-line labels (the baselines then move to the footnote). The
  // label width is estimated from its characters (~0.15 cm each at 8 pt).
  std::size_t longest = 0; // characters in the longest line of a group label
  for (const SavingsRow& r : rows)
    longest = std::max({longest, r.label.size() + (r.complete ? 0 : 1), 3 + r.baseline.size()});
  const double need_cm =
      static_cast<double>(rows.size()) * (0.15 * static_cast<double>(longest) + 0.3);
  const bool wide = need_cm > 7.0;
  const bool rotated = need_cm > 15.0;
  fig.width_cm = wide ? 17.5 : 8.5;
  fig.height_cm = rotated ? 8.5 : wide ? 7.0 : 6.5;

  // Footnotes under the axis: what the marks mean and what is missing. A rotated layout has no
  // room for "vs <baseline>" under each rotated label, so it names the baselines here.
  std::vector<std::string> notes;
  if (std::any_of(rows.begin(), rows.end(), [](const SavingsRow& r) { return !r.complete; }))
    notes.push_back("* intensity data incomplete");
  if (std::any_of(rows.begin(), rows.end(), [](const SavingsRow& r) {
        return r.band_lo < r.band_hi || r.cost_lo < r.cost_hi;
      })) {
    std::int64_t seeds = 1;
    for (const SavingsRow& r : rows)
      seeds = std::max(seeds, r.seeds);
    notes.push_back(seeds > 1 ? "whiskers: missing data, energy model, p5-p95 over " +
                                    std::to_string(seeds) + " seeds"
                              : "whiskers: bounds from missing data and the energy model");
  }
  if (rotated) {
    std::vector<std::string> pairs;
    for (const SavingsRow& r : rows) {
      const std::string pair = r.baseline + " (" + r.kind + ")";
      if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end())
        pairs.push_back(pair);
    }
    notes.push_back("baselines: " + join(pairs, ", "));
  }
  if (!skipped.empty()) {
    std::vector<std::string> names;
    for (const RunResult& run : rs.runs)
      if (is_error(run))
        names.push_back(strategy_of(run));
    notes.push_back("not shown (run failed): " + join(names, ", "));
  }
  if (!rotated) // one line per note: grow the figure rather than shrink the plot
    fig.height_cm += 0.3 * static_cast<double>(notes.size());

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- savings ----------------------------------------------------------------------\n"
        "# Two bars per run: CO2e (solid) and cost (hatched), coloured by strategy (style.gp);\n"
        "# whiskers: the uncertainty band (columns 15-18). Group label: the strategy"
     << (rotated ? "" : " and its baseline") << ".\n"
     << "n_groups = " << rows.size()
     << "\n"
        "bar_w = 0.36     # width of one bar (one group = 1 x unit)\n"
        "bar_off = 0.19   # distance of each bar's centre from the group centre\n"
        "max2(a, b) = (a != a) ? b : ((b != b) ? a : (a > b ? a : b))\n"
        "min2(a, b) = (a != a) ? b : ((b != b) ? a : (a < b ? a : b))\n"
        "pct(v) = abs(v) < 0.05 ? \"0.0\" : abs(v) < 9.95 ? sprintf(\"%.1f\", v) : "
        "sprintf(\"%.0f\", v)\n"
        "group_label(s, base, complete) = s . (complete != 0 ? \"\" : \"*\")"
     << (rotated ? "" : " . \"\\nvs \" . base") << "\n"
     << "set xrange [0.4:n_groups + 0.6]\n"
        "set yrange ["
     << num(y_min) << ":" << num(y_max) << "]\n"
     << "set xtics scale 0 noenhanced" << (rotated ? " rotate by 30 right" : "") << "\n"
     << (rotated ? "set rmargin 2   # rotated labels need no room on the right\n" : "")
     << "set ylabel \"Savings vs baseline (%)\"\n"
        "set xzeroaxis lt -1 lw 0.8\n"
        "set key at screen 0.5, screen 0.995 center top horizontal maxrows 1 reverse Left "
        "samplen 1.5 width 2\n"
        "set tmargin 2.2\n"
        "# The footnotes are the x label; its last, empty line leaves room for the provenance.\n"
        "set xlabel "
     << gp_dq(join(notes, rotated ? "; " : "\n") + "\n")
     << " font note_font tc rgb rgb(col_note) noenhanced";
  if (!rotated) // gnuplot sizes the margin for one line of tic labels; the labels have two
    gp << " offset 0, -1\n"
       << "set bmargin " << num(4.0 + 0.9 * static_cast<double>(notes.size())) << "\n";
  gp << "\n"
        "# Without complete data the central CO2e saving is undefined (NaN, No-Fallback): the\n"
        "# solid bar (column 13) then shows the certain part, the lower bound, and the label\n"
        "# (column 14) the range.\n"
        "plot \\\n"
        "  keyentry with boxes lc rgb rgb(col_neutral) fs solid 1.0 border lc rgb \"black\" title "
        "\"CO_2e\", \\\n"
        "  keyentry with boxes lc rgb rgb(col_neutral) fs pattern 4 border title \"cost\", \\\n"
        "  dat using 1:(NaN):xtic(group_label(strcol(3), strcol(5), column(11))) notitle, \\\n"
        "  dat using ($1 - bar_off):13:(bar_w):(strategy_color(strcol(2))) \\\n"
        "      with boxes lc rgb variable fs solid 1.0 border lc rgb \"black\" notitle, \\\n"
        "  dat using ($1 + bar_off):9:(bar_w):(strategy_color(strcol(2))) \\\n"
        "      with boxes lc rgb variable fs pattern 4 border notitle, \\\n"
        "  dat using ($1 - bar_off):15:(0):($16 - $15) \\\n"
        "      with vectors heads size screen 0.008, 90 lw 0.8 lc rgb \"black\" notitle, \\\n"
        "  dat using ($1 + bar_off):17:(0):($18 - $17) \\\n"
        "      with vectors heads size screen 0.008, 90 lw 0.8 lc rgb \"black\" notitle, \\\n"
        "  dat using ($1 - bar_off):($13 > -0.05 ? max2(max2($13, $16), 0) : NaN):(strcol(14)) \\\n"
        "      with labels offset 0, 0.55 font note_font notitle, \\\n"
        "  dat using ($1 - bar_off):($13 <= -0.05 ? min2($13, $15) : NaN):(strcol(14)) \\\n"
        "      with labels offset 0, -0.55 font note_font notitle, \\\n"
        "  dat using ($1 + bar_off):($9 > -0.05 ? max2(max2($9, $18), 0) : NaN):(pct($9)) \\\n"
        "      with labels offset 0, 0.55 font note_font notitle, \\\n"
        "  dat using ($1 + bar_off):($9 <= -0.05 ? min2($9, $17) : NaN):(pct($9)) \\\n"
        "      with labels offset 0, -0.55 font note_font notitle\n";
  fig.body = gp.str();
  return fig;
}

// ---- timeline: grid intensity and the run's schedule over time ----------------------------

// The run `timeline` draws: the named one, else the first non-baseline ok fleet run, else the
// first non-baseline ok run, else the first ok run.
const RunResult* timeline_run(const ResultSet& rs, const std::string& wanted) {
  if (!wanted.empty()) {
    for (const RunResult& run : rs.runs)
      if (run_name(run) == wanted) {
        if (is_error(run))
          throw UsageError("plot: timeline run '" + wanted + "' failed (status=error: " +
                           one_line(run.message) + "); it has no series to plot");
        return &run;
      }
    std::vector<std::string> names;
    for (const RunResult& run : rs.runs)
      names.push_back(run_name(run));
    if (names.size() > 20) {
      names.resize(20);
      names.emplace_back("...");
    }
    throw UsageError("plot: no run named '" + wanted + "' for the timeline. Valid values are: " +
                     (names.empty() ? std::string("(no runs)") : join(names, ", ")) + ".");
  }
  const auto pick = [&](auto pred) -> const RunResult* {
    for (const RunResult& run : rs.runs)
      if (!is_error(run) && pred(run))
        return &run;
    return nullptr;
  };
  if (auto* r =
          pick([](const RunResult& x) { return !is_baseline(x) && text(x, "kind") == "fleet"; }))
    return r;
  if (auto* r = pick([](const RunResult& x) { return !is_baseline(x); }))
    return r;
  return pick([](const RunResult&) { return true; });
}

// Time axis tics: a readable spacing for the span, aligned to UTC midnight (or Monday). Tics
// finer than a day show the time of day, and the date is written once under each midnight.
struct TimeTics {
  TimeS first_s = 0, inc_s = 3600;
  int minor = 1;
  std::string format;
  bool date_under_midnight = false;
};

TimeS align_up(TimeS t, TimeS inc, TimeS origin) {
  const TimeS r = ((t - origin) % inc + inc) % inc;
  return r == 0 ? t : t + (inc - r);
}

TimeTics time_tics(TimeS t0, TimeS t1) {
  constexpr TimeS h = 3600, d = 86400;
  constexpr TimeS monday = 4 * d; // 1970-01-05 00:00 UTC was a Monday
  const TimeS span = t1 - t0;
  TimeTics t;
  if (span <= 12 * h) {
    t = {0, h, 4, "%H:%M", true};
  } else if (span <= 3 * d) {
    t = {0, 6 * h, 6, "%H:%M", true};
  } else if (span <= 8 * d) {
    t = {0, d, 4, "%d %b", false};
  } else if (span <= 16 * d) {
    t = {0, 2 * d, 2, "%d %b", false};
  } else if (span <= 70 * d) {
    t = {0, 7 * d, 7, "%d %b", false}; // weeks from Monday: office-hour patterns line up
  } else {
    t = {0, 7 * d * ((span / d + 69) / 70), 1, "%d %b %Y", false};
  }
  t.first_s = align_up(t0, t.inc_s, t.inc_s % (7 * d) == 0 ? monday : 0);
  return t;
}

// A nice tic step (1, 2 or 5 × 10^k) giving about `n` intervals up to `max`.
double nice_step(double max, double n) {
  if (!(max > 0))
    return 1;
  const double raw = max / n;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  double step = p;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) {
      step = m * p;
      break;
    }
  return step;
}

// Tic step for counts (instances, vCPUs): whole numbers.
double count_step(double max) {
  return std::max(nice_step(max, 5), 1.0);
}

Figure make_timeline(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  const TimeGrid& grid = rs.grid;
  const RunResult* run = timeline_run(rs, ctx.opt.timeline_run);
  Figure fig;
  fig.width_cm = 17.5;
  fig.height_cm = 9.0;

  const auto n = static_cast<std::size_t>(std::max<std::int64_t>(grid.n, 0));
  const auto series = [&](std::string_view name) -> std::vector<double> {
    const NamedSeries* s = run == nullptr ? nullptr : find_series(*run, name);
    if (s == nullptr)
      return std::vector<double>(n, kNaN);
    if (s->values.size() != n)
      throw Error(ExitCode::bad_data, "plot: series '" + std::string(name) + "' of run '" +
                                          run_name(*run) + "' has " +
                                          std::to_string(s->values.size()) +
                                          " values but the result grid has " + std::to_string(n));
    return s->values;
  };
  const std::vector<double> ci = series("intensity_g_per_kwh");
  const std::vector<double> fleet = series("fleet_running");
  const std::vector<double> jobs = series("jobs_running_cpus");

  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'timeline': grid carbon intensity and the run's schedule per grid cell.\n"
      << ctx.source;
  dat << "# run: " << (run == nullptr ? "none" : one_line(run_name(*run))) << "\n";
  if (run != nullptr)
    dat << "# strategy: " << strategy_of(*run) << ", kind: " << text(*run, "kind") << "\n";
  dat << "# grid: start " << format_utc(grid.start_s) << ", step " << grid.step_s << " s, " << n
      << " cells; a row is the cell [time, time + step); NaN = unknown (never filled)\n"
         "# columns:\n"
         "#  1 time_utc            cell start, ISO 8601 UTC (text)\n"
         "#  2 time_s              cell start (s since 1970-01-01 00:00:00 UTC)\n"
         "#  3 intensity_g_per_kwh grid carbon intensity (g kW-1 h-1), NaN where missing\n"
         "#  4 intensity_missing   1 where the intensity is unknown, else 0 (1)\n"
         "#  5 fleet_running       fleet instances running, mean over the cell (1)\n"
         "#  6 jobs_running_cpus   vCPUs of batch jobs running, mean over the cell (1)\n";
  bool any_missing = false;
  double fleet_max = 0, jobs_max = 0;
  bool fleet_nonzero = false, jobs_nonzero = false;
  for (std::size_t i = 0; i < n; ++i) {
    const TimeS t = grid.cell_start(static_cast<std::int64_t>(i));
    const bool missing = !std::isfinite(ci[i]);
    any_missing = any_missing || missing;
    if (std::isfinite(fleet[i])) {
      fleet_max = std::max(fleet_max, fleet[i]);
      fleet_nonzero = fleet_nonzero || fleet[i] != 0;
    }
    if (std::isfinite(jobs[i])) {
      jobs_max = std::max(jobs_max, jobs[i]);
      jobs_nonzero = jobs_nonzero || jobs[i] != 0;
    }
    dat << format_utc(t) << ' ' << t << ' ' << num(ci[i]) << ' ' << (missing ? 1 : 0) << ' '
        << num(fleet[i]) << ' ' << num(jobs[i]) << '\n';
  }
  fig.dat = dat.str();

  if (run == nullptr || n == 0) {
    fig.body =
        message_body(run == nullptr ? "No run with results to draw." : "The result grid is empty.");
    return fig;
  }
  const std::string strategy = strategy_of(*run);
  fig.subject = "run " + run_name(*run);

  // Which schedule to draw: the one the run's strategy decides (a fleet run's instances, a job
  // run's vCPUs). The other workload in the same run follows its baseline and would only
  // distract; it stays in the .dat. A run of unknown kind shows whatever is not all zero.
  const std::string kind = text(*run, "kind");
  bool show_fleet = kind == "fleet" || (kind != "jobs" && fleet_nonzero);
  bool show_jobs = kind == "jobs" || (kind != "fleet" && jobs_nonzero);
  if (!show_fleet && !show_jobs) {
    show_fleet = find_series(*run, "fleet_running") != nullptr;
    show_jobs = !show_fleet;
  }
  const bool both = show_fleet && show_jobs;

  const TimeS t0 = grid.start_s, t1 = grid.end_s();
  const TimeTics tics = time_tics(t0, t1);
  const double lm = 0.11, rm = both ? 0.9 : 0.955;
  double ci_max = 0;
  for (double v : ci)
    if (std::isfinite(v))
      ci_max = std::max(ci_max, v);
  const double ci_step = nice_step(ci_max, 5);
  const double ci_top = ci_max > 0 ? ci_max * 1.08 : 1.0;

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- timeline ---------------------------------------------------------------------\n"
        "# Top: grid carbon intensity (a gap = unknown intensity, shaded, never drawn through).\n"
        "# Bottom: the run's schedule. Each .dat row is the grid cell [time, time + step_s):\n"
        "# `steps` draws the cells and the rises between them; the `vectors` layer closes the\n"
        "# last cell and cells before a gap, which `steps` leaves open.\n"
        "strategy = "
     << gp_str(strategy) << "\n"
     << "t0 = " << t0 << "; t1 = " << t1 << "   # x range (s since epoch, UTC)\n"
     << "step_s = " << grid.step_s << "   # grid step (s)\n"
     << "n_cells = " << n << "\n"
     << "c_run = strategy_color(strategy)\n"
        "set xdata time\n"
        "set timefmt \"%s\"\n"
        "set xrange [t0:t1]\n"
        "set xtics t0 + "
     << (tics.first_s - t0) << ", " << tics.inc_s << "\n"
     << "set mxtics " << tics.minor << "\n";
  std::ostringstream dates; // bottom panel only
  dates.imbue(std::locale::classic());
  if (tics.date_under_midnight) {
    dates << "# the date under each midnight (UTC); tic labels show the time of day\n";
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (TimeS t = align_up(t0, 86400, 0); t <= t1; t += 86400) {
      const CivilTime c = to_civil(t);
      char label[16];
      std::snprintf(label, sizeof label, "%02u %s", c.day, kMonths.at(c.month - 1));
      dates << "set label " << gp_str(label) << " at \"" << t
            << "\", graph 0 center offset 0, -2.1 front\n";
    }
  }
  gp << "set multiplot\n"
        "set lmargin at screen "
     << lm << "; set rmargin at screen " << rm
     << "\n"
        "\n"
        "# Top panel: intensity\n"
        "set tmargin at screen 0.92; set bmargin at screen 0.595\n"
        "set format x \"\"\n"
        "set ylabel \"Carbon intensity\\n(g CO_2e kWh^{-1})\"\n"
        "set yrange [0:"
     << num(ci_top)
     << "]\n"
        "set ytics "
     << num(ci_step)
     << "\n"
        "set y2range [0:1]\n"
        "set key at screen "
     << rm
     << ", screen 0.995 right top horizontal\n"
        "plot \\\n"
        "  keyentry with lines lw 1.5 lc rgb rgb(col_neutral) title \"grid intensity\", \\\n";
  if (any_missing)
    gp << "  keyentry with boxes fs solid 1.0 noborder lc rgb rgb(col_gap) "
          "title \"intensity unknown\", \\\n"
          "  dat using 2:4 axes x1y2 with fillsteps fs solid 1.0 noborder lc rgb rgb(col_gap) "
          "notitle, \\\n"
          "  dat every ::n_cells-1 using ($2 + step_s / 2):4:(step_s) axes x1y2 with boxes fs "
          "solid "
          "1.0 noborder lc rgb rgb(col_gap) notitle, \\\n";
  gp << "  dat using 2:3 with steps lw 1.5 lc rgb rgb(col_neutral) notitle, \\\n"
        "  dat using 2:3:(step_s):(0) with vectors nohead lw 1.5 lc rgb rgb(col_neutral) notitle\n"
        "\n"
        "# Bottom panel: schedule\n"
        "unset label 99   # the provenance footnote is already drawn with the top panel\n"
     << dates.str()
     << "set tmargin at screen 0.525; set bmargin at screen 0.215\n"
        "set format x \""
     << tics.format
     << "\"\n"
        "set xlabel \"Time (UTC)\""
     << (tics.date_under_midnight ? " offset 0, -0.9" : "")
     << "\n"
        "set key at screen "
     << rm << ", screen 0.582 right top horizontal maxrows 1\n";
  // The run's own kind is the shaded primary curve on y1; the other kind, if drawn, is a thin
  // line on y2.
  struct Schedule {
    int column;
    double max;
    std::string label, title;
  };
  const Schedule fleet_curve{5, fleet_max, "Running instances", "instances"};
  const Schedule jobs_curve{6, jobs_max, "Running jobs (vCPU)", "job vCPUs"};
  const bool jobs_first = show_jobs && (kind == "jobs" || !show_fleet);
  const Schedule& primary = jobs_first ? jobs_curve : fleet_curve;
  const Schedule& secondary = jobs_first ? fleet_curve : jobs_curve;
  const std::string col = std::to_string(primary.column);
  gp << "set ylabel " << gp_str(primary.label) << "\n"
     << "set yrange [0:" << num(std::max(primary.max, 1.0) * 1.15) << "]\n"
     << "set ytics " << num(count_step(primary.max)) << " nomirror\n";
  if (both)
    gp << "set y2label " << gp_str(secondary.label) << "\n"
       << "set y2range [0:" << num(std::max(secondary.max, 1.0) * 1.15) << "]\n"
       << "set y2tics " << num(count_step(secondary.max)) << " nomirror\n";
  gp << "plot \\\n"
        "  dat using 2:"
     << col
     << " with fillsteps fs solid 1.0 noborder lc rgb lighten(c_run, 0.3) notitle, \\\n"
        "  dat every ::n_cells-1 using ($2 + step_s / 2):"
     << col
     << ":(step_s) with boxes fs solid 1.0 noborder lc rgb lighten(c_run, 0.3) notitle, \\\n"
        "  dat using 2:"
     << col << " with steps lw 1.5 lc rgb c_run title " << gp_str(strategy)
     << " noenhanced, \\\n"
        "  dat using 2:"
     << col << ":(step_s):(0) with vectors nohead lw 1.5 lc rgb c_run notitle";
  if (both) {
    const std::string col2 = std::to_string(secondary.column);
    gp << ", \\\n"
          "  dat using 2:"
       << col2 << " axes x1y2 with steps lw 0.8 lc rgb rgb(col_neutral) title "
       << gp_str(secondary.title + " (right axis)") << " noenhanced, \\\n"
       << "  dat using 2:" << col2
       << ":(step_s):(0) axes x1y2 with vectors nohead lw 0.8 lc rgb rgb(col_neutral) notitle";
  }
  gp << "\nunset multiplot\n";
  fig.body = gp.str();
  return fig;
}

// ---- The figure table: the only list of figure names --------------------------------------

struct FigureSpec {
  std::string_view name;
  std::string_view summary;
  Figure (*make)(const Context&);
};

constexpr std::array kFigures{
    FigureSpec{"savings", "CO2e and cost savings (%) of each strategy against its baseline",
               make_savings},
    FigureSpec{"timeline", "grid carbon intensity and one run's on/off schedule over time (UTC)",
               make_timeline},
};

const FigureSpec& figure_spec(std::string_view name) {
  for (const FigureSpec& f : kFigures)
    if (f.name == name)
      return f;
  throw UsageError("plot: unknown figure '" + std::string(name) +
                   "'. Valid values are: " + join(figure_names(), ", ") + ".");
}

constexpr std::array<std::string_view, 3> kFormats{"pdf", "png", "svg"};

// ---- Files and gnuplot --------------------------------------------------------------------

// Writes through `<path>.tmp` and a rename, so a reader never sees half a file.
void write_file_atomic(const fs::path& path, std::string_view content) {
  const fs::path tmp = fs::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out)
      throw StoreError(ExitCode::cant_create, "plot: cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec)
    throw StoreError(ExitCode::cant_create, "plot: cannot rename " + tmp.string() + " to " +
                                                path.string() + ": " + ec.message());
}

std::string read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// The gnuplot executable: $CFSIM_GNUPLOT if set, else `gnuplot` from PATH.
std::string gnuplot_program() {
  const char* env = std::getenv("CFSIM_GNUPLOT");
  return (env != nullptr && env[0] != '\0') ? env : "gnuplot";
}

// Runs `script` through a gnuplot pipe with fmt/out/script_dir preset (exactly what
// `gnuplot -e "fmt='png'; out='...'" file.gp` does) and renames the output into place.
// gnuplot's exit status and messages are captured through the shell, because the pipe's own
// status is not reported by gnuplot-iostream; the shell then drains whatever gnuplot did not
// read, so an early gnuplot exit never raises SIGPIPE in this process.
void render(const fs::path& dir, const std::string& base, const std::string& script,
            std::string_view fmt) {
  const std::string name = base + "." + std::string(fmt);
  const fs::path out = dir / name;
  const fs::path tmp = dir / (name + ".tmp");
  const fs::path log = dir / ("." + name + ".gnuplot-log");
  const fs::path status = dir / ("." + name + ".gnuplot-status");
  std::error_code ec;
  for (const fs::path& p : {tmp, log, status})
    fs::remove(p, ec);

  const std::string program = gnuplot_program();
  const std::string command = sh_quote(program) + " >" + sh_quote(log.string()) +
                              " 2>&1; echo $? >" + sh_quote(status.string()) +
                              "; while read -r _; do :; done";
  try {
    Gnuplot gp(command);
    gp << "script_dir = " << gp_str(dir.string()) << "\n"
       << "fmt = " << gp_str(fmt) << "\n"
       << "out = " << gp_str(tmp.string()) << "\n"
       << script << std::flush;
  } catch (const std::exception& e) { // popen failed or the pipe broke
    fs::remove(tmp, ec);
    throw Error(ExitCode::unavailable, "plot: cannot run gnuplot ('" + program + "'): " + e.what());
  }
  const std::string log_text = trim(read_small_file(log));
  const std::string status_text = trim(read_small_file(status));
  fs::remove(log, ec);
  fs::remove(status, ec);

  int rc = -1;
  std::from_chars(status_text.data(), status_text.data() + status_text.size(), rc);
  if (rc == 126 || rc == 127) {
    fs::remove(tmp, ec);
    throw Error(ExitCode::unavailable,
                "plot: gnuplot not found ('" + program + "': " + log_text +
                    "). Install gnuplot with cairo terminals (Debian/Ubuntu: apt-get install "
                    "gnuplot-nox) or set CFSIM_GNUPLOT to its path");
  }
  if (rc != 0) {
    fs::remove(tmp, ec);
    throw Error(ExitCode::cant_create, "plot: gnuplot failed drawing " + out.string() +
                                           " (exit status " + status_text + "): " + log_text);
  }
  if (!fs::exists(tmp) || fs::file_size(tmp, ec) == 0) {
    fs::remove(tmp, ec);
    throw Error(ExitCode::cant_create, "plot: gnuplot wrote no " + std::string(fmt) +
                                           " output for " + out.string() +
                                           (log_text.empty() ? std::string() : ": " + log_text));
  }
  fs::rename(tmp, out, ec);
  if (ec)
    throw StoreError(ExitCode::cant_create, "plot: cannot rename " + tmp.string() + " to " +
                                                out.string() + ": " + ec.message());
}

// The style file: as given, else (if relative) below the source tree cfsim was built from.
fs::path find_style(const std::string& style_path) {
  const fs::path p(style_path);
  std::error_code ec;
  if (fs::is_regular_file(p, ec))
    return fs::absolute(p);
#ifdef CFSIM_SOURCE_DIR
  if (p.is_relative()) {
    const fs::path q = fs::path(CFSIM_SOURCE_DIR) / p;
    if (fs::is_regular_file(q, ec))
      return q;
  }
#endif
  throw InputError("plot: style file '" + style_path +
                   "' not found (give the path of cfsim's plots/style.gp)");
}

// The common head of every .gp: how to replay it, where the data and style are, the terminal.
std::string script_text(const FigureSpec& spec, const Context& ctx, const Figure& fig,
                        const std::string& style_ref) {
  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# " << ctx.base << ".gp: cfsim figure '" << spec.name << "': " << spec.summary << ".\n"
     << "# Data: " << ctx.base << ".dat (next to this script; its header names the columns).\n"
     << "#\n"
        "# Replay from any directory (writes next to this script unless `out` is given):\n"
        "#   gnuplot "
     << ctx.base << ".gp                           -> " << ctx.base
     << ".pdf\n"
        "#   gnuplot -e \"fmt='png'\" "
     << ctx.base << ".gp            -> " << ctx.base
     << ".png\n"
        "#   gnuplot -e \"fmt='svg'; out='/tmp/x.svg'\" "
     << ctx.base
     << ".gp\n"
        "# Variables for -e: fmt (pdf|png|svg), out (output file), style (style file), fig_w and\n"
        "# fig_h (size in cm), show_provenance (0 hides the footnote). Restyle every figure in\n"
        "# style.gp; this figure below.\n"
        "\n"
        "if (!exists(\"script_dir\")) {\n"
        "  script_dir = \".\"; _slash = 0\n"
        "  do for [_i = 1:strlen(ARG0)] { if (ARG0[_i:_i] eq \"/\") { _slash = _i } }\n"
        "  if (_slash == 1) { script_dir = \"/\" }\n"
        "  if (_slash > 1) { script_dir = ARG0[1:_slash - 1] }\n"
        "}\n"
        "if (!exists(\"fmt\")) fmt = \"pdf\"\n"
        "if (!exists(\"style\")) style = "
     << style_ref << "\n"
     << "load style\n"
        "if (!exists(\"out\")) out = script_dir . \"/"
     << ctx.base
     << ".\" . fmt\n"
        "dat = script_dir . \"/"
     << ctx.base
     << ".dat\"\n"
        "if (!exists(\"fig_w\")) fig_w = "
     << num(fig.width_cm) << "   # cm\n"
     << "if (!exists(\"fig_h\")) fig_h = " << num(fig.height_cm) << "   # cm\n"
     << "eval cfsim_terminal(fmt, fig_w, fig_h)\n"
        "set output out\n";
  std::string prov = ctx.provenance;
  if (!fig.subject.empty())
    prov += " · " + fig.subject;
  gp << "if (show_provenance) set label 99 " << gp_str(prov) << " at " << fig.provenance_at
     << " font prov_font tc rgb rgb(col_note) noenhanced\n"
        "\n"
     << fig.body << "unset output\n";
  return gp.str();
}

} // namespace

std::vector<std::string> figure_names() {
  std::vector<std::string> names;
  for (const FigureSpec& f : kFigures)
    names.emplace_back(f.name);
  return names;
}

std::vector<std::string> plot_results(const ResultSet& results, const PlotOptions& opt) {
  // Validate everything before writing anything.
  std::vector<const FigureSpec*> specs;
  if (opt.figures.empty())
    for (const FigureSpec& f : kFigures)
      specs.push_back(&f);
  for (const std::string& name : opt.figures)
    specs.push_back(&figure_spec(name));
  for (const std::string& fmt : opt.formats)
    if (std::find(kFormats.begin(), kFormats.end(), fmt) == kFormats.end())
      throw UsageError("plot: unknown format '" + fmt + "'. Valid values are: pdf, png, svg.");
  const fs::path style = find_style(opt.style_path);

  const fs::path dir(opt.out_dir.empty() ? "." : opt.out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw StoreError(ExitCode::cant_create, "plot: cannot create output directory " + dir.string() +
                                                (ec ? ": " + ec.message() : std::string()));
  const fs::path abs_dir = fs::weakly_canonical(fs::absolute(dir));

  // The style file as the .gp will find it: relative to the script if possible, so a moved or
  // cloned tree keeps working; absolute otherwise.
  const fs::path style_abs = fs::weakly_canonical(style);
  const fs::path style_rel = style_abs.lexically_relative(abs_dir);
  const auto ups = std::count(style_rel.begin(), style_rel.end(), fs::path(".."));
  const std::string style_ref = (style_rel.empty() || ups > 2)
                                    ? gp_str(style_abs.string())
                                    : "script_dir . " + gp_str("/" + style_rel.generic_string());

  std::string stem = opt.stem;
  if (stem.empty())
    stem = attribute(results, "scenario_name");
  if (stem.empty())
    stem = "results";

  const std::string version = [&] {
    std::string v = attribute(results, "cfsim_version");
    return v.empty() ? std::string(CFSIM_VERSION) : v;
  }();
  const std::string scenario = attribute(results, "scenario_name");
  const std::string sha = attribute(results, "scenario_sha256");
  std::string source = "# source: result set '" + one_line(stem) + "'";
  if (!scenario.empty())
    source += ", scenario '" + one_line(scenario) + "'";
  source += "\n# scenario_sha256: " + (sha.empty() ? std::string("unknown") : one_line(sha)) +
            "\n# written by cfsim " + one_line(version) + " (results), plotted by cfsim " +
            CFSIM_VERSION + "\n";
  for (const char* key : {"git_sha", "created_utc", "command_line", "carbon_zone", "carbon_signal",
                          "carbon_source", "carbon_sha256"}) {
    const std::string v = attribute(results, key);
    if (!v.empty())
      source += std::string("# ") + key + ": " + one_line(v) + "\n";
  }
  std::string provenance = "cfsim " + version;
  if (!scenario.empty())
    provenance += " · scenario " + scenario;
  if (!sha.empty())
    provenance += " · sha256 " + sha.substr(0, 12);
  provenance += " · " + stem;

  std::vector<std::string> written;
  for (const FigureSpec* spec : specs) {
    const Context ctx{results, opt, stem + "_" + std::string(spec->name), source, provenance};
    const Figure fig = spec->make(ctx);
    const std::string script = script_text(*spec, ctx, fig, style_ref);
    const fs::path dat = abs_dir / (ctx.base + ".dat");
    const fs::path gp = abs_dir / (ctx.base + ".gp");
    write_file_atomic(dat, fig.dat);
    write_file_atomic(gp, script);
    written.push_back((dir / (ctx.base + ".dat")).string());
    written.push_back((dir / (ctx.base + ".gp")).string());
    for (const std::string& fmt : opt.formats) {
      render(abs_dir, ctx.base, script, fmt);
      written.push_back((dir / (ctx.base + "." + fmt)).string());
    }
  }
  return written;
}

} // namespace cfsim
