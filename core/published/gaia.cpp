// The GAIA simulation (include/cfsim/gaia.hpp; spec ../shared/published/gaia.md, cited as §).
#include "cfsim/gaia.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <utility>

#include "cfsim/error.hpp"

namespace cfsim::gaia {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

std::size_t idx(std::int64_t i) {
  return static_cast<std::size_t>(i);
}
double dbl(std::int64_t i) {
  return static_cast<double>(i);
}

void check_range(const CarbonSteps& ci, std::int64_t start, std::int64_t n) {
  CFSIM_CHECK(start >= 0 && n >= 0 && start + n <= ci.horizon(),
              "steps [" + std::to_string(start) + ", " + std::to_string(start + n) +
                  ") outside the carbon horizon of " + std::to_string(ci.horizon()) + " steps");
}

// The hourly segments of [start, start + n): within one segment every step has one value.
template <class F>
void for_each_segment(const CarbonSteps& ci, std::int64_t start, std::int64_t n, F&& f) {
  const std::int64_t end = start + n;
  for (std::int64_t s = start; s < end;) {
    const std::int64_t h = s / kStepsPerHour;
    const std::int64_t seg_end = std::min(end, (h + 1) * kStepsPerHour);
    f(s, seg_end - s, ci.per_hour[idx(h)]);
    s = seg_end;
  }
}

// Bounds on double(cpus) × window_sum(start, n) without adding every step: the hourly segments
// summed as count × value. window_sum adds n non-negative terms one at a time, so it is within
// γ(n−1)·S of the exact sum S; the segment sum is within γ(m+1)·S (m segments). The margin
// below is eight times their sum, which also covers the rounding of lo and hi themselves; the
// product by cpus is monotone in its factor, so [lo, hi] holds fl(cpus × window_sum) exactly.
struct Bounds {
  double lo = 0, hi = 0;
};
Bounds carbon_bounds(const CarbonSteps& ci, std::int64_t start, std::int64_t n, std::int64_t cpus) {
  double a = 0;
  std::int64_t m = 0;
  for_each_segment(ci, start, n, [&](std::int64_t, std::int64_t len, double v) {
    a += dbl(len) * v;
    ++m;
  });
  const double err = (dbl(n) + dbl(m) + 8.0) * 0x1p-50 * a;
  return {dbl(cpus) * (a - err), dbl(cpus) * (a + err)};
}

double window_carbon(const CarbonSteps& ci, std::int64_t start, std::int64_t n, std::int64_t cpus) {
  return dbl(cpus) * window_sum(ci, start, n);
}

// Maximal runs of marked steps (sorted, non-overlapping intervals) as pieces from t.
std::vector<Piece> merge_pieces(std::vector<std::pair<std::int64_t, std::int64_t>> marked,
                                std::int64_t t) {
  std::sort(marked.begin(), marked.end());
  std::vector<Piece> out;
  for (const auto& [s, len] : marked) {
    if (len == 0)
      continue;
    if (!out.empty() && t + out.back().offset + out.back().length == s)
      out.back().length += len;
    else
      out.push_back(Piece{s - t, len});
  }
  return out;
}

struct Candidates {
  std::int64_t x = 0; // window length: L or E
  std::vector<std::int64_t> offsets;
};

// Candidate offsets 0, 720, … ≤ W whose window [t+o, t+o+X) stays inside the visible steps
// t … min(t + max(L, E) + W, horizon − 1) (spec §5).
Candidates window_candidates(const CarbonSteps& ci, Policy p, std::int64_t t, std::int64_t L,
                             std::int64_t E, std::int64_t W) {
  Candidates c;
  c.x = (p == Policy::oracle || p == Policy::cst_oracle) ? L : E;
  if (c.x < 1)
    throw ConfigError(std::string("gaia: the ") + to_string(p) +
                      " policy needs a window of at least one step, got " + std::to_string(c.x) +
                      " (an expected length E of 0: no job of this queue counts in its mean)");
  const std::int64_t last_visible = std::min(t + std::max(L, E) + W, ci.horizon() - 1);
  for (std::int64_t o = 0; o <= W; o += kStepsPerHour) {
    if (t + o + c.x - 1 > last_visible)
      break; // later offsets end later still
    c.offsets.push_back(o);
  }
  if (c.offsets.empty())
    throw ConfigError("gaia: a job arriving at step " + std::to_string(t) + " has no " +
                      to_string(p) + " candidate window of " + std::to_string(c.x) +
                      " steps inside the carbon horizon of " + std::to_string(ci.horizon()) +
                      " steps (the carbon window is too short for the job trace)");
  return c;
}

std::int64_t lowest_slot(const CarbonSteps& ci, std::int64_t t, std::int64_t W) {
  if (W == 0)
    return 0;
  // Earliest minimum of ci_step over t … t+W (W included): within an hour all steps are equal,
  // so only the first step of each hour segment can be the earliest minimum.
  const std::int64_t last = std::min(t + W, ci.horizon() - 1);
  std::int64_t best_s = t;
  double best_v = ci.at(t);
  for (std::int64_t s = (t / kStepsPerHour + 1) * kStepsPerHour; s <= last; s += kStepsPerHour)
    if (ci.at(s) < best_v) {
      best_v = ci.at(s);
      best_s = s;
    }
  return best_s - t;
}

// Lowest-Window (oracle, waiting): minimum C_X(o), earliest on ties. The bounds settle the
// choice unless several candidates may share the minimum; those are then summed exactly.
std::int64_t lowest_window(const CarbonSteps& ci, const Candidates& c, std::int64_t t,
                           std::int64_t cpus, std::int64_t* exact_fallbacks) {
  if (c.offsets.size() == 1)
    return c.offsets.front();
  std::vector<Bounds> b;
  b.reserve(c.offsets.size());
  double min_hi = std::numeric_limits<double>::infinity();
  for (const std::int64_t o : c.offsets) {
    b.push_back(carbon_bounds(ci, t + o, c.x, cpus));
    min_hi = std::min(min_hi, b.back().hi);
  }
  // Every candidate whose lower bound exceeds some candidate's upper bound is strictly worse.
  std::vector<std::int64_t> possible;
  for (std::size_t i = 0; i < b.size(); ++i)
    if (b[i].lo <= min_hi)
      possible.push_back(c.offsets[i]);
  if (possible.size() == 1)
    return possible.front();
  if (exact_fallbacks)
    ++*exact_fallbacks;
  std::int64_t best_o = possible.front();
  double best = std::numeric_limits<double>::infinity();
  for (const std::int64_t o : possible) {
    const double v = window_carbon(ci, t + o, c.x, cpus);
    if (v < best) {
      best = v;
      best_o = o;
    }
  }
  return best_o;
}

// Carbon-Time (cst_oracle, cst_average): maximum (C_X(0) − C_X(o)) / (o + X), earliest on ties;
// o = 0 scores exactly 0. Floating-point subtraction and division are monotone, so bounds on
// C give bounds on the score; near ties are settled with exact sums as above.
std::int64_t carbon_time(const CarbonSteps& ci, const Candidates& c, std::int64_t t,
                         std::int64_t cpus, std::int64_t* exact_fallbacks) {
  CFSIM_CHECK(c.offsets.front() == 0, "Carbon-Time needs the offset 0 candidate");
  if (c.offsets.size() == 1)
    return 0;
  const Bounds b0 = carbon_bounds(ci, t, c.x, cpus);
  std::vector<Bounds> score;
  score.reserve(c.offsets.size());
  double max_lo = 0; // o = 0 scores 0
  score.push_back({0, 0});
  for (std::size_t i = 1; i < c.offsets.size(); ++i) {
    const Bounds bo = carbon_bounds(ci, t + c.offsets[i], c.x, cpus);
    const double d = dbl(c.offsets[i] + c.x);
    score.push_back({(b0.lo - bo.hi) / d, (b0.hi - bo.lo) / d});
    max_lo = std::max(max_lo, score.back().lo);
  }
  std::vector<std::int64_t> possible;
  for (std::size_t i = 0; i < score.size(); ++i)
    if (score[i].hi >= max_lo)
      possible.push_back(c.offsets[i]);
  if (possible.size() == 1)
    return possible.front();
  if (exact_fallbacks)
    ++*exact_fallbacks;
  const double c0 = window_carbon(ci, t, c.x, cpus);
  std::int64_t best_o = possible.front();
  double best = -std::numeric_limits<double>::infinity();
  for (const std::int64_t o : possible) {
    const double s = o == 0 ? 0.0 : (c0 - window_carbon(ci, t + o, c.x, cpus)) / dbl(o + c.x);
    if (s > best) {
      best = s;
      best_o = o;
    }
  }
  return best_o;
}

std::int64_t choose(const CarbonSteps& ci, Policy p, std::int64_t t, std::int64_t L, std::int64_t E,
                    std::int64_t W, std::int64_t cpus, std::int64_t* exact_fallbacks) {
  CFSIM_CHECK(t >= 0 && t < ci.horizon() && L >= 1 && W >= 0 && cpus >= 1,
              "bad job for a start-time policy");
  switch (p) {
  case Policy::none:
    return 0;
  case Policy::lowest:
    return lowest_slot(ci, t, W);
  case Policy::oracle:
  case Policy::waiting:
    return lowest_window(ci, window_candidates(ci, p, t, L, E, W), t, cpus, exact_fallbacks);
  case Policy::cst_oracle:
  case Policy::cst_average:
    return carbon_time(ci, window_candidates(ci, p, t, L, E, W), t, cpus, exact_fallbacks);
  }
  return 0;
}

void require_suspend_window(const CarbonSteps& ci, std::int64_t t, std::int64_t L, std::int64_t W) {
  CFSIM_CHECK(t >= 0 && L >= 1 && W >= 0, "bad job for a suspend-resume policy");
  if (t + L + W > ci.horizon())
    throw ConfigError("gaia: a job arriving at step " + std::to_string(t) + " with " +
                      std::to_string(L) + " steps and a wait of " + std::to_string(W) +
                      " steps looks past the carbon horizon of " + std::to_string(ci.horizon()) +
                      " steps (the carbon window is too short for the job trace)");
}

} // namespace

