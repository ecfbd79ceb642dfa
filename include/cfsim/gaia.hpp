// The GAIA trace-driven cluster simulation (Hanafy et al., "GAIA: Carbon- and Cost-Aware
// Scheduling", ASPLOS 2024), re-created from ../shared/published/gaia.md ("the spec"; § below
// refer to it). Pure: no I/O. sim/published/gaia.cpp reads the files and builds result sets.
//
// The model in one paragraph: time runs in 5-s steps (720 per hour); the hourly carbon
// intensity is spread evenly over its 720 steps (ci_step = CI/1000/720, grams per step for a
// 1 W load); a job arriving at step a with length L and c cores is given a release step by a
// carbon policy (or split into pieces by a suspend-resume policy) and waits in one priority
// queue keyed by a; every step, a dispatch pass pops the whole queue and starts what is due
// (or what fits on free reserved cores, in modes that allow early starts), on spot, reserved
// or on-demand cores; carbon is 1 W per core; cost is per core-hour plus a reserved fee.
//
// Two variants. `faithful` reproduces every quirk of spec §10. `clean` fixes those that are
// bugs of the original code, each one named (Deviation below) and documented in
// scenarios/published/gaia/README.md. Modelling choices that are not bugs (5-s steps,
// truncation, hourly candidate offsets, Carbon-Time's score, the L+W suspend window, Ecovisor's
// threshold) are kept in both.
//
// The simulation is event-driven (it jumps from one step where something can happen to the
// next) and gives bit for bit the results of the step-by-step loop of spec §4, including the
// queue's tie order after passes in which nothing is dispatched (see simulate()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cfsim::gaia {

// ---- constants (spec §1, §6.1, §6.2) ---------------------------------------------------------

inline constexpr std::int64_t kStepS = 5;                   // TIME_FACTOR
inline constexpr std::int64_t kStepsPerHour = 720;          // 3600 / 5
inline constexpr std::int64_t kWindowHours = 720;           // carbon rows selected: 30 days
inline constexpr std::int64_t kQueueSplitSteps = 1440;      // Short iff L < 1440 (2 h)
inline constexpr double kShortClassHours = 2.0;             // spot class: ℓ/720 ≤ 2
inline constexpr std::int64_t kEcovisorWindowSteps = 17280; // 24 h from arrival
inline constexpr double kEcovisorQuantile = 0.3;            // 30th percentile
inline constexpr double kOnDemandUsdPerCoreHour = 0.0624;
inline constexpr double kSpotUsdPerCoreHour = 0.01248;
inline constexpr double kReservedShareOfOnDemand = 0.4;

// ---- carbon (spec §2) ------------------------------------------------------------------------

// The carbon window on the step grid: hour h covers steps [720h, 720h+720) and every step of
// it has the value ci_step[h] = (CI_h / 1000) / 720 (grams per step for 1 W).
struct CarbonSteps {
  std::vector<double> per_hour; // ci_step of each hour
  std::int64_t horizon() const {
    return kStepsPerHour * static_cast<std::int64_t>(per_hour.size());
  }
  double at(std::int64_t step) const {
    return per_hour[static_cast<std::size_t>(step / kStepsPerHour)];
  }
};
// From hourly intensities in g/kWh (the selected 720 rows): value / 1000, then / 720.
CarbonSteps carbon_steps(const std::vector<double>& g_per_kwh);

// Σ ci_step[s] for s in [start, start + n), added one step at a time in time order (spec §11).
// This is the one definition of every carbon sum: decisions and accounting use it (or a bound
// on it that provably gives the same decision, see decide()). Steps must lie in the horizon.
double window_sum(const CarbonSteps& ci, std::int64_t start, std::int64_t n);

// ---- workload (spec §3) ----------------------------------------------------------------------

// A row of the job trace as read (seconds, seconds, cores).
struct TraceJob {
  double arrival_s = 0;
  double length_s = 0;
  std::int64_t cpus = 1;
};

struct Job {
  std::int64_t id = 0;       // 0-based row number
  std::int64_t arrival = 0;  // a = trunc(arrival_s / 5)
  std::int64_t length = 0;   // L = trunc(length_s / 5)
  std::int64_t cpus = 1;     // c
  double length_exact = 0;   // ℓ = length_s / 5 (untruncated)
  bool long_queue = false;   // L ≥ 1440 (truncated length)
  bool short_class = false;  // ℓ / 720 ≤ 2 (untruncated, inclusive): spot candidate
  std::int64_t expected = 0; // E of its queue
};

