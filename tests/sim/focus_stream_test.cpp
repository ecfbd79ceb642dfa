// The streaming FOCUS importer (sim/io/focus_blocks.cpp, focus_rows.cpp, focus_import.cpp):
// records split block by block must be exactly csv::Reader's whatever the block size, rows that
// straddle blocks must parse as if the file were one block, and `cfsim import focus` must write
// the bytes the whole-trace path wrote. Expected texts are written out by hand from the inputs
// (the rules: docs/formats.md "Writing FOCUS CSV"); the sample's output hash was taken from the
// importer before streaming (commit 30c1bed, `cfsim import focus focus_1.0_sample.csv`).
#include <gtest/gtest.h>

#include "test_support.hpp"

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cfsim/cost_trace.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_cost.hpp"
#include "io/csv.hpp"
#include "io/focus_blocks.hpp"
#include "io/focus_import.hpp"
#include "io/focus_rows.hpp"

namespace {

namespace fs = std::filesystem;
using cfsim::CostRecord;
using cfsim::CostTrace;
using cfsim::test::kShared;
using cfsim::test::throws_with;

// Block sizes that put boundaries everywhere: every size up to 20 bytes (inside a CRLF, between
// a quote and its double, inside the BOM, ...), then sizes around and above a row.
const std::vector<std::size_t> kBlocks = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,  11,  12,
                                          13, 14, 15, 16, 17, 18, 19, 20, 64, 100, 4096};

struct Rec {
  long line = 0;
  std::vector<std::string> fields;
  friend bool operator==(const Rec&, const Rec&) = default;
};

std::vector<Rec> reader_records(const std::string& text) {
  cfsim::csv::Reader r(text, "t.csv");
  std::vector<Rec> out;
  while (r.next())
    out.push_back({r.line(), r.fields()});
  return out;
}

std::vector<Rec> block_records(const std::string& text, std::size_t block) {
  std::vector<Rec> out;
  cfsim::focus::scan_csv_text(text, "t.csv", block, [&](const cfsim::focus::RecordView& v) {
    out.push_back({v.line, std::vector<std::string>(v.fields.begin(), v.fields.end())});
  });
  return out;
}