// ---- carbon, workload, names -----------------------------------------------------------------

CarbonSteps carbon_steps(const std::vector<double>& g_per_kwh) {
  CarbonSteps c;
  c.per_hour.reserve(g_per_kwh.size());
  for (const double v : g_per_kwh)
    c.per_hour.push_back(v / 1000.0 / 720.0);
  return c;
}

double window_sum(const CarbonSteps& ci, std::int64_t start, std::int64_t n) {
  check_range(ci, start, n);
  double acc = 0.0;
  for_each_segment(ci, start, n, [&](std::int64_t, std::int64_t len, double v) {
    for (std::int64_t k = 0; k < len; ++k)
      acc += v;
  });
  return acc;
}

Workload make_workload(const std::vector<TraceJob>& trace) {
  Workload w;
  w.jobs.reserve(trace.size());
  double sum_short = 0, sum_long = 0;
  std::int64_t count_short = 0, count_long = 0;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const TraceJob& r = trace[i];
    Job j;
    j.id = static_cast<std::int64_t>(i);
    j.arrival = static_cast<std::int64_t>(std::trunc(r.arrival_s / dbl(kStepS)));
    j.length = static_cast<std::int64_t>(std::trunc(r.length_s / dbl(kStepS)));
    j.cpus = r.cpus;
    j.length_exact = r.length_s / dbl(kStepS);
    CFSIM_CHECK(j.arrival >= 0 && j.length >= 1 && j.cpus >= 1, "trace rows are checked");
    j.long_queue = j.length >= kQueueSplitSteps;
    j.short_class = j.length_exact / dbl(kStepsPerHour) <= kShortClassHours;
    // The queue means use the untruncated ℓ with ≤ and ≥: ℓ = 1440 counts in both [QUIRK 3].
    if (j.length_exact <= dbl(kQueueSplitSteps)) {
      sum_short += j.length_exact;
      ++count_short;
    }
    if (j.length_exact >= dbl(kQueueSplitSteps)) {
      sum_long += j.length_exact;
      ++count_long;
    }
    (j.long_queue ? w.n_long : w.n_short) += 1;
    w.jobs.push_back(j);
  }
  // A queue without jobs has no mean; no job then uses its E.
  w.mean_short = count_short > 0 ? sum_short / dbl(count_short) : 0.0;
  w.mean_long = count_long > 0 ? sum_long / dbl(count_long) : 0.0;
  w.expected_short = static_cast<std::int64_t>(std::trunc(w.mean_short));
  w.expected_long = static_cast<std::int64_t>(std::trunc(w.mean_long));
  for (Job& j : w.jobs)
    j.expected = j.long_queue ? w.expected_long : w.expected_short;
  return w;
}

