// The `quality` figure: the data quality behind a result, per input trace (/tables/quality,
// docs/result-schema.md): how the period's grid time splits into measured, estimated, filled and
// missing intensity, and the billing metrics TAC, Cost-MAPE and Data-Precision-Score. A result
// without that table (`cfsim sweep`) gets the summary variant instead: the runs' energy shares
// per carbon zone (quality_from_summary below).
//
// Design choices (docs/figures.md):
// - The engine writes one quality row per run and trace. The trace's columns (provenance, grid
//   shares, TAC, Cost-MAPE, DPS) are the same for every run of a scenario, so rows whose trace
//   columns are identical collapse into one bar; only the run's own energy shares (co2e_*)
//   differ, and they are shown as the range over the collapsed runs.
// - Per-instance quality is not in the result file: the engine stores the mean DPS over the
//   billed instances (`cfsim quality --per-resource` prints each instance's score). The figure
//   shows what is stored and nothing more.
// - A metric without data (no billing data: NaN) reads "n/a". TAC, Cost-MAPE and DPS are
//   printed as numbers under the bar rather than drawn: their scales differ (a share, an
//   unbounded percentage, points of 100), and a marker at 0.3 % would vanish at the axis.
#include "plot/figure.hpp"

#include <algorithm>
#include <array>
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

namespace cfsim::figures {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The gnuplot body both variants share: one block of 1 y unit per .dat row, a bar split into
// measured / estimated / filled / missing (or unknown) shares from columns `c0`..`c0 + 3`
// (fractions), the row's heading above it and five note lines below from `text_cols` (heading
// first), an optional extra command (`extra`, e.g. a note under the axis) and the bottom margin
// (character heights) that the notes need.
std::string share_bars(std::size_t n, int c0, std::string_view unit, const std::string& xlabel,
                       std::string_view last_title, std::array<int, 6> text_cols,
                       const std::string& extra, double bmargin_chars) {
  const auto c = [&](int k) { return "$" + std::to_string(c0 + k); };
  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "n_rows = " << n << "\n"
     << "bar_h = 0.07   # half the bar's height (y units; one " << unit << " = 1 unit)\n"
     << "c_measured = oi_green; c_estimated = oi_sky_blue; c_filled = oi_yellow; "
        "c_missing = col_gap\n"
     << "set yrange [n_rows - 0.3:-0.4]   # reversed: the first " << unit << " at the top\n"
     << "set xrange [0:100]\n"
        "unset ytics\n"
        "set border 1 lw 0.8\n"
        "set grid xtics noytics\n"
        "set xtics 0, 20, 100\n"
        "set xlabel "
     << xlabel << "\n"
     << extra
     << "set key at screen 0.5, screen 0.995 center top vertical maxrows (fig_w < 12 ? 2 : 1) "
        "reverse Left samplen 1.2 width 0.5 noenhanced\n"
        "set tmargin (fig_w < 12 ? 3 : 2); set bmargin "
     << num(bmargin_chars) << "; set lmargin 2; set rmargin 3\n"
     << "plot \\\n";
  // Each share is a box from the sum of the shares before it to that sum plus its own.
  const std::array<std::pair<const char*, std::string>, 4> parts{
      {{"c_measured", "measured"},
       {"c_estimated", "estimated"},
       {"c_filled", "filled"},
       {"c_missing", std::string(last_title)}}};
  std::string before = "0";
  for (int k = 0; k < 4; ++k) {
    const std::string upto = k == 0 ? c(0) : "(" + before + " + " + c(k) + ")";
    gp << "  dat using (100 * (" << before << " + " << c(k) << " / 2)):1:(100 * (" << before
       << ")):(100 * " << upto << "):($1 - bar_h):($1 + bar_h) \\\n"
       << "      with boxxyerror lc rgb rgb(" << parts[static_cast<std::size_t>(k)].first
       << ") fs solid 1.0 border lc rgb \"black\" \\\n"
       << "      title " << label(parts[static_cast<std::size_t>(k)].second) << ", \\\n";
    before = k == 0 ? c(0) : before + " + " + c(k);
  }
  const std::array<std::string, 6> style{"offset 0, 1.4",
                                         "offset 0, -1.4 font note_font tc rgb rgb(col_note)",
                                         "offset 0, -2.2 font note_font",
                                         "offset 0, -3.0 font note_font",
                                         "offset 0, -3.8 font note_font",
                                         "offset 0, -4.6 font note_font"};
  for (std::size_t k = 0; k < 6; ++k)
    gp << "  dat using (0):1:(tex_label(strcol(" << text_cols[k] << "))) with labels left "
       << style[k] << " noenhanced notitle" << (k + 1 < 6 ? ", \\\n" : "\n");
  return gp.str();
}

// One distinct input trace: the collapsed rows of /tables/quality.
struct TraceQuality {
  std::string trace, source, zone, signal, basis, fill_policy;
  double measured = kNaN, estimated = kNaN, filled = kNaN, missing = kNaN, coverage = kNaN;
  double tac = kNaN, mape_pct = kNaN, dps = kNaN;
  std::vector<std::int64_t> runs; // the `run` values of the collapsed rows
  double co2e_coverage_min = kNaN, co2e_coverage_max = kNaN;
  std::string key; // the trace columns, for collapsing
};

// Column `name` of `t` as text per row; empty if absent or not a text column.
std::vector<std::string> text_column(const Table& t, std::string_view name) {
  for (const TableColumn& c : t.columns)
    if (c.name == name)
      if (const auto* v = std::get_if<std::vector<std::string>>(&c.values))
        return *v;
  return std::vector<std::string>(t.rows());
}

// Column `name` of `t` as numbers per row; NaN if absent or a text column (No-Fallback: an
// absent metric is unknown, not zero).
std::vector<double> number_column(const Table& t, std::string_view name) {
  std::vector<double> out(t.rows(), kNaN);
  for (const TableColumn& c : t.columns) {
    if (c.name != name)
      continue;
    if (const auto* d = std::get_if<std::vector<double>>(&c.values))
      out = *d;
    else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&c.values))
      std::transform(i->begin(), i->end(), out.begin(),
                     [](std::int64_t x) { return static_cast<double>(x); });
  }
  return out;
}

