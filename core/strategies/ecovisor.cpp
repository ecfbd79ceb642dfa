// ecovisor: run while the forecast intensity is below a percentile of the coming hours, or once
// the wait budget is spent (DESIGN §6). Models Ecovisor's threshold policy (Souza et al.,
// ASPLOS 2023) as GAIA implements it (Hanafy et al., ASPLOS 2024, §6.2 suspend-resume-threshold).
//
// θ = the `percentile` (default 30) of the per-cell intensities of the cells overlapping
// [arrival, arrival + lookahead_h) (default 24 h; clipped to the period), linear interpolation
// at position p·(n−1) of the sorted values (numpy's default method, with numpy's lerp). Unlike
// GAIA (5-s steps) each cell counts once, also a partly covered first cell.
// The budget starts at max_wait. Segments (grid cells, clipped to the window
// [arrival, arrival + duration + max_wait)) are walked in time order: a segment runs if its
// intensity < θ (strict) or the budget is spent; otherwise the job idles and the segment's
// length is taken from the budget. A segment longer than the remaining budget idles for the
// budget's rest and runs from there, so once the budget is spent the job runs to the end.
// Non-interruptible jobs wait the same way until their first run segment, then run to the end
// without a break (the same rule, without suspending).
// Checkpoint/restart (Job): a piece, once started, runs at least min_run_s (or until the job
// ends) whatever the intensity; then the rule applies again from there. Every resume runs
// restart_overhead_s longer, and that time is taken from the wait budget, so the job idles only
// while the budget exceeds one overhead (the resume must still fit before the deadline).
// restart_energy_wh does not change the decision (the engine accounts it). All 0: as above.
// Unknown data (No-Fallback, DESIGN §3): unknown cells are left out of θ (blind); an unknown
// segment (or one past the forecast window) is never "below θ", so the job waits there while
// budget remains, and that decision is blind.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/stats.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
using Segment = ForecastView::Segment;

class Ecovisor final : public JobStrategy {
public:
  Ecovisor(double percentile, TimeS lookahead_s)
      : percentile_(percentile), lookahead_s_(lookahead_s) {}

  TimeS horizon_s(const Job& job) const override {
    return std::max(job.duration_s + job.max_wait_s, lookahead_s_);
  }

  Placement place(const Job& job, const ForecastView& view) const override {
    Placement p;
    if (job.duration_s <= 0)
      return p;
    std::vector<double> known_values;
    const TimeS look_end = job.arrival_s + lookahead_s_;
    for (std::int64_t c = view.first_cell();
         c < view.end_cell() && view.grid().cell_start(c) < look_end; ++c) {
      if (view.known(c))
        known_values.push_back(view.value(c));
      else
        p.blind = true;
    }
    const std::optional<double> theta = percentile_linear(std::move(known_values), percentile_);

    // A later start pays its restart overhead from the wait budget, so idle time + overheads
    // never exceed max_wait and the job ends by its deadline.
    const TimeS overhead = job.interruptible ? job.restart_overhead_s : 0;
    TimeS budget = job.max_wait_s;
    TimeS left = job.duration_s; // running time still to do; grows by the overhead per resume
    TimeS run_until = 0;         // min_run: the current piece runs at least until here
    bool running = false;        // the last piece ends at the current time
    for (const Segment& seg : view.segments(job.arrival_s, job.deadline_s())) {
      const bool below = seg.known && theta && seg.intensity < *theta;
      TimeS t = seg.span.start_s;
      while (t < seg.span.end_s && left > 0) {
        const bool started = !p.pieces.empty();
        const TimeS idle_budget = budget - (started ? overhead : 0);
        if (!(running && t < run_until) && !below && idle_budget > 0) {
          if (!seg.known)
            p.blind = true;
          const TimeS idle = std::min(idle_budget, seg.span.end_s - t);
          budget -= idle;
          t += idle;
          running = false;
          continue;
        }
        if (!running) { // start, or resume after the checkpoint's reload
          if (started) {
            left += overhead;
            budget -= overhead;
          }
          p.pieces.push_back({t, t});
          running = true;
          run_until = t + job.min_run_s;
        }
        TimeS len = std::min(left, seg.span.end_s - t);
        if (t < run_until) // the forced part ends at run_until; decide again there
          len = std::min(len, run_until - t);
        if (!job.interruptible)
          len = left;
        p.pieces.back().end_s += len;
        t += len;
        left -= len;
      }
    }
    CFSIM_CHECK(left == 0, "ecovisor: window shorter than the job");
    return p;
  }

private:
  double percentile_;
  TimeS lookahead_s_;
};
} // namespace

namespace {
std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}
} // namespace

std::unique_ptr<JobStrategy> make_ecovisor(const Value& params) {
  ParamReader r(params, "strategy 'ecovisor'");
  const double percentile = r.number("percentile", 30.0);
  const double lookahead_h = r.number("lookahead_h", 24.0);
  r.finish();
  if (!(percentile >= 0 && percentile <= 100))
    throw ConfigError(r.context() + ": parameter 'percentile' is " + number_text(percentile) +
                      " (allowed: 0 to 100)");
  if (!(lookahead_h > 0 && lookahead_h <= 24.0 * 366))
    throw ConfigError(r.context() + ": parameter 'lookahead_h' is " + number_text(lookahead_h) +
                      " (allowed: more than 0, at most 8784 h)");
  return std::make_unique<Ecovisor>(percentile,
                                    static_cast<TimeS>(std::llround(lookahead_h * 3600)));
}

} // namespace cfsim::strategies
