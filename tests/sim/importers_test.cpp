// Importers (sim/io/): the CSV reader, the four CSV trace formats, their error messages, and the
// real recorded files in ../shared/data (hash-checked against shared/data/MANIFEST.md first).
// Expected values are either hand-computed (epoch seconds from `date -u -d '<time>' +%s`) or read
// from the files with the shell command quoted next to them.
#include <gtest/gtest.h>

#include "test_support.hpp"

#include <cmath>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "io/csv.hpp"

namespace {

using cfsim::test::count_gaps;
using cfsim::test::count_quality;
using cfsim::test::kShared;
using cfsim::test::sha_matches;
using cfsim::test::throws_with;

using cfsim::Quality;
using cfsim::RawSeries;
using cfsim::TimeS;

const std::string kFixtures = std::string(CFSIM_SOURCE_DIR) + "/tests/fixtures/";

std::size_t index_of(const RawSeries& s, TimeS start) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.start_s[i] == start)
      return i;
  return s.size();
}

// ---------------------------------------------------------------------------------------------
// The CSV reader and number parsing

TEST(ImportCsv, ReadsQuotedFieldsCrlfAndStartLines) {
  // Hand-written: record 2 has a doubled quote, record 3 a quoted line break (so record 4
  // starts on line 5), CRLF endings throughout.
  const std::string text = "a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",z\r\n,\r\n";
  cfsim::csv::Reader r(text, "q.csv");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 1);
  EXPECT_EQ(r.fields(), (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 2);
  EXPECT_EQ(r.fields(), (std::vector<std::string>{"x,1", "say \"hi\""}));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 3);
  EXPECT_EQ(r.fields(), (std::vector<std::string>{"two\nlines", "z"}));
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.line(), 5);
  EXPECT_EQ(r.fields(), (std::vector<std::string>{"", ""}));
  EXPECT_FALSE(r.next());
}

TEST(ImportCsv, BomSkippedBlankLineInsideIsARecordTrailingBlanksAreNot) {
  const std::string text = "\xEF\xBB\xBFh\n1\n\n2\n\r\n\n";
  cfsim::csv::Reader r(text, "b.csv");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "h"); // the byte-order mark is not part of the first name
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "1");
  ASSERT_TRUE(r.next());
  EXPECT_TRUE(r.blank());
  EXPECT_EQ(r.line(), 3);
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r[0], "2");
  EXPECT_EQ(r.line(), 4);
  EXPECT_FALSE(r.next());
}

TEST(ImportCsv, RejectsUnterminatedAndStrayQuotes) {
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::csv::Reader r("a\n\"open\nnever closed\n", "u.csv");
        while (r.next()) {
        }
      },
      {"u.csv:2: ", "unterminated quoted field"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::csv::Reader r("a,b\n1,x\"y\n", "s.csv");
        while (r.next()) {
        }
      },
      {"s.csv:2: ", "quote inside an unquoted field"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::csv::Reader r("\"a\"b,c\n", "c.csv");
        while (r.next()) {
        }
      },
      {"c.csv:1: ", "after a closing quote"}));
}

TEST(ImportCsv, NumbersMustFillTheWholeFieldAndBeFinite) {
  using cfsim::csv::parse_number;
  EXPECT_EQ(parse_number("218.29003068829462"), 218.29003068829462);
  EXPECT_EQ(parse_number("0.0"), 0.0);
  EXPECT_EQ(parse_number("-1.5e3"), -1500.0);
  EXPECT_EQ(parse_number("7"), 7.0);
  for (const char* bad : {"", " 1", "1 ", "1.2.3", "12abc", "1,5", "nan", "NaN", "inf", "-inf",
                          "Infinity", "1e999", "+1", "0x10", "\"1\""})
    EXPECT_FALSE(parse_number(bad).has_value()) << "accepted '" << bad << "'";
}

TEST(ImportCsv, FoldedNamesMatchCaseAndSubscriptTwo) {
  using cfsim::csv::fold_name;
  EXPECT_EQ(fold_name("Carbon Intensity gCO₂eq/kWh (LCA)"), "carbon intensity gco2eq/kwh (lca)");
  EXPECT_EQ(fold_name(" Carbon intensity gCO2eq/kWh (LCA) "), "carbon intensity gco2eq/kwh (lca)");
  const cfsim::csv::Header h({"Datetime (UTC)", "Zone id", "Zone Id"});
  EXPECT_EQ(h.find("Zone Id"), std::optional<std::size_t>(2));
  EXPECT_EQ(h.find_folded("ZONE ID").size(), 2u);
}

TEST(ImportCsv, MostCommonSpacingTiesGoToTheSmaller) {
  using cfsim::csv::most_common_spacing;
  EXPECT_EQ(most_common_spacing({0, 900, 1800, 3600}), 900);   // 900, 900, 1800
  EXPECT_EQ(most_common_spacing({0, 1800, 2700}), 900);        // 1800, 900: tie
  EXPECT_EQ(most_common_spacing({0, 1800, 3600, 4500}), 1800); // 1800, 1800, 900
  EXPECT_EQ(most_common_spacing({42}), 0);
}

// ---------------------------------------------------------------------------------------------
// Tidy CSV

