// Let's Wait Awhile experiment files (sim/published/lets_wait_awhile.cpp): the data-preparation
// checksums of the spec's §2 table on the real traces (hash-checked against MANIFEST.md first),
// the clean variant's preparation, the shipped scenario files, the experiment file's errors and
// a small run (thread-count independence, the noise file). "§n" cites
// ../shared/published/lets-wait-awhile.md.
#include <gtest/gtest.h>

#include "test_support.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/lets_wait_awhile.hpp"
#include "cfsim/published.hpp"

namespace {

namespace fs = std::filesystem;
using cfsim::test::kShared;
using cfsim::test::sha_matches;
using cfsim::test::throws_with;
namespace lwa = cfsim::lwa;

const std::string kScenarios =
    std::string(CFSIM_SOURCE_DIR) + "/scenarios/published/lets_wait_awhile/";

lwa::PreparedTrace prepare(const std::string& region, lwa::Variant v) {
  cfsim::TwoColumnOptions opt;
  opt.zone = region;
  const cfsim::RawSeries raw =
      cfsim::load_two_column_csv(kShared + "lwa/" + region + "_ci.csv", opt);
  lwa::RawTrace rt;
  rt.time_s = raw.start_s;
  rt.value = raw.value;
  rt.origin = region + "_ci.csv";
  return lwa::prepare_trace(rt, v);
}

std::string clock(cfsim::TimeS t) {
  std::string s = cfsim::format_utc(t); // "2021-01-09T23:00:00Z"
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

bool hashes_ok() {
  return sha_matches("lwa/ger_ci.csv",
                     "bb9aa67ed4ce191d8fa0d48346c0c6c0fa8fe82f8e4c94e7cf1c8156c7fb001c") &&
         sha_matches("lwa/gb_ci.csv",
                     "5c771b6d31c6082343e0d9e3a3fc03d05defb6f4cdcc525a374a26ec337a86ac") &&
         sha_matches("lwa/fr_ci.csv",
                     "c097e7f5c64afdfb6e168fc4ba5a920b90f84614fe7eb4e60f2daf65cdde0142") &&
         sha_matches("lwa/ml_jobs.csv",
                     "eeeef3ded4569a2fa078b093f6eef41dfc829da30f050f1785a310e986b6522e");
}

// §2 table: samples kept, first, last and the mean to 4 decimals, exactly as the spec states.
TEST(LwaData, FaithfulChecksumsOfTheRealTraces) {
  ASSERT_TRUE(hashes_ok());
  struct Row {
    const char* region;
    std::size_t kept;
    const char* last;
    double mean;
  };
  for (const Row& r : {Row{"ger", 17999, "2021-01-09 23:00", 316.6952},
                       Row{"gb", 18000, "2021-01-09 23:30", 214.9055},
                       Row{"fr", 17998, "2021-01-09 22:30", 57.1148}}) {
    SCOPED_TRACE(r.region);
    const lwa::PreparedTrace p = prepare(r.region, lwa::Variant::faithful);
    EXPECT_EQ(p.ci.size(), r.kept);
    EXPECT_EQ(clock(p.first_s()), "2020-01-01 00:00");
    EXPECT_EQ(clock(p.last_s()), r.last);
    EXPECT_EQ(std::round(p.mean * 1e4) / 1e4, r.mean);
    EXPECT_EQ(p.partial_slots, 0);
  }
  // The dropped rows: GER 2019-12-20 … 2019-12-31 at 15 min = 12 × 96 rows; its :15/:45 rows
  // from 2020 on are the rest (37,147 rows in the file).
  const lwa::PreparedTrace ger = prepare("ger", lwa::Variant::faithful);
  EXPECT_EQ(ger.rows, 37147);
  EXPECT_EQ(ger.rows_before_start, 12 * 96);
  EXPECT_EQ(ger.rows_off_grid, 37147 - 12 * 96 - 17999);
  // The first kept values (`grep -m1 '^2020-01-01 00:00' lwa/*_ci.csv`).
  EXPECT_EQ(ger.ci.front(), 353.3198751441949);
  EXPECT_EQ(prepare("fr", lwa::Variant::faithful).ci.front(), 56.033470564629994);
}

// C1 (clean): time-weighted means. GER: the two 30-min steps (2020-12-19 23:00 → 23:30 → 00:00)
// leave two slots covered by one 15-min row each, and the file's last row (23:00) half a slot.
// GB: the same at 2020-10-31 23:00/23:30 and 2021-01-09 23:00. Values cross-checked by
// tests/python/lwa_reference.py.
TEST(LwaData, CleanPreparationOfTheRealTraces) {
  ASSERT_TRUE(hashes_ok());
  const lwa::PreparedTrace ger = prepare("ger", lwa::Variant::clean);
  EXPECT_EQ(ger.ci.size(), 17998u);
  EXPECT_EQ(ger.partial_slots, 2);
  EXPECT_EQ(ger.tail_slots_dropped, 1);
  EXPECT_EQ(std::round(ger.mean * 1e4) / 1e4, 316.7190);
  const lwa::PreparedTrace gb = prepare("gb", lwa::Variant::clean);
  EXPECT_EQ(gb.ci.size(), 17999u);
  EXPECT_EQ(gb.partial_slots, 3);
  EXPECT_EQ(std::round(gb.mean * 1e4) / 1e4, 214.8908);
  // FR is 30-min data: nothing to average, each slot is its one row, up to the rounding of the
  // time weighting (v · 1800 s / 1800 s).
  const lwa::PreparedTrace fr = prepare("fr", lwa::Variant::clean);
  const lwa::PreparedTrace fr_point = prepare("fr", lwa::Variant::faithful);
  ASSERT_EQ(fr.ci.size(), fr_point.ci.size());
  for (std::size_t k = 0; k < fr.ci.size(); ++k)
    ASSERT_NEAR(fr.ci[k], fr_point.ci[k], 1e-15 * fr_point.ci[k]) << k;
}

TEST(LwaData, ShippedScenarioFilesValidate) {
  ASSERT_TRUE(hashes_ok());
  for (const char* name :
       {"scenario1.json", "scenario1_clean.json", "scenario2.json", "scenario2_clean.json"}) {
    SCOPED_TRACE(name);
    const std::string d = cfsim::validate_experiment_file(kScenarios + name);
    EXPECT_NE(d.find("lets_wait_awhile scenario"), std::string::npos) << d;
  }
}

// ---------------------------------------------------------------------------------------------
// Experiment files with errors

class LwaFile : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::path(CFSIM_BINARY_DIR) / "lwa_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string write(const std::string& name, const std::string& text) {
    const std::string p = (dir_ / name).string();
    std::ofstream(p) << text;
    return p;
  }
  // A valid Scenario II file on FR with `extra` spliced in (e.g. `"seeds": 2,`).
  std::string file2(const std::string& extra, const std::string& regions = "") {
    const std::string r = regions.empty() ? "{\"fr\": \"" + kShared + "lwa/fr_ci.csv\"}" : regions;
    return write("x.json", "{\"experiment\": \"lets_wait_awhile\", \"name\": \"t2\", " + extra +
                               " \"scenario\": \"II\", \"mode\": \"faithful\", \"regions\": " + r +
                               ", \"jobs\": \"" + kShared +
                               "lwa/ml_jobs.csv\", \"errors\": [0, 0.05], "
                               "\"deadlines\": [\"next_workday\"], \"scheduling\": "
                               "[\"non_interruptible\", \"interruptible\"]}");
  }
  std::string file1(const std::string& body) {
    return write("y.json", "{\"experiment\": \"lets_wait_awhile\", \"name\": \"t1\", "
                           "\"scenario\": \"I\", \"mode\": \"faithful\", \"regions\": {\"fr\": \"" +
                               kShared + "lwa/fr_ci.csv\"}, \"seeds\": 2, " + body + "}");
  }
  fs::path dir_;
};

