// Tests of the seeded synthetic inputs: zone-profile intensity traces, spot prices, and the
// batch-job generator (plus Utilisation::at). Pure core: nothing touches the disk.
//
// Statistical tests use fixed seeds, so they are deterministic; their tolerances are several
// standard errors of the tested estimator, computed from the model so that a correct
// implementation would pass for essentially any seed.
#include "cfsim/synthetic.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/series.hpp"
#include "cfsim/time.hpp"
#include "cfsim/workload.hpp"

namespace {

using cfsim::ConfigError;
using cfsim::Quality;
using cfsim::RawSeries;
using cfsim::SyntheticTraceParams;
using cfsim::TimeGrid;
using cfsim::TimeS;

// 2024-01-01T00:00:00Z, a Monday (`date -u -d 2024-01-01 +%s%A` → 1704067200Monday).
constexpr TimeS kJan2024 = 1704067200;
constexpr std::int64_t kMonthH = 30 * 24;
// 1–30 January 2024 has 8 weekend days: the 6th, 7th, 13th, 14th, 20th, 21st, 27th and 28th.
constexpr double kWeekendShareJan = 8.0 / 30.0;

TimeGrid month_grid(TimeS step_s = 3600) {
  return TimeGrid{kJan2024, step_s, 30 * 86400 / step_s};
}

RawSeries trace(const std::string& zone, std::uint64_t seed, TimeGrid grid = month_grid(),
                int gap_count = 0, TimeS gap_length_s = 0) {
  SyntheticTraceParams p;
  p.zone = zone;
  p.grid = grid;
  p.gap_count = gap_count;
  p.gap_length_s = gap_length_s;
  return cfsim::synthetic_intensity(p, seed);
}

// Standard deviation of the mean of n consecutive values of a stationary AR(1) process with
// marginal sd `sd` and coefficient phi: Var = sd²/n · (1 + 2 Σ_{k=1}^{n-1} (1 − k/n) phi^k).
double ar1_mean_se(double sd, double phi, std::int64_t n) {
  double s = 1.0;
  double pk = 1.0;
  for (std::int64_t k = 1; k < n; ++k) {
    pk *= phi;
    s += 2.0 * (1.0 - static_cast<double>(k) / static_cast<double>(n)) * pk;
  }
  return sd * std::sqrt(s / static_cast<double>(n));
}

// Peak hour of the first harmonic of 24 hour-of-day means (hours, in [0, 24)).
double first_harmonic_peak_hour(const std::vector<double>& by_hour) {
  double c = 0.0;
  double s = 0.0;
  for (std::size_t h = 0; h < 24; ++h) {
    const double a = 2.0 * std::numbers::pi * static_cast<double>(h) / 24.0;
    c += by_hour[h] * std::cos(a);
    s += by_hour[h] * std::sin(a);
  }
  const double peak = std::atan2(s, c) * 24.0 / (2.0 * std::numbers::pi);
  return peak < 0.0 ? peak + 24.0 : peak;
}

// ---------------------------------------------------------------------------------------------
// Profiles

// The required zones exist, each under its own name; an unknown name is a ConfigError that
// lists every valid name (DESIGN §3: errors name the valid choices).
TEST(SyntheticProfiles, NamesAndUnknownZone) {
  const std::vector<std::string> names = cfsim::zone_profile_names();
  for (const char* z :
       {"DE", "FR", "GB", "IE", "SE", "ES", "PL", "US-CAL-CISO", "US-MIDA-PJM", "flat"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), z), names.end()) << z;
  }
  for (const std::string& z : names)
    EXPECT_EQ(cfsim::zone_profile(z).zone, z);
  try {
    (void)cfsim::zone_profile("XX");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'XX'"), std::string::npos) << msg;
    for (const std::string& z : names)
      EXPECT_NE(msg.find(z), std::string::npos) << msg;
  }
  EXPECT_THROW(trace("de", 1), ConfigError); // names are case-sensitive zone keys
}

