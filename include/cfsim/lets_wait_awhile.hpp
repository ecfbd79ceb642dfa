// Let's Wait Awhile (Wiesner et al., "Let's Wait Awhile: How Temporal Workload Shifting Can
// Reduce Carbon Emissions in the Cloud", Middleware 2021), re-created to the letter of its
// specification ../shared/published/lets-wait-awhile.md ("the spec", sections cited as §n).
//
// The pure simulation: data preparation from parsed (time, value) rows, the static noise model,
// Scenario I (nightly jobs shifted both ways within ±w slots), Scenario II (ad-hoc ML jobs
// postponed to a deadline, non-interruptible or interruptible), their metrics and the trace
// statistics of the paper's analysis. No file I/O: sim/published/lets_wait_awhile.cpp reads
// the files and builds the result set.
//
// Two variants. `faithful` reproduces every [QUIRK] of the original code (spec §8); `clean`
// fixes the ones the spec allows to fix and every result computed with it is labelled as a
// deviation. Clean differs in exactly these rules (each function below says which apply):
//   C1 §2   30-min slots are the time-weighted mean of the raw samples, not point samples;
//   C2 §5   job 0 is not skipped for w ≥ 3: its window is cut at slot 0; A divides by the
//           number of jobs, and there is a job on 2020-12-31 too (366 jobs);
//   C3 §6.3 non-interruptible: start offsets j = 0..f (f+1 candidates), so the baseline (f = 0)
//           starts at once and no job ends after its deadline;
//   C4 §6.3 interruptible: exactly n slots, the earliest among ties at the threshold, chosen
//           from slots 0..n+f−1 (the job ends by its deadline);
//   C5 §6.2 next_workday: Friday after 17:00 → Monday 09:00 (not Saturday).
// Both variants keep the trace clock (nothing is localized, §1) and the noise model of §3.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cfsim/time.hpp"

