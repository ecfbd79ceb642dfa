// The `timeline` figure: grid carbon intensity and one run's schedule over time (UTC).
#include "plot/figure.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <locale>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/time.hpp"

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The run `timeline` draws: the named one, else the first non-baseline ok fleet run, else the
// first non-baseline ok run, else the first ok run.
const RunResult* timeline_run(const ResultSet& rs, const std::string& wanted) {
  if (!wanted.empty()) {
    for (const RunResult& run : rs.runs)
      if (run_name(run) == wanted) {
        if (is_error(run))
          throw UsageError("plot: timeline run '" + wanted + "' failed (status=error: " +
                           one_line(run.message) + "); it has no series to plot");
        return &run;
      }
    std::vector<std::string> names;
    for (const RunResult& run : rs.runs)
      names.push_back(run_name(run));
    if (names.size() > 20) {
      names.resize(20);
      names.emplace_back("...");
    }
    throw UsageError("plot: no run named '" + wanted + "' for the timeline. Valid values are: " +
                     (names.empty() ? std::string("(no runs)") : join(names, ", ")) + ".");
  }
  const auto pick = [&](auto pred) -> const RunResult* {
    for (const RunResult& run : rs.runs)
      if (!is_error(run) && pred(run))
        return &run;
    return nullptr;
  };
  if (auto* r =
          pick([](const RunResult& x) { return !is_baseline(x) && text(x, "kind") == "fleet"; }))
    return r;
  if (auto* r = pick([](const RunResult& x) { return !is_baseline(x); }))
    return r;
  return pick([](const RunResult&) { return true; });
}

} // namespace

