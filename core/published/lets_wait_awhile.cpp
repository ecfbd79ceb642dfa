// Let's Wait Awhile re-created to its specification (include/cfsim/lets_wait_awhile.hpp,
// ../shared/published/lets-wait-awhile.md). Every rule cites the spec section it implements;
// the clean variant's changes are marked C1..C5 as in the header.
#include "cfsim/lets_wait_awhile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "cfsim/error.hpp"
#include "cfsim/rng.hpp"
#include "cfsim/series.hpp"

namespace cfsim::lwa {

namespace {

constexpr TimeS kDayS = 86400;

TimeS floor_day(TimeS t) {
  return t - (((t % kDayS) + kDayS) % kDayS);
}

// "2020-12-19 23:15" on the trace clock (no zone: the traces are naive, §1).
std::string clock_text(TimeS t) {
  const CivilTime c = to_civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute);
  std::string s = buf;
  if (c.second != 0) {
    std::snprintf(buf, sizeof buf, ":%02d", c.second);
    s += buf;
  }
  return s;
}

long line_of(const RawTrace& raw, std::size_t i) {
  return raw.first_line + static_cast<long>(i);
}

std::size_t to_size(std::int64_t x) {
  CFSIM_CHECK(x >= 0, "a size is never negative");
  return static_cast<std::size_t>(x);
}

// §2, faithful: point sampling at :00 and :30, everything from 2020-01-01 00:00 to the end.
PreparedTrace prepare_faithful(const RawTrace& raw) {
  PreparedTrace out;
  out.rows = static_cast<std::int64_t>(raw.time_s.size());
  out.ci.reserve(raw.time_s.size());
  for (std::size_t i = 0; i < raw.time_s.size(); ++i) {
    const TimeS t = raw.time_s[i];
    if (t < kStartS) { // step 1
      ++out.rows_before_start;
      continue;
    }
    const TimeS into_hour = (t - kStartS) % 3600;
    const TimeS minute = into_hour / 60;
    if (minute != 0 && minute != 30) { // step 2: point sampling, the :15/:45 rows are dropped
      ++out.rows_off_grid;
      continue;
    }
    if (into_hour % 60 != 0)
      throw TraceError(raw.origin, line_of(raw, i),
                       "time " + clock_text(t) +
                           " has seconds (the :00/:30 samples kept must lie on the 30-min grid, "
                           "spec §2)");
    const TimeS expected = kStartS + static_cast<TimeS>(out.ci.size()) * kSlotS;
    if (t != expected) // step 3: gap-free
      throw TraceError(raw.origin, line_of(raw, i),
                       "the 30-min series has a gap: no sample at " + clock_text(expected) +
                           ", next one at " + clock_text(t) +
                           " (the kept :00/:30 samples must be gap-free from 2020-01-01 00:00, "
                           "spec §2; nothing is filled)");
    if (std::isnan(raw.value[i]))
      throw TraceError(raw.origin, line_of(raw, i),
                       "empty Carbon Intensity at " + clock_text(t) +
                           " (the kept :00/:30 samples must all have a value, spec §2; nothing "
                           "is filled)");
    out.ci.push_back(raw.value[i]);
  }
  return out;
}

// The source's resolution per calendar day: the most common spacing between consecutive rows
// that start on that day (ties → the smaller); 0 for a day where no spacing starts.
std::map<TimeS, TimeS> daily_spacing(const std::vector<TimeS>& t) {
  std::map<TimeS, std::map<TimeS, std::size_t>> counts;
  for (std::size_t i = 1; i < t.size(); ++i)
    ++counts[floor_day(t[i - 1])][t[i] - t[i - 1]];
  std::map<TimeS, TimeS> out;
  for (const auto& [day, c] : counts) {
    TimeS best = 0;
    std::size_t best_count = 0;
    for (const auto& [spacing, count] : c) // ascending: a tie keeps the smaller spacing
      if (count > best_count) {
        best = spacing;
        best_count = count;
      }
    out[day] = best;
  }
  return out;
}

// §2, clean (C1): time-weighted 30-min means (DESIGN §2 resampling).
PreparedTrace prepare_clean(const RawTrace& raw) {
  PreparedTrace out;
  const std::size_t rows = raw.time_s.size();
  out.rows = static_cast<std::int64_t>(rows);
  if (rows < 2)
    throw TraceError(raw.origin, raw.first_line,
                     "the clean variant needs at least two rows (a row holds until the next one)");
  const std::map<TimeS, TimeS> resolution = daily_spacing(raw.time_s);
  RawSeries rs;
  for (std::size_t i = 0; i < rows; ++i) {
    const TimeS t = raw.time_s[i];
    if (t < kStartS)
      ++out.rows_before_start;
    const TimeS to_next = i + 1 < rows ? raw.time_s[i + 1] - t : t - raw.time_s[i - 1];
    const auto day = resolution.find(floor_day(t));
    const TimeS span = day == resolution.end() ? to_next : std::min(to_next, day->second);
    const TimeS end = t + span;
    if (std::isnan(raw.value[i])) {
      if (end > kStartS)
        throw TraceError(raw.origin, line_of(raw, i),
                         "empty Carbon Intensity at " + clock_text(t) +
                             " (the series must be gap-free, spec §2; nothing is filled)");
      continue;
    }
    rs.push(t, end, raw.value[i], Quality::measured);
  }
  const TimeS end_s = rs.size() ? rs.end_s.back() : kStartS;
  if (end_s <= kStartS)
    throw TraceError(raw.origin, line_of(raw, rows - 1),
                     "no sample covers any time from 2020-01-01 00:00 on (spec §2)");
  TimeGrid grid;
  grid.start_s = kStartS;
  grid.step_s = kSlotS;
  grid.n = (end_s - kStartS + kSlotS - 1) / kSlotS;
  const GridSeries g = resample(rs, grid);
  const auto n = to_size(grid.n);
  out.ci.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double cov = g.coverage[k];
    if (cov >= 1.0) {
      out.ci.push_back(g.value[k]);
      continue;
    }
    if (k + 1 == n && cov > 0.0) { // the file ends inside the last slot
      ++out.tail_slots_dropped;
      continue;
    }
    const TimeS slot_t = grid.cell_start(static_cast<std::int64_t>(k));
    const auto it = std::upper_bound(raw.time_s.begin(), raw.time_s.end(), slot_t);
    const std::size_t row = it == raw.time_s.begin() ? 0 : to_size(it - raw.time_s.begin()) - 1;
    if (cov <= 0.0)
      throw TraceError(raw.origin, line_of(raw, row),
                       "no sample covers the slot " + clock_text(slot_t) +
                           " (the series must be gap-free, spec §2; nothing is filled)");
    ++out.partial_slots; // the mean of the covered part, counted, never filled
    out.ci.push_back(g.value[k]);
  }
  return out;
}

