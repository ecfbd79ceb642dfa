// Batch kernels: place many batch jobs on one fully known intensity trace at once. They give the
// same answers as the per-job strategies no_wait, lowest_window and wait_awhile
// (core/strategies/) in their plain form, but in O(1) or O(log T) per job after a preprocessing
// pass over the trace, so that the engine, sweeps and the CAS-30d benchmark
// (shared/bench/WORKLOAD.md, bench/cas30d.cpp) can place millions of jobs per second.
//
// Model, shared by all three kernels. `ci` is an intensity trace of T steps on a regular grid
// (step t covers [t·dt, (t+1)·dt)); every value must be finite: the kernels have no notion of
// unknown data, which stays with the strategies (No-Fallback, DESIGN §3). Job i arrives at step
// arrivals[i] and runs for lengths[i] whole steps at a constant 1 kW (scale the costs by the
// job's power); the allowed wait is `window` steps for every job. Step indices are int32: T must
// be below 2^31 − 1. A placement's cost is Σ ci over the steps it runs × step_h (the step in
// hours), i.e. g CO2 for a 1 kW job when ci is in g/kWh. Jobs must satisfy arrivals[i] ≥ 0,
// lengths[i] ≥ 1 and arrivals[i] + lengths[i] ≤ T; the output spans have one element per job.
// A broken precondition is a bug in the caller and fails a CFSIM_CHECK, naming the first bad job.
//
// Windows that run past the end of the trace are clipped to it, like a ForecastView clipped to
// the scenario period: candidates that would not fit are not considered.
//
// Relation to the strategies, for a job arriving on a cell boundary with duration L·step,
// max_wait W·step and a fully known oracle forecast:
//  - no_wait_batch = strategy no_wait: the job runs [a, a + L).
//  - lowest_window_batch = strategy lowest_window (default "step" candidates): start s in
//    [a, min(a + W, T − L)] minimising Σ ci[s, s + L); ties → the earliest s. The kernel scores a
//    window as the prefix-sum difference P[s + L] − P[s] with P[0] = 0, P[t + 1] = P[t] + ci[t]
//    summed in time order (like numpy's cumsum in cas30d_ref.py, so the argmins agree with it);
//    the strategy sums the window's cells in time order. The two agree exactly whenever both
//    sums are exact (e.g. integer-valued traces); on real-valued traces two windows whose sums
//    differ by a rounding error (~1e-16 relative) may be ordered differently.
//  - wait_awhile_batch = strategy wait_awhile for an interruptible job without checkpoint
//    overheads: the job runs in the L lowest-intensity steps of [a, min(a + L + W, T)) and costs
//    the sum of the L smallest values there (whichever of tied steps is chosen, the sum is the
//    same). Only the cost is returned, not the pieces.
//
// Rounding: no_wait and lowest_window costs are exactly (P[s + L] − P[s]) × step_h (the
// reference's P difference, scaled). wait_awhile adds up differences of prefix sums taken over
// the whole trace, so its error is about log2(T) · 2^-53 · Σ|ci| (~1e-12 relative on CAS-30d).
// The strategies sum cells in time order, so their costs may differ in the last bits. Results
// are deterministic: same inputs, same bits. One call runs on one thread and shares no state with
// other calls, so sweeps parallelise across calls.
//
// Complexity (N jobs, T steps, K = max − min + 1 of the lengths, A = the same of the arrivals):
// no_wait O(T + N); lowest_window O(T + N + K·(A + W)) time and O(K·A) memory (a sliding-window
// minimum per distinct length fills a start table, then one look-up per job); wait_awhile
// O(T log T + N log T) time and O(T log T) memory (a wavelet matrix answers "sum of the k
// smallest values in [l, r)"), or, when K·A ≤ N/2, one such query per (arrival, length) pair and
// a look-up per job. Scratch memory comes from a BatchScratch (below), allocated at most once per
// call; the inner loops neither allocate nor make virtual calls. core/batch_kernels.cpp explains
// the algorithms; docs/performance.md (CAS-30d) gives their measured speed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace cfsim {

// Memory the kernels keep between calls: prefix sums, start tables, the wavelet matrix (a few MB
// for 10^6 jobs on a 5-minute month). Optional: the overloads without it allocate and free their
// own on every call, which on a large batch costs a page fault per fresh 4 KiB page, a few ms on
// a virtual machine. Pass one to a series of calls (a sweep, a benchmark) and only the first call
// pays for that memory. Not thread-safe: one per thread. The buffers only grow; destroy the
// object to give the memory back. A moved-from BatchScratch may only be assigned to or destroyed.
class BatchScratch {
public:
  BatchScratch();
  ~BatchScratch();
  BatchScratch(BatchScratch&&) noexcept;
  BatchScratch& operator=(BatchScratch&&) noexcept;
  BatchScratch(const BatchScratch&) = delete;
  BatchScratch& operator=(const BatchScratch&) = delete;

  std::size_t bytes() const; // memory held now

  struct Buffers; // defined in core/batch_kernels.cpp
  Buffers& buffers() { return *buffers_; }

private:
  std::unique_ptr<Buffers> buffers_;
};

// Cost of starting every job at its arrival: out_costs[i] = Σ ci[a, a + L) × step_h.
void no_wait_batch(std::span<const double> ci, std::span<const std::int32_t> arrivals,
                   std::span<const std::int32_t> lengths, double step_h,
                   std::span<double> out_costs, BatchScratch& scratch);
void no_wait_batch(std::span<const double> ci, std::span<const std::int32_t> arrivals,
                   std::span<const std::int32_t> lengths, double step_h,
                   std::span<double> out_costs);

// Non-interruptible jobs, each starting where its window sum is lowest (see above):
// out_starts[i] = s, out_costs[i] = (P[s + L] − P[s]) × step_h. `window` ≥ 0 steps.
void lowest_window_batch(std::span<const double> ci, std::span<const std::int32_t> arrivals,
                         std::span<const std::int32_t> lengths, std::int32_t window, double step_h,
                         std::span<std::int32_t> out_starts, std::span<double> out_costs,
                         BatchScratch& scratch);
void lowest_window_batch(std::span<const double> ci, std::span<const std::int32_t> arrivals,
                         std::span<const std::int32_t> lengths, std::int32_t window, double step_h,
                         std::span<std::int32_t> out_starts, std::span<double> out_costs);

// Interruptible jobs in the L cleanest steps of [a, min(a + L + W, T)) (see above):
// out_costs[i] = (sum of the L smallest ci there) × step_h. `window` ≥ 0 steps.
void wait_awhile_batch(std::span<const double> ci, std::span<const std::int32_t> arrivals,
                       std::span<const std::int32_t> lengths, std::int32_t window, double step_h,
                       std::span<double> out_costs, BatchScratch& scratch);
void wait_awhile_batch(std::span<const double> ci, std::span<const std::int32_t> arrivals,
                       std::span<const std::int32_t> lengths, std::int32_t window, double step_h,
                       std::span<double> out_costs);

} // namespace cfsim
