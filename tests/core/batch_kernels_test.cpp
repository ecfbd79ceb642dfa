// The batch kernels (batch_kernels.hpp) against a hand-worked example, against brute force on
// small random cases (integer-valued traces, so that ties are frequent and every sum is exact),
// and against the per-job strategies they mirror. No disk access.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cfsim/batch_kernels.hpp"
#include "cfsim/forecast.hpp"
#include "cfsim/strategy.hpp"

namespace cfsim {
namespace {

using Index = std::int32_t;
using Steps = std::vector<Index>;

struct Batch {
  std::vector<Index> starts;
  std::vector<double> costs;
};

Batch run_no_wait(const std::vector<double>& ci, const Steps& a, const Steps& len, double step_h) {
  Batch b{std::vector<Index>(a.size(), -1), std::vector<double>(a.size())};
  no_wait_batch(ci, a, len, step_h, b.costs);
  return b;
}
Batch run_lowest_window(const std::vector<double>& ci, const Steps& a, const Steps& len, Index w,
                        double step_h) {
  Batch b{std::vector<Index>(a.size()), std::vector<double>(a.size())};
  lowest_window_batch(ci, a, len, w, step_h, b.starts, b.costs);
  return b;
}
Batch run_wait_awhile(const std::vector<double>& ci, const Steps& a, const Steps& len, Index w,
                      double step_h) {
  Batch b{std::vector<Index>(a.size(), -1), std::vector<double>(a.size())};
  wait_awhile_batch(ci, a, len, w, step_h, b.costs);
  return b;
}

// ---- A hand-worked example ---------------------------------------------------------------------
//
//   step   0  1  2  3  4  5  6  7
//   ci     5  3  8  1  1  9  2  7        step_h = 0.5 (30-minute steps)
//
// W = 3:
//  job (0, 2): windows at s = 0..3 sum 8, 11, 9, 2 → start 3, 2 × 0.5 = 1; no_wait 8 × 0.5 = 4;
//              wait_awhile: the 2 smallest of [0, 5) = {5 3 8 1 1} → 1 + 1 = 2 → 1.
//  job (5, 2): starts 5..min(8, 6): 11, 9 → start 6 (clipped at the trace end), 4.5; no_wait 5.5;
//              wait_awhile: [5, min(10, 8)) = {9 2 7} → 2 + 7 = 9 → 4.5.
//  job (2, 1): starts 2..5: 8, 1, 1, 9 → a tie, the earliest: start 3, 0.5; no_wait 4;
//              wait_awhile: [2, 6) = {8 1 1 9} → 1 → 0.5.
// W = 0: every job starts at its arrival; wait_awhile runs [a, a + L) as it is.
TEST(BatchKernels, HandWorkedExample) {
  const std::vector<double> ci{5, 3, 8, 1, 1, 9, 2, 7};
  const Steps a{0, 5, 2}, len{2, 2, 1};

  const Batch nw = run_no_wait(ci, a, len, 0.5);
  EXPECT_EQ(nw.costs, (std::vector<double>{4, 5.5, 4}));

  const Batch lw = run_lowest_window(ci, a, len, 3, 0.5);
  EXPECT_EQ(lw.starts, (Steps{3, 6, 3}));
  EXPECT_EQ(lw.costs, (std::vector<double>{1, 4.5, 0.5}));

  const Batch wa = run_wait_awhile(ci, a, len, 3, 0.5);
  EXPECT_EQ(wa.costs, (std::vector<double>{1, 4.5, 0.5}));

  const Batch lw0 = run_lowest_window(ci, a, len, 0, 0.5);
  EXPECT_EQ(lw0.starts, a);
  EXPECT_EQ(lw0.costs, nw.costs);
  EXPECT_EQ(run_wait_awhile(ci, a, len, 0, 0.5).costs, nw.costs);
}

TEST(BatchKernels, EmptyBatch) {
  const std::vector<double> ci{1, 2, 3};
  EXPECT_TRUE(run_no_wait(ci, {}, {}, 1).costs.empty());
  EXPECT_TRUE(run_lowest_window(ci, {}, {}, 2, 1).costs.empty());
  EXPECT_TRUE(run_wait_awhile(ci, {}, {}, 2, 1).costs.empty());
}

// ---- Brute force ---------------------------------------------------------------------------

// Scores windows by prefix-sum differences, as the kernel promises: the same doubles, so the
// starts must agree exactly even on real-valued traces.
struct Brute {
  std::vector<double> p;
  explicit Brute(const std::vector<double>& ci) : p(ci.size() + 1, 0.0) {
    for (std::size_t t = 0; t < ci.size(); ++t)
      p[t + 1] = p[t] + ci[t];
  }
  double window(std::size_t s, std::size_t len) const { return p[s + len] - p[s]; }
  std::size_t lowest_start(std::size_t a, std::size_t len, std::size_t w) const {
    const std::size_t last = std::min(a + w, p.size() - 1 - len);
    std::size_t best = a;
    for (std::size_t s = a + 1; s <= last; ++s)
      if (window(s, len) < window(best, len))
        best = s;
    return best;
  }
};

double smallest_sum(const std::vector<double>& ci, std::size_t a, std::size_t len, std::size_t w) {
  std::vector<double> v(ci.begin() + static_cast<std::ptrdiff_t>(a),
                        ci.begin() + static_cast<std::ptrdiff_t>(std::min(ci.size(), a + len + w)));
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (std::size_t i = 0; i < len; ++i)
    sum += v[i];
  return sum;
}

struct Case {
  std::vector<double> ci;
  Steps a, len;
  Index window = 0;
};

// T steps of integers in [0, levels) (ties everywhere) or reals; n jobs that fit in the trace
// (their windows may run past its end: clipped), with lengths up to max_len.
Case random_case(std::mt19937_64& rng, int n_steps, int n_jobs, int max_len, int levels,
                 bool integer) {
  Case c;
  std::uniform_int_distribution<int> value(0, levels - 1);
  std::uniform_real_distribution<double> real(0.0, 500.0);
  for (int t = 0; t < n_steps; ++t)
    c.ci.push_back(integer ? static_cast<double>(value(rng)) : real(rng));
  std::uniform_int_distribution<int> length(1, std::min(max_len, n_steps));
  for (int i = 0; i < n_jobs; ++i) {
    const int len = length(rng);
    c.len.push_back(len);
    c.a.push_back(std::uniform_int_distribution<int>(0, n_steps - len)(rng));
  }
  c.window = std::uniform_int_distribution<Index>(0, n_steps)(rng);
  return c;
}

void expect_matches_brute_force(const Case& c, double step_h, bool exact, const std::string& what) {
  const Brute brute(c.ci);
  const Batch nw = run_no_wait(c.ci, c.a, c.len, step_h);
  const Batch lw = run_lowest_window(c.ci, c.a, c.len, c.window, step_h);
  const Batch wa = run_wait_awhile(c.ci, c.a, c.len, c.window, step_h);
  const auto w = static_cast<std::size_t>(c.window);
  for (std::size_t i = 0; i < c.a.size(); ++i) {
    const auto a = static_cast<std::size_t>(c.a[i]);
    const auto len = static_cast<std::size_t>(c.len[i]);
    const std::string job = what + ", W " + std::to_string(c.window) + ", job " +
                            std::to_string(i) + " (" + std::to_string(a) + ", " +
                            std::to_string(len) + ")";
    EXPECT_EQ(nw.costs[i], brute.window(a, len) * step_h) << job;
    const std::size_t s = brute.lowest_start(a, len, w);
    EXPECT_EQ(lw.starts[i], static_cast<Index>(s)) << job;
    EXPECT_EQ(lw.costs[i], brute.window(s, len) * step_h) << job;
    const double want = smallest_sum(c.ci, a, len, w) * step_h;
    if (exact)
      EXPECT_EQ(wa.costs[i], want) << job;
    else
      EXPECT_NEAR(wa.costs[i], want, 1e-12 * want) << job;
  }
}

TEST(BatchKernels, MatchBruteForceOnIntegerTraces) {
  std::mt19937_64 rng(20261123);
  for (int trial = 0; trial < 300; ++trial) {
    const int n_steps = std::uniform_int_distribution<int>(1, 70)(rng);
    const int levels = std::uniform_int_distribution<int>(1, 6)(rng);
    const Case c = random_case(rng, n_steps, 40, 12, levels, true);
    expect_matches_brute_force(c, 1.0, true, "trial " + std::to_string(trial));
    if (HasFailure())
      return;
  }
}

TEST(BatchKernels, MatchBruteForceOnRealTraces) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    const int n_steps = std::uniform_int_distribution<int>(1, 300)(rng);
    const Case c = random_case(rng, n_steps, 60, 40, 0, false);
    expect_matches_brute_force(c, 0.25, false, "trial " + std::to_string(trial));
    if (HasFailure())
      return;
  }
}

