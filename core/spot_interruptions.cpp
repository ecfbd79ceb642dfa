// The spot interruption model (include/cfsim/spot.hpp; docs/methodology.md §5.1).
//
// Modelling choices and their limits:
// - Interruptions are drawn per grid cell, with the probability of a constant hazard over the
//   seconds run in the cell, 1 − (1 − p)^(s/3600), and strike at the end of that running time.
//   Placing them at cell boundaries keeps the model discrete like the traces (one outcome per
//   cell) and makes checkpoint arithmetic exact; it loses the expected half-cell of work an
//   interruption inside a cell would also waste, which matters only for checkpoint intervals
//   shorter than the step.
// - Periodic checkpoints cost nothing; only reloading one after a restart costs running time
//   (Job::restart_overhead_s). AWS gives a two-minute notice before reclaiming an instance; the
//   model does not use it.
// - p is the scenario's stated rate (AWS publishes only coarse monthly buckets in its Spot
//   Instance Advisor); it is never estimated by cfsim.
#include "cfsim/spot.hpp"

#include <algorithm>
#include <cmath>

#include "cfsim/error.hpp"

namespace cfsim {

namespace {
constexpr std::uint64_t kSpotTag = 0x73706f74ULL; // "spot"

TimeS next_boundary(const TimeGrid& g, TimeS t) {
  return g.cell_start(g.cell_of(t) + 1);
}

// Work saved at a checkpoint when `progress` seconds of work are done.
TimeS saved_at(TimeS progress, TimeS checkpoint_interval_s) {
  return checkpoint_interval_s > 0 ? progress / checkpoint_interval_s * checkpoint_interval_s : 0;
}
} // namespace

double interruption_probability(double p_per_h, TimeS seconds) {
  CFSIM_CHECK(p_per_h >= 0 && p_per_h <= 1, "interruption probability per hour outside [0, 1]");
  if (seconds <= 0 || p_per_h <= 0)
    return 0.0;
  if (p_per_h >= 1)
    return 1.0;
  // −expm1(h·log1p(−p)) = 1 − (1 − p)^h, accurate for small p.
  return -std::expm1(static_cast<double>(seconds) / 3600.0 * std::log1p(-p_per_h));
}

std::uint64_t spot_stream(std::int64_t job_id, std::int64_t attempt) {
  return splitmix64(splitmix64(kSpotTag ^ static_cast<std::uint64_t>(job_id)) +
                    static_cast<std::uint64_t>(attempt));
}

SpotRun simulate_spot(const TimeGrid& grid, TimeS start_s, TimeS work_s, const SpotModel& m,
                      std::uint64_t seed, std::int64_t job_id, TimeS stop_s) {
  CFSIM_CHECK(work_s > 0 && grid.step_s > 0, "spot simulation of an empty job");
  CFSIM_CHECK(m.restart_on == PurchaseOption::on_demand || m.restart_on == PurchaseOption::spot,
              "spot jobs restart on on-demand or spot capacity");
  SpotRun run;
  TimeS t = start_s, saved = 0;
  PurchaseOption capacity = PurchaseOption::spot;
  for (std::int64_t attempt = 0;; ++attempt) {
    const TimeS overhead = attempt > 0 ? m.restart_overhead_s : 0;
    const TimeS end = t + overhead + (work_s - saved);
    if (t >= stop_s) {
      run.unfinished_work_s = work_s - saved;
      return run;
    }
    bool interrupted = false;
    if (capacity == PurchaseOption::spot) {
      Rng rng(seed, spot_stream(job_id, attempt));
      for (TimeS a = t; a < end && !interrupted;) {
        const TimeS b = std::min(end, next_boundary(grid, a));
        if (b >= end || b >= stop_s)
          break; // finishes in this cell, or the period ends first: no interruption
        if (rng.uniform01() < interruption_probability(m.interruption_per_h, b - a)) {
          const TimeS progress = saved + std::max<TimeS>(0, b - t - overhead);
          const TimeS kept = saved_at(progress, m.checkpoint_interval_s);
          run.lost_work_s += progress - kept;
          ++run.interruptions;
          run.pieces.push_back({{t, b}, PurchaseOption::spot});
          saved = kept;
          t = b;
          capacity = m.restart_on;
          interrupted = true;
        }
        a = b;
      }
    }
    if (interrupted)
      continue; // the next attempt starts at t
    const TimeS e = std::min(end, stop_s);
    run.pieces.push_back({{t, e}, capacity});
    if (end > stop_s)
      run.unfinished_work_s = work_s - (saved + std::max<TimeS>(0, stop_s - t - overhead));
    return run;
  }
}

std::vector<SpotOutcome> spot_outcomes(const TimeGrid& grid, TimeS start_s, TimeS work_s,
                                       const SpotModel& m) {
  CFSIM_CHECK(work_s > 0 && grid.step_s > 0, "spot outcomes of an empty job");
  std::vector<SpotOutcome> out;
  const TimeS end = start_s + work_s;
  double survive = 1.0;
  for (TimeS a = start_s; a < end;) {
    const TimeS b = std::min(end, next_boundary(grid, a));
    if (b >= end)
      break;
    const double q = interruption_probability(m.interruption_per_h, b - a);
    if (q > 0) {
      const TimeS kept = saved_at(b - start_s, m.checkpoint_interval_s);
      out.push_back({survive * q,
                     {{{start_s, b}, PurchaseOption::spot},
                      {{b, b + m.restart_overhead_s + (work_s - kept)}, m.restart_on}}});
    }
    survive *= 1.0 - q;
    a = b;
  }
  out.push_back({survive, {{{start_s, end}, PurchaseOption::spot}}});
  return out;
}

} // namespace cfsim