// A share as percent for the labels: whole numbers at 0 and 100, two decimals otherwise, and
// two significant digits below 0.01 % so that a tiny gap never reads as 0.00 %.
std::string pct_text(double share) {
  if (!std::isfinite(share))
    return "n/a";
  const double p = 100.0 * share;
  char buf[32];
  if (p == 0.0 || p == 100.0)
    std::snprintf(buf, sizeof buf, "%.0f %%", p);
  else if (std::fabs(p) < 0.01)
    std::snprintf(buf, sizeof buf, "%.2g %%", p);
  else
    std::snprintf(buf, sizeof buf, "%.2f %%", p);
  return buf;
}

std::string fixed_text(double v, const char* format) {
  if (!std::isfinite(v))
    return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::vector<TraceQuality> collapse(const Table& t) {
  const std::size_t n = t.rows();
  const auto run = number_column(t, "run");
  const auto co2e_coverage = number_column(t, "co2e_coverage");
  std::vector<TraceQuality> out;
  for (std::size_t i = 0; i < n; ++i) {
    // The trace's identity: every column but the run index and the run's own co2e_* shares,
    // so a metric added to the table later also separates traces that differ in it.
    std::string key;
    for (const TableColumn& c : t.columns) {
      if (c.name == "run" || c.name.rfind("co2e_", 0) == 0)
        continue;
      key += c.name + "=";
      if (const auto* d = std::get_if<std::vector<double>>(&c.values))
        key += num((*d)[i]);
      else if (const auto* v = std::get_if<std::vector<std::int64_t>>(&c.values))
        key += std::to_string((*v)[i]);
      else
        key += dat_text(std::get<std::vector<std::string>>(c.values)[i]);
      key += '\n';
    }
    auto it =
        std::find_if(out.begin(), out.end(), [&](const TraceQuality& q) { return q.key == key; });
    if (it == out.end()) {
      TraceQuality q;
      q.key = key;
      q.trace = text_column(t, "trace")[i];
      q.source = text_column(t, "source")[i];
      q.zone = text_column(t, "zone")[i];
      q.signal = text_column(t, "signal")[i];
      q.basis = text_column(t, "basis")[i];
      q.fill_policy = text_column(t, "fill_policy")[i];
      q.measured = number_column(t, "measured_share")[i];
      q.estimated = number_column(t, "estimated_share")[i];
      q.filled = number_column(t, "filled_share")[i];
      q.missing = number_column(t, "missing_share")[i];
      q.coverage = number_column(t, "coverage")[i];
      q.tac = number_column(t, "tac_fleet")[i];
      q.mape_pct = number_column(t, "cost_mape_pct")[i];
      q.dps = number_column(t, "dps_mean")[i];
      out.push_back(std::move(q));
      it = out.end() - 1;
    }
    it->runs.push_back(std::isfinite(run[i]) ? static_cast<std::int64_t>(run[i]) : -1);
    std::tie(it->co2e_coverage_min, std::ignore) =
        finite_extent({it->co2e_coverage_min, co2e_coverage[i]});
    std::tie(std::ignore, it->co2e_coverage_max) =
        finite_extent({it->co2e_coverage_max, co2e_coverage[i]});
  }
  return out;
}

// ---- Without /tables/quality: the summary's energy shares (cfsim sweep) ----------------------
//
// A sweep writes no quality table (docs/sweeps.md), so the trace's grid-time shares are not in
// the file and are not invented here (No-Fallback). What the summary does carry is each run's
// split of its ENERGY into measured, estimated and filled intensity, plus the billing metrics.
// The ok runs are grouped by their carbon trace: the swept zone (`param_zone`) if the summary
// has it, else the root attribute `carbon_zone`.
//
// The bar of a group shows ONE run: the one with the lowest co2e_coverage (the first such run
// in run order). Chosen over the mean because a data-quality figure should show the worst case
// (a mean of 60 runs hides the one run whose energy fell on filled or missing hours), and
// because one run's shares are a consistent split that sums to 1 as stored, where averaging
// each share separately would draw a split no run had. The range over all runs is printed.

// A share of an energy split that is negative only by rounding (|x| < 1e-12) becomes 0; a
// larger negative share is kept as it is and reported (`inconsistent`), never hidden.
double clamp_rounding(double x, bool& inconsistent) {
  if (x < 0.0 && x > -1e-12)
    return 0.0;
  if (x < 0.0)
    inconsistent = true;
  return x;
}

struct ZoneGroup {
  std::string zone;
  std::vector<std::size_t> ok; // indices into ResultSet::runs (= rows of /run)
  std::size_t failed = 0, incomplete = 0;
  std::size_t worst = 0; // the run drawn: lowest co2e_coverage; meaningful if has_worst
  bool has_worst = false, inconsistent = false;
  double measured = kNaN, estimated = kNaN, filled = kNaN, unknown = kNaN;
  double cov_min = kNaN, cov_max = kNaN;
  double tac_min = kNaN, tac_max = kNaN, mape_min = kNaN, mape_max = kNaN;
  double dps_min = kNaN, dps_max = kNaN;
  std::size_t tac_nan = 0, mape_nan = 0, dps_nan = 0;
};

// "a–b unit", or "a unit" if both are equal, "n/a" if unknown; `fmt` formats one value without
// its unit (compact, so that a line of three ranges fits one column).
template <class F> std::string range_text(double lo, double hi, F fmt, const std::string& unit) {
  if (std::isnan(lo))
    return "n/a";
  return (lo == hi ? fmt(lo) : fmt(lo) + "–" + fmt(hi)) + unit;
}

// pct_text without its " %".
std::string pct_number(double share) {
  std::string t = pct_text(share);
  if (t.size() > 2 && t.ends_with(" %"))
    t.resize(t.size() - 2);
  return t;
}

Figure quality_from_summary(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  bool has_param_zone = false, has_coverage = false;
  for (const RunResult& r : rs.runs) {
    has_param_zone = has_param_zone || find_field(r, "param_zone") != nullptr;
    has_coverage = has_coverage || find_field(r, "co2e_coverage") != nullptr;
  }
  const std::string zone_from = has_param_zone ? "param_zone" : "carbon_zone";
  std::vector<ZoneGroup> groups;
  std::vector<std::string> failed_names;
  for (std::size_t i = 0; i < rs.runs.size(); ++i) {
    const RunResult& r = rs.runs[i];
    const std::string zone = has_param_zone ? text(r, "param_zone") : attribute(rs, "carbon_zone");
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const ZoneGroup& g) { return g.zone == zone; });
    if (it == groups.end()) {
      groups.push_back(ZoneGroup{});
      groups.back().zone = zone;
      it = groups.end() - 1;
    }
    if (is_error(r)) {
      ++it->failed;
      failed_names.push_back(run_name(r));
      continue;
    }
    it->ok.push_back(i);
  }
  // A zone with failed runs only has nothing to draw; it stays in the header's failed list.
  std::erase_if(groups, [](const ZoneGroup& g) { return g.ok.empty(); });

  const auto extend = [](double& lo, double& hi, double v, std::size_t& nan_count) {
    if (std::isnan(v))
      ++nan_count;
    std::tie(lo, std::ignore) = finite_extent({lo, v});
    std::tie(std::ignore, hi) = finite_extent({hi, v});
  };
  for (ZoneGroup& g : groups) {
    std::size_t cov_nan = 0;
    for (std::size_t i : g.ok) {
      const RunResult& r = rs.runs[i];
      const double cov = field_number(r, "co2e_coverage");
      if (std::isfinite(cov) &&
          (!g.has_worst || cov < field_number(rs.runs[g.worst], "co2e_coverage"))) {
        g.worst = i;
        g.has_worst = true;
      }
      extend(g.cov_min, g.cov_max, cov, cov_nan);
      extend(g.tac_min, g.tac_max, field_number(r, "tac_fleet"), g.tac_nan);
      extend(g.mape_min, g.mape_max, field_number(r, "cost_mape_pct"), g.mape_nan);
      extend(g.dps_min, g.dps_max, field_number(r, "dps_mean"), g.dps_nan);
      if (field_number(r, "complete") == 0.0)
        ++g.incomplete;
    }
    if (g.has_worst) {
      const RunResult& w = rs.runs[g.worst];
      const double cov = field_number(w, "co2e_coverage");
      g.estimated = field_number(w, "co2e_estimated_share");
      g.filled = field_number(w, "co2e_filled_share");
      g.measured = clamp_rounding(cov - g.estimated, g.inconsistent);
      g.unknown = clamp_rounding((1.0 - cov) - g.filled, g.inconsistent);
    }
  }

  Figure fig;
  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'quality' (summary variant): this result file has no /tables/quality\n"
         "# (cfsim sweep does not write it, docs/sweeps.md), so the trace's grid-time shares are\n"
         "# NOT shown. The shares below are the runs' ENERGY shares from /tables/summary\n"
         "# (co2e_coverage, co2e_estimated_share, co2e_filled_share), not grid time.\n"
      << ctx.source << "# One row per carbon trace: the ok runs grouped by "
      << (has_param_zone ? "the swept zone (summary column param_zone)"
                         : "the root attribute carbon_zone (no param_zone column)")
      << ".\n"
         "# Columns 7-10 are the split of ONE run, the group's lowest co2e_coverage (the worst\n"
         "# case; the first such run in run order): measured = co2e_coverage -\n"
         "# co2e_estimated_share, estimated = co2e_estimated_share, filled = co2e_filled_share,\n"
         "# unknown = 1 - co2e_coverage - co2e_filled_share (a negative share within 1e-12 of 0\n"
         "# is rounding and reads 0; a larger one is kept and reported). Columns 11-18 are ranges\n"
         "# over all ok runs of the group. NaN = not available (no billing data), drawn as n/a.\n"
         "# failed runs (counted, not drawn): "
      << failed_names.size() << "\n";
  for (const std::string& n : failed_names)
    dat << "#   " << one_line(n) << "\n";
  for (const ZoneGroup& g : groups)
    if (g.inconsistent)
      dat << "# WARNING: zone " << one_line(g.zone.empty() ? "(not recorded)" : g.zone)
          << ": the shares of run " << g.worst
          << " give a negative share beyond rounding (inconsistent summary); drawn as stored\n";
  dat << "# columns:\n"
         "#  1 y                   row position, 0 at the top (1)\n"
         "#  2 zone                the group's carbon zone, empty if not recorded (text)\n"
         "#  3 runs                ok runs in the group (1)\n"
         "#  4 failed              failed runs of this zone, not drawn (1)\n"
         "#  5 incomplete          ok runs with complete = 0: energy on missing intensity (1)\n"
         "#  6 worst_run           the run drawn: row index into /run (1)\n"
         "#  7 measured            its energy share on measured intensity (1)\n"
         "#  8 estimated           ... on intensity the source marked estimated (1)\n"
         "#  9 filled              ... on intensity filled by the fill policy (1)\n"
         "# 10 unknown             ... on missing intensity (1)\n"
         "# 11 co2e_coverage_min   lowest co2e_coverage over the group's runs (1)\n"
         "# 12 co2e_coverage_max   highest co2e_coverage (1)\n"
         "# 13 tac_fleet_min       lowest TAC of the billing data (1)\n"
         "# 14 tac_fleet_max       highest TAC (1)\n"
         "# 15 cost_mape_pct_min   lowest Cost-MAPE (%)\n"
         "# 16 cost_mape_pct_max   highest Cost-MAPE (%)\n"
         "# 17 dps_mean_min        lowest mean Data-Precision-Score, 0-100 (1)\n"
         "# 18 dps_mean_max        highest mean Data-Precision-Score (1)\n"
         "# 19 worst_run_name      the drawn run's name (text)\n"
         "# 20 heading             row heading (text)\n"
         "# 21 runs_text           runs, failed and incomplete counts (text)\n"
         "# 22 own_text            the drawn run's non-zero measured and estimated shares (text)\n"
         "# 23 gaps_text           its non-zero filled and unknown shares, or \"no gaps\" (text)\n"
         "# 24 coverage_text       the range of co2e_coverage over the runs (text)\n"
         "# 25 metrics_text        TAC, Cost-MAPE and DPS ranges, n/a without billing data "
         "(text)\n";
  const auto shares_of = [](std::initializer_list<std::pair<const char*, double>> kinds) {
    std::vector<std::string> out;
    for (const auto& [name, v] : kinds)
      if (!(v == 0.0)) // NaN is shown (as n/a): an unknown share is not a zero share
        out.push_back(std::string(name) + " " + pct_text(v));
    return out;
  };
  const auto with_nan = [](std::string s, std::size_t nan_count, std::size_t n) {
    if (nan_count > 0 && nan_count < n)
      s += " (n/a in " + std::to_string(nan_count) + " runs)";
    return s;
  };
  for (std::size_t y = 0; y < groups.size(); ++y) {
    const ZoneGroup& g = groups[y];
    const std::size_t n = g.ok.size();
    // What the bar is (the lowest-coverage run) is said once, in the note under the axis.
    std::vector<std::string> counts;
    if (g.incomplete > 0)
      counts.push_back(std::to_string(g.incomplete) + " incomplete");
    if (g.failed > 0)
      counts.push_back(std::to_string(g.failed) + " failed (not drawn)");
    std::string runs_text = std::to_string(n) + (n == 1 ? " run" : " runs") +
                            (counts.empty() ? "" : ": " + join(counts, ", "));
    if (!g.has_worst)
      runs_text += "; no co2e_coverage: no bar";
    const std::vector<std::string> own =
        shares_of({{"measured", g.measured}, {"estimated", g.estimated}});
    const std::vector<std::string> gaps = shares_of({{"filled", g.filled}, {"unknown", g.unknown}});
    const std::string coverage =
        "coverage over the runs: " + range_text(g.cov_min, g.cov_max, pct_number, " %");
    const auto mape_fmt = [](double v) { return fixed_text(v, "%.1f"); };
    const auto dps_fmt = [](double v) { return fixed_text(v, "%.0f"); };
    const bool no_billing = g.tac_nan == n && g.mape_nan == n && g.dps_nan == n;
    const std::string metrics =
        "TAC " + with_nan(range_text(g.tac_min, g.tac_max, pct_number, " %"), g.tac_nan, n) +
        " · Cost-MAPE " +
        with_nan(range_text(g.mape_min, g.mape_max, mape_fmt, " %"), g.mape_nan, n) + " · DPS " +
        with_nan(range_text(g.dps_min, g.dps_max, dps_fmt, ""), g.dps_nan, n) +
        (no_billing ? " (no billing data)" : "");
    const std::string heading =
        "carbon · " + (g.zone.empty() ? "zone not recorded" : g.zone) + " (" + zone_from + ")";
    dat << y << ' ' << dat_text(g.zone) << ' ' << n << ' ' << g.failed << ' ' << g.incomplete << ' '
        << (g.has_worst ? std::to_string(g.worst) : std::string("NaN")) << ' ' << num(g.measured)
        << ' ' << num(g.estimated) << ' ' << num(g.filled) << ' ' << num(g.unknown) << ' '
        << num(g.cov_min) << ' ' << num(g.cov_max) << ' ' << num(g.tac_min) << ' ' << num(g.tac_max)
        << ' ' << num(g.mape_min) << ' ' << num(g.mape_max) << ' ' << num(g.dps_min) << ' '
        << num(g.dps_max) << ' ' << dat_text(g.has_worst ? run_name(rs.runs[g.worst]) : "") << ' '
        << dat_text(heading) << ' ' << dat_text(runs_text) << ' '
        << dat_text(own.empty() ? "no data" : join(own, ", ")) << ' '
        << dat_text(gaps.empty() ? "no gaps" : join(gaps, ", ")) << ' ' << dat_text(coverage) << ' '
        << dat_text(metrics) << '\n';
  }
  fig.dat = dat.str();

  if (groups.empty() || !has_coverage) {
    fig.body = message_body(groups.empty()
                                ? "No data-quality table (/tables/quality) in this result file\n"
                                  "(cfsim sweep does not write it; docs/sweeps.md)\n"
                                  "and no run finished ok."
                                : "No data-quality table (/tables/quality) in this result file\n"
                                  "(cfsim sweep does not write it; docs/sweeps.md)\n"
                                  "and the summary has no co2e_coverage field.");
    if (!has_coverage)
      fig.dat = "# cfsim figure 'quality': no /tables/quality and no co2e_coverage in the "
                "summary: nothing to plot\n" +
                ctx.source;
    return fig;
  }

  // The layout of the table-based figure (one block of 1 y unit per group), plus two note lines
  // under the x-axis label that say what the bars are.
  const std::size_t n = groups.size();
  fig.width_cm = 8.5;
  fig.height_cm = 4.0 + 2.9 * (static_cast<double>(n) + 0.1);

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- quality (summary variant) ------------------------------------------------------\n"
        "# No /tables/quality in the file (a sweep): one block per carbon zone (a .dat row), a "
        "bar\n"
        "# splitting the ENERGY of the group's lowest-coverage run into measured / estimated /\n"
        "# filled / unknown intensity (columns 7-10; not the trace's grid time, which a sweep "
        "does\n"
        "# not store), the heading above it and the numbers below it as text (columns 20-25).\n"
     << share_bars(n, 7, "zone",
                   label("Share of the runs' energy (%)", "Share of the runs' energy (\\%)"),
                   "unknown", {20, 21, 22, 23, 24, 25},
                   "set label 91 " +
                       label("No /tables/quality (a sweep): each bar is the energy split\n"
                             "of the zone's lowest-coverage run (from the summary),\n"
                             "not the trace's grid-time shares.") +
                       " at screen 0.02, character 3.4 left font note_font tc rgb rgb(col_note) "
                       "noenhanced\n",
                   7.4);
  fig.body = gp.str();
  return fig;
}

} // namespace