const std::string kTidyHeader =
    "datetime_utc,zone,ci_g_per_kwh,ef_type,signal,is_estimated,source\n";

TEST(ImportTidy, ValuesQualityAndProvenance) {
  // Hand-written rows, hourly: measured, estimated, empty value (missing), measured.
  const std::string text = kTidyHeader +
                           "2020-03-29T00:00:00Z,DE,310.5,lifecycle,average,false,entsoe\n"
                           "2020-03-29T01:00:00Z,DE,298.25,lifecycle,average,true,em-estimate\n"
                           "2020-03-29T02:00:00Z,DE,,lifecycle,average,false,entsoe\n"
                           "2020-03-29T03:00:00Z,DE,287,lifecycle,average,FALSE,entsoe\n";
  const RawSeries s = cfsim::parse_tidy_intensity_csv(text, "t.csv");
  const TimeS t0 = 1585440000; // date -u -d '2020-03-29 00:00:00' +%s
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.start_s, (std::vector<TimeS>{t0, t0 + 3600, t0 + 7200, t0 + 10800}));
  EXPECT_EQ(s.end_s, (std::vector<TimeS>{t0 + 3600, t0 + 7200, t0 + 10800, t0 + 14400}));
  EXPECT_EQ(s.value[0], 310.5);
  EXPECT_EQ(s.value[1], 298.25);
  EXPECT_TRUE(std::isnan(s.value[2]));
  EXPECT_EQ(s.value[3], 287.0);
  EXPECT_EQ(s.quality, (std::vector<Quality>{Quality::measured, Quality::estimated,
                                             Quality::missing, Quality::measured}));
  EXPECT_EQ(s.provenance.zone, "DE");
  EXPECT_EQ(s.provenance.signal, cfsim::SignalKind::average);
  EXPECT_EQ(s.provenance.basis, cfsim::EmissionBasis::lifecycle);
  EXPECT_EQ(s.provenance.source, "entsoe;em-estimate"); // distinct sources, in row order
  EXPECT_EQ(s.provenance.units, "g kW-1 h-1");
  EXPECT_EQ(s.provenance.fill_policy, "none");
  EXPECT_EQ(s.provenance.origin, "t.csv");
  EXPECT_EQ(s.provenance.sha256, "");
}

TEST(ImportTidy, SampleSpanRuleLeavesGapsAndSpansTheLastRow) {
  // Starts 00:00, 00:15, 00:30, 01:00: spacings 900, 900, 1800 → mode 900 s. The 00:30 row
  // lasts 15 min, so 00:45–01:00 is a gap; the last row lasts the mode too.
  const std::string text = kTidyHeader + "2020-01-01 00:00,FR,50,direct,marginal,false,wt\n"
                                         "2020-01-01 00:15,FR,51,direct,marginal,false,wt\n"
                                         "2020-01-01 00:30,FR,52,direct,marginal,false,wt\n"
                                         "2020-01-01 01:00,FR,53,direct,marginal,false,wt\n";
  const TimeS t0 = 1577836800; // date -u -d '2020-01-01 00:00:00' +%s
  const RawSeries s = cfsim::parse_tidy_intensity_csv(text, "span.csv");
  EXPECT_EQ(s.end_s, (std::vector<TimeS>{t0 + 900, t0 + 1800, t0 + 2700, t0 + 4500}));
  EXPECT_EQ(count_gaps(s), 1u);
  EXPECT_EQ(s.provenance.signal, cfsim::SignalKind::marginal);
  EXPECT_EQ(s.provenance.basis, cfsim::EmissionBasis::direct);

  // max_sample_s = 1800: each row holds until the next one; the last lasts 30 min.
  cfsim::TidyOptions opt;
  opt.span.max_sample_s = 1800;
  const RawSeries s30 = cfsim::parse_tidy_intensity_csv(text, "span.csv", opt);
  EXPECT_EQ(s30.end_s, (std::vector<TimeS>{t0 + 900, t0 + 1800, t0 + 3600, t0 + 5400}));
  EXPECT_EQ(count_gaps(s30), 0u);

  // A single row gives no spacing: its span must be stated.
  const std::string one = kTidyHeader + "2020-01-01 00:00,FR,50,direct,average,false,wt\n";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::parse_tidy_intensity_csv(one, "one.csv"); },
                          {"one.csv:2: ", "single row", "max_sample_s"}));
  opt.span.max_sample_s = 3600;
  EXPECT_EQ(cfsim::parse_tidy_intensity_csv(one, "one.csv", opt).end_s.at(0), t0 + 3600);
  opt.span.max_sample_s = -1;
  EXPECT_TRUE(throws_with<cfsim::ConfigError>(
      [&] { (void)cfsim::parse_tidy_intensity_csv(one, "one.csv", opt); }, {"negative"}));
}

