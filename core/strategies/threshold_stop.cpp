// threshold_stop: stop fleet instances while the carbon intensity exceeds a threshold, subject
// to a minimum up-time and a number of hours each instance must run per UTC day (DESIGN §6).
// Applies the "suspend while above a threshold" rule of Ecovisor (Souza et al., ASPLOS 2023;
// cfsim's job version is ecovisor.cpp) to long-running instances; the up-time and daily-hours
// constraints are cfsim's, for services that cannot stay off for long.
//
// Decisions are made online, once per grid cell, from the period start. At cell i (start t):
// 1. Unless rule c or d below already forces the cell, the strategy asks
//    ctx.forecast_at(t, lookahead_h) (percentile) or ctx.forecast_at(t, one grid step)
//    (absolute threshold: only the current cell matters) and decides from that view only.
// 2. θ = `threshold_g_per_kwh`, or the `percentile` (0..100) of the known forecast values of
//    the cells overlapping [t, t + lookahead_h) (clipped to the period), linear interpolation at
//    position p·(n−1) of the sorted values (numpy's default "linear" method; as ecovisor).
// 3. The cell runs iff ANY of:
//    a. its forecast intensity is known and ≤ θ (stop only while it strictly exceeds θ);
//    b. its intensity is unknown (No-Fallback, DESIGN §3: the honest choice is to run, so no
//       saving is claimed on data that does not exist; the engine counts blind decisions only
//       for jobs today, so such cells are not counted anywhere);
//    c. min-up-time: the instance started (off → on, or on in the first cell) at cell s and
//       t < start(s) + min_up_h, so the minimum up-time is served in whole cells (rounded up);
//    d. the daily requirement forces it: with `ran` = seconds run so far in this UTC day and
//       `rest` = seconds from t to min(the next UTC midnight, the period end), the cell runs
//       if ran + rest − step < required_h_per_day, i.e. if skipping it would leave the day
//       short even if every later cell of the day ran. Required hours are therefore run as
//       late in the day as possible, and on a day the period cuts short the requirement is
//       capped at the time the period holds that day. A cell counts towards the UTC day it
//       starts in.
// Limits: every instance of the group gets the same plan; there is no start-up cost or
// boot time; the forecast is trusted as given (the engine's forecast model decides its error).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/stats.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {

constexpr TimeS kDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

class ThresholdStop final : public FleetStrategy {
public:
  ThresholdStop(std::optional<double> threshold, double percentile, TimeS lookahead_s,
                TimeS min_up_s, TimeS required_s)
      : threshold_(threshold), percentile_(percentile), lookahead_s_(lookahead_s),
        min_up_s_(min_up_s), required_s_(required_s) {}

  std::vector<Interval> plan(const FleetGroup&, const FleetContext& ctx) const override {
    const TimeGrid& g = ctx.grid;
    std::vector<Interval> spans;
    bool running = false;
    TimeS started_s = 0;
    std::int64_t day = 0;
    TimeS ran_today_s = 0;
    for (std::int64_t i = 0; i < g.n; ++i) {
      const TimeS t = g.cell_start(i);
      if (i == 0 || floor_div(t, kDay) != day) {
        day = floor_div(t, kDay);
        ran_today_s = 0;
      }
      const bool run = decide(ctx, i, t, running, started_s, ran_today_s);
      if (run && !running)
        started_s = t;
      running = run;
      if (!run)
        continue;
      // A cell counts towards the UTC day it starts in.
      ran_today_s += g.step_s;
      if (!spans.empty() && spans.back().end_s == t)
        spans.back().end_s = t + g.step_s;
      else
        spans.push_back({t, t + g.step_s});
    }
    return spans;
  }

private:
  bool decide(const FleetContext& ctx, std::int64_t cell, TimeS t, bool running, TimeS started_s,
              TimeS ran_today_s) const {
    const TimeGrid& g = ctx.grid;
    if (running && t < started_s + min_up_s_)
      return true;
    const TimeS rest_s = std::min((floor_div(t, kDay) + 1) * kDay, g.end_s()) - t;
    if (ran_today_s + rest_s - g.step_s < required_s_)
      return true;
    // The view is used before the next forecast_at call (it may share the caller's buffer).
    const ForecastView view = ctx.forecast_at(t, threshold_ ? g.step_s : lookahead_s_);
    if (!view.known(cell))
      return true;
    const double intensity = view.value(cell);
    if (threshold_)
      return intensity <= *threshold_;
    std::vector<double> known_values;
    for (std::int64_t c = view.first_cell(); c < view.end_cell(); ++c)
      if (view.known(c))
        known_values.push_back(view.value(c));
    // Non-empty: the current cell is known and inside the view.
    return intensity <= *percentile_linear(std::move(known_values), percentile_);
  }

  std::optional<double> threshold_;
  double percentile_;
  TimeS lookahead_s_, min_up_s_, required_s_;
};

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

TimeS hours_to_s(double h) {
  return static_cast<TimeS>(std::llround(h * 3600));
}

} // namespace

std::unique_ptr<FleetStrategy> make_threshold_stop(const Value& params) {
  ParamReader r(params, "strategy 'threshold_stop'");
  const bool has_threshold = r.value("threshold_g_per_kwh") != nullptr;
  const bool has_percentile = r.value("percentile") != nullptr;
  const bool has_lookahead = r.value("lookahead_h") != nullptr;
  const double threshold = r.number("threshold_g_per_kwh", 0.0);
  const double percentile = r.number("percentile", 0.0);
  const double lookahead_h = r.number("lookahead_h", 24.0);
  const double min_up_h = r.number("min_up_h", 1.0);
  const double required_h = r.number("required_h_per_day", 0.0);
  r.finish();
  const std::string& ctx = r.context();
  if (has_threshold == has_percentile)
    throw ConfigError(ctx + ": give exactly one of 'threshold_g_per_kwh' (absolute, g/kWh) or "
                            "'percentile' (0 to 100 of the forecast over lookahead_h)");
  if (has_threshold && !(threshold >= 0 && std::isfinite(threshold)))
    throw ConfigError(ctx + ": parameter 'threshold_g_per_kwh' is " + number_text(threshold) +
                      " (allowed: a finite number >= 0, in g/kWh)");
  if (has_percentile && !(percentile >= 0 && percentile <= 100))
    throw ConfigError(ctx + ": parameter 'percentile' is " + number_text(percentile) +
                      " (allowed: 0 to 100)");
  if (has_threshold && has_lookahead)
    throw ConfigError(ctx + ": parameter 'lookahead_h' applies only with 'percentile' (an "
                            "absolute 'threshold_g_per_kwh' looks at the current cell only)");
  if (!(lookahead_h > 0 && lookahead_h <= 24.0 * 366))
    throw ConfigError(ctx + ": parameter 'lookahead_h' is " + number_text(lookahead_h) +
                      " (allowed: more than 0, at most 8784 h)");
  if (!(min_up_h >= 0 && min_up_h <= 24.0 * 366))
    throw ConfigError(ctx + ": parameter 'min_up_h' is " + number_text(min_up_h) +
                      " (allowed: 0 to 8784 h)");
  if (!(required_h >= 0 && required_h <= 24))
    throw ConfigError(ctx + ": parameter 'required_h_per_day' is " + number_text(required_h) +
                      " (allowed: 0 to 24 h)");
  return std::make_unique<ThresholdStop>(
      has_threshold ? std::optional<double>(threshold) : std::nullopt, percentile,
      hours_to_s(lookahead_h), hours_to_s(min_up_h), hours_to_s(required_h));
}

} // namespace cfsim::strategies
