// The `pareto` figure: cost against operational CO2e, one point per run, with the Pareto front
// (the runs no other comparable run beats on both) drawn as a staircase (DESIGN §10).
//
// Which totals: a run's strategy decides one workload (its `kind`), the other workload of the
// same run follows its baseline. The run is therefore placed by the workload it decides
// (fleet_cost_usd / fleet_co2e_kg for fleet runs, jobs_cost_usd / jobs_co2e_kg for job runs),
// and fleet and job runs get separate panels: their totals measure different things and a front
// across them would be meaningless.
//
// Which runs are compared: the front is determined among the complete runs of the same kind,
// scenario and seed. Runs of different seeds replay a different trace, forecast noise and
// generated jobs (docs/sweeps.md), so a run of seed 1 "beating" one of seed 2 says nothing about
// the strategies; a multi-seed sweep therefore shows one front per seed. Runs with incomplete
// intensity data (complete = 0) have no central CO2e (their stored value is the known part only,
// methodology §4): they are drawn as their lower–upper range and take no part in any front.
#include "plot/figure.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct ParetoRow {
  std::string kind, strategy, label, run, group;
  bool baseline = false, complete = true, front = false;
  double cost_usd = kNaN, co2e_kg = kNaN, co2e_lower_kg = kNaN, co2e_upper_kg = kNaN;
  // A point only where the run is complete; an incomplete run is its range (No-Fallback).
  double point_kg() const { return complete ? co2e_kg : kNaN; }
  bool in_front_race() const {
    return complete && std::isfinite(cost_usd) && std::isfinite(co2e_kg);
  }
};

// The seed part of a run name ("scenario/label/params/seed=3" → "seed=3"), empty if none.
std::string seed_part(const std::string& run) {
  const std::size_t slash = run.rfind('/');
  const std::string last = slash == std::string::npos ? run : run.substr(slash + 1);
  return last.rfind("seed=", 0) == 0 ? last : std::string();
}

// b dominates a: no worse on both axes and strictly better on one.
bool dominates(const ParetoRow& b, const ParetoRow& a) {
  return b.cost_usd <= a.cost_usd && b.co2e_kg <= a.co2e_kg &&
         (b.cost_usd < a.cost_usd || b.co2e_kg < a.co2e_kg);
}

struct Range {
  double lo = kNaN, hi = kNaN;
  void add(double v) {
    if (!std::isfinite(v))
      return;
    lo = std::isnan(lo) ? v : std::min(lo, v);
    hi = std::isnan(hi) ? v : std::max(hi, v);
  }
  // Padded so points and labels stay off the border; a single value gets a small span rather
  // than an empty range (which gnuplot would reject with a warning).
  std::pair<double, double> padded(double share) const {
    const double span = hi - lo;
    const double pad = span > 0 ? share * span : std::max(0.01 * std::fabs(lo), 1e-9);
    return {lo - pad, hi + pad};
  }
};

struct Panel {
  std::string kind;
  Range x, y;
  std::size_t runs = 0;
  bool labelled = false; // variants of one strategy (e.g. cost_carbon alphas) carry their label
};

// The LaTeX spelling of text from the data, as a .dat text column (the style's tex_safe()
// cannot serve `with labels`: gnuplot reads backslash escapes in double-quoted data text, and
// a label computed by an expression loses its backslashes once more). Each backslash is doubled
// so gnuplot reads back "alpha\_0"; the script takes the column by number for fmt tex.
std::string tex_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$' || c == '{' || c == '}')
      out += std::string("\\") + c;
    else if (c == '^')
      out += "\\^{}";
    else if (c == '~')
      out += "\\~{}";
    else if (c == '\\')
      out += "\\textbackslash{}";
    else
      out += c;
  }
  std::string doubled;
  for (char c : out)
    doubled += c == '\\' ? std::string("\\\\") : std::string(1, c);
  return doubled;
}

// What a panel shows, written above it.
std::string panel_title(const std::string& kind) {
  return kind == "fleet" ? "Fleet runs: the fleet's cost and CO_2e"
                         : "Batch-job runs: the jobs' cost and CO_2e";
}

