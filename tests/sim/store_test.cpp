// The HDF5 result store (DESIGN §9, docs/result-schema.md): exact round trips and the failure
// modes of writing and reading. tests/python/read_back.py checks the same layout from Python.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <utility>
#include <variant>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/store.hpp"
#include "store_fixture.hpp"

namespace fs = std::filesystem;

namespace cfsim {
namespace {

// A fresh scratch folder per test under the tests build folder.
fs::path scratch() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::path(CFSIM_BINARY_DIR) / "store_test_scratch" /
                 (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// Doubles compare by bit pattern: NaN == NaN, -0.0 != 0.0.
bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

using FieldValue = decltype(Field::value);

std::string show(const FieldValue& v) {
  std::ostringstream os;
  std::visit([&](const auto& x) { os << x; }, v);
  return os.str();
}

void expect_field(const Field& got, const Field& want, const std::string& where) {
  SCOPED_TRACE(where + " field " + want.name);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.units, want.units);
  ASSERT_EQ(got.value.index(), want.value.index()) << show(got.value) << " vs " << show(want.value);
  if (const auto* d = std::get_if<double>(&want.value)) {
    EXPECT_TRUE(same_bits(std::get<double>(got.value), *d))
        << std::get<double>(got.value) << " vs " << *d;
  } else {
    EXPECT_EQ(got.value, want.value);
  }
}

void expect_series(const NamedSeries& got, const NamedSeries& want, const std::string& where) {
  SCOPED_TRACE(where + " series " + want.name);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.units, want.units);
  ASSERT_EQ(got.values.size(), want.values.size());
  for (std::size_t i = 0; i < want.values.size(); ++i)
    EXPECT_TRUE(same_bits(got.values[i], want.values[i]))
        << "cell " << i << ": " << got.values[i] << " vs " << want.values[i];
}

void expect_job(const JobRecord& got, const JobRecord& want, const std::string& where) {
  SCOPED_TRACE(where + " job " + std::to_string(want.job_id));
  EXPECT_EQ(got.job_id, want.job_id);
  EXPECT_EQ(got.arrival_s, want.arrival_s);
  EXPECT_EQ(got.start_s, want.start_s);
  EXPECT_EQ(got.end_s, want.end_s);
  EXPECT_EQ(got.pieces, want.pieces);
  EXPECT_TRUE(same_bits(got.cpus, want.cpus));
  EXPECT_TRUE(same_bits(got.wait_h, want.wait_h));
  EXPECT_TRUE(same_bits(got.energy_kwh, want.energy_kwh));
  EXPECT_TRUE(same_bits(got.co2e_g, want.co2e_g));
  EXPECT_TRUE(same_bits(got.co2e_coverage, want.co2e_coverage));
  EXPECT_TRUE(same_bits(got.co2e_filled_share, want.co2e_filled_share));
  EXPECT_TRUE(same_bits(got.cost_usd, want.cost_usd));
  EXPECT_EQ(got.deadline_missed, want.deadline_missed);
  EXPECT_EQ(got.blind, want.blind);
}

void expect_table(const Table& got, const Table& want) {
  SCOPED_TRACE("table " + want.name);
  EXPECT_EQ(got.name, want.name);
  ASSERT_EQ(got.columns.size(), want.columns.size());
  for (std::size_t c = 0; c < want.columns.size(); ++c) {
    const TableColumn& g = got.columns[c];
    const TableColumn& w = want.columns[c];
    SCOPED_TRACE("column " + w.name);
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.units, w.units);
    ASSERT_EQ(g.values.index(), w.values.index());
    if (const auto* d = std::get_if<std::vector<double>>(&w.values)) {
      const auto& gd = std::get<std::vector<double>>(g.values);
      ASSERT_EQ(gd.size(), d->size());
      for (std::size_t r = 0; r < d->size(); ++r)
        EXPECT_TRUE(same_bits(gd[r], (*d)[r])) << "row " << r << ": " << gd[r] << " vs " << (*d)[r];
    } else {
      EXPECT_EQ(g.values, w.values);
    }
  }
}

