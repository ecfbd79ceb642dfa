// carbon_office_hours: office hours, with the deferrable part of a day's work moved into the
// cleanest hours of an allowed window (DESIGN §6). The schedule is office_hours' (AWS Instance
// Scheduler periods: timezone, periods, lag_min; office_periods.cpp); the shift follows the
// temporal-shifting idea of Wiesner et al., "Let's Wait Awhile", Middleware 2021, applied to
// the flexible share of office work (e.g. builds, tests, reports that need not run while
// people are in the office).
//
// The cfsim reading, per local day d of the schedule's time zone:
// 1. O = the day's office spans (office_hours' spans of day d: UTC, lag applied, clipped to
//    the period); S = their total length. If S = 0 the day is left alone.
// 2. k = round(deferrable_share × S / grid step), half away from zero: the whole grid cells to
//    move.
// 3. The decision is made at the start of the local day, clipped to the period start (t), from
//    ctx.forecast_at(t, next local midnight − t) (24 h, or 23/25 h on DST days).
// 4. Removable cells: grid cells lying wholly inside O and inside that view, with a known
//    forecast; highest intensity first, the earlier cell on ties.
//    Target cells: grid cells lying wholly inside the allowed window [allowed_begin,
//    allowed_end) of day d (local time, default 00:00-24:00) and inside the view, with a known
//    forecast, not overlapping any office span (of any day) and not already chosen; lowest
//    intensity first, the earlier cell on ties.
// 5. The j-th removable cell is replaced by the j-th target cell, for j < k, while the target
//    is strictly cleaner than the cell it replaces (a move that would not lower the forecast
//    intensity is not made; the sort orders make every later pair worse, so moving stops
//    there). So at most k cells move, and each day's running time is unchanged.
// Unknown forecast cells are neither removed nor chosen (No-Fallback, DESIGN §3: no saving is
// claimed on data that does not exist); the engine counts blind decisions only for jobs today,
// so this is not counted anywhere. Cells partly covered by office time (a lag that is not a
// multiple of the grid step) stay as they are. Limits: the deferrable work is assumed to be
// freely divisible into grid cells and to need nothing else (no dependence on the office
// hours around it, no start-up cost); every instance of the group gets the same plan.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cfsim/error.hpp"
#include "strategies/office_periods.hpp"
#include "strategies/strategies.hpp"

namespace cfsim::strategies {

namespace {

constexpr TimeS kDay = 86400;

struct Cell {
  std::int64_t index = 0;
  double intensity = 0;
};

class CarbonOfficeHours final : public FleetStrategy {
public:
  CarbonOfficeHours(OfficeSchedule schedule, double share, TimeS allowed_begin_s,
                    TimeS allowed_end_s)
      : schedule_(std::move(schedule)), share_(share), allowed_begin_s_(allowed_begin_s),
        allowed_end_s_(allowed_end_s) {}