// The weekly mean of a profile (weekday level − 2/7 of the weekend drop) is the published
// Electricity Maps 2022 annual mean (Sukprasert et al., EuroSys 2024; mean_stats_eurosys24.csv:
// DE 481.45, FR 99.45, US-CAL-CISO 264.23, PL 819.20 g/kWh), rounded to whole grams.
TEST(SyntheticProfiles, WeeklyMeansArePublishedAnnualMeans) {
  auto weekly = [](const char* z) {
    const cfsim::ZoneProfile& p = cfsim::zone_profile(z);
    return p.mean_g_per_kwh - p.weekend_drop * 2.0 / 7.0;
  };
  EXPECT_NEAR(weekly("DE"), 481.45, 1.0);
  EXPECT_NEAR(weekly("FR"), 99.45, 1.0);
  EXPECT_NEAR(weekly("US-CAL-CISO"), 264.23, 1.0);
  EXPECT_NEAR(weekly("PL"), 819.20, 1.0);
  // California's daily peak is at night (UTC morning) and its trough at solar noon (~20 UTC).
  EXPECT_GE(cfsim::zone_profile("US-CAL-CISO").diurnal_peak_hour_utc, 6.0);
  EXPECT_LE(cfsim::zone_profile("US-CAL-CISO").diurnal_peak_hour_utc, 9.0);
}

// ---------------------------------------------------------------------------------------------
// Intensity traces

// One sample per grid cell, [cell start, cell end), all measured, with the provenance the
// contract states.
TEST(SyntheticIntensity, OneSamplePerCellWithProvenance) {
  const TimeGrid g = month_grid();
  const RawSeries s = trace("DE", 7);
  ASSERT_EQ(s.size(), static_cast<std::size_t>(kMonthH));
  ASSERT_EQ(s.start_s.size(), s.size());
  ASSERT_EQ(s.end_s.size(), s.size());
  ASSERT_EQ(s.quality.size(), s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s.start_s[i], g.cell_start(static_cast<std::int64_t>(i)));
    EXPECT_EQ(s.end_s[i], s.start_s[i] + 3600);
    EXPECT_EQ(s.quality[i], Quality::measured);
    EXPECT_TRUE(std::isfinite(s.value[i]));
  }
  EXPECT_EQ(s.start_s.front(), kJan2024);
  EXPECT_EQ(s.end_s.back(), g.end_s());
  EXPECT_EQ(s.provenance.zone, "DE");
  EXPECT_EQ(s.provenance.signal, cfsim::SignalKind::average);
  EXPECT_EQ(s.provenance.basis, cfsim::EmissionBasis::lifecycle);
  EXPECT_EQ(s.provenance.source, "synthetic:DE");
  EXPECT_EQ(s.provenance.units, "g kW-1 h-1");
  EXPECT_EQ(s.provenance.sha256, "");
  EXPECT_EQ(s.provenance.origin, "synthetic(seed=7)");
  EXPECT_EQ(trace("DE", 0, TimeGrid{kJan2024, 3600, 0}).size(), 0U); // an empty grid is valid
}

// The "flat" profile has no cycle, no weekend drop and no noise: every value is exactly its
// mean, 300 g/kWh (hand computation: 300 + 0·cos(..) − 0 + 0·ε).
TEST(SyntheticIntensity, FlatProfileIsExactlyItsMean) {
  const RawSeries s = trace("flat", 123);
  ASSERT_EQ(s.size(), static_cast<std::size_t>(kMonthH));
  for (const double v : s.value)
    EXPECT_EQ(v, 300.0);
}

// Same params and seed ⇒ identical values; another seed or another zone ⇒ other noise.
TEST(SyntheticIntensity, DeterministicPerSeed) {
  const RawSeries a = trace("GB", 42);
  const RawSeries b = trace("GB", 42);
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.start_s, b.start_s);
  EXPECT_NE(trace("GB", 43).value, a.value);

  // Zones get independent noise streams: standardised noise of DE and PL differ for one seed.
  auto noise = [](const std::string& zone) {
    const cfsim::ZoneProfile& p = cfsim::zone_profile(zone);
    const RawSeries s = trace(zone, 42);
    std::vector<double> eps;
    for (std::size_t i = 0; i < 24; ++i) { // Monday: no weekend term
      const double h = static_cast<double>(i);
      const double det =
          p.mean_g_per_kwh + p.diurnal_amplitude * std::cos(2.0 * std::numbers::pi *
                                                            (h - p.diurnal_peak_hour_utc) / 24.0);
      eps.push_back(std::round((s.value[i] - det) / p.noise_sd * 1e6));
    }
    return eps;
  };
  EXPECT_NE(noise("DE"), noise("PL"));
}

