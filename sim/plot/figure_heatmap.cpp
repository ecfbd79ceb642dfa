// The `heatmap` figure: a metric (default savings_co2e_pct) over two swept parameters, one panel
// per strategy, cells coloured by the mean over the seeds.
//
// Both axes are categorical: one cell per swept value (numbers ascending, text such as grid
// zones in sweep order), so unevenly spaced values (3, 6, 12, 24 h) get equal cells. The cell
// colour is the mean over the replicates (runs differing only in seed, sim/plot/sweep_groups.hpp)
// in result-file order, on style.gp's sequential palette, with a colour scale of its own per
// panel: strategies of different kinds (a fleet schedule saving 60 % next to job placement
// saving 5 %) would otherwise leave all but one panel in a single colour. The values are
// printed in the cells where they fit, so panels still compare by number. No-Fallback: a cell whose
// replicates are not all known (a value NaN, a run failed, or no run at that point) is NaN, drawn
// grey and hatched, and named in the footnote — it is never coloured as if it had a value.
//
// A third swept parameter (and more) splits the panels further: one panel per strategy and
// value combination of the other parameters, so a cell never mixes parameter values.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "plot/figure.hpp"
#include "plot/sweep_groups.hpp"

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A cell's value as printed in it: whole numbers from 10 on, one decimal below.
std::string cell_text(double v) {
  if (!std::isfinite(v))
    return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, std::fabs(v) < 9.95 ? "%.1f" : "%.0f", v);
  return std::string(buf) == "-0.0" ? "0.0" : buf;
}

struct Cell {
  std::size_t n_runs = 0, n_values = 0;
  double mean = kNaN;
};

struct Panel {
  std::string label, strategy, title;
  std::vector<int> other_idx;
  std::vector<Cell> cells; // x fastest: cells[y * nx + x]
};

} // namespace