// The k-th smallest (0-based) of a[0..len), reordering a: the value std::nth_element gives, found
// by quickselect with a branch-free Lomuto partition (the comparisons are coin flips on noisy
// windows, so branches would mispredict half the time; about 2× faster here). Values equal to
// the pivot are split off in a second pass, so runs of ties cannot stall it.
double nth_smallest(double* a, std::size_t len, std::size_t k) {
  CFSIM_CHECK(k < len, "the k-th smallest of fewer than k + 1 values");
  std::size_t lo = 0, hi = len; // k ∈ [lo, hi)
  while (hi - lo > 16) {
    const double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
    const double pivot = std::max(std::min(x, y), std::min(std::max(x, y), z)); // median of 3
    std::size_t store = lo;
    for (std::size_t i = lo; i < hi; ++i) { // a[lo, store) < pivot ≤ a[store, i)
      const double v = a[i];
      const bool below = v < pivot;
      a[i] = a[store];
      a[store] = v;
      store += below ? 1u : 0u;
    }
    if (k < store) {
      hi = store;
      continue;
    }
    std::size_t equal_end = store; // a[store, equal_end) == pivot
    for (std::size_t i = store; i < hi; ++i) {
      const double v = a[i];
      const bool equal = !(pivot < v);
      a[i] = a[equal_end];
      a[equal_end] = v;
      equal_end += equal ? 1u : 0u;
    }
    if (k < equal_end)
      return pivot;
    lo = equal_end;
  }
  std::sort(a + lo, a + hi);
  return a[k];
}

double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v)
    s += x;
  return v.empty() ? std::nan("") : s / static_cast<double>(v.size());
}

} // namespace