// The 30-day mean matches the profile: E[value] = weekday mean − drop × weekend share (the
// diurnal cosine averages to 0 over whole days). Averaged over 20 seeds, the standard error is
// the AR(1) SE of a 720-hour mean / sqrt(20); we allow 4 SE (plus 1 g for floor clipping).
TEST(SyntheticIntensity, ThirtyDayMeanMatchesProfile) {
  for (const char* zone : {"DE", "GB", "US-CAL-CISO"}) {
    const cfsim::ZoneProfile& p = cfsim::zone_profile(zone);
    const int seeds = 20;
    double sum = 0.0;
    for (int seed = 0; seed < seeds; ++seed) {
      const RawSeries s = trace(zone, static_cast<std::uint64_t>(seed));
      for (const double v : s.value)
        sum += v;
    }
    const double mean = sum / (seeds * static_cast<double>(kMonthH));
    const double expected = p.mean_g_per_kwh - p.weekend_drop * kWeekendShareJan;
    const double se = ar1_mean_se(p.noise_sd, p.noise_ar1, kMonthH) / std::sqrt(seeds);
    EXPECT_NEAR(mean, expected, 4.0 * se + 1.0) << zone;
  }
}

// Averaged by UTC hour of day (20 seeds × 30 days), the first harmonic peaks at the profile's
// stated hour (±0.5 h); for California the highest hour is the night (7 or 8 UTC for a peak at
// 7.5) and the lowest is solar noon (19 or 20 UTC), as in the recorded CAISO traces.
TEST(SyntheticIntensity, DiurnalPeakAtStatedHour) {
  for (const char* zone : {"US-CAL-CISO", "DE", "GB"}) {
    const cfsim::ZoneProfile& p = cfsim::zone_profile(zone);
    std::vector<double> by_hour(24, 0.0);
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      const RawSeries s = trace(zone, seed);
      for (std::size_t i = 0; i < s.size(); ++i)
        by_hour[i % 24] += s.value[i];
    }
    const double peak = first_harmonic_peak_hour(by_hour);
    double diff = std::fabs(peak - p.diurnal_peak_hour_utc);
    diff = std::min(diff, 24.0 - diff);
    EXPECT_LT(diff, 0.5) << zone << " peak " << peak;
    if (std::string(zone) == "US-CAL-CISO") {
      const auto hi = std::max_element(by_hour.begin(), by_hour.end()) - by_hour.begin();
      const auto lo = std::min_element(by_hour.begin(), by_hour.end()) - by_hour.begin();
      EXPECT_TRUE(hi == 7 || hi == 8) << hi;
      EXPECT_TRUE(lo == 19 || lo == 20) << lo;
    }
  }
}

// Weekend days are lower by the profile's drop. Over 100 seeds the difference of the weekday
// and weekend means has an SE of about 3.4 g for GB (AR(1) SE of 528 h and 192 h means,
// combined over seeds); we allow 4 SE around the profile's 25 g drop.
TEST(SyntheticIntensity, WeekendLower) {
  const cfsim::ZoneProfile& p = cfsim::zone_profile("GB");
  double weekday = 0.0;
  double weekend = 0.0;
  std::int64_t n_weekday = 0;
  std::int64_t n_weekend = 0;
  const int seeds = 100;
  for (int seed = 0; seed < seeds; ++seed) {
    const RawSeries s = trace("GB", static_cast<std::uint64_t>(seed));
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (cfsim::weekday_of(s.start_s[i]) >= 5) {
        weekend += s.value[i];
        ++n_weekend;
      } else {
        weekday += s.value[i];
        ++n_weekday;
      }
    }
  }
  ASSERT_EQ(n_weekend, seeds * 8 * 24);
  const double diff =
      weekday / static_cast<double>(n_weekday) - weekend / static_cast<double>(n_weekend);
  const double se = std::hypot(ar1_mean_se(p.noise_sd, p.noise_ar1, 22 * 24),
                               ar1_mean_se(p.noise_sd, p.noise_ar1, 8 * 24)) /
                    std::sqrt(seeds);
  EXPECT_GT(diff, 0.0);
  EXPECT_NEAR(diff, p.weekend_drop, 4.0 * se) << "se " << se;
}