TEST(ImportTidy, ZonesOnePerFileOrSelected) {
  // Interleaved zones, each sorted on its own.
  const std::string text = kTidyHeader + "2020-01-01 00:00,DE,300,lifecycle,average,false,s\n"
                                         "2020-01-01 00:00,FR,50,lifecycle,average,false,s\n"
                                         "2020-01-01 01:00,DE,310,lifecycle,average,false,s\n"
                                         "2020-01-01 01:00,FR,55,lifecycle,average,true,s\n";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::parse_tidy_intensity_csv(text, "z.csv"); },
                          {"z.csv:3: ", "zone FR differs from zone DE on line 2", "one zone"}));
  cfsim::TidyOptions opt;
  opt.zone = "FR";
  const RawSeries fr = cfsim::parse_tidy_intensity_csv(text, "z.csv", opt);
  ASSERT_EQ(fr.size(), 2u);
  EXPECT_EQ(fr.value[0], 50.0);
  EXPECT_EQ(fr.value[1], 55.0);
  EXPECT_EQ(fr.quality[1], Quality::estimated);
  EXPECT_EQ(fr.provenance.zone, "FR");
  opt.zone = "PL";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::parse_tidy_intensity_csv(text, "z.csv", opt); },
                          {"z.csv:2: ", "no rows for zone PL", "DE, FR"}));
  // A bad row of an unselected zone is still an error.
  opt.zone = "DE";
  const std::string bad = text + "2020-01-01 02:00,FR,x,lifecycle,average,false,s\n";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::parse_tidy_intensity_csv(bad, "z.csv", opt); },
                          {"z.csv:6: ", "ci_g_per_kwh 'x' is not a number"}));
}

TEST(ImportTidy, NeverMixesBasisOrSignal) {
  const std::string ef = kTidyHeader + "2020-01-01 00:00,DE,300,lifecycle,average,false,s\n"
                                       "2020-01-01 01:00,DE,250,direct,average,false,s\n";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::parse_tidy_intensity_csv(ef, "ef.csv"); },
                          {"ef.csv:3: ", "ef_type direct differs from lifecycle on line 2"}));
  const std::string sig = kTidyHeader + "2020-01-01 00:00,DE,300,lifecycle,average,false,s\n"
                                        "2020-01-01 01:00,DE,450,lifecycle,marginal,false,s\n";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::parse_tidy_intensity_csv(sig, "sig.csv"); },
                          {"sig.csv:3: ", "signal marginal differs from average on line 2"}));
}

TEST(ImportTidy, RejectsBadRowsWithFileLineAndReason) {
  const auto row = [](const std::string& r2) {
    return kTidyHeader + "2020-01-01 00:00,DE,300,lifecycle,average,false,s\n" + r2 + "\n";
  };
  const auto parse = [](const std::string& t) {
    return [t] { (void)cfsim::parse_tidy_intensity_csv(t, "bad.csv"); };
  };
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,3O0,lifecycle,average,false,s")),
                          {"bad.csv:3: ", "ci_g_per_kwh '3O0' is not a number"}));
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,nan,lifecycle,average,false,s")),
                          {"bad.csv:3: ", "'nan' is not a number"}));
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,-5,lifecycle,average,false,s")),
                          {"bad.csv:3: ", "ci_g_per_kwh -5 is negative", ">= 0"}));
  EXPECT_TRUE(throws_with(parse(row("2019-12-31 23:00,DE,300,lifecycle,average,false,s")),
                          {"bad.csv:3: ", "timestamp 2019-12-31 23:00 is earlier than",
                           "2020-01-01 00:00", "sorted by time without duplicates"}));
  EXPECT_TRUE(throws_with(
      parse(row("2020-01-01T00:00:00Z,DE,300,lifecycle,average,false,s")),
      {"bad.csv:3: ", "repeats the previous row's 2020-01-01 00:00", "without duplicates"}));
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,300,lifecycle,average,yes,s")),
                          {"bad.csv:3: ", "is_estimated 'yes'", "true or false"}));
  // An empty is_estimated is allowed only for a row without a value.
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,300,lifecycle,average,,s")),
                          {"bad.csv:3: ", "is_estimated '' is not a boolean"}));
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,300,lca,average,false,s")),
                          {"bad.csv:3: ", "ef_type 'lca' is unknown", "lifecycle or direct"}));
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,300,lifecycle,mean,false,s")),
                          {"bad.csv:3: ", "signal 'mean' is unknown", "average or marginal"}));
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,DE,300,lifecycle,average,false")),
                          {"bad.csv:3: ", "row has 6 fields, expected 7"}));
  EXPECT_TRUE(throws_with(parse(row("2020-13-01 01:00,DE,300,lifecycle,average,false,s")),
                          {"bad.csv:3: ", "datetime_utc '2020-13-01 01:00' is not a timestamp"}));
  EXPECT_TRUE(throws_with(parse(row("2020-01-01 01:00,,300,lifecycle,average,false,s")),
                          {"bad.csv:3: ", "zone is empty"}));
  EXPECT_TRUE(throws_with(parse(row("\n2020-01-01 02:00,DE,300,lifecycle,average,false,s")),
                          {"bad.csv:3: ", "empty line"}));
  EXPECT_TRUE(throws_with(parse("datetime_utc,zone,ci,ef_type,signal,is_estimated,source\n"),
                          {"bad.csv:1: ", "header is `datetime_utc,zone,ci,",
                           "expected exactly `datetime_utc,zone,ci_g_per_kwh,ef_type,signal,"
                           "is_estimated,source`"}));
  EXPECT_TRUE(throws_with(parse(""), {"bad.csv:1: ", "empty file", "datetime_utc,zone,"}));
  EXPECT_TRUE(throws_with(parse(kTidyHeader), {"bad.csv:2: ", "no data rows"}));
}

