#include "cfsim/fill.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "cfsim/error.hpp"

namespace cfsim {

namespace {

constexpr TimeS kDayS = 86400;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string joined_names() {
  std::string list;
  for (const auto& n : fill_method_names())
    list += (list.empty() ? "" : ", ") + n;
  return list;
}

// Shortest text that reads back as the same double ("6", "1.5", "0.25").
std::string number_text(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  CFSIM_CHECK(res.ec == std::errc(), "cannot format a number");
  return std::string(buf, res.ptr);
}

void check_limit(double max_fill_h) {
  if (!(max_fill_h > 0))
    throw ConfigError("max_fill_h is " + number_text(max_fill_h) +
                      " (allowed: hours > 0; leave it out to fill gaps of any length)");
}

// Index of cell `t`'s slot in the UTC day (0 .. 86400/step − 1).
std::size_t day_slot(TimeS t, TimeS step_s) {
  const TimeS in_day = ((t % kDayS) + kDayS) % kDayS;
  return static_cast<std::size_t>(in_day / step_s);
}

std::string describe(const Provenance& p) {
  const std::string& name = !p.origin.empty() ? p.origin : p.source;
  return "'" + (name.empty() ? std::string("?") : name) + "' (zone " +
         (p.zone.empty() ? std::string("?") : p.zone) + ", " + to_string(p.signal) + ", " +
         to_string(p.basis) + ")";
}

} // namespace

const std::vector<std::string>& fill_method_names() {
  static const std::vector<std::string> names = {"none", "hold", "linear", "daily_profile"};
  return names;
}

const char* to_string(FillMethod m) {
  return fill_method_names()[static_cast<std::size_t>(m)].c_str();
}

FillMethod fill_method_from_name(std::string_view name) {
  const auto& names = fill_method_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name)
      return static_cast<FillMethod>(i);
  throw ConfigError("unknown fill policy '" + std::string(name) + "' (allowed: " + joined_names() +
                    ")");
}

std::string to_string(const FillPolicy& p) {
  std::string s = to_string(p.method);
  if (p.method != FillMethod::none && std::isfinite(p.max_fill_h))
    s += "(max " + number_text(p.max_fill_h) + " h)";
  return s;
}

FillPolicy parse_fill_policy(std::string_view text) {
  FillPolicy p;
  if (text.empty())
    return p;
  auto bad = [&]() -> ConfigError {
    return ConfigError("fill policy '" + std::string(text) + "' is not one of " + joined_names() +
                       ", optionally followed by '(max <hours> h)'");
  };
  const auto open = text.find('(');
  try {
    p.method = fill_method_from_name(text.substr(0, open));
  } catch (const ConfigError&) {
    throw bad();
  }
  if (open == std::string_view::npos)
    return p;
  constexpr std::string_view head = "(max ", tail = " h)";
  std::string_view rest = text.substr(open);
  if (p.method == FillMethod::none || rest.size() <= head.size() + tail.size() ||
      rest.substr(0, head.size()) != head || rest.substr(rest.size() - tail.size()) != tail)
    throw bad();
  rest = rest.substr(head.size(), rest.size() - head.size() - tail.size());
  double h = 0;
  const auto res = std::from_chars(rest.data(), rest.data() + rest.size(), h);
  if (res.ec != std::errc() || res.ptr != rest.data() + rest.size())
    throw bad();
  try {
    check_limit(h);
  } catch (const ConfigError& e) {
    throw ConfigError("fill policy '" + std::string(text) + "': " + e.what());
  }
  p.max_fill_h = h;
  return p;
}

