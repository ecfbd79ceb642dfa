// lowest_window: a non-interruptible job starts where the forecast intensity summed over its
// length is lowest within its allowed wait (DESIGN §6). Models GAIA's Lowest-Window* (Hanafy et
// al., ASPLOS 2024, §5 `oracle`: the job's true length, offsets in whole steps after arrival,
// W inclusive, earliest on ties) and the non-interruptible policy of Let's Wait Awhile (Wiesner
// et al., Middleware 2021, §6.3), in its clean form: offsets 0 … max_wait, never the paper's
// extra candidate one slot past the deadline.
//
// Candidates (parameter `candidates`):
//   "step" (default): arrival + k·step_s, k = 0, 1, …, with k·step_s ≤ max_wait. With an
//     off-grid arrival these are not cell boundaries (GAIA: "whole hours after the arrival
//     step, not clock-hour boundaries").
//   "cell": the arrival itself and every cell boundary after it with offset ≤ max_wait.
// Score: ∫ intensity dt over [s, s + duration) (ForecastView::integrate, cells summed in time
// order); the lowest wins, earliest on ties.
// Unknown data (No-Fallback, DESIGN §3): a candidate whose window touches an unknown cell (or
// runs past the forecast window, e.g. the period end) is not scored, because its sum would be
// a guess. Only fully known candidates compete; if none is fully known the job starts at its
// arrival. Either way Placement::blind is set when any candidate met unknown data.
#include <memory>
#include <optional>
#include <string>

#include "cfsim/error.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
class LowestWindow final : public JobStrategy {
public:
  explicit LowestWindow(bool cell_candidates) : cell_candidates_(cell_candidates) {}

  Placement place(const Job& job, const ForecastView& view) const override {
    Placement p;
    if (job.duration_s <= 0)
      return p;
    const TimeGrid& g = view.grid();
    std::optional<TimeS> best_start;
    double best = 0;
    auto consider = [&](TimeS s) {
      const ForecastView::Integral in = view.integrate(s, s + job.duration_s);
      if (in.unknown_s > 0) {
        p.blind = true;
      } else if (!best_start || in.value_s < best) { // strict: earliest wins ties
        best_start = s;
        best = in.value_s;
      }
    };
    const TimeS last = job.arrival_s + job.max_wait_s;
    if (cell_candidates_) {
      consider(job.arrival_s);
      for (TimeS s = g.cell_start(g.cell_of(job.arrival_s) + 1); s <= last; s += g.step_s)
        consider(s);
    } else {
      for (TimeS s = job.arrival_s; s <= last; s += g.step_s)
        consider(s);
    }
    const TimeS start = best_start.value_or(job.arrival_s);
    p.pieces.push_back({start, start + job.duration_s});
    return p;
  }

private:
  bool cell_candidates_;
};
} // namespace

std::unique_ptr<JobStrategy> make_lowest_window(const Value& params) {
  ParamReader r(params, "strategy 'lowest_window'");
  const std::string candidates = r.string("candidates", "step");
  r.finish();
  if (candidates != "step" && candidates != "cell")
    throw ConfigError(r.context() + ": parameter 'candidates' is '" + candidates +
                      "' (allowed: step, cell)");
  return std::make_unique<LowestWindow>(candidates == "cell");
}

} // namespace cfsim::strategies