TEST(ImportTidy, LoadSetsOriginAndSha256FromTheFile) {
  // tests/fixtures/tidy_de_small.csv: 4 hourly rows, the 3rd with an empty value.
  const std::string path = kFixtures + "tidy_de_small.csv";
  const RawSeries s = cfsim::load_tidy_intensity_csv(path);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.quality, (std::vector<Quality>{Quality::measured, Quality::estimated,
                                             Quality::missing, Quality::measured}));
  EXPECT_EQ(s.provenance.origin, path);
  EXPECT_EQ(s.provenance.sha256, cfsim::sha256_hex(cfsim::read_file(path)));
  EXPECT_EQ(s.provenance.sha256.size(), 64u);
  // tests/fixtures/tidy_bad_is_estimated.csv: line 3 says "yes".
  const std::string bad = kFixtures + "tidy_bad_is_estimated.csv";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::load_tidy_intensity_csv(bad); },
                          {bad + ":3: ", "is_estimated 'yes' is not a boolean"}));
}

// ---------------------------------------------------------------------------------------------
// Two-column CSV (Let's Wait Awhile)

cfsim::TwoColumnOptions lwa_options(const std::string& zone) {
  cfsim::TwoColumnOptions o;
  o.zone = zone;
  o.source = "lets-wait-awhile";
  return o;
}

TEST(ImportTwoColumn, ParsesTextWithOptionsProvenance) {
  const std::string text = "Time,Carbon Intensity\r\n2020-01-01 00:00:00,100.5\r\n"
                           "2020-01-01 00:30:00,\r\n2020-01-01 01:00:00,99\r\n";
  cfsim::TwoColumnOptions o = lwa_options("GB");
  o.basis = cfsim::EmissionBasis::direct;
  const RawSeries s = cfsim::parse_two_column_csv(text, "gb.csv", o);
  const TimeS t0 = 1577836800; // date -u -d '2020-01-01 00:00:00' +%s
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.end_s, (std::vector<TimeS>{t0 + 1800, t0 + 3600, t0 + 5400}));
  EXPECT_EQ(s.quality[1], Quality::missing); // empty value: an explicit missing sample
  EXPECT_EQ(s.value[2], 99.0);
  EXPECT_EQ(s.provenance.zone, "GB");
  EXPECT_EQ(s.provenance.basis, cfsim::EmissionBasis::direct);
  EXPECT_EQ(s.provenance.source, "lets-wait-awhile");
  EXPECT_EQ(s.provenance.units, "g kW-1 h-1");
  EXPECT_TRUE(throws_with<cfsim::ConfigError>(
      [&] { (void)cfsim::parse_two_column_csv(text, "gb.csv", lwa_options("")); },
      {"gb.csv", "names no zone"}));
}

TEST(ImportTwoColumn, RejectsBadInput) {
  const auto parse = [](const std::string& t) {
    return [t] { (void)cfsim::parse_two_column_csv(t, "x.csv", lwa_options("DE")); };
  };
  EXPECT_TRUE(throws_with(parse("Time,CI\n2020-01-01 00:00:00,1\n"),
                          {"x.csv:1: ", "header is `Time,CI`", "`Time,Carbon Intensity`"}));
  EXPECT_TRUE(throws_with(parse("Time,Carbon Intensity\n2020-01-01 00:00:00,1.0x\n"),
                          {"x.csv:2: ", "Carbon Intensity '1.0x' is not a number"}));
  EXPECT_TRUE(throws_with(parse("Time,Carbon Intensity\n2020-01-01 00:00:00,1,2\n"),
                          {"x.csv:2: ", "row has 3 fields, expected 2"}));
  EXPECT_TRUE(throws_with(parse("Time,Carbon Intensity\n2020-01-01 00:00:00,-0.5\n"),
                          {"x.csv:2: ", "is negative"}));
  EXPECT_TRUE(throws_with(parse("Time,Carbon Intensity\nyesterday,1\n"),
                          {"x.csv:2: ", "Time 'yesterday' is not a timestamp"}));
  EXPECT_TRUE(throws_with(parse("\n\n"), {"x.csv:1: ", "empty file"}));
  // tests/fixtures/two_column_unsorted.csv: line 4 (00:15) comes after line 3 (00:30).
  const std::string path = kFixtures + "two_column_unsorted.csv";
  EXPECT_TRUE(throws_with([&] { (void)cfsim::load_two_column_csv(path, lwa_options("DE")); },
                          {path + ":4: ", "timestamp 2020-01-01 00:15:00 is earlier than the "
                                          "previous row's 2020-01-01 00:30:00"}));
}

