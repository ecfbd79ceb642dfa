// Shared by the strategy unit tests: an 8-cell hourly trace, job and interval builders, and the
// placement contract every job strategy keeps (strategy.hpp). No disk access.
//
//   cell   0  1  2  3  4  5  6  7
//   value  5  3  8  1  1  9  2  7
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/forecast.hpp"
#include "cfsim/strategy.hpp"

namespace cfsim {

// gtest prints Interval as hh:mm after T0 in failure messages.
inline void PrintTo(const Interval& i, std::ostream* os) {
  const auto hm = [](TimeS t) {
    const TimeS r = t - 1577836800;
    return std::to_string(r / 3600) + ":" + (r % 3600 / 60 < 10 ? "0" : "") +
           std::to_string(r % 3600 / 60);
  };
  *os << "[" << hm(i.start_s) << ", " << hm(i.end_s) << ")";
}

namespace test {

inline constexpr TimeS T0 = 1577836800; // 2020-01-01 00:00:00 UTC, on the hour
inline constexpr TimeS H = 3600;
inline constexpr TimeS M = 60;

struct Trace {
  TimeGrid grid{T0, H, 8};
  std::vector<double> values{5, 3, 8, 1, 1, 9, 2, 7};
  std::vector<std::uint8_t> known = std::vector<std::uint8_t>(8, 1);
  ForecastView view(TimeS from_s, TimeS to_s) const {
    return ForecastView(grid, values, known, from_s, to_s);
  }
};

inline Trace trace_with_values(std::vector<double> values) {
  Trace t;
  t.values = std::move(values);
  return t;
}

// 32 quarter-hour cells with values (7·i mod 11) and every ninth cell from cell 4 unknown: the
// second grid of the invariant sweeps.
inline Trace quarter_hour_trace() {
  Trace t;
  t.grid = TimeGrid{T0, 900, 32};
  t.values.clear();
  t.known.clear();
  for (int i = 0; i < 32; ++i) {
    t.values.push_back(static_cast<double>((i * 7) % 11));
    t.known.push_back(i % 9 == 4 ? 0 : 1);
  }
  return t;
}

inline Trace trace_with_unknown(std::initializer_list<int> cells) {
  Trace t;
  for (const int c : cells)
    t.known[static_cast<std::size_t>(c)] = 0;
  return t;
}

inline Job job(TimeS arrival, TimeS duration, TimeS max_wait, bool interruptible = false) {
  Job j;
  j.id = 1;
  j.arrival_s = arrival;
  j.duration_s = duration;
  j.max_wait_s = max_wait;
  j.interruptible = interruptible;
  return j;
}

inline Interval iv(TimeS a, TimeS b) {
  return Interval{a, b};
}
using Pieces = std::vector<Interval>;

// The placement contract (strategy.hpp) every strategy keeps: non-empty pieces, sorted, not
// overlapping and not touching (adjacent pieces are merged), within [arrival, deadline], summing
// to the duration plus the restart overhead after every resume, every piece but the last at
// least min_run; a non-interruptible job runs in one piece.
inline void expect_valid(const Job& j, const Placement& p) {
  TimeS total = 0;
  for (std::size_t i = 0; i < p.pieces.size(); ++i) {
    const Interval& piece = p.pieces[i];
    EXPECT_LT(piece.start_s, piece.end_s) << "piece " << i;
    EXPECT_GE(piece.start_s, j.arrival_s) << "piece " << i;
    EXPECT_LE(piece.end_s, j.deadline_s()) << "piece " << i;
    if (i > 0) {
      EXPECT_LT(p.pieces[i - 1].end_s, piece.start_s) << "pieces " << i - 1 << ", " << i;
    }
    if (i + 1 < p.pieces.size()) {
      EXPECT_GE(piece.duration_s(), j.min_run_s) << "piece " << i;
    }
    total += piece.duration_s();
  }
  EXPECT_EQ(total, j.running_s(p.pieces.size()));
  if (!j.interruptible) {
    EXPECT_LE(p.pieces.size(), 1u);
  }
}

// Places `j` as the engine does: the view covers [arrival, arrival + horizon_s(job)).
inline Placement place(const JobStrategy& s, const Job& j, const Trace& t = Trace()) {
  const ForecastView v = t.view(j.arrival_s, j.arrival_s + s.horizon_s(j));
  Placement p = s.place(j, v);
  expect_valid(j, p);
  return p;
}

inline Value params(Value::Object o) {
  return Value(std::move(o));
}

} // namespace test
} // namespace cfsim
