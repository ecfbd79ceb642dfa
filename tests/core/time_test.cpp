#include <gtest/gtest.h>

#include "cfsim/time.hpp"

namespace cfsim {
namespace {

// Expected epochs computed with Python:
//   int(datetime(2024,4,1,tzinfo=timezone.utc).timestamp()) == 1711929600
//   int(datetime(2020,2,29,12,30,tzinfo=timezone.utc).timestamp()) == 1582979400
TEST(Time, ParsesTheAcceptedSpellings) {
  EXPECT_EQ(parse_utc("2024-04-01"), 1711929600);
  EXPECT_EQ(parse_utc("2024-04-01 00:00:00"), 1711929600);
  EXPECT_EQ(parse_utc("2024-04-01T00:00:00Z"), 1711929600);
  EXPECT_EQ(parse_utc("2024-04-01T00:00:00.000Z"), 1711929600);
  EXPECT_EQ(parse_utc("2020-02-29 12:30"), 1582979400);
  // An offset is applied: 14:30+02:00 is 12:30 UTC.
  EXPECT_EQ(parse_utc("2020-02-29T14:30:00+02:00"), 1582979400);
  EXPECT_EQ(parse_utc("1969-12-31T23:00:00Z"), -3600);
}

TEST(Time, RejectsMalformedTimes) {
  EXPECT_FALSE(parse_utc(""));
  EXPECT_FALSE(parse_utc("2023-02-29")); // not a leap year
  EXPECT_FALSE(parse_utc("2024-13-01"));
  EXPECT_FALSE(parse_utc("2024-04-01 24:00:00"));
  EXPECT_FALSE(parse_utc("2024-04-01T00:00:00.5Z")); // sub-second times are not on any grid
  EXPECT_FALSE(parse_utc("2024-04-01T00:00:00Zjunk"));
  EXPECT_FALSE(parse_utc("01/04/2024"));
}

TEST(Time, FormatsAndRoundTrips) {
  EXPECT_EQ(format_utc(1711929600), "2024-04-01T00:00:00Z");
  EXPECT_EQ(format_utc(-3600), "1969-12-31T23:00:00Z");
  for (TimeS t : {TimeS{0}, TimeS{951782400}, TimeS{1582979400}, TimeS{4102444799}})
    EXPECT_EQ(parse_utc(format_utc(t)), t);
}

TEST(Time, WeekdaysAreIsoMondayZero) {
  EXPECT_EQ(weekday_of(0), 3u);                              // 1970-01-01 was a Thursday
  EXPECT_EQ(weekday_of(1711929600), 0u);                     // 2024-04-01 was a Monday
  EXPECT_EQ(weekday_of(1711929600 + 6 * 86400 + 86399), 6u); // Sunday 23:59:59
  EXPECT_EQ(weekday_of(-1), 2u);                             // 1969-12-31 was a Wednesday
}

TEST(Time, GridCells) {
  const TimeGrid g{1711929600, 3600, 720};
  EXPECT_EQ(g.end_s(), 1711929600 + 720 * 3600);
  EXPECT_EQ(g.cell_of(1711929600), 0);
  EXPECT_EQ(g.cell_of(1711929600 + 3599), 0);
  EXPECT_EQ(g.cell_of(1711929600 + 3600), 1);
  EXPECT_EQ(g.cell_of(1711929600 - 1), -1); // floor, not truncation
  EXPECT_TRUE(is_supported_step(300));
  EXPECT_TRUE(is_supported_step(900));
  EXPECT_TRUE(is_supported_step(1800));
  EXPECT_TRUE(is_supported_step(3600));
  EXPECT_FALSE(is_supported_step(600));
}

} // namespace
} // namespace cfsim
