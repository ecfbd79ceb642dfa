// Known answers, worked by hand, for every rule of the Let's Wait Awhile re-creation
// (include/cfsim/lets_wait_awhile.hpp). "§n" cites ../shared/published/lets-wait-awhile.md; C1..C5
// are the clean variant's changes listed in the header.
#include "cfsim/lets_wait_awhile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/rng.hpp"
#include "cfsim/time.hpp"

namespace {

using namespace cfsim;
using namespace cfsim::lwa;

TimeS at(const char* text) {
  const auto t = parse_utc(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(0);
}

RawTrace raw(std::vector<std::pair<const char*, double>> rows) {
  RawTrace r;
  r.origin = "t.csv";
  for (const auto& [t, v] : rows) {
    r.time_s.push_back(at(t));
    r.value.push_back(v);
  }
  return r;
}

template <class F> std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// ---------------------------------------------------------------------------------------------
// §2 data preparation

// §2 steps 1–2: rows before 2020-01-01 00:00 and the :15/:45 rows are dropped, the :00/:30 rows
// are kept as they are (point sampling, not averaging).
TEST(LwaPrepare, FaithfulPointSamplesAtHourAndHalfHour) {
  const RawTrace r = raw({{"2019-12-31 23:30", 7},
                          {"2019-12-31 23:45", 8},
                          {"2020-01-01 00:00", 10},
                          {"2020-01-01 00:15", 99},
                          {"2020-01-01 00:30", 20},
                          {"2020-01-01 00:45", 99},
                          {"2020-01-01 01:00", 30}});
  const PreparedTrace p = prepare_trace(r, Variant::faithful);
  EXPECT_EQ(p.ci, (std::vector<double>{10, 20, 30}));
  EXPECT_EQ(p.rows, 7);
  EXPECT_EQ(p.rows_before_start, 2);
  EXPECT_EQ(p.rows_off_grid, 2);
  EXPECT_DOUBLE_EQ(p.mean, 20.0);
  EXPECT_EQ(p.last_s(), at("2020-01-01 01:00"));
}

// §2 step 3: the kept series must be gap-free from 2020-01-01 00:00; nothing is filled.
TEST(LwaPrepare, FaithfulRefusesGaps) {
  const RawTrace gap =
      raw({{"2020-01-01 00:00", 10}, {"2020-01-01 00:15", 1}, {"2020-01-01 01:00", 30}});
  const std::string m = error_of([&] { prepare_trace(gap, Variant::faithful); });
  EXPECT_NE(m.find("t.csv:4:"), std::string::npos) << m; // row 2 = line 4
  EXPECT_NE(m.find("no sample at 2020-01-01 00:30"), std::string::npos) << m;
  const RawTrace late = raw({{"2020-01-01 00:30", 10}});
  EXPECT_NE(error_of([&] {
              prepare_trace(late, Variant::faithful);
            }).find("no sample at 2020-01-01 00:00"),
            std::string::npos);
  RawTrace empty = raw({{"2020-01-01 00:00", 10}, {"2020-01-01 00:15", 1}});
  empty.value[1] = std::nan(""); // an empty :15 value is dropped with its row: no error
  EXPECT_EQ(prepare_trace(empty, Variant::faithful).ci.size(), 1u);
  empty.value[0] = std::nan(""); // an empty kept value is
  EXPECT_NE(error_of([&] { prepare_trace(empty, Variant::faithful); }).find("empty"),
            std::string::npos);
}

// C1: time-weighted 30-min means; each row holds until the next one, at most the file's most
// common spacing (15 min here): (10+20)/2, (30+50)/2, (60+70)/2.
TEST(LwaPrepare, CleanTimeWeightedMeans) {
  const RawTrace r = raw({{"2019-12-31 23:45", 1},
                          {"2020-01-01 00:00", 10},
                          {"2020-01-01 00:15", 20},
                          {"2020-01-01 00:30", 30},
                          {"2020-01-01 00:45", 50},
                          {"2020-01-01 01:00", 60},
                          {"2020-01-01 01:15", 70}});
  const PreparedTrace p = prepare_trace(r, Variant::clean);
  EXPECT_EQ(p.ci, (std::vector<double>{15, 40, 65}));
  EXPECT_EQ(p.rows_before_start, 1);
  EXPECT_EQ(p.partial_slots, 0);
  EXPECT_EQ(p.tail_slots_dropped, 0);
  EXPECT_DOUBLE_EQ(p.mean, 40.0);
}

// C1 with the shape of GER's two 30-min steps: a 15-min row followed by a 30-min step covers only
// its own 15 min; the slot keeps the mean of its covered part and is counted, never filled. A
// partly covered last slot is left out.
TEST(LwaPrepare, CleanPartialSlotsAndTail) {
  const RawTrace r = raw({{"2020-01-01 00:00", 10},
                          {"2020-01-01 00:15", 20},
                          {"2020-01-01 00:30", 30}, // holds 00:30–00:45 only
                          {"2020-01-01 01:00", 40},
                          {"2020-01-01 01:15", 50},
                          {"2020-01-01 01:30", 60}}); // holds 01:30–01:45: last slot partial
  const PreparedTrace p = prepare_trace(r, Variant::clean);
  EXPECT_EQ(p.ci, (std::vector<double>{15, 30, 45}));
  EXPECT_EQ(p.partial_slots, 1);
  EXPECT_EQ(p.tail_slots_dropped, 1);
}

// C1: an uncovered slot is a gap, an error naming the row before it.
TEST(LwaPrepare, CleanRefusesUncoveredSlots) {
  const RawTrace r = raw({{"2020-01-01 00:00", 10},
                          {"2020-01-01 00:30", 20},
                          {"2020-01-01 01:30", 30},
                          {"2020-01-01 02:00", 40}});
  const std::string m = error_of([&] { prepare_trace(r, Variant::clean); });
  EXPECT_NE(m.find("t.csv:3:"), std::string::npos) << m;
  EXPECT_NE(m.find("no sample covers the slot 2020-01-01 01:00"), std::string::npos) << m;
}

// Rows must be sorted without repeats (both variants).
TEST(LwaPrepare, RefusesUnsortedRows) {
  const RawTrace r = raw({{"2020-01-01 00:30", 10}, {"2020-01-01 00:00", 20}});
  EXPECT_NE(error_of([&] { prepare_trace(r, Variant::faithful); }).find("t.csv:3:"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// §3 noise

// σ = e × mean of all N retained values (the 2021 tail included); seen = ci + ε, not clipped.
TEST(LwaNoise, SigmaIsErrorTimesMeanOfAllSamples) {
  PreparedTrace t;
  t.ci = {100, 200, 300, 400};
  t.mean = 250;
  EXPECT_DOUBLE_EQ(noise_sigma(t, 0.05), 12.5);
  EXPECT_DOUBLE_EQ(noise_sigma(t, 0.1), 25.0);
  EXPECT_EQ(seen_series(t.ci, {}), t.ci); // e = 0: a perfect forecast
  EXPECT_EQ(seen_series({1, 2}, {-5, 0.5}), (std::vector<double>{-4, 2.5}));
  const RawTrace r = raw({{"2020-01-01 00:00", 100}, {"2020-01-01 00:30", 300}});
  EXPECT_DOUBLE_EQ(noise_sigma(prepare_trace(r, Variant::faithful), 0.05), 10.0);
}

// §3: one vector per seed, in slot order; like NumPy's default_rng(s).normal(0, σ, N) the same
// standard draws serve every region (a shorter trace takes a prefix) and every e.
TEST(LwaNoise, StandardNoiseIsSeededAndPrefixStable) {
  const std::vector<double> a = standard_noise(3, 10), b = standard_noise(3, 20);
  EXPECT_EQ(a, std::vector<double>(b.begin(), b.begin() + 10));
  EXPECT_NE(standard_noise(4, 10), a);
  double m = 0, v = 0;
  const std::vector<double> z = standard_noise(0, 200000);
  for (double x : z)
    m += x;
  m /= static_cast<double>(z.size());
  for (double x : z)
    v += (x - m) * (x - m);
  v /= static_cast<double>(z.size());
  EXPECT_NEAR(m, 0.0, 0.01);
  EXPECT_NEAR(v, 1.0, 0.01);
}

// ---------------------------------------------------------------------------------------------
// §5 Scenario I

std::vector<double> constant_year(double v) {
  return std::vector<double>(static_cast<std::size_t>(48 * 376), v); // 2020 + 10 days
}

// §5: 365 jobs at 01:00 (slot 48·i + 2), none on 2020-12-31; clean adds that day (C2).
TEST(LwaScenario1, NightlySlots) {
  const auto f = nightly_slots(Variant::faithful), c = nightly_slots(Variant::clean);
  ASSERT_EQ(f.size(), 365u);
  EXPECT_EQ(f.front(), 2);
  EXPECT_EQ(f.back(), 48 * 364 + 2); // 2020-12-30 01:00
  ASSERT_EQ(c.size(), 366u);
  EXPECT_EQ(c.back(), 48 * 365 + 2); // 2020-12-31 01:00
}

// §5 step 2, §8 item 9: the minimum, earliest on ties.
TEST(LwaScenario1, ArgminEarliest) {
  const double s[] = {3, 1, 1, 2};
  EXPECT_EQ(argmin_earliest(s, 4), 1u);
  EXPECT_EQ(argmin_earliest(s + 2, 2), 0u);
}

// §5 step 1 and the metric: job 0 is skipped for w ≥ 3 (its window would start before slot 0),
// and A still divides by 365: 364 · 100 / 365. Clean (C2): no skip, 366 jobs, A = 100.
TEST(LwaScenario1, JobZeroSkipAndDivisor365) {
  const auto ci = constant_year(100);
  const ShiftResult w2 = shift_nightly(ci, ci, 2, Variant::faithful);
  EXPECT_EQ(w2.executed, 365);
  EXPECT_EQ(w2.skipped, 0);
  EXPECT_DOUBLE_EQ(w2.mean_ci, 100.0);
  const ShiftResult w3 = shift_nightly(ci, ci, 3, Variant::faithful);
  EXPECT_EQ(w3.executed, 364);
  EXPECT_EQ(w3.skipped, 1);
  EXPECT_EQ(w3.chosen[0], -1);
  EXPECT_EQ(w3.divisor, 365);
  EXPECT_DOUBLE_EQ(w3.mean_ci, 36400.0 / 365.0);
  const ShiftResult c3 = shift_nightly(ci, ci, 3, Variant::clean);
  EXPECT_EQ(c3.executed, 366);
  EXPECT_EQ(c3.skipped, 0);
  EXPECT_EQ(c3.divisor, 366);
  EXPECT_EQ(c3.chosen[0], 0); // the window cut at slot 0; all tie → the earliest
  EXPECT_DOUBLE_EQ(c3.mean_ci, 100.0);
}

// §3 and §5 step 2: the window k−w … k+w includes both ends (2w+1 candidates); on a constant
// trace every job takes the earliest slot, k − w.
TEST(LwaScenario1, WindowIncludesBothEndsAndTiesGoEarliest) {
  auto ci = constant_year(100);
  const std::int64_t w = 4, k5 = 48 * 5 + 2;
  ci[static_cast<std::size_t>(k5 + w)] = 50;            // the last candidate of job 5
  ci[static_cast<std::size_t>(48 * 7 + 2 + w + 1)] = 1; // one past job 7's window
  const ShiftResult r = shift_nightly(ci, ci, w, Variant::faithful);
  EXPECT_EQ(r.chosen[5], k5 + w);
  EXPECT_EQ(r.chosen[7], 48 * 7 + 2 - w);
  EXPECT_EQ(r.chosen[6], 48 * 6 + 2 - w);
  EXPECT_DOUBLE_EQ(r.sum_ci, 363 * 100.0 + 50.0); // 364 executed, job 0 skipped
}

// §3: decisions use the seen (noisy) values, accounting always ci_true.
TEST(LwaScenario1, DecidesOnSeenAccountsOnTrue) {
  const auto ci = constant_year(100);
  auto seen = ci;
  seen[5] = -1; // job 0 (k = 2) with w = 3 would see it, but is skipped; with w = 2 it does not
  seen[48 + 2 + 1] = 0; // job 1 sees a dip at 01:30 that is not there
  const ShiftResult r = shift_nightly(ci, seen, 1, Variant::faithful);
  EXPECT_EQ(r.chosen[1], 48 + 3);
  EXPECT_DOUBLE_EQ(r.mean_ci, 100.0);
}

// §5 histogram: bin 2·hour + (minute == 30); w = 4 on a constant trace → every job at 23:00.
TEST(LwaScenario1, StartHistogram) {
  const auto ci = constant_year(100);
  const auto h = start_histogram(shift_nightly(ci, ci, 4, Variant::faithful).chosen);
  EXPECT_EQ(h[46], 364);
  EXPECT_EQ(h[2], 0);
  const auto h0 = start_histogram(shift_nightly(ci, ci, 0, Variant::faithful).chosen);
  EXPECT_EQ(h0[2], 365); // 01:00
}

// §3: a window past the trace end is an error.
TEST(LwaScenario1, WindowPastTraceEndIsAnError) {
  const std::vector<double> ci(static_cast<std::size_t>(48 * 364 + 4), 1.0);
  EXPECT_NO_THROW(shift_nightly(ci, ci, 1, Variant::faithful));
  EXPECT_THROW(shift_nightly(ci, ci, 2, Variant::faithful), ConfigError);
}

// ---------------------------------------------------------------------------------------------
// §6.2 deadlines (2020-01-06 is a Monday)

std::int64_t slots_to(const char* oft, const char* dl) {
  return (at(dl) - at(oft)) / kSlotS;
}
TimeS nw(const char* oft, Variant v = Variant::faithful) {
  return deadline_s(at(oft), Deadline::next_workday, v);
}
TimeS sw(const char* oft) {
  return deadline_s(at(oft), Deadline::semi_weekly, Variant::faithful);
}

// §6.2 next_workday, rule 1: Saturday → Monday 09:00.
TEST(LwaDeadline, NextWorkdaySaturday) {
  EXPECT_EQ(nw("2020-01-11 10:00"), at("2020-01-13 09:00"));
  EXPECT_EQ(nw("2020-01-11 02:30"), at("2020-01-13 09:00"));
}

// §6.2 next_workday, rule 2: Sunday (any time) or after 17:00 → next day 09:00; Friday after 17:00
// → Saturday 09:00 [QUIRK], clean (C5) Monday 09:00; 17:30 is "after 17".
TEST(LwaDeadline, NextWorkdaySundayAndEvening) {
  EXPECT_EQ(nw("2020-01-12 20:00"), at("2020-01-13 09:00"));
  EXPECT_EQ(nw("2020-01-12 08:00"), at("2020-01-13 09:00"));
  EXPECT_EQ(nw("2020-01-06 17:30"), at("2020-01-07 09:00"));
  EXPECT_EQ(nw("2020-01-09 23:30"), at("2020-01-10 09:00"));
  EXPECT_EQ(nw("2020-01-10 17:30"), at("2020-01-11 09:00"));
  EXPECT_EQ(slots_to("2020-01-10 17:30", "2020-01-11 09:00"), 31);
  EXPECT_EQ(nw("2020-01-10 17:30", Variant::clean), at("2020-01-13 09:00"));
  EXPECT_EQ(nw("2020-01-09 17:30", Variant::clean), at("2020-01-10 09:00"));
}

// §6.2 next_workday, rules 3–4: before 09:00 → same day 09:00; 09:00 ≤ t ≤ 17:00 → f = 0, both
// 09:00 and 17:00 exactly included.
TEST(LwaDeadline, NextWorkdayMorningAndWorkingHours) {
  EXPECT_EQ(nw("2020-01-07 08:30"), at("2020-01-07 09:00"));
  EXPECT_EQ(nw("2020-01-07 00:00"), at("2020-01-07 09:00"));
  EXPECT_EQ(nw("2020-01-06 09:00"), at("2020-01-06 09:00"));
  EXPECT_EQ(nw("2020-01-10 17:00"), at("2020-01-10 17:00"));
  EXPECT_EQ(nw("2020-01-08 12:30"), at("2020-01-08 12:30"));
}

// §6.2 semi_weekly: Mon after 09:00, Tue, Wed, Thu up to 09:00 → Thursday 09:00; Mon and Thu at
// exactly 09:00 give f = 0.
TEST(LwaDeadline, SemiWeeklyThursday) {
  EXPECT_EQ(sw("2020-01-06 09:30"), at("2020-01-09 09:00"));
  EXPECT_EQ(sw("2020-01-07 20:00"), at("2020-01-09 09:00"));
  EXPECT_EQ(sw("2020-01-08 00:00"), at("2020-01-09 09:00"));
  EXPECT_EQ(sw("2020-01-09 08:00"), at("2020-01-09 09:00"));
  EXPECT_EQ(sw("2020-01-09 09:00"), at("2020-01-09 09:00"));
}

// §6.2 semi_weekly: Thu after 09:00, Fri, Sat, Sun, Mon up to 09:00 → Monday 09:00.
TEST(LwaDeadline, SemiWeeklyMonday) {
  EXPECT_EQ(sw("2020-01-09 09:30"), at("2020-01-13 09:00"));
  EXPECT_EQ(sw("2020-01-10 12:00"), at("2020-01-13 09:00"));
  EXPECT_EQ(sw("2020-01-11 12:00"), at("2020-01-13 09:00"));
  EXPECT_EQ(sw("2020-01-12 23:30"), at("2020-01-13 09:00"));
  EXPECT_EQ(sw("2020-01-13 08:00"), at("2020-01-13 09:00"));
  EXPECT_EQ(sw("2020-01-13 09:00"), at("2020-01-13 09:00"));
}

// §6.2: f = (DL − OFT)/30 min with OFT = arrival + duration; baseline f = 0.
TEST(LwaDeadline, FlexibilityInSlots) {
  MlJob j; // arrives Fri 2020-01-10 09:30, runs 8 h → OFT 17:30
  j.slot = (at("2020-01-10 09:30") - kStartS) / kSlotS;
  j.n = 16;
  EXPECT_EQ(flexibility_slots(j, Deadline::baseline, Variant::faithful), 0);
  EXPECT_EQ(flexibility_slots(j, Deadline::next_workday, Variant::faithful), 31);
  EXPECT_EQ(flexibility_slots(j, Deadline::next_workday, Variant::clean), 31 + 96);
  EXPECT_EQ(flexibility_slots(j, Deadline::semi_weekly, Variant::faithful),
            slots_to("2020-01-10 17:30", "2020-01-13 09:00"));
}

// ---------------------------------------------------------------------------------------------
// §6.3 scheduling

// §6.3 [QUIRK]: f+2 start candidates; the baseline (f = 0) may start one slot late. Clean (C3):
// j = 0..f, the baseline starts at once.
TEST(LwaNonInterruptible, FPlusTwoCandidates) {
  const double s[] = {5, 3, 1};
  EXPECT_EQ(place_non_interruptible(s, 1, 0, Variant::faithful), 1); // not 2: outside
  EXPECT_EQ(place_non_interruptible(s, 1, 0, Variant::clean), 0);
  const double t[] = {4, 4, 1, 1}; // n = 2, f = 1: means 4, 2.5, 1
  EXPECT_EQ(place_non_interruptible(t, 2, 1, Variant::faithful), 2);
  EXPECT_EQ(place_non_interruptible(t, 2, 1, Variant::clean), 1);
  EXPECT_EQ(window_length(2, 1, Variant::faithful), 4);
  EXPECT_EQ(window_length(2, 1, Variant::clean), 3);
}

// §6.3, §8 item 9: the smallest mean, earliest offset on ties.
TEST(LwaNonInterruptible, TiesGoEarliest) {
  const double s[] = {2, 1, 2, 1, 2};
  EXPECT_EQ(place_non_interruptible(s, 1, 3, Variant::faithful), 1);
  const double t[] = {1, 2, 2, 1}; // n = 2: means 1.5, 2, 1.5
  EXPECT_EQ(place_non_interruptible(t, 2, 1, Variant::faithful), 0);
}

// §6.3: θ = the n-th smallest; every slot ≤ θ runs (no ties: exactly n).
TEST(LwaInterruptible, NoTies) {
  const double s[] = {5, 1, 4, 2, 3};
  std::vector<std::uint8_t> run;
  std::vector<double> scratch;
  EXPECT_EQ(place_interruptible(s, 2, 2, Variant::faithful, run, scratch), 2);
  EXPECT_EQ(run, (std::vector<std::uint8_t>{0, 1, 0, 1, 0}));
}

// §6.3 [QUIRK]: ties at θ all run (3 slots for n = 2); clean (C4): exactly n, earliest among ties,
// from the n+f slots before the deadline.
TEST(LwaInterruptible, TiesAtThreshold) {
  const double s[] = {3, 1, 1, 1, 5};
  std::vector<std::uint8_t> run;
  std::vector<double> scratch;
  EXPECT_EQ(place_interruptible(s, 2, 2, Variant::faithful, run, scratch), 3);
  EXPECT_EQ(run, (std::vector<std::uint8_t>{0, 1, 1, 1, 0}));
  EXPECT_EQ(place_interruptible(s, 2, 2, Variant::clean, run, scratch), 2);
  EXPECT_EQ(run, (std::vector<std::uint8_t>{0, 1, 1, 0}));
}

// §6.3: the last candidate slot (index n+f) starts at the deadline and ends after it; clean
// stops at n+f−1.
TEST(LwaInterruptible, LastSlotAtDeadline) {
  const double s[] = {5, 5, 5, 5, 1};
  std::vector<std::uint8_t> run;
  std::vector<double> scratch;
  EXPECT_EQ(place_interruptible(s, 1, 3, Variant::faithful, run, scratch), 1);
  EXPECT_EQ(run, (std::vector<std::uint8_t>{0, 0, 0, 0, 1}));
  EXPECT_EQ(place_interruptible(s, 1, 3, Variant::clean, run, scratch), 1);
  EXPECT_EQ(run, (std::vector<std::uint8_t>{1, 0, 0, 0}));
}

// §6.3 on long windows (the selection's partition path, not only its small-window sort): against
// a brute force (sort, θ = sorted[n−1]) on random windows, with many ties (values 0..9) and none.
TEST(LwaInterruptible, MatchesBruteForceOnLongWindows) {
  cfsim::Rng rng(7, 0);
  std::vector<std::uint8_t> run;
  std::vector<double> scratch;
  for (int trial = 0; trial < 400; ++trial) {
    const std::int64_t n = rng.uniform_int(1, 200), f = rng.uniform_int(0, 300);
    const bool ties = trial % 2 == 0;
    for (const Variant v : {Variant::faithful, Variant::clean}) {
      const std::int64_t len = window_length(n, f, v);
      std::vector<double> s(static_cast<std::size_t>(len));
      for (double& x : s)
        x = ties ? static_cast<double>(rng.uniform_int(0, 9)) : rng.normal();
      std::vector<double> sorted = s;
      std::sort(sorted.begin(), sorted.end());
      const double theta = sorted[static_cast<std::size_t>(n - 1)];
      std::vector<std::uint8_t> want(s.size(), 0);
      std::int64_t left = n; // clean: exactly n, the earliest among ties
      for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] < theta)
          --left;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (v == Variant::faithful)
          want[i] = s[i] <= theta ? 1 : 0;
        else if (s[i] < theta || (s[i] == theta && left-- > 0))
          want[i] = 1;
      }
      const std::int64_t count = place_interruptible(s.data(), n, f, v, run, scratch);
      ASSERT_EQ(run, want) << "trial " << trial << " n " << n << " f " << f;
      if (v == Variant::clean) {
        ASSERT_EQ(count, n);
      }
    }
  }
}

// §4, §6.4: E = Σ ci_true·active; decisions on seen; late jobs are the ones ending after DL.
TEST(LwaJobs, EmissionScoreAndLateJobs) {
  const std::vector<double> ci = {10, 20, 1, 40, 50, 60, 70, 80};
  std::vector<double> seen = ci;
  seen[0] = 100; // the job sees slot 0 as dirty, slot 2 is the cleanest
  const std::vector<MlJob> jobs = {{7, 0, 2}, {8, 4, 1}};
  const std::vector<std::int64_t> flex = {0, 1};
  const JobsRun a = run_jobs(ci, seen, jobs, flex, Sched::non_interruptible, Variant::faithful);
  // job 7: n 2, f 0 → j ∈ {0, 1}: seen means 60, 10.5 → slots 1–2 (late by one slot);
  // job 8: n 1, f 1 → j ∈ {0, 1, 2}: 50, 60, 70 → slot 4.
  EXPECT_EQ(a.active, (std::vector<std::int32_t>{0, 1, 1, 0, 1, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(a.emission_score, 20 + 1 + 50);
  EXPECT_EQ(a.late_jobs, 1);
  EXPECT_EQ(a.delayed_jobs, 1);
  EXPECT_EQ(a.slot_sum, 1 + 2 + 4);
  EXPECT_EQ(a.slot_sq_sum, 1 + 4 + 16);
  const JobsRun b = run_jobs(ci, seen, jobs, flex, Sched::interruptible, Variant::faithful);
  // job 7: S = {100, 20, 1}, θ = 20 → slots 1, 2; job 8: S = {50, 60, 70} → slot 4.
  EXPECT_EQ(b.active, (std::vector<std::int32_t>{0, 1, 1, 0, 1, 0, 0, 0}));
  EXPECT_EQ(b.late_jobs, 1);
  const JobsRun c = run_jobs(ci, seen, jobs, flex, Sched::non_interruptible, Variant::clean);
  EXPECT_EQ(c.active, (std::vector<std::int32_t>{1, 1, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(c.late_jobs, 0);
  const std::vector<MlJob> far = {{9, 6, 2}};
  EXPECT_THROW(run_jobs(ci, ci, far, {0}, Sched::non_interruptible, Variant::faithful),
               ConfigError); // slots 6..8: past the end
  EXPECT_NO_THROW(run_jobs(ci, ci, far, {0}, Sched::non_interruptible, Variant::clean));
}

// §7: the weekly profile bins by minute of week from Monday 00:00; 2020-01-01 was a Wednesday.
TEST(LwaProfiles, WeeklyEmissionProfile) {
  const std::size_t n = 48 * 14; // two weeks
  std::vector<double> ci(n, 2.0), active(n, 0.0);
  active[0] = 1.0;      // Wed 2020-01-01 00:00 → bin 2·48
  active[48 * 7] = 3.0; // the next Wednesday
  const std::vector<double> p = weekly_emission_profile(ci, active);
  ASSERT_EQ(p.size(), 336u);
  EXPECT_DOUBLE_EQ(p[96], (2.0 * 1 + 2.0 * 3) / 2);
  EXPECT_DOUBLE_EQ(p[0], 0.0);
}

// Trace statistics: weekday vs weekend means and the per-slot-of-day profile.
TEST(LwaProfiles, TraceStatsWeekdayWeekend) {
  std::vector<double> ci(48 * 7);
  for (std::size_t k = 0; k < ci.size(); ++k) {
    const unsigned wd = weekday_of(kStartS + static_cast<TimeS>(k) * kSlotS);
    ci[k] = (wd >= 5 ? 30.0 : 10.0) + (k % 48 == 2 ? 1.0 : 0.0);
  }
  const TraceStats s = trace_stats(ci);
  EXPECT_EQ(s.weekday_slots, 48 * 5);
  EXPECT_EQ(s.weekend_slots, 48 * 2);
  EXPECT_DOUBLE_EQ(s.weekday_mean, 10.0 + 1.0 / 48);
  EXPECT_DOUBLE_EQ(s.weekend_mean, 30.0 + 1.0 / 48);
  EXPECT_DOUBLE_EQ(s.day_profile_weekday[2], 11.0);
  EXPECT_DOUBLE_EQ(s.day_profile_weekend[0], 30.0);
  EXPECT_DOUBLE_EQ(s.day_profile[0], (5 * 10.0 + 2 * 30.0) / 7);
  EXPECT_DOUBLE_EQ(s.min, 10.0);
  EXPECT_DOUBLE_EQ(s.max, 31.0);
}

// numpy.percentile (linear) values computed with NumPy 1.24.
TEST(LwaProfiles, PercentileLikeNumpy) {
  EXPECT_EQ(percentile_linear({1, 2, 3, 4}, 5), 1.15);
  EXPECT_EQ(percentile_linear({1, 2, 3, 4}, 95), 3.8499999999999996);
  EXPECT_EQ(percentile_linear({4, 1, 3, 2, 10}, 50), 3.0);
  EXPECT_TRUE(std::isnan(percentile_linear({}, 50)));
}

} // namespace
