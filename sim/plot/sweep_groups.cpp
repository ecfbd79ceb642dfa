// Swept columns and replicate groups of a sweep (sim/plot/sweep_groups.hpp).
#include "plot/sweep_groups.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cfsim/error.hpp"

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kPrefix = "param_";

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// A run's value of a swept column, as text and number; false if the run lacks it.
bool value_of(const RunResult& run, const std::string& column, bool numeric, ParamValue& out) {
  const Field* f = find_field(run, column);
  if (f == nullptr)
    return false;
  if (const auto* s = std::get_if<std::string>(&f->value)) {
    if (numeric)
      return false;
    out = {*s, kNaN};
    return true;
  }
  if (!numeric)
    return false;
  out.number = field_number(run, column);
  out.text = num(out.number);
  return true;
}

// The unit a swept column's name carries (the project's naming rule: names carry units).
std::string units_from_name(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kSuffixes[] = {
      {"_g_per_kwh", "g kWh-1"},
      {"_pct", "%"},
      {"_kwh", "kWh"},
      {"_usd", "USD"},
      {"_min", "min"},
      {"_gb", "GB"},
      {"_kg", "kg"},
      {"_h", "h"},
      {"_s", "s"}};
  for (const auto& [suffix, unit] : kSuffixes)
    if (ends_with(name, suffix))
      return std::string(unit);
  return {};
}

// Units as gnuplot enhanced text and as LaTeX: "g kW-1 h-1" → "g kW^{-1} h^{-1}".
std::pair<std::string, std::string> unit_texts(const std::string& units) {
  std::string enhanced, latex;
  std::size_t start = 0;
  while (start < units.size()) {
    std::size_t end = units.find(' ', start);
    if (end == std::string::npos)
      end = units.size();
    std::string word = units.substr(start, end - start);
    std::size_t digits = word.size();
    while (digits > 0 && (std::isdigit(static_cast<unsigned char>(word[digits - 1])) != 0 ||
                          word[digits - 1] == '-'))
      --digits;
    const std::string base = word.substr(0, digits), power = word.substr(digits);
    const std::string base_tex = base == "%" ? "\\%" : base;
    if (!enhanced.empty()) {
      enhanced += " ";
      latex += "\\,";
    }
    enhanced += power.empty() || base.empty() ? word : base + "^{" + power + "}";
    latex += power.empty() || base.empty() ? base_tex + power : base_tex + "$^{" + power + "}$";
    start = end + 1;
  }
  return {enhanced, latex};
}

// LaTeX-escaped plain text (underscores of column names).
std::string tex_plain(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$' || c == '{' || c == '}')
      out += '\\';
    out += c;
  }
  return out;
}

} // namespace

int SweptParam::index_of(const RunResult& run) const {
  ParamValue v;
  if (!value_of(run, column, numeric, v))
    return -1;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (numeric ? values[i].number == v.number : values[i].text == v.text)
      return static_cast<int>(i);
  return -1;
}

std::vector<SweptParam> swept_params(const ResultSet& rs) {
  std::vector<SweptParam> out;
  for (const RunResult& run : rs.runs)
    for (const Field& f : run.summary) {
      if (!starts_with(f.name, kPrefix) ||
          std::any_of(out.begin(), out.end(),
                      [&](const SweptParam& p) { return p.column == f.name; }))
        continue;
      SweptParam p;
      p.column = f.name;
      p.name = f.name.substr(kPrefix.size());
      p.units = f.units.empty() ? units_from_name(p.name) : f.units;
      p.numeric = !std::holds_alternative<std::string>(f.value);
      out.push_back(std::move(p));
    }
  for (SweptParam& p : out) {
    for (const RunResult& run : rs.runs) {
      ParamValue v;
      // A NaN value cannot be told apart from another NaN: it joins no group (index -1).
      if (!value_of(run, p.column, p.numeric, v) || (p.numeric && std::isnan(v.number)))
        continue;
      const bool seen = std::any_of(p.values.begin(), p.values.end(), [&](const ParamValue& o) {
        return p.numeric ? o.number == v.number : o.text == v.text;
      });
      if (!seen)
        p.values.push_back(v);
    }
    if (p.numeric)
      std::sort(p.values.begin(), p.values.end(),
                [](const ParamValue& a, const ParamValue& b) { return a.number < b.number; });
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const SweptParam& p) { return p.values.size() < 2; }),
            out.end());
  return out;
}