struct Workload {
  std::vector<Job> jobs;
  // Queue means over the whole trace on ℓ: short over ℓ ≤ 1440, long over ℓ ≥ 1440 [QUIRK 3].
  double mean_short = 0, mean_long = 0;
  std::int64_t expected_short = 0, expected_long = 0; // trunc of the means
  std::int64_t n_short = 0, n_long = 0;               // queue sizes (by L < 1440)
};
// Truncates and classifies (spec §3). Trace rows must be valid (the reader checks them).
Workload make_workload(const std::vector<TraceJob>& trace);

// Maximum waits from "AxB" (hours): W = A·720 for Short jobs, B·720 for Long ones.
struct Waits {
  std::int64_t short_h = 0;
  std::int64_t long_h = 0;
  std::string text() const; // "6x24"
  std::int64_t steps_for(const Job& j) const {
    return (j.long_queue ? long_h : short_h) * kStepsPerHour;
  }
};
// nullopt unless the text is "<digits>x<digits>".
std::optional<Waits> parse_waits(std::string_view text);

// ---- modes, policies, variants (spec §5, §6) -------------------------------------------------

enum class Mode {
  carbon,
  carbon_spot,
  carbon_cost,
  carbon_cost_spot,
  cost,
  suspend_resume,
  suspend_resume_threshold,
  suspend_resume_spot_threshold,
  suspend_resume_spot,
};
enum class Policy { none, lowest, oracle, waiting, cst_oracle, cst_average };
enum class Variant { faithful, clean };

// The one list of names (as the original's --scheduling-policy and --carbon-policy spell them).
const std::vector<std::string>& mode_names();
const std::vector<std::string>& policy_names(); // without "none"
const char* to_string(Mode m);
const char* to_string(Policy p);
const char* to_string(Variant v);
std::optional<Mode> mode_from(std::string_view name);
std::optional<Policy> policy_from(std::string_view name);

bool uses_carbon_policy(Mode m); // carbon* modes; cost and suspend-resume ignore the policy
bool uses_spot(Mode m);          // the mode name contains "spot"

// How a job is turned into queue entries; runs that share it share their decisions.
enum class DecisionKind { window, cost, wait_awhile, ecovisor };
DecisionKind decision_kind(Mode m);

// ---- decisions (spec §5, §6.2) ---------------------------------------------------------------

// A piece of a suspend-resume job: offset from the arrival step, length in steps.
struct Piece {
  std::int64_t offset = 0;
  std::int64_t length = 0;
  friend bool operator==(const Piece&, const Piece&) = default;
};

// Start-time policies: the offset o from arrival step t for a job of length L, expected length
// E, maximum wait W and c cores. Sees the steps t … min(t + max(L, E) + W, horizon − 1).
// ConfigError if no candidate window fits in the horizon.
std::int64_t choose_offset(const CarbonSteps& ci, Policy p, std::int64_t t, std::int64_t L,
                           std::int64_t E, std::int64_t W, std::int64_t cpus);
// The same choice from the definition (every candidate sum added step by step), for tests.
std::int64_t choose_offset_by_definition(const CarbonSteps& ci, Policy p, std::int64_t t,
                                         std::int64_t L, std::int64_t E, std::int64_t W,
                                         std::int64_t cpus);

// WaitAwhile: the L lowest steps of t … t+L+W−1, ties to the earliest; as pieces.
std::vector<Piece> wait_awhile_pieces(const CarbonSteps& ci, std::int64_t t, std::int64_t L,
                                      std::int64_t W);
// Ecovisor's θ: the 0.3-quantile (linear interpolation at 0.3·(n−1), numpy's formula) of
// ci_step over t … min(t + 17279, horizon − 1).
double ecovisor_threshold(const CarbonSteps& ci, std::int64_t t);
// Ecovisor: walk from t; mark a step if ci_step < θ or the budget (W) is spent; else idle and
// spend one unit; stop after L marked steps. As pieces.
std::vector<Piece> ecovisor_pieces(const CarbonSteps& ci, std::int64_t t, std::int64_t L,
                                   std::int64_t W);

// One queue entry: a whole job or one piece of a split job.
struct Entry {
  std::int64_t job = 0;    // index into Workload::jobs (= job id)
  std::int32_t piece = 0;  // 0-based, time order
  std::int32_t pieces = 1; // pieces of the job (1 = queued whole)
  std::int64_t key = 0;    // priority: the job's arrival step
  std::int64_t release = 0;
  std::int64_t length = 0;
  std::int64_t cpus = 1;
  bool short_class = false;     // spot class of the entry (spec §6.2 for pieces)
  double carbon_at_release = 0; // cpus × window_sum(release, length)
};

