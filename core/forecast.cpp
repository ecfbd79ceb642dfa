// ForecastView: the only window onto the forecast a strategy gets (DESIGN §6: no look-ahead
// beyond the allowed window). The window is clipped to the scenario period. Reading a cell
// outside it is a bug in the strategy, not a user mistake, so it is a CFSIM_CHECK failure.
//
// integrate() never reads outside the window either: seconds of [a, b) that lie outside
// [from_s, to_s) are counted as unknown, like seconds on cells the source had no data for
// (No-Fallback, DESIGN §3). A strategy therefore cannot mistake "beyond my window" or "beyond
// the period" for "free of emissions".
#include "cfsim/forecast.hpp"

#include <algorithm>
#include <string>

#include "cfsim/error.hpp"

namespace cfsim {

ForecastView::ForecastView(const TimeGrid& grid, std::span<const double> values,
                           std::span<const std::uint8_t> known, TimeS from_s, TimeS to_s)
    : grid_(grid), values_(values), known_(known), from_s_(0), to_s_(0), first_(0), end_(0) {
  CFSIM_CHECK(grid.step_s > 0 && grid.n >= 0, "forecast grid has no positive step");
  CFSIM_CHECK(values.size() == static_cast<std::size_t>(grid.n) && known.size() == values.size(),
              "forecast has " + std::to_string(values.size()) + " values and " +
                  std::to_string(known.size()) + " known flags for a grid of " +
                  std::to_string(grid.n) + " cells");
  CFSIM_CHECK(from_s <= to_s, "forecast window ends before it starts");
  from_s_ = std::clamp(from_s, grid.start_s, grid.end_s());
  to_s_ = std::clamp(to_s, from_s_, grid.end_s());
  if (from_s_ < to_s_) {
    first_ = grid.cell_of(from_s_);
    end_ = grid.cell_of(to_s_ - 1) + 1;
  } else {
    first_ = end_ = std::clamp<std::int64_t>(grid.cell_of(from_s_), 0, grid.n);
  }
}

namespace {
std::string outside(std::int64_t cell, std::int64_t first, std::int64_t end) {
  return "strategy read cell " + std::to_string(cell) + " outside its forecast window [" +
         std::to_string(first) + ", " + std::to_string(end) + ")";
}
} // namespace

double ForecastView::value(std::int64_t cell) const {
  CFSIM_CHECK(cell >= first_ && cell < end_, outside(cell, first_, end_));
  return values_[static_cast<std::size_t>(cell)];
}

bool ForecastView::known(std::int64_t cell) const {
  CFSIM_CHECK(cell >= first_ && cell < end_, outside(cell, first_, end_));
  return known_[static_cast<std::size_t>(cell)] != 0;
}

ForecastView::Integral ForecastView::integrate(TimeS a, TimeS b) const {
  CFSIM_CHECK(a <= b, "integration interval ends before it starts");
  Integral out;
  TimeS known_s = 0;
  // Cells in time order, so that equal windows sum to bit-identical values (ties stay ties).
  for (TimeS t = std::max(a, from_s_), hi = std::min(b, to_s_); t < hi;) {
    const std::int64_t cell = grid_.cell_of(t);
    const TimeS next = std::min(hi, grid_.cell_start(cell + 1));
    if (known_[static_cast<std::size_t>(cell)] != 0) {
      out.value_s += values_[static_cast<std::size_t>(cell)] * static_cast<double>(next - t);
      known_s += next - t;
    }
    t = next;
  }
  out.unknown_s = (b - a) - known_s;
  return out;
}

std::vector<ForecastView::Segment> ForecastView::segments(TimeS a, TimeS b) const {
  std::vector<Segment> out;
  for (TimeS t = a; t < b;) {
    const std::int64_t cell = grid_.cell_of(t);
    TimeS next = std::min(b, grid_.cell_start(cell + 1));
    if (t < from_s_)
      next = std::min(next, from_s_);
    if (t < to_s_)
      next = std::min(next, to_s_);
    const bool visible = t >= from_s_ && next <= to_s_ && cell >= first_ && cell < end_;
    const bool is_known = visible && known(cell);
    out.push_back({{t, next}, is_known, is_known ? value(cell) : 0.0});
    t = next;
  }
  return out;
}

} // namespace cfsim
