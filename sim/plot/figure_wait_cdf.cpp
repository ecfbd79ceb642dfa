// The `wait_cdf` figure: how long the jobs of each job-placement run waited (start − arrival),
// as the empirical distribution function (ECDF) of JobRecord::wait_h, one step line per strategy.
//
// Design choices (docs/figures.md):
// - Only runs of kind "jobs" are drawn. A fleet run also places the batch jobs, but it places
//   them the way the jobs baseline does, so its ECDF would repeat the baseline's line.
// - Runs that differ only in their seed (the replicates of one sweep point) are pooled: one
//   ECDF over all their jobs, so a line says "of all jobs this strategy placed at this point,
//   which share waited at most x". Distinct sweep points (the run's `param_*` values, e.g. the
//   allowed wait itself) get a panel each, because waiting times under different allowed waits
//   do not belong on one curve. More than kMaxPanels points would make unreadable panels; the
//   figure then pools every point per strategy and says so.
// - The .dat holds the ECDF steps (each distinct wait with the number of jobs waiting at most
//   that long), not one row per job, so it stays small for large sweeps; the steps reproduce the
//   stored waits exactly.
// - The allowed wait (scenario `jobs.max_wait_h`, or the swept `param_max_wait_h`) is drawn as
//   a dotted vertical line; deadline misses are counted in the line's key entry.
#include "plot/figure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxPanels = 6;

// The jobs of one strategy at one sweep point, pooled over the runs (seeds) that share both.
struct WaitGroup {
  std::string strategy, label, point; // point: the sweep point, e.g. "max_wait_h=12"; "" if none
  std::size_t panel = 0;
  std::vector<std::size_t> runs; // indices into ResultSet::runs (= rows of /run)
  std::vector<double> waits_h;   // the known waits, sorted
  std::int64_t unknown = 0;      // jobs whose wait_h is NaN (not drawn, counted)
  std::int64_t misses = 0;       // jobs with deadline_missed
  double max_wait_h = kNaN;      // allowed wait; NaN if unknown or not the same for every run
  bool max_wait_mixed = false;
};

// The sweep point of a run: its `param_*` summary fields as "name=value", in field order.
std::string sweep_point(const RunResult& run) {
  std::vector<std::string> parts;
  for (const Field& f : run.summary) {
    if (f.name.rfind("param_", 0) != 0)
      continue;
    std::string v;
    if (const auto* d = std::get_if<double>(&f.value))
      v = num(*d);
    else if (const auto* i = std::get_if<std::int64_t>(&f.value))
      v = std::to_string(*i);
    else
      v = std::get<std::string>(f.value);
    parts.push_back(f.name.substr(6) + "=" + v);
  }
  return join(parts, ",");
}

// The scenario's allowed wait `jobs.max_wait_h` from the resolved scenario JSON that `cfsim run`
// stores (`scenario_json`) or the scenario text a sweep stores (`scenario_text`); NaN if neither
// holds it. For a sweep this is the value before the sweep overrides it.
double scenario_max_wait_h(const ResultSet& rs) {
  for (const char* key : {"scenario_json", "scenario_text"}) {
    const std::string text = attribute(rs, key);
    if (text.empty())
      continue;
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false, true);
    if (j.is_discarded() || !j.is_object())
      continue;
    const auto jobs = j.find("jobs");
    if (jobs == j.end() || !jobs->is_object())
      continue;
    const auto w = jobs->find("max_wait_h");
    if (w != jobs->end() && w->is_number())
      return w->get<double>();
  }
  return kNaN;
}

// The allowed wait of one run: a swept value wins over the scenario's (sweep axis names follow
// docs/sweeps.md: the pointer's last segment, or more segments where two axes share it).
double run_max_wait_h(const RunResult& run, double scenario_value) {
  for (const char* name : {"param_max_wait_h", "param_jobs.max_wait_h"}) {
    const double v = field_number(run, name);
    if (std::isfinite(v))
      return v;
  }
  return scenario_value;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

} // namespace