template <class F> std::string error_of(F&& f) {
  try {
    f();
  } catch (const cfsim::TraceError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string show(const std::string& s) {
  std::string out;
  for (const char c : s)
    out += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Records: the block splitter against csv::Reader

TEST(FocusBlocks, SameRecordsAsCsvReaderAtEveryBlockSize) {
  const std::vector<std::string> texts = {
      "a,b\n1,2\n",
      "a,b\r\n1,2\r\n", // CRLF
      "\xEF\xBB\xBF"
      "a,b\n1,2",                        // BOM, no final line end
      "a,b\n\"x\ny\",\"q\"\"q\"\n3,4\n", // line break and doubled quote inside quotes
      "a,b\r\n\"1\r\n2\",x\r\n",         // CRLF inside quotes stays data
      "a,b\n1,2\n\n\r\n\n",              // trailing blank lines: not records
      "a,b\n\n1,2\n",                    // a blank line in the middle: a record
      "a,b\n1,2,",                       // trailing comma at the end: an empty field
      "a\r",                             // a lone CR at the end is dropped
      "a,\"b\"\r",                       // after a closing quote too
      "x,y\r\r\n",                       // only the CR of the CRLF is dropped
      "\"\"\"\"\n\"\",a\n",              // a field that is one quote; an empty quoted one
      "a,b\n1,\"2\"\"\"\n\"\"\"\",\"a\"\"\"\"b\""}; // quotes at the ends of fields
  for (const std::string& text : texts) {
    const std::vector<Rec> want = reader_records(text);
    ASSERT_FALSE(want.empty()) << show(text);
    for (const std::size_t block : kBlocks)
      EXPECT_EQ(block_records(text, block), want) << show(text) << " block " << block;
  }
  // A known answer besides: the third text's records, lines 1, 2 (spanning 2–3) and 4.
  const std::vector<Rec> quoted = {{1, {"a", "b"}}, {2, {"x\ny", "q\"q"}}, {4, {"3", "4"}}};
  EXPECT_EQ(block_records(texts[3], 7), quoted);
}

TEST(FocusBlocks, SameErrorsAsCsvReaderAtEveryBlockSize) {
  const std::vector<std::string> texts = {
      "a,b\n1,2\n3,\"4\n5\n", // unterminated quoted field (starts on line 3)
      "a,b\n1,2\"x\n",        // quote inside an unquoted field
      "a,b\n1,\"2\"x\n",      // character after a closing quote
      "a,b\n1,\"2\"\r3\n"};   // CR not followed by LF after a closing quote
  for (const std::string& text : texts) {
    const std::string want = error_of([&] { reader_records(text); });
    ASSERT_NE(want, "(no error)") << show(text);
    for (const std::size_t block : kBlocks)
      EXPECT_EQ(error_of([&] { block_records(text, block); }), want)
          << show(text) << " block " << block;
  }
  EXPECT_EQ(
      error_of([&] { block_records(texts[0], 3); }),
      "t.csv:3: unterminated quoted field (a field that starts with '\"' must end with '\"')");
}

// ---------------------------------------------------------------------------------------------
// FOCUS rows across block boundaries

const std::string kHeader =
    "ChargePeriodStart,ChargePeriodEnd,ResourceId,ServiceName,RegionId,ChargeCategory,"
    "PricingCategory,ConsumedQuantity,ConsumedUnit,BilledCost,EffectiveCost,ListCost,"
    "BillingCurrency,ChargeDescription,x_Note";
// Row 1 states no instance type; row 2 (lines 3–4) states m5.large in its description and has a
// note with a line break, a comma and doubled quotes; row 3 is a Credit with NULLs.
const std::string kRow1 = "2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,i-1,EC2,us-east-1,Usage,"
                          "Standard,1,Hours,0.096,0.096,0.096,USD,\"EBS, gp3\",plain";
const std::string kRow2 = "\"2024-09-01 01:00:00\",\"2024-09-01 02:00:00\",i-2,EC2,us-east-1,"
                          "Usage,Standard,1,Hours,0.096,0.096,0.096,USD,"
                          "\"$0.096 per On Demand Linux m5.large Instance Hour\","
                          "\"two\nlines, a \"\"quote\"\"\"";
const std::string kRow3 = "2024-09-01T00:00:00Z,2024-10-01T00:00:00Z,NULL,EC2,NULL,Credit,NULL,"
                          "NULL,NULL,-10,-10,NULL,USD,Promotional credit,NULL";

std::string three_rows(const std::string& eol) {
  // The line break inside row 2's quoted note stays a bare LF whatever `eol` is: it is data.
  return kHeader + eol + kRow1 + eol + kRow2 + eol + kRow3 + eol;
}

::testing::AssertionResult same_records(const CostTrace& a, const CostTrace& b) {
  const auto same_number = [](double x, double y) {
    return (std::isnan(x) && std::isnan(y)) || x == y;
  };
  if (a.extra_columns != b.extra_columns || a.format != b.format)
    return ::testing::AssertionFailure() << "columns or format differ";
  if (a.records.size() != b.records.size())
    return ::testing::AssertionFailure() << a.records.size() << " records vs " << b.records.size();
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    const CostRecord& x = a.records[i];
    const CostRecord& y = b.records[i];
    if (!(x.charge_start_s == y.charge_start_s && x.charge_end_s == y.charge_end_s &&
          x.resource_id == y.resource_id && x.service_name == y.service_name &&
          x.region_id == y.region_id && x.charge_category == y.charge_category &&
          x.pricing_category == y.pricing_category &&
          same_number(x.consumed_quantity, y.consumed_quantity) &&
          x.consumed_unit == y.consumed_unit && same_number(x.billed_cost, y.billed_cost) &&
          same_number(x.effective_cost, y.effective_cost) &&
          same_number(x.list_cost, y.list_cost) && x.billing_currency == y.billing_currency &&
          x.instance_type == y.instance_type && x.extra == y.extra))
      return ::testing::AssertionFailure() << "record " << i << " differs";
  }
  return ::testing::AssertionSuccess();
}

TEST(FocusStream, RowsStraddlingBlocksParseAsOneBlock) {
  const std::string text = three_rows("\n");
  const CostTrace whole = cfsim::focus::parse_trace(text, "s.csv", text.size() + 1);
  // Known answers, read off the rows above (epoch seconds: date -u -d '...' +%s).
  ASSERT_EQ(whole.records.size(), 3u);
  EXPECT_EQ(whole.extra_columns, std::vector<std::string>{"x_Note"});
  EXPECT_EQ(whole.records[0].instance_type, "");
  EXPECT_EQ(whole.records[0].extra, std::vector<std::string>{"plain"});
  EXPECT_EQ(whole.records[1].charge_start_s, 1725152400); // 2024-09-01 01:00:00
  EXPECT_EQ(whole.records[1].instance_type, "m5.large");
  EXPECT_EQ(whole.records[1].extra, std::vector<std::string>{"two\nlines, a \"quote\""});
  EXPECT_EQ(whole.records[2].charge_category, "Credit");
  EXPECT_EQ(whole.records[2].billed_cost, -10.0);
  EXPECT_TRUE(std::isnan(whole.records[2].consumed_quantity));
  EXPECT_EQ(whole.records[2].extra, std::vector<std::string>{""});
  for (const std::size_t block : kBlocks)
    EXPECT_TRUE(same_records(cfsim::focus::parse_trace(text, "s.csv", block), whole))
        << "block " << block;
}

TEST(FocusStream, CrlfRowsGiveTheSameRecords) {
  const CostTrace lf = cfsim::parse_focus_csv(three_rows("\n"), "lf.csv");
  for (const std::size_t block : kBlocks)
    EXPECT_TRUE(same_records(cfsim::focus::parse_trace(three_rows("\r\n"), "crlf.csv", block), lf))
        << "block " << block;
}

TEST(FocusStream, ErrorInALaterBlockNamesFileAndLine) {
  // 40 good rows (lines 2–41), then a bad BilledCost on line 42: far past the first 64-byte block.
  std::string text = kHeader + "\n";
  for (int i = 0; i < 40; ++i)
    text += kRow1 + "\n";
  text += kRow1.substr(0, kRow1.find("0.096,0.096")) + "0.09x" +
          kRow1.substr(kRow1.find("0.096,0.096") + 5) + "\n";
  for (const std::size_t block : {std::size_t{7}, std::size_t{64}, std::size_t{4096}})
    EXPECT_TRUE(throws_with([&] { cfsim::focus::parse_trace(text, "late.csv", block); },
                            {"late.csv:42: ", "BilledCost '0.09x' is not a number"}))
        << "block " << block;
  // After a row whose quoted field spans two lines, line numbers still count the lines.
  const std::string spans = kHeader + "\n" + kRow2 + "\n" + kRow2 + "\n" + kRow1 + ",extra\n";
  for (const std::size_t block : {std::size_t{7}, std::size_t{64}})
    EXPECT_TRUE(throws_with([&] { cfsim::focus::parse_trace(spans, "spans.csv", block); },
                            {"spans.csv:6: ", "row has 16 fields, expected 15"}))
        << "block " << block;
}

// ---------------------------------------------------------------------------------------------
// Files: the streamed file, the in-memory text and `cfsim import focus`

// shared/data/MANIFEST.md
const std::string kSampleSha = "e91e5ac7edf01ed2c9d926f37ef7dc1ae2aae97956fea8da6c9ee488b1c2839e";

class FocusStreamFiles : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("cfsim_focus_stream_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Streams `in` to `out` with the given block and flush sizes.
  static cfsim::FocusImportSummary import(const std::string& in, const std::string& out,
                                          std::size_t block, std::size_t flush, bool thread) {
    cfsim::focus::ImportOptions o;
    o.blocks.block_bytes = block;
    o.blocks.sha256 = true;
    o.blocks.second_thread = thread;
    o.flush_bytes = flush;
    return cfsim::focus::import_csv(in, out, o);
  }

  fs::path dir_;
};

TEST_F(FocusStreamFiles, SampleStreamedEqualsInMemoryAtAnyBlockSize) {
  ASSERT_TRUE(cfsim::test::sha_matches("focus/focus_1.0_sample.csv", kSampleSha));
  const std::string sample = kShared + "focus/focus_1.0_sample.csv";
  const std::string text = cfsim::read_file(sample);
  const CostTrace memory = cfsim::parse_focus_csv(text, sample);
  const CostTrace file = cfsim::load_focus_csv(sample);
  ASSERT_EQ(memory.records.size(), 1000u); // `wc -l` minus the header
  EXPECT_TRUE(same_records(file, memory));
  EXPECT_EQ(file.sha256, cfsim::sha256_hex(text));
  for (const std::size_t block : {std::size_t{7}, std::size_t{1000}, std::size_t{65536}})
    for (const bool thread : {false, true}) {
      cfsim::focus::BlockOptions o;
      o.block_bytes = block;
      o.sha256 = true;
      o.second_thread = thread;
      const CostTrace t = cfsim::focus::load_trace(sample, o);
      EXPECT_TRUE(same_records(t, memory)) << "block " << block << " thread " << thread;
      EXPECT_EQ(t.sha256, file.sha256) << "block " << block << " thread " << thread;
    }
}

TEST_F(FocusStreamFiles, ImportOfTheSampleIsTheBytesWrittenBeforeStreaming) {
  ASSERT_TRUE(cfsim::test::sha_matches("focus/focus_1.0_sample.csv", kSampleSha));
  const std::string sample = kShared + "focus/focus_1.0_sample.csv";
  // sha256sum of `cfsim import focus focus_1.0_sample.csv -o out.csv` at commit 30c1bed, when the
  // importer still held the whole trace.
  const std::string kBefore = "6a6970b82a0ff9789a91a00a5cbd249cadc6974fefd3c7558bdec7aafb75f41e";
  EXPECT_EQ(cfsim::sha256_hex(cfsim::format_focus_csv(cfsim::load_focus_csv(sample))), kBefore);
  // Tiny blocks and a flush after every row: the first m5.large row is row 21, so the 20 rows
  // before it are rewritten with a NULL x_InstanceType from the file.
  for (const auto& [block, flush] : {std::pair<std::size_t, std::size_t>{7, 1},
                                     {4096, 1},
                                     {cfsim::focus::kDefaultBlockBytes, std::size_t{4} << 20}}) {
    const std::string out = path("sample_subset.csv");
    const cfsim::FocusImportSummary s = import(sample, out, block, flush, block == 4096);
    EXPECT_EQ(s.rows, 1000u);
    EXPECT_EQ(s.sha256, kSampleSha);
    EXPECT_EQ(cfsim::sha256_hex(cfsim::read_file(out)), kBefore) << "block " << block;
    EXPECT_FALSE(fs::exists(out + ".tmp"));
  }
}

TEST_F(FocusStreamFiles, InstanceColumnAddedWhenAFirstTypeAppearsLate) {
  const std::string in = write("late.csv", three_rows("\n"));
  // By hand from kRow1..3: times in ISO form, NULL for empty text and numbers, the note quoted
  // again with its quotes doubled; row 1 (written before row 2 showed a type) gets NULL.
  const std::string want =
      "ChargePeriodStart,ChargePeriodEnd,ResourceId,ServiceName,RegionId,ChargeCategory,"
      "PricingCategory,ConsumedQuantity,ConsumedUnit,BilledCost,EffectiveCost,ListCost,"
      "BillingCurrency,x_InstanceType,x_Note\n"
      "2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,i-1,EC2,us-east-1,Usage,Standard,1,Hours,0.096,"
      "0.096,0.096,USD,NULL,plain\n"
      "2024-09-01T01:00:00Z,2024-09-01T02:00:00Z,i-2,EC2,us-east-1,Usage,Standard,1,Hours,0.096,"
      "0.096,0.096,USD,m5.large,\"two\nlines, a \"\"quote\"\"\"\n"
      "2024-09-01T00:00:00Z,2024-10-01T00:00:00Z,NULL,EC2,NULL,Credit,NULL,NULL,NULL,-10,-10,NULL,"
      "USD,NULL,NULL\n";
  EXPECT_EQ(cfsim::format_focus_csv(cfsim::load_focus_csv(in)), want);
  for (const std::size_t flush : {std::size_t{1}, std::size_t{1} << 20})
    for (const std::size_t block : {std::size_t{5}, std::size_t{4096}}) {
      const std::string out = path("late_subset.csv");
      import(in, out, block, flush, block == 5);
      EXPECT_EQ(cfsim::read_file(out), want) << "block " << block << " flush " << flush;
    }
  // No row states a type: no column, as format_focus_csv decides for the whole trace.
  const std::string none = write("none.csv", kHeader + "\n" + kRow1 + "\n" + kRow3 + "\n");
  const std::string out = path("none_subset.csv");
  import(none, out, 16, 1, true);
  EXPECT_EQ(cfsim::read_file(out), cfsim::format_focus_csv(cfsim::load_focus_csv(none)));
  EXPECT_EQ(cfsim::read_file(out).find("x_InstanceType"), std::string::npos);
}

TEST_F(FocusStreamFiles, ErrorLeavesNoOutputAndKeepsAnOldOne) {
  std::string text = kHeader + "\n";
  for (int i = 0; i < 40; ++i)
    text += kRow1 + "\n";
  text += kRow1 + ",extra\n"; // line 42: 16 fields
  const std::string in = write("bad.csv", text);
  const std::string out = write("old.csv", "the previous output\n");
  EXPECT_TRUE(throws_with([&] { import(in, out, 64, 1, true); },
                          {"bad.csv:42: ", "row has 16 fields, expected 15"}));
  EXPECT_EQ(cfsim::read_file(out), "the previous output\n");
  EXPECT_FALSE(fs::exists(out + ".tmp"));
  // A missing input is an InputError naming it; a missing output folder a StoreError.
  EXPECT_TRUE(throws_with<cfsim::InputError>(
      [&] { cfsim::import_focus_csv(path("no_such.csv"), path("x.csv")); }, {"no_such.csv"}));
  EXPECT_TRUE(throws_with<cfsim::StoreError>(
      [&] { cfsim::import_focus_csv(write("ok.csv", three_rows("\n")), path("no/dir/x.csv")); },
      {"folder", "does not exist"}));
}

} // namespace
