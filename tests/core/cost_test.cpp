// Cost model (DESIGN §5). Billing rules: EC2 per-second billing with a 60-second minimum per
// start (aws.amazon.com/ec2/pricing, "Per Second Billing"); EBS per GB-month over 730 h
// (aws.amazon.com/ebs/pricing). Every expected value is worked by hand in the comment above it.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cfsim/cost.hpp"
#include "cfsim/error.hpp"

namespace cfsim {
namespace {

constexpr TimeS kT0 = 1704067200; // 2024-01-01T00:00:00Z
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class E, class F> std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return {};
}

TEST(Cost, BilledSecondsHasASixtySecondMinimum) {
  EXPECT_EQ(billed_seconds(0), 0);
  EXPECT_EQ(billed_seconds(1), 60);
  EXPECT_EQ(billed_seconds(30), 60);
  EXPECT_EQ(billed_seconds(60), 60);
  EXPECT_EQ(billed_seconds(61), 61);
  EXPECT_EQ(billed_seconds(3600), 3600);
  EXPECT_THROW(billed_seconds(-1), ConfigError);
}

// A 30 s run of an m5.large (0.096 $/h) is billed 60 s: 60 × 0.096 / 3600 = 0.0016 $.
TEST(Cost, ThirtySecondSpanIsBilledOneMinute) {
  EXPECT_NEAR(running_cost_usd({{kT0, kT0 + 30}}, 0.096), 0.0016, 1e-15);
}

// Three starts at 0.36 $/h (0.0001 $/s): 30 s → 60, 90 s → 90, 3600 s → 3600; 3750 s = 0.375 $.
// Merging the spans (3720 s = 0.372 $) or billing one minimum would give a different answer.
TEST(Cost, EachSpanIsBilledSeparately) {
  const std::vector<Interval> spans{
      {kT0, kT0 + 30}, {kT0 + 100, kT0 + 190}, {kT0 + 1000, kT0 + 4600}};
  EXPECT_NEAR(running_cost_usd(spans, 0.36), 0.375, 1e-12);
  EXPECT_EQ(running_cost_usd({}, 0.36), 0.0);
  EXPECT_EQ(running_cost_usd({{kT0, kT0}}, 0.36), 0.0); // never started: nothing billed
  EXPECT_THROW(running_cost_usd({{kT0 + 10, kT0}}, 0.36), ConfigError);
  EXPECT_THROW(running_cost_usd(spans, -0.1), ConfigError);
}

// 100 GB gp3 in eu-central-1 (0.0952 $/GB-month) for a 730 h month: 100 × 0.0952 = 9.52 $;
// for half of it (365 h, e.g. while the instance is stopped) 4.76 $.
TEST(Cost, EbsIsBilledPerGbMonthOver730Hours) {
  EXPECT_NEAR(ebs_cost_usd(100.0, 0.0952, 730.0), 9.52, 1e-12);
  EXPECT_NEAR(ebs_cost_usd(100.0, 0.0952, 365.0), 4.76, 1e-12);
  EXPECT_THROW(ebs_cost_usd(-1.0, 0.0952, 730.0), ConfigError);
}

// 2 reserved instances at an effective 0.06 $/h over a 30-day month (720 h), used or not:
// 2 × 0.06 × 720 = 86.4 $.
TEST(Cost, ReservedIsPaidForEveryHour) {
  EXPECT_NEAR(reserved_cost_usd(2, 0.06, 720.0), 86.4, 1e-12);
  EXPECT_EQ(reserved_cost_usd(0, 0.06, 720.0), 0.0);
  EXPECT_THROW(reserved_cost_usd(-1, 0.06, 720.0), ConfigError);
}

// Hourly grid from 2024-01-01T00:00Z, spot prices 0.036, 0.072, missing (0.00001 and 0.00002 $/s).
//   span A [00:50, 01:10): 600 s × 0.00001 + 600 s × 0.00002 = 0.006 + 0.012 = 0.018 $
//   span B [00:59:50, 01:00:10): 10 s × 0.00001 + 10 s × 0.00002 = 0.0003 $, plus the 40 s left
//   of the minimum at the price where it started: 40 × 0.00001 = 0.0004 $ → 0.0007 $.
TEST(Cost, SpotBillsEachSecondAtItsCellPrice) {
  const TimeGrid grid{kT0, 3600, 3};
  const std::vector<double> prices{0.036, 0.072, kNaN};
  EXPECT_NEAR(spot_cost_usd({{kT0 + 3000, kT0 + 4200}}, grid, prices), 0.018, 1e-15);
  EXPECT_NEAR(spot_cost_usd({{kT0 + 3590, kT0 + 3610}}, grid, prices), 0.0007, 1e-15);
  EXPECT_NEAR(spot_cost_usd({{kT0 + 3000, kT0 + 4200}, {kT0 + 3590, kT0 + 3610}}, grid, prices),
              0.0187, 1e-15);
  // A span ending exactly at a cell boundary does not touch the next (missing) cell.
  EXPECT_NEAR(spot_cost_usd({{kT0 + 3600, kT0 + 7200}}, grid, prices), 0.072, 1e-15);
}

// A missing price is missing data (TraceError naming the time), never a zero or an average.
TEST(Cost, SpotMissingPriceIsATraceErrorNamingTheTime) {
  const TimeGrid grid{kT0, 3600, 3};
  const std::vector<double> prices{0.036, 0.072, kNaN};
  const std::string msg = message_of<TraceError>([&] {
    spot_cost_usd({{kT0 + 7000, kT0 + 7300}}, grid, prices);
  });
  EXPECT_NE(msg.find("2024-01-01T02:00:00Z"), std::string::npos) << msg;
}

TEST(Cost, SpotOutsideTheGridOrMismatchedTraceIsAConfigError) {
  const TimeGrid grid{kT0, 3600, 2};
  const std::vector<double> prices{0.036, 0.072};
  const std::string after = message_of<ConfigError>([&] {
    spot_cost_usd({{kT0 + 7100, kT0 + 7300}}, grid, prices);
  });
  EXPECT_NE(after.find("2024-01-01T02:00:00Z"), std::string::npos) << after;
  EXPECT_THROW(spot_cost_usd({{kT0 - 10, kT0 + 10}}, grid, prices), ConfigError);
  EXPECT_THROW(spot_cost_usd({{kT0, kT0 + 10}}, grid, {0.036}), ConfigError);
  EXPECT_EQ(spot_cost_usd({{kT0 + 50, kT0 + 50}}, grid, prices), 0.0);
}

} // namespace
} // namespace cfsim
