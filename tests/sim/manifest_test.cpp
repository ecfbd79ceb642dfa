// Every real file of ../shared/data (MANIFEST.md) imports through its cfsim importer: the file's
// sha256 is checked against the MANIFEST first (a changed file fails loudly), then the sample or
// row count is compared with the file's data rows (`wc -l` minus the header, quoted per row).
#include <gtest/gtest.h>

#include "test_support.hpp"

#include <string>

#include "cfsim/io.hpp"
#include "cfsim/io_carbon.hpp"
#include "cfsim/io_cost.hpp"
#include "cfsim/metrics.hpp"

namespace cfsim {
namespace {

// sha256 values are copied from ../shared/data/MANIFEST.md.
const std::string& kData = test::kShared;

std::size_t known_samples(const RawSeries& s) {
  std::size_t n = 0;
  for (Quality q : s.quality)
    n += q == Quality::missing ? 0 : 1;
  return n;
}

struct LwaCase {
  const char* file;
  const char* zone;
  const char* sha;
  std::size_t rows; // wc -l minus the header
};

TEST(ManifestData, LetsWaitAwhileTracesImportEveryRow) {
  const LwaCase cases[] = {
      {"lwa/ger_ci.csv", "DE", "bb9aa67ed4ce191d8fa0d48346c0c6c0fa8fe82f8e4c94e7cf1c8156c7fb001c",
       37147},
      {"lwa/gb_ci.csv", "GB", "5c771b6d31c6082343e0d9e3a3fc03d05defb6f4cdcc525a374a26ec337a86ac",
       21980},
      {"lwa/fr_ci.csv", "FR", "c097e7f5c64afdfb6e168fc4ba5a920b90f84614fe7eb4e60f2daf65cdde0142",
       18574},
  };
  for (const LwaCase& c : cases) {
    ASSERT_TRUE(test::sha_matches(c.file, c.sha));
    TwoColumnOptions o;
    o.zone = c.zone;
    const RawSeries s = load_two_column_csv(kData + c.file, o);
    EXPECT_EQ(known_samples(s), c.rows) << c.file;
    EXPECT_EQ(s.provenance.zone, c.zone);
  }
}

TEST(ManifestData, ElectricityMapsPortalExportsImportBothBases) {
  const std::pair<const char*, const char*> files[] = {
      {"em-portal/ES_2022_hourly.csv",
       "06752426534b84a317a14083774f52e58afe132612064b181f4d5f05fa8120b8"},
      {"em-portal/ES_2023_hourly.csv",
       "3b9fabbff615b4b98f8b377ff0c05811286652c98533e88a2e002246ca71e254"},
      {"em-portal/US-CAL-CISO_2022_hourly.csv",
       "82dd6d2d743cfc39b55c35ffbd63ac9c6b55a7367bb8fb2bdba3d071ce4ba33f"},
      {"em-portal/US-CAL-CISO_2023_hourly.csv",
       "79a46ebeadee9257b5cbd11c1bb9f17f9cc7da9bb820dee64bd9af72847f9d3a"},
  };
  for (const auto& [file, sha] : files) {
    ASSERT_TRUE(test::sha_matches(file, sha));
    for (EmissionBasis b : {EmissionBasis::lifecycle, EmissionBasis::direct}) {
      EmPortalOptions o;
      o.basis = b;
      const RawSeries s = load_em_portal_csv(kData + file, o);
      EXPECT_EQ(known_samples(s), 8760u) << file; // MANIFEST: 8,760 rows, complete years
      EXPECT_EQ(s.provenance.basis, b);
    }
  }
}

TEST(ManifestData, ElectricityMapsLivePollsImportEveryRow) {
  struct Case {
    const char* zone;
    const char* sha;
    std::size_t rows; // wc -l em-live/<zone>.csv minus the header
  };
  const Case cases[] = {
      {"DE", "d52b0d27673ca35e70b938f6943885a2579a831b326b591637f24cdc683ca94c", 6921},
      {"FR", "a35337104aee866f5bef75da148a39b9b8ab3ab63f284ba035862d8b74fd5761", 7417},
      {"GB", "62691fe12bfaef03146161d65e1846cb3d3bf3121ad96f45d945a316ba22adaa", 7178},
      {"IE", "ab671cbe682439aee96719ca7c0bca6daa5976086e09dfa944a7601330c69a45", 5687},
      {"SE", "7b189b4e3536dd426e8e768f0d537a6665409caed047986a896e1f990fa78d38", 7603},
      {"US-CAL-CISO", "ea81c27d858ae9cce5df87c3dca0c48d81fcbb0b6c63589501fe33dcf3baca00", 7612},
  };
  for (const Case& c : cases) {
    const std::string file = std::string("em-live/") + c.zone + ".csv";
    ASSERT_TRUE(test::sha_matches(file, c.sha));
    EmLiveOptions o;
    o.zone = c.zone;
    const RawSeries s = load_em_live_csv(kData + file, o);
    EXPECT_EQ(known_samples(s), c.rows) << file;
  }
}

TEST(ManifestData, WattTimeArchivesImport) {
  ASSERT_TRUE(
      test::sha_matches("watttime/watttime2023_caiso-north_actual.csv",
                        "c7c1953e267f1a5df251617b6d06573478e56f43e90d11679f4d662c9da742b3"));
  ASSERT_TRUE(
      test::sha_matches("watttime/watttime2023_caiso-north_forecast.csv",
                        "0d9313a33b29bddb5f83f35424e0e91664c8b31b2c7b14e26293645af505f175"));
  WattTimeCsvOptions o;
  o.units = "g_per_kwh";
  const RawSeries actual =
      load_watttime_actual_csv(kData + "watttime/watttime2023_caiso-north_actual.csv", o);
  EXPECT_EQ(known_samples(actual), 8928u); // 31 days × 288 five-minute samples
  EXPECT_EQ(actual.provenance.signal, SignalKind::marginal);
  const ForecastArchive f =
      load_watttime_forecast_csv(kData + "watttime/watttime2023_caiso-north_forecast.csv", o);
  std::size_t points = 0;
  for (const auto& p : f.point_s)
    points += p.size();
  EXPECT_EQ(points, 115932u); // wc -l minus the header: one row per forecast point
}

TEST(ManifestData, BillingJobsAndPublishedMeansImport) {
  ASSERT_TRUE(
      test::sha_matches("focus/focus_1.0_sample.csv",
                        "e91e5ac7edf01ed2c9d926f37ef7dc1ae2aae97956fea8da6c9ee488b1c2839e"));
  EXPECT_EQ(load_focus_csv(kData + "focus/focus_1.0_sample.csv").records.size(), 1000u);
  ASSERT_TRUE(test::sha_matches(
      "gaia/pai_1k.csv", "f1fb822a29bff1a12948a482423f761d68ac7c88ae541f646fe4e6e149361069"));
  EXPECT_EQ(load_gaia_jobs_csv(kData + "gaia/pai_1k.csv", JobCsvOptions{}).size(), 1000u);
  ASSERT_TRUE(
      test::sha_matches("em-portal/mean_stats_eurosys24.csv",
                        "eb20958fff0b91a4124722428f5c4c92290f0dfb9da19c09f72bc92cc203c2ac"));
  const PublishedMeans m = load_published_means_csv(kData + "em-portal/mean_stats_eurosys24.csv");
  EXPECT_EQ(m.means.size(), 123u);                           // MANIFEST: 123 zones
  EXPECT_NEAR(m.mean("AT", 2020), 190.85306466302367, 1e-9); // first data row of the file
}

} // namespace
} // namespace cfsim
