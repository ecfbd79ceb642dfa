#include "cfsim/stats.hpp"

#include <gtest/gtest.h>

namespace cfsim {

// Known answers of numpy.percentile (method "linear"): position pct/100 × (n − 1) in the sorted
// values, linear between neighbours. [1,2,3,4] at 30: position 0.9 → 1 + 0.9 × 1 = 1.9.
TEST(PercentileLinear, MatchesNumpyLinearMethod) {
  EXPECT_DOUBLE_EQ(*percentile_linear({4, 1, 3, 2}, 30), 1.9);
  EXPECT_DOUBLE_EQ(*percentile_linear({10, 20}, 50), 15.0);
  EXPECT_DOUBLE_EQ(*percentile_linear({3, 1, 2}, 100), 3.0);
  EXPECT_DOUBLE_EQ(*percentile_linear({3, 1, 2}, 0), 1.0);
  EXPECT_DOUBLE_EQ(*percentile_linear({7}, 95), 7.0);
  // 5 values at 95: position 3.8 → 40 + 0.8 × (50 − 40) = 48.
  EXPECT_DOUBLE_EQ(*percentile_linear({10, 20, 30, 40, 50}, 95), 48.0);
}

TEST(PercentileLinear, EmptyHasNoPercentile) {
  EXPECT_FALSE(percentile_linear({}, 50).has_value());
}

} // namespace cfsim