FilledSeries fill_gaps(const GridSeries& s, const FillPolicy& p) {
  const std::size_t n = s.value.size();
  CFSIM_CHECK(s.coverage.size() == n && s.quality.size() == n && s.estimated_share.size() == n,
              "grid series vectors differ in length");
  FilledSeries out{s, std::vector<double>(n, 0.0)};
  out.series.provenance.fill_policy = to_string(p);
  if (p.method == FillMethod::none)
    return out;
  check_limit(p.max_fill_h);
  const auto step_s = static_cast<double>(s.grid.step_s);
  const double limit_s = p.max_fill_h * 3600.0;
  auto put = [&](std::size_t i, double v, double share) {
    out.series.value[i] = v;
    out.series.coverage[i] = 1.0;
    out.series.quality[i] = Quality::filled;
    out.filled_share[i] = share;
  };

  // Partly covered cells: the uncovered part takes the cell's own value.
  for (std::size_t i = 0; i < n; ++i) {
    const double c = s.coverage[i];
    if (c > 0 && c < 1 && (1.0 - c) * step_s <= limit_s)
      put(i, s.value[i], 1.0 - c);
  }

  // daily_profile: Σ value·coverage and Σ coverage per slot of the day, over the known cells.
  std::vector<double> slot_sum, slot_weight;
  if (p.method == FillMethod::daily_profile) {
    CFSIM_CHECK(s.grid.step_s > 0 && kDayS % s.grid.step_s == 0, "the grid step must divide a day");
    const auto slots = static_cast<std::size_t>(kDayS / s.grid.step_s);
    slot_sum.assign(slots, 0.0);
    slot_weight.assign(slots, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (!(s.coverage[i] > 0))
        continue;
      const std::size_t k =
          day_slot(s.grid.cell_start(static_cast<std::int64_t>(i)), s.grid.step_s);
      slot_sum[k] += s.value[i] * s.coverage[i];
      slot_weight[k] += s.coverage[i];
    }
  }

  // Gaps: maximal runs [a, b) of cells the source does not cover.
  for (std::size_t a = 0; a < n;) {
    if (s.coverage[a] > 0) {
      ++a;
      continue;
    }
    std::size_t b = a;
    while (b < n && !(s.coverage[b] > 0))
      ++b;
    if (static_cast<double>(b - a) * step_s <= limit_s) {
      for (std::size_t i = a; i < b; ++i) {
        double v = kNaN;
        switch (p.method) {
        case FillMethod::none:
          break;
        case FillMethod::hold:
          if (a > 0)
            v = s.value[a - 1];
          break;
        case FillMethod::linear:
          if (a > 0 && b < n) {
            const double lo = s.value[a - 1], hi = s.value[b];
            v = lo +
                (hi - lo) * static_cast<double>(i - (a - 1)) / static_cast<double>(b - (a - 1));
          }
          break;
        case FillMethod::daily_profile: {
          const std::size_t k =
              day_slot(s.grid.cell_start(static_cast<std::int64_t>(i)), s.grid.step_s);
          if (slot_weight[k] > 0)
            v = slot_sum[k] / slot_weight[k];
          break;
        }
        }
        if (!std::isnan(v))
          put(i, v, 1.0);
      }
    }
    a = b;
  }
  return out;
}

QualityShares quality_shares(const FilledSeries& f) {
  const GridSeries& s = f.series;
  QualityShares q;
  const std::size_t n = s.value.size();
  if (n == 0)
    return q;
  for (std::size_t i = 0; i < n; ++i) {
    const double source = s.coverage[i] - f.filled_share[i];
    q.estimated += s.estimated_share[i];
    q.measured += source - s.estimated_share[i];
    q.filled += f.filled_share[i];
    q.missing += 1.0 - s.coverage[i];
  }
  const auto cells = static_cast<double>(n);
  q.measured /= cells;
  q.estimated /= cells;
  q.filled /= cells;
  q.missing /= cells;
  return q;
}

void check_comparable(const std::vector<Provenance>& traces, bool allow_mixing) {
  if (allow_mixing)
    return;
  const Provenance* first = nullptr;
  for (const Provenance& t : traces) {
    if (t.signal == SignalKind::price)
      continue;
    if (first == nullptr) {
      first = &t;
      continue;
    }
    std::string what;
    if (t.signal != first->signal)
      what = std::string("mix ") + to_string(first->signal) + " and " + to_string(t.signal) +
             " signals";
    else if (t.basis != first->basis)
      what = std::string("mix ") + to_string(first->basis) + " and " + to_string(t.basis) +
             " emission factors";
    if (!what.empty())
      throw ConfigError("traces " + describe(*first) + " and " + describe(t) + " " + what +
                        ", which answer different questions; compare them only on purpose, "
                        "with \"allow_mixed_signals\": true in the scenario");
  }
}

} // namespace cfsim