// Exact comparison of two result sets (series compared in order).
void expect_same(const ResultSet& got, const ResultSet& want) {
  EXPECT_EQ(got.grid, want.grid);
  EXPECT_EQ(got.attributes, want.attributes);
  ASSERT_EQ(got.tables.size(), want.tables.size());
  for (std::size_t t = 0; t < want.tables.size(); ++t)
    expect_table(got.tables[t], want.tables[t]);
  ASSERT_EQ(got.runs.size(), want.runs.size());
  for (std::size_t r = 0; r < want.runs.size(); ++r) {
    const RunResult& g = got.runs[r];
    const RunResult& w = want.runs[r];
    SCOPED_TRACE("run " + w.name);
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.strategy, w.strategy);
    EXPECT_EQ(g.status, w.status);
    EXPECT_EQ(g.message, w.message);
    ASSERT_EQ(g.summary.size(), w.summary.size());
    for (std::size_t f = 0; f < w.summary.size(); ++f)
      expect_field(g.summary[f], w.summary[f], w.name);
    ASSERT_EQ(g.series.size(), w.series.size());
    for (std::size_t s = 0; s < w.series.size(); ++s)
      expect_series(g.series[s], w.series[s], w.name);
    ASSERT_EQ(g.jobs.size(), w.jobs.size());
    for (std::size_t j = 0; j < w.jobs.size(); ++j)
      expect_job(g.jobs[j], w.jobs[j], w.name);
  }
}

// What the fixture reads back as: schema_version first, run b's series in run a's order.
ResultSet expected_fixture() {
  ResultSet rs = testing::store_fixture();
  rs.attributes.insert(rs.attributes.begin(), {"schema_version", "1"});
  auto& b = rs.runs[1].series;
  std::swap(b[0], b[1]);
  return rs;
}

TEST(StoreRoundTrip, EveryValueComesBackExactly) {
  const fs::path dir = scratch();
  const std::string path = (dir / "fixture.h5").string();
  write_results(path, testing::store_fixture());
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  const ResultSet got = read_results(path);
  expect_same(got, expected_fixture());

  // Spot checks that do not go through the helper: the union of fields and the error run.
  ASSERT_EQ(got.runs.size(), 3u);
  EXPECT_EQ(got.runs[0].summary.size(), 4u); // energy, co2e, jobs, zone (no blind_decisions)
  EXPECT_EQ(got.runs[1].summary.back().name, "blind_decisions");
  EXPECT_TRUE(std::isnan(std::get<double>(got.runs[0].summary[1].value)));
  EXPECT_TRUE(std::signbit(std::get<double>(got.runs[1].summary[0].value))); // -0.0 kept
  EXPECT_EQ(got.runs[2].status, "error");
  EXPECT_TRUE(got.runs[2].summary.empty());
  EXPECT_TRUE(got.runs[2].series.empty());
  EXPECT_TRUE(got.runs[2].jobs.empty());
}

// Extra tables (/tables/<name>): every column type comes back exactly, in order, beside the
// reserved summary and jobs tables; a table without rows too.
TEST(StoreTables, ExtraTablesComeBackExactly) {
  const fs::path dir = scratch();
  const std::string path = (dir / "tables.h5").string();
  ResultSet rs = testing::store_fixture();
  rs.tables.push_back(Table{"empty",
                            {{"run", "", std::vector<std::int64_t>{}},
                             {"tac", "1", std::vector<double>{}},
                             {"note", "", std::vector<std::string>{}}}});
  write_results(path, rs);
  const ResultSet got = read_results(path);
  ASSERT_EQ(got.tables.size(), 2u);
  EXPECT_EQ(got.tables[0].name, "quality");
  EXPECT_EQ(got.tables[0].rows(), 3u);
  EXPECT_EQ(std::get<std::vector<std::string>>(got.tables[0].columns[2].values)[2],
            "Stadtwerke M\xc3\xbcnchen");
  EXPECT_TRUE(std::signbit(std::get<std::vector<double>>(got.tables[0].columns[3].values)[1]));
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(got.tables[0].columns[4].values)[2],
            9007199254740993);
  EXPECT_EQ(got.tables[1].name, "empty");
  EXPECT_EQ(got.tables[1].rows(), 0u);
  expect_same(got, [&] {
    ResultSet want = expected_fixture();
    want.tables = rs.tables;
    return want;
  }());
}