namespace cfsim::lwa {

enum class Variant : std::uint8_t { faithful, clean };
const char* to_string(Variant v);

// §1: 30-min slots; simulation time 0 = 2020-01-01 00:00 on the (naive) trace clock, held in a
// TimeS as if it were UTC. Slot k starts at kStartS + k·kSlotS.
constexpr TimeS kSlotS = 1800;
constexpr TimeS kStartS = 1577836800; // 2020-01-01 00:00:00
constexpr std::int64_t kSlotsPerDay = 48;
constexpr std::int64_t kSlotsPerWeek = 7 * kSlotsPerDay;

// ---------------------------------------------------------------------------------------------
// §2 Data preparation

// Rows of a `Time,Carbon Intensity` file as parsed: naive times (strictly increasing), values in
// g/kWh (NaN = an explicitly empty value). Row i sits on line first_line + i of `origin`.
struct RawTrace {
  std::vector<TimeS> time_s;
  std::vector<double> value;
  std::string origin;
  long first_line = 2;
};

struct PreparedTrace {
  std::vector<double> ci;              // ci_true[k], k = 0..N−1, gap-free
  double mean = 0;                     // mean of all N values: the basis of σ (§3)
  std::int64_t rows = 0;               // rows in the file
  std::int64_t rows_before_start = 0;  // dropped: before 2020-01-01 00:00 (step 1)
  std::int64_t rows_off_grid = 0;      // faithful: dropped :15/:45 samples (step 2)
  std::int64_t partial_slots = 0;      // clean: slots only partly covered by samples
  std::int64_t tail_slots_dropped = 0; // clean: a partly covered last slot, left out
  TimeS first_s() const { return kStartS; }
  TimeS last_s() const { return kStartS + (static_cast<TimeS>(ci.size()) - 1) * kSlotS; }
};

// faithful (§2 steps 1–3): drop rows before 2020-01-01 00:00, keep rows at minute 0 or 30 (point
// sampling), keep everything to the end of the file; the kept rows must be exactly the slots
// 0..N−1. TraceError "origin:line: ..." on a gap, an off-grid second, or an empty value.
// clean (C1): each row holds from its time until the next row, at most the source's resolution
// that day (the most common spacing between rows starting on its calendar day; the last row: its
// spacing to the previous row, at most that), so a missing 15-min row is not covered by holding
// its neighbour; slot k = the time-weighted mean of what covers it (cfsim::resample). A slot
// covered only in part keeps the mean of its covered part and is counted in partial_slots (never
// filled); an uncovered slot is a TraceError; a partly covered last slot is dropped
// (tail_slots_dropped).
PreparedTrace prepare_trace(const RawTrace& raw, Variant v);

// ---------------------------------------------------------------------------------------------
// §3 What a strategy sees

// σ = e × mean(ci_true over all N slots).
double noise_sigma(const PreparedTrace& t, double e);

// cfsim's noise for seed s: n standard-normal draws z_0..z_{n−1} in slot order from
// Rng(s, kNoiseStream) (std::mt19937_64 + Marsaglia's polar method). Like NumPy's
// default_rng(s).normal(0, σ, N) = σ·z, the same z serve every region (a shorter trace takes a
// prefix) and every error level of seed s: common random numbers. Distribution-equivalent to the
// original, not bit-equal (spec §3); load NumPy's vectors from a noise file for bit-exact runs.
constexpr std::uint64_t kNoiseStream = 0x4C5741; // "LWA"
std::vector<double> standard_noise(std::uint64_t seed, std::size_t n);

// seen[k] = ci[k] + eps[k] (no clipping); eps empty → seen = ci (e = 0). CFSIM_CHECK on length.
std::vector<double> seen_series(const std::vector<double>& ci, const std::vector<double>& eps);

// ---------------------------------------------------------------------------------------------
// §5 Scenario I: nightly jobs at 01:00, shifted within ±w slots

// Nominal slots k_i = 48·i + 2 of the jobs: i = 0..364 (faithful: 2020-12-31 has no job) or
// i = 0..365 (clean, C2).
std::vector<std::int64_t> nightly_slots(Variant v);

// Index of the smallest of s[0..n), the earliest on ties (n ≥ 1).
std::size_t argmin_earliest(const double* s, std::size_t n);

struct ShiftResult {
  std::vector<std::int64_t> chosen; // per job: its slot, −1 if skipped
  double sum_ci = 0;                // Σ ci_true[chosen] over executed jobs
  std::int64_t executed = 0;
  std::int64_t skipped = 0;
  std::int64_t divisor = 0; // faithful: 365 always; clean: the number of jobs
  double mean_ci = 0;       // A = sum_ci / divisor
};

// Each job decides at slot k_i − w over seen[k_i − w .. k_i + w] (2w+1 values, both ends), the
// minimum, earliest on ties. faithful: k_i − w < 0 → skipped, divisor still 365. clean: the
// window starts at max(0, k_i − w). ConfigError if a window runs past the trace end.
ShiftResult shift_nightly(const std::vector<double>& ci, const std::vector<double>& seen,
                          std::int64_t w, Variant v);

// Start-time histogram (§5): bin 2·hour + (minute == 30) of every executed job's slot.
std::array<std::int64_t, kSlotsPerDay> start_histogram(const std::vector<std::int64_t>& chosen);

// ---------------------------------------------------------------------------------------------
// §6 Scenario II: ad-hoc ML training jobs, postponed to a deadline

enum class Deadline : std::uint8_t { baseline, next_workday, semi_weekly };
const char* to_string(Deadline d);
enum class Sched : std::uint8_t { non_interruptible, interruptible };
const char* to_string(Sched s);

// A job on the slot grid: arrives at slot `slot`, runs `n` slots (n ≥ 1).
struct MlJob {
  std::int64_t id = 0;
  std::int64_t slot = 0;
  std::int64_t n = 0;
};

// §6.2: the deadline of a job whose original finish time (arrival + duration, on the trace
// clock) is oft_s. baseline: oft_s. clean changes next_workday's Friday-after-17:00 rule (C5).
TimeS deadline_s(TimeS oft_s, Deadline d, Variant v);
// f = (DL − OFT) / 30 min, in slots (≥ 0).
std::int64_t flexibility_slots(const MlJob& job, Deadline d, Variant v);

// §6.3 on a seen window S (both ends included): faithful S = seen[k .. k+n+f] (n+f+1 values),
// clean S = seen[k .. k+n+f−1] (n+f values).
std::int64_t window_length(std::int64_t n, std::int64_t f, Variant v);

// Non-interruptible: the start offset j with the smallest mean of S[j .. j+n−1], earliest on
// ties; faithful j = 0..f+1 (the f+2 quirk), clean j = 0..f (C3). Means from sequential prefix
// sums over S: m_j = (P[j+n] − P[j]) / n.
std::int64_t place_non_interruptible(const double* s, std::int64_t n, std::int64_t f, Variant v);

// Interruptible: θ = the n-th smallest value of S; faithful runs every slot i with S[i] ≤ θ (all
// ties at θ), clean exactly n slots, the earliest among ties (C4). Sets run[i] = 1 for the slots
// that run (run is resized to the window length); returns their number. `scratch` is reused.
std::int64_t place_interruptible(const double* s, std::int64_t n, std::int64_t f, Variant v,
                                 std::vector<std::uint8_t>& run, std::vector<double>& scratch);

// One run (one seed) of a job set: every job placed at its arrival on `seen`, accounted on ci.
struct JobsRun {
  std::vector<std::int32_t> active; // jobs running per slot (N values)
  double emission_score = 0;        // E = Σ_k ci[k]·active[k] (§4; g/kWh × W per slot)
  std::int64_t late_jobs = 0;       // jobs whose last slot ends after their deadline
  std::int64_t extra_slots = 0;     // slots run beyond n (interruptible ties, faithful)
  std::int64_t delayed_jobs = 0;    // jobs not starting in their arrival slot
  std::int64_t slot_sum = 0;        // decision fingerprint: Σ of the run slots' indices
  std::int64_t slot_sq_sum = 0;     // and of their squares
};
// ConfigError if a job's window runs past the trace end.
JobsRun run_jobs(const std::vector<double>& ci, const std::vector<double>& seen,
                 const std::vector<MlJob>& jobs, const std::vector<std::int64_t>& flex, Sched s,
                 Variant v);

// E = Σ ci[k]·active[k].
double emission_score(const std::vector<double>& ci, const std::vector<double>& active);

// Weekly profile of the emission rate (§7): bin b = weekday·48 + slot of day (Monday 00:00 =
// bin 0), the mean of ci[k]·active[k] over the slots k in bin b. `active` may be a seed mean.
std::vector<double> weekly_emission_profile(const std::vector<double>& ci,
                                            const std::vector<double>& active);

// ---------------------------------------------------------------------------------------------
// Trace statistics (the paper's analysis of the traces): over all N slots of ci_true.
struct TraceStats {
  double mean = 0, std = 0, min = 0, max = 0; // std: population (ddof 0)
  double weekday_mean = 0, weekend_mean = 0;  // Mon–Fri vs Sat–Sun slots
  std::int64_t weekday_slots = 0, weekend_slots = 0;
  // Mean per slot of day (bin 2·hour + (minute == 30)): all days, weekdays, weekend days.
  std::array<double, kSlotsPerDay> day_profile{}, day_profile_weekday{}, day_profile_weekend{};
};
TraceStats trace_stats(const std::vector<double>& ci);

// numpy.percentile(values, pct) with its default "linear" method; NaN if empty.
double percentile_linear(std::vector<double> values, double pct);

} // namespace cfsim::lwa
