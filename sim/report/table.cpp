// `cfsim table`: a result file's summary as a LaTeX (booktabs), CSV or markdown table
// (docs/tables.md). The numbers are the summary fields as stored; this file only selects,
// groups, rounds and lays them out.
#include "cfsim/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>

#include "cfsim/error.hpp"
#include "report/runs.hpp"

#ifndef CFSIM_VERSION
#define CFSIM_VERSION "unknown"
#endif

namespace cfsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The summary fields that bound a metric (docs/result-schema.md, methodology §8). A run's cell
// shows the union of every pair the file has, the band the `savings` figure draws as whiskers:
// missing data, the energy model's coefficient intervals and the forecast seeds' p5–p95.
struct BoundPair {
  const char* metric;
  const char* lower;
  const char* upper;
  const char* what;
};
constexpr BoundPair kBoundPairs[] = {
    {"energy_kwh", "energy_model_lower_kwh", "energy_model_upper_kwh", "energy-model coefficients"},
    {"co2e_operational_kg", "co2e_operational_lower_kg", "co2e_operational_upper_kg",
     "missing data"},
    {"co2e_operational_kg", "co2e_model_lower_kg", "co2e_model_upper_kg",
     "energy-model coefficients"},
    {"fleet_co2e_kg", "fleet_co2e_lower_kg", "fleet_co2e_upper_kg", "missing data"},
    {"jobs_co2e_kg", "jobs_co2e_lower_kg", "jobs_co2e_upper_kg", "missing data"},
    {"savings_co2e_pct", "savings_co2e_lower_pct", "savings_co2e_upper_pct", "missing data"},
    {"savings_co2e_pct", "savings_co2e_model_lower_pct", "savings_co2e_model_upper_pct",
     "energy-model coefficients"},
    {"savings_co2e_pct", "savings_co2e_p5_pct", "savings_co2e_p95_pct", "forecast seeds (p5-p95)"},
    {"savings_cost_pct", "savings_cost_p5_pct", "savings_cost_p95_pct", "forecast seeds (p5-p95)"},
};

constexpr const char* kNotAvailable = "not available: incomplete data (see coverage)";
constexpr const char* kRangeOnly = "[lo, hi]: only the bounds are known (incomplete data)";

