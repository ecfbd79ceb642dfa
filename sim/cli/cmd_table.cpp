// `cfsim table FILE`: a result file's summary as a LaTeX, CSV or markdown table
// (docs/tables.md; the layout is sim/report/table.cpp).
#include <iostream>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/report.hpp"
#include "cfsim/store.hpp"

#include "cli/cli.hpp"
#include "cli/write_text.hpp"

namespace cfsim::cli {

int cmd_table(const Args& args, const std::string& /*command_line*/) {
  po::options_description o("cfsim table options");
  o.add_options()("file", po::value<std::string>()->required(),
                  "result file (HDF5) written by `cfsim run`, `sweep` or `merge`")(
      "format,f", po::value<std::string>()->default_value("latex"),
      "latex: a booktabs tabular for \\input (numbers rounded, ± bounds, units in the headers); "
      "csv: every digit (%.17g), header `name (units)`, bounds in `name lower`/`name upper` "
      "columns; markdown: a pipe table")(
      "metrics,m", po::value<std::vector<std::string>>()->multitoken(),
      "summary fields to show as columns, e.g. `--metrics co2e_operational_kg wait_mean_h` "
      "(default: energy_kwh co2e_operational_kg cost_usd savings_co2e_pct savings_cost_pct; "
      "`cfsim dump FILE --summary` lists every field)")(
      "group-by,g", po::value<std::vector<std::string>>()->multitoken(),
      "one row per distinct value of these columns (run, strategy, status or a summary field such "
      "as label or a sweep's param_max_wait_h) instead of one row per run; a row shows the mean "
      "over its runs (e.g. the seeds) with their minimum and maximum as bounds, and the run count")(
      "runs", po::value<std::string>()->default_value(""),
      "only runs whose name matches this ECMAScript regular expression (default: all), e.g. "
      "'lowest_window|no_wait'")("digits", po::value<int>()->default_value(3),
                                 "significant figures of the largest number of each column "
                                 "(LaTeX and markdown; the column shares its decimals)")(
      "no-bounds", "leave out the ± bounds")(
      "caption", po::value<std::string>()->default_value(""),
      "LaTeX: wrap the tabular in a table float with this caption (LaTeX markup allowed; the "
      "note saying what the bounds are is appended)")(
      "label", po::value<std::string>()->default_value(""),
      "LaTeX: \\label of the table float (implies the float)")(
      "output,o", po::value<std::string>(), "write to this file instead of stdout");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, o, pos, vm,
             "cfsim table FILE [--format latex|csv|markdown] [--metrics M ...] [--group-by COL "
             "...] [-o OUT]\n\nA table of the runs' summary metrics, for a thesis or paper "
             "(LaTeX, needs only the booktabs package), a spreadsheet (CSV) or a README "
             "(markdown). Without --group-by one row per run; bounds are the union of the "
             "uncertainty the file records for the metric (missing data, energy-model "
             "coefficients, forecast seeds p5-p95), stated in the table's comment. NaN cells "
             "(incomplete data) show as -- with a note. Give FILE before --metrics/--group-by."))
    return 0;
  TableOptions opt;
  const std::string format = vm["format"].as<std::string>();
  if (format == "latex")
    opt.format = TableFormat::latex;
  else if (format == "csv")
    opt.format = TableFormat::csv;
  else if (format == "markdown" || format == "md")
    opt.format = TableFormat::markdown;
  else
    throw UsageError("--format '" + format + "' is not known (latex, csv, markdown)");
  if (vm.count("metrics"))
    opt.metrics = vm["metrics"].as<std::vector<std::string>>();
  if (vm.count("group-by"))
    opt.group_by = vm["group-by"].as<std::vector<std::string>>();
  opt.runs_regex = vm["runs"].as<std::string>();
  opt.significant = vm["digits"].as<int>();
  if (opt.significant < 1 || opt.significant > 12)
    throw UsageError("--digits " + std::to_string(opt.significant) + " is out of range (1 to 12)");
  opt.bounds = vm.count("no-bounds") == 0;
  opt.caption = vm["caption"].as<std::string>();
  opt.label = vm["label"].as<std::string>();
  if ((!opt.caption.empty() || !opt.label.empty()) && opt.format != TableFormat::latex)
    throw UsageError("--caption and --label apply to --format latex only");
  const std::string file = vm["file"].as<std::string>();
  opt.source = file;
  const ResultSet rs = read_results(file);
  const std::string text = render_table(build_table(rs, opt), opt);
  if (vm.count("output"))
    write_text_atomically(vm["output"].as<std::string>(), text);
  else
    std::cout << text;
  return 0;
}

} // namespace cfsim::cli
