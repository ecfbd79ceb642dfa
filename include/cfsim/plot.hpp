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
  std::string timeline_run; // run name for "timeline"; empty: the first non-baseline run
  std::string stem;         // file name prefix, e.g. the result file's stem
};

// Writes each figure as <out_dir>/<stem>_<figure>.{pdf,png,gp,dat}; returns the files written.
std::vector<std::string> plot_results(const ResultSet& results, const PlotOptions& opt);

// The figure names `plot_results` knows.
std::vector<std::string> figure_names();

} // namespace cfsim