std::string plain_number(double v) { // group keys and whole numbers: shortest readable form
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string full_precision(double v) { // CSV: round-trips every double
  if (std::isnan(v))
    return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The value of a group-by column for a run: a run member or a summary field.
std::string key_of(const RunResult& r, const std::string& col) {
  if (col == "run" || col == "name")
    return r.name;
  if (col == "strategy")
    return r.strategy;
  if (col == "status")
    return r.status;
  const Field* f = find_field(r, col);
  if (f == nullptr)
    return "--";
  if (const auto* s = std::get_if<std::string>(&f->value))
    return *s;
  return plain_number(field_number(f));
}

TableCell run_cell(const RunResult& r, const std::string& metric, bool bounds) {
  TableCell c;
  const Field* f = find_field(r, metric);
  if (f != nullptr)
    if (const auto* s = std::get_if<std::string>(&f->value)) {
      c.text = *s;
      return c;
    }
  c.value = field_number(f);
  if (!bounds)
    return c;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const BoundPair& b : kBoundPairs) {
    if (metric != b.metric)
      continue;
    const double l = field_number(find_field(r, b.lower));
    const double u = field_number(find_field(r, b.upper));
    if (std::isfinite(l) && std::isfinite(u)) { // a source the run lacks adds nothing
      lo = std::min(lo, l);
      hi = std::max(hi, u);
    }
  }
  if (lo <= hi) {
    c.lower = lo;
    c.upper = hi;
  }
  return c;
}

// Mean over a group's runs, bounded by their minimum and maximum. A NaN in any run makes the
// mean NaN: averaging only the complete runs would hide the incomplete ones.
TableCell group_cell(const ResultSet& rs, const std::vector<std::size_t>& members,
                     const std::string& metric, bool bounds, const std::string& group_text) {
  TableCell c;
  const Field* first = find_field(rs.runs[members.front()], metric);
  if (first != nullptr && std::holds_alternative<std::string>(first->value)) {
    for (std::size_t i : members) {
      const Field* f = find_field(rs.runs[i], metric);
      if (f == nullptr || f->value != first->value)
        throw UsageError("text metric '" + metric + "' differs within the group " + group_text +
                         " ('" + std::get<std::string>(first->value) + "' in " +
                         rs.runs[members.front()].name + ", other in " + rs.runs[i].name +
                         "); add it to --group-by or leave it out of --metrics");
    }
    c.text = std::get<std::string>(first->value);
    return c;
  }
  double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
  bool nan = false;
  for (std::size_t i : members) {
    const double v = field_number(find_field(rs.runs[i], metric));
    nan = nan || std::isnan(v);
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  c.value = nan ? kNaN : sum / static_cast<double>(members.size());
  if (!nan && bounds) {
    c.lower = lo;
    c.upper = hi;
  }
  return c;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const std::string& s : v)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

// ---- Rendering -----------------------------------------------------------------------------

struct Column {
  int decimals = 0;
  bool has_bounds = false;
};

Column column_of(const ReportTable& t, std::size_t m, int significant) {
  Column col;
  double max_abs = 0;
  bool any_value = false;
  for (const TableRow& r : t.rows) {
    const TableCell& c = r.cells[m];
    if (c.text)
      continue;
    col.has_bounds = col.has_bounds || c.lower.has_value();
    if (std::isfinite(c.value)) {
      max_abs = std::max(max_abs, std::fabs(c.value));
      any_value = true;
    }
  }
  if (!any_value) // only ranges: size the column by the bounds
    for (const TableRow& r : t.rows)
      if (r.cells[m].lower)
        max_abs = std::max({max_abs, std::fabs(*r.cells[m].lower), std::fabs(*r.cells[m].upper)});
  col.decimals = column_decimals(max_abs, significant);
  return col;
}

// Pieces of a numeric cell at the column's decimals; `kind` says which form applies.
struct CellText {
  enum Kind { na, value, range, symmetric, asymmetric, outside } kind = na;
  std::string v, plus, minus, lo, hi;
};

CellText cell_text(const TableCell& c, int decimals) {
  CellText t;
  const bool bounded = c.lower && std::isfinite(*c.lower) && std::isfinite(*c.upper);
  if (std::isnan(c.value)) {
    if (bounded) {
      t.kind = CellText::range;
      t.lo = format_fixed(*c.lower, decimals);
      t.hi = format_fixed(*c.upper, decimals);
    }
    return t;
  }
  t.v = format_fixed(c.value, decimals);
  t.kind = CellText::value;
  if (!bounded)
    return t;
  const double up = *c.upper - c.value, down = c.value - *c.lower;
  t.plus = format_fixed(up, decimals);
  t.minus = format_fixed(down, decimals);
  const std::string zero = format_fixed(0.0, decimals);
  if (up < 0 || down < 0) { // bounds that do not bracket the value (e.g. p5 above it)
    if (t.plus == zero && t.minus == zero)
      return t;
    t.kind = CellText::outside;
    t.lo = format_fixed(*c.lower, decimals);
    t.hi = format_fixed(*c.upper, decimals);
  } else if (t.plus == zero && t.minus == zero) {
    t.kind = CellText::value; // a band narrower than the last digit shown
  } else {
    t.kind = t.plus == t.minus ? CellText::symmetric : CellText::asymmetric;
  }
  return t;
}

// A header's name: the field name without the unit suffix the header shows anyway
// ("co2e_operational_kg" in kg → "co2e operational"), underscores as spaces.
std::string header_name(const std::string& name, const std::string& units) {
  static const std::map<std::string, std::string> kSuffix = {
      {"kg", "_kg"}, {"kW h", "_kwh"}, {"USD", "_usd"},
      {"%", "_pct"}, {"h", "_h"},      {"g kW-1 h-1", "_g_per_kwh"},
      {"g", "_g"},   {"W", "_w"}};
  std::string n = name;
  if (const auto it = kSuffix.find(units); it != kSuffix.end()) {
    const std::string& s = it->second;
    if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0)
      n.resize(n.size() - s.size());
  }
  std::replace(n.begin(), n.end(), '_', ' ');
  return n;
}

std::vector<std::string> notes_of(const ReportTable& t) {
  std::vector<std::string> notes;
  if (t.grouped)
    notes.push_back("Each row: mean over its n runs; bounds: minimum and maximum over those runs.");
  for (const TableMetric& m : t.metrics)
    if (!m.bounds.empty() && !t.grouped)
      notes.push_back(m.name + ": bounds from " + m.bounds + ".");
  return notes;
}

bool any_cell(const ReportTable& t, CellText::Kind kind, const std::vector<Column>& cols) {
  for (const TableRow& r : t.rows)
    for (std::size_t m = 0; m < t.metrics.size(); ++m)
      if (!r.cells[m].text && cell_text(r.cells[m], cols[m].decimals).kind == kind)
        return true;
  return false;
}

std::string latex_cell(const TableCell& c, int decimals) {
  if (c.text)
    return latex_escape(*c.text);
  const CellText t = cell_text(c, decimals);
  switch (t.kind) {
  case CellText::na:
    return "--";
  case CellText::range:
    return "$[" + t.lo + ", " + t.hi + "]$";
  case CellText::value:
    return "$" + t.v + "$";
  case CellText::symmetric:
    return "$" + t.v + " \\pm " + t.plus + "$";
  case CellText::asymmetric:
    return "$" + t.v + "^{+" + t.plus + "}_{-" + t.minus + "}$";
  case CellText::outside:
    return "$" + t.v + "$ $[" + t.lo + ", " + t.hi + "]$";
  }
  return "--";
}

std::string plain_cell(const TableCell& c, int decimals) {
  if (c.text)
    return *c.text;
  const CellText t = cell_text(c, decimals);
  switch (t.kind) {
  case CellText::na:
    return "--";
  case CellText::range:
    return "[" + t.lo + ", " + t.hi + "]";
  case CellText::value:
    return t.v;
  case CellText::symmetric:
    return t.v + " ± " + t.plus;
  case CellText::asymmetric:
    return t.v + " +" + t.plus + "/−" + t.minus;
  case CellText::outside:
    return t.v + " [" + t.lo + ", " + t.hi + "]";
  }
  return "--";
}

std::string render_latex(const ReportTable& t, const TableOptions& opt,
                         const std::vector<Column>& cols) {
  std::string out;
  for (const std::string& p : t.provenance)
    out += "% " + p + "\n";
  out += "% Needs only \\usepackage{booktabs}; \\input{} this file where the table goes.\n";
  for (const std::string& n : notes_of(t))
    out += "% " + n + "\n";
  const bool wrap = !opt.caption.empty() || !opt.label.empty();
  if (wrap)
    out += "\\begin{table}\n\\centering\n";
  const std::size_t ncols = t.key_names.size() + (t.grouped ? 1 : 0) + t.metrics.size();
  std::string spec(t.key_names.size(), 'l');
  spec += std::string(ncols - t.key_names.size(), 'r');
  out += "\\begin{tabular}{" + spec + "}\n\\toprule\n";
  std::vector<std::string> head;
  for (std::size_t k = 0; k < t.key_names.size(); ++k) {
    const std::string u = latex_unit(t.key_units[k]);
    head.push_back(latex_escape(header_name(t.key_names[k], t.key_units[k])) +
                   (u.empty() ? "" : " (" + u + ")"));
  }
  if (t.grouped)
    head.push_back("$n$");
  for (const TableMetric& m : t.metrics) {
    const std::string u = latex_unit(m.units);
    head.push_back(latex_escape(header_name(m.name, m.units)) + (u.empty() ? "" : " (" + u + ")"));
  }
  out += join(head, " & ") + " \\\\\n\\midrule\n";
  for (const TableRow& r : t.rows) {
    std::vector<std::string> cells;
    for (const std::string& k : r.keys)
      cells.push_back(latex_escape(k));
    if (t.grouped)
      cells.push_back(std::to_string(r.runs));
    for (std::size_t m = 0; m < t.metrics.size(); ++m)
      cells.push_back(latex_cell(r.cells[m], cols[m].decimals));
    out += join(cells, " & ") + " \\\\\n";
  }
  out += "\\bottomrule\n";
  const std::string span = "\\multicolumn{" + std::to_string(ncols) + "}{l}{\\footnotesize ";
  if (any_cell(t, CellText::na, cols))
    out += span + "--: " + kNotAvailable + "} \\\\\n";
  if (any_cell(t, CellText::range, cols))
    out += span + latex_escape(kRangeOnly) + "} \\\\\n";
  out += "\\end{tabular}\n";
  if (wrap) {
    std::string caption = opt.caption;
    for (const std::string& n : notes_of(t))
      caption += (caption.empty() ? "" : " ") + latex_escape(n);
    if (!caption.empty())
      out += "\\caption{" + caption + "}\n";
    if (!opt.label.empty())
      out += "\\label{" + opt.label + "}\n";
    out += "\\end{table}\n";
  }
  return out;
}

std::string md_escape(const std::string& s) { // a pipe would end the cell
  std::string out;
  for (char ch : s)
    out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

std::string render_markdown(const ReportTable& t, const std::vector<Column>& cols) {
  std::string out;
  for (const std::string& p : t.provenance)
    out += "<!-- " + p + " -->\n";
  std::vector<std::string> head, rule;
  for (const std::string& k : t.key_names) {
    head.push_back(md_escape(k));
    rule.push_back("---");
  }
  if (t.grouped) {
    head.push_back("n");
    rule.push_back("---:");
  }
  for (const TableMetric& m : t.metrics) {
    head.push_back(md_escape(m.name) +
                   (m.units.empty() || m.units == "1" ? "" : " (" + md_escape(m.units) + ")"));
    rule.push_back(m.units.empty() ? "---" : "---:");
  }
  out += "| " + join(head, " | ") + " |\n|" + join(rule, "|") + "|\n";
  for (const TableRow& r : t.rows) {
    std::vector<std::string> cells;
    for (const std::string& k : r.keys)
      cells.push_back(md_escape(k));
    if (t.grouped)
      cells.push_back(std::to_string(r.runs));
    for (std::size_t m = 0; m < t.metrics.size(); ++m)
      cells.push_back(md_escape(plain_cell(r.cells[m], cols[m].decimals)));
    out += "| " + join(cells, " | ") + " |\n";
  }
  std::vector<std::string> notes = notes_of(t);
  if (any_cell(t, CellText::na, cols))
    notes.push_back(std::string("--: ") + kNotAvailable + ".");
  if (any_cell(t, CellText::range, cols))
    notes.push_back(std::string(kRangeOnly) + ".");
  if (!notes.empty())
    out += "\n" + join(notes, "\n") + "\n";
  return out;
}

std::string csv_field(const std::string& s) { // RFC 4180 quoting
  if (s.find_first_of(",\"\n\r") == std::string::npos)
    return s;
  std::string out = "\"";
  for (char ch : s)
    out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// CSV keeps full precision (%.17g round trip) and the UDUNITS spelling in the header,
// "name (units)", so a spreadsheet or pandas reads one header row; bounds get their own columns.
std::string render_csv(const ReportTable& t, const std::vector<Column>& cols) {
  std::vector<std::string> head;
  for (const std::string& k : t.key_names)
    head.push_back(csv_field(k));
  if (t.grouped)
    head.push_back("n");
  for (std::size_t m = 0; m < t.metrics.size(); ++m) {
    const TableMetric& tm = t.metrics[m];
    const std::string u = tm.units.empty() ? "" : " (" + tm.units + ")";
    head.push_back(csv_field(tm.name + u));
    if (cols[m].has_bounds) {
      head.push_back(csv_field(tm.name + " lower" + u));
      head.push_back(csv_field(tm.name + " upper" + u));
    }
  }
  std::string out = join(head, ",") + "\n";
  for (const TableRow& r : t.rows) {
    std::vector<std::string> cells;
    for (const std::string& k : r.keys)
      cells.push_back(csv_field(k));
    if (t.grouped)
      cells.push_back(std::to_string(r.runs));
    for (std::size_t m = 0; m < t.metrics.size(); ++m) {
      const TableCell& c = r.cells[m];
      cells.push_back(c.text ? csv_field(*c.text) : full_precision(c.value));
      if (cols[m].has_bounds) {
        cells.push_back(full_precision(c.lower ? *c.lower : kNaN));
        cells.push_back(full_precision(c.upper ? *c.upper : kNaN));
      }
    }
    out += join(cells, ",") + "\n";
  }
  return out;
}

} // namespace

int column_decimals(double max_abs, int significant) {
  if (!(max_abs > 0) || !std::isfinite(max_abs))
    return std::clamp(significant - 1, 0, 12);
  const int magnitude = static_cast<int>(std::floor(std::log10(max_abs)));
  return std::clamp(significant - 1 - magnitude, 0, 12);
}

std::string format_fixed(double v, int decimals) {
  if (std::isnan(v))
    return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
    s.erase(0, 1);
  return s;
}

std::string latex_escape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
    case '\\':
      out += "\\textbackslash{}";
      break;
    case '{':
    case '}':
    case '$':
    case '&':
    case '#':
    case '_':
    case '%':
      out += '\\';
      out += ch;
      break;
    case '^':
      out += "\\^{}";
      break;
    case '~':
      out += "\\~{}";
      break;
    default:
      out += ch;
    }
  }
  return out;
}