const char* to_string(Variant v) {
  return v == Variant::faithful ? "faithful" : "clean";
}
const char* to_string(Deadline d) {
  switch (d) {
  case Deadline::baseline:
    return "baseline";
  case Deadline::next_workday:
    return "next_workday";
  case Deadline::semi_weekly:
    return "semi_weekly";
  }
  return "?";
}
const char* to_string(Sched s) {
  return s == Sched::non_interruptible ? "non_interruptible" : "interruptible";
}

// ---------------------------------------------------------------------------------------------
// §2

PreparedTrace prepare_trace(const RawTrace& raw, Variant v) {
  CFSIM_CHECK(raw.time_s.size() == raw.value.size(), "one value per time");
  for (std::size_t i = 1; i < raw.time_s.size(); ++i)
    if (raw.time_s[i] <= raw.time_s[i - 1])
      throw TraceError(raw.origin, line_of(raw, i),
                       "time " + clock_text(raw.time_s[i]) +
                           " is not after the previous row's (rows must be sorted, no repeats)");
  PreparedTrace out = v == Variant::faithful ? prepare_faithful(raw) : prepare_clean(raw);
  if (out.ci.empty())
    throw TraceError(raw.origin, raw.first_line,
                     "no sample from 2020-01-01 00:00 on (the simulation starts there, spec §1)");
  out.mean = mean_of(out.ci);
  return out;
}

// ---------------------------------------------------------------------------------------------
// §3

double noise_sigma(const PreparedTrace& t, double e) {
  return e * t.mean;
}

std::vector<double> standard_noise(std::uint64_t seed, std::size_t n) {
  Rng rng(seed, kNoiseStream);
  std::vector<double> z(n);
  for (double& x : z)
    x = rng.normal();
  return z;
}

std::vector<double> seen_series(const std::vector<double>& ci, const std::vector<double>& eps) {
  if (eps.empty())
    return ci;
  CFSIM_CHECK(eps.size() == ci.size(), "one noise value per slot");
  std::vector<double> seen(ci.size());
  for (std::size_t k = 0; k < ci.size(); ++k)
    seen[k] = ci[k] + eps[k];
  return seen;
}

// ---------------------------------------------------------------------------------------------
// §5

std::vector<std::int64_t> nightly_slots(Variant v) {
  // 365 jobs on 2020-01-01 … 2020-12-30 (the leap day leaves 2020-12-31 out: [QUIRK]); clean
  // adds 2020-12-31 (C2).
  const std::int64_t jobs = v == Variant::faithful ? 365 : 366;
  std::vector<std::int64_t> k(to_size(jobs));
  for (std::int64_t i = 0; i < jobs; ++i)
    k[to_size(i)] = kSlotsPerDay * i + 2; // 01:00 of day i
  return k;
}

std::size_t argmin_earliest(const double* s, std::size_t n) {
  CFSIM_CHECK(n >= 1, "argmin of an empty window");
  std::size_t best = 0;
  for (std::size_t i = 1; i < n; ++i)
    if (s[i] < s[best]) // strict: the earliest minimum wins (§5 step 2, §8 item 9)
      best = i;
  return best;
}

ShiftResult shift_nightly(const std::vector<double>& ci, const std::vector<double>& seen,
                          std::int64_t w, Variant v) {
  CFSIM_CHECK(ci.size() == seen.size(), "seen and true series have one value per slot");
  CFSIM_CHECK(w >= 0, "window ≥ 0");
  const auto n_slots = static_cast<std::int64_t>(ci.size());
  const std::vector<std::int64_t> nominal = nightly_slots(v);
  ShiftResult r;
  r.chosen.assign(nominal.size(), -1);
  for (std::size_t i = 0; i < nominal.size(); ++i) {
    const std::int64_t k = nominal[i];
    std::int64_t lo = k - w;
    if (lo < 0) {
      if (v == Variant::faithful) { // §5 step 1: skipped, not counted
        ++r.skipped;
        continue;
      }
      lo = 0; // C2: the window is cut at the start of the trace
    }
    const std::int64_t hi = k + w; // both ends included: 2w+1 candidates (§3, §5 step 2)
    if (hi >= n_slots)
      throw ConfigError("Scenario I: the window of job " + std::to_string(i) + " (slots " +
                        std::to_string(lo) + ".." + std::to_string(hi) +
                        ") runs past the end of the trace (" + std::to_string(n_slots) +
                        " slots; spec §3)");
    const std::int64_t j =
        lo + static_cast<std::int64_t>(argmin_earliest(seen.data() + lo, to_size(hi - lo + 1)));
    r.chosen[i] = j;
    r.sum_ci += ci[to_size(j)]; // accounting on ci_true (§3)
    ++r.executed;
  }
  // faithful: always 365, even when job 0 was skipped ([QUIRK] §5); clean: the number of jobs.
  r.divisor = v == Variant::faithful ? 365 : static_cast<std::int64_t>(nominal.size());
  r.mean_ci = r.sum_ci / static_cast<double>(r.divisor);
  return r;
}

