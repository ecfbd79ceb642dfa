// Grouping the runs of a sweep for the `sweep` and `heatmap` figures: which summary columns were
// swept (`param_*`), and which runs are replicates of one another.
//
// A sweep writes every swept value as a summary column `param_<axis>` (docs/sweeps.md), while
// its `seeds` only show in the run name ("…/seed=N"). Runs of the same label (strategy) and the
// same values of every swept column therefore differ only in their seed: they are replicates,
// and a figure draws one statistic over them. Columns that hold one value in every run were
// not varied and are ignored.
#pragma once

#include <string>
#include <vector>

#include "plot/figure.hpp"

namespace cfsim::figures {

// One value of a swept column: its text (as in the run name) and, for numeric columns, the
// number (NaN for text columns).
struct ParamValue {
  std::string text;
  double number = 0;
};

// A summary column `param_<name>` holding more than one value.
struct SweptParam {
  std::string name;   // axis name without the "param_" prefix, e.g. "max_wait_h"
  std::string column; // "param_max_wait_h"
  std::string units;  // the column's units ("" if none were written)
  bool numeric = true;
  // Distinct values: ascending for numbers, first-seen (sweep) order for text.
  std::vector<ParamValue> values;
  // Position of a run's value in `values`; -1 if the run lacks the column.
  int index_of(const RunResult& run) const;
};

// The swept columns in summary-column order of the first run that has them.
std::vector<SweptParam> swept_params(const ResultSet& rs);

// Picks a swept column by `--x`/`--y` name ("max_wait_h" or "param_max_wait_h"); empty `wanted`
// gives the first column not in `taken`. Throws UsageError naming the valid choices for an
// unknown name; returns -1 if nothing is left to pick.
int pick_param(const std::vector<SweptParam>& params, const std::string& wanted,
               const std::vector<int>& taken, const std::string& option);

// Checks `--metric`: a numeric summary field of at least one run; throws UsageError listing
// them. Empty `wanted` gives "savings_co2e_pct".
std::string pick_metric(const ResultSet& rs, const std::string& wanted);
// The metric's units as stored with the field ("" if unknown).
std::string metric_units(const ResultSet& rs, const std::string& metric);
// Savings metrics are 0 by definition for baseline runs, which are then left out.
bool is_savings_metric(const std::string& metric);
// An axis label for a metric or swept column: a readable name for the common ones, else the
// column name, with the units in parentheses. Returns a label() expression; the plain-text
// fallback holds underscores, so the caller marks it `noenhanced`.
std::string metric_axis_label(const std::string& metric, const std::string& units);
// True if metric_axis_label() has a readable (enhanced-text) name for the metric.
bool has_axis_name(const std::string& metric);
std::string param_axis_label(const SweptParam& p);

// The replicates of one (label, swept values) point: the runs that differ only in seed.
struct ReplicateGroup {
  std::string label;                  // the run's label (strategy as named in the scenario)
  std::string strategy;               // strategy name (picks colour, dash and point in style.gp)
  std::vector<int> param_idx;         // per swept column, the index of the value (see SweptParam)
  std::vector<const RunResult*> runs; // in result-file order
};

// Groups the runs by label and swept values, in the order of first appearance. Baseline runs
// are left out when `skip_baselines`; `only` (if not empty) keeps the runs whose label or
// strategy equals it, and throws UsageError naming the labels if none does.
std::vector<ReplicateGroup> replicate_groups(const ResultSet& rs,
                                             const std::vector<SweptParam>& params,
                                             bool skip_baselines, const std::string& only);

// The metric of every replicate (NaN for a failed run or a missing value).
std::vector<double> replicate_values(const ReplicateGroup& g, const std::string& metric);

// "zone=FR, seeds=3"-style text of the values of the columns in `which` for a group.
std::string params_text(const std::vector<SweptParam>& params, const std::vector<int>& which,
                        const ReplicateGroup& g);

// ---- Panels ---------------------------------------------------------------------------------

// A grid of equal panels placed by margins in cm, so the layout follows the figure's size: the
// .gp computes the columns from `fig_w` (as many as fit at `min_panel_cm` wide), which keeps
// `--width 1col|2col` and `-e "fig_w=…"` working. Text sizes are fixed in pt, so the margins
// are fixed in cm too.
struct PanelGrid {
  int panels = 1;
  double left_cm = 1.5, right_cm = 0.3, top_cm = 0.8, bottom_cm = 1.6;
  double hgap_cm = 0.35, vgap_cm = 1.3, min_panel_cm = 2.0;
  int min_columns = 1;  // columns even when narrower than min_panel_cm (if there are panels)
  std::string top_expr; // a gnuplot expression for the top margin (cm) instead of top_cm
  // Columns and rows at width `w_cm` (the same rule as the .gp).
  int columns(double w_cm) const;
  int rows(double w_cm) const;
};
// gnuplot definitions: n_panels, ncols, nrows, panel_w_cm, panel_h_cm, panel_col(p),
// panel_row(p) and `eval panel_margins(p)` (p from 0) setting the four margins of panel p.
std::string panel_grid_gp(const PanelGrid& g);

} // namespace cfsim::figures