TEST(ImportTwoColumn, LwaGermany15MinWithTwo30MinSpacings) {
  // shared/data/lwa/ger_ci.csv (Wiesner et al., Middleware 2021).
  ASSERT_TRUE(sha_matches("lwa/ger_ci.csv",
                          "bb9aa67ed4ce191d8fa0d48346c0c6c0fa8fe82f8e4c94e7cf1c8156c7fb001c"));
  const RawSeries s = cfsim::load_two_column_csv(kShared + "lwa/ger_ci.csv", lwa_options("DE"));
  // `wc -l` = 37148 lines = header + 37147 rows.
  ASSERT_EQ(s.size(), 37147u);
  EXPECT_EQ(s.provenance.sha256,
            "bb9aa67ed4ce191d8fa0d48346c0c6c0fa8fe82f8e4c94e7cf1c8156c7fb001c");
  // `sed -n '2p;37148p'`: 2019-12-20 00:00:00,218.29003068829462 and
  // 2021-01-09 23:00:00,508.090651507907.
  EXPECT_EQ(s.start_s.front(), 1576800000); // date -u -d '2019-12-20 00:00:00' +%s
  EXPECT_EQ(s.value.front(), 218.29003068829462);
  EXPECT_EQ(s.start_s.back(), 1610233200);     // date -u -d '2021-01-09 23:00:00' +%s
  EXPECT_EQ(s.end_s.back(), 1610233200 + 900); // the last row lasts the mode, 15 min
  EXPECT_EQ(s.value.back(), 508.090651507907);
  EXPECT_EQ(count_quality(s, Quality::measured), 37147u);
  // Consecutive spacings: 37144 × 900 s and 2 × 1800 s (lines 35134→35135→35136:
  // 2020-12-19 23:00, 23:30, 2020-12-20 00:00). The mode is 900 s, so every sample lasts
  // 15 min and the two 30-min spacings leave two 15-min gaps: 23:15–23:30 and 23:45–00:00.
  for (std::size_t i = 0; i < s.size(); ++i)
    ASSERT_EQ(s.end_s[i] - s.start_s[i], 900) << i;
  EXPECT_EQ(count_gaps(s), 2u);
  const std::size_t k = index_of(s, 1608418800); // date -u -d '2020-12-19 23:00:00' +%s
  ASSERT_EQ(k, 35132u);                          // line 35134 = row index 35132
  EXPECT_EQ(s.value[k], 280.3718054720385);      // sed -n 35134p
  EXPECT_EQ(s.end_s[k], 1608418800 + 900);
  EXPECT_EQ(s.start_s[k + 1], 1608420600); // 23:30
  EXPECT_EQ(s.end_s[k + 1], 1608420600 + 900);
  EXPECT_EQ(s.start_s[k + 2], 1608422400); // 2020-12-20 00:00
  // With a 30-min span the same rows hold until the next one: no gaps.
  cfsim::TwoColumnOptions o30 = lwa_options("DE");
  o30.span.max_sample_s = 1800;
  EXPECT_EQ(count_gaps(cfsim::load_two_column_csv(kShared + "lwa/ger_ci.csv", o30)), 0u);
}

TEST(ImportTwoColumn, LwaGreatBritainMixedResolution) {
  // shared/data/lwa/gb_ci.csv: 30 min until 2020-10-31, then 15 min (MANIFEST.md).
  ASSERT_TRUE(sha_matches("lwa/gb_ci.csv",
                          "5c771b6d31c6082343e0d9e3a3fc03d05defb6f4cdcc525a374a26ec337a86ac"));
  const std::string path = kShared + "lwa/gb_ci.csv";
  const RawSeries s = cfsim::load_two_column_csv(path, lwa_options("GB"));
  ASSERT_EQ(s.size(), 21980u); // wc -l = 21981
  // Spacings (python over the file): 15171 × 1800 s, 6808 × 900 s → the mode is 1800 s.
  // The 15-min rows end at the next row (min(next, start + 1800)), the 30-min rows last
  // 30 min: no gap anywhere, the last row lasts 30 min.
  EXPECT_EQ(count_gaps(s), 0u);
  EXPECT_EQ(s.start_s.front(), 1576800000); // 2019-12-20 00:00:00
  EXPECT_EQ(s.value.front(), 120.99546661944396);
  EXPECT_EQ(s.start_s.back(), 1610235000); // 2021-01-09 23:30:00
  EXPECT_EQ(s.end_s.back(), 1610235000 + 1800);
  EXPECT_EQ(s.value.back(), 259.10496059694674);
  // Line 15170, 2020-10-31 00:00:00,165.61141458724816: the first 15-min spacing.
  const std::size_t k = index_of(s, 1604102400);
  ASSERT_EQ(k, 15168u);
  EXPECT_EQ(s.value[k], 165.61141458724816);
  EXPECT_EQ(s.end_s[k] - s.start_s[k], 900);
  EXPECT_EQ(s.end_s[k - 1] - s.start_s[k - 1], 1800);
  // Stating a 15-min span instead turns each 30-min spacing into a 15-min gap.
  cfsim::TwoColumnOptions o15 = lwa_options("GB");
  o15.span.max_sample_s = 900;
  EXPECT_EQ(count_gaps(cfsim::load_two_column_csv(path, o15)), 15171u);
}

// ---------------------------------------------------------------------------------------------
// Electricity Maps data-portal CSV

const std::string kEmOldHeader =
    "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),"
    "Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,"
    "Data Estimated,Data Estimation Method\r\n";