std::array<std::int64_t, kSlotsPerDay> start_histogram(const std::vector<std::int64_t>& chosen) {
  std::array<std::int64_t, kSlotsPerDay> h{};
  for (const std::int64_t k : chosen)
    if (k >= 0)
      ++h[to_size(k % kSlotsPerDay)]; // slot k starts at 00:00 + 30·(k mod 48) min
  return h;
}

// ---------------------------------------------------------------------------------------------
// §6.2

TimeS deadline_s(TimeS oft_s, Deadline d, Variant v) {
  if (d == Deadline::baseline)
    return oft_s;
  const CivilTime c = to_civil(oft_s);
  CFSIM_CHECK(c.second == 0 && (c.minute == 0 || c.minute == 30), "OFT lies on the 30-min grid");
  const int th = 2 * c.hour + (c.minute == 30 ? 1 : 0); // t in half-hours: t > 17 ⇔ th > 34
  const unsigned wd = weekday_of(oft_s);                // Mon = 0 … Sun = 6
  const TimeS date_s = floor_day(oft_s);
  const auto nine = [date_s](TimeS days) { return date_s + days * kDayS + 9 * 3600; };
  if (d == Deadline::next_workday) {
    if (wd == 5) // Saturday → Monday 09:00
      return nine(2);
    if (wd == 6 || th > 34) {
      if (v == Variant::clean && wd == 4) // C5: Friday after 17:00 → Monday 09:00
        return nine(3);
      return nine(1); // Sun → Mon; Mon–Thu → next day; Fri → Saturday 09:00 ([QUIRK])
    }
    if (th < 18) // before 09:00 on Mon–Fri
      return nine(0);
    return oft_s; // 09:00 ≤ t ≤ 17:00 on Mon–Fri: f = 0 (both ends included)
  }
  // semi_weekly: the next Thursday 09:00 or Monday 09:00 (an OFT exactly at 09:00 keeps f = 0)
  const auto wdi = static_cast<TimeS>(wd);
  if ((wd == 0 && th > 18) || wd == 1 || wd == 2 || (wd == 3 && th <= 18))
    return nine((10 - wdi) % 7);
  return nine((7 - wdi) % 7);
}

std::int64_t flexibility_slots(const MlJob& job, Deadline d, Variant v) {
  const TimeS oft = kStartS + (job.slot + job.n) * kSlotS;
  const TimeS dl = deadline_s(oft, d, v);
  CFSIM_CHECK(dl >= oft && (dl - oft) % kSlotS == 0, "deadlines lie on the grid, never early");
  return (dl - oft) / kSlotS;
}

// ---------------------------------------------------------------------------------------------
// §6.3

std::int64_t window_length(std::int64_t n, std::int64_t f, Variant v) {
  // faithful: seen[k .. k+n+f], both ends included; clean (C3, C4): up to the deadline.
  return v == Variant::faithful ? n + f + 1 : n + f;
}