Figure make_heatmap(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  const PlotOptions& opt = ctx.opt;
  const std::vector<SweptParam> params = swept_params(rs);
  const std::string metric = pick_metric(rs, opt.metric);
  const int xi = pick_param(params, opt.sweep_x, {}, "--x");
  const int yi = xi < 0 ? -1 : pick_param(params, opt.sweep_y, {xi}, "--y");
  Figure fig;
  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'heatmap': " << metric
      << " over two swept parameters, one panel per strategy (label);\n"
         "# a cell is the mean over its replicates (runs differing only in seed).\n"
      << ctx.source;
  if (yi < 0) {
    dat << "# fewer than two param_* columns with more than one value\n";
    fig.dat = dat.str();
    fig.body = message_body(
        params.empty() ? "No swept parameter (no param_* columns with more than one value):\n"
                         "run cfsim sweep over two parameters to draw a heatmap."
                       : "Only one swept parameter (" + params.front().name +
                             "): a heatmap needs two.\nThe sweep figure draws one parameter.");
    return fig;
  }
  const SweptParam& xp = params[static_cast<std::size_t>(xi)];
  const SweptParam& yp = params[static_cast<std::size_t>(yi)];
  std::vector<int> others;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (static_cast<int>(i) != xi && static_cast<int>(i) != yi)
      others.push_back(static_cast<int>(i));
  const bool skip_baselines = is_savings_metric(metric);
  const std::vector<ReplicateGroup> groups =
      replicate_groups(rs, params, skip_baselines, opt.strategy);
  const std::size_t nx = xp.values.size(), ny = yp.values.size();

  std::vector<Panel> panels;
  for (const ReplicateGroup& g : groups) {
    std::vector<int> k;
    for (int o : others)
      k.push_back(g.param_idx[static_cast<std::size_t>(o)]);
    auto p = std::find_if(panels.begin(), panels.end(), [&](const Panel& q) {
      return q.label == g.label && q.strategy == g.strategy && q.other_idx == k;
    });
    if (p == panels.end()) {
      const std::string rest = params_text(params, others, g);
      panels.push_back({g.label, g.strategy, g.label + (rest.empty() ? "" : ", " + rest), k,
                        std::vector<Cell>(nx * ny)});
      p = panels.end() - 1;
    }
    Cell& c = p->cells[static_cast<std::size_t>(g.param_idx[static_cast<std::size_t>(yi)]) * nx +
                       static_cast<std::size_t>(g.param_idx[static_cast<std::size_t>(xi)])];
    const std::vector<double> v = replicate_values(g, metric);
    c.n_runs = v.size();
    double sum = 0; // in result-file order, one after the other (reproducible to the bit)
    for (double d : v) {
      sum += d;
      c.n_values += std::isfinite(d) ? 1U : 0U;
    }
    c.mean = c.n_values == c.n_runs && c.n_runs > 0 ? sum / static_cast<double>(c.n_runs) : kNaN;
  }
  // Panels by label (first appearance), then by the other parameters' values.
  std::stable_sort(panels.begin(), panels.end(), [&](const Panel& a, const Panel& b) {
    const auto first = [&](const Panel& p) {
      return std::find_if(groups.begin(), groups.end(),
                          [&](const ReplicateGroup& g) { return g.label == p.label; }) -
             groups.begin();
    };
    return std::make_pair(first(a), a.other_idx) < std::make_pair(first(b), b.other_idx);
  });

  const std::string units = metric_units(rs, metric);
  dat << "# metric: " << metric << " (" << units << ")"
      << (skip_baselines ? "; baseline runs left out (0 % by definition)" : "") << "\n"
      << "# strategy filter: " << (opt.strategy.empty() ? "all" : one_line(opt.strategy)) << "\n"
      << "# x: " << xp.column << ", y: " << yp.column
      << " (categorical: cell index, the value as text beside it)\n"
      << "# panels: one per strategy label"
      << (others.empty() ? "" : " and value of the other swept parameters") << "\n"
      << "# cell value: mean over the replicates in result-file order; NaN unless every\n"
         "# replicate's value is known (a failed run or a point not run is NaN: No-Fallback)\n"
         "# one block per panel (gnuplot index = panel - 1), blocks separated by two blank lines\n"
         "# columns:\n"
         "#  1 panel        panel number (1)\n"
         "#  2 panel_title  strategy label and the other swept parameters' values (text)\n"
         "#  3 strategy     strategy name (text)\n"
         "#  4 label        the strategy's label in the scenario (text)\n"
         "#  5 x_index      cell column, from 0 (1)\n"
         "#  6 x_text       "
      << xp.column
      << " value (text)\n"
         "#  7 y_index      cell row, from 0 (1)\n"
         "#  8 y_text       "
      << yp.column
      << " value (text)\n"
         "#  9 n_runs       replicates: runs differing only in seed (1)\n"
         "# 10 n_values     replicates with a known value (1)\n"
         "# 11 mean         mean over the replicates ("
      << units
      << ")\n"
         "# 12 missing      1 if the mean is unknown (NaN), else 0 (1)\n"
         "# 13 cell_text    the value as printed in the cell (text)\n";
  double lo = kNaN, hi = kNaN;
  std::vector<std::pair<double, double>> scale(panels.size(), {kNaN, kNaN}); // per panel
  std::size_t n_missing = 0, max_runs = 0, min_runs = 0;
  for (std::size_t pi = 0; pi < panels.size(); ++pi) {
    if (pi > 0)
      dat << "\n\n";
    const Panel& p = panels[pi];
    for (std::size_t y = 0; y < ny; ++y)
      for (std::size_t x = 0; x < nx; ++x) {
        const Cell& c = p.cells[y * nx + x];
        const bool missing = !std::isfinite(c.mean);
        n_missing += missing ? 1U : 0U;
        if (c.n_runs > 0) {
          max_runs = std::max(max_runs, c.n_runs);
          min_runs = min_runs == 0 ? c.n_runs : std::min(min_runs, c.n_runs);
        }
        std::tie(lo, hi) = finite_extent({lo, hi, c.mean});
        scale[pi] = finite_extent({scale[pi].first, scale[pi].second, c.mean});
        dat << (pi + 1) << ' ' << dat_text(p.title) << ' ' << dat_text(p.strategy) << ' '
            << dat_text(p.label) << ' ' << x << ' ' << dat_text(xp.values[x].text) << ' ' << y
            << ' ' << dat_text(yp.values[y].text) << ' ' << c.n_runs << ' ' << c.n_values << ' '
            << num(c.mean) << ' ' << (missing ? 1 : 0) << ' ' << dat_text(cell_text(c.mean))
            << '\n';
      }
  }
  fig.dat = dat.str();
  if (panels.empty() || std::isnan(lo)) {
    fig.body = message_body(
        panels.empty()
            ? "No run to draw for " + metric + (skip_baselines ? " (baselines are left out)." : ".")
            : "Every cell of " + metric + " is unknown (NaN):\nnothing to draw.");
    return fig;
  }
  for (auto& [a, b] : scale) {
    if (std::isnan(a)) { // a panel of unknown cells only: any scale, nothing is coloured
      a = 0;
      b = 1;
    } else if (a == b) { // one value: widen the scale so the palette lookup is defined
      a -= 0.5;
      b += 0.5;
    }
  }

  PanelGrid grid;
  grid.panels = static_cast<int>(panels.size());
  std::size_t longest_y = 0;
  for (const ParamValue& v : yp.values)
    longest_y = std::max(longest_y, v.text.size());
  grid.left_cm = 1.05 + 0.13 * static_cast<double>(longest_y); // y tic labels + axis label
  grid.right_cm = 1.15; // the last colour bar and its tic labels
  grid.top_cm = 1.3;    // the metric's name, then the first row's panel titles
  std::vector<std::string> notes;
  notes.push_back("cell: mean over " +
                  (min_runs == max_runs
                       ? std::to_string(max_runs)
                       : std::to_string(min_runs) + "-" + std::to_string(max_runs)) +
                  (max_runs == 1 ? " seed" : " seeds") + "; each panel has its own colour scale");
  if (n_missing > 0)
    notes.push_back("grey hatched: unknown (a seed's value unknown, its run failed, or not run)");
  grid.bottom_cm = 1.1 + 0.3 * static_cast<double>(notes.size()) + 0.3;
  grid.hgap_cm = 1.5; // each panel's colour bar and its tic labels
  grid.vgap_cm = 1.35;
  // Cells about 0.85 cm wide hold their printed values; narrower figures keep two columns of
  // panels and drop the values (show_values in the .gp).
  grid.min_panel_cm = std::max(2.2, 0.85 * static_cast<double>(nx));
  grid.min_columns = 2;
  fig.width_cm = grid.panels > 1 ? 17.5 : 8.5;
  const int rows = grid.rows(fig.width_cm);
  const double row_cm = std::clamp(0.6 * static_cast<double>(ny), 3.2, 5.0);
  fig.height_cm = grid.top_cm + grid.bottom_cm + row_cm * rows + grid.vgap_cm * (rows - 1);
  fig.height_cm = std::max(fig.height_cm, 6.0);

  std::ostringstream xt, yt;
  xt.imbue(std::locale::classic());
  yt.imbue(std::locale::classic());
  for (std::size_t i = 0; i < nx; ++i)
    xt << (i ? ", " : "") << gp_str(xp.values[i].text) << " " << i;
  for (std::size_t i = 0; i < ny; ++i)
    yt << (i ? ", " : "") << gp_str(yp.values[i].text) << " " << i;

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- heatmap ----------------------------------------------------------------------\n"
        "# One panel per strategy; a cell per (x, y) value pair, coloured by the mean (column 11)\n"
        "# on style.gp's sequential palette, each panel on its own scale. Unknown cells\n"
        "# (column 12 = 1) are grey and hatched. Values are printed in the cells if they fit.\n"
     << panel_grid_gp(grid) << "nx = " << nx << "; ny = " << ny << "\n"
     << "# print values if a cell is at least 0.8 cm wide and 0.35 cm high\n"
        "show_values = (panel_w_cm / nx >= 0.8 && panel_h_cm / ny >= 0.35)\n"
        "# white text on the dark end of the palette, black on the light end\n"
        "cell_text_color(v) = (v - cb_lo) / (cb_hi - cb_lo) < 0.55 ? 0xFFFFFF : 0x000000\n"
        "set multiplot\n"
        "unset key\n"
        "set grid noytics\n"
        "set border 15 lw 0.6\n"
        "set tics scale 0\n"
        "set xrange [-0.5:nx - 0.5]\n"
        "set yrange [-0.5:ny - 0.5]\n"
        "set xtics ("
     << xt.str() << ") noenhanced\n"
     << "set cbtics scale 0.6 out\n"
        "set style fill solid 1.0 noborder\n";
  gp << "set label 98 " << label(join(notes, "\n"))
     << " at screen 0.01, screen (bm_cm - 1.1) / fig_h left font note_font tc rgb rgb(col_note) "
        "noenhanced\n";
  const std::string xlabel = param_axis_label(xp);
  const std::string ylabel = param_axis_label(yp);
  // What the colours mean, once for the whole figure above the panels (a label at every
  // colour bar would not fit between the panels).
  gp << "set label 97 " << metric_axis_label(metric, units)
     << " at screen 0.5, screen 1 - 0.25 / fig_h center"
     << (has_axis_name(metric) ? "" : " noenhanced") << "\n";
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const std::string idx = std::to_string(p);
    gp << "\n# panel " << (p + 1) << ": " << one_line(panels[p].title) << "\n"
       << "eval panel_margins(" << p << ")\n"
       << "set title " << label(panels[p].title) << " noenhanced offset 0, -0.5\n"
       << "if (panel_col(" << p << ") == 0) { set ytics (" << yt.str()
       << ") noenhanced; set ylabel " << ylabel << " noenhanced } else { unset ytics; set ylabel "
       << "\"\" }\n"
       << "cb_lo = " << num(scale[p].first) << "; cb_hi = " << num(scale[p].second)
       << "   # this panel's colour scale\n"
       << "set cbrange [cb_lo:cb_hi]\n"
       << "set cbtics " << num(nice_step(scale[p].second - scale[p].first, 4)) << "\n"
       << "set colorbox user origin screen panel_x0(" << p << ") + (panel_w_cm + 0.12) / fig_w, "
       << "screen panel_y1(" << p << ") - panel_h_cm / fig_h size screen 0.22 / fig_w, screen "
       << "panel_h_cm / fig_h\n"
       << "set xlabel (panel_row(" << p << ") == nrows - 1 || " << p << " + ncols >= n_panels ? "
       << xlabel << " : \"\") noenhanced offset 0, 0.3\n";
    if (p == 1)
      gp << "unset label 97; unset label 98; unset label 99   # drawn once, with the first "
            "panel\n";
    gp << "plot \\\n"
          "  dat index "
       << idx
       << " using 5:7:(0.5):(0.5):11 with boxxyerror fs solid 1.0 noborder lc palette, \\\n"
          "  dat index "
       << idx
       << " using ($12 == 1 ? $5 : NaN):7:(0.5):(0.5) with boxxyerror fs solid 1.0 noborder "
          "lc rgb rgb(col_gap), \\\n"
          "  dat index "
       << idx
       << " using ($12 == 1 ? $5 : NaN):7:(0.5):(0.5) with boxxyerror fs pattern 4 noborder "
          "lc rgb rgb(col_note), \\\n"
          "  dat index "
       << idx
       << " using (show_values ? $5 : NaN):7:(strcol(13)):(cell_text_color($11)) with labels "
          "font note_font tc rgb variable\n";
  }
  gp << "unset multiplot\n";
  fig.body = gp.str();
  if (!opt.metric.empty() || !opt.sweep_x.empty() || !opt.sweep_y.empty())
    fig.subject = metric + " over " + xp.name + " x " + yp.name;
  return fig;
}

} // namespace cfsim::figures