// Values are clipped below at the zone's floor. Ireland's floor (110 g) is 3 noise sds below
// its mean, so over 50 months some hours sit exactly at the floor: the clip is exercised.
TEST(SyntheticIntensity, ValuesNeverBelowFloor) {
  const cfsim::ZoneProfile& p = cfsim::zone_profile("IE");
  int at_floor = 0;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    for (const double v : trace("IE", seed).value) {
      ASSERT_GE(v, p.floor_g_per_kwh);
      at_floor += v == p.floor_g_per_kwh ? 1 : 0;
    }
  }
  EXPECT_GT(at_floor, 0);
  for (const std::string& zone : cfsim::zone_profile_names()) {
    for (const double v : trace(zone, 5).value)
      ASSERT_GE(v, cfsim::zone_profile(zone).floor_g_per_kwh);
  }
}

// The noise evolves per UTC hour and sub-hourly cells hold it, so a 15-min trace and an hourly
// trace of one seed agree exactly at every full hour (same formula, same hour's noise).
TEST(SyntheticIntensity, SubHourlyStepsHoldTheHourlyNoise) {
  const RawSeries hourly = trace("DE", 11);
  const RawSeries quarter = trace("DE", 11, month_grid(900));
  ASSERT_EQ(quarter.size(), static_cast<std::size_t>(kMonthH * 4));
  for (std::size_t i = 0; i < hourly.size(); ++i) {
    ASSERT_EQ(quarter.value[4 * i], hourly.value[i]) << i;
    EXPECT_EQ(quarter.end_s[4 * i], quarter.start_s[4 * i] + 900);
  }
  const RawSeries five = trace("US-CAL-CISO", 11, month_grid(300));
  EXPECT_EQ(five.size(), static_cast<std::size_t>(kMonthH * 12));
  // A grid starting mid-hour works too (noise of the hour it starts in).
  const RawSeries half = trace("US-CAL-CISO", 11, TimeGrid{kJan2024 + 1800, 1800, 10});
  EXPECT_EQ(half.start_s.front(), kJan2024 + 1800);
}

// Generation has no shared mutable state: four threads generating the same trace at once get
// the values of a sequential call, bit for bit.
TEST(SyntheticIntensity, SameValuesFromConcurrentThreads) {
  const TimeGrid g = month_grid(300);
  const RawSeries ref = trace("US-CAL-CISO", 31, g, 3, 3600);
  std::vector<RawSeries> out(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < out.size(); ++t) {
    threads.emplace_back([&out, &g, t] { out[t] = trace("US-CAL-CISO", 31, g, 3, 3600); });
  }
  for (std::thread& t : threads)
    t.join();
  for (const RawSeries& s : out) {
    EXPECT_EQ(s.value, ref.value);
    EXPECT_EQ(s.start_s, ref.start_s);
  }
}

TEST(SyntheticIntensity, InvalidGridIsConfigError) {
  EXPECT_THROW(trace("DE", 1, TimeGrid{kJan2024, 0, 10}), ConfigError);
  EXPECT_THROW(trace("DE", 1, TimeGrid{kJan2024, 3600, -1}), ConfigError);
}

// ---------------------------------------------------------------------------------------------
// Gaps (No-Fallback: a gap is absent, never a substituted value)