Figure make_timeline(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  const TimeGrid& grid = rs.grid;
  const RunResult* run = timeline_run(rs, ctx.opt.timeline_run);
  Figure fig;
  fig.width_cm = 17.5;
  fig.height_cm = 9.0;

  const auto n = static_cast<std::size_t>(std::max<std::int64_t>(grid.n, 0));
  const auto series = [&](std::string_view name) -> std::vector<double> {
    const NamedSeries* s = run == nullptr ? nullptr : find_series(*run, name);
    if (s == nullptr)
      return std::vector<double>(n, kNaN);
    if (s->values.size() != n)
      throw Error(ExitCode::bad_data, "plot: series '" + std::string(name) + "' of run '" +
                                          run_name(*run) + "' has " +
                                          std::to_string(s->values.size()) +
                                          " values but the result grid has " + std::to_string(n));
    return s->values;
  };
  const std::vector<double> ci = series("intensity_g_per_kwh");
  const std::vector<double> fleet = series("fleet_running");
  const std::vector<double> jobs = series("jobs_running_cpus");

  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'timeline': grid carbon intensity and the run's schedule per grid cell.\n"
      << ctx.source;
  dat << "# run: " << (run == nullptr ? "none" : one_line(run_name(*run))) << "\n";
  if (run != nullptr)
    dat << "# strategy: " << strategy_of(*run) << ", kind: " << text(*run, "kind") << "\n";
  dat << "# grid: start " << format_utc(grid.start_s) << ", step " << grid.step_s << " s, " << n
      << " cells; a row is the cell [time, time + step); NaN = unknown (never filled)\n"
         "# columns:\n"
         "#  1 time_utc            cell start, ISO 8601 UTC (text)\n"
         "#  2 time_s              cell start (s since 1970-01-01 00:00:00 UTC)\n"
         "#  3 intensity_g_per_kwh grid carbon intensity (g kW-1 h-1), NaN where missing\n"
         "#  4 intensity_missing   1 where the intensity is unknown, else 0 (1)\n"
         "#  5 fleet_running       fleet instances running, mean over the cell (1)\n"
         "#  6 jobs_running_cpus   vCPUs of batch jobs running, mean over the cell (1)\n";
  bool any_missing = false;
  double fleet_max = 0, jobs_max = 0;
  bool fleet_nonzero = false, jobs_nonzero = false;
  for (std::size_t i = 0; i < n; ++i) {
    const TimeS t = grid.cell_start(static_cast<std::int64_t>(i));
    const bool missing = !std::isfinite(ci[i]);
    any_missing = any_missing || missing;
    if (std::isfinite(fleet[i])) {
      fleet_max = std::max(fleet_max, fleet[i]);
      fleet_nonzero = fleet_nonzero || fleet[i] != 0;
    }
    if (std::isfinite(jobs[i])) {
      jobs_max = std::max(jobs_max, jobs[i]);
      jobs_nonzero = jobs_nonzero || jobs[i] != 0;
    }
    dat << format_utc(t) << ' ' << t << ' ' << num(ci[i]) << ' ' << (missing ? 1 : 0) << ' '
        << num(fleet[i]) << ' ' << num(jobs[i]) << '\n';
  }
  fig.dat = dat.str();

  if (run == nullptr || n == 0) {
    fig.body =
        message_body(run == nullptr ? "No run with results to draw." : "The result grid is empty.");
    return fig;
  }
  const std::string strategy = strategy_of(*run);
  fig.subject = "run " + run_name(*run);

  // Which schedule to draw: the one the run's strategy decides (a fleet run's instances, a job
  // run's vCPUs). The other workload in the same run follows its baseline and would only
  // distract; it stays in the .dat. A run of unknown kind shows whatever is not all zero.
  const std::string kind = text(*run, "kind");
  bool show_fleet = kind == "fleet" || (kind != "jobs" && fleet_nonzero);
  bool show_jobs = kind == "jobs" || (kind != "fleet" && jobs_nonzero);
  if (!show_fleet && !show_jobs) {
    show_fleet = find_series(*run, "fleet_running") != nullptr;
    show_jobs = !show_fleet;
  }
  const bool both = show_fleet && show_jobs;

  const TimeS t0 = grid.start_s, t1 = grid.end_s();
  const TimeTics tics = time_tics(t0, t1);
  const double lm = 0.11, rm = both ? 0.9 : 0.955;
  double ci_max = 0;
  for (double v : ci)
    if (std::isfinite(v))
      ci_max = std::max(ci_max, v);
  const double ci_step = nice_step(ci_max, 5);
  const double ci_top = ci_max > 0 ? ci_max * 1.08 : 1.0;

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- timeline ---------------------------------------------------------------------\n"
        "# Top: grid carbon intensity (a gap = unknown intensity, shaded, never drawn through).\n"
        "# Bottom: the run's schedule. Each .dat row is the grid cell [time, time + step_s):\n"
        "# `steps` draws the cells and the rises between them; the `vectors` layer closes the\n"
        "# last cell and cells before a gap, which `steps` leaves open.\n"
        "strategy = "
     << gp_str(strategy) << "\n"
     << "t0 = " << t0 << "; t1 = " << t1 << "   # x range (s since epoch, UTC)\n"
     << "step_s = " << grid.step_s << "   # grid step (s)\n"
     << "n_cells = " << n << "\n"
     << "c_run = strategy_color(strategy)\n"
        "set xdata time\n"
        "set timefmt \"%s\"\n"
        "set xrange [t0:t1]\n"
        "set xtics t0 + "
     << (tics.first_s - t0) << ", " << tics.inc_s << "\n"
     << "set mxtics " << tics.minor << "\n";
  std::ostringstream dates; // bottom panel only
  dates.imbue(std::locale::classic());
  if (tics.date_under_midnight) {
    dates << "# the date under each midnight (UTC); tic labels show the time of day\n";
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (TimeS t = align_up(t0, 86400, 0); t <= t1; t += 86400) {
      const CivilTime c = to_civil(t);
      char label[16];
      std::snprintf(label, sizeof label, "%02u %s", c.day, kMonths.at(c.month - 1));
      dates << "set label " << gp_str(label) << " at \"" << t
            << "\", graph 0 center offset 0, -2.1 front\n";
    }
  }
  gp << "set multiplot\n"
        "set lmargin at screen "
     << lm << "; set rmargin at screen " << rm
     << "\n"
        "\n"
        "# Top panel: intensity\n"
        "set tmargin at screen 0.92; set bmargin at screen 0.595\n"
        "set format x \"\"\n"
        "set ylabel "
     << label("Carbon intensity\n(g CO_2e kWh^{-1})",
              "Carbon intensity\n(g\\,CO$_2$e\\,kWh$^{-1}$)")
     << "\n"
        "set yrange [0:"
     << num(ci_top)
     << "]\n"
        "set ytics "
     << num(ci_step)
     << "\n"
        "set y2range [0:1]\n"
        "set key at screen "
     << rm
     << ", screen 0.995 right top horizontal\n"
        "plot \\\n"
        "  keyentry with lines lw 1.5 lc rgb rgb(col_neutral) title \"grid intensity\", \\\n";
  if (any_missing)
    gp << "  keyentry with boxes fs solid 1.0 noborder lc rgb rgb(col_gap) "
          "title \"intensity unknown\", \\\n"
          "  dat using 2:4 axes x1y2 with fillsteps fs solid 1.0 noborder lc rgb rgb(col_gap) "
          "notitle, \\\n"
          "  dat every ::n_cells-1 using ($2 + step_s / 2):4:(step_s) axes x1y2 with boxes fs "
          "solid "
          "1.0 noborder lc rgb rgb(col_gap) notitle, \\\n";
  gp << "  dat using 2:3 with steps lw 1.5 lc rgb rgb(col_neutral) notitle, \\\n"
        "  dat using 2:3:(step_s):(0) with vectors nohead lw 1.5 lc rgb rgb(col_neutral) notitle\n"
        "\n"
        "# Bottom panel: schedule\n"
        "unset label 99   # the provenance footnote is already drawn with the top panel\n"
     << dates.str()
     << "set tmargin at screen 0.525; set bmargin at screen 0.215\n"
        "set format x \""
     << tics.format
     << "\"\n"
        "set xlabel \"Time (UTC)\""
     << (tics.date_under_midnight ? " offset 0, -0.9" : "")
     << "\n"
        "set key at screen "
     << rm << ", screen 0.582 right top horizontal maxrows 1\n";
  // The run's own kind is the shaded primary curve on y1; the other kind, if drawn, is a thin
  // line on y2.
  struct Schedule {
    int column;
    double max;
    std::string label, title;
  };
  const Schedule fleet_curve{5, fleet_max, "Running instances", "instances"};
  const Schedule jobs_curve{6, jobs_max, "Running jobs (vCPU)", "job vCPUs"};
  const bool jobs_first = show_jobs && (kind == "jobs" || !show_fleet);
  const Schedule& primary = jobs_first ? jobs_curve : fleet_curve;
  const Schedule& secondary = jobs_first ? fleet_curve : jobs_curve;
  const std::string col = std::to_string(primary.column);
  gp << "set ylabel " << label(primary.label) << "\n"
     << "set yrange [0:" << num(std::max(primary.max, 1.0) * 1.15) << "]\n"
     << "set ytics " << num(count_step(primary.max)) << " nomirror\n";
  if (both)
    gp << "set y2label " << label(secondary.label) << "\n"
       << "set y2range [0:" << num(std::max(secondary.max, 1.0) * 1.15) << "]\n"
       << "set y2tics " << num(count_step(secondary.max)) << " nomirror\n";
  gp << "plot \\\n"
        "  dat using 2:"
     << col
     << " with fillsteps fs solid 1.0 noborder lc rgb lighten(c_run, 0.3) notitle, \\\n"
        "  dat every ::n_cells-1 using ($2 + step_s / 2):"
     << col
     << ":(step_s) with boxes fs solid 1.0 noborder lc rgb lighten(c_run, 0.3) notitle, \\\n"
        "  dat using 2:"
     << col << " with steps lw 1.5 lc rgb c_run title " << label(strategy)
     << " noenhanced, \\\n"
        "  dat using 2:"
     << col << ":(step_s):(0) with vectors nohead lw 1.5 lc rgb c_run notitle";
  if (both) {
    const std::string col2 = std::to_string(secondary.column);
    gp << ", \\\n"
          "  dat using 2:"
       << col2 << " axes x1y2 with steps lw 0.8 lc rgb rgb(col_neutral) title "
       << label(secondary.title + " (right axis)") << " noenhanced, \\\n"
       << "  dat using 2:" << col2
       << ":(step_s):(0) axes x1y2 with vectors nohead lw 0.8 lc rgb rgb(col_neutral) notitle";
  }
  gp << "\nunset multiplot\n";
  fig.body = gp.str();
  return fig;
}

} // namespace cfsim::figures