std::string Waits::text() const {
  return std::to_string(short_h) + "x" + std::to_string(long_h);
}

std::optional<Waits> parse_waits(std::string_view text) {
  const auto x = text.find('x');
  if (x == std::string_view::npos || x == 0 || x + 1 >= text.size())
    return std::nullopt;
  auto whole = [](std::string_view s) -> std::optional<std::int64_t> {
    if (s.empty() || s.size() > 6)
      return std::nullopt;
    std::int64_t v = 0;
    for (const char ch : s) {
      if (ch < '0' || ch > '9')
        return std::nullopt;
      v = v * 10 + (ch - '0');
    }
    return v;
  };
  const auto a = whole(text.substr(0, x));
  const auto b = whole(text.substr(x + 1));
  if (!a || !b)
    return std::nullopt;
  return Waits{*a, *b};
}

namespace {
struct ModeInfo {
  Mode mode;
  const char* name;
  DecisionKind kind;
  bool spot;
};
constexpr ModeInfo kModes[] = {
    {Mode::carbon, "carbon", DecisionKind::window, false},
    {Mode::carbon_spot, "carbon-spot", DecisionKind::window, true},
    {Mode::carbon_cost, "carbon-cost", DecisionKind::window, false},
    {Mode::carbon_cost_spot, "carbon-cost-spot", DecisionKind::window, true},
    {Mode::cost, "cost", DecisionKind::cost, false},
    {Mode::suspend_resume, "suspend-resume", DecisionKind::wait_awhile, false},
    {Mode::suspend_resume_threshold, "suspend-resume-threshold", DecisionKind::ecovisor, false},
    {Mode::suspend_resume_spot_threshold, "suspend-resume-spot-threshold", DecisionKind::ecovisor,
     true},
    {Mode::suspend_resume_spot, "suspend-resume-spot", DecisionKind::wait_awhile, true},
};
constexpr std::pair<Policy, const char*> kPolicies[] = {
    {Policy::lowest, "lowest"},           {Policy::oracle, "oracle"},
    {Policy::waiting, "waiting"},         {Policy::cst_oracle, "cst_oracle"},
    {Policy::cst_average, "cst_average"},
};
const ModeInfo& info(Mode m) {
  for (const ModeInfo& i : kModes)
    if (i.mode == m)
      return i;
  CFSIM_CHECK(false, "unknown mode");
  return kModes[0];
}

// Early starts on free reserved cores (spec §6 table).
enum class Early { none, any, not_short_class };
Early early_rule(Mode m) {
  switch (m) {
  case Mode::carbon_cost:
  case Mode::cost:
    return Early::any;
  case Mode::carbon_cost_spot:
    return Early::not_short_class;
  default:
    return Early::none;
  }
}
} // namespace