int pick_param(const std::vector<SweptParam>& params, const std::string& wanted,
               const std::vector<int>& taken, const std::string& option) {
  if (wanted.empty()) {
    for (std::size_t i = 0; i < params.size(); ++i)
      if (std::find(taken.begin(), taken.end(), static_cast<int>(i)) == taken.end())
        return static_cast<int>(i);
    return -1;
  }
  for (std::size_t i = 0; i < params.size(); ++i)
    if (params[i].name == wanted || params[i].column == wanted) {
      if (std::find(taken.begin(), taken.end(), static_cast<int>(i)) != taken.end())
        throw UsageError("plot: " + option + " '" + wanted +
                         "' is already used for the other axis; choose another swept parameter");
      return static_cast<int>(i);
    }
  std::vector<std::string> names;
  for (const SweptParam& p : params)
    names.push_back(p.name);
  throw UsageError("plot: " + option + " '" + wanted +
                   "' is not a swept parameter (a param_* column with more than one value). "
                   "Valid values are: " +
                   (names.empty() ? std::string("none (no param_* columns: run cfsim sweep)")
                                  : join(names, ", ")) +
                   ".");
}

std::string pick_metric(const ResultSet& rs, const std::string& wanted) {
  const std::string metric = wanted.empty() ? "savings_co2e_pct" : wanted;
  std::vector<std::string> numeric;
  for (const RunResult& run : rs.runs)
    for (const Field& f : run.summary) {
      if (std::holds_alternative<std::string>(f.value) || starts_with(f.name, kPrefix))
        continue;
      if (f.name == metric)
        return metric;
      if (std::find(numeric.begin(), numeric.end(), f.name) == numeric.end())
        numeric.push_back(f.name);
    }
  if (wanted.empty())
    return metric; // the default is missing: the figure says there is nothing to draw
  throw UsageError("plot: --metric '" + metric +
                   "' is not a numeric summary field of this result. Valid values are: " +
                   (numeric.empty() ? std::string("none") : join(numeric, ", ")) + ".");
}

std::string metric_units(const ResultSet& rs, const std::string& metric) {
  for (const RunResult& run : rs.runs)
    if (const Field* f = find_field(run, metric))
      return f->units;
  return {};
}

bool is_savings_metric(const std::string& metric) {
  return starts_with(metric, "savings_");
}

bool has_axis_name(const std::string& metric) {
  return metric == "savings_co2e_pct" || metric == "savings_cost_pct" || metric == "wait_mean_h" ||
         metric == "co2e_operational_kg" || metric == "cost_usd";
}

std::string metric_axis_label(const std::string& metric, const std::string& units) {
  if (metric == "savings_co2e_pct")
    return label("CO_2e savings (%)", "CO$_2$e savings (\\%)");
  if (metric == "savings_cost_pct")
    return label("Cost savings (%)", "Cost savings (\\%)");
  if (metric == "wait_mean_h")
    return label("Mean wait (h)", "Mean wait (h)");
  if (metric == "co2e_operational_kg")
    return label("Operational CO_2e (kg)", "Operational CO$_2$e (kg)");
  if (metric == "cost_usd")
    return label("Cost (USD)", "Cost (USD)");
  if (units.empty() || units == "1")
    return label(metric);
  const auto [enh, tex] = unit_texts(units);
  // The metric name keeps its underscores: the label is drawn `noenhanced`, so the units are
  // written plainly there too ("g kW-1 h-1").
  return label(metric + " (" + units + ")", tex_plain(metric) + " (" + tex + ")");
}

std::string param_axis_label(const SweptParam& p) {
  if (p.name == "max_wait_h" || p.name == "jobs.max_wait_h")
    return label("Allowed wait (h)", "Allowed wait (h)");
  if (p.name == "zone" || p.name == "carbon.zone")
    return label("Grid zone", "Grid zone");
  if (p.units.empty())
    return label(p.name);
  return label(p.name + " (" + p.units + ")",
               tex_plain(p.name) + " (" + unit_texts(p.units).second + ")");
}

