// The data-quality metrics (docs/metrics.md) on real recorded data from ../shared/data, each file
// hash-checked against shared/data/MANIFEST.md first; the published-means reader; and format
// detection for `cfsim quality`. Expected values were computed independently with pandas
// (/usr/bin/python3, pandas 1.x), with the command quoted beside each test.
#include <gtest/gtest.h>

#include "test_support.hpp"

#include <cmath>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "cfsim/catalog.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_carbon.hpp"
#include "cfsim/io_cost.hpp"
#include "cfsim/metrics.hpp"
#include "io/detect_format.hpp"

namespace {

using cfsim::test::count_gaps;
using cfsim::test::count_quality;
using cfsim::test::kShared;
using cfsim::test::sha_matches;
using cfsim::test::throws_with;

using cfsim::TimeS;

const std::string kFixtures = std::string(CFSIM_SOURCE_DIR) + "/tests/fixtures/";
constexpr TimeS H = 3600;

const char* kEs2022 = "em-portal/ES_2022_hourly.csv";
const char* kEs2022Sha = "06752426534b84a317a14083774f52e58afe132612064b181f4d5f05fa8120b8";
const char* kCaiso2022 = "em-portal/US-CAL-CISO_2022_hourly.csv";
const char* kCaiso2022Sha = "82dd6d2d743cfc39b55c35ffbd63ac9c6b55a7367bb8fb2bdba3d071ce4ba33f";
const char* kMeans = "em-portal/mean_stats_eurosys24.csv";
const char* kMeansSha = "eb20958fff0b91a4124722428f5c4c92290f0dfb9da19c09f72bc92cc203c2ac";
const char* kLiveDe = "em-live/DE.csv";
const char* kLiveDeSha = "d52b0d27673ca35e70b938f6943885a2579a831b326b591637f24cdc683ca94c";
const char* kFocus = "focus/focus_1.0_sample.csv";
const char* kFocusSha = "e91e5ac7edf01ed2c9d926f37ef7dc1ae2aae97956fea8da6c9ee488b1c2839e";

// ---------------------------------------------------------------------------------------------
// Aggregation fidelity: Electricity Maps hourly exports against the annual means Sukprasert et
// al. published (EuroSys 2024). MANIFEST: Electricity Maps revises history, so a later export
// differs by 1–4 %. Expected (pandas, in ../shared/data/em-portal):
//   /usr/bin/python3 -c "import pandas as pd; d=pd.read_csv('ES_2022_hourly.csv');
//     c=[c for c in d.columns if 'LCA' in c][0]; print(repr(d[c].mean()), len(d),
//     d['Data Estimated'].sum())"
//   → ES 219.27972945205482 over 8760 hours, 124 estimated;
//     US-CAL-CISO 261.2808675799087, 8760 hours, 8 estimated.
//   Published (grep '^ES,\|^US-CAL-CISO,' mean_stats_eurosys24.csv, column 2022):
//     ES 211.46014269406393, US-CAL-CISO 264.2328356164383
//   → relative differences +3.697901012629 % and −1.117184406564 %.
struct FidelityCase {
  const char* file;
  const char* sha;
  const char* zone;
  double hourly_mean;
  double published;
  double relative;
  double estimated_hours;
};

void check_fidelity(const FidelityCase& k) {
  ASSERT_TRUE(sha_matches(k.file, k.sha));
  ASSERT_TRUE(sha_matches(kMeans, kMeansSha));
  const cfsim::RawSeries raw = cfsim::load_em_portal_csv(kShared + k.file);
  const cfsim::PublishedMeans pub = cfsim::load_published_means_csv(kShared + kMeans);
  const cfsim::PeriodMean pm = cfsim::period_mean(raw, cfsim::calendar_year(2022));
  EXPECT_EQ(pm.samples, 8760u);
  EXPECT_DOUBLE_EQ(pm.coverage, 1.0);
  EXPECT_NEAR(pm.estimated_share, k.estimated_hours / 8760.0, 1e-15);
  EXPECT_NEAR(pm.mean, k.hourly_mean, 1e-9);
  EXPECT_DOUBLE_EQ(pub.mean(k.zone, 2022), k.published);
  const cfsim::Fidelity f = cfsim::aggregation_fidelity(pm.mean, pub.mean(k.zone, 2022));
  EXPECT_NEAR(f.relative_difference, k.relative, 1e-11);
  EXPECT_GT(f.abs_relative_difference, 0.01); // MANIFEST: 1–4 %
  EXPECT_LT(f.abs_relative_difference, 0.04);
}

TEST(QualityFidelity, Es2022HourlyAgainstEuroSys24PublishedMean) {
  check_fidelity({kEs2022, kEs2022Sha, "ES", 219.27972945205482, 211.46014269406393,
                  219.27972945205482 / 211.46014269406393 - 1, 124});
}

TEST(QualityFidelity, UsCalCiso2022HourlyAgainstEuroSys24PublishedMean) {
  check_fidelity({kCaiso2022, kCaiso2022Sha, "US-CAL-CISO", 261.2808675799087, 264.2328356164383,
                  261.2808675799087 / 264.2328356164383 - 1, 8});
}

// ---------------------------------------------------------------------------------------------
// The published-means reader.

TEST(QualityPublishedMeans, ReadsTheEuroSys24File) {
  ASSERT_TRUE(sha_matches(kMeans, kMeansSha));
  const cfsim::PublishedMeans p = cfsim::load_published_means_csv(kShared + kMeans);
  EXPECT_EQ(p.years, (std::vector<int>{2020, 2021, 2022}));
  EXPECT_EQ(p.means.size(), 123u); // MANIFEST: 123 zones
  EXPECT_EQ(p.sha256, kMeansSha);
  // grep '^AT,' mean_stats_eurosys24.csv → AT,190.85306466302367,...
  EXPECT_DOUBLE_EQ(p.mean("AT", 2020), 190.85306466302367);
}

TEST(QualityPublishedMeans, EmptyValueIsNotPublishedAndLookupsNameTheChoices) {
  const cfsim::PublishedMeans p =
      cfsim::parse_published_means_csv("zonecode,2021,2022\nDE,400.5,\nFR,60,55.5\n", "m.csv");
  EXPECT_DOUBLE_EQ(p.mean("FR", 2022), 55.5);
  EXPECT_TRUE(throws_with<cfsim::ConfigError>([&] { (void)p.mean("DE", 2022); },
                                              {"m.csv", "DE", "2022", "2021"}));
  EXPECT_TRUE(
      throws_with<cfsim::ConfigError>([&] { (void)p.mean("SE", 2021); }, {"zones: DE, FR"}));
}

TEST(QualityPublishedMeans, BadInputIsRejectedWithFileAndLine) {
  using cfsim::parse_published_means_csv;
  EXPECT_TRUE(throws_with([] { (void)parse_published_means_csv("", "m.csv"); },
                          {"m.csv:1:", "empty file"}));
  EXPECT_TRUE(throws_with([] { (void)parse_published_means_csv("zone,2022\nDE,1\n", "m.csv"); },
                          {"m.csv:1:", "zonecode"}));
  EXPECT_TRUE(throws_with([] { (void)parse_published_means_csv("zonecode,22\nDE,1\n", "m.csv"); },
                          {"m.csv:1:", "year"}));
  EXPECT_TRUE(
      throws_with([] { (void)parse_published_means_csv("zonecode,2022\nDE,1\nDE,2\n", "m.csv"); },
                  {"m.csv:3:", "repeats line 2"}));
  EXPECT_TRUE(
      throws_with([] { (void)parse_published_means_csv("zonecode,2022\nDE,-1\n", "m.csv"); },
                  {"m.csv:2:", "negative"}));
  EXPECT_TRUE(
      throws_with([] { (void)parse_published_means_csv("zonecode,2022\nDE,abc\n", "m.csv"); },
                  {"m.csv:2:", "not a number"}));
  EXPECT_TRUE(throws_with([] { (void)parse_published_means_csv("zonecode,2022\n", "m.csv"); },
                          {"m.csv:2:", "no data rows"}));
}

// ---------------------------------------------------------------------------------------------
// Availability of the Electricity Maps live polls (real gaps, MANIFEST: coverage 70–99 %).
// pandas, in ../shared/data/em-live:
//   l=pd.read_csv('DE.csv'); t=pd.to_datetime(l.zone_datetime)
//   → 6921 hour-aligned rows, no duplicates, 2021-10-08 13:00 .. 2022-09-09 17:00 UTC;
//     (t.max() + 1h − t.min()) / 1h = 8069 cells; 6921 / 8069 = 0.8577271037303259 measured.
TEST(QualityAvailability, ElectricityMapsLiveDe) {
  ASSERT_TRUE(sha_matches(kLiveDe, kLiveDeSha));
  cfsim::EmLiveOptions o;
  o.zone = "DE";
  const cfsim::RawSeries raw = cfsim::load_em_live_csv(kShared + kLiveDe, o);
  const TimeS start = 1633698000; // date -u -d '2021-10-08 13:00' +%s
  const cfsim::Availability a = cfsim::availability(raw, cfsim::TimeGrid{start, H, 8069});
  EXPECT_EQ(a.samples, 6921u);
  EXPECT_EQ(a.nominal_step_s, H);
  EXPECT_NEAR(a.measured, 0.8577271037303259, 1e-15);
  EXPECT_EQ(a.estimated, 0.0);
  EXPECT_EQ(a.filled, 0.0);
  EXPECT_NEAR(a.missing, 1 - 0.8577271037303259, 1e-15);
  // The resampled series gives the same shares.
  const cfsim::Availability g =
      cfsim::availability(cfsim::resample(raw, cfsim::TimeGrid{start, H, 8069}));
  EXPECT_NEAR(g.measured, a.measured, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// The FOCUS 1.0 sample (942 AWS rows, hourly; 51 Microsoft rows, daily; 7 Oracle): TAC, Cost-
// MAPE and DPS. Its period is 2024-09-01 .. 2024-10-01 (720 hourly cells), where no recorded
// carbon trace in ../shared/data exists; the carbon side is therefore a trace built here: complete
// over the month, or present only in its first 15 days (cells 0..359).
// pandas (../shared/data/focus):
//   d=pd.read_csv('focus_1.0_sample.csv', keep_default_na=False)
//   u=d[(d.ChargeCategory=='Usage')&(d.ResourceId!='NULL')]   → 923 rows, 840 resources
//   per resource the set of hour cells its charge periods overlap (shifted by the offset), TAC
//   = |cells ∩ carbon| / 720, fleet = mean:
//     complete carbon, offset 0: 0.003346560846560846; union of cells: 652/720 = 0.90555…
//     first-half carbon: −1 h 0.0020750661375661373, 0 0.002071759259259259,
//                        +1 h 0.0020651455026455025
constexpr TimeS kSep2024 = 1725148800; // date -u -d 2024-09-01 +%s

cfsim::GridSeries carbon_first_days(int days) {
  cfsim::RawSeries raw;
  raw.push(kSep2024, kSep2024 + days * 24 * H, 250.0, cfsim::Quality::measured);
  return cfsim::resample(raw, cfsim::TimeGrid{kSep2024, H, 720});
}

TEST(QualityTac, FocusSampleAgainstCompleteAndHalfCarbon) {
  ASSERT_TRUE(sha_matches(kFocus, kFocusSha));
  const cfsim::CostTrace t = cfsim::load_focus_csv(kShared + kFocus);
  const cfsim::TacResult full = cfsim::time_alignment_coverage(t, carbon_first_days(30));
  EXPECT_EQ(full.cells, 720);
  EXPECT_EQ(full.resources.size(), 840u);
  EXPECT_EQ(full.records.total, 1000u);
  EXPECT_EQ(full.records.used, 923u);
  EXPECT_EQ(full.records.excluded.at("not_usage"), 3u); // 2 Adjustment, 1 Credit
  EXPECT_EQ(full.records.excluded.at("no_resource_id"), 74u);
  EXPECT_NEAR(full.fleet_tac, 0.003346560846560846, 1e-15);
  EXPECT_NEAR(full.fleet_any, 652.0 / 720.0, 1e-15);
  struct Case {
    TimeS offset;
    double fleet;
  };
  for (const Case& k : {Case{-H, 0.0020750661375661373}, Case{0, 0.002071759259259259},
                        Case{H, 0.0020651455026455025}}) {
    cfsim::TacOptions o;
    o.label_offset_s = k.offset;
    const cfsim::TacResult half = cfsim::time_alignment_coverage(t, carbon_first_days(15), o);
    EXPECT_EQ(half.carbon_cells, 360);
    EXPECT_NEAR(half.fleet_tac, k.fleet, 1e-15) << "offset " << k.offset;
  }
}

// A recorded trace of another period aligns nothing: em-live/DE.csv ends 2022-09-09.
TEST(QualityTac, FocusSampleAgainstARecordedTraceOfAnotherYearAlignsNothing) {
  ASSERT_TRUE(sha_matches(kFocus, kFocusSha));
  ASSERT_TRUE(sha_matches(kLiveDe, kLiveDeSha));
  cfsim::EmLiveOptions o;
  o.zone = "DE";
  const cfsim::GridSeries de = cfsim::resample(cfsim::load_em_live_csv(kShared + kLiveDe, o),
                                               cfsim::TimeGrid{kSep2024, H, 720});
  const cfsim::TacResult r =
      cfsim::time_alignment_coverage(cfsim::load_focus_csv(kShared + kFocus), de);
  EXPECT_EQ(r.carbon_cells, 0);
  EXPECT_EQ(r.fleet_tac, 0.0);
}

// Cost-MAPE of the 26 AWS instance-hour rows against a catalog holding exactly the on-demand
// rates their ChargeDescription states ("$0.34 per On Demand Linux c5.2xlarge Instance Hour"),
// so the error is the model's hours, not its prices. pandas (e = the 26 rows, 26 resources,
// one hour each; rate from the description; m = rate × 1 h or rate × ConsumedQuantity):
//   BilledCost,    charge-period hours: 23 used, 3 zero-billed, MAPE 25.595994236799957 %
//   BilledCost,    consumed hours:      MAPE 0 (1.9e-15)
//   EffectiveCost, charge-period hours: 10 used, 16 zero-billed, MAPE 21.64 %
//   ListCost,      charge-period hours: 26 used, 0 zero-billed, MAPE 22.64261028639996 %
cfsim::Catalog description_rate_catalog() {
  struct Rate {
    const char* type;
    const char* region;
    double usd_per_h;
  };
  cfsim::Catalog c;
  for (const Rate& r :
       {Rate{"c5.2xlarge", "us-east-1", 0.34}, Rate{"c5.4xlarge", "us-east-1", 0.68},
        Rate{"c5.large", "us-east-1", 0.085}, Rate{"c5.xlarge", "us-west-2", 0.17},
        Rate{"g3.4xlarge", "us-east-1", 1.14}, Rate{"g5.4xlarge", "us-east-1", 1.624},
        Rate{"m4.10xlarge", "us-east-1", 2.00}, Rate{"m5.2xlarge", "ap-south-1", 0.404},
        Rate{"m5.2xlarge", "eu-west-2", 0.444}, Rate{"m5.large", "eu-west-2", 0.111},
        Rate{"m7i-flex.xlarge", "us-west-2", 0.19152}, Rate{"t2.medium", "us-west-2", 0.0464},
        Rate{"t2.micro", "us-east-2", 0.0116}, Rate{"t3.medium", "us-east-2", 0.0416},
        Rate{"t3.micro", "ap-south-1", 0.0112}}) {
    cfsim::InstanceType& it = c.instances[r.type];
    it.name = r.type;
    it.on_demand_usd_per_h[r.region] = r.usd_per_h;
  }
  return c;
}

TEST(QualityCostMape, FocusSampleInstanceHoursAgainstTheirStatedRates) {
  ASSERT_TRUE(sha_matches(kFocus, kFocusSha));
  const cfsim::CostTrace t = cfsim::load_focus_csv(kShared + kFocus);
  const cfsim::Catalog cat = description_rate_catalog();
  const cfsim::TimeGrid g{kSep2024, H, 720};

  const cfsim::CostMapeResult billed = cfsim::cost_mape(t, cat, g);
  EXPECT_EQ(billed.records.used, 26u);
  EXPECT_EQ(billed.records.excluded.at("no_instance_type"), 897u); // 923 usage rows − 26
  EXPECT_EQ(billed.pairs.size(), 26u);
  EXPECT_EQ(billed.mape.used, 23u);
  EXPECT_EQ(billed.mape.zero_billed, 3u);
  EXPECT_NEAR(billed.mape.mape_pct, 25.595994236799957, 1e-9);

  cfsim::CostMapeOptions consumed;
  consumed.hours = cfsim::ModelHours::consumed_quantity;
  EXPECT_NEAR(cfsim::cost_mape(t, cat, g, consumed).mape.mape_pct, 0.0, 1e-9);

  cfsim::CostMapeOptions effective;
  effective.column = cfsim::CostColumn::effective;
  const cfsim::CostMapeResult eff = cfsim::cost_mape(t, cat, g, effective);
  EXPECT_EQ(eff.mape.used, 10u);
  EXPECT_EQ(eff.mape.zero_billed, 16u);
  EXPECT_NEAR(eff.mape.mape_pct, 21.64, 1e-9);

  cfsim::CostMapeOptions list;
  list.column = cfsim::CostColumn::list;
  const cfsim::CostMapeResult lst = cfsim::cost_mape(t, cat, g, list);
  EXPECT_EQ(lst.mape.used, 26u);
  EXPECT_NEAR(lst.mape.mape_pct, 22.64261028639996, 1e-9);
}

// DPS of the 26 instances (one instance-hour each: runtime and bill price coverage 1) against
// carbon in the first 15 days: pandas ((e.s − 2024-09-01)/1h < 360).sum() → 7 instances score
// 100, the other 19 score 100 × (1 + 1 + 0)/3 → mean (7·100 + 19·200/3)/26 = 75.64102564102565.
TEST(QualityDps, FocusSampleInstancesAgainstHalfCarbon) {
  ASSERT_TRUE(sha_matches(kFocus, kFocusSha));
  const cfsim::DpsResult r = cfsim::data_precision_scores(cfsim::load_focus_csv(kShared + kFocus),
                                                          carbon_first_days(15), nullptr);
  EXPECT_EQ(r.instances.size(), 26u);
  for (const cfsim::InstanceDps& i : r.instances)
    EXPECT_EQ(i.dps.intervals, 1) << i.resource_id;
  EXPECT_NEAR(r.mean_score, 75.64102564102565, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Format detection for `cfsim quality` (every real file and fixture of a known format).
TEST(QualityDetect, RecognisesEveryFormatFromItsContent) {
  struct Case {
    std::string path;
    const char* format;
  };
  for (const Case& k :
       {Case{kShared + kEs2022, "em-portal"},
        Case{kFixtures + "em_portal_newer_header.csv", "em-portal"},
        Case{kShared + kLiveDe, "em-live"}, Case{kShared + "lwa/ger_ci.csv", "two-column"},
        Case{kShared + "watttime/watttime2023_caiso-north_actual.csv", "watttime"},
        Case{kShared + "watttime/watttime2023_caiso-north_forecast.csv", "watttime-forecast"},
        Case{kShared + kFocus, "focus"}, Case{kFixtures + "cost/focus_1.1_small.csv", "focus"},
        Case{kShared + kMeans, "published-means"}, Case{kShared + "gaia/pai_1k.csv", "gaia-jobs"},
        Case{kFixtures + "tidy_de_small.csv", "tidy"},
        Case{kFixtures + "carbon/em_api_de_history.json", "em-api"},
        Case{kFixtures + "carbon/em_api_bad_syntax.json", "em-api"},
        Case{kFixtures + "carbon/uk_ci_intensity.json", "uk-ci"},
        Case{kFixtures + "carbon/watttime_historical_caiso_north.json", "watttime-json"},
        Case{kFixtures + "cost/spot_history_use1.json", "spot-history"}}) {
    const cfsim::DetectedFormat d = cfsim::detect_format(cfsim::read_file(k.path));
    ASSERT_NE(d.format, nullptr) << k.path;
    EXPECT_STREQ(d.format->name, k.format) << k.path << " (" << d.evidence << ")";
  }
  EXPECT_STREQ(
      cfsim::detect_format("line_item_usage_start_date,line_item_resource_id\n").format->name,
      "cur2");
  EXPECT_STREQ(cfsim::detect_format(R"({"ResultsByTime": []})").format->name, "cost-explorer");
}

TEST(QualityDetect, UnknownContentAndUnknownNames) {
  EXPECT_EQ(cfsim::detect_format("").format, nullptr);
  EXPECT_EQ(cfsim::detect_format("a,b,c\n1,2,3\n").format, nullptr);
  EXPECT_EQ(cfsim::detect_format(R"({"foo": 1})").format, nullptr);
  EXPECT_TRUE(throws_with<cfsim::UsageError>([] { (void)cfsim::format_named("csv"); },
                                             {"'csv'", "em-portal", "focus"}));
  EXPECT_NE(cfsim::format_list(cfsim::InputKind::carbon).find("two-column"), std::string::npos);
}

} // namespace
