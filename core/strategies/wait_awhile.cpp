// wait_awhile: an interruptible job runs in the lowest-intensity time of its window
// [arrival, arrival + duration + max_wait) (DESIGN §6). Models the interruptible policy of Let's
// Wait Awhile (Wiesner et al., Middleware 2021, §6.3) and GAIA's suspend-resume / WaitAwhile
// mode (Hanafy et al., ASPLOS 2024, §6.2), in its clean form: exactly `duration` seconds, the
// earliest among ties, never past the deadline, no suspend/resume overhead.
//
// The window is split at grid-cell boundaries into segments of constant intensity; segments are
// taken in ascending intensity (ties: the earliest) until the duration is reached, the last one
// only partly (its earliest part, like GAIA's "earliest steps of the boundary hour"). Adjacent
// pieces are merged; pieces are in time order.
// Non-interruptible jobs (job.interruptible == false) are placed exactly like lowest_window with
// its default "step" candidates (the paper's non-interruptible policy).
// Unknown data (No-Fallback, DESIGN §3): segments on unknown cells (or past the forecast window,
// e.g. the period end) are never chosen while known time suffices; if it does not, unknown
// segments fill the rest earliest-first. Placement::blind is set whenever the window had an
// unknown segment. No parameters.
#include <algorithm>
#include <memory>

#include "cfsim/error.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
using Segment = ForecastView::Segment;

class WaitAwhile final : public JobStrategy {
public:
  WaitAwhile() : non_interruptible_(make_lowest_window(Value())) {}

  Placement place(const Job& job, const ForecastView& view) const override {
    if (!job.interruptible)
      return non_interruptible_->place(job, view);
    Placement p;
    if (job.duration_s <= 0)
      return p;
    const std::vector<Segment> segs = view.segments(job.arrival_s, job.deadline_s());
    std::vector<std::size_t> order(segs.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    // Known before unknown; known by intensity; stable, so ties and unknowns stay in time order.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      if (segs[x].known != segs[y].known)
        return segs[x].known;
      return segs[x].known && segs[x].intensity < segs[y].intensity;
    });
    TimeS left = job.duration_s;
    for (std::size_t i : order) {
      if (left == 0)
        break;
      const TimeS len = std::min(left, segs[i].span.duration_s());
      p.pieces.push_back({segs[i].span.start_s, segs[i].span.start_s + len});
      left -= len;
    }
    CFSIM_CHECK(left == 0, "wait_awhile: window shorter than the job");
    p.blind = std::any_of(segs.begin(), segs.end(), [](const Segment& s) { return !s.known; });
    std::sort(p.pieces.begin(), p.pieces.end(),
              [](const Interval& x, const Interval& y) { return x.start_s < y.start_s; });
    std::vector<Interval> merged;
    for (const Interval& piece : p.pieces) {
      if (!merged.empty() && merged.back().end_s == piece.start_s)
        merged.back().end_s = piece.end_s;
      else
        merged.push_back(piece);
    }
    p.pieces = std::move(merged);
    return p;
  }

private:
  std::unique_ptr<JobStrategy> non_interruptible_;
};
} // namespace

std::unique_ptr<JobStrategy> make_wait_awhile(const Value& params) {
  ParamReader(params, "strategy 'wait_awhile'").finish();
  return std::make_unique<WaitAwhile>();
}

} // namespace cfsim::strategies