std::string latex_unit(std::string_view udunits) {
  if (udunits.empty() || udunits == "1")
    return "";
  std::vector<std::string> factors;
  std::size_t i = 0;
  while (i < udunits.size()) {
    while (i < udunits.size() && udunits[i] == ' ')
      ++i;
    std::size_t j = i;
    while (j < udunits.size() && udunits[j] != ' ')
      ++j;
    if (j == i)
      break;
    const std::string_view f = udunits.substr(i, j - i);
    // Split "kW-1" into symbol "kW" and exponent "-1"; the symbol is letters (or %).
    std::size_t e = 0;
    while (e < f.size() && f[e] != '-' && f[e] != '+' && !(f[e] >= '0' && f[e] <= '9'))
      ++e;
    std::string t = latex_escape(f.substr(0, e));
    if (e < f.size()) {
      std::string_view exp = f.substr(e);
      if (exp.front() == '+')
        exp.remove_prefix(1);
      t += "$^{" + std::string(exp) + "}$";
    }
    factors.push_back(t);
    i = j;
  }
  return join(factors, "\\,");
}

std::vector<std::string> default_table_metrics(const ResultSet& rs) {
  std::vector<std::string> out;
  for (const char* m :
       {"energy_kwh", "co2e_operational_kg", "cost_usd", "savings_co2e_pct", "savings_cost_pct"})
    if (report::field_anywhere(rs, m))
      out.push_back(m);
  return out;
}

