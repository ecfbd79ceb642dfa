// What a strategy may see: a window of forecast values on the scenario grid, starting at the
// decision time and ending at the strategy's horizon. Reading outside it is a bug (CFSIM_CHECK):
// strategies get no look-ahead beyond their allowed window (DESIGN §6).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cfsim/time.hpp"

namespace cfsim {

class ForecastView {
public:
  // `values`/`known` are the forecast for every cell of `grid`; the view exposes only the cells
  // overlapping [from_s, to_s).
  ForecastView(const TimeGrid& grid, std::span<const double> values,
               std::span<const std::uint8_t> known, TimeS from_s, TimeS to_s);

  TimeS from_s() const { return from_s_; }
  TimeS to_s() const { return to_s_; }
  const TimeGrid& grid() const { return grid_; }
  std::int64_t first_cell() const { return first_; }
  std::int64_t end_cell() const { return end_; } // one past the last visible cell

  double value(std::int64_t cell) const; // the forecast intensity of a visible cell
  bool known(std::int64_t cell) const;   // false: the source had no data there (No-Fallback)

  // ∫ intensity dt over [a, b) ∩ visible window, in (value unit) × seconds, over known cells,
  // and the number of seconds in [a, b) that fall on unknown cells.
  struct Integral {
    double value_s = 0;
    TimeS unknown_s = 0;
  };
  Integral integrate(TimeS a, TimeS b) const;

  // [a, b) split at cell boundaries and at the window's edges, in time order; a segment is
  // known only if it lies inside the window on a cell with data (then `intensity` is its value).
  struct Segment {
    Interval span;
    bool known = false;
    double intensity = 0;
  };
  std::vector<Segment> segments(TimeS a, TimeS b) const;

private:
  TimeGrid grid_;
  std::span<const double> values_;
  std::span<const std::uint8_t> known_;
  TimeS from_s_, to_s_;
  std::int64_t first_, end_;
};

} // namespace cfsim