TEST(StoreTables, BadTablesAreRejectedBeforeTouchingFiles) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  auto rejects = [&](ResultSet rs, const std::string& words) {
    try {
      write_results(path, rs);
      ADD_FAILURE() << "expected StoreError mentioning " << words;
    } catch (const StoreError& e) {
      EXPECT_EQ(e.code(), ExitCode::io_error);
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".tmp"));
  };
  const ResultSet base = testing::store_fixture();
  for (const char* reserved : {"summary", "jobs"}) {
    ResultSet rs = base;
    rs.tables[0].name = reserved;
    rejects(rs, "'" + std::string(reserved) + "' is reserved");
  }
  ResultSet rs = base;
  rs.tables[0].name = "a/b";
  rejects(rs, "'a/b' is not a valid dataset name");
  rs = base;
  rs.tables.push_back(rs.tables[0]);
  rejects(rs, "table 'quality' appears twice");
  rs = base;
  std::get<std::vector<double>>(rs.tables[0].columns[3].values).pop_back();
  rejects(rs, "column 'filled_share' of table 'quality' has 2 values, column 'run' has 3");
  rs = base;
  rs.tables[0].columns.push_back(rs.tables[0].columns[0]);
  rejects(rs, "has column 'run' twice");
  rs = base;
  rs.tables[0].columns.clear();
  rejects(rs, "table 'quality' has no columns");
  rs = base;
  std::get<std::vector<std::string>>(rs.tables[0].columns[1].values)[0] = std::string("a\0b", 3);
  rejects(rs, "NUL");
}

TEST(StoreRoundTrip, RewritingAReadFileGivesTheSameResults) {
  const fs::path dir = scratch();
  const std::string first = (dir / "first.h5").string();
  const std::string second = (dir / "second.h5").string();
  write_results(first, testing::store_fixture());
  const ResultSet once = read_results(first);
  write_results(second, once); // carries schema_version as an attribute: kept in place
  expect_same(read_results(second), once);
}

TEST(StoreRoundTrip, CallerSuppliedSchemaVersionKeepsItsPlace) {
  const fs::path dir = scratch();
  const std::string path = (dir / "sv.h5").string();
  ResultSet rs = testing::store_fixture();
  rs.attributes.insert(rs.attributes.begin() + 2, {"schema_version", "1"});
  write_results(path, rs);
  EXPECT_EQ(read_results(path).attributes, rs.attributes);
}

TEST(StoreRoundTrip, EmptyResultSet) {
  const fs::path dir = scratch();
  const std::string path = (dir / "empty.h5").string();
  ResultSet rs;
  rs.grid = TimeGrid{0, 900, 96};
  write_results(path, rs);
  const ResultSet got = read_results(path);
  EXPECT_EQ(got.grid, rs.grid);
  EXPECT_TRUE(got.runs.empty());
  EXPECT_EQ(got.attributes,
            (std::vector<std::pair<std::string, std::string>>{{"schema_version", "1"}}));
}

TEST(StoreRoundTrip, OnlyErrorRunsAndNoJobs) {
  const fs::path dir = scratch();
  const std::string path = (dir / "errors.h5").string();
  ResultSet rs;
  rs.grid = TimeGrid{1585440000, 300, 3};
  rs.attributes = {{"schema_version", "1"}};
  RunResult r;
  r.name = "s/x/seed=1";
  r.status = "error";
  r.message = "boom";
  rs.runs = {r};
  write_results(path, rs);
  expect_same(read_results(path), rs);
}

TEST(StoreRoundTrip, StaleTmpFileIsReplaced) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  spit(path + ".tmp", "left over from a crashed run");
  write_results(path, testing::store_fixture());
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  expect_same(read_results(path), expected_fixture());
}

TEST(StoreWrite, MissingDirectoryIsCantCreateAndLeavesNothing) {
  const fs::path dir = scratch();
  const std::string path = (dir / "no" / "such" / "dir" / "out.h5").string();
  try {
    write_results(path, testing::store_fixture());
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), ExitCode::cant_create);
    EXPECT_EQ(static_cast<int>(e.code()), 73);
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find("No such file or directory"), std::string::npos) << what;
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_FALSE(fs::exists(dir / "no"));
}

TEST(StoreWrite, ExistingFileSurvivesWhenTheTmpFileCannotBeCreated) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  spit(path, "precious earlier results");
  fs::create_directory(path + ".tmp"); // H5Fcreate on a directory fails
  try {
    write_results(path, testing::store_fixture());
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), ExitCode::cant_create);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(path), "precious earlier results");
  EXPECT_TRUE(fs::is_directory(path + ".tmp")); // not ours: left alone
}