TEST(ImportEmPortal, OlderHeaderBothBases) {
  // Rows copied from ES_2022_hourly.csv lines 2 and 25 (the latter estimated), plus one
  // hand-made row without values.
  const std::string text =
      kEmOldHeader +
      "2022-01-01 00:00:00,Spain,Spain,ES,133.64,175.54,76.35,42.94,entsoe.eu,false,\r\n"
      "2022-01-01 23:00:00,Spain,Spain,ES,127.34,168.35,77.33,44.15,Electricity Maps "
      "Estimation,true,ESTIMATED_TIME_SLICER_AVERAGE\r\n"
      "2022-01-02 00:00:00,Spain,Spain,ES,,,,,,,\r\n";
  const RawSeries lca = cfsim::parse_em_portal_csv(text, "es.csv");
  ASSERT_EQ(lca.size(), 3u);
  EXPECT_EQ(lca.value[0], 175.54);
  EXPECT_EQ(lca.value[1], 168.35);
  EXPECT_EQ(lca.quality,
            (std::vector<Quality>{Quality::measured, Quality::estimated, Quality::missing}));
  // Spacings 82800 s and 3600 s: a tie, so the smaller (1 h) is the span; the first row
  // lasts 1 h and leaves a 22-h gap before the second.
  EXPECT_EQ(lca.end_s[0] - lca.start_s[0], 3600);
  EXPECT_EQ(count_gaps(lca), 1u);
  EXPECT_EQ(lca.provenance.zone, "ES");
  EXPECT_EQ(lca.provenance.source, "electricitymaps-portal");
  EXPECT_EQ(lca.provenance.basis, cfsim::EmissionBasis::lifecycle);
  EXPECT_EQ(lca.provenance.signal, cfsim::SignalKind::average);
  cfsim::EmPortalOptions direct;
  direct.basis = cfsim::EmissionBasis::direct;
  const RawSeries d = cfsim::parse_em_portal_csv(text, "es.csv", direct);
  EXPECT_EQ(d.value[0], 133.64);
  EXPECT_EQ(d.value[1], 127.34);
  EXPECT_EQ(d.provenance.basis, cfsim::EmissionBasis::direct);
}

TEST(ImportEmPortal, NewerHeaderGenerationFromFixture) {
  // tests/fixtures/em_portal_newer_header.csv: lower-case "intensity", "(Life cycle)",
  // "Zone id", "Data estimated", columns in another order; 3 hourly rows, the last empty.
  const std::string path = kFixtures + "em_portal_newer_header.csv";
  const RawSeries s = cfsim::load_em_portal_csv(path);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.start_s[0], 1704067200); // date -u -d '2024-01-01 00:00:00' +%s
  EXPECT_EQ(s.value[0], 400.25);
  EXPECT_EQ(s.value[1], 390.0);
  EXPECT_EQ(s.quality,
            (std::vector<Quality>{Quality::measured, Quality::estimated, Quality::missing}));
  EXPECT_EQ(s.end_s[2], 1704067200 + 3 * 3600);
  EXPECT_EQ(s.provenance.zone, "DE");
  EXPECT_EQ(s.provenance.origin, path);
  EXPECT_EQ(s.provenance.sha256, cfsim::sha256_hex(cfsim::read_file(path)));
  cfsim::EmPortalOptions direct;
  direct.basis = cfsim::EmissionBasis::direct;
  EXPECT_EQ(cfsim::load_em_portal_csv(path, direct).value[0], 350.5);
}

TEST(ImportEmPortal, AsciiSpellingAndOtherColumnOrder) {
  const std::string text = "Zone Id,Data Estimated,Carbon Intensity gCO2eq/kWh (LCA),"
                           "Carbon Intensity gCO2eq/kWh (direct),Datetime (UTC)\n"
                           "US-CAL-CISO,false,250.5,200.25,2022-06-01 00:00:00\n"
                           "US-CAL-CISO,TRUE,260,210,2022-06-01 01:00:00\n";
  const RawSeries s = cfsim::parse_em_portal_csv(text, "ascii.csv");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.value[0], 250.5);
  EXPECT_EQ(s.quality[1], Quality::estimated);
  EXPECT_EQ(s.provenance.zone, "US-CAL-CISO");
}

