// The spot interruption model of batch jobs (DESIGN §5, docs/methodology.md §5.1). Pure.
//
// A job runs on spot from its start. In every grid cell it runs in on spot, an interruption
// happens with probability q = 1 − (1 − p)^(seconds / 3600), p the probability per hour and
// `seconds` the time it runs in that cell; it strikes at the end of that running time (the cell
// boundary), unless the job finishes there. The work done since the last checkpoint is lost
// (checkpoints every `checkpoint_interval_s` seconds of work; none: all work since the start)
// and the job restarts at once on `restart_on` capacity, first reloading its checkpoint for
// `restart_overhead_s` of running time (Job::restart_overhead_s, as for a resume). On spot it
// may be interrupted again; on on-demand it runs to the end.
//
// The draws come from Rng(seed, spot_stream(job id, attempt)) (cfsim/rng.hpp): one uniform01()
// per cell an attempt runs in on spot, in time order, except the cell it finishes in; the draw u
// interrupts iff u < q. So an outcome depends only on (scenario seed, job id, attempt, the
// cells run), never on other jobs, runs or threads.
#pragma once

#include <cstdint>
#include <vector>

#include "cfsim/cost.hpp"
#include "cfsim/rng.hpp"
#include "cfsim/time.hpp"

namespace cfsim {

struct SpotModel {
  double interruption_per_h = 0;                         // p in [0, 1]
  TimeS checkpoint_interval_s = 0;                       // of work; 0: no checkpoints
  PurchaseOption restart_on = PurchaseOption::on_demand; // on_demand or spot
  TimeS restart_overhead_s = 0; // running time that reloads the checkpoint at every restart
};

// 1 − (1 − p)^(seconds / 3600): 0 for p = 0 or no time, 1 for p = 1 and any time.
double interruption_probability(double p_per_h, TimeS seconds);

// The Rng stream of a job's attempt (0 = the first start, k = the k-th restart).
std::uint64_t spot_stream(std::int64_t job_id, std::int64_t attempt);

// A span the job ran, on the capacity it ran on.
struct ExecutedPiece {
  Interval span;
  PurchaseOption capacity = PurchaseOption::on_demand;
  friend bool operator==(const ExecutedPiece&, const ExecutedPiece&) = default;
};

struct SpotRun {
  std::vector<ExecutedPiece> pieces; // in time order, each attempt one piece, back to back
  std::int32_t interruptions = 0;
  TimeS lost_work_s = 0;       // work done and lost (redone), summed over the interruptions
  TimeS unfinished_work_s = 0; // work still to do at stop_s (0: the job finished)
};

// Simulates a job of `work_s` seconds of work that starts on spot at `start_s`, on the cells of
// `grid` (extended past its end by the same step), until it finishes or until `stop_s` (the end
// of the period: pieces are cut there, the work left is `unfinished_work_s`, and an interruption
// at stop_s is not counted).
SpotRun simulate_spot(const TimeGrid& grid, TimeS start_s, TimeS work_s, const SpotModel& m,
                      std::uint64_t seed, std::int64_t job_id, TimeS stop_s);

// What a strategy can expect of a spot start, to first order in the interruptions: one outcome
// per cell boundary b inside the run — the first interruption at b, with probability
// Π_{earlier cells}(1 − q) · q_b, after which the job reruns from its last checkpoint on
// restart_on capacity without a further interruption — and the uninterrupted run, with the
// remaining probability. The probabilities sum to 1. Exact for restart_on = on_demand; for
// restart_on = spot it leaves out second interruptions (an error of order q²).
struct SpotOutcome {
  double probability = 0;
  std::vector<ExecutedPiece> pieces;
};
std::vector<SpotOutcome> spot_outcomes(const TimeGrid& grid, TimeS start_s, TimeS work_s,
                                       const SpotModel& m);

} // namespace cfsim
