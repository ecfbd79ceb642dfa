// Figures from a result file (DESIGN §10). gnuplot-iostream appears nowhere else.
#pragma once

#include <string>
#include <vector>

#include "cfsim/result.hpp"

namespace cfsim {

struct PlotOptions {
  std::string out_dir = "plots"; // where figures, .gp and .dat go
  std::string style_path = "plots/style.gp";
  std::vector<std::string> figures; // empty: all (figure_names())
  // "pdf", "png", "svg", "tex" (cairolatex: <base>-tex.tex with LaTeX text + <base>-tex.pdf)
  std::vector<std::string> formats = {"pdf", "png"};
  std::string width; // "1col" (8.5 cm), "2col" (17.5 cm), empty: each figure's own choice
  // The footnote naming cfsim's version, the scenario and its sha256 (DESIGN §10). Off: the
  // saved .gp sets show_provenance = 0 (a replay can still turn it on with -e).
  bool provenance = true;
  std::string timeline_run; // run name for "timeline"; empty: the first non-baseline run
  // "sweep" and "heatmap": the swept parameters on the axes, by axis name ("max_wait_h") or
  // column ("param_max_wait_h"); empty: the first (x) and second (y) param_* column with more
  // than one value.
  std::string sweep_x, sweep_y;
  // "sweep", "heatmap": a numeric summary field; empty: savings_co2e_pct
  std::string metric;
  std::string strategy; // "sweep", "heatmap": only this label or strategy; empty: all
  std::string stem;     // file name prefix, e.g. the result file's stem
};

// Writes each figure as <out_dir>/<stem>_<figure>.{pdf,png,gp,dat}; returns the files written.
std::vector<std::string> plot_results(const ResultSet& results, const PlotOptions& opt);

// The figure names `plot_results` knows.
std::vector<std::string> figure_names();
// What a figure shows, in one line (for `cfsim plot --list`); UsageError for an unknown name.
std::string figure_summary(const std::string& name);

} // namespace cfsim
