// The `methods` figure: cfsim's hourly accounting next to the estimate Cloud Carbon Footprint
// would make for the same placements (50 % utilisation, the region's annual-average grid
// factor; methodology §2), and the difference between the two in percent (DESIGN §10).
//
// Both numbers cover the whole run (fleet and jobs): they are two methods applied to the same
// placements, so unlike costs or savings they are comparable within a run whatever its kind.
// With one run per strategy label each run is a pair of bars. When a label has several runs (a
// sweep, several seeds) the runs of a label are aggregated: bars at the mean, whiskers from the
// smallest to the largest run, and the mean difference with its range, so the figure stays
// readable with hundreds of runs. Missing values stay missing: a run without a CCF factor has
// no CCF bar ("n/a", never 0), and a run with incomplete intensity data (complete = 0) has no
// central hourly value (the stored one is the known part only): its bar shows the lower bound
// with a whisker to the upper bound, and it has no difference. Aggregates are over the runs
// that have the value, and the .dat counts them.
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

// Mean, smallest and largest of the finite values added, and how many there were.
struct Stats {
  double sum = 0, lo = kNaN, hi = kNaN;
  std::size_t n = 0;
  void add(double v) {
    if (!std::isfinite(v))
      return;
    sum += v;
    lo = n == 0 ? v : std::min(lo, v);
    hi = n == 0 ? v : std::max(hi, v);
    ++n;
  }
  double mean() const { return n == 0 ? kNaN : sum / static_cast<double>(n); }
};

struct MethodsGroup {
  std::string strategy, label;
  std::size_t runs = 0;
  Stats hourly; // co2e_operational_kg of the complete runs
  Stats band;   // hourly whisker: complete runs' values, incomplete runs' lower and upper
  Stats ccf;    // co2e_ccf_estimate_kg
  Stats diff;   // co2e_ccf_difference_pct
  std::vector<std::string> run_names;
};

// A difference as the figure labels it: one decimal below 10 %, whole numbers above.
std::string pct_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::fabs(v) < 9.95 ? "%+.1f" : "%+.0f", v);
  return buf;
}

} // namespace