// Many jobs over few (arrival, length) pairs: wait_awhile tabulates the pairs first.
TEST(BatchKernels, MatchBruteForceWithManyJobsPerPair) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const int n_steps = std::uniform_int_distribution<int>(5, 40)(rng);
    Case c = random_case(rng, n_steps, 3000, 6, 4, true);
    c.window = std::uniform_int_distribution<Index>(0, 8)(rng);
    expect_matches_brute_force(c, 1.0 / 12, true, "trial " + std::to_string(trial));
    if (HasFailure())
      return;
  }
}

// Windows longer than 65,535 steps (here all clipped at the trace end): lowest_window keeps
// 32-bit offsets in its start table.
TEST(BatchKernels, MatchBruteForceWithVeryLongWindows) {
  std::mt19937_64 rng(5);
  Case c = random_case(rng, 3000, 200, 300, 50, true);
  c.window = 70'000;
  expect_matches_brute_force(c, 1.0, true, "long windows");
}

// One BatchScratch through batches of different sizes gives what fresh memory gives.
TEST(BatchKernels, ReusedScratchChangesNothing) {
  std::mt19937_64 rng(13);
  BatchScratch scratch;
  for (int trial = 0; trial < 30; ++trial) {
    const int n_steps = std::uniform_int_distribution<int>(1, 200)(rng);
    const int n_jobs = std::uniform_int_distribution<int>(0, 500)(rng);
    const Case c = random_case(rng, n_steps, n_jobs, 30, 7, trial % 2 == 0);
    const std::string what = "trial " + std::to_string(trial);
    const Batch lw = run_lowest_window(c.ci, c.a, c.len, c.window, 0.5);
    const Batch wa = run_wait_awhile(c.ci, c.a, c.len, c.window, 0.5);
    const Batch nw = run_no_wait(c.ci, c.a, c.len, 0.5);
    Batch reused{std::vector<Index>(c.a.size()), std::vector<double>(c.a.size())};
    lowest_window_batch(c.ci, c.a, c.len, c.window, 0.5, reused.starts, reused.costs, scratch);
    EXPECT_EQ(reused.starts, lw.starts) << what;
    EXPECT_EQ(reused.costs, lw.costs) << what;
    wait_awhile_batch(c.ci, c.a, c.len, c.window, 0.5, reused.costs, scratch);
    EXPECT_EQ(reused.costs, wa.costs) << what;
    no_wait_batch(c.ci, c.a, c.len, 0.5, reused.costs, scratch);
    EXPECT_EQ(reused.costs, nw.costs) << what;
  }
  EXPECT_GT(scratch.bytes(), 0u);
}