std::int64_t place_non_interruptible(const double* s, std::int64_t n, std::int64_t f, Variant v) {
  CFSIM_CHECK(n >= 1 && f >= 0, "a job runs ≥ 1 slot, f ≥ 0");
  // faithful: j = 0 … f+1 ([QUIRK] f+2 candidates); clean: j = 0 … f (C3).
  const std::int64_t last = v == Variant::faithful ? f + 1 : f;
  // P[j] and P[j+n] of the sequential prefix sums P[0] = 0, P[i+1] = P[i] + S[i].
  double lo = 0.0;
  double hi = 0.0;
  for (std::int64_t i = 0; i < n; ++i)
    hi += s[i];
  const auto nd = static_cast<double>(n);
  std::int64_t best = 0;
  double best_mean = (hi - lo) / nd;
  for (std::int64_t j = 1; j <= last; ++j) {
    lo += s[j - 1];
    hi += s[j - 1 + n];
    const double m = (hi - lo) / nd;
    if (m < best_mean) { // strict: earliest j on ties
      best_mean = m;
      best = j;
    }
  }
  return best;
}

std::int64_t place_interruptible(const double* s, std::int64_t n, std::int64_t f, Variant v,
                                 std::vector<std::uint8_t>& run, std::vector<double>& scratch) {
  CFSIM_CHECK(n >= 1 && f >= 0, "a job runs ≥ 1 slot, f ≥ 0");
  const std::int64_t len = window_length(n, f, v);
  const auto ulen = to_size(len);
  scratch.assign(s, s + len);
  const double theta = nth_smallest(scratch.data(), ulen, to_size(n - 1)); // 1-based n-th
  run.assign(ulen, 0);
  std::int64_t count = 0;
  if (v == Variant::faithful) {              // every slot ≤ θ: all ties at θ run ([QUIRK])
    for (std::size_t i = 0; i < ulen; ++i) { // branch-free: the outcome is a coin flip
      const auto r = static_cast<std::uint8_t>(s[i] <= theta);
      run[i] = r;
      count += r;
    }
    return count;
  }
  std::int64_t below = 0; // C4: exactly n slots, the earliest among ties at θ
  for (std::size_t i = 0; i < ulen; ++i)
    below += s[i] < theta ? 1 : 0;
  std::int64_t ties_left = n - below;
  for (std::size_t i = 0; i < ulen; ++i) {
    if (s[i] < theta || (s[i] == theta && ties_left > 0)) {
      if (!(s[i] < theta))
        --ties_left;
      run[i] = 1;
      ++count;
    }
  }
  return count;
}

JobsRun run_jobs(const std::vector<double>& ci, const std::vector<double>& seen,
                 const std::vector<MlJob>& jobs, const std::vector<std::int64_t>& flex, Sched sched,
                 Variant v) {
  CFSIM_CHECK(ci.size() == seen.size(), "seen and true series have one value per slot");
  CFSIM_CHECK(jobs.size() == flex.size(), "one flexibility per job");
  const auto n_slots = static_cast<std::int64_t>(ci.size());
  JobsRun r;
  r.active.assign(ci.size(), 0);
  std::vector<std::uint8_t> run;
  std::vector<double> scratch;
  const auto add = [&r](std::int64_t slot) {
    ++r.active[to_size(slot)];
    r.slot_sum += slot;
    r.slot_sq_sum += slot * slot;
  };
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const MlJob& job = jobs[i];
    const std::int64_t f = flex[i];
    const std::int64_t len = window_length(job.n, f, v);
    if (job.slot < 0 || job.slot + len > n_slots)
      throw ConfigError("Scenario II: the window of job " + std::to_string(job.id) + " (slots " +
                        std::to_string(job.slot) + ".." + std::to_string(job.slot + len - 1) +
                        ") lies outside the trace (" + std::to_string(n_slots) +
                        " slots; spec §3, §6.4)");
    const double* s = seen.data() + job.slot; // decided once, at arrival (§6.3)
    if (sched == Sched::non_interruptible) {
      const std::int64_t j = place_non_interruptible(s, job.n, f, v);
      for (std::int64_t t = job.slot + j; t < job.slot + j + job.n; ++t)
        add(t);
      r.late_jobs += j > f ? 1 : 0;
      r.delayed_jobs += j > 0 ? 1 : 0;
      continue;
    }
    const std::int64_t count = place_interruptible(s, job.n, f, v, run, scratch);
    for (std::size_t o = 0; o < run.size(); ++o) { // branch-free: run[o] is 0 or 1
      const std::int64_t on = run[o];
      const std::int64_t slot = job.slot + static_cast<std::int64_t>(o);
      r.active[to_size(slot)] += static_cast<std::int32_t>(on);
      r.slot_sum += on * slot;
      r.slot_sq_sum += on * slot * slot;
    }
    std::int64_t last = len - 1;
    while (!run[to_size(last)])
      --last;
    r.extra_slots += count - job.n;
    r.late_jobs += last + 1 > job.n + f ? 1 : 0;
    r.delayed_jobs += run[0] ? 0 : 1;
  }
  double e = 0.0; // accounting on ci_true, every slot (§4, §6.4)
  for (std::size_t k = 0; k < ci.size(); ++k)
    e += ci[k] * static_cast<double>(r.active[k]);
  r.emission_score = e;
  return r;
}