TEST(StoreWrite, ExistingResultFileSurvivesAFailureMidWrite) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  write_results(path, testing::store_fixture());
  const std::string before = slurp(path);

  // A file-size limit makes HDF5's writes fail with EFBIG once the file has been created:
  // the failure happens inside HDF5, after the .tmp file exists.
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit small = old;
  small.rlim_cur = 1024;
  auto* old_handler = std::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  ResultSet big = testing::store_fixture();
  big.attributes.emplace_back("padding", std::string(64 * 1024, 'x'));
  bool threw = false;
  try {
    write_results(path, big);
  } catch (const StoreError& e) {
    threw = true;
    EXPECT_EQ(e.code(), ExitCode::io_error) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_TRUE(threw);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_EQ(slurp(path), before);
  expect_same(read_results(path), expected_fixture());
}

TEST(StoreWrite, UnrepresentableResultSetIsRejectedBeforeTouchingFiles) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  spit(path, "precious");
  ResultSet rs = testing::store_fixture();
  rs.runs[1].series[0].values.pop_back();
  try {
    write_results(path, rs);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), ExitCode::io_error);
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find("fleet_running"), std::string::npos) << what;
    EXPECT_NE(what.find("3 values, the grid has 4 cells"), std::string::npos) << what;
  }
  EXPECT_EQ(slurp(path), "precious");
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(StoreWrite, InconsistentFieldTypesAreRejected) {
  const fs::path dir = scratch();
  ResultSet rs = testing::store_fixture();
  rs.runs[1].summary[2].value = 1.5; // "jobs" is int64 in run a
  try {
    write_results((dir / "out.h5").string(), rs);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("'jobs' is double"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(StoreWrite, DestinationThatIsADirectoryFailsAndRemovesTmp) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  fs::create_directory(path);
  spit(fs::path(path) / "keep", "x");
  try {
    write_results(path, testing::store_fixture());
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), ExitCode::cant_create);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_TRUE(fs::exists(fs::path(path) / "keep"));
}

TEST(StoreRead, MissingFileIsInputError) {
  const fs::path dir = scratch();
  const std::string path = (dir / "nothing.h5").string();
  try {
    read_results(path);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ExitCode::no_input);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(StoreRead, NonHdf5FileIsNotAResultFile) {
  const fs::path dir = scratch();
  const std::string path = (dir / "notes.h5").string();
  spit(path, "time,value\n0,1\n");
  try {
    read_results(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_data);
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find("not an HDF5 file"), std::string::npos) << what;
  }
}

TEST(StoreRead, TruncatedResultFileIsAnError) {
  const fs::path dir = scratch();
  const std::string path = (dir / "cut.h5").string();
  write_results(path, testing::store_fixture());
  const std::string bytes = slurp(path);
  spit(path, bytes.substr(0, bytes.size() / 2));
  try {
    read_results(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// The capacity, region and spot columns of /tables/jobs (methodology §5.1–5.2) come back
// exactly; text longer than the fixed column width is rejected before any file is touched.
TEST(StoreJobs, CapacityRegionAndSpotColumnsComeBack) {
  const fs::path dir = scratch();
  const std::string path = (dir / "jobs.h5").string();
  ResultSet rs = testing::store_fixture();
  JobRecord& j = rs.runs[0].jobs[1];
  j.capacity = "spot";
  j.region = "eu-west-1";
  j.interruptions = 3;
  j.lost_work_h = 0.75;
  j.unfinished_work_h = 0.5;
  write_results(path, rs);
  const ResultSet got = read_results(path);
  const JobRecord& g = got.runs[0].jobs[1];
  EXPECT_EQ(g.capacity, "spot");
  EXPECT_EQ(g.region, "eu-west-1");
  EXPECT_EQ(g.interruptions, 3);
  EXPECT_EQ(g.lost_work_h, 0.75);
  EXPECT_EQ(g.unfinished_work_h, 0.5);
  EXPECT_EQ(got.runs[0].jobs[0].capacity, "on_demand");
  EXPECT_EQ(got.runs[0].jobs[0].region, "");
  EXPECT_EQ(got.runs[0].jobs[0].interruptions, 0);

  j.region = std::string(33, 'x');
  const std::string bad = (dir / "bad.h5").string();
  EXPECT_THROW(write_results(bad, rs), StoreError);
  EXPECT_FALSE(fs::exists(bad));
  EXPECT_FALSE(fs::exists(bad + ".tmp"));
}

} // namespace
} // namespace cfsim

namespace cfsim {
namespace {

// A result set larger than one default batch (512 runs): every 7th run failed (no fields, no
// series: NaN rows), a text field whose longest value comes late, a field that only later runs
// have, and jobs on some runs. Values are distinct per run, so a row written to the wrong place
// shows.
ResultSet many_runs(std::size_t count) {
  ResultSet rs;
  rs.grid = TimeGrid{1585440000, 3600, 24};
  rs.attributes = {{"tool_version", "0.1.0"}, {"note", "streamed"}};
  for (std::size_t r = 0; r < count; ++r) {
    RunResult run;
    run.name = "many/s" + std::to_string(r % 3) + "/seed=" + std::to_string(r);
    run.strategy = "s" + std::to_string(r % 3);
    if (r % 7 == 3) {
      run.status = "error";
      run.message = std::string(1 + r % 40, 'e');
      rs.runs.push_back(std::move(run));
      continue;
    }
    const auto x = static_cast<double>(r);
    run.summary = {{"energy_kwh", "kW h", x + 0.5},
                   {"jobs", "1", static_cast<std::int64_t>(r) - 500},
                   {"zone", "", std::string(r == count - 1 ? 30 : 1 + r % 5, 'z')}};
    if (r > count / 2)
      run.summary.push_back({"late_field", "1", -x});
    std::vector<double> ci(24), on(24);
    for (std::size_t i = 0; i < 24; ++i) {
      ci[i] = x * 100 + static_cast<double>(i);
      on[i] = i % 5 == 0 ? std::numeric_limits<double>::quiet_NaN() : -x;
    }
    run.series = {{"intensity_g_per_kwh", "g kW-1 h-1", ci}, {"fleet_running", "1", on}};
    for (std::size_t j = 0; j < r % 4; ++j) {
      JobRecord job;
      job.job_id = static_cast<std::int64_t>(r * 10 + j);
      job.energy_kwh = x;
      job.capacity = j == 1 ? "spot" : "on_demand";
      job.region = j == 2 ? "eu-west-1" : "";
      run.jobs.push_back(job);
    }
    rs.runs.push_back(std::move(run));
  }
  rs.tables = testing::store_fixture().tables;
  return rs;
}

// The streamed write, as `cfsim sweep` does it: a first pass, then the runs in batches.
void write_streamed(const std::string& path, const ResultSet& rs, std::size_t batch_runs) {
  ResultShape shape(path, rs.grid, rs.attributes);
  for (const auto& run : rs.runs)
    shape.add_run(run);
  for (const auto& table : rs.tables)
    shape.add_table(table);
  ResultWriter out(shape, batch_runs);
  for (const auto& run : rs.runs)
    out.append(run);
  for (const auto& table : rs.tables)
    out.write_table(table);
  out.finish();
}

// tests/python/compare_results.py: every dataset and attribute bit for bit (h5py).
int compare_with_python(const std::string& a, const std::string& b) {
  const std::string cmd = "/usr/bin/python3 " + std::string(CFSIM_SOURCE_DIR) +
                          "/tests/python/compare_results.py '" + a + "' '" + b + "' >/dev/null";
  return std::system(cmd.c_str());
}

TEST(StoreStream, BatchesOfAnySizeGiveWhatWriteResultsGives) {
  const fs::path dir = scratch();
  const ResultSet rs = many_runs(1100);
  const std::string whole = (dir / "whole.h5").string();
  write_results(whole, rs);
  ResultSet want = rs;
  want.attributes.insert(want.attributes.begin(), {"schema_version", "1"});
  const ResultSet got_whole = read_results(whole);
  expect_same(got_whole, want);
  // Spot checks: the late text width, the late field's filler, an error run's NaN rows.
  EXPECT_EQ(std::get<std::string>(got_whole.runs[1099].summary[2].value), std::string(30, 'z'));
  EXPECT_EQ(got_whole.runs[11].summary.size(), 3u);
  EXPECT_EQ(got_whole.runs[1000].summary.back().name, "late_field");
  EXPECT_TRUE(got_whole.runs[3].series.empty());
  EXPECT_EQ(got_whole.runs[3].message, std::string(4, 'e'));

  for (const std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{512}}) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    const std::string streamed = (dir / ("streamed" + std::to_string(batch) + ".h5")).string();
    write_streamed(streamed, rs, batch);
    EXPECT_FALSE(fs::exists(streamed + ".tmp"));
    expect_same(read_results(streamed), got_whole);
    EXPECT_EQ(compare_with_python(whole, streamed), 0);
  }
  // The check can fail: another value in one series cell is a difference.
  ResultSet other = rs;
  other.runs[600].series[0].values[5] += 1;
  const std::string changed = (dir / "changed.h5").string();
  write_streamed(changed, other, 64);
  EXPECT_NE(compare_with_python(whole, changed), 0);
}

TEST(StoreStream, TheFixtureStreamsExactly) {
  const fs::path dir = scratch();
  const std::string path = (dir / "fixture.h5").string();
  write_streamed(path, testing::store_fixture(), 2);
  expect_same(read_results(path), expected_fixture());
}

TEST(StoreStream, AnUnfinishedWriterLeavesNoFile) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  spit(path, "precious");
  const ResultSet rs = many_runs(20);
  ResultShape shape(path, rs.grid, rs.attributes);
  for (const auto& run : rs.runs)
    shape.add_run(run);
  {
    ResultWriter out(shape, 4);
    for (std::size_t r = 0; r < 10; ++r)
      out.append(rs.runs[r]);
    EXPECT_TRUE(fs::exists(path + ".tmp"));
  } // destroyed unfinished (e.g. an exception in the caller)
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_EQ(slurp(path), "precious");
}

TEST(StoreStream, RunsOtherThanTheFirstPassSawAreRejected) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  const ResultSet rs = many_runs(20);
  ResultShape shape(path, rs.grid, rs.attributes);
  for (const auto& run : rs.runs)
    shape.add_run(run);
  auto rejects = [&](const RunResult& second, const std::string& words) {
    ResultWriter out(shape, 4);
    out.append(rs.runs[0]);
    try {
      out.append(second);
      ADD_FAILURE() << "expected StoreError mentioning " << words;
    } catch (const StoreError& e) {
      EXPECT_EQ(e.code(), ExitCode::io_error);
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    EXPECT_THROW(out.finish(), StoreError); // a failed writer stays failed
    EXPECT_FALSE(fs::exists(path));
  };
  rejects(rs.runs[2], "is not the run the first pass saw at row 1");
  RunResult longer = rs.runs[1];
  std::get<std::string>(longer.summary[2].value) = std::string(40, 'z');
  rejects(longer, "longer than the first pass saw");
  RunResult extra = rs.runs[1];
  extra.summary.push_back({"unseen", "1", 1.0});
  rejects(extra, "field 'unseen' that the first pass did not see");
  // Too few runs: finish refuses an incomplete file.
  ResultWriter out(shape, 4);
  out.append(rs.runs[0]);
  EXPECT_THROW(out.finish(), StoreError);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

// A write that fails inside HDF5 in the middle of a streamed file (the file-size limit makes a
// chunk write fail with EFBIG after many batches): StoreError, no .tmp, the earlier file intact,
// and the process carries on (HDF5 1.10 would crash at exit on a file it could not close).
TEST(StoreStream, AFailureAfterManyBatchesLeavesTheEarlierFile) {
  const fs::path dir = scratch();
  const std::string path = (dir / "out.h5").string();
  write_results(path, testing::store_fixture());
  const std::string before = slurp(path);

  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit small = old;
  small.rlim_cur = 256 * 1024;
  auto* old_handler = std::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  ResultSet big = many_runs(3000);
  for (auto& run : big.runs)
    for (auto& s : run.series)
      for (std::size_t i = 0; i < s.values.size(); ++i)
        s.values[i] =
            std::sin(static_cast<double>(i * 7919 + run.name.size() * 104729) + s.values[i]);
  bool threw = false;
  try {
    write_streamed(path, big, 16);
  } catch (const StoreError& e) {
    threw = true;
    EXPECT_EQ(e.code(), ExitCode::io_error) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_TRUE(threw);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_EQ(slurp(path), before);
  // The store still works after the failure.
  write_streamed(path, big, 16);
  EXPECT_EQ(read_results(path).runs.size(), 3000u);
}

} // namespace
} // namespace cfsim
