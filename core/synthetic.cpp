// Seeded synthetic traces (docs/synthetic-traces.md gives the model, the profile table and
// where every number comes from).
//
// Intensity of a grid cell starting at t (UTC):
//   mean + A·cos(2π(h(t) − peak)/24) − weekend_drop·[Sat/Sun] + noise(hour of t),
// clipped below at the zone's floor, where h(t) is the fractional UTC hour of day of the cell
// start. The noise is a stationary AR(1) process with one value per UTC hour; a sub-hourly
// cell holds the value of the hour it starts in, so the same seed gives the same hourly noise
// at every grid step. What this model leaves out: seasons (a profile describes one month-like
// regime), holidays, multi-day weather fronts beyond what the AR(1) memory gives, and any
// correlation between zones.
#include "cfsim/synthetic.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string_view>

#include "cfsim/error.hpp"
#include "cfsim/rng.hpp"

namespace cfsim {

namespace {

constexpr TimeS kHourS = 3600;
constexpr TimeS kDayS = 86400;

// Weekday level such that the mean over a whole week equals `weekly_mean` (Saturday and Sunday
// are `drop` lower, 2 days in 7).
ZoneProfile profile(const char* zone, double weekly_mean, double amplitude, double peak_hour,
                    double drop, double noise_sd, double ar1, double floor) {
  ZoneProfile p;
  p.zone = zone;
  p.mean_g_per_kwh = weekly_mean + drop * 2.0 / 7.0;
  p.diurnal_amplitude = amplitude;
  p.diurnal_peak_hour_utc = peak_hour;
  p.weekend_drop = drop;
  p.noise_sd = noise_sd;
  p.noise_ar1 = ar1;
  p.floor_g_per_kwh = floor;
  return p;
}

// The one table of built-in profiles (sorted by name). Weekly means are Electricity Maps 2022
// annual means of the hourly lifecycle intensity (Sukprasert et al., EuroSys 2024,
// shared/data/em-portal/mean_stats_eurosys24.csv), except SE (see the docs). Shape parameters
// are rounded monthly medians fitted to the recorded hourly traces in shared/data; PL and
// US-MIDA-PJM have no hourly trace there and their shapes are stated assumptions.
const std::vector<ZoneProfile>& profiles() {
  static const std::vector<ZoneProfile> table = {
      // zone, weekly mean, diurnal amplitude, peak hour UTC, weekend drop, noise sd, AR(1), floor
      profile("DE", 481.0, 28.0, 22.0, 30.0, 75.0, 0.96, 140.0),
      profile("ES", 211.0, 35.0, 0.0, 20.0, 45.0, 0.965, 60.0),
      profile("FR", 99.0, 3.0, 22.0, 10.0, 15.0, 0.93, 25.0),
      profile("GB", 235.0, 27.0, 17.0, 25.0, 57.0, 0.96, 65.0),
      profile("IE", 397.0, 12.0, 16.0, 10.0, 95.0, 0.85, 110.0),
      profile("PL", 819.0, 40.0, 18.0, 25.0, 50.0, 0.96, 500.0),
      profile("SE", 38.0, 2.0, 12.0, 1.0, 5.0, 0.94, 15.0),
      profile("US-CAL-CISO", 264.0, 70.0, 7.5, 15.0, 38.0, 0.88, 80.0),
      profile("US-MIDA-PJM", 425.0, 20.0, 23.0, 10.0, 35.0, 0.95, 250.0),
      profile("flat", 300.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0),
  };
  return table;
}

// FNV-1a (64 bit) of a label: a platform-independent way to give each zone its own stream.
std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

TimeS floor_div(TimeS a, TimeS b) {
  const TimeS q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void check_grid(const TimeGrid& g, const char* what) {
  if (g.step_s <= 0) {
    throw ConfigError(std::string(what) + ": grid step_s = " + std::to_string(g.step_s) +
                      " must be > 0");
  }
  if (g.n < 0) {
    throw ConfigError(std::string(what) + ": grid n = " + std::to_string(g.n) + " must be >= 0");
  }
}

// Stationary AR(1) noise with one value per UTC hour: x' = φ·x + σ·sqrt(1 − φ²)·ε, started
// from its stationary distribution N(0, σ²), so `sd` is the marginal standard deviation of the
// noise (the quantity measured on recorded traces), whatever φ is.
class HourlyAr1 {
public:
  HourlyAr1(Rng& rng, double sd, double phi, TimeS first_hour)
      : rng_(rng), phi_(phi), innovation_sd_(sd * std::sqrt(1.0 - phi * phi)), hour_(first_hour),
        value_(sd * rng.normal()) {}

  // The noise of UTC hour index `hour` (hours since the epoch); hours never go backwards.
  double at(TimeS hour) {
    CFSIM_CHECK(hour >= hour_, "AR(1) noise is evaluated in time order");
    while (hour_ < hour) {
      value_ = phi_ * value_ + innovation_sd_ * rng_.normal();
      ++hour_;
    }
    return value_;
  }

private:
  Rng& rng_;
  double phi_;
  double innovation_sd_;
  TimeS hour_;
  double value_;
};

// Cell indices where gaps start: `count` runs of `len` cells inside [0, n), each pair separated
// by at least one present cell (so that exactly `count` gaps are visible), uniform over all
// such placements. There are F = n − count·len − (count − 1) spare cells; a placement is a
// choice of `count` of the F + count slots (stars and bars), drawn by selection sampling
// (Knuth, TAOCP vol. 2, Algorithm 3.4.2 S), which yields them already sorted.
std::vector<std::int64_t> place_gaps(Rng& rng, std::int64_t n, std::int64_t count,
                                     std::int64_t len) {
  std::vector<std::int64_t> starts;
  if (count == 0)
    return starts;
  const std::int64_t spare = n - count * len - (count - 1);
  const std::int64_t slots = spare + count;
  std::int64_t chosen = 0;
  for (std::int64_t y = 0; y < slots && chosen < count; ++y) {
    if (rng.uniform_int(0, slots - y - 1) < count - chosen) {
      // The chosen-th slot y becomes gap start (y − chosen) + chosen·(len + 1).
      starts.push_back(y - chosen + chosen * (len + 1));
      ++chosen;
    }
  }
  CFSIM_CHECK(chosen == count, "selection sampling picks exactly `count` slots");
  return starts;
}

std::string seed_origin(std::uint64_t seed) {
  return "synthetic(seed=" + std::to_string(seed) + ")";
}

} // namespace

const ZoneProfile& zone_profile(const std::string& zone) {
  for (const ZoneProfile& p : profiles()) {
    if (p.zone == zone)
      return p;
  }
  std::string valid;
  for (const std::string& name : zone_profile_names()) {
    valid += (valid.empty() ? "" : ", ") + name;
  }
  throw ConfigError("unknown synthetic zone profile '" + zone + "'. Valid values are: " + valid +
                    ".");
}

std::vector<std::string> zone_profile_names() {
  std::vector<std::string> names;
  for (const ZoneProfile& p : profiles())
    names.push_back(p.zone);
  return names;
}

RawSeries synthetic_intensity(const SyntheticTraceParams& p, std::uint64_t seed) {
  const ZoneProfile& z = zone_profile(p.zone);
  const TimeGrid& g = p.grid;
  check_grid(g, "synthetic_intensity");

  // Gaps, validated before anything is generated.
  if (p.gap_count < 0) {
    throw ConfigError("synthetic_intensity: gap_count = " + std::to_string(p.gap_count) +
                      " must be >= 0");
  }
  std::int64_t gap_cells = 0;
  if (p.gap_count > 0) {
    if (p.gap_length_s <= 0 || p.gap_length_s % g.step_s != 0) {
      throw ConfigError("synthetic_intensity: gap_length_s = " + std::to_string(p.gap_length_s) +
                        " must be a positive multiple of the grid step (" +
                        std::to_string(g.step_s) + " s)");
    }
    gap_cells = p.gap_length_s / g.step_s;
    const std::int64_t needed = p.gap_count * gap_cells + (p.gap_count - 1);
    if (needed > g.n) {
      throw ConfigError("synthetic_intensity: " + std::to_string(p.gap_count) + " gaps of " +
                        std::to_string(gap_cells) +
                        " cells, with a present cell between them, need " + std::to_string(needed) +
                        " cells; the grid has " + std::to_string(g.n));
    }
  }

  // Independent streams per zone: noise and gap placement never influence each other, so
  // adding gaps does not change the values of the cells that remain.
  Rng noise_rng(seed, fnv1a64("cfsim.synthetic.intensity.noise:" + z.zone));
  Rng gap_rng(seed, fnv1a64("cfsim.synthetic.intensity.gaps:" + z.zone));
  const std::vector<std::int64_t> gaps = place_gaps(gap_rng, g.n, p.gap_count, gap_cells);

  RawSeries out;
  out.provenance.zone = z.zone;
  out.provenance.signal = SignalKind::average;
  out.provenance.basis = EmissionBasis::lifecycle;
  out.provenance.source = "synthetic:" + z.zone;
  out.provenance.origin = seed_origin(seed);
  out.provenance.sha256 = "";
  out.provenance.units = "g kW-1 h-1";
  out.provenance.fill_policy = "none";
  const auto present = static_cast<std::size_t>(g.n - p.gap_count * gap_cells);
  out.start_s.reserve(present);
  out.end_s.reserve(present);
  out.value.reserve(present);
  out.quality.reserve(present);

  HourlyAr1 noise(noise_rng, z.noise_sd, z.noise_ar1, floor_div(g.start_s, kHourS));
  const double two_pi = 2.0 * std::numbers::pi;
  std::size_t next_gap = 0;
  for (std::int64_t i = 0; i < g.n; ++i) {
    const TimeS t = g.cell_start(i);
    // Noise advances every hour, gap or not: a gap hides values, it does not shift later ones.
    const double eps = noise.at(floor_div(t, kHourS));
    if (next_gap < gaps.size() && i >= gaps[next_gap]) {
      if (i < gaps[next_gap] + gap_cells)
        continue;
      ++next_gap;
    }
    const double hour_of_day = static_cast<double>(t - floor_div(t, kDayS) * kDayS) / 3600.0;
    const bool weekend = weekday_of(t) >= 5;
    const double v =
        z.mean_g_per_kwh +
        z.diurnal_amplitude * std::cos(two_pi * (hour_of_day - z.diurnal_peak_hour_utc) / 24.0) -
        (weekend ? z.weekend_drop : 0.0) + eps;
    out.push(t, t + g.step_s, std::max(v, z.floor_g_per_kwh), Quality::measured);
  }
  return out;
}

RawSeries synthetic_spot_price(const SpotPriceParams& p, std::uint64_t seed) {
  const TimeGrid& g = p.grid;
  check_grid(g, "synthetic_spot_price");
  if (!(p.on_demand_usd_per_h > 0.0) || !std::isfinite(p.on_demand_usd_per_h)) {
    throw ConfigError("synthetic_spot_price: on_demand_usd_per_h = " +
                      std::to_string(p.on_demand_usd_per_h) + " must be a finite value > 0");
  }
  if (!(p.mean_fraction >= 0.1 && p.mean_fraction <= 1.0)) {
    throw ConfigError("synthetic_spot_price: mean_fraction = " + std::to_string(p.mean_fraction) +
                      " must be in [0.1, 1]");
  }
  if (!(p.noise_sd >= 0.0) || !std::isfinite(p.noise_sd)) {
    throw ConfigError("synthetic_spot_price: noise_sd = " + std::to_string(p.noise_sd) +
                      " must be a finite value >= 0");
  }

  // AWS has smoothed spot prices since 2017: they move a few times a day, not every hour, so
  // the hourly noise is strongly autocorrelated. φ = 0.95 gives a correlation time of ~20 h.
  constexpr double kSpotAr1 = 0.95;
  Rng rng(seed, fnv1a64("cfsim.synthetic.spot.noise"));
  HourlyAr1 noise(rng, p.noise_sd, kSpotAr1, floor_div(g.start_s, kHourS));

  RawSeries out;
  out.provenance.zone = "";
  out.provenance.signal = SignalKind::price;
  out.provenance.basis = EmissionBasis::none;
  out.provenance.source = "synthetic:spot";
  out.provenance.origin = seed_origin(seed);
  out.provenance.sha256 = "";
  out.provenance.units = "USD h-1";
  out.provenance.fill_policy = "none";
  const auto n = static_cast<std::size_t>(g.n);
  out.start_s.reserve(n);
  out.end_s.reserve(n);
  out.value.reserve(n);
  out.quality.reserve(n);
  for (std::int64_t i = 0; i < g.n; ++i) {
    const TimeS t = g.cell_start(i);
    const double fraction = std::clamp(p.mean_fraction + noise.at(floor_div(t, kHourS)), 0.1, 1.0);
    out.push(t, t + g.step_s, p.on_demand_usd_per_h * fraction, Quality::measured);
  }
  return out;
}

} // namespace cfsim
