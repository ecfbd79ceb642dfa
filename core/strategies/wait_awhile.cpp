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
//
// Checkpoint/restart (Job::restart_overhead_s, restart_energy_wh, min_run_s; any non-zero): the
// pieces minimise the forecast emissions including the overheads, Σ intensity × running time
// (each resume runs restart_overhead_s longer) + Σ intensity at each suspended piece's end ×
// restart_energy_wh (weighed as running time at Job::run_power_w), subject to: within [arrival,
// deadline], every piece but the last at least min_run_s. Method: an exact dynamic programme
// over a time lattice from the arrival with quantum u = gcd(step, cell-boundary offset of the
// arrival, window length, duration, overhead, min_run). All constraints and the objective are
// linear in the piece ends between cell boundaries, so an optimum has its ends on this lattice:
// the DP is exact (one limit: a piece ending exactly on a cell boundary pays its suspension
// energy at the earlier cell). States (lattice point, useful work done, running/idle), O(cells ×
// (window/u) × (duration/u)) time and memory; a later piece is entered as one block of
// max(min_run, overhead + u) and then grows a quantum at a time, so min_run costs no extra state.
// If that exceeds 2^19 states (e.g. an arrival at an odd second), the lattice drops the arrival
// offset and window length (u = gcd(step, duration, overhead, min_run), anchored at the arrival;
// no longer exact, still valid); if that is still too fine, the job runs in one piece like a
// non-interruptible job. Ties: the DP's scan order (deterministic; the optimum ending earliest).
// With all three 0 the clean algorithm above runs unchanged.
//
// Non-interruptible jobs (job.interruptible == false) are placed exactly like lowest_window with
// its default "step" candidates (the paper's non-interruptible policy).
// Unknown data (No-Fallback, DESIGN §3): segments on unknown cells (or past the forecast window,
// e.g. the period end) are never chosen while known time suffices; if it does not, unknown
// segments fill the rest earliest-first (the DP minimises unknown running time first, then the
// known emissions). Placement::blind is set whenever the window had an unknown segment.
// No parameters.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <vector>

#include "cfsim/error.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {
using Segment = ForecastView::Segment;

// Forecast cost of running: seconds on unknown intensity first (No-Fallback: never traded for
// known time), then Σ intensity × seconds over known time.
struct Cost {
  double unknown_s = 0;
  double known = 0;
  Cost operator+(const Cost& o) const { return {unknown_s + o.unknown_s, known + o.known}; }
  Cost operator-(const Cost& o) const { return {unknown_s - o.unknown_s, known - o.known}; }
  bool operator<(const Cost& o) const {
    return unknown_s != o.unknown_s ? unknown_s < o.unknown_s : known < o.known;
  }
};
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxStates = std::size_t{1} << 19;

// The clean algorithm: the lowest-intensity segments, exactly `duration` seconds.
std::vector<Interval> place_clean(const Job& job, const std::vector<Segment>& segs) {
  std::vector<std::size_t> order(segs.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  // Known before unknown; known by intensity; stable, so ties and unknowns stay in time order.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    if (segs[x].known != segs[y].known)
      return segs[x].known;
    return segs[x].known && segs[x].intensity < segs[y].intensity;
  });
  std::vector<Interval> pieces;
  TimeS left = job.duration_s;
  for (std::size_t i : order) {
    if (left == 0)
      break;
    const TimeS len = std::min(left, segs[i].span.duration_s());
    pieces.push_back({segs[i].span.start_s, segs[i].span.start_s + len});
    left -= len;
  }
  CFSIM_CHECK(left == 0, "wait_awhile: window shorter than the job");
  std::sort(pieces.begin(), pieces.end(),
            [](const Interval& x, const Interval& y) { return x.start_s < y.start_s; });
  std::vector<Interval> merged;
  for (const Interval& piece : pieces) {
    if (!merged.empty() && merged.back().end_s == piece.start_s)
      merged.back().end_s = piece.end_s;
    else
      merged.push_back(piece);
  }
  return merged;
}

enum Act : std::uint8_t { kNone, kIdle, kSuspend, kContinue, kStartFirst, kStartLater, kFinish };