std::vector<ReplicateGroup> replicate_groups(const ResultSet& rs,
                                             const std::vector<SweptParam>& params,
                                             bool skip_baselines, const std::string& only) {
  std::vector<ReplicateGroup> groups;
  std::vector<std::string> labels;
  bool matched = only.empty();
  for (const RunResult& run : rs.runs) {
    std::string lab = text(run, "label");
    const std::string strategy = strategy_of(run);
    if (lab.empty())
      lab = strategy;
    if (skip_baselines && is_baseline(run))
      continue;
    if (std::find(labels.begin(), labels.end(), lab) == labels.end())
      labels.push_back(lab);
    if (!only.empty() && lab != only && strategy != only)
      continue;
    matched = true;
    std::vector<int> idx;
    for (const SweptParam& p : params)
      idx.push_back(p.index_of(run));
    // A run without a value for a swept column cannot be placed on the axes.
    if (std::find(idx.begin(), idx.end(), -1) != idx.end())
      continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const ReplicateGroup& g) {
      return g.label == lab && g.strategy == strategy && g.param_idx == idx;
    });
    if (it == groups.end()) {
      groups.push_back({lab, strategy, idx, {}});
      it = groups.end() - 1;
    }
    it->runs.push_back(&run);
  }
  if (!matched)
    throw UsageError("plot: --strategy '" + only + "' matches no run" +
                     (skip_baselines ? " (baselines are left out for savings)" : "") +
                     ". Valid values are: " + (labels.empty() ? "none" : join(labels, ", ")) + ".");
  return groups;
}

std::vector<double> replicate_values(const ReplicateGroup& g, const std::string& metric) {
  std::vector<double> v;
  for (const RunResult* run : g.runs)
    v.push_back(is_error(*run) ? kNaN : field_number(*run, metric));
  return v;
}

std::string params_text(const std::vector<SweptParam>& params, const std::vector<int>& which,
                        const ReplicateGroup& g) {
  std::vector<std::string> parts;
  for (int i : which) {
    const auto k = static_cast<std::size_t>(i);
    parts.push_back(params[k].name + "=" +
                    params[k].values[static_cast<std::size_t>(g.param_idx[k])].text);
  }
  return join(parts, ", ");
}

int PanelGrid::columns(double w_cm) const {
  const double usable = w_cm - left_cm - right_cm + hgap_cm;
  const int fit = static_cast<int>(std::floor(usable / (min_panel_cm + hgap_cm)));
  const int n = std::max(panels, 1);
  const int c = std::clamp(std::max(fit, min_columns), 1, n);
  const int r = (n + c - 1) / c;
  return (n + r - 1) / r; // balanced: 4 panels in 2 × 2 rather than 3 + 1
}

int PanelGrid::rows(double w_cm) const {
  const int c = columns(w_cm);
  return (std::max(panels, 1) + c - 1) / c;
}

std::string panel_grid_gp(const PanelGrid& g) {
  std::string s;
  s += "# Panel grid (cm): the columns follow fig_w, so the layout survives any width.\n";
  s += "n_panels = " + std::to_string(std::max(g.panels, 1)) + "\n";
  s += "lm_cm = " + num(g.left_cm) + "; rm_cm = " + num(g.right_cm) +
       "; tm_cm = " + (g.top_expr.empty() ? num(g.top_cm) : g.top_expr) +
       "; bm_cm = " + num(g.bottom_cm) + "\n";
  s += "hgap_cm = " + num(g.hgap_cm) + "; vgap_cm = " + num(g.vgap_cm) +
       "; min_panel_cm = " + num(g.min_panel_cm) + "; min_cols = " + std::to_string(g.min_columns) +
       "\n";
  s += "ncols = int(floor((fig_w - lm_cm - rm_cm + hgap_cm) / (min_panel_cm + hgap_cm)))\n"
       "ncols = ncols < min_cols ? min_cols : ncols\n"
       "ncols = ncols < 1 ? 1 : (ncols > n_panels ? n_panels : ncols)\n"
       "nrows = int((n_panels + ncols - 1) / ncols)\n"
       "ncols = int((n_panels + nrows - 1) / nrows)   # balanced: 2 x 2 rather than 3 + 1\n"
       "panel_w_cm = (fig_w - lm_cm - rm_cm - (ncols - 1) * hgap_cm) / ncols\n"
       "panel_h_cm = (fig_h - tm_cm - bm_cm - (nrows - 1) * vgap_cm) / nrows\n"
       "panel_col(p) = p % ncols\n"
       "panel_row(p) = int(p / ncols)\n"
       "panel_x0(p) = (lm_cm + panel_col(p) * (panel_w_cm + hgap_cm)) / fig_w\n"
       "panel_y1(p) = 1 - (tm_cm + panel_row(p) * (panel_h_cm + vgap_cm)) / fig_h\n"
       "panel_margins(p) = sprintf(\"set lmargin at screen %.5f; set rmargin at screen %.5f; "
       "set tmargin at screen %.5f; set bmargin at screen %.5f\", panel_x0(p), panel_x0(p) + "
       "panel_w_cm / fig_w, panel_y1(p), panel_y1(p) - panel_h_cm / fig_h)\n";
  return s;
}

} // namespace cfsim::figures