// gap_count gaps of gap_length_s leave exactly gap_count × gap_length_s uncovered; after
// resampling those cells have coverage 0 and NaN value, in exactly gap_count separate runs of
// gap_length_s / step cells; every other cell keeps the value it has without gaps.
TEST(SyntheticGaps, ExactlyTheGapsAreMissingAndStayAbsentAfterResample) {
  for (const TimeS step : {TimeS{3600}, TimeS{900}}) {
    const TimeGrid g = month_grid(step);
    const int gap_count = 5;
    const TimeS gap_length_s = 6 * 3600;
    const std::int64_t gap_cells = gap_length_s / step;
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      const RawSeries full = trace("DE", seed, g);
      const RawSeries s = trace("DE", seed, g, gap_count, gap_length_s);
      ASSERT_EQ(static_cast<std::int64_t>(s.size()), g.n - gap_count * gap_cells);
      TimeS covered = 0;
      for (std::size_t i = 0; i < s.size(); ++i)
        covered += s.end_s[i] - s.start_s[i];
      EXPECT_EQ(g.end_s() - g.start_s - covered, gap_count * gap_length_s);

      const cfsim::GridSeries r = cfsim::resample(s, g);
      int runs = 0;
      std::int64_t run_len = 0;
      std::size_t k = 0; // index into s
      for (std::int64_t i = 0; i < g.n; ++i) {
        const auto iu = static_cast<std::size_t>(i);
        if (r.coverage[iu] == 0.0) {
          EXPECT_TRUE(std::isnan(r.value[iu]));
          EXPECT_EQ(r.quality[iu], Quality::missing);
          if (run_len == 0)
            ++runs;
          ++run_len;
        } else {
          if (run_len != 0) {
            EXPECT_EQ(run_len, gap_cells);
          }
          run_len = 0;
          EXPECT_EQ(r.coverage[iu], 1.0);
          // gaps hide values, they do not shift them (resampling computes v·d/d: last-bit rounding)
          EXPECT_DOUBLE_EQ(r.value[iu], full.value[iu]);
          ASSERT_LT(k, s.size());
          EXPECT_EQ(s.start_s[k], g.cell_start(i));
          ++k;
        }
      }
      if (run_len != 0) {
        EXPECT_EQ(run_len, gap_cells);
      }
      EXPECT_EQ(runs, gap_count) << "seed " << seed << " step " << step;
    }
  }
}

// Gap positions come from the seed: ten seeds give more than one placement; the same seed
// always gives the same one.
TEST(SyntheticGaps, PlacementDependsOnSeed) {
  std::set<std::vector<TimeS>> placements;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    placements.insert(trace("FR", seed, month_grid(), 2, 3 * 3600).start_s);
  }
  EXPECT_GT(placements.size(), 1U);
  EXPECT_EQ(trace("FR", 3, month_grid(), 2, 3 * 3600).start_s,
            trace("FR", 3, month_grid(), 2, 3 * 3600).start_s);
}

// Gaps that cannot be placed are configuration errors, never silently shortened. Hand count:
// 4 gaps of 3 cells plus 3 separating cells need 15 cells.
TEST(SyntheticGaps, ImpossibleGapsAreConfigErrors) {
  EXPECT_THROW(trace("DE", 1, month_grid(), 1, 1800), ConfigError); // not a whole cell
  EXPECT_THROW(trace("DE", 1, month_grid(), 1, 0), ConfigError);
  EXPECT_THROW(trace("DE", 1, month_grid(), -1, 3600), ConfigError);
  const TimeGrid small{kJan2024, 3600, 14};
  EXPECT_THROW(trace("DE", 1, small, 4, 3 * 3600), ConfigError);
  const TimeGrid fits{kJan2024, 3600, 15};
  const RawSeries s = trace("DE", 1, fits, 4, 3 * 3600); // the only placement: 3 on, 1 off
  ASSERT_EQ(s.size(), 3U);
  EXPECT_EQ(s.start_s[0], kJan2024 + 3 * 3600);
  EXPECT_EQ(s.start_s[1], kJan2024 + 7 * 3600);
  EXPECT_EQ(s.start_s[2], kJan2024 + 11 * 3600);
}

// ---------------------------------------------------------------------------------------------
// Spot prices

cfsim::SpotPriceParams spot_params() {
  cfsim::SpotPriceParams p;
  p.grid = month_grid();
  p.on_demand_usd_per_h = 0.096; // m5.large, us-east-1 on-demand list price
  return p;
}