TEST_F(LwaFile, KeysAndValuesNameThePathAndTheAllowedOnes) {
  using cfsim::ConfigError;
  const auto v = [](const std::string& p) { cfsim::validate_experiment_file(p); };
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file2("\"seeds\": 2, \"sedes\": 1,")); },
                                       {"x.json", "unknown key 'sedes'", "allowed:", "seeds"}));
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file2("")); }, {"/seeds", "is required"}));
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file2("\"seeds\": 0,")); }, {"/seeds", "1..1000"}));
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file2("\"seeds\": 2,", "{\"de\": \"a.csv\"}")); },
                                       {"/regions", "unknown key 'de'", "cal, fr, gb, ger"}));
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file2("\"seeds\": 2, \"windows\": [0],")); },
                                       {"/windows", "applies to scenario I only"}));
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file1("\"errors\": [0], \"windows\": [1, 2]")); },
                                       {"y.json", "/windows", "must include 0"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [&] { v(file1("\"errors\": [0, -0.05], \"windows\": [0]")); }, {"/errors/1", "e ≥ 0"}));
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file1("\"errors\": [0, 0], \"windows\": [0]")); },
                                       {"/errors/1", "twice"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [&] { v(file1("\"errors\": [0], \"windows\": [0, 1], \"histogram_window\": 16")); },
      {"/histogram_window", "not one of the windows"}));
  EXPECT_TRUE(throws_with<ConfigError>(
      [&] { v(file1("\"errors\": [0], \"windows\": [0, 1], \"jobs\": \"j.csv\"")); },
      {"/jobs", "applies to scenario II only"}));
  const std::string bad_mode = write(
      "m.json", "{\"experiment\": \"lets_wait_awhile\", \"name\": \"t\", \"scenario\": \"III\"}");
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(bad_mode); }, {"/scenario", "allowed: I, II"}));
  std::string dl = file2("\"seeds\": 2,");
  std::string text = cfsim::read_file(dl);
  text.replace(text.find("next_workday"), 12, "next_monday");
  EXPECT_TRUE(throws_with<ConfigError>(
      [&] { v(write("d.json", text)); },
      {"/deadlines/0", "'next_monday' is not allowed", "next_workday, semi_weekly"}));
  EXPECT_TRUE(throws_with<ConfigError>([&] { v(file1("\"errors\": [0], \"windows\": [0, 700]")); },
                                       {"/windows/1", "0..672"}));
}

