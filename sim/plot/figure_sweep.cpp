// The `sweep` figure: a metric (default savings_co2e_pct) over one swept parameter, one line per
// strategy, with a band over the seeds and each run's own uncertainty as whiskers.
//
// Statistic: the runs of one strategy at one parameter point that differ only in seed are
// replicates (sim/plot/sweep_groups.hpp). The line is their median (numpy.percentile 50,
// linear: the value of the middle run, or the midpoint of the middle two); the band spans
// min..max over fewer than 10 seeds and p5..p95 (linear) from 10 on — with few seeds the
// percentiles would only interpolate between the two outermost runs anyway, so the honest band
// is the range itself. No-Fallback: a point is NaN (a gap in the line) when any replicate's
// value is unknown or its run failed; the .dat gives how many were known.
//
// Several swept parameters: the figure draws one panel per combination of the other
// parameters' values (small multiples with a shared y axis), so each line still means "one
// strategy, everything else fixed"; lines of different parameter values would need a second
// visual channel next to the fixed strategy colours and could not be told apart.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <locale>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cfsim/stats.hpp"

#include "plot/figure.hpp"
#include "plot/sweep_groups.hpp"

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kPercentileSeeds = 10; // from this many seeds on the band is p5..p95

double pct_of(const std::vector<double>& v, double p) {
  return percentile_linear(v, p).value_or(kNaN);
}

// The per-run uncertainty fields of a metric (methodology §8): savings_co2e_pct →
// savings_co2e_p5_pct and savings_co2e_p95_pct. Empty for metrics without them.
std::pair<std::string, std::string> run_band_fields(const std::string& metric) {
  const std::string suffix = "_pct";
  if (metric.size() <= suffix.size() ||
      metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) != 0)
    return {};
  const std::string stem = metric.substr(0, metric.size() - suffix.size());
  return {stem + "_p5_pct", stem + "_p95_pct"};
}

struct Point {
  int x_idx = 0;
  double x = kNaN;
  std::string x_text;
  std::size_t n_runs = 0, n_values = 0;
  double median = kNaN, lo = kNaN, hi = kNaN, run_lo = kNaN, run_hi = kNaN;
  std::string band = "none";
};

struct Line {
  int panel = 0;
  std::string label, strategy;
  std::vector<Point> points; // ascending x
};

} // namespace