// One sample per cell, within [0.1, 1] × on-demand, with price provenance; deterministic.
TEST(SyntheticSpotPrice, BoundsUnitsAndDeterminism) {
  const cfsim::SpotPriceParams p = spot_params();
  const RawSeries s = cfsim::synthetic_spot_price(p, 9);
  ASSERT_EQ(s.size(), static_cast<std::size_t>(kMonthH));
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s.start_s[i], p.grid.cell_start(static_cast<std::int64_t>(i)));
    EXPECT_GE(s.value[i], 0.1 * p.on_demand_usd_per_h);
    EXPECT_LE(s.value[i], 1.0 * p.on_demand_usd_per_h);
    EXPECT_EQ(s.quality[i], Quality::measured);
  }
  EXPECT_EQ(s.provenance.units, "USD h-1");
  EXPECT_EQ(s.provenance.signal, cfsim::SignalKind::price);
  EXPECT_EQ(s.provenance.basis, cfsim::EmissionBasis::none);
  EXPECT_EQ(s.provenance.source, "synthetic:spot");
  EXPECT_EQ(s.provenance.origin, "synthetic(seed=9)");
  EXPECT_EQ(cfsim::synthetic_spot_price(p, 9).value, s.value);
  EXPECT_NE(cfsim::synthetic_spot_price(p, 10).value, s.value);
}

// Without noise the price is exactly on_demand × mean_fraction (hand computation:
// 0.096 × 0.35 = 0.0336); with noise its 30-day mean is near it (noise sd 0.03, AR(1) 0.95:
// SE of a 720-h mean ≈ 0.0074 of on-demand; 20 seeds, 4 SE); the clamp holds at 1.0.
TEST(SyntheticSpotPrice, MeanFractionAndClamp) {
  cfsim::SpotPriceParams p = spot_params();
  p.noise_sd = 0.0;
  for (const double v : cfsim::synthetic_spot_price(p, 1).value)
    EXPECT_EQ(v, 0.096 * 0.35);

  p.noise_sd = 0.03;
  double sum = 0.0;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    for (const double v : cfsim::synthetic_spot_price(p, seed).value)
      sum += v;
  }
  const double mean_fraction = sum / (20.0 * kMonthH) / p.on_demand_usd_per_h;
  EXPECT_NEAR(mean_fraction, 0.35, 4.0 * ar1_mean_se(0.03, 0.95, kMonthH) / std::sqrt(20.0));

  p.mean_fraction = 1.0;
  p.noise_sd = 0.1;
  const RawSeries top = cfsim::synthetic_spot_price(p, 2);
  EXPECT_EQ(*std::max_element(top.value.begin(), top.value.end()), p.on_demand_usd_per_h);
}

TEST(SyntheticSpotPrice, InvalidParamsAreConfigErrors) {
  cfsim::SpotPriceParams p = spot_params();
  p.on_demand_usd_per_h = 0.0;
  EXPECT_THROW(cfsim::synthetic_spot_price(p, 1), ConfigError);
  p = spot_params();
  p.mean_fraction = 1.5;
  EXPECT_THROW(cfsim::synthetic_spot_price(p, 1), ConfigError);
  p = spot_params();
  p.noise_sd = -0.1;
  EXPECT_THROW(cfsim::synthetic_spot_price(p, 1), ConfigError);
}

// ---------------------------------------------------------------------------------------------
// Batch jobs

cfsim::JobGeneratorParams job_params() {
  cfsim::JobGeneratorParams p;
  p.count = 1000;
  p.period_start_s = kJan2024;
  p.period_end_s = kJan2024 + 30 * 86400;
  return p; // durations 1–4 h in 15-min steps, 1–4 cpus, 12 h max wait (header defaults)
}

