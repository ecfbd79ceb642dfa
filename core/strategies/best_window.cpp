// best_window: a non-interruptible job starts at the forecast's optimal window (DESIGN §6), with
// the Carbon Aware SDK's semantics (Green Software Foundation, carbon-aware-sdk: the forecast
// endpoint's rolling average over `windowSize` and its `optimalDataPoints`;
// `GetBestEmissionsDataForLocationsByTime` likewise returns every tied minimum).
//
// The SDK's rolling average (EmissionsData `RollingAverage` / `AverageOverPeriod`) is
// time-weighted: a data point (time, value, duration) counts with the part of its duration that
// falls inside the window, so points cut by the window's edges count fractionally. Its own
// examples are unit tests (StrategyBestWindowAverage.*): [10, 20, 30, 40, 5] on 5-min points
// with a 10-min window → [15, 25, 35, 22.5]; 01:00 = 30, 02:00 = 100, 03:00 = 50 (hourly) over
// 01:30–03:30 → (0.5·30 + 1·100 + 0.5·50) / 2 = 70.
//
// Here the points are the forecast cells of the job's view (the first one cut at the arrival),
// the window is the job's duration, and the candidate window starts are
//   arrival + k·step_s, k = 0, 1, …, with k·step_s ≤ max_wait
// (the SDK ticks by the data points' duration from the start of the requested data; cfsim's
// data start is the arrival, so with an off-grid arrival the candidates are not cell
// boundaries). Every candidate with the minimum average is reported (best_windows, like the
// SDK's optimalDataPoints); the job starts at the earliest one.
// Unknown data (No-Fallback, DESIGN §3): the SDK would average over whatever points exist; cfsim
// does not. A candidate whose window touches an unknown cell (or runs past the forecast window,
// e.g. the period end) is skipped and the decision is blind; if no candidate is fully known the
// job starts at its arrival. No parameters.
#include <algorithm>
#include <memory>

#include "cfsim/error.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

std::optional<double> time_weighted_average(std::span<const TimedValue> points, TimeS from_s,
                                            TimeS to_s) {
  if (from_s >= to_s)
    return std::nullopt;
  // Points are sorted and do not overlap: start at the first one ending after from_s.
  const auto first = std::partition_point(points.begin(), points.end(), [&](const TimedValue& p) {
    return p.time_s + p.duration_s <= from_s;
  });
  double sum = 0; // value × seconds, in time order (equal windows give bit-identical sums)
  TimeS covered_s = 0;
  for (auto it = first; it != points.end() && it->time_s < to_s; ++it) {
    const TimeS lo = std::max(from_s, it->time_s);
    const TimeS hi = std::min(to_s, it->time_s + it->duration_s);
    if (hi > lo) {
      sum += it->value * static_cast<double>(hi - lo);
      covered_s += hi - lo;
    }
  }
  if (covered_s != to_s - from_s)
    return std::nullopt; // a gap: the average would be a guess
  return sum / static_cast<double>(to_s - from_s);
}

std::vector<double> rolling_time_weighted_average(std::span<const TimedValue> points,
                                                  TimeS window_s) {
  CFSIM_CHECK(window_s > 0, "rolling average over a window of no length");
  for (std::size_t i = 0; i < points.size(); ++i) {
    CFSIM_CHECK(points[i].duration_s > 0, "rolling average over a point without duration");
    CFSIM_CHECK(i == 0 || points[i].time_s == points[i - 1].time_s + points[i - 1].duration_s,
                "rolling average over points that are not contiguous");
  }
  std::vector<double> out;
  if (points.empty())
    return out;
  const TimeS data_end = points.back().time_s + points.back().duration_s;
  for (const TimedValue& p : points) {
    if (p.time_s + window_s > data_end)
      break;
    out.push_back(*time_weighted_average(points, p.time_s, p.time_s + window_s));
  }
  return out;
}

BestWindows best_windows(const Job& job, const ForecastView& view) {
  BestWindows out;
  if (job.duration_s <= 0)
    return out;
  std::vector<TimedValue> points;
  for (const ForecastView::Segment& s :
       view.segments(job.arrival_s, job.arrival_s + job.duration_s + job.max_wait_s))
    if (s.known)
      points.push_back({s.span.start_s, s.intensity, s.span.duration_s()});
  const TimeS last = job.arrival_s + job.max_wait_s;
  for (TimeS s = job.arrival_s; s <= last; s += view.grid().step_s) {
    const std::optional<double> avg = time_weighted_average(points, s, s + job.duration_s);
    if (!avg) {
      out.blind = true;
    } else if (out.starts.empty() || *avg < out.average) {
      out.starts.assign(1, s);
      out.average = *avg;
    } else if (*avg == out.average) {
      out.starts.push_back(s);
    }
  }
  return out;
}

namespace {
class BestWindow final : public JobStrategy {
public:
  Placement place(const Job& job, const ForecastView& view) const override {
    Placement p;
    if (job.duration_s <= 0)
      return p;
    const BestWindows best = best_windows(job, view);
    const TimeS start = best.starts.empty() ? job.arrival_s : best.starts.front();
    p.pieces.push_back({start, start + job.duration_s});
    p.blind = best.blind;
    return p;
  }
};
} // namespace

std::unique_ptr<JobStrategy> make_best_window(const Value& params) {
  ParamReader(params, "strategy 'best_window'").finish();
  return std::make_unique<BestWindow>();
}

} // namespace cfsim::strategies