double emission_score(const std::vector<double>& ci, const std::vector<double>& active) {
  CFSIM_CHECK(ci.size() == active.size(), "one activity per slot");
  double e = 0.0;
  for (std::size_t k = 0; k < ci.size(); ++k)
    e += ci[k] * active[k];
  return e;
}

std::vector<double> weekly_emission_profile(const std::vector<double>& ci,
                                            const std::vector<double>& active) {
  CFSIM_CHECK(ci.size() == active.size(), "one activity per slot");
  std::vector<double> sum(to_size(kSlotsPerWeek), 0.0);
  std::vector<std::int64_t> count(to_size(kSlotsPerWeek), 0);
  for (std::size_t k = 0; k < ci.size(); ++k) {
    const TimeS t = kStartS + static_cast<TimeS>(k) * kSlotS;
    const auto bin = static_cast<std::int64_t>(weekday_of(t)) * kSlotsPerDay +
                     (t % kDayS) / kSlotS; // Monday 00:00 = bin 0
    sum[to_size(bin)] += ci[k] * active[k];
    ++count[to_size(bin)];
  }
  for (std::size_t b = 0; b < sum.size(); ++b)
    sum[b] = count[b] ? sum[b] / static_cast<double>(count[b]) : std::nan("");
  return sum;
}

// ---------------------------------------------------------------------------------------------

TraceStats trace_stats(const std::vector<double>& ci) {
  TraceStats s;
  s.mean = mean_of(ci);
  double ss = 0.0, wd_sum = 0.0, we_sum = 0.0;
  s.min = ci.empty() ? std::nan("") : ci.front();
  s.max = s.min;
  std::array<double, kSlotsPerDay> all{}, wds{}, wes{};
  std::array<std::int64_t, kSlotsPerDay> n_all{}, n_wd{}, n_we{};
  for (std::size_t k = 0; k < ci.size(); ++k) {
    const double x = ci[k];
    ss += (x - s.mean) * (x - s.mean);
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
    const TimeS t = kStartS + static_cast<TimeS>(k) * kSlotS;
    const auto sod = to_size((t % kDayS) / kSlotS);
    all[sod] += x;
    ++n_all[sod];
    if (weekday_of(t) < 5) {
      wd_sum += x;
      ++s.weekday_slots;
      wds[sod] += x;
      ++n_wd[sod];
    } else {
      we_sum += x;
      ++s.weekend_slots;
      wes[sod] += x;
      ++n_we[sod];
    }
  }
  s.std = ci.empty() ? std::nan("") : std::sqrt(ss / static_cast<double>(ci.size()));
  const auto div = [](double a, std::int64_t b) {
    return b ? a / static_cast<double>(b) : std::nan("");
  };
  s.weekday_mean = div(wd_sum, s.weekday_slots);
  s.weekend_mean = div(we_sum, s.weekend_slots);
  for (std::size_t b = 0; b < all.size(); ++b) {
    s.day_profile[b] = div(all[b], n_all[b]);
    s.day_profile_weekday[b] = div(wds[b], n_wd[b]);
    s.day_profile_weekend[b] = div(wes[b], n_we[b]);
  }
  return s;
}

double percentile_linear(std::vector<double> v, double pct) {
  if (v.empty())
    return std::nan("");
  std::sort(v.begin(), v.end());
  // numpy ≥ 1.22 "linear": index (n − 1)·q, q = pct / 100, and its _lerp rounding.
  const double pos = static_cast<double>(v.size() - 1) * (pct / 100.0);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  const double t = pos - static_cast<double>(lo);
  const double diff = v[hi] - v[lo];
  return t >= 0.5 ? v[hi] - diff * (1 - t) : v[lo] + diff * t;
}

} // namespace cfsim::lwa
