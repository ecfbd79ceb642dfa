// Helpers every figure uses: reading summary fields and series of a ResultSet, and writing
// .dat and gnuplot text (sim/plot/figure.hpp).
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

namespace cfsim::figures {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
} // namespace

// ---- Reading the ResultSet ----------------------------------------------------------------

// A text summary field; empty if absent or numeric.
std::string text(const RunResult& run, std::string_view name) {
  const Field* f = find_field(run, name);
  if (f == nullptr)
    return {};
  if (const auto* s = std::get_if<std::string>(&f->value))
    return *s;
  return {};
}

bool is_error(const RunResult& run) {
  return run.status == "error" || text(run, "status") == "error";
}
bool is_baseline(const RunResult& run) {
  return field_number(run, "is_baseline") == 1.0;
}
std::string strategy_of(const RunResult& run) {
  return run.strategy.empty() ? text(run, "strategy") : run.strategy;
}
std::string run_name(const RunResult& run) {
  return run.name.empty() ? text(run, "run") : run.name;
}

const NamedSeries* find_series(const RunResult& run, std::string_view name) {
  for (const NamedSeries& s : run.series)
    if (s.name == name)
      return &s;
  return nullptr;
}

// ---- Formatting ---------------------------------------------------------------------------

// Shortest text that reads back as the same double; "NaN" for unknown (gnuplot reads it as an
// undefined value, which breaks a line instead of drawing through it).
std::string num(double v) {
  if (!std::isfinite(v))
    return "NaN";
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

// A text column of a .dat file: double-quoted, one line, no inner double quotes.
std::string dat_text(std::string_view s) {
  std::string out = "\"";
  for (char c : s)
    out += (c == '"') ? '\'' : (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out + "\"";
}

// A gnuplot single-quoted string literal (no escapes inside; a quote is doubled).
std::string gp_str(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += '\'';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "'";
}

// A gnuplot double-quoted string literal: "\n" in `s` becomes a line break in the text.
std::string gp_dq(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (c != '\r')
      out += c;
  }
  return out + "\"";
}

// A POSIX shell single-quoted word.
std::string sh_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// One line of a .dat/.gp comment: no line breaks can escape the comment.
std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

// The gnuplot expression chooses by the output format at replay time, so one .gp serves all.
std::string label(std::string_view enhanced, std::string_view latex) {
  return "(fmt eq \"tex\" ? " + gp_dq(latex) + " : " + gp_dq(enhanced) + ")";
}

std::string label(std::string_view plain) {
  return "tex_safe(" + gp_dq(plain) + ")";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0)
      out += sep;
    out += parts[i];
  }
  return out;
}

// A figure with nothing to draw but an explanation (e.g. no non-baseline runs): still written,
// so `cfsim plot` never fails because one figure has no data, and the reader sees why.
std::string message_body(std::string_view message) {
  return "# Nothing to plot: the message below explains why.\n"
         "unset border; unset tics; unset key; unset grid\n"
         "set label 1 " +
         label(message) +
         " at graph 0.5, graph 0.5 center noenhanced\n"
         "plot [0:1][0:1] NaN notitle\n";
}

// The smallest and largest finite value of `v` (NaN, NaN if none).
std::pair<double, double> finite_extent(std::initializer_list<double> v) {
  double lo = kNaN, hi = kNaN;
  for (double x : v)
    if (std::isfinite(x)) {
      lo = std::isnan(lo) ? x : std::min(lo, x);
      hi = std::isnan(hi) ? x : std::max(hi, x);
    }
  return {lo, hi};
}

// The '/'-separated parts of a run name after its strategy ("scenario/strategy/k=v/seed=1" →
// {"k=v", "seed=1"}); the whole name if the strategy is not one of its parts.
std::vector<std::string> run_tail(const std::string& run, const std::string& strategy) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= run.size()) {
    const std::size_t end = std::min(run.find('/', start), run.size());
    parts.push_back(run.substr(start, end - start));
    start = end + 1;
  }
  const auto it = std::find(parts.begin(), parts.end(), strategy);
  if (it == parts.end())
    return {run};
  return {it + 1, parts.end()};
}

TimeS align_up(TimeS t, TimeS inc, TimeS origin) {
  const TimeS r = ((t - origin) % inc + inc) % inc;
  return r == 0 ? t : t + (inc - r);
}

TimeTics time_tics(TimeS t0, TimeS t1) {
  constexpr TimeS h = 3600, d = 86400;
  constexpr TimeS monday = 4 * d; // 1970-01-05 00:00 UTC was a Monday
  const TimeS span = t1 - t0;
  TimeTics t;
  if (span <= 12 * h) {
    t = {0, h, 4, "%H:%M", true};
  } else if (span <= 3 * d) {
    t = {0, 6 * h, 6, "%H:%M", true};
  } else if (span <= 8 * d) {
    t = {0, d, 4, "%d %b", false};
  } else if (span <= 16 * d) {
    t = {0, 2 * d, 2, "%d %b", false};
  } else if (span <= 70 * d) {
    t = {0, 7 * d, 7, "%d %b", false}; // weeks from Monday: office-hour patterns line up
  } else {
    t = {0, 7 * d * ((span / d + 69) / 70), 1, "%d %b %Y", false};
  }
  t.first_s = align_up(t0, t.inc_s, t.inc_s % (7 * d) == 0 ? monday : 0);
  return t;
}

// A nice tic step (1, 2 or 5 × 10^k) giving about `n` intervals up to `max`.
double nice_step(double max, double n) {
  if (!(max > 0))
    return 1;
  const double raw = max / n;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  double step = p;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) {
      step = m * p;
      break;
    }
  return step;
}

// Tic step for counts (instances, vCPUs): whole numbers.
double count_step(double max) {
  return std::max(nice_step(max, 5), 1.0);
}

} // namespace cfsim::figures