// Axis tics chosen here rather than by gnuplot: its automatic tics crowd and overlap when a
// small range sits at a large value (job costs that differ by cents). `cm_per_char` and the
// room are for 8 pt text; the x axis gets as many labels as fit a one-column panel.
struct Tics {
  double step = 1;
  int decimals = 0;
  std::size_t chars = 1; // the widest tic label
};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

Tics choose_tics(double lo, double hi, double room_cm, int most) {
  constexpr double cm_per_char = 0.19, gap_cm = 0.45;
  Tics t;
  for (int n = most; n >= 2; --n) {
    t.step = nice_step(hi - lo, n);
    t.decimals = t.step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(t.step) - 1e-9));
    t.chars = std::max(fixed(lo, t.decimals).size(), fixed(hi, t.decimals).size());
    const double labels = std::floor((hi - lo) / t.step) + 1;
    if (labels * (cm_per_char * static_cast<double>(t.chars) + gap_cm) <= room_cm)
      break;
  }
  return t;
}

} // namespace

Figure make_pareto(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  std::vector<ParetoRow> rows;
  std::vector<std::string> skipped;
  for (const RunResult& run : rs.runs) {
    if (is_error(run)) {
      skipped.push_back(strategy_of(run) + " (" + run_name(run) + ": " + one_line(run.message) +
                        ")");
      continue;
    }
    ParetoRow r;
    r.kind = text(run, "kind");
    if (r.kind != "fleet" && r.kind != "jobs") {
      skipped.push_back(run_name(run) + " (unknown kind '" + r.kind + "')");
      continue;
    }
    r.strategy = strategy_of(run);
    r.label = text(run, "label");
    if (r.label.empty())
      r.label = r.strategy;
    r.run = run_name(run);
    r.group = seed_part(r.run);
    const std::string scenario = text(run, "scenario");
    if (!scenario.empty())
      r.group = scenario + (r.group.empty() ? "" : " " + r.group);
    r.baseline = is_baseline(run);
    r.complete = field_number(run, "complete") != 0.0; // absent counts as complete
    r.cost_usd = field_number(run, r.kind + "_cost_usd");
    r.co2e_kg = field_number(run, r.kind + "_co2e_kg");
    r.co2e_lower_kg = field_number(run, r.kind + "_co2e_lower_kg");
    r.co2e_upper_kg = field_number(run, r.kind + "_co2e_upper_kg");
    rows.push_back(std::move(r));
  }
  for (ParetoRow& a : rows) {
    if (!a.in_front_race())
      continue;
    a.front = std::none_of(rows.begin(), rows.end(), [&](const ParetoRow& b) {
      return b.in_front_race() && b.kind == a.kind && b.group == a.group && dominates(b, a);
    });
  }

  std::vector<Panel> panels;
  for (const char* kind : {"fleet", "jobs"}) {
    Panel p;
    p.kind = kind;
    std::vector<std::string> strategies, labels;
    for (const ParetoRow& r : rows) {
      if (r.kind != p.kind || !std::isfinite(r.cost_usd))
        continue;
      if (!std::isfinite(r.point_kg()) &&
          !(std::isfinite(r.co2e_lower_kg) && std::isfinite(r.co2e_upper_kg)))
        continue; // nothing drawable: no point and no finite range
      ++p.runs;
      p.x.add(r.cost_usd);
      p.y.add(r.point_kg());
      if (!r.complete) {
        p.y.add(r.co2e_lower_kg);
        p.y.add(r.co2e_upper_kg);
      }
      if (std::find(labels.begin(), labels.end(), r.label) == labels.end())
        labels.push_back(r.label);
      if (std::find(strategies.begin(), strategies.end(), r.strategy) == strategies.end())
        strategies.push_back(r.strategy);
    }
    // Label points only when the key cannot tell them apart (several labels of one strategy)
    // and there are few enough not to bury the points.
    p.labelled = labels.size() > strategies.size() && p.runs <= 10;
    if (p.runs > 0)
      panels.push_back(p);
  }
  std::vector<ParetoRow> front;
  for (const ParetoRow& r : rows)
    if (r.front)
      front.push_back(r);
  std::sort(front.begin(), front.end(), [](const ParetoRow& a, const ParetoRow& b) {
    if (a.kind != b.kind)
      return a.kind < b.kind;
    if (a.group != b.group)
      return a.group < b.group;
    if (a.cost_usd != b.cost_usd)
      return a.cost_usd < b.cost_usd;
    return a.co2e_kg != b.co2e_kg ? a.co2e_kg > b.co2e_kg : a.run < b.run;
  });
  std::vector<std::string> groups;
  for (const ParetoRow& r : rows)
    if (std::find(groups.begin(), groups.end(), r.kind + "|" + r.group) == groups.end())
      groups.push_back(r.kind + "|" + r.group);
  const bool per_seed = groups.size() > panels.size();

  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'pareto': cost against operational CO2e, one row per run, and the Pareto\n"
         "# front: the complete runs that no other complete run of the same kind, scenario and\n"
         "# seed matches or beats on both cost and CO2e (strictly better on one).\n"
         "# Totals: a run is placed by the workload its strategy decides (column 1, the run's\n"
         "# `kind`): fleet runs by fleet_cost_usd / fleet_co2e_kg, job runs by jobs_cost_usd /\n"
         "# jobs_co2e_kg. The other workload of a run follows its baseline and is left out;\n"
         "# fleet and job totals measure different things, so each kind has its own panel.\n"
         "# Seeds: runs of different seeds replay different traces and jobs, so each seed has\n"
         "# its own front (column 13 names the comparison group).\n"
         "# Incomplete runs (complete = 0): the stored CO2e is the known part only; they are\n"
         "# drawn as their lower..upper range (columns 9-10) and excluded from the front.\n"
      << ctx.source;
  dat << "# skipped runs (status=error or no workload kind): "
      << (skipped.empty() ? "none" : join(skipped, "; ")) << "\n";
  dat << "# index 0: one row per run. Columns:\n"
         "#  1 kind            workload the strategy decides: fleet or jobs (text)\n"
         "#  2 strategy        strategy name (text; picks colour and point in style.gp)\n"
         "#  3 label           the strategy's label in the scenario (text)\n"
         "#  4 run             run name (text)\n"
         "#  5 is_baseline     1 for the baseline run of its kind (1)\n"
         "#  6 complete        1 if the run's intensity data were complete, else 0 (1)\n"
         "#  7 cost_usd        cost of the workload, <kind>_cost_usd (USD)\n"
         "#  8 co2e_kg         operational CO2e of the workload, <kind>_co2e_kg; for an\n"
         "#                    incomplete run the known part only (kg)\n"
         "#  9 co2e_lower_kg   lower bound given missing intensity, <kind>_co2e_lower_kg (kg)\n"
         "# 10 co2e_upper_kg   upper bound given missing intensity, <kind>_co2e_upper_kg (kg)\n"
         "# 11 point_co2e_kg   the point drawn: column 8 if complete, else NaN (kg)\n"
         "# 12 on_front        1 if the run is on the Pareto front of its group (1)\n"
         "# 13 group           comparison group: scenario and seed (text)\n"
         "# 14 label_tex       column 3 with LaTeX specials escaped for fmt tex, backslashes\n"
         "#                    doubled (gnuplot reads escapes in quoted data text) (text)\n"
         "# index 1 (after two blank lines): the front, one block per kind and group, sorted by\n"
         "# cost: 1 kind, 2 group, 3 cost_usd (USD), 4 co2e_kg (kg), 5 run (text)\n";
  for (const ParetoRow& r : rows)
    dat << dat_text(r.kind) << ' ' << dat_text(r.strategy) << ' ' << dat_text(r.label) << ' '
        << dat_text(r.run) << ' ' << (r.baseline ? 1 : 0) << ' ' << (r.complete ? 1 : 0) << ' '
        << num(r.cost_usd) << ' ' << num(r.co2e_kg) << ' ' << num(r.co2e_lower_kg) << ' '
        << num(r.co2e_upper_kg) << ' ' << num(r.point_kg()) << ' ' << (r.front ? 1 : 0) << ' '
        << dat_text(r.group) << ' ' << dat_text(tex_escape(r.label)) << '\n';
  if (!front.empty()) {
    dat << "\n\n# index 1: the Pareto front\n";
    for (std::size_t i = 0; i < front.size(); ++i) {
      const ParetoRow& r = front[i];
      if (i > 0 && (r.kind != front[i - 1].kind || r.group != front[i - 1].group))
        dat << '\n'; // a blank line ends one staircase
      dat << dat_text(r.kind) << ' ' << dat_text(r.group) << ' ' << num(r.cost_usd) << ' '
          << num(r.co2e_kg) << ' ' << dat_text(r.run) << '\n';
    }
  }
  Figure fig;
  fig.dat = dat.str();
  if (panels.empty()) {
    fig.body = message_body("No run with a cost and a CO2e value (or range) to place:\n"
                            "every run failed or lacks the totals of its workload.");
    return fig;
  }

  // Key: every strategy drawn, then the marks.
  std::vector<std::string> strategies;
  bool any_baseline = false, any_incomplete = false;
  for (const ParetoRow& r : rows) {
    const bool drawn = std::any_of(panels.begin(), panels.end(),
                                   [&](const Panel& p) { return p.kind == r.kind; }) &&
                       std::isfinite(r.cost_usd);
    if (!drawn)
      continue;
    if (std::find(strategies.begin(), strategies.end(), r.strategy) == strategies.end())
      strategies.push_back(r.strategy);
    any_baseline = any_baseline || r.baseline;
    any_incomplete = any_incomplete || !r.complete;
  }
  // The key is drawn by hand (labels with a point, arrows) in a grid above the panels: gnuplot's
  // own key in a multiplot sizes its columns by the plot it belongs to, not the figure.
  std::vector<std::string> key; // gnuplot commands, `KEY_I` standing for the entry's index
  std::size_t longest = 0;
  for (const std::string& st : strategies) {
    longest = std::max(longest, st.size());
    key.push_back("set label LABEL_A \"\" at screen key_x(KEY_I) + sym_dx, screen key_y(KEY_I) "
                  "point pt strategy_point(" +
                  gp_dq(st) + ") ps 0.9 lc rgb rgb(strategy_color(" + gp_dq(st) +
                  "))\nset label LABEL_B " + label(st) +
                  " at screen key_x(KEY_I) + txt_dx, screen key_y(KEY_I) left noenhanced");
  }
  if (any_baseline)
    key.push_back("set label LABEL_A \"\" at screen key_x(KEY_I) + sym_dx, screen key_y(KEY_I) "
                  "point pt 6 ps 1.8 lc rgb \"black\"\nset label LABEL_B " +
                  label("baseline") + " at screen key_x(KEY_I) + txt_dx, screen key_y(KEY_I) left");
  if (!front.empty())
    key.push_back("set arrow 1 from screen key_x(KEY_I) + 0.02 / fig_w, screen key_y(KEY_I) to "
                  "screen key_x(KEY_I) + 0.4 / fig_w, screen key_y(KEY_I) nohead lw 1.2 lc rgb "
                  "rgb(col_neutral)\nset label LABEL_B " +
                  label("Pareto front") +
                  " at screen key_x(KEY_I) + txt_dx, screen key_y(KEY_I) left");
  if (any_incomplete)
    key.push_back("set arrow 2 from screen key_x(KEY_I) + sym_dx, screen key_y(KEY_I) - 0.15 / "
                  "fig_h to screen key_x(KEY_I) + sym_dx, screen key_y(KEY_I) + 0.15 / fig_h "
                  "heads size screen 0.006, 90 lw 1.2 lc rgb rgb(col_neutral)\nset label "
                  "LABEL_B " +
                  label("incomplete: range") +
                  " at screen key_x(KEY_I) + txt_dx, screen key_y(KEY_I) left");
  longest = std::max<std::size_t>({longest, std::size_t{8}, std::size_t{front.empty() ? 0U : 12U},
                                   std::size_t{any_incomplete ? 17U : 0U}}); // the marks' texts
  const std::size_t n_keys = key.size();

  std::vector<std::string> notes;
  if (any_incomplete)
    notes.push_back("incomplete intensity data (complete = 0): lower-upper CO2e range, "
                    "not part of the front");
  if (per_seed)
    notes.push_back("one front per seed (seeds differ in trace and jobs)");
  if (!skipped.empty()) {
    std::vector<std::string> names;
    for (const RunResult& run : rs.runs)
      if (is_error(run))
        names.push_back(strategy_of(run));
    if (!names.empty())
      notes.push_back("not shown (run failed): " + join(names, ", "));
  }

  // Two panels stack in one column; side by side when the figure is wide (--width 2col).
  fig.width_cm = 8.5;
  fig.height_cm = panels.size() > 1 ? 11.0 : 7.0;
  fig.height_cm += 0.28 * static_cast<double>(notes.size());

  // Tics per panel, and one left margin for all (stacked panels line up): the y label's two
  // lines plus the widest y tic label.
  std::vector<std::pair<Tics, Tics>> tics;
  std::size_t y_chars = 1;
  for (const Panel& pan : panels) {
    const auto [x_lo, x_hi] = pan.x.padded(0.08);
    const auto [y_lo, y_hi] = pan.y.padded(0.1);
    tics.emplace_back(choose_tics(x_lo, x_hi, 6.0, 6), choose_tics(y_lo, y_hi, 1e9, 5));
    y_chars = std::max(y_chars, tics.back().second.chars);
  }
  const double left_cm = 1.45 + 0.19 * static_cast<double>(y_chars);

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- pareto -----------------------------------------------------------------------\n"
        "# One panel per workload kind: x = cost (USD), y = operational CO2e (kg) of the workload\n"
        "# the run's strategy decides. Points: strategy colour and shape (style.gp); ring: the\n"
        "# baseline run; staircase: the Pareto front of each group (.dat index 1); vertical bar:\n"
        "# an incomplete run's CO2e range. Panels stack, or stand side by side when fig_w is\n"
        "# more than 1.5 x fig_h.\n"
     << "n_panels = " << panels.size() << "\n"
     << "n_keys = " << n_keys << "\n"
     << "key_entry_cm = " << num(0.8 + 0.19 * static_cast<double>(longest))
     << "   # width of one key entry (symbol + text at 8 pt)\n"
     << "n_notes = " << notes.size() << "\n"
     << "side = (n_panels > 1 && fig_w > 1.5 * fig_h)\n"
        "key_cols = int((fig_w - 0.25) / key_entry_cm)\n"
        "key_cols = key_cols < 1 ? 1 : key_cols\n"
        "key_rows = int((n_keys + key_cols - 1) / key_cols)\n"
        "top_cm = 0.2 + 0.42 * key_rows      # the key above the panels\n"
        "key_x(i) = (0.25 + (i % key_cols) * key_entry_cm) / fig_w\n"
        "key_y(i) = 1 - (0.3 + int(i / key_cols) * 0.42) / fig_h\n"
        "sym_dx = 0.2 / fig_w; txt_dx = 0.5 / fig_w   # symbol centre, text start\n"
        "notes_cm = 0.45 + 0.28 * n_notes     # footnotes and the provenance line\n"
     << "left_cm = " << num(left_cm)
     << "; right_cm = 0.45; xlab_cm = 1.05; title_cm = 0.55\n"
        "panel_w = side ? fig_w / n_panels : fig_w\n"
        "panel_h = side ? fig_h - top_cm - notes_cm : (fig_h - top_cm - notes_cm) / n_panels\n"
        "panel_x(p) = side ? p * panel_w : 0\n"
        "panel_y(p) = side ? notes_cm : notes_cm + (n_panels - 1 - p) * panel_h\n"
        "panel(p) = sprintf(\"set lmargin at screen %g; set rmargin at screen %g; \" . \\\n"
        "  \"set bmargin at screen %g; set tmargin at screen %g\", \\\n"
        "  (panel_x(p) + left_cm) / fig_w, (panel_x(p) + panel_w - right_cm) / fig_w, \\\n"
        "  (panel_y(p) + xlab_cm) / fig_h, (panel_y(p) + panel_h - title_cm) / fig_h)\n"
        "# The panel's title, above its top left corner.\n"
        "title_x(p) = (panel_x(p) + 0.15) / fig_w\n"
        "title_y(p) = (panel_y(p) + panel_h - 0.2) / fig_h\n"
        "unset key\n";
  for (std::size_t i = 0; i < key.size(); ++i) {
    std::string entry = key[i];
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"KEY_I", std::to_string(i)},
                                   {"LABEL_A", std::to_string(100 + 2 * i)},
                                   {"LABEL_B", std::to_string(101 + 2 * i)}})
      for (std::size_t at = entry.find(from); at != std::string::npos; at = entry.find(from))
        entry.replace(at, from.size(), to);
    gp << entry << "\n";
  }
  gp << "set multiplot\n";
  for (std::size_t i = 0; i < notes.size(); ++i)
    gp << "set label " << 90 + i << " " << label(notes[i])
       << " at screen 0.01, screen (0.45 + 0.28 * " << (notes.size() - 1 - i)
       << ") / fig_h left font note_font tc rgb rgb(col_note) noenhanced\n";

  for (std::size_t p = 0; p < panels.size(); ++p) {
    const Panel& pan = panels[p];
    const auto [x_lo, x_hi] = pan.x.padded(0.08);
    const auto [y_lo, y_hi] = pan.y.padded(0.1);
    const std::string k = "strcol(1) eq " + gp_dq(pan.kind);
    const auto& [xt, yt] = tics[p];
    std::string title_tex = panel_title(pan.kind);
    title_tex.replace(title_tex.find("CO_2e"), 5, "CO$_2$e");
    gp << "\n# Panel " << p + 1 << ": " << pan.kind << " runs\n"
       << "eval panel(" << p << ")\n"
       << "set label 80 " << label(panel_title(pan.kind), title_tex) << " at screen title_x(" << p
       << "), screen title_y(" << p << ") left\n"
       << "set xrange [" << num(x_lo) << ":" << num(x_hi) << "]\n"
       << "set yrange [" << num(y_lo) << ":" << num(y_hi) << "]\n"
       << "set xtics " << num(xt.step) << " nomirror\n"
       << "set format x \"%." << xt.decimals << "f\"\n"
       << "set ytics " << num(yt.step) << "\n"
       << "set format y \"%." << yt.decimals << "f\"\n"
       << "x_mid = " << num(0.5 * (x_lo + x_hi)) << "\n"
       << "label_col = fmt eq \"tex\" ? 14 : 3   # point labels: LaTeX spelling for tex\n"
       << "set xlabel " << label("Cost (USD)") << " offset 0, 0.3\n"
       << "set ylabel " << label("Operational\nCO_2e (kg)", "Operational\nCO$_2$e (kg)")
       << " offset -1.3, 0\n"
       << "plot \\\n";
    std::vector<std::string> parts;
    if (!front.empty())
      parts.push_back("  dat index 1 using (" + k +
                      " ? $3 : NaN):4 with steps lw 1.2 lc rgb rgb(col_neutral) notitle");
    parts.push_back(
        "  dat index 0 using (" + k +
        " && $6 == 0 ? $7 : NaN):9:(0):($10 - $9):(strategy_color(strcol(2))) \\\n"
        "      with vectors heads size screen 0.006, 90 lw 1.2 lc rgb variable notitle");
    parts.push_back("  dat index 0 using (" + k +
                    " && $5 == 1 ? $7 : NaN):11 with points pt 6 ps 1.8 lw 1.2 lc rgb \"black\" "
                    "notitle");
    parts.push_back("  dat index 0 using (" + k +
                    " ? $7 : NaN):11:(strategy_point(strcol(2))):(strategy_color(strcol(2))) \\\n"
                    "      with points ps 0.9 pt variable lc rgb variable notitle");
    if (pan.labelled) {
      // Labels point away from the nearer side, so they stay inside the plot.
      parts.push_back("  dat index 0 using (" + k +
                      " && $7 <= x_mid ? $7 : NaN):(column(11) == column(11) ? $11 : $10):"
                      "label_col \\\n"
                      "      with labels left offset 0.8, 0.35 font note_font noenhanced notitle");
      parts.push_back("  dat index 0 using (" + k +
                      " && $7 > x_mid ? $7 : NaN):(column(11) == column(11) ? $11 : $10):"
                      "label_col \\\n"
                      "      with labels right offset -0.8, 0.35 font note_font noenhanced "
                      "notitle");
    }
    // Key, footnotes, provenance and title are drawn once, with the first panel.
    gp << join(parts, ", \\\n") << "\n"
       << "unset label; unset arrow\n";
  }
  gp << "unset multiplot\n";
  fig.body = gp.str();
  return fig;
}

} // namespace cfsim::figures