  std::vector<Interval> plan(const FleetGroup& group, const FleetContext& ctx) const override {
    CFSIM_CHECK(ctx.time_zones != nullptr, "carbon_office_hours needs FleetContext::time_zones");
    const TimeGrid& g = ctx.grid;
    const TimeS from = g.start_s, to = g.end_s();
    if (to <= from)
      return {};
    const OfficeSchedule::Days days = schedule_.days(*ctx.time_zones, group.name, from, to);
    std::vector<std::vector<Interval>> office_of_day;
    std::vector<Interval> all;
    for (std::int64_t d = days.first; d <= days.last; ++d) {
      office_of_day.push_back(merge_spans(schedule_.day_spans(days.table, d, from, to)));
      all.insert(all.end(), office_of_day.back().begin(), office_of_day.back().end());
    }
    const std::vector<Interval> office = merge_spans(std::move(all));

    const auto n = static_cast<std::size_t>(g.n);
    std::vector<std::uint8_t> touches_office(n, 0), removed(n, 0), added(n, 0);
    for (const Interval& s : office)
      for (std::int64_t c = g.cell_of(s.start_s); c <= g.cell_of(s.end_s - 1); ++c)
        touches_office[static_cast<std::size_t>(c)] = 1;

    for (std::int64_t d = days.first; d <= days.last; ++d) {
      const std::vector<Interval>& day_office =
          office_of_day[static_cast<std::size_t>(d - days.first)];
      TimeS office_s = 0;
      for (const Interval& s : day_office)
        office_s += s.duration_s();
      const auto k =
          std::llround(share_ * static_cast<double>(office_s) / static_cast<double>(g.step_s));
      if (k == 0)
        continue;
      const TimeS decision = std::max(days.table.local_to_utc(d * kDay), from);
      const TimeS day_end = days.table.local_to_utc((d + 1) * kDay);
      if (day_end <= decision)
        continue;
      const TimeS allow_from = days.table.local_to_utc(d * kDay + allowed_begin_s_);
      const TimeS allow_to = days.table.local_to_utc(d * kDay + allowed_end_s_);
      const auto inside = [&](std::int64_t c, TimeS a, TimeS b) {
        return a <= g.cell_start(c) && g.cell_start(c + 1) <= b;
      };

      // Used before the next forecast_at call (the view may share the caller's buffer).
      const ForecastView view = ctx.forecast_at(decision, day_end - decision);
      std::vector<Cell> removable, targets;
      for (std::int64_t c = view.first_cell(); c < view.end_cell(); ++c) {
        if (!view.known(c))
          continue;
        const auto u = static_cast<std::size_t>(c);
        const bool in_office =
            std::any_of(day_office.begin(), day_office.end(),
                        [&](const Interval& s) { return inside(c, s.start_s, s.end_s); });
        if (in_office && removed[u] == 0)
          removable.push_back({c, view.value(c)});
        else if (touches_office[u] == 0 && added[u] == 0 && inside(c, allow_from, allow_to))
          targets.push_back({c, view.value(c)});
      }
      std::stable_sort(removable.begin(), removable.end(),
                       [](const Cell& a, const Cell& b) { return a.intensity > b.intensity; });
      std::stable_sort(targets.begin(), targets.end(),
                       [](const Cell& a, const Cell& b) { return a.intensity < b.intensity; });
      const std::size_t moves =
          std::min({static_cast<std::size_t>(k), removable.size(), targets.size()});
      for (std::size_t j = 0; j < moves && targets[j].intensity < removable[j].intensity; ++j) {
        removed[static_cast<std::size_t>(removable[j].index)] = 1;
        added[static_cast<std::size_t>(targets[j].index)] = 1;
      }
    }

    // Office time minus the removed cells (each lies wholly inside one merged span), plus the
    // added cells.
    std::vector<Interval> out;
    for (const Interval& s : office) {
      TimeS cursor = s.start_s;
      for (std::int64_t c = g.cell_of(s.start_s); c <= g.cell_of(s.end_s - 1); ++c) {
        if (removed[static_cast<std::size_t>(c)] == 0)
          continue;
        if (cursor < g.cell_start(c))
          out.push_back({cursor, g.cell_start(c)});
        cursor = g.cell_start(c + 1);
      }
      if (cursor < s.end_s)
        out.push_back({cursor, s.end_s});
    }
    for (std::int64_t c = 0; c < g.n; ++c)
      if (added[static_cast<std::size_t>(c)] != 0)
        out.push_back({g.cell_start(c), g.cell_start(c + 1)});
    return merge_spans(std::move(out));
  }

private:
  OfficeSchedule schedule_;
  double share_;
  TimeS allowed_begin_s_, allowed_end_s_;
};

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

} // namespace

std::unique_ptr<FleetStrategy> make_carbon_office_hours(const Value& params) {
  ParamReader p(params, "strategy 'carbon_office_hours'");
  OfficeSchedule schedule = OfficeSchedule::read(p);
  const double share = p.number("deferrable_share", 0.25);
  const std::string begin = p.string("allowed_begin", "00:00");
  const std::string end = p.string("allowed_end", "24:00");
  p.finish();
  const std::string& ctx = p.context();
  if (!(share >= 0 && share <= 1))
    throw ConfigError(ctx + ": parameter 'deferrable_share' is " + number_text(share) +
                      " (allowed: 0 to 1, the share of each day's office hours that may move)");
  const TimeS begin_s = parse_time_of_day(ctx + ": parameter 'allowed_begin'", begin, false);
  const TimeS end_s = parse_time_of_day(ctx + ": parameter 'allowed_end'", end, true);
  if (begin_s >= end_s)
    throw ConfigError(ctx + ": 'allowed_begin' (" + begin + ") must be earlier than " +
                      "'allowed_end' (" + end + "); the window lies within one local day");
  return std::make_unique<CarbonOfficeHours>(std::move(schedule), share, begin_s, end_s);
}

} // namespace cfsim::strategies
