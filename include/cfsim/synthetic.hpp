// Seeded synthetic traces: carbon intensity with named zone profiles, and spot prices.
// Deterministic for a seed on every platform (own distribution code, DESIGN §2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cfsim/series.hpp"

namespace cfsim {

// A zone profile: intensity = mean + diurnal + weekly + noise (g/kWh), clipped at `floor`.
struct ZoneProfile {
  std::string zone;
  double mean_g_per_kwh = 0;
  double diurnal_amplitude = 0; // peak-to-mean of the daily cycle
  double diurnal_peak_hour_utc = 0;
  double weekend_drop = 0; // subtracted on Saturday and Sunday (UTC)
  double noise_sd = 0;     // hourly AR(1) noise standard deviation
  double noise_ar1 = 0.8;  // AR(1) coefficient of the noise
  double floor_g_per_kwh = 5;
};

// Built-in profiles, named by zone ("DE", "FR", "IE", ...); throws ConfigError listing them.
const ZoneProfile& zone_profile(const std::string& zone);
std::vector<std::string> zone_profile_names();

struct SyntheticTraceParams {
  std::string zone = "DE";
  TimeGrid grid;
  // Gaps to exercise No-Fallback: `gap_count` gaps of `gap_length_s`, placed by the seed.
  int gap_count = 0;
  TimeS gap_length_s = 0;
};
RawSeries synthetic_intensity(const SyntheticTraceParams& p, std::uint64_t seed);

// Spot price as a fraction of on-demand: mean_fraction with AR(1) hourly noise, in [0.1, 1].
struct SpotPriceParams {
  TimeGrid grid;
  double on_demand_usd_per_h = 0;
  double mean_fraction = 0.35;
  double noise_sd = 0.03;
};
RawSeries synthetic_spot_price(const SpotPriceParams& p, std::uint64_t seed);

} // namespace cfsim