TEST_F(LwaFile, DataErrorsNameFileAndLine) {
  // A missing file, a trace with a gap, a bad job row, a noise file without a needed vector.
  EXPECT_TRUE(throws_with<cfsim::InputError>(
      [&] {
        cfsim::validate_experiment_file(
            file2("\"seeds\": 2,", "{\"fr\": \"" + (dir_ / "none.csv").string() + "\"}"));
      },
      {"none.csv"}));
  const std::string gap = write("gap.csv", "Time,Carbon Intensity\n2020-01-01 00:00:00,10\n"
                                           "2020-01-01 00:30:00,11\n2020-01-01 01:30:00,12\n");
  EXPECT_TRUE(throws_with<cfsim::TraceError>(
      [&] { cfsim::validate_experiment_file(file2("\"seeds\": 2,", "{\"fr\": \"" + gap + "\"}")); },
      {"gap.csv:4:", "no sample at 2020-01-01 01:00", "gap-free"}));
  const std::string jobs = write("jobs.csv", "job_id,submit_utc,duration_min\n0,"
                                             "2020-01-01T09:30:00Z,3180\n1,2020-01-01T10:15:00Z,"
                                             "60\n");
  std::string text = cfsim::read_file(file2("\"seeds\": 2,"));
  text.replace(text.find(kShared + "lwa/ml_jobs.csv"), (kShared + "lwa/ml_jobs.csv").size(), jobs);
  EXPECT_TRUE(throws_with<cfsim::TraceError>(
      [&] { cfsim::validate_experiment_file(write("j.json", text)); },
      {"jobs.csv:3:", "not on the 30-min grid"}));
  const std::string noise =
      write("noise.csv", "region,e,seed,slot,noise_g_per_kwh\nfr,0.05,0,0,1.5\n");
  EXPECT_TRUE(throws_with<cfsim::TraceError>(
      [&] {
        cfsim::validate_experiment_file(file2("\"seeds\": 2, \"noise_file\": \"" + noise + "\","));
      },
      {"noise.csv", "the noise vector region=fr e=0.05 seed=0 has 1 values"}));
}