// count jobs, ids 0..count−1 in arrival order, arrivals whole seconds, sorted, inside the
// period, and every job finishes by period_end even if it waits its whole max_wait.
TEST(JobGenerator, CountSortedAndFitBeforeEnd) {
  const cfsim::JobGeneratorParams p = job_params();
  const std::vector<cfsim::Job> jobs = cfsim::generate_jobs(p, 1);
  ASSERT_EQ(jobs.size(), 1000U);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(jobs[i].id, static_cast<std::int64_t>(i));
    EXPECT_GE(jobs[i].arrival_s, p.period_start_s);
    EXPECT_LE(jobs[i].deadline_s(), p.period_end_s);
    EXPECT_EQ(jobs[i].max_wait_s, p.max_wait_s);
    if (i > 0) {
      EXPECT_LE(jobs[i - 1].arrival_s, jobs[i].arrival_s);
    }
  }
  // The tightest case: a period exactly one second longer than max duration + max wait.
  cfsim::JobGeneratorParams tight = p;
  tight.period_end_s = p.period_start_s + p.max_duration_s + p.max_wait_s + 1;
  for (const cfsim::Job& j : cfsim::generate_jobs(tight, 2)) {
    EXPECT_LE(j.deadline_s(), tight.period_end_s);
  }
  cfsim::JobGeneratorParams none = p;
  none.count = 0;
  EXPECT_TRUE(cfsim::generate_jobs(none, 1).empty());
}

// Durations are whole multiples of duration_step_s within [min, max], and every one of the
// (4 h − 1 h)/15 min + 1 = 13 allowed values occurs among 1000 jobs; cpus are whole numbers in
// [min, max] and each of 1..4 occurs.
TEST(JobGenerator, DurationsOnStepGridAndWholeCpus) {
  const cfsim::JobGeneratorParams p = job_params();
  std::set<TimeS> durations;
  std::set<double> cpus;
  for (const cfsim::Job& j : cfsim::generate_jobs(p, 3)) {
    EXPECT_EQ(j.duration_s % p.duration_step_s, 0);
    EXPECT_GE(j.duration_s, p.min_duration_s);
    EXPECT_LE(j.duration_s, p.max_duration_s);
    EXPECT_EQ(j.cpus, std::floor(j.cpus));
    EXPECT_GE(j.cpus, p.min_cpus);
    EXPECT_LE(j.cpus, p.max_cpus);
    durations.insert(j.duration_s);
    cpus.insert(j.cpus);
  }
  EXPECT_EQ(durations.size(), 13U);
  EXPECT_EQ(cpus.size(), 4U);
}

// The same seed reproduces the jobs exactly; another seed gives other jobs.
TEST(JobGenerator, ReproducibleForSeed) {
  const cfsim::JobGeneratorParams p = job_params();
  auto key = [](const std::vector<cfsim::Job>& jobs) {
    std::vector<std::int64_t> k;
    for (const cfsim::Job& j : jobs) {
      k.insert(k.end(), {j.id, j.arrival_s, j.duration_s, static_cast<std::int64_t>(j.cpus),
                         j.interruptible ? 1 : 0});
    }
    return k;
  };
  EXPECT_EQ(key(cfsim::generate_jobs(p, 77)), key(cfsim::generate_jobs(p, 77)));
  EXPECT_NE(key(cfsim::generate_jobs(p, 77)), key(cfsim::generate_jobs(p, 78)));
}