TEST(ImportEmPortal, RejectsBadInput) {
  const auto parse = [](const std::string& t) {
    return [t] { (void)cfsim::parse_em_portal_csv(t, "em.csv"); };
  };
  const std::string ok = "2022-01-01 00:00:00,Spain,Spain,ES,133.64,175.54,76.35,42.94,e,false,\n";
  EXPECT_TRUE(throws_with(
      parse(kEmOldHeader + ok + "2022-01-01 01:00:00,France,France,FR,50,60,1,1,e,false,\n"),
      {"em.csv:3: ", "Zone Id FR differs from ES on line 2", "one zone per file"}));
  EXPECT_TRUE(throws_with(
      parse(kEmOldHeader + ok + "2022-01-01 01:00:00,Spain,Spain,ES,50,60,1,1,e,maybe,\n"),
      {"em.csv:3: ", "Data Estimated 'maybe' is not a boolean"}));
  EXPECT_TRUE(throws_with(
      parse(kEmOldHeader + ok + "2022-01-01 01:00:00,Spain,Spain,ES,50,-60,1,1,e,false,\n"),
      {"em.csv:3: ", "Carbon Intensity gCO₂eq/kWh (LCA) -60 is negative"}));
  EXPECT_TRUE(throws_with(parse(kEmOldHeader + ok + ok),
                          {"em.csv:3: ", "repeats the previous row's 2022-01-01 00:00:00"}));
  EXPECT_TRUE(throws_with(parse(kEmOldHeader + "2022-01-01 00:00:00,Spain,Spain,ES,1,2\n"),
                          {"em.csv:2: ", "row has 6 fields, expected 11"}));
  EXPECT_TRUE(throws_with(parse("Datetime (UTC),Zone Id,Data Estimated,Carbon Intensity (LCA)\n"),
                          {"em.csv:1: ", "no intensity column", "(Life cycle)",
                           "header is `Datetime (UTC),Zone Id,Data Estimated,"}));
  EXPECT_TRUE(throws_with(parse(kEmOldHeader), {"em.csv:2: ", "no data rows"}));
  EXPECT_TRUE(throws_with(parse(""), {"em.csv:1: ", "empty file"}));
  cfsim::EmPortalOptions none;
  none.basis = cfsim::EmissionBasis::none;
  EXPECT_TRUE(throws_with<cfsim::ConfigError>(
      [&] { (void)cfsim::parse_em_portal_csv(kEmOldHeader + ok, "em.csv", none); },
      {"lifecycle or direct"}));
}

TEST(ImportEmPortal, Spain2022RealFile) {
  // shared/data/em-portal/ES_2022_hourly.csv (umassos/decarbonization-potential).
  ASSERT_TRUE(sha_matches("em-portal/ES_2022_hourly.csv",
                          "06752426534b84a317a14083774f52e58afe132612064b181f4d5f05fa8120b8"));
  const std::string path = kShared + "em-portal/ES_2022_hourly.csv";
  const RawSeries s = cfsim::load_em_portal_csv(path);
  ASSERT_EQ(s.size(), 8760u); // MANIFEST.md: 8,760 rows, a complete year
  EXPECT_EQ(count_gaps(s), 0u);
  for (std::size_t i = 0; i < s.size(); ++i)
    ASSERT_EQ(s.end_s[i] - s.start_s[i], 3600) << i;
  EXPECT_EQ(s.start_s.front(), 1640995200); // date -u -d '2022-01-01 00:00:00' +%s
  EXPECT_EQ(s.end_s.back(), 1672531200);    // date -u -d '2023-01-01 00:00:00' +%s
  // Line 2: ...,ES,133.64,175.54,...; last line: ...,ES,74.33,104.82,...
  EXPECT_EQ(s.value.front(), 175.54);
  EXPECT_EQ(s.value.back(), 104.82);
  // awk -F, 'NR>1 && $10=="true"' ES_2022_hourly.csv | wc -l  →  124
  EXPECT_EQ(count_quality(s, Quality::estimated), 124u);
  EXPECT_EQ(count_quality(s, Quality::missing), 0u);
  // Line 25: 2022-01-01 23:00:00,...,127.34,168.35,...,true,ESTIMATED_TIME_SLICER_AVERAGE
  EXPECT_EQ(s.value[23], 168.35);
  EXPECT_EQ(s.quality[23], Quality::estimated);
  EXPECT_EQ(s.provenance.zone, "ES");
  EXPECT_EQ(s.provenance.source, "electricitymaps-portal");
  EXPECT_EQ(s.provenance.sha256,
            "06752426534b84a317a14083774f52e58afe132612064b181f4d5f05fa8120b8");
  cfsim::EmPortalOptions direct;
  direct.basis = cfsim::EmissionBasis::direct;
  const RawSeries d = cfsim::load_em_portal_csv(path, direct);
  EXPECT_EQ(d.value.front(), 133.64);
  EXPECT_EQ(d.value.back(), 74.33);
}

// ---------------------------------------------------------------------------------------------
// GAIA job traces

TEST(ImportGaiaJobs, ParsesRoundsAndAppliesOptions) {
  // Hand-computed: arrivals 10.4 → 10 and 10.5 → 11 (nearest, halves away from zero), length
  // 5.6 → 6; period start 1000 is added; ids are 0-based rows.
  cfsim::JobCsvOptions o;
  o.period_start_s = 1000;
  o.max_wait_s = 7200;
  o.interruptible = true;
  const auto jobs = cfsim::parse_gaia_jobs_csv(
      "arrival_time,length,cpus\n10.4,5.6,1\n10.5,60,2.5\n10.5,3600.0,4\n", "j.csv", o);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].id, 0);
  EXPECT_EQ(jobs[0].arrival_s, 1010);
  EXPECT_EQ(jobs[0].duration_s, 6);
  EXPECT_EQ(jobs[1].id, 1);
  EXPECT_EQ(jobs[1].arrival_s, 1011);
  EXPECT_EQ(jobs[1].cpus, 2.5);
  EXPECT_EQ(jobs[2].arrival_s, 1011); // equal arrivals are allowed
  EXPECT_EQ(jobs[2].duration_s, 3600);
  for (const auto& j : jobs) {
    EXPECT_EQ(j.max_wait_s, 7200);
    EXPECT_TRUE(j.interruptible);
  }
}

