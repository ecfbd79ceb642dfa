// The system tz database through date/tz (/usr/share/zoneinfo), and office_hours end to end on
// it. Known answers from the published rules, not from the database:
// - EU summer time (Directive 2000/84/EC): 01:00 UTC on the last Sunday of March / October;
//   2023-10-29, 2024-03-31, 2024-10-27 and 2025-03-30 are those Sundays.
// - US daylight time (Energy Policy Act of 2005, §110): 02:00 local on the second Sunday of
//   March (2024-03-10, EST → 07:00 UTC) to 02:00 local on the first Sunday of November
//   (2024-11-03, EDT → 06:00 UTC); 2023-11-05 06:00 UTC was the previous change.
// - India Standard Time: UTC+05:30, no DST since 1945.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/strategy.hpp"
#include "cfsim/time.hpp"

namespace cfsim {
namespace {

constexpr TimeS kHour = 3600;

TimeS T(const std::string& text) {
  const auto t = parse_utc(text);
  if (!t)
    throw std::invalid_argument("bad test time " + text);
  return *t;
}

std::string unknown_zone_message(const std::string& zone) {
  try {
    system_time_zone_db()->offsets(zone, T("2024-01-01"), T("2025-01-01"));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(TimeZoneDb, EuropeBerlin2024Transitions) {
  const auto t = system_time_zone_db()->offsets("Europe/Berlin", T("2024-01-01"), T("2025-01-01"));
  EXPECT_EQ(t.zone, "Europe/Berlin");
  EXPECT_EQ(t.change_s, (std::vector<TimeS>{T("2023-10-29T01:00:00Z"), T("2024-03-31T01:00:00Z"),
                                            T("2024-10-27T01:00:00Z")}));
  EXPECT_EQ(t.offset_s, (std::vector<std::int32_t>{3600, 7200, 3600}));
  EXPECT_EQ(t.offset_at(T("2024-03-31T00:59:59Z")), 3600);
  EXPECT_EQ(t.offset_at(T("2024-03-31T01:00:00Z")), 7200);
  EXPECT_EQ(t.offset_at(T("2024-10-27T01:00:00Z")), 3600);
}

TEST(TimeZoneDb, RangeEndingAfterATransitionIncludesIt) {
  // [2024-12-01, 2025-04-01) covers the 2025-03-30 change.
  const auto t = system_time_zone_db()->offsets("Europe/Berlin", T("2024-12-01"), T("2025-04-01"));
  EXPECT_EQ(t.change_s, (std::vector<TimeS>{T("2024-10-27T01:00:00Z"), T("2025-03-30T01:00:00Z")}));
  EXPECT_EQ(t.offset_s, (std::vector<std::int32_t>{3600, 7200}));
}

TEST(TimeZoneDb, AmericaNewYork2024Transitions) {
  const auto t =
      system_time_zone_db()->offsets("America/New_York", T("2024-01-01"), T("2025-01-01"));
  EXPECT_EQ(t.change_s, (std::vector<TimeS>{T("2023-11-05T06:00:00Z"), T("2024-03-10T07:00:00Z"),
                                            T("2024-11-03T06:00:00Z")}));
  EXPECT_EQ(t.offset_s, (std::vector<std::int32_t>{-18000, -14400, -18000}));
  // 02:30 on 2024-03-10 does not exist in New York: the gap ends at 07:00 UTC.
  EXPECT_EQ(t.local_to_utc(T("2024-03-10T02:30:00Z")), T("2024-03-10T07:00:00Z"));
  // 01:30 on 2024-11-03 happens twice: the first is EDT, 05:30 UTC.
  EXPECT_EQ(t.local_to_utc(T("2024-11-03T01:30:00Z")), T("2024-11-03T05:30:00Z"));
}

TEST(TimeZoneDb, ZoneWithoutTransitionsHasOneEntry) {
  const auto t = system_time_zone_db()->offsets("Asia/Kolkata", T("2024-01-01"), T("2025-01-01"));
  ASSERT_EQ(t.offset_s.size(), 1u);
  EXPECT_EQ(t.offset_s[0], 19800);
  EXPECT_EQ(t.local_to_utc(T("2024-06-01T05:30:00Z")), T("2024-06-01T00:00:00Z"));
}

TEST(TimeZoneDb, UnknownZoneIsAConfigErrorWithExamples) {
  const std::string msg = unknown_zone_message("Europe/Berlim");
  EXPECT_NE(msg.find("unknown time zone 'Europe/Berlim'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("\"Europe/Berlin\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("\"America/New_York\""), std::string::npos) << msg;
  EXPECT_NE(unknown_zone_message("").find("unknown time zone ''"), std::string::npos);
}

TEST(TimeZoneDb, WrongCaseSuggestsTheRealName) {
  const std::string msg = unknown_zone_message("europe/berlin");
  EXPECT_NE(msg.find("did you mean \"Europe/Berlin\""), std::string::npos) << msg;
}

std::vector<Interval> plan_office_hours(const Value& params, TimeGrid grid) {
  const auto db = system_time_zone_db();
  FleetContext ctx;
  ctx.grid = grid;
  ctx.time_zones = db.get();
  FleetGroup group;
  group.name = "dev";
  return make_fleet_strategy("office_hours", params)->plan(group, ctx);
}

Value nine_to_five(const char* zone, double lag_min) {
  Value::Object period{
      {"begin", Value("09:00")}, {"end", Value("17:00")}, {"weekdays", Value("mon-fri")}};
  return Value(Value::Object{{"timezone", Value(zone)},
                             {"periods", Value(Value::Array{Value(period)})},
                             {"lag_min", Value(lag_min)}});
}

TimeS total_s(const std::vector<Interval>& v) {
  TimeS s = 0;
  for (const Interval& i : v)
    s += i.duration_s();
  return s;
}

// April 2024: 30 days from Monday the 1st, 22 workdays (4 weeks + Mon 29, Tue 30), all on CEST.
// DESIGN §6: Mon-Fri 09:00-17:00 = 176 of 720 hours.
TEST(TimeZoneDb, OfficeHours176HoursEndToEnd) {
  const TimeGrid april{T("2024-04-01"), kHour, 720};
  for (const double lag_min : {0.0, 5.0}) {
    const auto got = plan_office_hours(nine_to_five("Europe/Berlin", lag_min), april);
    const TimeS lag_s = static_cast<TimeS>(lag_min) * 60;
    ASSERT_EQ(got.size(), 22u) << "lag " << lag_min;
    EXPECT_EQ(total_s(got), 176 * kHour) << "lag " << lag_min;
    EXPECT_EQ(got.front(),
              (Interval{T("2024-04-01T07:00:00Z") + lag_s, T("2024-04-01T15:00:00Z") + lag_s}));
    EXPECT_EQ(got.back(),
              (Interval{T("2024-04-30T07:00:00Z") + lag_s, T("2024-04-30T15:00:00Z") + lag_s}));
  }
}

// New York, week of the 2024-03-10 change: Fri 2024-03-08 09:00 EST = 14:00 UTC,
// Mon 2024-03-11 09:00 EDT = 13:00 UTC.
TEST(TimeZoneDb, OfficeHoursNewYorkAcrossSpringForward) {
  const auto got = plan_office_hours(nine_to_five("America/New_York", 0),
                                     TimeGrid{T("2024-03-08"), kHour, 4 * 24});
  EXPECT_EQ(got, (std::vector<Interval>{{T("2024-03-08T14:00:00Z"), T("2024-03-08T22:00:00Z")},
                                        {T("2024-03-11T13:00:00Z"), T("2024-03-11T21:00:00Z")}}));
}

TEST(TimeZoneDb, OfficeHoursUnknownZoneFailsAtPlan) {
  try {
    plan_office_hours(nine_to_five("Mars/Olympus_Mons", 0), TimeGrid{T("2024-04-01"), kHour, 24});
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("fleet group 'dev'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'Mars/Olympus_Mons'"), std::string::npos) << msg;
  }
}

} // namespace
} // namespace cfsim