// ---- The strategies they mirror --------------------------------------------------------------

// On an integer trace every sum is exact, so the kernels and the per-job strategies (oracle
// forecast, jobs on cell boundaries, windows clipped at the period end) agree exactly.
TEST(BatchKernels, AgreeWithTheStrategies) {
  constexpr TimeS t0 = 1577836800, hour = 3600;
  std::mt19937_64 rng(3);
  const Case c = random_case(rng, 48, 200, 10, 5, true);
  const TimeGrid grid{t0, hour, 48};
  const std::vector<std::uint8_t> known(c.ci.size(), 1);
  const auto lowest = make_job_strategy("lowest_window", Value());
  const auto awhile = make_job_strategy("wait_awhile", Value());
  const auto nowait = make_job_strategy("no_wait", Value());
  for (const Index window : {0, 1, 5, 30}) {
    const Batch lw = run_lowest_window(c.ci, c.a, c.len, window, 1.0);
    const Batch wa = run_wait_awhile(c.ci, c.a, c.len, window, 1.0);
    const Batch nw = run_no_wait(c.ci, c.a, c.len, 1.0);
    for (std::size_t i = 0; i < c.a.size(); ++i) {
      Job job;
      job.arrival_s = t0 + c.a[i] * hour;
      job.duration_s = c.len[i] * hour;
      job.max_wait_s = window * hour;
      const auto cost_of = [&](const Placement& p) {
        double sum = 0;
        for (const Interval& piece : p.pieces)
          for (TimeS t = piece.start_s; t < piece.end_s; t += hour)
            sum += c.ci[static_cast<std::size_t>((t - t0) / hour)];
        return sum;
      };
      const auto place = [&](const JobStrategy& s, const Job& j) {
        const ForecastView view(grid, c.ci, known, j.arrival_s, j.arrival_s + s.horizon_s(j));
        return s.place(j, view);
      };
      const std::string what = "W " + std::to_string(window) + ", job " + std::to_string(i);
      const Placement pl = place(*lowest, job);
      ASSERT_EQ(pl.pieces.size(), 1u) << what;
      EXPECT_EQ(pl.pieces[0].start_s, t0 + lw.starts[i] * hour) << what;
      EXPECT_EQ(cost_of(pl), lw.costs[i]) << what;
      EXPECT_EQ(cost_of(place(*nowait, job)), nw.costs[i]) << what;
      job.interruptible = true;
      EXPECT_EQ(cost_of(place(*awhile, job)), wa.costs[i]) << what;
    }
  }
}