// The checkpoint/restart optimum on the lattice a + i·u, i = 0..n (see the file comment);
// nullopt if the lattice has too many states.
std::optional<std::vector<Interval>> place_lattice(const Job& job, const ForecastView& view,
                                                   TimeS u) {
  const TimeS a = job.arrival_s;
  const auto n = static_cast<std::size_t>((job.deadline_s() - a) / u);
  const auto wn = static_cast<std::size_t>(job.duration_s / u);
  const auto ov = static_cast<std::size_t>(job.restart_overhead_s / u);
  const auto mr = static_cast<std::size_t>(job.min_run_s / u);
  if ((n + 1) * (wn + 1) > kMaxStates)
    return std::nullopt;
  const double energy_s =
      job.run_power_w > 0 ? job.restart_energy_wh * 3600.0 / job.run_power_w : 0.0;
  // prefix[j]: cost of running quanta 0..j−1; susp[j]: suspension cost of a piece ending at the
  // end of quantum j (intensity of its last segment).
  std::vector<Cost> prefix(n + 1), susp(n);
  for (std::size_t j = 0; j < n; ++j) {
    const TimeS t = a + static_cast<TimeS>(j) * u;
    Cost q;
    const std::vector<Segment> segs = view.segments(t, t + u);
    for (const Segment& sg : segs) {
      const auto len = static_cast<double>(sg.span.duration_s());
      if (sg.known)
        q.known += sg.intensity * len;
      else
        q.unknown_s += len;
    }
    prefix[j + 1] = prefix[j] + q;
    susp[j] = segs.back().known ? Cost{0, segs.back().intensity * energy_s} : Cost{energy_s, 0};
  }
  const auto run_cost = [&](std::size_t i, std::size_t k) { return prefix[k] - prefix[i]; };
  const std::size_t width = wn + 1;
  const auto at = [&](std::size_t i, std::size_t w) { return i * width + w; };
  const Cost never{kInf, kInf};
  std::vector<Cost> on((n + 1) * width, never), off((n + 1) * width, never);
  std::vector<std::uint8_t> act_on(on.size(), kNone), act_off(off.size(), kNone);
  std::vector<std::size_t> finish_from(n + 1, 0);
  const auto relax = [](std::vector<Cost>& c, std::vector<std::uint8_t>& act, std::size_t s,
                        const Cost& v, Act how) {
    if (v < c[s]) {
      c[s] = v;
      act[s] = how;
    }
  };
  off[at(0, 0)] = Cost{};
  const std::size_t first_block = std::max<std::size_t>(mr, 1);
  const std::size_t later_block = std::max(mr, ov + 1);
  for (std::size_t i = 0; i <= n; ++i)
    for (std::size_t w = 0; w < wn; ++w) {
      const Cost run = on[at(i, w)];
      if (run.known < kInf && i < n) {
        relax(on, act_on, at(i + 1, w + 1), run + run_cost(i, i + 1), kContinue);
        relax(off, act_off, at(i + 1, w), run + susp[i - 1], kSuspend);
      }
      const Cost idle = off[at(i, w)];
      if (!(idle.known < kInf))
        continue;
      if (i < n)
        relax(off, act_off, at(i + 1, w), idle, kIdle);
      const std::size_t block = w == 0 ? first_block : later_block;
      const std::size_t gain = w == 0 ? block : block - ov;
      if (w + gain <= wn && i + block <= n)
        relax(on, act_on, at(i + block, w + gain), idle + run_cost(i, i + block),
              w == 0 ? kStartFirst : kStartLater);
      // The last piece may be shorter than min_run: it ends with the job.
      const std::size_t len = (w == 0 ? 0 : ov) + wn - w;
      if (len < block && i + len <= n && idle + run_cost(i, i + len) < on[at(i + len, wn)]) {
        on[at(i + len, wn)] = idle + run_cost(i, i + len);
        act_on[at(i + len, wn)] = kFinish;
        finish_from[i + len] = w;
      }
    }
  std::size_t best = n + 1;
  for (std::size_t i = 0; i <= n; ++i)
    if (on[at(i, wn)] < (best <= n ? on[at(best, wn)] : never))
      best = i;
  CFSIM_CHECK(best <= n, "wait_awhile: no placement on the lattice");

  std::vector<Interval> pieces;
  const auto time_of = [&](std::size_t i) { return a + static_cast<TimeS>(i) * u; };
  std::size_t i = best, w = wn, piece_end = best;
  bool running = true;
  while (!(i == 0 && w == 0 && !running)) {
    const std::uint8_t act = running ? act_on[at(i, w)] : act_off[at(i, w)];
    CFSIM_CHECK(act != kNone, "wait_awhile: broken DP back-track");
    if (act == kIdle) {
      --i;
    } else if (act == kSuspend) {
      --i;
      running = true;
      piece_end = i;
    } else if (act == kContinue) {
      --i;
      --w;
    } else {
      std::size_t start = 0;
      if (act == kFinish) {
        const std::size_t from = finish_from[i];
        start = i - ((from == 0 ? 0 : ov) + wn - from);
        w = from;
      } else {
        const std::size_t block = act == kStartFirst ? first_block : later_block;
        start = i - block;
        w -= act == kStartFirst ? block : block - ov;
      }
      pieces.push_back({time_of(start), time_of(piece_end)});
      i = start;
      running = false;
    }
  }
  std::reverse(pieces.begin(), pieces.end());
  return pieces;
}

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
    p.blind = std::any_of(segs.begin(), segs.end(), [](const Segment& s) { return !s.known; });
    const bool weighs_energy = job.restart_energy_wh > 0 && job.run_power_w > 0;
    if (job.restart_overhead_s == 0 && job.min_run_s == 0 && !weighs_energy) {
      p.pieces = place_clean(job, segs);
      return p;
    }
    const TimeS step = view.grid().step_s;
    const TimeS offset = ((view.grid().start_s - job.arrival_s) % step + step) % step;
    const TimeS base =
        std::gcd(std::gcd(step, job.duration_s), std::gcd(job.restart_overhead_s, job.min_run_s));
    for (const TimeS u : {std::gcd(base, std::gcd(offset, job.deadline_s() - job.arrival_s)), base})
      if (std::optional<std::vector<Interval>> pieces = place_lattice(job, view, u)) {
        p.pieces = std::move(*pieces);
        return p;
      }
    Placement one = non_interruptible_->place(job, view);
    one.blind = one.blind || p.blind;
    return one;
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