// Poisson arrivals conditioned on their count are uniform over the usable span
// (30 d − 4 h − 12 h = 2,534,400 s): with 10,000 jobs the share in the first half is 1/2
// (binomial SE 0.005) and the mean inter-arrival time is span/(count + 1) ≈ 253.4 s; the
// exponential inter-arrival times have a coefficient of variation of 1 (SE ≈ 0.01), unlike a
// regular or clustered process.
TEST(JobGenerator, PoissonArrivalsOverUsableSpan) {
  cfsim::JobGeneratorParams p = job_params();
  p.count = 10'000;
  const std::vector<cfsim::Job> jobs = cfsim::generate_jobs(p, 5);
  const TimeS span = p.period_end_s - p.period_start_s - p.max_duration_s - p.max_wait_s;
  ASSERT_EQ(span, 2'534'400);
  int first_half = 0;
  for (const cfsim::Job& j : jobs)
    first_half += j.arrival_s < p.period_start_s + span / 2 ? 1 : 0;
  EXPECT_NEAR(first_half / 10'000.0, 0.5, 0.025);
  std::vector<double> gaps;
  for (std::size_t i = 1; i < jobs.size(); ++i) {
    gaps.push_back(static_cast<double>(jobs[i].arrival_s - jobs[i - 1].arrival_s));
  }
  double mean = 0.0;
  for (const double g : gaps)
    mean += g;
  mean /= static_cast<double>(gaps.size());
  double var = 0.0;
  for (const double g : gaps)
    var += (g - mean) * (g - mean);
  var /= static_cast<double>(gaps.size() - 1);
  EXPECT_NEAR(mean, static_cast<double>(span) / 10'001.0, 10.0); // SE ≈ 2.5 s
  EXPECT_NEAR(std::sqrt(var) / mean, 1.0, 0.05);
}

// interruptible_share: 0 → none, 1 → all, 0.3 → about 30 % (binomial SE 0.0046 for 10,000).
TEST(JobGenerator, InterruptibleShare) {
  cfsim::JobGeneratorParams p = job_params();
  p.count = 10'000;
  auto share = [&](double s) {
    p.interruptible_share = s;
    int k = 0;
    for (const cfsim::Job& j : cfsim::generate_jobs(p, 8))
      k += j.interruptible ? 1 : 0;
    return k / 10'000.0;
  };
  EXPECT_EQ(share(0.0), 0.0);
  EXPECT_EQ(share(1.0), 1.0);
  EXPECT_NEAR(share(0.3), 0.3, 0.023);
}

// Invalid parameters are ConfigErrors naming the parameter and the allowed range.
TEST(JobGenerator, InvalidParamsNameTheParameter) {
  auto message = [](const cfsim::JobGeneratorParams& p) -> std::string {
    try {
      (void)cfsim::generate_jobs(p, 1);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  };
  auto with = [](auto change) {
    cfsim::JobGeneratorParams p = job_params();
    change(p);
    return p;
  };
  using P = cfsim::JobGeneratorParams;
  EXPECT_NE(message(with([](P& p) { p.count = -1; })).find("count"), std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.period_end_s = p.period_start_s; })).find("period_end_s"),
            std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.duration_step_s = 0; })).find("duration_step_s"),
            std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.min_duration_s = 1000; })).find("min_duration_s"),
            std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.max_duration_s = 1800; })).find("max_duration_s"),
            std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.min_cpus = 0.5; })).find("min_cpus"), std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.max_cpus = 0; })).find("max_cpus"), std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.max_cpus = 1e30; })).find("max_cpus"), std::string::npos);
  EXPECT_NE(message(with([](P& p) { p.max_wait_s = -1; })).find("max_wait_s"), std::string::npos);
  const std::string share = message(with([](P& p) { p.interruptible_share = 1.5; }));
  EXPECT_NE(share.find("interruptible_share"), std::string::npos);
  EXPECT_NE(share.find("[0, 1]"), std::string::npos);
  const std::string span =
      message(with([](P& p) { p.period_end_s = p.period_start_s + 16 * 3600; }));
  EXPECT_NE(span.find("max_duration_s + max_wait_s"), std::string::npos) << span;
}

// ---------------------------------------------------------------------------------------------
// Utilisation

// A single value is constant; 24 values are indexed by the UTC hour of t (hand: 2024-01-01
// 13:59:59Z is hour 13; 1969-12-31 23:00Z, t = −3600, is hour 23).
TEST(JobGeneratorUtilisation, ConstantAndDailyProfile) {
  const cfsim::Utilisation constant{{0.4}};
  EXPECT_EQ(constant.at(kJan2024), 0.4);
  EXPECT_EQ(constant.at(-12345), 0.4);
  cfsim::Utilisation daily;
  for (int h = 0; h < 24; ++h)
    daily.hourly.push_back(h / 100.0);
  EXPECT_EQ(daily.at(kJan2024), 0.0);
  EXPECT_EQ(daily.at(kJan2024 + 13 * 3600 + 3599), 0.13);
  EXPECT_EQ(daily.at(kJan2024 + 86400 + 23 * 3600), 0.23);
  EXPECT_EQ(daily.at(-3600), 0.23);
}

// Any other number of values is a broken invariant (the scenario loader validates), not a
// silent default.
TEST(JobGeneratorUtilisationDeathTest, OtherSizesAreInvariantFailures) {
  const cfsim::Utilisation bad{{0.1, 0.2}};
  EXPECT_DEATH((void)bad.at(0), "utilisation");
  const cfsim::Utilisation empty{};
  EXPECT_DEATH((void)empty.at(0), "utilisation");
}

} // namespace