Figure make_methods(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  std::vector<const RunResult*> ok;
  std::vector<std::string> skipped;
  for (const RunResult& run : rs.runs) {
    if (is_error(run))
      skipped.push_back(strategy_of(run) + " (" + run_name(run) + ": " + one_line(run.message) +
                        ")");
    else
      ok.push_back(&run);
  }
  const auto label_of = [](const RunResult& run) {
    const std::string l = text(run, "label");
    return l.empty() ? strategy_of(run) : l;
  };
  std::vector<MethodsGroup> groups;
  for (const RunResult* run : ok) {
    const std::string l = label_of(*run);
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const MethodsGroup& g) { return g.label == l; });
    if (it == groups.end()) {
      groups.push_back({});
      it = groups.end() - 1;
      it->strategy = strategy_of(*run);
      it->label = l;
    }
    MethodsGroup& g = *it;
    ++g.runs;
    g.run_names.push_back(run_name(*run));
    const bool complete = field_number(*run, "complete") != 0.0; // absent counts as complete
    if (complete) {
      g.hourly.add(field_number(*run, "co2e_operational_kg"));
      g.band.add(field_number(*run, "co2e_operational_kg"));
    } else {
      g.band.add(field_number(*run, "co2e_operational_lower_kg"));
      g.band.add(field_number(*run, "co2e_operational_upper_kg"));
    }
    g.ccf.add(field_number(*run, "co2e_ccf_estimate_kg"));
    g.diff.add(field_number(*run, "co2e_ccf_difference_pct"));
  }
  const bool aggregated =
      std::any_of(groups.begin(), groups.end(), [](const MethodsGroup& g) { return g.runs > 1; });

  // The label over each pair of bars.
  // The label over each pair of bars, in two lines (.dat text cannot hold a line break).
  const auto pair_text = [&](const MethodsGroup& g) -> std::pair<std::string, std::string> {
    if (g.ccf.n == 0)
      return {"n/a", "(no factor)"};
    if (g.diff.n == 0)
      return {"n/a", "(incomplete)"};
    if (aggregated && g.diff.n > 1)
      return {pct_text(g.diff.mean()), pct_text(g.diff.lo) + ".." + pct_text(g.diff.hi)};
    return {pct_text(g.diff.mean()), ""};
  };

  Figure fig;
  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'methods': operational CO2e of each run by cfsim's hourly accounting\n"
         "# (co2e_operational_kg: energy x the grid intensity of each hour) and by Cloud Carbon\n"
         "# Footprint's method (co2e_ccf_estimate_kg: the same running hours at 50 % utilisation\n"
         "# and the region's annual-average grid factor), and their difference\n"
         "# co2e_ccf_difference_pct = 100 x (CCF / hourly - 1). Both cover the whole run.\n"
      << (aggregated ? "# One row per strategy label, aggregated over its runs: mean, smallest\n"
                       "# and largest over the runs that have the value (counts in columns "
                       "15-17).\n"
                     : "# One row per run.\n")
      << "# No-Fallback: an incomplete run (complete = 0) has no central hourly value and no\n"
         "# difference (NaN); a run without a CCF factor for its region has no estimate (NaN).\n"
      << ctx.source;
  dat << "# skipped runs (status=error, no results): "
      << (skipped.empty() ? "none" : join(skipped, "; ")) << "\n";
  dat << "# columns:\n"
         "#  1 x                 bar group position (1)\n"
         "#  2 strategy          strategy name (text; picks colour in style.gp)\n"
         "#  3 label             the strategy's label in the scenario (text)\n"
         "#  4 runs              number of runs in the row (1)\n"
         "#  5 hourly_kg         hourly accounting, co2e_operational_kg of the complete runs:\n"
         "#                      the value, or the mean (kg)\n"
         "#  6 hourly_lower_kg   whisker low: smallest complete value or incomplete run's\n"
         "#                      co2e_operational_lower_kg (kg)\n"
         "#  7 hourly_upper_kg   whisker high: largest complete value or incomplete run's\n"
         "#                      co2e_operational_upper_kg (kg)\n"
         "#  8 ccf_kg            CCF estimate, co2e_ccf_estimate_kg: the value, or the mean (kg)\n"
         "#  9 ccf_lower_kg      smallest CCF estimate (kg)\n"
         "# 10 ccf_upper_kg      largest CCF estimate (kg)\n"
         "# 11 difference_pct    co2e_ccf_difference_pct: the value, or the mean (%)\n"
         "# 12 difference_lower_pct smallest difference (%)\n"
         "# 13 difference_upper_pct largest difference (%)\n"
         "# 14 hourly_bar_kg     hourly bar drawn: column 5, else column 6 (the certain part) "
         "(kg)\n"
         "# 15 n_hourly          runs with a central hourly value (complete) (1)\n"
         "# 16 n_ccf             runs with a CCF estimate (1)\n"
         "# 17 n_difference      runs with a difference (1)\n"
         "# 18 pair_text         label over the pair: the difference in %, or n/a (text; no\n"
         "#                      LaTeX specials, so the same text serves every format)\n"
         "# 19 pair_text2        its second line: the range, or why n/a; may be empty (text)\n"
         "# 20 text_kg           height of the label: the top of both bars and whiskers (kg)\n"
         "# 21 run               the run (one run per row) or the first run of the label (text)\n";
  double y_max = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const MethodsGroup& g = groups[i];
    const double bar = std::isfinite(g.hourly.mean()) ? g.hourly.mean() : g.band.lo;
    const double top = finite_extent({bar, g.band.hi, g.ccf.mean(), g.ccf.hi, 0.0}).second;
    y_max = std::max(y_max, top);
    dat << (i + 1) << ' ' << dat_text(g.strategy) << ' ' << dat_text(g.label) << ' ' << g.runs
        << ' ' << num(g.hourly.mean()) << ' ' << num(g.band.lo) << ' ' << num(g.band.hi) << ' '
        << num(g.ccf.mean()) << ' ' << num(g.ccf.lo) << ' ' << num(g.ccf.hi) << ' '
        << num(g.diff.mean()) << ' ' << num(g.diff.lo) << ' ' << num(g.diff.hi) << ' ' << num(bar)
        << ' ' << g.hourly.n << ' ' << g.ccf.n << ' ' << g.diff.n << ' '
        << dat_text(pair_text(g).first) << ' ' << dat_text(pair_text(g).second) << ' ' << num(top)
        << ' ' << dat_text(g.run_names.front()) << '\n';
  }
  fig.dat = dat.str();
  if (groups.empty()) {
    fig.body = message_body("No run with results: nothing to compare.");
    return fig;
  }

  std::size_t runs = 0;
  bool any_incomplete = false, any_no_factor = false;
  for (const MethodsGroup& g : groups) {
    runs += g.runs;
    any_incomplete = any_incomplete || g.hourly.n < g.runs;
    any_no_factor = any_no_factor || g.ccf.n < g.runs;
  }
  const bool two_lines = std::any_of(groups.begin(), groups.end(), [&](const MethodsGroup& g) {
    return !pair_text(g).second.empty();
  });
  std::vector<std::string> notes;
  notes.push_back("label: difference 100 (CCF / hourly - 1) in percent" +
                  std::string(aggregated ? ", mean and min..max" : ""));
  if (aggregated)
    notes.push_back("bars: mean per label (" + std::to_string(runs) + " runs); whiskers: min-max");
  if (any_incomplete)
    notes.push_back("incomplete data: hourly bar = lower bound, whisker to upper");
  if (any_no_factor)
    notes.push_back("n/a: no CCF factor for the region (no estimate, not 0)");
  if (!skipped.empty()) {
    std::vector<std::string> names;
    for (const RunResult& run : rs.runs)
      if (is_error(run))
        names.push_back(strategy_of(run));
    notes.push_back("not shown (run failed): " + join(names, ", "));
  }

  // Width: one column if the group labels fit side by side, else two; the script rotates the
  // labels when they do not fit the width it is drawn at (--width 1col, fig_w).
  std::size_t longest = 0;
  for (const MethodsGroup& g : groups)
    longest = std::max(longest, g.label.size());
  const double group_cm = 0.15 * static_cast<double>(std::max<std::size_t>(longest, 8)) + 0.3;
  const double need_cm = static_cast<double>(groups.size()) * group_cm;
  fig.width_cm = need_cm > 7.0 ? 17.5 : 8.5;
  fig.height_cm = 7.0 + 0.3 * static_cast<double>(notes.size());

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- methods ----------------------------------------------------------------------\n"
        "# Two bars per "
     << (aggregated ? "strategy label" : "run")
     << ": cfsim's hourly accounting (solid) and Cloud Carbon Footprint's\n"
        "# annual-average estimate (hatched), coloured by strategy (style.gp); the label over a\n"
        "# pair is the difference (column 18). The x labels rotate when they do not fit fig_w.\n"
     << "n_groups = " << groups.size() << "\n"
     << "group_cm = " << num(group_cm) << "   # room one group label needs (8 pt)\n"
     << "rotated = n_groups * group_cm > fig_w - 1.8\n"
        "bar_w = 0.36     # width of one bar (one group = 1 x unit)\n"
        "bar_off = 0.19   # distance of each bar's centre from the group centre\n"
        "set xrange [0.4:n_groups + 0.6]\n"
        "set yrange [0:"
     << num(y_max > 0 ? y_max * (two_lines ? 1.3 : 1.2) : 1.0) << "]\n"
     << "if (rotated) { set xtics scale 0 noenhanced rotate by 30 right } "
        "else { set xtics scale 0 noenhanced norotate }\n"
        "set ylabel "
     << label("Operational CO_2e (kg)", "Operational CO$_2$e (kg)") << "\n"
     << "set key at screen 0.5, screen 0.995 center top horizontal maxrows 1 reverse Left "
        "samplen 1.5 width 2\n"
        "set tmargin 2.2\n"
        "set rmargin 2\n"
        "# The footnotes are the x label; its last, empty line leaves room for the provenance.\n"
        "set xlabel "
     << label(join(notes, "\n") + "\n") << " font note_font tc rgb rgb(col_note) noenhanced\n"
     << "plot \\\n"
        "  keyentry with boxes lc rgb rgb(col_neutral) fs solid 1.0 border lc rgb \"black\" "
        "title "
     << label("hourly")
     << ", \\\n"
        "  keyentry with boxes lc rgb rgb(col_neutral) fs pattern 4 border title "
     << label("CCF estimate")
     << ", \\\n"
        "  dat using 1:(NaN):xtic(tex_safe(strcol(3))) notitle, \\\n"
        "  dat using ($1 - bar_off):14:(bar_w):(strategy_color(strcol(2))) \\\n"
        "      with boxes lc rgb variable fs solid 1.0 border lc rgb \"black\" notitle, \\\n"
        "  dat using ($1 + bar_off):8:(bar_w):(strategy_color(strcol(2))) \\\n"
        "      with boxes lc rgb variable fs pattern 4 border notitle, \\\n"
        "  dat using ($1 - bar_off):6:(0):($7 - $6) \\\n"
        "      with vectors heads size screen 0.008, 90 lw 0.8 lc rgb \"black\" notitle, \\\n"
        "  dat using ($1 + bar_off):9:(0):($10 - $9) \\\n"
        "      with vectors heads size screen 0.008, 90 lw 0.8 lc rgb \"black\" notitle, \\\n"
        "  dat using ($1 + bar_off):($16 == 0 ? 0 : NaN):(\"n/a\") \\\n"
        "      with labels offset 0, 0.5 font note_font notitle, \\\n"
        "  dat using 1:(strlen(strcol(19)) == 0 ? $20 : NaN):18 \\\n"
        "      with labels offset 0, 0.6 font note_font noenhanced notitle, \\\n"
        "  dat using 1:(strlen(strcol(19)) > 0 ? $20 : NaN):18 \\\n"
        "      with labels offset 0, 1.3 font note_font noenhanced notitle, \\\n"
        "  dat using 1:(strlen(strcol(19)) > 0 ? $20 : NaN):19 \\\n"
        "      with labels offset 0, 0.6 font note_font noenhanced notitle\n";
  fig.body = gp.str();
  return fig;
}

} // namespace cfsim::figures