Figure make_quality(const Context& ctx) {
  const ResultSet& rs = ctx.results;
  const Table* table = nullptr;
  for (const Table& t : rs.tables)
    if (t.name == "quality")
      table = &t;
  if (table == nullptr) // a sweep: draw the summary's energy shares instead (see above)
    return quality_from_summary(ctx);
  const std::vector<TraceQuality> traces =
      table == nullptr ? std::vector<TraceQuality>{} : collapse(*table);

  Figure fig;
  std::ostringstream dat;
  dat.imbue(std::locale::classic());
  dat << "# cfsim figure 'quality': data quality per input trace (/tables/quality): the split of\n"
         "# the period's grid time into measured, estimated, filled and missing intensity, and "
         "the\n"
         "# billing metrics TAC, Cost-MAPE and Data-Precision-Score.\n"
      << ctx.source << "# quality table: "
      << (table == nullptr ? std::string("absent (cfsim sweep does not write it)")
                           : std::to_string(table->rows()) + " rows")
      << "\n"
         "# One row per distinct trace: table rows whose trace columns (all but run and the run's\n"
         "# own co2e_* shares) are identical are collapsed; runs lists their `run` values (row\n"
         "# indices into /run) and columns 17-18 give the range of co2e_coverage over them.\n"
         "# Per-instance quality is not stored in the result file: dps_mean is the engine's mean\n"
         "# over the billed instances (`cfsim quality --per-resource` prints each instance).\n"
         "# NaN = not available (no billing data), drawn as n/a.\n"
         "# columns:\n"
         "#  1 y                   row position, 0 at the top (1)\n"
         "#  2 trace               which input trace: carbon, or a candidate region (text)\n"
         "#  3 source              the trace's source (text)\n"
         "#  4 zone                grid zone (text)\n"
         "#  5 signal              average or marginal (text)\n"
         "#  6 basis               lifecycle or direct emission factors (text)\n"
         "#  7 fill_policy         fill policy on the grid (text)\n"
         "#  8 measured_share      share of the grid time on measured samples (1)\n"
         "#  9 estimated_share     ... on samples the source marked estimated (1)\n"
         "# 10 filled_share        ... filled by the fill policy (1)\n"
         "# 11 missing_share       ... with no value (1)\n"
         "# 12 coverage            measured_share + estimated_share (1)\n"
         "# 13 tac_fleet           Time Alignment Coverage of the billing data (1)\n"
         "# 14 cost_mape_pct       Cost-MAPE of the catalog cost model against the bill (%)\n"
         "# 15 dps_mean            mean Data-Precision-Score of the billed instances, 0-100 (1)\n"
         "# 16 runs                table rows collapsed into this row (1)\n"
         "# 17 co2e_coverage_min   lowest run energy share on measured or estimated intensity (1)\n"
         "# 18 co2e_coverage_max   highest run energy share on measured or estimated intensity "
         "(1)\n"
         "# 19 run_rows            the collapsed rows' `run` values, comma-separated (text)\n"
         "# 20 heading             row heading (text)\n"
         "# 21 detail_text         source, signal, basis, fill policy (text)\n"
         "# 22 own_text            the non-zero measured and estimated shares in % (text)\n"
         "# 23 metrics_text        TAC, Cost-MAPE and DPS, n/a without billing data (text)\n"
         "# 24 energy_text         the runs' energy share on known intensity (text; carbon trace "
         "only,\n"
         "#                        since region rows repeat the runs' own shares)\n"
         "# 25 gaps_text           the non-zero filled and missing shares in %, or \"no gaps\" "
         "(text)\n";
  for (std::size_t i = 0; i < traces.size(); ++i) {
    const TraceQuality& q = traces[i];
    std::vector<std::string> rows;
    for (std::int64_t r : q.runs)
      rows.push_back(std::to_string(r));
    // Two short lines (one column wide): the source's own data, then the gaps.
    const auto shares_of = [](std::initializer_list<std::pair<const char*, double>> kinds) {
      std::vector<std::string> out;
      for (const auto& [name, v] : kinds)
        if (!(v == 0.0)) // NaN is shown (as n/a): an unknown share is not a zero share
          out.push_back(std::string(name) + " " + pct_text(v));
      return out;
    };
    const std::vector<std::string> own =
        shares_of({{"measured", q.measured}, {"estimated", q.estimated}});
    const std::vector<std::string> gaps = shares_of({{"filled", q.filled}, {"missing", q.missing}});
    const std::string metrics =
        "TAC " + pct_text(q.tac) + " · Cost-MAPE " +
        (std::isfinite(q.mape_pct) ? fixed_text(q.mape_pct, "%.1f") + " %" : "n/a") + " · DPS " +
        fixed_text(q.dps, "%.0f") +
        (std::isnan(q.tac) && std::isnan(q.mape_pct) && std::isnan(q.dps) ? " (no billing data)"
                                                                          : "");
    std::string energy;
    if (q.trace == "carbon") {
      const std::string range =
          (q.co2e_coverage_min == q.co2e_coverage_max || std::isnan(q.co2e_coverage_min))
              ? pct_text(q.co2e_coverage_min)
              : pct_text(q.co2e_coverage_min) + " to " + pct_text(q.co2e_coverage_max);
      energy = "runs' energy on known intensity: " + range + " (" + std::to_string(q.runs.size()) +
               (q.runs.size() == 1 ? " run)" : " runs)");
    }
    const std::string heading = q.trace + (q.zone.empty() ? "" : " · " + q.zone);
    const std::string detail =
        q.source + ", " + q.signal + ", " + q.basis + ", fill " + q.fill_policy;
    dat << i << ' ' << dat_text(q.trace) << ' ' << dat_text(q.source) << ' ' << dat_text(q.zone)
        << ' ' << dat_text(q.signal) << ' ' << dat_text(q.basis) << ' ' << dat_text(q.fill_policy)
        << ' ' << num(q.measured) << ' ' << num(q.estimated) << ' ' << num(q.filled) << ' '
        << num(q.missing) << ' ' << num(q.coverage) << ' ' << num(q.tac) << ' ' << num(q.mape_pct)
        << ' ' << num(q.dps) << ' ' << q.runs.size() << ' ' << num(q.co2e_coverage_min) << ' '
        << num(q.co2e_coverage_max) << ' ' << dat_text(join(rows, ",")) << ' ' << dat_text(heading)
        << ' ' << dat_text(detail) << ' ' << dat_text(own.empty() ? "no data" : join(own, ", "))
        << ' ' << dat_text(metrics) << ' ' << dat_text(energy) << ' '
        << dat_text(gaps.empty() ? "no gaps" : join(gaps, ", ")) << '\n';
  }
  fig.dat = dat.str();

  if (traces.empty()) {
    fig.body = message_body(table == nullptr
                                ? "No data-quality table (/tables/quality) in this result file:\n"
                                  "cfsim sweep does not write it (docs/sweeps.md);\n"
                                  "the summary holds each run's co2e_coverage."
                                : "The data-quality table (/tables/quality) has no rows.");
    return fig;
  }

  // Each trace is one block of 1 y unit: its heading above the bar, the bar, three lines of
  // notes below. Text offsets are in character heights, so the block height in cm is fixed.
  const std::size_t n = traces.size();
  fig.width_cm = 8.5;
  fig.height_cm = 2.8 + 2.9 * (static_cast<double>(n) + 0.1);

  std::ostringstream gp;
  gp.imbue(std::locale::classic());
  gp << "# --- quality ----------------------------------------------------------------------\n"
        "# One block per input trace (a .dat row): a bar splitting the period's grid time into\n"
        "# measured / estimated / filled / missing intensity (columns 8-11), the heading above\n"
        "# it and the numbers below it as text (columns 20-25: TAC, Cost-MAPE and DPS, n/a = no\n"
        "# billing data). Text offsets are in characters, so the layout does not depend on size.\n"
     << share_bars(
            n, 8, "trace",
            label("Share of the period's grid time (%)", "Share of the period's grid time (\\%)"),
            "missing", {20, 21, 22, 25, 23, 24}, "", 4.6);
  fig.body = gp.str();
  return fig;
}

} // namespace cfsim::figures