ReportTable build_table(const ResultSet& rs, const TableOptions& opt) {
  ReportTable t;
  const std::vector<std::size_t> runs = report::select_runs(rs, opt.runs_regex);
  const std::vector<std::string> metrics =
      opt.metrics.empty() ? default_table_metrics(rs) : opt.metrics;
  if (metrics.empty())
    throw UsageError("the result file has none of the default metrics; choose with --metrics "
                     "(fields: " +
                     report::field_names(rs) + ")");
  for (const std::string& m : metrics) {
    const Field* f = report::field_anywhere(rs, m);
    if (f == nullptr)
      throw UsageError("--metrics: the result file has no summary field '" + m +
                       "' (fields: " + report::field_names(rs) + ")");
    TableMetric tm{m, f->units, ""};
    if (opt.bounds && !std::holds_alternative<std::string>(f->value)) {
      std::vector<std::string> what;
      for (const BoundPair& b : kBoundPairs)
        if (m == b.metric && report::field_anywhere(rs, b.lower) &&
            report::field_anywhere(rs, b.upper))
          what.push_back(b.what);
      if (!what.empty())
        tm.bounds = what.size() == 1 ? what.front() : "the union over " + join(what, ", ");
    }
    t.metrics.push_back(tm);
  }
  for (const std::string& g : opt.group_by)
    if (g != "run" && g != "name" && g != "strategy" && g != "status" &&
        report::field_anywhere(rs, g) == nullptr)
      throw UsageError("--group-by: no column '" + g +
                       "' (run, strategy, status or a summary field: " + report::field_names(rs) +
                       ")");

  const std::string version = attribute(rs, "cfsim_version");
  const std::string sha = attribute(rs, "scenario_sha256");
  const std::string scenario = attribute(rs, "scenario_name");
  t.provenance.push_back("cfsim " + std::string(CFSIM_VERSION) + " table of " +
                         (opt.source.empty() ? std::string("a result file") : opt.source) + ", " +
                         std::to_string(runs.size()) + " runs");
  t.provenance.push_back(
      "results: cfsim " + (version.empty() ? std::string("(version not recorded)") : version) +
      ", scenario " + (scenario.empty() ? std::string("(name not recorded)") : scenario) +
      ", scenario sha256 " + (sha.empty() ? std::string("(not recorded)") : sha));

  if (opt.group_by.empty()) {
    t.key_names = {"run"};
    t.key_units = {""};
    for (std::size_t i : runs) {
      TableRow row;
      row.keys = {rs.runs[i].name};
      for (const TableMetric& m : t.metrics)
        row.cells.push_back(run_cell(rs.runs[i], m.name, !m.bounds.empty()));
      t.rows.push_back(std::move(row));
    }
    return t;
  }
  t.grouped = true;
  t.key_names = opt.group_by;
  for (const std::string& g : opt.group_by) {
    const Field* f = report::field_anywhere(rs, g);
    t.key_units.push_back(f == nullptr ? std::string() : f->units);
  }
  std::vector<std::pair<std::vector<std::string>, std::vector<std::size_t>>> groups;
  for (std::size_t i : runs) {
    std::vector<std::string> key;
    for (const std::string& g : opt.group_by)
      key.push_back(key_of(rs.runs[i], g));
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& grp) { return grp.first == key; });
    if (it == groups.end())
      groups.push_back({key, {i}});
    else
      it->second.push_back(i);
  }
  for (const auto& [key, members] : groups) {
    TableRow row;
    row.keys = key;
    row.runs = members.size();
    for (const TableMetric& m : t.metrics)
      row.cells.push_back(group_cell(rs, members, m.name, opt.bounds, "(" + join(key, ", ") + ")"));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string render_table(const ReportTable& t, const TableOptions& opt) {
  std::vector<Column> cols;
  for (std::size_t m = 0; m < t.metrics.size(); ++m)
    cols.push_back(column_of(t, m, opt.significant));
  switch (opt.format) {
  case TableFormat::latex:
    return render_latex(t, opt, cols);
  case TableFormat::markdown:
    return render_markdown(t, cols);
  case TableFormat::csv:
    return render_csv(t, cols);
  }
  return {};
}

} // namespace cfsim