TEST(ImportGaiaJobs, RejectsBadRows) {
  const auto parse = [](const std::string& t) {
    return [t] { (void)cfsim::parse_gaia_jobs_csv(t, "g.csv", {}); };
  };
  const std::string h = "arrival_time,length,cpus\n";
  EXPECT_TRUE(throws_with(
      parse(h + "5,10,1\n4,10,1\n"),
      {"g.csv:3: ", "arrival_time 4 is earlier than the previous row's 5", "non-decreasing"}));
  EXPECT_TRUE(throws_with(parse(h + "5,0,1\n"), {"g.csv:2: ", "length 0 is not positive"}));
  EXPECT_TRUE(throws_with(parse(h + "5,0.2,1\n"), {"g.csv:2: ", "rounds to 0 s"}));
  EXPECT_TRUE(throws_with(parse(h + "5,10,0\n"), {"g.csv:2: ", "cpus 0 is not positive"}));
  EXPECT_TRUE(throws_with(parse(h + "5,10s,1\n"), {"g.csv:2: ", "length '10s' is not a number"}));
  EXPECT_TRUE(throws_with(parse(h + "-1,10,1\n"), {"g.csv:2: ", "arrival_time -1 is negative"}));
  EXPECT_TRUE(throws_with(parse(h + "5,10\n"), {"g.csv:2: ", "row has 2 fields, expected 3"}));
  EXPECT_TRUE(throws_with(parse("arrival,length,cpus\n5,10,1\n"),
                          {"g.csv:1: ", "expected exactly `arrival_time,length,cpus`"}));
  EXPECT_TRUE(throws_with(parse(h), {"g.csv:2: ", "no data rows"}));
  EXPECT_TRUE(throws_with(parse(""), {"g.csv:1: ", "empty file"}));
}

TEST(ImportGaiaJobs, Pai1kRealFile) {
  // shared/data/gaia/pai_1k.csv (umassos/GAIA, Hanafy et al., ASPLOS 2024).
  ASSERT_TRUE(sha_matches("gaia/pai_1k.csv",
                          "f1fb822a29bff1a12948a482423f761d68ac7c88ae541f646fe4e6e149361069"));
  cfsim::JobCsvOptions o;
  o.period_start_s = 1577836800; // 2020-01-01 00:00:00 UTC
  o.max_wait_s = 24 * 3600;
  const auto jobs = cfsim::load_gaia_jobs_csv(kShared + "gaia/pai_1k.csv", o);
  ASSERT_EQ(jobs.size(), 1000u); // MANIFEST.md: 1,000 jobs
  // head -4: 0.0,6302.0,1 / 68.0,1000.0,1 / 463.0,1570.0,3
  EXPECT_EQ(jobs[0].arrival_s, o.period_start_s);
  EXPECT_EQ(jobs[0].duration_s, 6302);
  EXPECT_EQ(jobs[0].cpus, 1.0);
  EXPECT_EQ(jobs[1].arrival_s, o.period_start_s + 68);
  EXPECT_EQ(jobs[1].duration_s, 1000);
  EXPECT_EQ(jobs[2].arrival_s, o.period_start_s + 463);
  EXPECT_EQ(jobs[2].duration_s, 1570);
  EXPECT_EQ(jobs[2].cpus, 3.0);
  // tail -1: 604756.0,1361.0,1 (within 7 days = 604800 s)
  EXPECT_EQ(jobs[999].id, 999);
  EXPECT_EQ(jobs[999].arrival_s, o.period_start_s + 604756);
  EXPECT_EQ(jobs[999].duration_s, 1361);
  EXPECT_EQ(jobs[999].max_wait_s, 24 * 3600);
  EXPECT_FALSE(jobs[999].interruptible);
  // awk -F, 'NR>1{print $3}' pai_1k.csv | sort | uniq -c  →  859 × 1, 72 × 2, 43 × 3, 26 × 4
  std::size_t by_cpus[5] = {0, 0, 0, 0, 0};
  for (const auto& j : jobs) {
    ASSERT_TRUE(j.cpus >= 1 && j.cpus <= 4);
    ++by_cpus[static_cast<std::size_t>(j.cpus)];
  }
  EXPECT_EQ(by_cpus[1], 859u);
  EXPECT_EQ(by_cpus[2], 72u);
  EXPECT_EQ(by_cpus[3], 43u);
  EXPECT_EQ(by_cpus[4], 26u);
}

TEST(ImportGaiaJobs, LoadsFixture) {
  // tests/fixtures/gaia_jobs_small.csv: 0.0,3600.0,1 / 30.0,7200.0,2 / 30.0,60.0,4
  const auto jobs = cfsim::load_gaia_jobs_csv(kFixtures + "gaia_jobs_small.csv", {});
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[1].arrival_s, 30);
  EXPECT_EQ(jobs[1].duration_s, 7200);
  EXPECT_EQ(jobs[2].cpus, 4.0);
  EXPECT_TRUE(throws_with<cfsim::InputError>(
      [] { (void)cfsim::load_gaia_jobs_csv(kFixtures + "does_not_exist.csv", {}); },
      {"does_not_exist.csv"}));
}

} // namespace
