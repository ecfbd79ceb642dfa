// lowest_slot: a non-interruptible job starts at the beginning of the lowest-intensity slot
// within its allowed wait (DESIGN §6). Models GAIA's Lowest-Slot (Hanafy et al., ASPLOS 2024,
// §5 `lowest`: the minimum of the per-step intensity over steps t … t+W, W included, earliest on
// ties; "in effect the first step of the cleanest hour, or 0 when the current hour is
// cleanest"). cfsim's intensity is constant per grid cell, so GAIA's per-step scan reduces to
// one candidate per cell:
//   the arrival itself (its cell may be partly over), and every cell boundary b with
//   arrival < b ≤ arrival + max_wait.
// Each candidate scores the intensity of the cell it starts in; the lowest wins, earliest on
// ties (so the arrival wins whenever its own cell is among the cleanest). The job then runs its
// whole duration from there without a break. Only the slot counts, not what follows it: a job
// longer than one cell may run on into dirtier cells (that is what lowest_window avoids).
// max_wait 0 leaves the arrival as the only candidate.
// Unknown data (No-Fallback, DESIGN §3): a candidate whose cell is unknown (or lies past the
// forecast window, e.g. past the period end) is never chosen while a known one exists; if none
// is known the job starts at its arrival. Placement::blind is set when any candidate cell was
// unknown. No parameters.
#include <memory>
#include <optional>

#include "cfsim/error.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
class LowestSlot final : public JobStrategy {
public:
  Placement place(const Job& job, const ForecastView& view) const override {
    Placement p;
    if (job.duration_s <= 0)
      return p;
    const TimeGrid& g = view.grid();
    std::optional<TimeS> best_start;
    double best = 0;
    auto consider = [&](TimeS s) {
      const std::int64_t cell = g.cell_of(s);
      const bool visible = s >= view.from_s() && s < view.to_s();
      if (!visible || !view.known(cell)) {
        p.blind = true;
        return;
      }
      const double intensity = view.value(cell);
      if (!best_start || intensity < best) { // strict: earliest wins ties
        best_start = s;
        best = intensity;
      }
    };
    consider(job.arrival_s);
    const TimeS last = job.arrival_s + job.max_wait_s;
    for (TimeS s = g.cell_start(g.cell_of(job.arrival_s) + 1); s <= last; s += g.step_s)
      consider(s);
    const TimeS start = best_start.value_or(job.arrival_s);
    p.pieces.push_back({start, start + job.duration_s});
    return p;
  }
};
} // namespace

std::unique_ptr<JobStrategy> make_lowest_slot(const Value& params) {
  ParamReader(params, "strategy 'lowest_slot'").finish();
  return std::make_unique<LowestSlot>();
}

} // namespace cfsim::strategies
