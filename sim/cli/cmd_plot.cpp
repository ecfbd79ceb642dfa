// `cfsim plot FILE`: the figures of a result file.
#include <cstdio>
#include <filesystem>

#include "cfsim/error.hpp"
#include "cfsim/plot.hpp"
#include "cfsim/store.hpp"

#include "cli/cli.hpp"

namespace cfsim::cli {

namespace fs = std::filesystem;

int cmd_plot(const Args& args, const std::string& /*command_line*/) {
  po::options_description o("cfsim plot options");
  std::string figures_help = "figure to draw (repeatable; default all): ";
  for (const auto& f : figure_names())
    figures_help += f + " ";
  o.add_options()("file", po::value<std::string>(), "result file (HDF5)")(
      "list", "list the figures with what each shows, one per line, and exit")(
      "output,o", po::value<std::string>()->default_value("plots"),
      "output folder")("figure,f", po::value<std::vector<std::string>>(), figures_help.c_str())(
      "format", po::value<std::vector<std::string>>(),
      "pdf, png, svg or tex (repeatable; default pdf and png). tex = cairolatex: "
      "<name>-tex.tex, text set by LaTeX, plus the graphic <name>-tex.pdf it includes")(
      "width", po::value<std::string>(),
      "1col (8.5 cm) or 2col (17.5 cm); default: each figure's own (savings 1col unless "
      "its labels need more, timeline 2col)")(
      "no-provenance",
      "leave out the footnote with the cfsim version, scenario and its sha256 (the .dat "
      "headers keep them; replay with -e \"show_provenance=1\" to draw it)")(
      "run", po::value<std::string>(),
      "run shown by the timeline figure (default: first "
      "non-baseline run)")(
      "x", po::value<std::string>(),
      "sweep, heatmap: swept parameter on the x axis, e.g. max_wait_h (default: the first "
      "param_* column with more than one value)")(
      "y", po::value<std::string>(),
      "heatmap: swept parameter on the y axis (default: the next param_* column)")(
      "metric", po::value<std::string>(),
      "sweep, heatmap: numeric summary field drawn (default savings_co2e_pct)")(
      "strategy", po::value<std::string>(),
      "sweep, heatmap: only this strategy label (default: all; heatmap: one panel each)")(
      "style", po::value<std::string>(), "gnuplot style file (default plots/style.gp)");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm, "cfsim plot FILE [-o DIR] [--figure NAME ...]"))
    return 0;
  if (vm.count("list")) {
    for (const auto& f : figure_names())
      std::printf("%-10s %s\n", f.c_str(), figure_summary(f).c_str());
    return 0;
  }
  if (!vm.count("file"))
    throw UsageError("plot: no result file given (usage: cfsim plot FILE [options]; "
                     "cfsim plot --list names the figures)");
  const std::string file = vm["file"].as<std::string>();
  const ResultSet rs = read_results(file);
  PlotOptions po_;
  po_.out_dir = vm["output"].as<std::string>();
  if (vm.count("figure"))
    po_.figures = vm["figure"].as<std::vector<std::string>>();
  if (vm.count("format"))
    po_.formats = vm["format"].as<std::vector<std::string>>();
  if (vm.count("no-provenance"))
    po_.provenance = false;
  if (vm.count("width"))
    po_.width = vm["width"].as<std::string>();
  if (vm.count("run"))
    po_.timeline_run = vm["run"].as<std::string>();
  if (vm.count("x"))
    po_.sweep_x = vm["x"].as<std::string>();
  if (vm.count("y"))
    po_.sweep_y = vm["y"].as<std::string>();
  if (vm.count("metric"))
    po_.metric = vm["metric"].as<std::string>();
  if (vm.count("strategy"))
    po_.strategy = vm["strategy"].as<std::string>();
  if (vm.count("style"))
    po_.style_path = vm["style"].as<std::string>();
  po_.stem = fs::path(file).stem().string();
  const auto written = plot_results(rs, po_);
  for (const auto& w : written)
    std::printf("%s\n", w.c_str());
  return 0;
}

} // namespace cfsim::cli
