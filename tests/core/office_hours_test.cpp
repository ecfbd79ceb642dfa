// office_hours (AWS Instance Scheduler period semantics) and UtcOffsetTable, without disk: the
// strategy gets a fake TimeZoneDb holding a hand-written table.
//
// Known answers are worked out by hand from two published facts:
// - EU summer time (Directive 2000/84/EC, art. 2-3): clocks change at 01:00 UTC on the last
//   Sunday of March and of October. 2023-10-29, 2024-03-31 and 2024-10-27 are those Sundays, so
//   Europe/Berlin is UTC+1 before 2024-03-31T01:00Z, UTC+2 until 2024-10-27T01:00Z, then UTC+1.
// - US daylight time (Energy Policy Act of 2005, §110): 02:00 local on the second Sunday of March
//   to 02:00 local on the first Sunday of November: 2024-03-10T07:00Z and 2024-11-03T06:00Z.
// Weekdays: 2024-01-01 was a Monday (ISO 8601 week 2024-W01-1); the other 2024 dates below are
// counted from it (Feb 1 Thu, Mar 1 Fri, Apr 1 Mon, Jun 1 Sat, Jul 1 Mon, Aug 1 Thu, Sep 1 Sun,
// Oct 1 Tue, Nov 1 Fri).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/strategy.hpp"
#include "cfsim/time.hpp"
#include "cfsim/timezone.hpp"
#include "strategies/strategies.hpp"