const std::vector<std::string>& mode_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const ModeInfo& i : kModes)
      v.emplace_back(i.name);
    return v;
  }();
  return names;
}
const std::vector<std::string>& policy_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [p, n] : kPolicies)
      v.emplace_back(n);
    return v;
  }();
  return names;
}
const char* to_string(Mode m) {
  return info(m).name;
}
const char* to_string(Policy p) {
  for (const auto& [q, n] : kPolicies)
    if (q == p)
      return n;
  return "-";
}
const char* to_string(Variant v) {
  return v == Variant::faithful ? "faithful" : "clean";
}
const char* to_string(Capacity c) {
  switch (c) {
  case Capacity::spot:
    return "spot";
  case Capacity::reserved:
    return "reserved";
  case Capacity::on_demand:
    return "on_demand";
  }
  return "?";
}
std::optional<Mode> mode_from(std::string_view name) {
  for (const ModeInfo& i : kModes)
    if (name == i.name)
      return i.mode;
  return std::nullopt;
}
std::optional<Policy> policy_from(std::string_view name) {
  for (const auto& [p, n] : kPolicies)
    if (name == n)
      return p;
  return std::nullopt;
}
bool uses_carbon_policy(Mode m) {
  return info(m).kind == DecisionKind::window;
}
bool uses_spot(Mode m) {
  return info(m).spot;
}
DecisionKind decision_kind(Mode m) {
  return info(m).kind;
}

const std::vector<DeviationInfo>& clean_deviations() {
  static const std::vector<DeviationInfo> list = {
      {Deviation::tie_order, "tie_order",
       "queue ties (equal arrival steps) broken by job id and piece order instead of the "
       "original binary heap's pop order (spec §7, quirk 7)"},
      {Deviation::release_at_finish, "release_at_finish",
       "reserved cores are usable again at their job's finish step, not one step later "
       "(spec §4, quirk 6)"},
      {Deviation::fee_to_last_finish, "fee_to_last_finish",
       "the reserved fee is billed from step 0 to the last finish step, not to the last "
       "dispatch step (spec §6.1, quirk 8)"},
      {Deviation::reserved_before_spot, "reserved_before_spot",
       "in spot modes a short-class job uses idle reserved cores (already paid for) before "
       "spot (spec §6.1, quirk 9)"},
      {Deviation::waiting_per_job, "waiting_per_job",
       "waiting is averaged over jobs, each with its completion delay (end of its last piece "
       "− arrival − length), not over pieces (spec §8, quirk 10)"},
      {Deviation::fig9_join_by_id, "fig9_join_by_id",
       "Fig. 9 pairs each job with the reference run's row of the same job id, not the row at "
       "list position = job id (spec §8, quirk 12)"},
  };
  return list;
}

// ---- decisions ---------------------------------------------------------------------------------

std::int64_t choose_offset(const CarbonSteps& ci, Policy p, std::int64_t t, std::int64_t L,
                           std::int64_t E, std::int64_t W, std::int64_t cpus) {
  return choose(ci, p, t, L, E, W, cpus, nullptr);
}