// ---------------------------------------------------------------------------------------------
// Runs

const cfsim::Field& field(const cfsim::RunResult& r, const std::string& name) {
  for (const cfsim::Field& f : r.summary)
    if (f.name == name)
      return f;
  throw std::runtime_error("no field " + name);
}
double num(const cfsim::RunResult& r, const std::string& name) {
  return std::get<double>(field(r, name).value);
}

// Scenario II on FR with 2 seeds: the same numbers with 1 and 3 threads; an all-zero noise file
// gives the e = 0 decisions at e = 0.05 (the noise enters only through the seen series, §3).
TEST_F(LwaFile, RunIsThreadIndependentAndUsesTheNoiseFile) {
  ASSERT_TRUE(hashes_ok());
  const std::string p = file2("\"seeds\": 2,");
  cfsim::ExperimentOptions one, three;
  one.threads = 1;
  three.threads = 3;
  const cfsim::ResultSet a = cfsim::run_experiment_file(p, one);
  const cfsim::ResultSet b = cfsim::run_experiment_file(p, three);
  ASSERT_EQ(a.runs.size(), 1u + 2 * 2); // baseline + 2 modes × 2 error levels
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    EXPECT_EQ(a.runs[i].name, b.runs[i].name);
    ASSERT_EQ(a.runs[i].summary.size(), b.runs[i].summary.size());
    for (std::size_t j = 0; j < a.runs[i].summary.size(); ++j)
      EXPECT_EQ(a.runs[i].summary[j].value, b.runs[i].summary[j].value)
          << a.runs[i].name << " " << a.runs[i].summary[j].name;
  }
  EXPECT_EQ(a.runs[0].name, "t2/fr/deadline=baseline,scheduling=non_interruptible,e=0/seeds=0");
  EXPECT_EQ(a.runs[2].name, "t2/fr/deadline=next_workday,scheduling=non_interruptible,e=0.05/"
                            "seeds=2");
  EXPECT_EQ(num(a.runs[0], "savings_pct"), 0.0);
  EXPECT_GT(num(a.runs[1], "savings_pct"), 0.0);

  std::string zeros = "region,e,seed,slot,noise_g_per_kwh\n";
  for (int s = 0; s < 2; ++s)
    for (int k = 0; k < 17998; ++k)
      zeros += "fr,0.05," + std::to_string(s) + "," + std::to_string(k) + ",0\n";
  const std::string z = write("zeros.csv", zeros);
  const cfsim::ResultSet c =
      cfsim::run_experiment_file(file2("\"seeds\": 2, \"noise_file\": \"" + z + "\","), one);
  EXPECT_EQ(num(c.runs[2], "emission_score"), num(c.runs[1], "emission_score"));
  EXPECT_EQ(num(c.runs[4], "emission_score"), num(c.runs[3], "emission_score"));
  bool has_noise_attr = false;
  for (const auto& [k, val] : c.attributes)
    has_noise_attr |= k == "noise_file_sha256";
  EXPECT_TRUE(has_noise_attr);
}

} // namespace