namespace cfsim {
namespace {

constexpr TimeS kHour = 3600;
constexpr TimeS kDay = 86400;

TimeS T(const std::string& text) {
  const auto t = parse_utc(text);
  if (!t)
    throw std::invalid_argument("bad test time " + text);
  return *t;
}

// Spans from "YYYY-MM-DD" days and UTC hours, e.g. spans({"2024-04-01"}, "07:00", "15:00").
std::vector<Interval> spans(const std::vector<std::string>& days, const std::string& from_utc,
                            const std::string& to_utc) {
  std::vector<Interval> out;
  for (const std::string& d : days)
    out.push_back({T(d + "T" + from_utc + ":00Z"), T(d + "T" + to_utc + ":00Z")});
  return out;
}

std::vector<Interval> concat(std::vector<Interval> a, const std::vector<Interval>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TimeS total_s(const std::vector<Interval>& v) {
  TimeS s = 0;
  for (const Interval& i : v)
    s += i.duration_s();
  return s;
}

UtcOffsetTable berlin_2024() {
  UtcOffsetTable t;
  t.zone = "Europe/Berlin";
  t.change_s = {T("2023-10-29T01:00:00Z"), T("2024-03-31T01:00:00Z"), T("2024-10-27T01:00:00Z")};
  t.offset_s = {3600, 7200, 3600};
  return t;
}

UtcOffsetTable new_york_2024() {
  UtcOffsetTable t;
  t.zone = "America/New_York";
  t.change_s = {T("2023-11-05T06:00:00Z"), T("2024-03-10T07:00:00Z"), T("2024-11-03T06:00:00Z")};
  t.offset_s = {-18000, -14400, -18000};
  return t;
}

class FakeTimeZoneDb : public TimeZoneDb {
public:
  UtcOffsetTable offsets(const std::string& zone, TimeS from_s, TimeS to_s) const override {
    asked_from_s = from_s;
    asked_to_s = to_s;
    if (zone == "Europe/Berlin")
      return berlin_2024();
    if (zone == "America/New_York")
      return new_york_2024();
    throw ConfigError("unknown time zone '" + zone + "'");
  }
  mutable TimeS asked_from_s = 0, asked_to_s = 0;
};

Value period(Value::Object fields) {
  return Value(std::move(fields));
}

Value params(Value::Array periods, double lag_min) {
  return Value(Value::Object{{"timezone", Value("Europe/Berlin")},
                             {"periods", Value(std::move(periods))},
                             {"lag_min", Value(lag_min)}});
}

Value workdays_9_to_5(double lag_min) {
  return params({period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", "mon-fri"}})}, lag_min);
}

std::vector<Interval> plan(const Value& p, TimeGrid grid, const FakeTimeZoneDb& db) {
  FleetGroup group;
  group.name = "dev";
  FleetContext ctx;
  ctx.grid = grid;
  ctx.time_zones = &db;
  return strategies::make_office_hours(p)->plan(group, ctx);
}

std::vector<Interval> plan(const Value& p, TimeGrid grid) {
  const FakeTimeZoneDb db;
  return plan(p, grid, db);
}

TimeGrid days_from(const std::string& start, std::int64_t days) {
  return TimeGrid{T(start), kHour, days * 24};
}

// The ConfigError message of building the strategy, or "" if it builds.
std::string config_error(const Value& p) {
  try {
    strategies::make_office_hours(p);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

Value one_period_with(const char* key, const char* text) {
  return params({period({{key, text}})}, 0);
}

// April 2024 has 30 days and starts on a Monday, so its 4 full weeks + Mon 29 + Tue 30 hold 22
// workdays (DESIGN §6: 22 × 8 h = 176 of 720 h). Berlin is on CEST (UTC+2) all month, so 09:00
// to 17:00 local is 07:00 to 15:00 UTC.
const std::vector<std::string> kAprilWorkdays = {
    "2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04", "2024-04-05", "2024-04-08",
    "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12", "2024-04-15", "2024-04-16",
    "2024-04-17", "2024-04-18", "2024-04-19", "2024-04-22", "2024-04-23", "2024-04-24",
    "2024-04-25", "2024-04-26", "2024-04-29", "2024-04-30"};

TEST(OfficeHours, WorkdaysNineToFiveOver22WorkdayMonthAre176Hours) {
  const FakeTimeZoneDb db;
  const TimeGrid april = days_from("2024-04-01", 30);
  ASSERT_EQ(april.n, 720);
  const auto got = plan(workdays_9_to_5(0), april, db);
  EXPECT_EQ(got, spans(kAprilWorkdays, "07:00", "15:00"));
  EXPECT_EQ(total_s(got), 176 * kHour);
  // The offsets were asked for with a margin of at least a day around the grid.
  EXPECT_LE(db.asked_from_s, april.start_s - kDay);
  EXPECT_GE(db.asked_to_s, april.end_s() + kDay);
}

TEST(OfficeHours, LagShiftsStartAndStopAndKeeps176Hours) {
  const TimeGrid april = days_from("2024-04-01", 30);
  const auto got = plan(workdays_9_to_5(5), april);
  EXPECT_EQ(got, spans(kAprilWorkdays, "07:05", "15:05"));
  EXPECT_EQ(total_s(got), 176 * kHour);
}

TEST(OfficeHours, LagDefaultsToFiveMinutes) {
  const Value p(Value::Object{
      {"timezone", Value("Europe/Berlin")},
      {"periods", Value(Value::Array{period({{"begin", "09:00"}, {"end", "17:00"}})})}});
  // 2024-04-01 09:05 CEST = 07:05 UTC.
  EXPECT_EQ(plan(p, days_from("2024-04-01", 1)), spans({"2024-04-01"}, "07:05", "15:05"));
}

// Wed 2024-03-27 .. Tue 2024-04-02: three workdays on CET (08-16 UTC), the switch on Sunday
// 2024-03-31 01:00 UTC, two workdays on CEST (07-15 UTC). 5 × 8 h either way.
TEST(OfficeHours, SpringForwardMovesUtcSpansOneHourEarlier) {
  const auto got = plan(workdays_9_to_5(0), days_from("2024-03-27", 7));
  EXPECT_EQ(got, concat(spans({"2024-03-27", "2024-03-28", "2024-03-29"}, "08:00", "16:00"),
                        spans({"2024-04-01", "2024-04-02"}, "07:00", "15:00")));
  EXPECT_EQ(total_s(got), 40 * kHour);
}

// Wed 2024-10-23 .. Tue 2024-10-29 around the switch back on Sunday 2024-10-27 01:00 UTC.
TEST(OfficeHours, FallBackMovesUtcSpansOneHourLater) {
  const auto got = plan(workdays_9_to_5(0), days_from("2024-10-23", 7));
  EXPECT_EQ(got, concat(spans({"2024-10-23", "2024-10-24", "2024-10-25"}, "07:00", "15:00"),
                        spans({"2024-10-28", "2024-10-29"}, "08:00", "16:00")));
  EXPECT_EQ(total_s(got), 40 * kHour);
}

// 2024-03-31 02:30 local does not exist (02:00 CET jumps to 03:00 CEST at 01:00 UTC): the period
// starts when the gap ends, 01:00 UTC; 03:30 CEST = 01:30 UTC.
TEST(OfficeHours, BeginInsideSpringForwardGapStartsWhenGapEnds) {
  const auto p = params({period({{"begin", "02:30"}, {"end", "03:30"}, {"weekdays", "sun"}})}, 0);
  EXPECT_EQ(plan(p, days_from("2024-03-30", 2)),
            (std::vector<Interval>{{T("2024-03-31T01:00:00Z"), T("2024-03-31T01:30:00Z")}}));
}

// 2024-10-27 02:00 local happens twice (00:00 UTC in CEST, 01:00 UTC in CET): the first one
// counts. 03:00 local exists once, in CET = 02:00 UTC. The "one-hour" period runs two hours.
TEST(OfficeHours, BeginAtAmbiguousFallBackTimeUsesFirstOccurrence) {
  const auto p = params({period({{"begin", "02:00"}, {"end", "03:00"}, {"weekdays", "sun"}})}, 0);
  EXPECT_EQ(plan(p, days_from("2024-10-26", 2)),
            (std::vector<Interval>{{T("2024-10-27T00:00:00Z"), T("2024-10-27T02:00:00Z")}}));
}

// Q1 2024 (91 days, CET until 03-31). Mondays of January: 1, 8, 15, 22, 29; first Monday of
// February: 5 (Feb 1 is a Thursday); of March: 4 (Mar 1 is a Friday). Only January has a 5th.
TEST(OfficeHours, NthWeekdayOfMonth) {
  const TimeGrid q1 = days_from("2024-01-01", 91);
  const auto first =
      params({period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", "mon#1"}})}, 0);
  EXPECT_EQ(plan(first, q1), spans({"2024-01-01", "2024-02-05", "2024-03-04"}, "08:00", "16:00"));
  const auto fifth =
      params({period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", "0#5"}})}, 0);
  EXPECT_EQ(plan(fifth, q1), spans({"2024-01-29"}, "08:00", "16:00"));
}

// October 2024 starts on a Tuesday: its first Monday is the 7th, its second the 14th (days on
// a multiple of 7 still belong to the earlier week of the month). CEST until 10-27.
TEST(OfficeHours, NthWeekdayOnSeventhAndFourteenth) {
  const TimeGrid october = days_from("2024-10-01", 21);
  const auto nth = [&](const char* weekdays) {
    return plan(params({period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", weekdays}})}, 0),
                october);
  };
  EXPECT_EQ(nth("mon#1"), spans({"2024-10-07"}, "07:00", "15:00"));
  EXPECT_EQ(nth("mon#2"), spans({"2024-10-14"}, "07:00", "15:00"));
}

// Fridays: Jan 5..26, Feb 2..23 (Mar 1 is the next), Mar 1..29.
TEST(OfficeHours, LastWeekdayOfMonth) {
  const auto p = params({period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", "friL"}})}, 0);
  EXPECT_EQ(plan(p, days_from("2024-01-01", 91)),
            spans({"2024-01-26", "2024-02-23", "2024-03-29"}, "08:00", "16:00"));
}

// 2024 is a leap year; 2024-03-31 is already on CEST (the switch is at 01:00 UTC).
TEST(OfficeHours, MonthdayLastDay) {
  const auto p = params({period({{"begin", "09:00"}, {"end", "17:00"}, {"monthdays", "L"}})}, 0);
  EXPECT_EQ(plan(p, days_from("2024-01-01", 91)),
            concat(spans({"2024-01-31", "2024-02-29"}, "08:00", "16:00"),
                   spans({"2024-03-31"}, "07:00", "15:00")));
}

// May 2024 (Wed 1 .. Fri 31): Fridays 3, 10, 17, 24, 31; the last is the month's last day.
TEST(OfficeHours, LastWeekdayOnLastDayOfMonth) {
  const auto p = params({period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", "friL"}})}, 0);
  EXPECT_EQ(plan(p, days_from("2024-05-01", 31)), spans({"2024-05-31"}, "07:00", "15:00"));
}

// Nearest weekday to the 15th, June..September 2024 (CEST): Sat Jun 15 → Fri Jun 14;
// Mon Jul 15; Thu Aug 15; Sun Sep 15 → Mon Sep 16.
TEST(OfficeHours, MonthdayNearestWeekday) {
  const TimeGrid summer = days_from("2024-06-01", 122);
  const auto p = params({period({{"begin", "09:00"}, {"end", "17:00"}, {"monthdays", "15W"}})}, 0);
  EXPECT_EQ(plan(p, summer),
            spans({"2024-06-14", "2024-07-15", "2024-08-15", "2024-09-16"}, "07:00", "15:00"));
}

// "W" never leaves the month: Sat Jun 1 → Mon Jun 3, Sun Sep 1 → Mon Sep 2, Sat Aug 31 → Fri
// Aug 30; Mon Jul 1, Thu Aug 1 and Wed Jul 31 are weekdays; June and September have no 31st.
TEST(OfficeHours, MonthdayNearestWeekdayStaysInMonth) {
  const auto p =
      params({period({{"begin", "09:00"}, {"end", "17:00"}, {"monthdays", "1W,31W"}})}, 0);
  EXPECT_EQ(plan(p, days_from("2024-06-01", 122)), spans({"2024-06-03", "2024-07-01", "2024-07-31",
                                                          "2024-08-01", "2024-08-30", "2024-09-02"},
                                                         "07:00", "15:00"));
  // Q1: Mon Jan 1, Wed Jan 31, Thu Feb 1, Fri Mar 1 are weekdays; February has no 31st;
  // Sunday 2024-03-31 → Friday 2024-03-29 (not Monday 1 April).
  EXPECT_EQ(plan(p, days_from("2024-01-01", 91)),
            spans({"2024-01-01", "2024-01-31", "2024-02-01", "2024-03-01", "2024-03-29"}, "08:00",
                  "16:00"));
}

// Months wrap around the year end; all day rules must match (AND).
TEST(OfficeHours, MonthsWithWrappingRangeAndAllRulesMatching) {
  const TimeGrid year = days_from("2024-01-01", 366);
  const auto first_of_month = [](const char* months) {
    return params(
        {period({{"begin", "09:00"}, {"end", "17:00"}, {"monthdays", "1"}, {"months", months}})},
        0);
  };
  const auto expected =
      spans({"2024-01-01", "2024-02-01", "2024-11-01", "2024-12-01"}, "08:00", "16:00");
  EXPECT_EQ(plan(first_of_month("nov-feb"), year), expected);
  EXPECT_EQ(plan(first_of_month("11-2"), year), expected);
  EXPECT_EQ(plan(first_of_month("Jan,February,nov,12"), year), expected);

  // Weekdays of February 2024: Thu 1 .. Thu 29 = 4 weeks + 1 day = 21 workdays.
  const auto feb = params(
      {period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", "mon-fri"}, {"months", "feb"}})},
      0);
  const auto got = plan(feb, days_from("2024-01-01", 91));
  EXPECT_EQ(got.size(), 21u);
  EXPECT_EQ(total_s(got), 21 * 8 * kHour);
  EXPECT_EQ(got.front(), spans({"2024-02-01"}, "08:00", "16:00").front());
  EXPECT_EQ(got.back(), spans({"2024-02-29"}, "08:00", "16:00").front());

  // March 1-3 2024 is Fri, Sat, Sun: with mon-fri only Friday remains.
  const auto early_march = params({period({{"weekdays", "mon-fri"},
                                           {"monthdays", "1-3"},
                                           {"months", "mar"},
                                           {"begin", "09:00"},
                                           {"end", "17:00"}})},
                                  0);
  EXPECT_EQ(plan(early_march, days_from("2024-01-01", 91)),
            spans({"2024-03-01"}, "08:00", "16:00"));
}

// A period without times runs the whole local day; consecutive days merge into one span.
// April 2024 weekends: 6-7, 13-14, 20-21, 27-28; local midnight CEST = 22:00 UTC the day before.
TEST(OfficeHours, DaysOnlyPeriodRunsAllDayAndMerges) {
  const auto p = params({period({{"weekdays", "sat,sun"}})}, 0);
  const auto got = plan(p, days_from("2024-04-01", 30));
  EXPECT_EQ(got, (std::vector<Interval>{{T("2024-04-05T22:00:00Z"), T("2024-04-07T22:00:00Z")},
                                        {T("2024-04-12T22:00:00Z"), T("2024-04-14T22:00:00Z")},
                                        {T("2024-04-19T22:00:00Z"), T("2024-04-21T22:00:00Z")},
                                        {T("2024-04-26T22:00:00Z"), T("2024-04-28T22:00:00Z")}}));
  EXPECT_EQ(total_s(got), 8 * 24 * kHour);
}

// begin alone runs to the end of the local day, end alone from local midnight. Monday
// 2024-04-01's local day starts at 2024-03-31T22:00Z, before the grid: clipped. The grid
// (Mon 2024-04-01 .. Sat 2024-04-06) holds no other Monday.
TEST(OfficeHours, BeginOnlyAndEndOnlyPeriodsAndClipping) {
  const TimeGrid week = days_from("2024-04-01", 6);
  const auto begin_only = params({period({{"begin", "20:00"}, {"weekdays", "mon"}})}, 0);
  EXPECT_EQ(plan(begin_only, week), spans({"2024-04-01"}, "18:00", "22:00"));
  const auto end_only = params({period({{"end", "06:00"}, {"weekdays", "mon"}})}, 0);
  EXPECT_EQ(plan(end_only, week), spans({"2024-04-01"}, "00:00", "04:00"));
  // A grid starting mid-span clips it: 07:00-15:00 UTC from 10:00 UTC.
  EXPECT_EQ(plan(workdays_9_to_5(0), TimeGrid{T("2024-04-01T10:00:00Z"), kHour, 6}),
            spans({"2024-04-01"}, "10:00", "15:00"));
}

// Local days that overlap the grid but start on another UTC day. New York (EDT, UTC-4): Monday
// 2024-04-01 runs until 2024-04-02T04:00Z, into a grid starting on Tuesday 00:00 UTC. Berlin
// (CEST): Tuesday 2024-04-02 starts at 2024-04-01T22:00Z, inside a grid ending at 23:00 UTC.
TEST(OfficeHours, LocalDaysStraddlingTheGridEdges) {
  const Value new_york(
      Value::Object{{"timezone", Value("America/New_York")},
                    {"periods", Value(Value::Array{period({{"weekdays", "mon"}})})},
                    {"lag_min", Value(0)}});
  EXPECT_EQ(plan(new_york, days_from("2024-04-02", 1)),
            (std::vector<Interval>{{T("2024-04-02T00:00:00Z"), T("2024-04-02T04:00:00Z")}}));
  const auto berlin = params({period({{"weekdays", "tue"}})}, 0);
  EXPECT_EQ(plan(berlin, TimeGrid{T("2024-04-01T20:00:00Z"), kHour, 3}),
            (std::vector<Interval>{{T("2024-04-01T22:00:00Z"), T("2024-04-01T23:00:00Z")}}));
}

// An instance runs while ANY period runs; adjacent and overlapping periods give one span.
// Week of Mon 2024-04-01 (CEST).
TEST(OfficeHours, AnyPeriodRunningMergesPeriods) {
  const auto p = params({period({{"begin", "09:00"}, {"end", "12:00"}, {"weekdays", "mon-fri"}}),
                         period({{"begin", "12:00"}, {"end", "17:00"}, {"weekdays", "0-4"}}),
                         period({{"begin", "16:00"}, {"end", "20:00"}, {"weekdays", "FRI"}})},
                        0);
  EXPECT_EQ(
      plan(p, days_from("2024-04-01", 7)),
      concat(spans({"2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04"}, "07:00", "15:00"),
             spans({"2024-04-05"}, "07:00", "18:00")));
}

// Weekday lists, numbers, full names and ranges wrapping past Sunday. Week of Mon 2024-04-01.
TEST(OfficeHours, WeekdaySyntaxVariants) {
  const TimeGrid week = days_from("2024-04-01", 7);
  const auto on = [&](const char* weekdays) {
    return plan(params({period({{"begin", "09:00"}, {"end", "17:00"}, {"weekdays", weekdays}})}, 0),
                week);
  };
  const auto mon_wed_fri = spans({"2024-04-01", "2024-04-03", "2024-04-05"}, "07:00", "15:00");
  EXPECT_EQ(on("mon,wed,fri"), mon_wed_fri);
  EXPECT_EQ(on("0, 2 ,4"), mon_wed_fri);
  EXPECT_EQ(on("Monday,Wednesday,Friday"), mon_wed_fri);
  EXPECT_EQ(on("fri-mon"),
            spans({"2024-04-01", "2024-04-05", "2024-04-06", "2024-04-07"}, "07:00", "15:00"));
}

TEST(OfficeHours, BadWeekdayRangeNamesTheParameterTextAndAllowedSyntax) {
  const std::string msg = config_error(one_period_with("weekdays", "mon-xyz"));
  EXPECT_NE(msg.find("office_hours"), std::string::npos) << msg;
  EXPECT_NE(msg.find("periods[0].weekdays"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'mon-xyz'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown weekday 'xyz'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("mon..sun"), std::string::npos) << msg;
  EXPECT_NE(msg.find("friL"), std::string::npos) << msg;
}

TEST(OfficeHours, BadTimeIsRejected) {
  const std::string msg = config_error(one_period_with("begin", "25:00"));
  EXPECT_NE(msg.find("periods[0].begin"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'25:00'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("HH:MM from 00:00 to 23:59"), std::string::npos) << msg;
  EXPECT_NE(config_error(one_period_with("end", "9")).find("not a time of day"), std::string::npos);
  EXPECT_NE(config_error(one_period_with("end", "09:60")).find("out of range"), std::string::npos);
  EXPECT_NE(config_error(one_period_with("end", "09:5")).find("'09:5'"), std::string::npos);
}

TEST(OfficeHours, NthWeekdayOutOfRangeIsRejected) {
  const std::string msg = config_error(one_period_with("weekdays", "mon#6"));
  EXPECT_NE(msg.find("periods[0].weekdays"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'mon#6'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("1..5"), std::string::npos) << msg;
  EXPECT_NE(config_error(one_period_with("weekdays", "mon#0")).find("1..5"), std::string::npos);
}

TEST(OfficeHours, BadMonthdaysAndMonthsAreRejected) {
  std::string msg = config_error(one_period_with("monthdays", "32"));
  EXPECT_NE(msg.find("periods[0].monthdays"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'32' is not a day 1..31"), std::string::npos) << msg;
  EXPECT_NE(msg.find("15W"), std::string::npos) << msg;
  msg = config_error(one_period_with("monthdays", "15-1"));
  EXPECT_NE(msg.find("runs backwards"), std::string::npos) << msg;
  msg = config_error(one_period_with("monthdays", "1,,15"));
  EXPECT_NE(msg.find("empty list item"), std::string::npos) << msg;
  msg = config_error(one_period_with("monthdays", "1/7"));
  EXPECT_NE(msg.find("'1/7'"), std::string::npos) << msg;
  msg = config_error(one_period_with("months", "13"));
  EXPECT_NE(msg.find("periods[0].months"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown month '13'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("jan..dec"), std::string::npos) << msg;
  msg = config_error(one_period_with("months", "jan-foo"));
  EXPECT_NE(msg.find("unknown month 'foo'"), std::string::npos) << msg;
}

TEST(OfficeHours, UnknownKeysNameTheAllowedOnes) {
  std::string msg = config_error(
      Value(Value::Object{{"timezone", Value("Europe/Berlin")},
                          {"periods", Value(Value::Array{period({{"weekdays", "mon"}})})},
                          {"lag", Value(5)}}));
  EXPECT_NE(msg.find("'lag'"), std::string::npos) << msg;
  for (const char* allowed : {"lag_min", "periods", "timezone"})
    EXPECT_NE(msg.find(allowed), std::string::npos) << msg;

  msg = config_error(params({period({{"start", "09:00"}})}, 0));
  EXPECT_NE(msg.find("periods[0]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'start'"), std::string::npos) << msg;
  for (const char* allowed : {"begin", "end", "weekdays", "monthdays", "months"})
    EXPECT_NE(msg.find(allowed), std::string::npos) << msg;
}

TEST(OfficeHours, IncompleteOrContradictoryParametersAreRejected) {
  EXPECT_NE(config_error(Value(Value::Object{
                             {"periods", Value(Value::Array{period({{"weekdays", "mon"}})})}}))
                .find("'timezone' is required"),
            std::string::npos);
  EXPECT_NE(config_error(Value(Value::Object{{"timezone", Value("Europe/Berlin")}}))
                .find("'periods' is required"),
            std::string::npos);
  EXPECT_NE(config_error(params({}, 0)).find("at least one period"), std::string::npos);
  EXPECT_NE(config_error(params({period({})}, 0)).find("at least one of"), std::string::npos);
  EXPECT_NE(config_error(params({period({{"begin", "17:00"}, {"end", "09:00"}})}, 0))
                .find("begin must be earlier than end"),
            std::string::npos);
  EXPECT_NE(config_error(workdays_9_to_5(-1)).find("'lag_min' must be 0..1440"), std::string::npos);
}

TEST(OfficeHours, UnknownTimeZoneAtPlanTimeNamesGroupAndZone) {
  const Value p(Value::Object{{"timezone", Value("Europe/Berlim")},
                              {"periods", Value(Value::Array{period({{"weekdays", "mon"}})})}});
  try {
    plan(p, days_from("2024-04-01", 1));
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("fleet group 'dev'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'Europe/Berlim'"), std::string::npos) << msg;
  }
}

TEST(TimeZoneTable, OffsetAtChangesExactlyAtTheTransition) {
  const UtcOffsetTable t = berlin_2024();
  EXPECT_EQ(t.offset_at(T("2024-03-31T00:59:59Z")), 3600);
  EXPECT_EQ(t.offset_at(T("2024-03-31T01:00:00Z")), 7200);
  EXPECT_EQ(t.offset_at(T("2024-10-27T00:59:59Z")), 7200);
  EXPECT_EQ(t.offset_at(T("2024-10-27T01:00:00Z")), 3600);
  // Outside a table the nearest entry holds: the first one before it, the last one after it.
  UtcOffsetTable winter_to_summer;
  winter_to_summer.change_s = {T("2023-10-29T01:00:00Z"), T("2024-03-31T01:00:00Z")};
  winter_to_summer.offset_s = {3600, 7200};
  EXPECT_EQ(winter_to_summer.offset_at(T("2023-06-01T00:00:00Z")), 3600);
  EXPECT_EQ(winter_to_summer.offset_at(T("2025-06-01T00:00:00Z")), 7200);
}

TEST(TimeZoneTable, LocalToUtcInNormalGapAndAmbiguousTimes) {
  const UtcOffsetTable t = berlin_2024();
  EXPECT_EQ(t.local_to_utc(T("2024-01-15T12:00:00Z")), T("2024-01-15T11:00:00Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-07-15T12:00:00Z")), T("2024-07-15T10:00:00Z"));
  // Spring forward: local 02:00:00..02:59:59 on 2024-03-31 does not exist.
  EXPECT_EQ(t.local_to_utc(T("2024-03-31T01:59:59Z")), T("2024-03-31T00:59:59Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-03-31T02:00:00Z")), T("2024-03-31T01:00:00Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-03-31T02:59:59Z")), T("2024-03-31T01:00:00Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-03-31T03:00:00Z")), T("2024-03-31T01:00:00Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-03-31T03:00:01Z")), T("2024-03-31T01:00:01Z"));
  // Fall back: local 02:00:00..02:59:59 on 2024-10-27 happens twice; the first (CEST) counts.
  EXPECT_EQ(t.local_to_utc(T("2024-10-27T01:59:59Z")), T("2024-10-26T23:59:59Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-10-27T02:00:00Z")), T("2024-10-27T00:00:00Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-10-27T02:59:59Z")), T("2024-10-27T00:59:59Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-10-27T03:00:00Z")), T("2024-10-27T02:00:00Z"));
}

TEST(TimeZoneTable, LocalToUtcWithNegativeOffsets) {
  const UtcOffsetTable t = new_york_2024();
  EXPECT_EQ(t.local_to_utc(T("2024-01-15T09:00:00Z")), T("2024-01-15T14:00:00Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-03-10T02:30:00Z")), T("2024-03-10T07:00:00Z")); // gap
  EXPECT_EQ(t.local_to_utc(T("2024-03-10T03:00:00Z")), T("2024-03-10T07:00:00Z"));
  EXPECT_EQ(t.local_to_utc(T("2024-11-03T01:30:00Z")), T("2024-11-03T05:30:00Z")); // EDT first
  EXPECT_EQ(t.local_to_utc(T("2024-11-03T02:00:00Z")), T("2024-11-03T07:00:00Z"));
}

// India Standard Time is UTC+05:30 all year.
TEST(TimeZoneTable, FixedOffset) {
  const UtcOffsetTable t = UtcOffsetTable::fixed("Asia/Kolkata", 19800);
  EXPECT_EQ(t.zone, "Asia/Kolkata");
  EXPECT_EQ(t.offset_at(T("1900-01-01T00:00:00Z")), 19800);
  EXPECT_EQ(t.offset_at(T("2024-06-01T00:00:00Z")), 19800);
  EXPECT_EQ(t.local_to_utc(T("2024-01-01T05:30:00Z")), T("2024-01-01T00:00:00Z"));
}

} // namespace
} // namespace cfsim