// The queue entries of every job for one decision kind, policy and waits. They do not depend
// on the reserved cores, the mode within the kind or the variant, so runs share them.
struct Decisions {
  DecisionKind kind = DecisionKind::window;
  Policy policy = Policy::none;
  Waits waits;
  std::vector<Entry> entries;       // job after job (trace order), pieces in time order
  std::vector<std::size_t> first;   // entries of job j: [first[j], first[j + 1])
  std::int64_t exact_fallbacks = 0; // window choices settled by exact sums (near ties)
};
Decisions decide(const CarbonSteps& ci, const Workload& w, DecisionKind kind, Policy policy,
                 const Waits& waits);

// ---- the queue (spec §7) ---------------------------------------------------------------------

// The positions of `keys` (an array heap, sorted non-decreasing as the queue always is) in
// the order the original's binary heap pops them: pop removes the last element, returns the
// root, sifts the hole down to a leaf (right child unless the left is strictly less) and the
// moved element up (only past strictly greater parents). Not FIFO on equal keys.
void heap_pop_order(const std::vector<std::int64_t>& keys, std::vector<std::uint32_t>& order);

// ---- simulation (spec §4, §6.1, §8) ----------------------------------------------------------

// The clean variant's fixes of spec §10's bugs, in the order README.md lists them.
enum class Deviation {
  tie_order,            // queue ties broken by job id and piece order (faithful: heap order, §7)
  release_at_finish,    // reserved cores usable at their finish step (faithful: one step later)
  fee_to_last_finish,   // reserved fee billed to the last finish (faithful: last dispatch step)
  reserved_before_spot, // short-class jobs use idle reserved cores before spot (faithful: spot)
  waiting_per_job,      // waiting: one row per job, its completion delay (faithful: per piece)
  fig9_join_by_id,      // Fig. 9 pairs jobs by id (faithful: by reference list position)
};
struct DeviationInfo {
  Deviation d;
  const char* name;
  const char* what;
};
const std::vector<DeviationInfo>& clean_deviations();

struct RunSpec {
  Mode mode = Mode::carbon;
  std::int64_t reserved_cores = 0;
  Variant variant = Variant::faithful;
};

enum class Capacity : std::uint8_t { spot, reserved, on_demand };
const char* to_string(Capacity c);

// One dispatched entry (a job or a piece), in dispatch order.
struct Row {
  std::uint32_t entry = 0;
  std::int64_t job = 0;
  std::int32_t piece = 0;
  std::int32_t pieces = 1;
  std::int64_t arrival = 0; // the job's a
  std::int64_t start = 0;
  std::int64_t length = 0;
  std::int64_t cpus = 1;
  Capacity capacity = Capacity::on_demand;
  bool early = false;  // started before its release step on free reserved cores
  double carbon_g = 0; // cpus × window_sum(start, length)
  double cost_usd = 0; // spot or on-demand; 0 on reserved (paid by the fee)
  friend bool operator==(const Row&, const Row&) = default;
};

struct Outcome {
  std::vector<Row> rows;
  double carbon_g = 0; // Σ row carbon in dispatch order
  double cost_usd = 0; // Σ row cost in dispatch order, then + the reserved fee
  double cost_spot_usd = 0;
  double cost_on_demand_usd = 0;
  double cost_reserved_fee_usd = 0;
  std::int64_t last_dispatch_step = 0;
  std::int64_t last_finish_step = 0;
  std::int64_t fee_steps = 0;    // steps the fee is billed for
  double waiting_mean_steps = 0; // faithful: over rows; clean: over jobs (completion delay)
  std::int64_t waiting_rows = 0;
  std::int64_t n_spot = 0, n_reserved = 0, n_on_demand = 0, n_early = 0;
  std::int64_t split_jobs = 0;
  std::int64_t event_steps = 0; // steps at which a dispatch pass was simulated
};

// Runs the queue event by event. Equal to the step loop of spec §4 bit for bit: between two
// event steps every pass dispatches nothing but still reorders equal keys (the heap's pop order
// of the queue); those idle passes are applied as a power of that permutation.
// ConfigError if a dispatched entry would run past the carbon horizon.
Outcome simulate(const CarbonSteps& ci, const Workload& w, const Decisions& d, const RunSpec& spec);

// ---- metrics (spec §8) -----------------------------------------------------------------------

// Fig. 9: carbon saved per job length (minutes = floor(L / 12)), as a CDF over length.
struct Fig9 {
  std::vector<std::int64_t> minutes; // ascending
  std::vector<double> saved_g;       // Σ saved per minute group
  std::vector<double> cdf;           // cumulative Σ / total
};
// `by_position`: the policy's job j is paired with the reference's row at position j (its
// dispatch order) [QUIRK 12]; otherwise with the reference's row of job j. Both outcomes must
// have one row per job (carbon modes).
Fig9 fig9_cdf(const Workload& w, const Outcome& reference, const Outcome& policy, bool by_position);

} // namespace cfsim::gaia
