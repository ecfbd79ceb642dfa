// threshold_stop and carbon_office_hours on small hand-worked hourly traces, without disk: the
// FleetContext is built by hand, its forecast_at records every decision it is asked for and
// returns a ForecastView (which fails a CFSIM_CHECK on any read outside the asked window), and
// time zones come from a fake TimeZoneDb holding fixed-offset tables.
//
// Times: T0 = 2020-01-01 00:00 UTC, a Wednesday (2020-01-04 is a Saturday). Intervals are
// written in hours after T0; "cell i" is [i h, i+1 h).
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/forecast.hpp"
#include "cfsim/strategy.hpp"
#include "cfsim/timezone.hpp"
#include "strategies/strategies.hpp"

namespace cfsim {

// gtest prints Interval as hours after T0 in failure messages.
static void PrintTo(const Interval& i, std::ostream* os) {
  const auto h = [](TimeS t) {
    return std::to_string(static_cast<double>(t - 1577836800) / 3600.0);
  };
  *os << "[" << h(i.start_s) << " h, " << h(i.end_s) << " h)";
}

namespace {

constexpr TimeS T0 = 1577836800; // 2020-01-01 00:00:00 UTC, a Wednesday
constexpr TimeS H = 3600;

struct Trace {
  TimeGrid grid;
  std::vector<double> values;
  std::vector<std::uint8_t> known;
  explicit Trace(std::vector<double> v)
      : grid{T0, H, static_cast<std::int64_t>(v.size())}, values(std::move(v)),
        known(values.size(), 1) {}
  Trace& unknown(std::initializer_list<int> cells) {
    for (const int c : cells)
      known[static_cast<std::size_t>(c)] = 0;
    return *this;
  }
};

// Fixed-offset zones: "UTC" and "Plus2" (UTC+2 all year).
class FakeTimeZoneDb : public TimeZoneDb {
public:
  UtcOffsetTable offsets(const std::string& zone, TimeS, TimeS) const override {
    if (zone == "UTC")
      return UtcOffsetTable::fixed(zone, 0);
    if (zone == "Plus2")
      return UtcOffsetTable::fixed(zone, 7200);
    throw ConfigError("unknown time zone '" + zone + "' (valid: UTC, Plus2)");
  }
};

// A forecast request: [decision, decision + horizon), in hours after T0.
struct Asked {
  double from_h = 0, to_h = 0;
  friend bool operator==(const Asked&, const Asked&) = default;
};
void PrintTo(const Asked& a, std::ostream* os) {
  *os << "[" << a.from_h << " h, " << a.to_h << " h)";
}

struct Outcome {
  std::vector<Interval> spans;
  std::vector<Asked> asked;
};

Outcome plan(const FleetStrategy& s, const Trace& t) {
  const FakeTimeZoneDb db;
  Outcome r;
  FleetContext ctx;
  ctx.grid = t.grid;
  ctx.time_zones = &db;
  ctx.forecast_at = [&t, &r](TimeS decision_s, TimeS horizon_s) {
    r.asked.push_back({static_cast<double>(decision_s - T0) / H,
                       static_cast<double>(decision_s + horizon_s - T0) / H});
    return ForecastView(t.grid, t.values, t.known, decision_s,
                        std::min(decision_s + horizon_s, t.grid.end_s()));
  };
  FleetGroup group;
  group.name = "dev";
  r.spans = s.plan(group, ctx);
  return r;
}

// [a h, b h) after T0.
Interval hours(double a, double b) {
  return {T0 + static_cast<TimeS>(a * H), T0 + static_cast<TimeS>(b * H)};
}
using Spans = std::vector<Interval>;

TimeS total_s(const Spans& v) {
  TimeS s = 0;
  for (const Interval& i : v)
    s += i.duration_s();
  return s;
}

Outcome threshold_stop(const Value::Object& params, const Trace& t) {
  return plan(*make_fleet_strategy("threshold_stop", Value(params)), t);
}

// The ConfigError message of building `name` with `params`, or "" if it builds.
std::string config_error(const std::string& name, const Value::Object& params) {
  try {
    make_fleet_strategy(name, Value(params));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// The usual 8-cell trace:
//   cell   0  1  2  3  4  5  6  7
//   value  5  3  8  1  1  9  2  7
const std::vector<double> kEight = {5, 3, 8, 1, 1, 9, 2, 7};

// ---------------------------------------------------------------------------------------------
// threshold_stop

TEST(StrategyThresholdStop, IsAFleetStrategyInTheRegistry) {
  EXPECT_EQ(strategy_info("threshold_stop").kind, StrategyKind::fleet);
  EXPECT_THROW(make_job_strategy("threshold_stop", Value(Value::Object{})), ConfigError);
}

// θ = 5 g/kWh, min_up_h default 1 (one cell on this grid: no effect). Cells ≤ 5 run: 0 (5, equal
// runs), 1 (3), 3 (1), 4 (1), 6 (2) → [0,2), [3,5), [6,7). An absolute threshold needs only the
// current cell: one request per cell, at its start, one step long.
TEST(StrategyThresholdStop, AbsoluteThresholdRunsCellsAtOrBelowIt) {
  const Outcome r = threshold_stop({{"threshold_g_per_kwh", Value(5.0)}}, Trace(kEight));
  EXPECT_EQ(r.spans, (Spans{hours(0, 2), hours(3, 5), hours(6, 7)}));
  std::vector<Asked> want;
  for (int i = 0; i < 8; ++i)
    want.push_back({double(i), double(i + 1)});
  EXPECT_EQ(r.asked, want);
}

// percentile 50 of the known cells of [t, t + 4 h) clipped to the period, numpy "linear":
// position 0.5·(n−1) of the sorted values.
//   i=0 {5,3,8,1} → 1 3 5 8, pos 1.5 → 4;   5 > 4   stop
//   i=1 {3,8,1,1} → 1 1 3 8, pos 1.5 → 2;   3 > 2   stop
//   i=2 {8,1,1,9} → 1 1 8 9, pos 1.5 → 4.5; 8 > 4.5 stop
//   i=3 {1,1,9,2} → 1 1 2 9, pos 1.5 → 1.5; 1 ≤ 1.5 run
//   i=4 {1,9,2,7} → 1 2 7 9, pos 1.5 → 4.5; 1 ≤ 4.5 run
//   i=5 {9,2,7}   → 2 7 9,   pos 1   → 7;   9 > 7   stop
//   i=6 {2,7}     → 2 7,     pos 0.5 → 4.5; 2 ≤ 4.5 run
//   i=7 {7}       → 7;                      7 ≤ 7   run (equal runs)
// → [3,5), [6,8). Requests: [i, i+4) at every cell start (the view clips to 8 h).
TEST(StrategyThresholdStop, PercentileOfTheLookaheadWindowSeenAtEachCell) {
  const Outcome r = threshold_stop(
      {{"percentile", Value(50.0)}, {"lookahead_h", Value(4.0)}, {"min_up_h", Value(0.0)}},
      Trace(kEight));
  EXPECT_EQ(r.spans, (Spans{hours(3, 5), hours(6, 8)}));
  std::vector<Asked> want;
  for (int i = 0; i < 8; ++i)
    want.push_back({double(i), double(i + 4)});
  EXPECT_EQ(r.asked, want);
}

// θ = 4. Without a minimum up-time cells 1 (3), 3, 4 (1), 6 (2) run → [1,2), [3,5), [6,7).
// min_up_h 3: started at 1 h, so cells 2 and 3 (t < 4 h) run whatever their intensity; cell 4
// runs on its own (1 ≤ 4); cell 5 (9) stops; started again at 6 h, so cell 7 (t = 7 < 9) runs
// although 7 > 4 → [1,5), [6,8). The forced cells need no forecast: requests only at 0, 1, 4,
// 5, 6.
TEST(StrategyThresholdStop, MinUpTimeKeepsAStartedInstanceUp) {
  const Outcome free_run = threshold_stop(
      {{"threshold_g_per_kwh", Value(4.0)}, {"min_up_h", Value(0.0)}}, Trace(kEight));
  EXPECT_EQ(free_run.spans, (Spans{hours(1, 2), hours(3, 5), hours(6, 7)}));
  const Outcome r = threshold_stop({{"threshold_g_per_kwh", Value(4.0)}, {"min_up_h", Value(3.0)}},
                                   Trace(kEight));
  EXPECT_EQ(r.spans, (Spans{hours(1, 5), hours(6, 8)}));
  EXPECT_EQ(r.asked, (std::vector<Asked>{{0, 1}, {1, 2}, {4, 5}, {5, 6}, {6, 7}}));
}

// 48 cells, all 9 except cell 2 = 1; θ = 5, required_h_per_day 3, min_up_h 0.
// A cell is forced iff ran + rest − 1 h < 3 h, rest = hours from its start to the end of its
// UTC day (within the period).
// Day 1: cell 2 runs (1 ≤ 5; ran = 1). Then cell i is forced iff 1 + (24 − i) − 1 < 3, i.e.
//   i > 21: cells 22, 23. (Before cell 2: 0 + 24 − i − 1 < 3 never holds.) Day 1 runs 3 h.
// Day 2: nothing is below θ; cell i forced iff 0 + (48 − i) − 1 < 3, i.e. i > 44: 45, 46, 47.
// → [2,3), [22,24), [45,48): 3 h each UTC day, as late as possible.
TEST(StrategyThresholdStop, RequiredHoursPerDayAreForcedAtTheEndOfTheDay) {
  std::vector<double> v(48, 9.0);
  v[2] = 1;
  const Outcome r = threshold_stop({{"threshold_g_per_kwh", Value(5.0)},
                                    {"min_up_h", Value(0.0)},
                                    {"required_h_per_day", Value(3.0)}},
                                   Trace(v));
  EXPECT_EQ(r.spans, (Spans{hours(2, 3), hours(22, 24), hours(45, 48)}));
}

// The same trace cut to 30 cells (day 2 has only 6 h in the period), required 8 h.
// Day 1: cell 2 runs (ran = 1); cell i forced iff 1 + (24 − i) − 1 < 8, i.e. i > 16: 17..23
//   (7 cells) → 8 h.
// Day 2: rest = 30 − i (the period ends at 30 h); forced iff 0 + (30 − i) − 1 < 8, i.e.
//   i > 21: every cell 24..29 → 6 h, the cap the period allows.
// → [2,3), [17,30).
TEST(StrategyThresholdStop, RequiredHoursAreCappedOnADayThePeriodCutsShort) {
  std::vector<double> v(30, 9.0);
  v[2] = 1;
  const Outcome r = threshold_stop({{"threshold_g_per_kwh", Value(5.0)},
                                    {"min_up_h", Value(0.0)},
                                    {"required_h_per_day", Value(8.0)}},
                                   Trace(v));
  EXPECT_EQ(r.spans, (Spans{hours(2, 3), hours(17, 30)}));
}

// Unknown cells run (no saving claimed on missing data).
// θ = 4, cells 0 and 5 unknown: 0 runs (unknown), 1 (3) runs, 2 (8) stops, 3, 4 (1) run,
// 5 runs (unknown), 6 (2) runs, 7 (7) stops → [0,2), [3,7).
// percentile 50 over 4 h with cell 2 unknown: unknown cells are left out of θ.
//   i=0 known {5,3,1} → 1 3 5, pos 1 → 3; 5 > 3 stop
//   i=1 known {3,1,1} → 1 1 3, pos 1 → 1; 3 > 1 stop
//   i=2 unknown → run; i=3..7 as in PercentileOfTheLookaheadWindowSeenAtEachCell (their
//   windows do not contain cell 2): 3, 4 run, 5 stops, 6, 7 run → [2,5), [6,8).
TEST(StrategyThresholdStop, UnknownIntensityRunsAndIsLeftOutOfThePercentile) {
  const Outcome a = threshold_stop({{"threshold_g_per_kwh", Value(4.0)}, {"min_up_h", Value(0.0)}},
                                   Trace(kEight).unknown({0, 5}));
  EXPECT_EQ(a.spans, (Spans{hours(0, 2), hours(3, 7)}));
  const Outcome b = threshold_stop(
      {{"percentile", Value(50.0)}, {"lookahead_h", Value(4.0)}, {"min_up_h", Value(0.0)}},
      Trace(kEight).unknown({2}));
  EXPECT_EQ(b.spans, (Spans{hours(2, 5), hours(6, 8)}));
}

TEST(StrategyThresholdStop, BadParametersNameWhatIsAllowed) {
  const std::string unknown =
      config_error("threshold_stop", {{"percentile", Value(30.0)}, {"treshold", Value(1.0)}});
  EXPECT_NE(unknown.find("unknown parameter 'treshold'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("lookahead_h, min_up_h, percentile, required_h_per_day, "
                         "threshold_g_per_kwh"),
            std::string::npos)
      << unknown;

  const std::string both = config_error(
      "threshold_stop", {{"percentile", Value(30.0)}, {"threshold_g_per_kwh", Value(200.0)}});
  EXPECT_NE(both.find("exactly one of 'threshold_g_per_kwh'"), std::string::npos) << both;
  EXPECT_NE(both.find("'percentile'"), std::string::npos) << both;
  EXPECT_EQ(config_error("threshold_stop", {}), both);

  EXPECT_NE(config_error("threshold_stop", {{"percentile", Value(101.0)}}).find("0 to 100"),
            std::string::npos);
  EXPECT_NE(config_error("threshold_stop", {{"threshold_g_per_kwh", Value(-1.0)}}).find(">= 0"),
            std::string::npos);
  EXPECT_NE(config_error("threshold_stop",
                         {{"percentile", Value(30.0)}, {"required_h_per_day", Value(25.0)}})
                .find("0 to 24"),
            std::string::npos);
  EXPECT_NE(config_error("threshold_stop",
                         {{"threshold_g_per_kwh", Value(5.0)}, {"lookahead_h", Value(4.0)}})
                .find("only with 'percentile'"),
            std::string::npos);
  EXPECT_EQ(config_error("threshold_stop", {{"percentile", Value(30.0)}}), "");
}

// ---------------------------------------------------------------------------------------------
// carbon_office_hours: weekdays 09:00-17:00 local, lag 0.

Value::Object office(const std::string& zone, Value::Object extra = {}) {
  Value::Object p{
      {"timezone", Value(zone)},
      {"periods",
       Value(Value::Array{Value(Value::Object{
           {"begin", Value("09:00")}, {"end", Value("17:00")}, {"weekdays", Value("mon-fri")}})})},
      {"lag_min", Value(0.0)}};
  for (auto& [k, v] : extra)
    p[k] = v;
  return p;
}

Outcome carbon_office_hours(const Value::Object& params, const Trace& t) {
  return plan(*make_fleet_strategy("carbon_office_hours", Value(params)), t);
}

// One weekday (Wed 2020-01-01, UTC), office cells 9..16 (8 h):
//   cell   0 1 2 3 4 5 6 7 8 |  9 10 11 12 13 14 15 16 | 17 18 19 20 21 22 23
//   value  5 4 2 2 6 7 8 9 9 | 10 12 12 12 10 10 10 10 |  9  9  8  7  6  5  2
std::vector<double> one_day() {
  return {5, 4, 2, 2, 6, 7, 8, 9, 9, 10, 12, 12, 12, 10, 10, 10, 10, 9, 9, 8, 7, 6, 5, 2};
}

TEST(StrategyCarbonOfficeHours, IsAFleetStrategyInTheRegistry) {
  EXPECT_EQ(strategy_info("carbon_office_hours").kind, StrategyKind::fleet);
}

// share 0.25 (default): k = round(0.25 × 8 h / 1 h) = 2.
// Removable, highest first, earlier on ties: cells 10, 11, 12 (12) → 10, 11.
// Targets, lowest first, earlier on ties: cells 2, 3, 23 (2) → 2, 3. Both strictly cleaner.
// → [2,4), [9,10), [12,17): 2 + 1 + 5 = 8 h, as office_hours' 8 h. One decision, at the local
// midnight, for the local day: [0, 24).
TEST(StrategyCarbonOfficeHours, MovesTheDeferrableCellsIntoTheCleanestEarliestOnTies) {
  const Outcome r = carbon_office_hours(office("UTC"), Trace(one_day()));
  EXPECT_EQ(r.spans, (Spans{hours(2, 4), hours(9, 10), hours(12, 17)}));
  EXPECT_EQ(total_s(r.spans), 8 * H);
  EXPECT_EQ(r.asked, (std::vector<Asked>{{0, 24}}));
}

// share 0.3125: k = round(2.5) = 3 (half away from zero). Removed 10, 11, 12; targets 2, 3, 23.
// → [2,4), [9,10), [13,17), [23,24): 2 + 1 + 4 + 1 = 8 h.
TEST(StrategyCarbonOfficeHours, RoundsTheShareToWholeCellsAndKeepsTheDaysHours) {
  const Outcome r =
      carbon_office_hours(office("UTC", {{"deferrable_share", Value(0.3125)}}), Trace(one_day()));
  EXPECT_EQ(r.spans, (Spans{hours(2, 4), hours(9, 10), hours(13, 17), hours(23, 24)}));
  EXPECT_EQ(total_s(r.spans), 8 * H);
  // share 0: office_hours exactly, and no forecast is needed.
  const Outcome none =
      carbon_office_hours(office("UTC", {{"deferrable_share", Value(0.0)}}), Trace(one_day()));
  EXPECT_EQ(none.spans, (Spans{hours(9, 17)}));
  EXPECT_TRUE(none.asked.empty());
}

// allowed 18:00-24:00: targets only among cells 18..23 (9 8 7 6 5 2) → 23 (2), 22 (5).
// Removed 10, 11 → [9,10), [12,17), [22,24) = 8 h.
TEST(StrategyCarbonOfficeHours, TargetsLieInTheAllowedWindow) {
  const Outcome r = carbon_office_hours(
      office("UTC", {{"allowed_begin", Value("18:00")}, {"allowed_end", Value("24:00")}}),
      Trace(one_day()));
  EXPECT_EQ(r.spans, (Spans{hours(9, 10), hours(12, 17), hours(22, 24)}));
  EXPECT_EQ(total_s(r.spans), 8 * H);
}

// k = 2. Office cells: 9 = 12, the rest 5; all other cells 9 except cell 3 = 1.
// Pair 1: remove 9 (12) for 3 (1): cleaner, moved. Pair 2: the next office cell (10, value 5)
// for the next target (0, value 9): not cleaner, so it stays. → [3,4), [10,17) = 8 h.
// All office cells cleaner than every other cell → nothing moves.
TEST(StrategyCarbonOfficeHours, MovesOnlyIntoStrictlyCleanerCells) {
  std::vector<double> v(24, 9.0);
  for (int c = 9; c < 17; ++c)
    v[static_cast<std::size_t>(c)] = 5;
  v[9] = 12;
  v[3] = 1;
  const Outcome r = carbon_office_hours(office("UTC"), Trace(v));
  EXPECT_EQ(r.spans, (Spans{hours(3, 4), hours(10, 17)}));
  std::vector<double> solar(24, 9.0);
  for (int c = 9; c < 17; ++c)
    solar[static_cast<std::size_t>(c)] = 3;
  EXPECT_EQ(carbon_office_hours(office("UTC"), Trace(solar)).spans, (Spans{hours(9, 17)}));
}

// Unknown cells are neither removed nor chosen. one_day() with cells 10 and 2 unknown:
// removable 11, 12 (12) → both; targets 3, 23 (2) → [3,4), [9,11), [13,17), [23,24) = 8 h.
TEST(StrategyCarbonOfficeHours, UnknownCellsAreNeitherRemovedNorChosen) {
  const Outcome r = carbon_office_hours(office("UTC"), Trace(one_day()).unknown({10, 2}));
  EXPECT_EQ(r.spans, (Spans{hours(3, 4), hours(9, 11), hours(13, 17), hours(23, 24)}));
}

// Fri 2020-01-03 and Sat 2020-01-04 (grid from T0 + 48 h, 48 cells, one_day() twice). Friday
// moves as in MovesTheDeferrableCellsIntoTheCleanestEarliestOnTies; Saturday has no office
// time, so nothing moves and no forecast is asked for. Requests: [48, 72) only.
TEST(StrategyCarbonOfficeHours, DecidesEachLocalDayAtItsMidnight) {
  std::vector<double> v = one_day();
  const std::vector<double> d = one_day();
  v.insert(v.end(), d.begin(), d.end());
  Trace t(v);
  t.grid.start_s = T0 + 48 * H;
  const Outcome r = carbon_office_hours(office("UTC"), t);
  EXPECT_EQ(r.spans, (Spans{hours(50, 52), hours(57, 58), hours(60, 65)}));
  EXPECT_EQ(r.asked, (std::vector<Asked>{{48, 72}}));
}

// Zone Plus2 (UTC+2), grid Wed 00:00 UTC + 48 h, all 10 except cells 3 and 23 = 1.
// Local Wed starts at −2 h: decision clipped to the period start, view [0, 22); office
// 09-17 local = cells 7..14. k = 2; removable all 10 → 7, 8; targets: cell 3 (1), then 10s
// (not cleaner) → only 7 → 3 moves. Cell 23 (= Thu 01:00 local) is not in Wednesday's view.
// Local Thu: view [22, 46), office cells 31..38; cell 23 (1) replaces 31.
// → [3,4), [8,15), [23,24), [32,39) = 16 h, as office_hours.
TEST(StrategyCarbonOfficeHours, UsesLocalDaysOfTheScheduleTimeZone) {
  std::vector<double> v(48, 10.0);
  v[3] = 1;
  v[23] = 1;
  const Outcome r = carbon_office_hours(office("Plus2"), Trace(v));
  EXPECT_EQ(r.spans, (Spans{hours(3, 4), hours(8, 15), hours(23, 24), hours(32, 39)}));
  EXPECT_EQ(r.asked, (std::vector<Asked>{{0, 22}, {22, 46}}));
}

TEST(StrategyCarbonOfficeHours, BadParametersNameWhatIsAllowed) {
  const std::string unknown =
      config_error("carbon_office_hours", office("UTC", {{"share", Value(0.5)}}));
  EXPECT_NE(unknown.find("unknown parameter 'share'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("allowed_begin, allowed_end, deferrable_share, lag_min, periods, "
                         "timezone"),
            std::string::npos)
      << unknown;
  for (const double bad : {-0.1, 1.5}) {
    const std::string e =
        config_error("carbon_office_hours", office("UTC", {{"deferrable_share", Value(bad)}}));
    EXPECT_NE(e.find("'deferrable_share'"), std::string::npos) << e;
    EXPECT_NE(e.find("allowed: 0 to 1"), std::string::npos) << e;
  }
  const std::string end =
      config_error("carbon_office_hours", office("UTC", {{"allowed_end", Value("25:00")}}));
  EXPECT_NE(end.find("or 24:00"), std::string::npos) << end;
  const std::string order = config_error(
      "carbon_office_hours",
      office("UTC", {{"allowed_begin", Value("18:00")}, {"allowed_end", Value("06:00")}}));
  EXPECT_NE(order.find("must be earlier than"), std::string::npos) << order;
  EXPECT_NE(config_error("carbon_office_hours", {{"timezone", Value("UTC")}}).find("'periods'"),
            std::string::npos);
  EXPECT_EQ(config_error("carbon_office_hours", office("UTC")), "");
}

} // namespace
} // namespace cfsim