// ---- Preconditions ---------------------------------------------------------------------------

TEST(BatchKernelsDeathTest, RejectJobsThatDoNotFitAndUnknownValues) {
  const std::vector<double> ci{1, 2, 3, 4};
  std::vector<double> costs(1);
  std::vector<Index> starts(1);
  EXPECT_DEATH(no_wait_batch(ci, Steps{2}, Steps{3}, 1, costs), "job 0 .*does not fit");
  EXPECT_DEATH(lowest_window_batch(ci, Steps{-1}, Steps{1}, 1, 1, starts, costs),
               "job 0 .*does not fit");
  EXPECT_DEATH(wait_awhile_batch(ci, Steps{0}, Steps{0}, 1, 1, costs), "job 0 .*does not fit");
  EXPECT_DEATH(wait_awhile_batch(ci, Steps{0}, Steps{1}, -1, 1, costs), "negative window");
  const std::vector<double> unknown{1, std::numeric_limits<double>::quiet_NaN(), 3};
  EXPECT_DEATH(lowest_window_batch(unknown, Steps{0}, Steps{1}, 1, 1, starts, costs),
               "trace value 1 is not finite");
  std::vector<double> two(2);
  EXPECT_DEATH(no_wait_batch(ci, Steps{0}, Steps{1}, 1, two), "differ in size");
}

} // namespace
} // namespace cfsim