std::int64_t choose_offset_by_definition(const CarbonSteps& ci, Policy p, std::int64_t t,
                                         std::int64_t L, std::int64_t E, std::int64_t W,
                                         std::int64_t cpus) {
  if (p == Policy::none)
    return 0;
  if (p == Policy::lowest) {
    if (W == 0)
      return 0;
    std::int64_t best = 0;
    for (std::int64_t o = 1; t + o <= std::min(t + W, ci.horizon() - 1); ++o)
      if (ci.at(t + o) < ci.at(t + best))
        best = o;
    return best;
  }
  const Candidates c = window_candidates(ci, p, t, L, E, W);
  std::int64_t best_o = 0;
  if (p == Policy::oracle || p == Policy::waiting) {
    double best = std::numeric_limits<double>::infinity();
    for (const std::int64_t o : c.offsets) {
      const double v = window_carbon(ci, t + o, c.x, cpus);
      if (v < best) {
        best = v;
        best_o = o;
      }
    }
    return best_o;
  }
  const double c0 = window_carbon(ci, t, c.x, cpus);
  double best = -std::numeric_limits<double>::infinity();
  for (const std::int64_t o : c.offsets) {
    const double s = (c0 - window_carbon(ci, t + o, c.x, cpus)) / dbl(o + c.x);
    if (s > best) {
      best = s;
      best_o = o;
    }
  }
  return best_o;
}

std::vector<Piece> wait_awhile_pieces(const CarbonSteps& ci, std::int64_t t, std::int64_t L,
                                      std::int64_t W) {
  require_suspend_window(ci, t, L, W);
  struct Seg {
    std::int64_t start, len;
    double v;
  };
  std::vector<Seg> segs;
  for_each_segment(ci, t, L + W, [&](std::int64_t s, std::int64_t len, double v) {
    segs.push_back({s, len, v});
  });
  // Lowest values first, earliest first among equal values: the order of (value, step).
  std::stable_sort(segs.begin(), segs.end(), [](const Seg& a, const Seg& b) { return a.v < b.v; });
  std::vector<std::pair<std::int64_t, std::int64_t>> marked;
  std::int64_t left = L;
  for (const Seg& s : segs) {
    const std::int64_t take = std::min(left, s.len);
    marked.emplace_back(s.start, take); // the earliest steps of a boundary segment
    left -= take;
    if (left == 0)
      break;
  }
  return merge_pieces(std::move(marked), t);
}