Figure make_sweep(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  const PlotOptions& opt = ctx.opt;
  const std::vector<SweptParam> params = swept_params(rs);
  const std::string metric = pick_metric(rs, opt.metric);
  const int xi = pick_param(params, opt.sweep_x, {}, "--x");
  Figure fig;
  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'sweep': " << metric
      << " over a swept parameter, one line per strategy (label);\n"
         "# replicates (runs differing only in seed) summarised per point.\n"
      << ctx.source;
  if (xi < 0) {
    dat << "# no param_* column with more than one value: not a sweep\n";
    fig.dat = dat.str();
    fig.body = message_body("No swept parameter (no param_* columns with more than one "
                            "value):\nrun cfsim sweep to plot a metric over a parameter.");
    return fig;
  }
  const SweptParam& xp = params[static_cast<std::size_t>(xi)];
  std::vector<int> others;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (static_cast<int>(i) != xi)
      others.push_back(static_cast<int>(i));

  const bool skip_baselines = is_savings_metric(metric);
  const std::vector<ReplicateGroup> groups =
      replicate_groups(rs, params, skip_baselines, opt.strategy);
  const auto [p5_field, p95_field] = run_band_fields(metric);

  // Panels: the combinations of the other parameters' values, in value order.
  std::vector<std::vector<int>> panel_keys;
  const auto other_key = [&](const ReplicateGroup& g) {
    std::vector<int> k;
    for (int o : others)
      k.push_back(g.param_idx[static_cast<std::size_t>(o)]);
    return k;
  };
  for (const ReplicateGroup& g : groups) {
    const std::vector<int> k = other_key(g);
    if (std::find(panel_keys.begin(), panel_keys.end(), k) == panel_keys.end())
      panel_keys.push_back(k);
  }
  std::sort(panel_keys.begin(), panel_keys.end());
  std::vector<std::string> panel_titles;
  for (const std::vector<int>& k : panel_keys) {
    std::vector<std::string> parts;
    for (std::size_t j = 0; j < others.size(); ++j) {
      const SweptParam& p = params[static_cast<std::size_t>(others[j])];
      parts.push_back(p.name + "=" + p.values[static_cast<std::size_t>(k[j])].text);
    }
    panel_titles.push_back(parts.empty() ? "all" : join(parts, ", "));
  }

  // Lines: one per (panel, label), labels in order of first appearance.
  std::vector<Line> lines;
  std::vector<std::pair<std::string, std::string>> legend; // label, strategy
  std::size_t max_runs = 0, min_runs = 0;
  bool any_gap = false, any_run_band = false;
  for (const ReplicateGroup& g : groups) {
    const int panel = static_cast<int>(
        std::find(panel_keys.begin(), panel_keys.end(), other_key(g)) - panel_keys.begin());
    auto line = std::find_if(lines.begin(), lines.end(), [&](const Line& l) {
      return l.panel == panel && l.label == g.label && l.strategy == g.strategy;
    });
    if (line == lines.end()) {
      lines.push_back({panel, g.label, g.strategy, {}});
      line = lines.end() - 1;
    }
    if (std::find(legend.begin(), legend.end(), std::make_pair(g.label, g.strategy)) ==
        legend.end())
      legend.emplace_back(g.label, g.strategy);
    Point pt;
    pt.x_idx = g.param_idx[static_cast<std::size_t>(xi)];
    const ParamValue& v = xp.values[static_cast<std::size_t>(pt.x_idx)];
    pt.x = xp.numeric ? v.number : static_cast<double>(pt.x_idx + 1);
    pt.x_text = v.text;
    const std::vector<double> values = replicate_values(g, metric);
    pt.n_runs = values.size();
    pt.n_values = static_cast<std::size_t>(
        std::count_if(values.begin(), values.end(), [](double d) { return std::isfinite(d); }));
    max_runs = std::max(max_runs, pt.n_runs);
    min_runs = min_runs == 0 ? pt.n_runs : std::min(min_runs, pt.n_runs);
    if (pt.n_values == pt.n_runs) {
      pt.median = pct_of(values, 50);
      if (pt.n_runs >= kPercentileSeeds) {
        pt.lo = pct_of(values, 5);
        pt.hi = pct_of(values, 95);
        pt.band = "p5-p95";
      } else {
        pt.lo = *std::min_element(values.begin(), values.end());
        pt.hi = *std::max_element(values.begin(), values.end());
        pt.band = pt.n_runs > 1 ? "min-max" : "none";
      }
    } else {
      any_gap = true;
    }
    // Each run's own uncertainty (p5 of its lower bounds .. p95 of its upper bounds over the
    // scenario's uncertainty seeds): the outermost over the replicates, NaN if any lacks it.
    if (!p5_field.empty()) {
      double lo = kNaN, hi = kNaN;
      bool all = true;
      for (const RunResult* run : g.runs) {
        const double a = is_error(*run) ? kNaN : field_number(*run, p5_field);
        const double b = is_error(*run) ? kNaN : field_number(*run, p95_field);
        if (!std::isfinite(a) || !std::isfinite(b)) {
          all = false;
          break;
        }
        lo = std::isnan(lo) ? a : std::min(lo, a);
        hi = std::isnan(hi) ? b : std::max(hi, b);
      }
      if (all) {
        pt.run_lo = lo;
        pt.run_hi = hi;
        any_run_band = any_run_band || lo < hi;
      }
    }
    line->points.push_back(pt);
  }
  for (Line& l : lines)
    std::sort(l.points.begin(), l.points.end(),
              [](const Point& a, const Point& b) { return a.x_idx < b.x_idx; });
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.panel < b.panel; });

  dat << "# metric: " << metric << " (" << metric_units(rs, metric) << ")"
      << (skip_baselines ? "; baseline runs left out (0 % by definition)" : "") << "\n"
      << "# strategy filter: " << (opt.strategy.empty() ? "all" : one_line(opt.strategy)) << "\n"
      << "# x: " << xp.column << (xp.numeric ? "" : " (text: x is the category position)") << "\n"
      << "# panels: " << (others.empty() ? "one" : "one per value of the other swept parameters")
      << "\n"
      << "# statistic: median over the seeds (numpy.percentile 50, linear); band min..max below "
      << kPercentileSeeds
      << " seeds, p5..p95 (linear) from then on; NaN\n"
         "# when any replicate's value is unknown or its run failed (No-Fallback)\n"
         "# one block per line (gnuplot index = line - 1), blocks separated by two blank lines\n"
         "# columns:\n"
         "#  1 panel        panel number (1)\n"
         "#  2 panel_title  values of the other swept parameters (text)\n"
         "#  3 line         line number (1)\n"
         "#  4 strategy     strategy name (text; picks colour, dash and point in style.gp)\n"
         "#  5 label        the strategy's label in the scenario (text)\n"
         "#  6 x            the swept value, or the category position for text values ("
      << (xp.units.empty() ? "1" : xp.units)
      << ")\n"
         "#  7 x_text       the swept value as in the run names (text)\n"
         "#  8 n_runs       replicates: runs differing only in seed (1)\n"
         "#  9 n_values     replicates with a known value (1)\n"
         "# 10 median       median over the replicates ("
      << metric_units(rs, metric)
      << ")\n"
         "# 11 band_lower   lower end of the band (min or p5) ("
      << metric_units(rs, metric)
      << ")\n"
         "# 12 band_upper   upper end of the band (max or p95) ("
      << metric_units(rs, metric)
      << ")\n"
         "# 13 band         which band: min-max, p5-p95, none (one replicate) (text)\n"
         "# 14 run_p5       lowest "
      << (p5_field.empty() ? "(no per-run band for this metric)" : p5_field)
      << " of the replicates\n"
         "# 15 run_p95      highest "
      << (p95_field.empty() ? "(no per-run band for this metric)" : p95_field)
      << " of the replicates\n";
  double y_lo = kNaN, y_hi = kNaN;
  for (std::size_t li = 0; li < lines.size(); ++li) {
    const Line& l = lines[li];
    if (li > 0)
      dat << "\n\n";
    for (const Point& p : l.points) {
      dat << (l.panel + 1) << ' ' << dat_text(panel_titles[static_cast<std::size_t>(l.panel)])
          << ' ' << (li + 1) << ' ' << dat_text(l.strategy) << ' ' << dat_text(l.label) << ' '
          << num(p.x) << ' ' << dat_text(p.x_text) << ' ' << p.n_runs << ' ' << p.n_values << ' '
          << num(p.median) << ' ' << num(p.lo) << ' ' << num(p.hi) << ' ' << dat_text(p.band) << ' '
          << num(p.run_lo) << ' ' << num(p.run_hi) << '\n';
      std::tie(y_lo, y_hi) = finite_extent({y_lo, y_hi, p.median, p.lo, p.hi, p.run_lo, p.run_hi});
    }
  }
  fig.dat = dat.str();

  if (lines.empty() || std::isnan(y_lo)) {
    fig.body = message_body(
        lines.empty() ? "No run to draw for " + metric + " over " + xp.name +
                            (skip_baselines ? " (baselines are left out)." : ".")
                      : "Every value of " + metric + " is unknown (NaN):\nnothing to draw.");
    return fig;
  }

  // Layout: one panel fills one column; several go side by side on the full text width.
  PanelGrid grid;
  grid.panels = static_cast<int>(panel_keys.size());
  std::size_t longest = 0;
  for (const auto& [lab, s] : legend)
    longest = std::max(longest, lab.size());
  // Key rows: entries of ~0.15 cm per character plus the sample, as many per row as fit.
  const double entry_cm = 0.15 * static_cast<double>(longest) + 1.3;
  fig.width_cm = grid.panels > 1 ? 17.5 : 8.5;
  const auto key_rows = [&](double w_cm) {
    const auto per_row = std::max(1, static_cast<int>((w_cm - 0.5) / entry_cm));
    return (static_cast<int>(legend.size()) + per_row - 1) / per_row;
  };
  grid.top_cm = 0.45 + 0.42 * key_rows(fig.width_cm) + (grid.panels > 1 ? 0.45 : 0.0);
  grid.top_expr = "0.45 + 0.42 * key_rows" + std::string(grid.panels > 1 ? " + 0.45" : "");
  std::vector<std::string> notes;
  notes.push_back(std::string("line: median over ") +
                  (min_runs == max_runs
                       ? std::to_string(max_runs)
                       : std::to_string(min_runs) + "-" + std::to_string(max_runs)) +
                  " seeds" +
                  (max_runs < 2                   ? ""
                   : max_runs < kPercentileSeeds  ? "; band: min-max over the seeds"
                   : min_runs >= kPercentileSeeds ? "; band: p5-p95 over the seeds"
                                                  : "; band: p5-p95 (min-max below 10 seeds)"));
  if (any_run_band)
    notes.push_back("whiskers: the runs' own p5-p95 (uncertainty seeds), outermost");
  if (any_gap)
    notes.push_back("gap: a seed's value unknown or its run failed (No-Fallback)");
  grid.bottom_cm = 1.3 + 0.27 * static_cast<double>(notes.size()) + 0.3;
  grid.left_cm = 1.45;
  grid.right_cm = 0.35;
  grid.vgap_cm = 1.3;
  const int rows = grid.rows(fig.width_cm);
  fig.height_cm = grid.top_cm + grid.bottom_cm + 4.2 * rows + grid.vgap_cm * (rows - 1);
  if (grid.panels == 1)
    fig.height_cm = std::max(fig.height_cm, 6.5);

  // y range: the data with a little room; the zero line stays in view for savings.
  double lo = y_lo, hi = y_hi;
  if (skip_baselines) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  const double span = hi > lo ? hi - lo : std::max(std::fabs(hi), 1.0);
  lo -= 0.06 * span;
  hi += 0.06 * span;

  // x axis: numbers on a linear axis, or a log2 axis when the values span a factor of 8 or
  // more (the usual doubling sweeps: 3, 6, 12, 24 h); text as categories.
  double x_min = kNaN, x_max = kNaN;
  for (const ParamValue& v : xp.values)
    std::tie(x_min, x_max) = finite_extent({x_min, x_max, v.number});
  const bool log_x = xp.numeric && x_min > 0 && x_max / x_min >= 8;
  std::ostringstream xtics;
  xtics.imbue(std::locale::classic());
  const bool list_tics = !xp.numeric || xp.values.size() <= 8;
  if (list_tics) {
    xtics << "set xtics (";
    for (std::size_t i = 0; i < xp.values.size(); ++i)
      xtics << (i ? ", " : "") << gp_str(xp.values[i].text) << " "
            << (xp.numeric ? num(xp.values[i].number) : std::to_string(i + 1));
    xtics << ") noenhanced\n";
  }
  std::string xrange;
  if (!xp.numeric)
    xrange = "[0.5:" + std::to_string(xp.values.size()) + ".5]";
  else if (log_x)
    xrange = "[" + num(x_min / std::pow(x_max / x_min, 0.06)) + ":" +
             num(x_max * std::pow(x_max / x_min, 0.06)) + "]";
  else
    xrange =
        "[" + num(x_min - 0.06 * (x_max - x_min)) + ":" + num(x_max + 0.06 * (x_max - x_min)) + "]";

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- sweep ------------------------------------------------------------------------\n"
        "# One line per strategy (colour, dash and point from style.gp): the median over the\n"
        "# seeds (column 10); the shaded band spans columns 11-12 (min-max or p5-p95); thin\n"
        "# whiskers (columns 14-15) are each run's own uncertainty. One panel per value of the\n"
        "# other swept parameters, all on the same axes.\n"
     << "key_rows = fig_w < 12 ? " << key_rows(8.5) << " : " << key_rows(17.5)
     << "   # rows of the key: more entries per row when wider\n"
     << panel_grid_gp(grid) << "set multiplot\n";
  // The key gets a plot of its own across the whole width: a key inside a panel only spreads
  // over that panel's width.
  gp << "\n# the key, once for the whole figure, above the panels\n"
        "set lmargin at screen 0; set rmargin at screen 1\n"
        "set tmargin at screen 1; set bmargin at screen 1 - tm_cm / fig_h\n"
        "unset border; unset tics; unset grid\n"
        "set key at screen 0.5, screen 0.995 center top horizontal maxrows key_rows "
        "reverse Left samplen 1.5 width (fig_w < 12 ? -1 : 1) noenhanced\n"
        "plot [0:1][0:1] \\\n";
  for (const auto& [lab, s] : legend)
    gp << "  keyentry with linespoints lw 1.4 lc rgb rgb(strategy_color(" << gp_str(s)
       << ")) dt strategy_dash(" << gp_str(s) << ") pt strategy_point(" << gp_str(s)
       << ") title tex_safe(" << gp_str(lab) << "), \\\n";
  gp << "  NaN notitle\n"
        "unset key; unset label 99   # the provenance footnote is drawn with the key\n"
        "set border 3; set grid noxtics ytics\n"
        "set xtics nomirror out scale 0.6; set ytics nomirror out scale 0.6\n";
  if (panel_keys.size() > 1) // one x label under the panels rather than one under each
    gp << "set label 96 " << param_axis_label(xp)
       << " at screen (lm_cm + (fig_w - lm_cm - rm_cm) / 2) / fig_w, screen (bm_cm - 0.95) / "
          "fig_h center noenhanced\n";
  gp << "set xrange " << xrange << "\n"
     << (log_x ? "set logscale x 2\n" : "") << xtics.str() << "set yrange [" << num(lo) << ":"
     << num(hi) << "]\n"
     << "set xzeroaxis lt -1 lw 0.6\n"
        "set bars 0.5\n";
  const std::string notes_label = label(join(notes, "\n"));
  gp << "set label 98 " << notes_label
     << " at screen 0.01, screen (bm_cm - 1.3) / fig_h left font note_font tc rgb rgb(col_note) "
        "noenhanced\n"
        "# the footnotes sit below the x labels; their last line leaves room for the provenance\n";
  const std::string xlabel = param_axis_label(xp);
  // Known metrics have enhanced-text labels (CO_2e); others are column names with underscores.
  const std::string ylabel = metric_axis_label(metric, metric_units(rs, metric)) +
                             (has_axis_name(metric) ? "" : " noenhanced");
  for (std::size_t p = 0; p < panel_keys.size(); ++p) {
    gp << "\n# panel " << (p + 1) << ": " << one_line(panel_titles[p]) << "\n"
       << "eval panel_margins(" << p << ")\n";
    if (panel_keys.size() > 1)
      gp << "set title " << label(panel_titles[p]) << " noenhanced offset 0, -0.4\n";
    gp << "set format y (panel_col(" << p << ") == 0 ? \"%g\" : \"\")\n"
       << "if (panel_col(" << p << ") == 0) { set ylabel " << ylabel
       << " } else { set ylabel \"\" }\n"
       << "set xlabel " << (panel_keys.size() > 1 ? std::string("\"\"") : xlabel)
       << " noenhanced offset 0, 0.3\n";
    if (p == 1)
      gp << "unset label 96; unset label 98   # drawn once, with the first panel\n";
    gp << "plot \\\n";
    std::vector<std::string> parts;
    for (std::size_t li = 0; li < lines.size(); ++li) {
      if (lines[li].panel != static_cast<int>(p))
        continue;
      const std::string s = gp_str(lines[li].strategy);
      const std::string idx = std::to_string(li);
      parts.push_back("dat index " + idx +
                      " using 6:11:12 with filledcurves fs transparent solid 0.15 noborder lc rgb "
                      "rgb(strategy_color(" +
                      s + ")) notitle");
      if (any_run_band)
        parts.push_back("dat index " + idx +
                        " using 6:14:(0):($15 - $14) with vectors heads size screen 0.005, 90 "
                        "lw 0.7 lc rgb rgb(strategy_color(" +
                        s + ")) notitle");
      parts.push_back("dat index " + idx +
                      " using 6:10 with linespoints lw 1.4 lc rgb rgb(strategy_color(" + s +
                      ")) dt strategy_dash(" + s + ") pt strategy_point(" + s + ") notitle");
    }
    for (std::size_t i = 0; i < parts.size(); ++i)
      gp << "  " << parts[i] << (i + 1 < parts.size() ? ", \\\n" : "\n");
  }
  gp << "unset multiplot\n";
  fig.body = gp.str();
  if (!opt.metric.empty() || !opt.sweep_x.empty())
    fig.subject = metric + " over " + xp.name;
  return fig;
}

} // namespace cfsim::figures
