// The `savings` figure: CO2e and cost savings of each run against its baseline, with the
// uncertainty band as whiskers (methodology §8).
#include "plot/figure.hpp"

#include "cfsim/stats.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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
  std::string group;      // the run's scenario label (its strategy if unlabelled)
  std::size_t n_runs = 1; // runs behind the bar (> 1 when aggregated)
};

// More bars than this (a sweep: strategies × points × seeds) are unreadable: the figure then
// draws one bar per strategy label over all its runs.
constexpr std::size_t kMaxBars = 12;

double median(std::vector<double> v) { // NaN if any run's value is unknown (No-Fallback)
  if (std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); }))
    return kNaN;
  return percentile_linear(std::move(v), 50).value_or(kNaN);
}

// One bar per label: the median of the runs' savings (numpy.percentile 50, linear), the
// whiskers the range over the runs of every value and band the runs have, so the spread over
// sweep points and seeds is never hidden. Columns 7-8 become the least lower and the greatest
// upper bound over the runs; coverage the smallest; complete only if every run was.
std::vector<SavingsRow> aggregate_by_label(const std::vector<SavingsRow>& rows) {
  std::vector<SavingsRow> out;
  for (const SavingsRow& r : rows) {
    if (std::any_of(out.begin(), out.end(),
                    [&](const SavingsRow& o) { return o.group == r.group; }))
      continue;
    SavingsRow a = r;
    std::vector<double> co2e, cost;
    a.n_runs = 0;
    for (const SavingsRow& o : rows) {
      if (o.group != r.group)
        continue;
      ++a.n_runs;
      co2e.push_back(o.co2e);
      cost.push_back(o.cost);
      std::tie(a.co2e_lo, std::ignore) = finite_extent({a.co2e_lo, o.co2e_lo});
      std::tie(std::ignore, a.co2e_hi) = finite_extent({a.co2e_hi, o.co2e_hi});
      std::tie(a.band_lo, a.band_hi) =
          finite_extent({a.band_lo, a.band_hi, o.band_lo, o.band_hi, o.co2e, o.co2e_lo});
      std::tie(a.cost_lo, a.cost_hi) =
          finite_extent({a.cost_lo, a.cost_hi, o.cost_lo, o.cost_hi, o.cost});
      a.coverage = std::min(a.coverage, o.coverage); // NaN-propagating: unknown stays unknown
      if (std::isnan(o.coverage))
        a.coverage = kNaN;
      a.complete = a.complete && o.complete;
      a.seeds = std::max(a.seeds, o.seeds);
    }
    a.co2e = median(co2e);
    a.cost = median(cost);
    a.run = r.group;
    a.label = r.group;
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace

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
    r.co2e = field_number(run, "savings_co2e_pct");
    r.co2e_lo = field_number(run, "savings_co2e_lower_pct");
    r.co2e_hi = field_number(run, "savings_co2e_upper_pct");
    if (r.co2e_lo > r.co2e_hi)
      std::swap(r.co2e_lo, r.co2e_hi); // false if either is NaN
    r.cost = field_number(run, "savings_cost_pct");
    std::tie(r.band_lo, r.band_hi) = finite_extent(
        {r.co2e_lo, r.co2e_hi, field_number(run, "savings_co2e_model_lower_pct"),
         field_number(run, "savings_co2e_model_upper_pct"),
         field_number(run, "savings_co2e_p5_pct"), field_number(run, "savings_co2e_p95_pct")});
    std::tie(r.cost_lo, r.cost_hi) =
        finite_extent({r.cost, field_number(run, "savings_cost_p5_pct"),
                       field_number(run, "savings_cost_p95_pct")});
    const double seeds = field_number(run, "uncertainty_seeds");
    r.seeds = std::isfinite(seeds) ? static_cast<std::int64_t>(seeds) : 1;
    r.coverage = field_number(run, "co2e_coverage");
    r.complete = field_number(run, "complete") != 0.0; // absent counts as complete
    r.group = text(run, "label").empty() ? r.strategy : text(run, "label");
    rows.push_back(std::move(r));
  }
  const bool aggregated = rows.size() > kMaxBars;
  if (aggregated)
    rows = aggregate_by_label(rows);
  // A strategy that appears in several runs (a sweep) is labelled with the parts of its run
  // name that tell the runs apart ("lowest_window wait_h=24"); parts they share are dropped.
  for (SavingsRow& r : rows) {
    if (aggregated)
      break;
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
  if (aggregated)
    dat << "# aggregated: more than " << kMaxBars
        << " runs, so one bar per scenario label over all its runs (sweep points and seeds).\n"
           "# Column 12 is the label; 6 and 9 are the median over the runs (numpy.percentile 50,\n"
           "# linear; NaN if any run's value is unknown), 7 the least lower and 8 the greatest\n"
           "# upper bound, 10 the smallest coverage, 11 = 1 only if every run was complete, and\n"
           "# 15-18 the range over the runs of every value and band they have.\n";
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
  // --width 1col leaves 7 cm for the labels, so they rotate as soon as they do not fit.
  const bool one_col = ctx.opt.width == "1col";
  const bool wide = need_cm > 7.0 && !one_col;
  const bool rotated = need_cm > (one_col ? 7.0 : 15.0);
  fig.width_cm = wide ? 17.5 : 8.5;
  fig.height_cm = rotated ? 8.5 : wide ? 7.0 : 6.5;

  // Footnotes under the axis: what the marks mean and what is missing. A rotated layout has no
  // room for "vs <baseline>" under each rotated label, so it names the baselines here.
  std::vector<std::string> notes;
  if (std::any_of(rows.begin(), rows.end(), [](const SavingsRow& r) { return !r.complete; }))
    notes.push_back("* intensity data incomplete");
  if (aggregated) {
    std::size_t fewest = rows.front().n_runs, most = rows.front().n_runs;
    for (const SavingsRow& r : rows) {
      fewest = std::min(fewest, r.n_runs);
      most = std::max(most, r.n_runs);
    }
    notes.push_back("bars: median over the " +
                    (fewest == most ? std::to_string(most)
                                    : std::to_string(fewest) + "-" + std::to_string(most)) +
                    " runs of each strategy; whiskers: range over the runs, seeds and bounds");
  } else if (std::any_of(rows.begin(), rows.end(), [](const SavingsRow& r) {
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
        "group_label(s, base, complete) = tex_safe(s) . (complete != 0 ? \"\" : \"*\")"
     << (rotated ? "" : " . \"\\nvs \" . tex_safe(base)") << "\n"
     << "set xrange [0.4:n_groups + 0.6]\n"
        "set yrange ["
     << num(y_min) << ":" << num(y_max) << "]\n"
     << "set xtics scale 0 noenhanced" << (rotated ? " rotate by 30 right" : "") << "\n"
     << (rotated ? "set rmargin 2   # rotated labels need no room on the right\n" : "")
     << "set ylabel " << label("Savings vs baseline (%)")
     << "\n"
        "set xzeroaxis lt -1 lw 0.8\n"
        "set key at screen 0.5, screen 0.995 center top horizontal maxrows 1 reverse Left "
        "samplen 1.5 width 2\n"
        "set tmargin 2.2\n"
        "# The footnotes are the x label; its last, empty line leaves room for the provenance.\n"
        "set xlabel "
     << label(join(notes, rotated ? "; " : "\n") + "\n")
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
     << label("CO_2e", "CO$_2$e")
     << ", \\\n"
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

} // namespace cfsim::figures