double ecovisor_threshold(const CarbonSteps& ci, std::int64_t t) {
  CFSIM_CHECK(t >= 0 && t < ci.horizon(), "arrival outside the horizon");
  const std::int64_t n = std::min(kEcovisorWindowSteps, ci.horizon() - t);
  std::vector<std::pair<double, std::int64_t>> counts; // value, steps
  for_each_segment(ci, t, n,
                   [&](std::int64_t, std::int64_t len, double v) { counts.emplace_back(v, len); });
  std::sort(counts.begin(), counts.end());
  // The value at index k of the sorted steps.
  auto sorted_at = [&](std::int64_t k) {
    for (const auto& [v, len] : counts) {
      if (k < len)
        return v;
      k -= len;
    }
    return counts.back().first;
  };
  // numpy.quantile(x, 0.3), method "linear": virtual index (n−1)·0.3, its floor and the next
  // index (clipped), weight γ = index − floor, and numpy's two-sided lerp.
  const double virtual_index = dbl(n - 1) * kEcovisorQuantile;
  const auto k = static_cast<std::int64_t>(std::floor(virtual_index));
  const std::int64_t next = std::min(k + 1, n - 1);
  const double gamma = virtual_index - dbl(k);
  const double a = sorted_at(k), b = sorted_at(next);
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

std::vector<Piece> ecovisor_pieces(const CarbonSteps& ci, std::int64_t t, std::int64_t L,
                                   std::int64_t W) {
  require_suspend_window(ci, t, L, W);
  const double theta = ecovisor_threshold(ci, t);
  std::vector<std::pair<std::int64_t, std::int64_t>> marked;
  std::int64_t budget = W, done = 0;
  for (std::int64_t s = t; done < L;) {
    CFSIM_CHECK(s < t + L + W, "the Ecovisor walk stays inside L + W steps");
    const std::int64_t hour_end = (s / kStepsPerHour + 1) * kStepsPerHour;
    const double v = ci.at(s);
    if (v < theta || budget <= 0) {
      const std::int64_t take = std::min(hour_end - s, L - done);
      marked.emplace_back(s, take);
      done += take;
      s += take;
    } else {
      const std::int64_t idle = std::min(hour_end - s, budget);
      budget -= idle;
      s += idle;
    }
  }
  return merge_pieces(std::move(marked), t);
}

Decisions decide(const CarbonSteps& ci, const Workload& w, DecisionKind kind, Policy policy,
                 const Waits& waits) {
  CFSIM_CHECK((kind == DecisionKind::window) == (policy != Policy::none),
              "a carbon policy goes with the window decisions only");
  Decisions d;
  d.kind = kind;
  d.policy = policy;
  d.waits = waits;
  d.entries.reserve(w.jobs.size());
  d.first.reserve(w.jobs.size() + 1);
  for (const Job& j : w.jobs) {
    d.first.push_back(d.entries.size());
    const std::int64_t t = j.arrival;
    const std::int64_t W = waits.steps_for(j);
    Entry e;
    e.job = j.id;
    e.key = j.arrival;
    e.length = j.length;
    e.cpus = j.cpus;
    e.short_class = j.short_class;
    std::vector<Piece> pieces;
    switch (kind) {
    case DecisionKind::window:
      e.release = t + choose(ci, policy, t, j.length, j.expected, W, j.cpus, &d.exact_fallbacks);
      break;
    case DecisionKind::cost:
      e.release = t + W; // All-Jobs-Wait-Threshold: no carbon use
      break;
    case DecisionKind::wait_awhile:
      pieces = wait_awhile_pieces(ci, t, j.length, W);
      break;
    case DecisionKind::ecovisor:
      pieces = ecovisor_pieces(ci, t, j.length, W);
      break;
    }
    if (pieces.size() == 1) { // queued whole, with the original job's spot class
      e.release = t + pieces.front().offset;
      pieces.clear();
    }
    if (pieces.empty()) {
      d.entries.push_back(e);
    } else {
      for (std::size_t p = 0; p < pieces.size(); ++p) {
        Entry pe = e;
        pe.piece = static_cast<std::int32_t>(p);
        pe.pieces = static_cast<std::int32_t>(pieces.size());
        pe.release = t + pieces[p].offset;
        pe.length = pieces[p].length;
        // WaitAwhile recomputes the spot class from the piece length; Ecovisor keeps the
        // parent's (spec §6.2).
        if (kind == DecisionKind::wait_awhile)
          pe.short_class = dbl(pe.length) / dbl(kStepsPerHour) <= kShortClassHours;
        d.entries.push_back(pe);
      }
    }
  }
  d.first.push_back(d.entries.size());
  for (Entry& e : d.entries)
    e.carbon_at_release = e.release + e.length <= ci.horizon()
                              ? window_carbon(ci, e.release, e.length, e.cpus)
                              : std::numeric_limits<double>::quiet_NaN();
  return d;
}

// ---- the queue ---------------------------------------------------------------------------------

namespace {

void pop_order_into(const std::vector<std::int64_t>& keys, std::vector<std::uint32_t>& order,
                    std::vector<std::uint32_t>& heap) {
  const std::size_t n = keys.size();
  heap.resize(n);
  std::iota(heap.begin(), heap.end(), 0u);
  order.clear();
  auto key = [&](std::uint32_t i) { return keys[i]; };
  for (std::size_t size = n; size > 0;) {
    const std::uint32_t last = heap[--size];
    if (size == 0) {
      order.push_back(last);
      break;
    }
    order.push_back(heap[0]);
    // The hole at the root goes down to a leaf, each time taking the smaller child: the right
    // one unless the left is strictly less.
    std::size_t pos = 0;
    for (std::size_t child = 1; child < size; child = 2 * pos + 1) {
      if (child + 1 < size && !(key(heap[child]) < key(heap[child + 1])))
        ++child;
      heap[pos] = heap[child];
      pos = child;
    }
    // The moved element goes up past strictly greater parents only.
    while (pos > 0) {
      const std::size_t parent = (pos - 1) / 2;
      if (!(key(last) < key(heap[parent])))
        break;
      heap[pos] = heap[parent];
      pos = parent;
    }
    heap[pos] = last;
  }
}

} // namespace

void heap_pop_order(const std::vector<std::int64_t>& keys, std::vector<std::uint32_t>& order) {
  std::vector<std::uint32_t> heap;
  pop_order_into(keys, order, heap);
}

// ---- simulation --------------------------------------------------------------------------------

namespace {

class Simulator {
public:
  Simulator(const CarbonSteps& ci, const Workload& w, const Decisions& d, const RunSpec& spec)
      : ci_(ci), w_(w), d_(d), spec_(spec), faithful_(spec.variant == Variant::faithful),
        spot_(uses_spot(spec.mode)), early_(early_rule(spec.mode)), free_(spec.reserved_cores) {
    CFSIM_CHECK(decision_kind(spec.mode) == d.kind, "decisions of another kind than the mode");
    CFSIM_CHECK(spec.reserved_cores >= 0, "reserved cores must be >= 0");
  }

  Outcome run() {
    const std::size_t n = w_.jobs.size();
    std::size_t next_job = 0;
    std::int64_t last_pass = -1;
    while (next_job < n || !q_.empty()) {
      // The next step at which a pass can dispatch something: an arrival, a release step in the
      // queue, or (with early starts) reserved cores coming back. Every pass in between finds
      // nothing due and no early start that fits, as the previous pass did.
      std::int64_t t = next_job < n ? w_.jobs[next_job].arrival : kNever;
      if (!q_.empty()) {
        t = std::min(t, min_release_);
        if (early_ != Early::none && !returns_.empty())
          t = std::min(t, returns_.top().first);
      }
      CFSIM_CHECK(t > last_pass && t != kNever, "the next event lies ahead");
      idle_passes(t - last_pass - 1);
      while (!returns_.empty() && returns_.top().first <= t) {
        free_ += returns_.top().second;
        returns_.pop();
      }
      for (; next_job < n && w_.jobs[next_job].arrival == t; ++next_job)
        for (std::size_t e = d_.first[next_job]; e < d_.first[next_job + 1]; ++e) {
          q_.push_back(static_cast<std::uint32_t>(e)); // key t ≥ every key: appended, no move
          order_valid_ = false;
        }
      pass(t);
      last_pass = t;
      ++out_.event_steps;
    }
    finish();
    return std::move(out_);
  }

private:
  std::int64_t key_of(std::uint32_t e) const { return d_.entries[e].key; }

  // The queue's pop order (positions). The queue is always sorted by key (survivors are pushed
  // back in pop order, arrivals carry the largest key), so without equal keys, and in the clean
  // variant (ties by job id and piece, which is the queue's order), it is the identity.
  bool identity_order() const {
    if (!faithful_)
      return true;
    for (std::size_t i = 1; i < q_.size(); ++i)
      if (key_of(q_[i]) == key_of(q_[i - 1]))
        return false;
    return true;
  }
  // The pop order depends on the key layout only; idle passes keep the layout, so the order
  // computed for them serves the next pass too unless arrivals change the queue.
  void compute_order() {
    if (order_valid_)
      return;
    order_valid_ = true;
    keys_.resize(q_.size());
    for (std::size_t i = 0; i < q_.size(); ++i)
      keys_[i] = key_of(q_[i]);
    pop_order_into(keys_, order_, heap_);
  }

  // k passes that dispatch nothing: each replaces the queue by its pop order, which keeps the
  // key layout and so applies the same permutation f; k passes apply f^k, cycle by cycle.
  void idle_passes(std::int64_t k) {
    if (k <= 0 || q_.size() < 2 || identity_order())
      return;
    compute_order();
    const std::size_t n = q_.size();
    seen_.assign(n, 0);
    next_.resize(n);
    for (std::size_t s = 0; s < n; ++s) {
      if (seen_[s])
        continue;
      cycle_.clear();
      for (std::size_t c = s; !seen_[c]; c = order_[c]) {
        seen_[c] = 1;
        cycle_.push_back(c);
      }
      const std::size_t len = cycle_.size();
      const auto shift = static_cast<std::size_t>(k % static_cast<std::int64_t>(len));
      for (std::size_t j = 0; j < len; ++j)
        next_[j] = q_[cycle_[(j + shift) % len]];
      for (std::size_t j = 0; j < len; ++j)
        q_[cycle_[j]] = next_[j];
    }
  }

  bool may_start_early(const Entry& e) const {
    return early_ == Early::any || (early_ == Early::not_short_class && !e.short_class);
  }

  void pass(std::int64_t t) {
    const bool identity = identity_order();
    if (!identity)
      compute_order();
    survivors_.clear();
    min_release_ = kNever;
    for (std::size_t i = 0; i < q_.size(); ++i) {
      const std::uint32_t ei = q_[identity ? i : order_[i]];
      const Entry& e = d_.entries[ei];
      if (t >= e.release) {
        dispatch(ei, t, false);
      } else if (may_start_early(e) && free_ >= e.cpus) {
        dispatch(ei, t, true);
      } else {
        survivors_.push_back(ei);
        min_release_ = std::min(min_release_, e.release);
      }
    }
    if (survivors_.size() != q_.size())
      order_valid_ = false; // same entries, same layout: the pop order still holds
    q_.swap(survivors_);
  }

  void dispatch(std::uint32_t ei, std::int64_t t, bool early) {
    const Entry& e = d_.entries[ei];
    if (t + e.length > ci_.horizon())
      throw ConfigError("gaia: job " + std::to_string(e.job) + " would run from step " +
                        std::to_string(t) + " to " + std::to_string(t + e.length) +
                        ", past the carbon horizon of " + std::to_string(ci_.horizon()) +
                        " steps (the carbon window is too short for the job trace)");
    Row r;
    r.entry = ei;
    r.job = e.job;
    r.piece = e.piece;
    r.pieces = e.pieces;
    r.arrival = e.key;
    r.start = t;
    r.length = e.length;
    r.cpus = e.cpus;
    r.early = early;
    r.carbon_g = t == e.release ? e.carbon_at_release : window_carbon(ci_, t, e.length, e.cpus);
    const bool reserved_first = !faithful_ && free_ >= e.cpus; // clean: reserved before spot
    if (spot_ && e.short_class && !reserved_first) {
      r.capacity = Capacity::spot;
      r.cost_usd = dbl(e.cpus) * dbl(e.length) * (kSpotUsdPerCoreHour / 720.0);
      out_.cost_spot_usd += r.cost_usd;
      ++out_.n_spot;
    } else if (free_ >= e.cpus) {
      r.capacity = Capacity::reserved;
      free_ -= e.cpus;
      // Faithful: back at the end of the finish step, usable one step later [QUIRK 6].
      returns_.emplace(t + e.length + (faithful_ ? 1 : 0), e.cpus);
      ++out_.n_reserved;
    } else {
      r.capacity = Capacity::on_demand;
      r.cost_usd = dbl(e.cpus) * dbl(e.length) * (kOnDemandUsdPerCoreHour / 720.0);
      out_.cost_on_demand_usd += r.cost_usd;
      ++out_.n_on_demand;
    }
    out_.n_early += early ? 1 : 0;
    out_.carbon_g += r.carbon_g;
    out_.cost_usd += r.cost_usd;
    out_.last_dispatch_step = std::max(out_.last_dispatch_step, t);
    out_.last_finish_step = std::max(out_.last_finish_step, t + e.length);
    out_.rows.push_back(r);
  }

  void finish() {
    // The reserved fee: 40 % of on-demand for all R cores from step 0 to the last dispatch
    // step [QUIRK 8] (clean: to the last finish).
    out_.fee_steps = faithful_ ? out_.last_dispatch_step : out_.last_finish_step;
    out_.cost_reserved_fee_usd = dbl(spec_.reserved_cores) * kReservedShareOfOnDemand *
                                 dbl(out_.fee_steps) * (kOnDemandUsdPerCoreHour / 720.0);
    out_.cost_usd += out_.cost_reserved_fee_usd;
    std::vector<std::int32_t> pieces_of(w_.jobs.size(), 0);
    for (const Row& r : out_.rows)
      pieces_of[idx(r.job)] = r.pieces;
    for (const std::int32_t p : pieces_of)
      out_.split_jobs += p > 1 ? 1 : 0;
    if (faithful_) { // one row per dispatched job or piece [QUIRK 10]
      std::int64_t sum = 0;
      for (const Row& r : out_.rows)
        sum += r.start - r.arrival;
      out_.waiting_rows = static_cast<std::int64_t>(out_.rows.size());
      out_.waiting_mean_steps = out_.rows.empty() ? 0.0 : dbl(sum) / dbl(out_.waiting_rows);
    } else { // one row per job: its completion delay
      std::vector<std::int64_t> end(w_.jobs.size(), -1);
      for (const Row& r : out_.rows)
        end[idx(r.job)] = std::max(end[idx(r.job)], r.start + r.length);
      std::int64_t sum = 0, jobs = 0;
      for (const Job& j : w_.jobs)
        if (end[idx(j.id)] >= 0) {
          sum += end[idx(j.id)] - j.arrival - j.length;
          ++jobs;
        }
      out_.waiting_rows = jobs;
      out_.waiting_mean_steps = jobs == 0 ? 0.0 : dbl(sum) / dbl(jobs);
    }
  }

  const CarbonSteps& ci_;
  const Workload& w_;
  const Decisions& d_;
  RunSpec spec_;
  bool faithful_, spot_;
  Early early_;
  std::int64_t free_;
  std::vector<std::uint32_t> q_, survivors_, order_, heap_, next_;
  std::vector<std::int64_t> keys_;
  std::vector<std::size_t> cycle_;
  std::vector<char> seen_;
  std::int64_t min_release_ = kNever;
  bool order_valid_ = false;
  using Return = std::pair<std::int64_t, std::int64_t>; // usable-from step, cores
  std::priority_queue<Return, std::vector<Return>, std::greater<>> returns_;
  Outcome out_;
};

} // namespace

Outcome simulate(const CarbonSteps& ci, const Workload& w, const Decisions& d,
                 const RunSpec& spec) {
  return Simulator(ci, w, d, spec).run();
}

// ---- metrics -----------------------------------------------------------------------------------

Fig9 fig9_cdf(const Workload& w, const Outcome& reference, const Outcome& policy,
              bool by_position) {
  const std::size_t n = w.jobs.size();
  CFSIM_CHECK(reference.rows.size() == n && policy.rows.size() == n,
              "Fig. 9 needs one row per job in both runs");
  std::vector<double> ref_by_id(n), pol_by_id(n);
  for (const Row& r : reference.rows)
    ref_by_id[idx(r.job)] = r.carbon_g;
  for (const Row& r : policy.rows)
    pol_by_id[idx(r.job)] = r.carbon_g;
  std::map<std::int64_t, double> by_minutes;
  for (std::size_t j = 0; j < n; ++j) {
    const double ref = by_position ? reference.rows[j].carbon_g : ref_by_id[j];
    by_minutes[w.jobs[j].length / 12] += ref - pol_by_id[j];
  }
  Fig9 f;
  double cum = 0;
  for (const auto& [m, saved] : by_minutes) {
    f.minutes.push_back(m);
    f.saved_g.push_back(saved);
    cum += saved;
    f.cdf.push_back(cum);
  }
  for (double& c : f.cdf)
    c /= cum;
  return f;
}

} // namespace cfsim::gaia