Figure make_wait_cdf(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  const double scenario_wait = scenario_max_wait_h(rs);

  // Which runs are drawn, and why the others are not.
  std::vector<std::size_t> drawn;
  std::vector<std::string> fleet_runs, failed, empty;
  for (std::size_t i = 0; i < rs.runs.size(); ++i) {
    const RunResult& run = rs.runs[i];
    const std::string kind = text(run, "kind");
    if (is_error(run))
      failed.push_back(strategy_of(run) + " (" + run_name(run) + ": " + one_line(run.message) +
                       ")");
    else if (kind == "fleet")
      fleet_runs.push_back(run_name(run));
    else if (run.jobs.empty())
      empty.push_back(run_name(run));
    else
      drawn.push_back(i);
  }

  // Sweep points (panels) in first-seen order; pool every point when there are too many.
  std::vector<std::string> points;
  for (std::size_t i : drawn) {
    const std::string p = sweep_point(rs.runs[i]);
    if (std::find(points.begin(), points.end(), p) == points.end())
      points.push_back(p);
  }
  const bool pooled_points = points.size() > kMaxPanels;
  if (pooled_points)
    points = {"all " + std::to_string(points.size()) + " sweep points"};

  std::vector<WaitGroup> groups;
  for (std::size_t i : drawn) {
    const RunResult& run = rs.runs[i];
    const std::string point = pooled_points ? points.front() : sweep_point(run);
    std::string lbl = text(run, "label");
    if (lbl.empty())
      lbl = strategy_of(run);
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const WaitGroup& x) { return x.point == point && x.label == lbl; });
    const double allowed = run_max_wait_h(run, scenario_wait);
    if (g == groups.end()) {
      WaitGroup w;
      w.strategy = strategy_of(run);
      w.label = lbl;
      w.point = point;
      w.panel =
          static_cast<std::size_t>(std::find(points.begin(), points.end(), point) - points.begin());
      w.max_wait_h = allowed;
      groups.push_back(std::move(w));
      g = groups.end() - 1;
    } else if (!(g->max_wait_h == allowed) && !(std::isnan(g->max_wait_h) && std::isnan(allowed))) {
      g->max_wait_mixed = true;
    }
    g->runs.push_back(i);
    for (const JobRecord& j : run.jobs) {
      if (std::isnan(j.wait_h))
        ++g->unknown;
      else
        g->waits_h.push_back(j.wait_h);
      g->misses += j.deadline_missed ? 1 : 0;
    }
  }
  for (WaitGroup& g : groups) {
    std::sort(g.waits_h.begin(), g.waits_h.end());
    if (g.max_wait_mixed)
      g.max_wait_h = kNaN;
  }

  // Each panel's x range: up to the allowed wait or the longest wait, whichever is larger.
  std::vector<double> x_end(points.size(), 0.0), panel_wait(points.size(), kNaN);
  std::vector<bool> panel_seen(points.size(), false), panel_wait_mixed(points.size(), false);
  for (const WaitGroup& g : groups) {
    double& e = x_end[g.panel];
    if (!g.waits_h.empty())
      e = std::max(e, g.waits_h.back());
    if (std::isfinite(g.max_wait_h))
      e = std::max(e, g.max_wait_h);
    // One allowed-wait line per panel, drawn only if every group of the panel has that wait.
    if (!panel_seen[g.panel])
      panel_wait[g.panel] = g.max_wait_h;
    else if (!(panel_wait[g.panel] == g.max_wait_h))
      panel_wait_mixed[g.panel] = true;
    panel_seen[g.panel] = true;
  }
  for (std::size_t p = 0; p < points.size(); ++p) {
    x_end[p] = x_end[p] > 0 ? x_end[p] * 1.06 : 1.0;
    if (panel_wait_mixed[p])
      panel_wait[p] = kNaN;
  }

  Figure fig;
  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'wait_cdf': empirical distribution (ECDF) of the jobs' waiting times\n"
         "# (wait_h = start - arrival, /tables/jobs) per strategy.\n"
      << ctx.source
      << "# Only runs of kind 'jobs' are drawn (a fleet run places its jobs like the jobs "
         "baseline).\n"
         "# Runs that differ only in their seed are pooled: one ECDF over all their jobs. One "
         "panel\n"
         "# per sweep point (the runs' param_* values)"
      << (pooled_points ? "; here there are more than " + std::to_string(kMaxPanels) +
                              " points, so every point is pooled per strategy"
                        : std::string())
      << ".\n";
  dat << "# fleet runs (not drawn): " << (fleet_runs.empty() ? "none" : join(fleet_runs, ", "))
      << "\n";
  dat << "# job runs without jobs (not drawn): " << (empty.empty() ? "none" : join(empty, ", "))
      << "\n";
  dat << "# skipped runs (status=error, no results): "
      << (failed.empty() ? "none" : join(failed, "; ")) << "\n";
  dat << "# allowed wait of the scenario (jobs.max_wait_h): " << num(scenario_wait)
      << " h; a swept param_max_wait_h overrides it\n";
  dat << "# groups (one data block each, in order; gnuplot `index <group>`): strategy, label,\n"
         "# sweep point, the runs pooled (row indices into /run), jobs with a known wait, jobs "
         "with\n"
         "# an unknown (NaN) wait (not drawn), deadline misses, allowed wait (h, NaN if "
         "unknown):\n";
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const WaitGroup& g = groups[k];
    std::vector<std::string> idx, names;
    for (std::size_t r : g.runs) {
      idx.push_back(std::to_string(r));
      names.push_back(run_name(rs.runs[r]));
    }
    dat << "# group " << k << ": strategy " << dat_text(g.strategy) << ", label "
        << dat_text(g.label) << ", point " << dat_text(g.point) << ", runs " << join(idx, ",")
        << ", jobs " << g.waits_h.size() << ", unknown_wait " << g.unknown << ", deadline_misses "
        << g.misses << ", max_wait_h " << num(g.max_wait_h) << "\n"
        << "#   run names: " << one_line(join(names, ", ")) << "\n";
  }
  dat << "# columns:\n"
         "#  1 group     group index (1)\n"
         "#  2 wait_h    waiting time (h)\n"
         "#  3 jobs_le   jobs of the group that waited at most wait_h (1)\n"
         "#  4 share     jobs_le / jobs of the group: the ECDF at wait_h (1)\n"
         "#  5 step      1 = an ECDF step (a distinct stored wait); 0 = drawing aid: the first "
         "row\n"
         "#              (share 0 just before the shortest wait) and the last (the final share\n"
         "#              carried to the panel's right edge)\n";
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const WaitGroup& g = groups[k];
    dat << "\n\n";
    if (g.waits_h.empty())
      continue;
    const double n = static_cast<double>(g.waits_h.size());
    dat << k << ' ' << num(g.waits_h.front()) << " 0 0 0\n";
    for (std::size_t i = 0; i < g.waits_h.size(); ++i) {
      if (i + 1 < g.waits_h.size() && g.waits_h[i + 1] == g.waits_h[i])
        continue;
      dat << k << ' ' << num(g.waits_h[i]) << ' ' << (i + 1) << ' '
          << num(static_cast<double>(i + 1) / n) << " 1\n";
    }
    dat << k << ' ' << num(x_end[g.panel]) << ' ' << g.waits_h.size() << " 1 0\n";
  }
  fig.dat = dat.str();

  const bool any_wait = std::any_of(groups.begin(), groups.end(),
                                    [](const WaitGroup& g) { return !g.waits_h.empty(); });
  if (!any_wait) {
    fig.body = message_body(
        groups.empty() ? std::string("No job placements to draw: no run of kind 'jobs' with jobs\n"
                                     "in this result file (fleet-only scenario, or a sweep\n"
                                     "written without --jobs).")
                       : std::string("No job with a known waiting time in this result file."));
    return fig;
  }

  // Layout: one panel per sweep point, two per row when there are several; the key spans the
  // top, the notes sit at the bottom left above the provenance line.
  const std::size_t n_panels = points.size();
  const std::size_t n_cols = n_panels < 2 ? 1 : 2;
  const std::size_t n_rows = (n_panels + n_cols - 1) / n_cols;
  fig.width_cm = n_panels < 2 ? 8.5 : 17.5;
  fig.height_cm = n_panels < 2 ? 7.0 : 2.2 + 4.6 * static_cast<double>(n_rows);

  // Key entries: one per strategy label (same label = same line style in every panel).
  std::vector<const WaitGroup*> key_groups;
  for (const WaitGroup& g : groups)
    if (std::none_of(key_groups.begin(), key_groups.end(),
                     [&](const WaitGroup* x) { return x->label == g.label; }))
      key_groups.push_back(&g);
  const bool any_allowed =
      std::any_of(panel_wait.begin(), panel_wait.end(), [](double w) { return std::isfinite(w); });
  std::vector<std::string> notes;
  std::size_t max_runs = 1;
  for (const WaitGroup& g : groups)
    max_runs = std::max(max_runs, g.runs.size());
  if (max_runs > 1)
    notes.push_back("each line pools the jobs of up to " + std::to_string(max_runs) +
                    " runs (seeds)" + (pooled_points ? " and all sweep points" : ""));
  else if (pooled_points)
    notes.push_back("each line pools all sweep points");
  if (std::any_of(groups.begin(), groups.end(), [](const WaitGroup& g) { return g.misses > 0; }))
    notes.push_back("missed: jobs that ended after their deadline");
  std::int64_t unknown = 0;
  for (const WaitGroup& g : groups)
    unknown += g.unknown;
  if (unknown > 0)
    notes.push_back(plural(static_cast<std::size_t>(unknown), "job", "jobs") +
                    " with unknown wait not drawn");
  if (!failed.empty()) {
    std::vector<std::string> names;
    for (const RunResult& run : rs.runs)
      if (is_error(run))
        names.push_back(strategy_of(run));
    notes.push_back("not shown (run failed): " + join(names, ", "));
  }
  fig.height_cm += 0.3 * static_cast<double>(notes.size());

  // A key entry: the label, and its deadline misses summed over the panels.
  const auto key_title = [&](const std::string& lbl) {
    std::int64_t misses = 0;
    for (const WaitGroup& o : groups)
      if (o.label == lbl)
        misses += o.misses;
    return lbl + (misses > 0 ? " (" + std::to_string(misses) + " missed)" : "");
  };

  std::size_t longest_title = 12; // "allowed wait"
  for (const WaitGroup* g : key_groups)
    longest_title = std::max(longest_title, key_title(g->label).size());

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- wait_cdf ---------------------------------------------------------------------\n"
        "# One step line per strategy (colour and dash from style.gp): the share of jobs that\n"
        "# waited at most x hours. Data block k of the .dat (`index k`) is group k of its header.\n"
        "# Dotted vertical line: the allowed wait. One panel per sweep point.\n"
     << "n_panels = " << n_panels << "; n_cols = " << n_cols << "; n_rows = " << n_rows << "\n"
     << "n_keys = " << key_groups.size() + (any_allowed ? 1 : 0) << "\n"
     << "n_notes = " << notes.size() << "\n"
     << "key_col_cm = " << num(0.17 * static_cast<double>(longest_title) + 1.3)
     << "   # width of one key column: the longest entry at 8 pt and its sample\n"
     << "key_cols = int(fig_w / key_col_cm) < 1 ? 1 : int(fig_w / key_col_cm)\n"
        "key_rows = int((n_keys + key_cols - 1) / key_cols)\n"
        "top_cm = 0.2 + 0.42 * key_rows   # room for the key above the panels\n"
        "notes_cm = 0.55 + 0.28 * n_notes   # the notes and the provenance line at the bottom\n"
        "xlab_cm = n_panels > 1 ? 0.45 : 0.2   # one x label under all panels (or room below it)\n"
        "foot_cm = notes_cm + xlab_cm\n"
        "panel_w = 1.0 / n_cols\n"
        "panel_h = (1.0 - (top_cm + foot_cm) / fig_h) / n_rows\n"
        "panel_x(p) = (p % n_cols) * panel_w\n"
        "panel_y(p) = 1.0 - top_cm / fig_h - (int(p / n_cols) + 1) * panel_h\n"
        "set multiplot\n"
        "set key at screen 0.5, screen 0.995 center top vertical maxrows key_rows reverse "
        "Left samplen 2.5 width 1 noenhanced\n"
        "# lmargin 8: with less, gnuplot drops a y label that would start left of the canvas\n"
        "set lmargin 8; set rmargin 2; set tmargin "
     << (n_panels > 1 ? "1.8" : "0.6") << "\n"
     << "set yrange [0:104]\n"
        "set ytics 0, 25, 100\n"
        "set grid xtics ytics\n";
  const std::string y_label = label("Jobs with wait ≤ x (%)", "Jobs with wait $\\le x$ (\\%)");
  if (n_panels > 1) // one x and one y label for all panels, drawn once
    gp << "unset xlabel; unset ylabel; set bmargin 2\n"
       << "set label 97 " << label("Waiting time (h)")
       << " at screen 0.5, screen (notes_cm + 0.2) / fig_h center\n"
       << "set label 96 " << y_label
       << " at screen 0.015, screen (foot_cm + (fig_h - top_cm - foot_cm) / 2) / fig_h center "
          "rotate by 90\n";
  else
    gp << "set bmargin 3\nset xlabel " << label("Waiting time (h)") << "\nset ylabel " << y_label
       << "\n";
  if (!notes.empty())
    gp << "set label 98 " << label(join(notes, "\n"))
       << " at screen 0.01, screen (notes_cm - 0.2) / fig_h left font note_font tc rgb "
          "rgb(col_note) noenhanced\n";
  for (std::size_t p = 0; p < n_panels; ++p) {
    gp << "\n# panel " << p << (points[p].empty() ? "" : ": " + one_line(points[p])) << "\n"
       << "set origin panel_x(" << p << "), panel_y(" << p << "); set size panel_w, panel_h\n"
       << "set xrange [" << num(-0.02 * x_end[p]) << ":" << num(x_end[p]) << "]\n"
       << "set xtics 0, (fig_w / n_cols < 6 ? " << num(nice_step(x_end[p], 4)) << " : "
       << num(nice_step(x_end[p], 6)) << ")   # fewer tics in a narrow panel\n";
    if (n_panels > 1)
      gp << "set title tex_safe(" << gp_dq(points[p]) << ") font note_font noenhanced\n";
    if (std::isfinite(panel_wait[p]))
      gp << "set arrow 1 from " << num(panel_wait[p]) << ", graph 0 to " << num(panel_wait[p])
         << ", graph 1 nohead dt 3 lw 1.2 lc rgb rgb(col_neutral) back\n";
    else
      gp << "unset arrow 1\n";
    gp << "plot \\\n";
    std::vector<std::string> clauses;
    if (p == 0 && any_allowed)
      clauses.push_back("  keyentry with lines dt 3 lw 1.2 lc rgb rgb(col_neutral) title " +
                        label("allowed wait"));
    for (std::size_t k = 0; k < groups.size(); ++k) {
      const WaitGroup& g = groups[k];
      if (g.panel != p || g.waits_h.empty())
        continue;
      const std::string s = gp_str(g.strategy);
      std::string clause = "  dat index " + std::to_string(k) +
                           " using 2:(100 * $4) with steps lw 1.5 lc rgb rgb(strategy_color(" + s +
                           ")) dt strategy_dash(" + s + ")";
      // The key (drawn with the first panel) names each label once; deadline misses are
      // counted there, summed over the panels.
      const bool first = key_groups.end() != std::find(key_groups.begin(), key_groups.end(), &g);
      if (p == 0 && first) {
        clause += " title tex_safe(" + gp_dq(key_title(g.label)) + ")";
      } else {
        clause += " notitle";
      }
      clauses.push_back(clause);
    }
    // A label drawn only in later panels must still reach the key, once.
    if (p == 0)
      for (const WaitGroup* kg : key_groups)
        if (kg->panel != 0) {
          const std::string s = gp_str(kg->strategy);
          clauses.push_back("  keyentry with lines lw 1.5 lc rgb rgb(strategy_color(" + s +
                            ")) dt strategy_dash(" + s + ") title tex_safe(" +
                            gp_dq(key_title(kg->label)) + ")");
        }
    if (clauses.empty())
      clauses.push_back("  NaN notitle");
    gp << join(clauses, ", \\\n") << "\n";
    if (p == 0)
      gp << "unset label 96; unset label 97; unset label 98; unset label 99   # drawn once\n";
  }
  gp << "unset multiplot\n";
  fig.body = gp.str();
  return fig;
}

} // namespace cfsim::figures
