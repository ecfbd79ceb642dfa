// Billing and price importers (sim/io/import_{focus,cur,cost_explorer,spot_history}.cpp), the
// FOCUS writer (sim/io/write_focus.cpp) and the billing-column choice (core/cost_trace.cpp).
// Expected values are hand-computed (epoch seconds from `date -u -d '<time>' +%s`), or read from
// the files with the command quoted next to them. The real FOCUS sample in ../shared/data is
// hash-checked against shared/data/MANIFEST.md first.
#include <gtest/gtest.h>

#include "test_support.hpp"

#include <cmath>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "cfsim/cost_trace.hpp"
#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_cost.hpp"
#include "io/csv.hpp"

namespace {

using cfsim::test::count_gaps;
using cfsim::test::count_quality;
using cfsim::test::kShared;
using cfsim::test::sha_matches;
using cfsim::test::throws_with;

using cfsim::CostRecord;
using cfsim::CostTrace;
using cfsim::RawSeries;
using cfsim::TimeS;

const std::string kCost = std::string(CFSIM_SOURCE_DIR) + "/tests/fixtures/cost/";
const std::string kFocusSample = "focus/focus_1.0_sample.csv";
const std::string kFocusSha = "e91e5ac7edf01ed2c9d926f37ef7dc1ae2aae97956fea8da6c9ee488b1c2839e";
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Epoch seconds, from `date -u -d '<time>' +%s`.
constexpr TimeS k0901_00 = 1725148800; // 2024-09-01 00:00:00
constexpr TimeS k0901_01 = 1725152400; // 2024-09-01 01:00:00
constexpr TimeS k0901_02 = 1725156000; // 2024-09-01 02:00:00
constexpr TimeS k0901_03 = 1725159600; // 2024-09-01 03:00:00
constexpr TimeS k0902_00 = 1725235200; // 2024-09-02 00:00:00
constexpr TimeS k0903_00 = 1725321600; // 2024-09-03 00:00:00
constexpr TimeS k1001_00 = 1727740800; // 2024-10-01 00:00:00

bool same_number(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Field-by-field equality, NaN equal to NaN (a NULL stays a NULL).
::testing::AssertionResult same_records(const CostTrace& a, const CostTrace& b) {
  if (a.extra_columns != b.extra_columns)
    return ::testing::AssertionFailure() << "extra columns differ";
  if (a.records.size() != b.records.size())
    return ::testing::AssertionFailure() << a.records.size() << " records vs " << b.records.size();
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    const CostRecord& x = a.records[i];
    const CostRecord& y = b.records[i];
    const bool same =
        x.charge_start_s == y.charge_start_s && x.charge_end_s == y.charge_end_s &&
        x.resource_id == y.resource_id && x.service_name == y.service_name &&
        x.region_id == y.region_id && x.charge_category == y.charge_category &&
        x.pricing_category == y.pricing_category &&
        same_number(x.consumed_quantity, y.consumed_quantity) &&
        x.consumed_unit == y.consumed_unit && same_number(x.billed_cost, y.billed_cost) &&
        same_number(x.effective_cost, y.effective_cost) && same_number(x.list_cost, y.list_cost) &&
        x.billing_currency == y.billing_currency && x.instance_type == y.instance_type &&
        x.extra == y.extra;
    if (!same)
      return ::testing::AssertionFailure() << "record " << i << " differs";
  }
  return ::testing::AssertionSuccess();
}

// The canonical subset header, for inline FOCUS texts.
const std::string kFocusHeader =
    "ChargePeriodStart,ChargePeriodEnd,ResourceId,ServiceName,RegionId,ChargeCategory,"
    "PricingCategory,ConsumedQuantity,ConsumedUnit,BilledCost,EffectiveCost,ListCost,"
    "BillingCurrency";
// One valid row for kFocusHeader; tests replace one field to break it.
const std::string kFocusRow = "2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,i-1,Amazon Elastic "
                              "Compute Cloud,us-east-1,Usage,Standard,1,Hours,0.096,0.096,0.096,"
                              "USD";

std::string focus_text(const std::string& row) {
  return kFocusHeader + "\n" + row + "\n";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const std::size_t p = s.find(from);
  if (p != std::string::npos)
    s.replace(p, from.size(), to);
  return s;
}

// ---------------------------------------------------------------------------------------------
// CostColumn

TEST(CostColumnNames, ToStringNamesTheFocusColumn) {
  EXPECT_STREQ(cfsim::to_string(cfsim::CostColumn::billed), "BilledCost");
  EXPECT_STREQ(cfsim::to_string(cfsim::CostColumn::effective), "EffectiveCost");
  EXPECT_STREQ(cfsim::to_string(cfsim::CostColumn::list), "ListCost");
}

TEST(CostColumnValue, CostOfPicksTheColumnAndKeepsNull) {
  CostRecord r;
  r.billed_cost = 0.096;
  r.effective_cost = 0.0; // covered usage: EffectiveCost 0 (DESIGN §7)
  r.list_cost = kNaN;     // NULL in the source
  EXPECT_EQ(cfsim::cost_of(r, cfsim::CostColumn::billed), 0.096);
  EXPECT_EQ(cfsim::cost_of(r, cfsim::CostColumn::effective), 0.0);
  EXPECT_TRUE(std::isnan(cfsim::cost_of(r, cfsim::CostColumn::list)));
}

// ---------------------------------------------------------------------------------------------
// FOCUS: the real sample (shared/data/focus/focus_1.0_sample.csv, FOCUS-Sample-Data @adbdd17a)

class ImportFocusSample : public ::testing::Test {
protected:
  // Loaded once for the suite, and only if the file is the one MANIFEST.md describes.
  static void SetUpTestSuite() {
    if (!sha_matches(kFocusSample, kFocusSha))
      return;
    trace_ = new CostTrace(cfsim::load_focus_csv(kShared + kFocusSample));
    // ProviderName is not a canonical column: read it beside the importer, row by row.
    const std::string text = cfsim::read_file(kShared + kFocusSample);
    cfsim::csv::Reader r(text, kFocusSample);
    const cfsim::csv::Header h = cfsim::csv::read_header(r, "");
    const std::size_t col = *h.find("ProviderName");
    providers_ = new std::vector<std::string>();
    while (r.next())
      providers_->push_back(r[col]);
  }
  static void TearDownTestSuite() {
    delete trace_;
    delete providers_;
    trace_ = nullptr;
    providers_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(sha_matches(kFocusSample, kFocusSha));
    ASSERT_NE(trace_, nullptr);
  }
  static const CostTrace& t() { return *trace_; }
  static const std::vector<std::string>& providers() { return *providers_; }

private:
  static inline CostTrace* trace_ = nullptr;
  static inline std::vector<std::string>* providers_ = nullptr;
};

TEST_F(ImportFocusSample, ThousandRowsVersionAndProvenance) {
  // `wc -l` minus the header; no quoted field spans lines (pandas reads 1000 rows too:
  // /usr/bin/python3 -c "import pandas as pd; print(len(pd.read_csv('focus_1.0_sample.csv')))").
  ASSERT_EQ(t().records.size(), 1000u);
  EXPECT_EQ(t().format, "focus-1.0");     // has ChargeClass, none of the 1.1/1.2 columns
  EXPECT_TRUE(t().extra_columns.empty()); // no x_ columns in the sample
  EXPECT_EQ(t().sha256, kFocusSha);
  EXPECT_EQ(t().origin, kShared + kFocusSample);

  // First data row (`sed -n 2p focus_1.0_sample.csv`): SQS requests, 2024-09-18 22:00–23:00.
  const CostRecord& r = t().records[0];
  EXPECT_EQ(r.charge_start_s, 1726696800); // date -u -d '2024-09-18 22:00:00' +%s
  EXPECT_EQ(r.charge_end_s, 1726700400);   // date -u -d '2024-09-18 23:00:00' +%s
  EXPECT_EQ(r.resource_id, "arn:ats:sqs:us-test-2:347410479675:mibelllmel-i-032l64f2065481b12");
  EXPECT_EQ(r.service_name, "Amazon Simple Queue Service");
  EXPECT_EQ(r.region_id, "us-west-2");
  EXPECT_EQ(r.charge_category, "Usage");
  EXPECT_EQ(r.pricing_category, "Standard");
  EXPECT_EQ(r.consumed_quantity, 2.0);
  EXPECT_EQ(r.consumed_unit, "Requests");
  EXPECT_EQ(r.billed_cost, 0.0000008);
  EXPECT_EQ(r.effective_cost, 0.0);
  EXPECT_EQ(r.list_cost, 0.0000008);
  EXPECT_EQ(r.billing_currency, "USD");
  EXPECT_EQ(r.instance_type, "");
}

TEST_F(ImportFocusSample, ProvidersAndChargePeriods) {
  // /usr/bin/python3 -c "import pandas as pd; df=pd.read_csv('focus_1.0_sample.csv',
  //   keep_default_na=False, dtype=str); s=pd.to_datetime(df.ChargePeriodStart);
  //   e=pd.to_datetime(df.ChargePeriodEnd); print(pd.crosstab(df.ProviderName,
  //   (e-s).dt.total_seconds()))"  →  AWS 942 × 3600 s, Microsoft 51 × 86400 s, Oracle 7 × 3600 s
  ASSERT_EQ(providers().size(), t().records.size());
  std::map<std::string, std::map<TimeS, int>> seen;
  TimeS first = t().records[0].charge_start_s, last = t().records[0].charge_end_s;
  for (std::size_t i = 0; i < t().records.size(); ++i) {
    const CostRecord& r = t().records[i];
    ++seen[providers()[i]][r.charge_end_s - r.charge_start_s];
    first = std::min(first, r.charge_start_s);
    last = std::max(last, r.charge_end_s);
  }
  const std::map<std::string, std::map<TimeS, int>> expected = {
      {"AWS", {{3600, 942}}}, {"Microsoft", {{86400, 51}}}, {"Oracle", {{3600, 7}}}};
  EXPECT_EQ(seen, expected);
  // MANIFEST.md: 2024-09-01 → 2024-10-01 (pandas: ChargePeriodStart.min(), ChargePeriodEnd.max())
  EXPECT_EQ(first, k0901_00);
  EXPECT_EQ(last, k1001_00);
}

TEST_F(ImportFocusSample, CostSumsMatchPandas) {
  // /usr/bin/python3 -c "import pandas as pd, math; df=pd.read_csv('focus_1.0_sample.csv',
  //   keep_default_na=False, dtype=str); x=pd.to_numeric(df.BilledCost);
  //   print(math.fsum(x), df.assign(x=x).groupby('ProviderName').x.apply(math.fsum))"
  //   → 20.52022672899; AWS 18.0066386184, Microsoft 1.97651418586, Oracle 0.53707392473
  //   (EffectiveCost: 14.97651418586, ListCost: 20.39090575119)
  std::map<std::string, double> billed;
  double total = 0, effective = 0, list = 0;
  int aws_effective_zero = 0, negative = 0, negative_usage = 0;
  for (std::size_t i = 0; i < t().records.size(); ++i) {
    const CostRecord& r = t().records[i];
    billed[providers()[i]] += r.billed_cost;
    total += r.billed_cost;
    effective += cfsim::cost_of(r, cfsim::CostColumn::effective);
    list += cfsim::cost_of(r, cfsim::CostColumn::list);
    aws_effective_zero += providers()[i] == "AWS" && r.effective_cost == 0.0 ? 1 : 0;
    negative += r.billed_cost < 0 ? 1 : 0;
    negative_usage += r.billed_cost < 0 && r.charge_category == "Usage" ? 1 : 0;
  }
  EXPECT_NEAR(total, 20.52022672899, 1e-9);
  EXPECT_NEAR(billed["AWS"], 18.0066386184, 1e-9);
  EXPECT_NEAR(billed["Microsoft"], 1.97651418586, 1e-9);
  EXPECT_NEAR(billed["Oracle"], 0.53707392473, 1e-9);
  EXPECT_NEAR(effective, 14.97651418586, 1e-9);
  EXPECT_NEAR(list, 20.39090575119, 1e-9);
  // MANIFEST.md and pandas: (df[df.ProviderName=='AWS'].EffectiveCost.astype(float)==0).sum()
  EXPECT_EQ(aws_effective_zero, 931);
  // (pd.to_numeric(df.BilledCost)<0).sum() → 13: one AWS Credit (-2.6137) and 12 Microsoft
  // Usage rows whose ConsumedQuantity is negative too (usage reversals), which the importer
  // accepts as such.
  EXPECT_EQ(negative, 13);
  EXPECT_EQ(negative_usage, 12);
  EXPECT_EQ(t().records[456].charge_category, "Credit"); // pandas df.iloc[456], line 458
  EXPECT_EQ(t().records[456].billed_cost, -2.6137);
  EXPECT_EQ(t().records[456].effective_cost, -3.0);
}

TEST_F(ImportFocusSample, InstanceTypeFromChargeDescription) {
  // /usr/bin/python3 -c "import pandas as pd; df=pd.read_csv('focus_1.0_sample.csv',
  //   keep_default_na=False, dtype=str); d=df.ChargeDescription;
  //   print(d[d.str.endswith(' Instance Hour')].str.split().str[-3].value_counts())"
  //   → 26 rows: g5.4xlarge 8, c5.2xlarge 3, g3.4xlarge 2, m5.large 2, m5.2xlarge 2, t3.micro 1, …
  std::map<std::string, int> types;
  for (const CostRecord& r : t().records)
    if (!r.instance_type.empty())
      ++types[r.instance_type];
  int n = 0;
  for (const auto& [type, count] : types)
    n += count;
  EXPECT_EQ(n, 26);
  EXPECT_EQ(types["t3.micro"], 1);
  EXPECT_EQ(types["g5.4xlarge"], 8);
  EXPECT_EQ(types["m5.2xlarge"], 2);
  EXPECT_EQ(types["m7i-flex.xlarge"], 1);
  // "… per db.t3.micro Single-AZ instance hour …" (RDS) and "… per t3a.small instance-hour (or
  // partial hour)" (EBS-optimised bandwidth) are not EC2 instance hours: not derived.
  EXPECT_EQ(types.count("db.t3.micro"), 0u);
  EXPECT_EQ(types.count("t3a.small"), 0u);
  EXPECT_EQ(types.size(), 14u);
}

TEST_F(ImportFocusSample, NullsBecomeNaNOrEmpty) {
  // pandas (dtype=str, keep_default_na=False): (df.ResourceId=='NULL').sum() → 75,
  // (df.ConsumedQuantity=='NULL').sum() → 1, (df.PricingCategory=='').sum() → 7 (Oracle rows
  // leave the field empty), df.RegionId=='NULL' → 7.
  int resource = 0, quantity = 0, pricing = 0, region = 0;
  for (const CostRecord& r : t().records) {
    resource += r.resource_id.empty() ? 1 : 0;
    quantity += std::isnan(r.consumed_quantity) ? 1 : 0;
    pricing += r.pricing_category.empty() ? 1 : 0;
    region += r.region_id.empty() ? 1 : 0;
  }
  EXPECT_EQ(resource, 75);
  EXPECT_EQ(quantity, 1);
  EXPECT_EQ(pricing, 7);
  EXPECT_EQ(region, 7);
}

// ---------------------------------------------------------------------------------------------
// FOCUS: fixtures and inline texts

TEST(ImportFocus, ReadsFocus11FixtureIsoTimesAndCustomColumns) {
  const CostTrace t = cfsim::load_focus_csv(kCost + "focus_1.1_small.csv");
  EXPECT_EQ(t.format, "focus-1.1"); // ServiceSubcategory is a FOCUS 1.1 column
  // x_InstanceType becomes CostRecord::instance_type; x_Project is kept.
  EXPECT_EQ(t.extra_columns, std::vector<std::string>{"x_Project"});
  ASSERT_EQ(t.records.size(), 5u);
  const CostRecord& od = t.records[0];
  EXPECT_EQ(od.charge_start_s, k0901_00);
  EXPECT_EQ(od.charge_end_s, k0901_01);
  EXPECT_EQ(od.instance_type, "m5.large"); // x_InstanceType NULL: from the ChargeDescription
  EXPECT_EQ(od.extra, std::vector<std::string>{"alpha"});
  const CostRecord& spot = t.records[1];
  EXPECT_EQ(spot.pricing_category, "Dynamic");
  EXPECT_EQ(spot.instance_type, "m5.large"); // from x_InstanceType ("Spot Instance-hour" wording)
  EXPECT_EQ(spot.extra, std::vector<std::string>{"beta, gamma"}); // quoted comma
  EXPECT_EQ(t.records[2].instance_type, "");                      // EBS: neither column states one
  const CostRecord& credit = t.records[3];
  EXPECT_EQ(credit.charge_category, "Credit");
  EXPECT_EQ(credit.billed_cost, -10.0);
  EXPECT_TRUE(std::isnan(credit.consumed_quantity));
  EXPECT_EQ(credit.consumed_unit, "");
  EXPECT_EQ(credit.resource_id, "");
  EXPECT_EQ(credit.charge_end_s, k1001_00);
  const CostRecord& tax = t.records[4];
  EXPECT_EQ(tax.charge_category, "Tax");
  EXPECT_TRUE(std::isnan(tax.list_cost));
  EXPECT_EQ(tax.pricing_category, "");
  EXPECT_EQ(tax.extra, std::vector<std::string>{""});
}

TEST(ImportFocus, VersionInferredFromColumns) {
  const auto version = [](const std::string& extra_column) {
    return cfsim::parse_focus_csv(kFocusHeader + "," + extra_column + "\n" + kFocusRow + ",x\n",
                                  "v.csv")
        .format;
  };
  EXPECT_EQ(version("ChargeClass"), "focus-1.0");
  EXPECT_EQ(version("SkuMeter"), "focus-1.1");
  EXPECT_EQ(version("CapacityReservationId"), "focus-1.1");
  EXPECT_EQ(version("InvoiceId"), "focus-1.2");
  EXPECT_EQ(version("PricingCurrency"), "focus-1.2");
  EXPECT_EQ(version("ProviderName"), "focus-1.x"); // in every version: says nothing
  EXPECT_EQ(cfsim::parse_focus_csv(focus_text(kFocusRow), "v.csv").format, "focus-1.x");
}

TEST(ImportFocus, BothTimeSpellingsAndColumnsInAnyOrder) {
  const std::string text =
      "BillingCurrency,BilledCost,EffectiveCost,ListCost,ConsumedUnit,ConsumedQuantity,"
      "PricingCategory,ChargeCategory,RegionId,ServiceName,ResourceId,ChargePeriodEnd,"
      "ChargePeriodStart,ChargeDescription\n"
      "\"USD\",0.0104,0.0104,0.0104,\"Hours\",1,\"Standard\",\"Usage\",\"us-east-1\",\"EC2\","
      "\"i-9\",\"2024-09-01 01:00:00\",\"2024-09-01 00:00:00\","
      "\"$0.0104 per On Demand Linux t3.micro Instance Hour\"\n"
      "USD,0.0104,0.0104,0.0104,Hours,1,Standard,Usage,us-east-1,EC2,i-9,2024-09-01T02:00:00Z,"
      "2024-09-01T01:00:00Z,\"$0.0104 per On Demand Linux t3.micro Instance Hours\"\n";
  const CostTrace t = cfsim::parse_focus_csv(text, "o.csv");
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].charge_start_s, k0901_00);
  EXPECT_EQ(t.records[0].charge_end_s, k0901_01);
  EXPECT_EQ(t.records[1].charge_start_s, k0901_01);
  EXPECT_EQ(t.records[1].charge_end_s, k0901_02);
  EXPECT_EQ(t.records[0].instance_type, "t3.micro");
  EXPECT_EQ(t.records[1].instance_type, ""); // "Instance Hours" is not the AWS wording
  EXPECT_EQ(t.records[0].billed_cost, 0.0104);
  EXPECT_EQ(t.records[0].resource_id, "i-9");
}

TEST(ImportFocusErrors, MalformedNumberNamesLineAndColumn) {
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(
            focus_text(replace(kFocusRow, "0.096,0.096,0.096", "0.09x,0.096,0.096")), "n.csv");
      },
      {"n.csv:2: ", "BilledCost '0.09x' is not a number"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(focus_text(replace(kFocusRow, ",1,Hours", ",1.0.0,Hours")), "q.csv");
      },
      {"q.csv:2: ", "ConsumedQuantity '1.0.0' is not a number"}));
}

TEST(ImportFocusErrors, BadTimeAndEmptyPeriod) {
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(
            focus_text(replace(kFocusRow, "2024-09-01T00:00:00Z", "2024-09-31T00:00:00Z")),
            "t.csv");
      },
      {"t.csv:2: ", "ChargePeriodStart '2024-09-31T00:00:00Z' is not a timestamp"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(
            focus_text(replace(kFocusRow, "2024-09-01T01:00:00Z", "2024-09-01T00:00:00Z")),
            "e.csv");
      },
      {"e.csv:2: ", "ChargePeriodEnd 2024-09-01T00:00:00Z is not after ChargePeriodStart"}));
}

TEST(ImportFocusErrors, MissingColumnsListTheRequiredOnes) {
  const std::string header = replace(kFocusHeader, ",ListCost", "");
  const std::string row = replace(kFocusRow, "0.096,0.096,0.096", "0.096,0.096");
  EXPECT_TRUE(throws_with([&] { cfsim::parse_focus_csv(header + "\n" + row + "\n", "m.csv"); },
                          {"m.csv:1: ", "lacks the FOCUS column(s) ListCost",
                           "required: ChargePeriodStart, ChargePeriodEnd, ResourceId, ServiceName, "
                           "RegionId, ChargeCategory, PricingCategory, ConsumedQuantity, "
                           "ConsumedUnit, BilledCost, EffectiveCost, ListCost, BillingCurrency"}));
  // A FOCUS 1.0-preview header (Region instead of RegionId) is named as such.
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(replace(kFocusHeader, "RegionId", "Region") + "\n" + kFocusRow,
                               "p.csv");
      },
      {"p.csv:1: ", "column(s) RegionId", "1.0-preview"}));
}

TEST(ImportFocusErrors, NegativeCostOnlyForCreditAdjustmentOrReversal) {
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(
            focus_text(replace(kFocusRow, "0.096,0.096,0.096", "-0.096,0.096,0.096")), "u.csv");
      },
      {"u.csv:2: ", "negative cost BilledCost -0.096 on a Usage row",
       "allowed only for Credit and Adjustment rows"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(
            focus_text(replace(kFocusRow, "0.096,0.096,0.096", "0.096,-0.5,0.096")), "u.csv");
      },
      {"u.csv:2: ", "negative cost EffectiveCost -0.5 on a Usage row"}));
  // Allowed: a Credit, an Adjustment, and a usage reversal (negative quantity).
  for (const std::string& row :
       {replace(replace(kFocusRow, "Usage", "Credit"), "0.096,0.096,0.096", "-1,-1,-1"),
        replace(replace(kFocusRow, "Usage", "Adjustment"), "0.096,0.096,0.096", "-1,-1,-1"),
        replace(replace(kFocusRow, ",1,Hours", ",-1,Hours"), "0.096,0.096,0.096",
                "-0.096,-0.096,-0.096")})
    EXPECT_EQ(cfsim::parse_focus_csv(focus_text(row), "ok.csv").records.at(0).billed_cost < 0, true)
        << row;
}

TEST(ImportFocusErrors, EmptyFileAndHeaderOnly) {
  EXPECT_TRUE(throws_with([] { cfsim::parse_focus_csv("", "empty.csv"); },
                          {"empty.csv:1: ", "empty file", "ChargePeriodStart"}));
  EXPECT_TRUE(throws_with([] { cfsim::parse_focus_csv(kFocusHeader + "\n", "h.csv"); },
                          {"h.csv:2: ", "no data rows"}));
}

TEST(ImportFocusErrors, RowShapeCategoriesAndNulls) {
  EXPECT_TRUE(throws_with([] { cfsim::parse_focus_csv(focus_text(kFocusRow + ",extra"), "f.csv"); },
                          {"f.csv:2: ", "row has 14 fields, expected 13"}));
  EXPECT_TRUE(throws_with(
      [] { cfsim::parse_focus_csv(kFocusHeader + "\n" + kFocusRow + "\n\n" + kFocusRow, "b.csv"); },
      {"b.csv:3: ", "empty line"}));
  EXPECT_TRUE(throws_with(
      [] { cfsim::parse_focus_csv(focus_text(replace(kFocusRow, "Usage", "Usages")), "c.csv"); },
      {"c.csv:2: ", "ChargeCategory 'Usages' is unknown",
       "Usage, Purchase, Tax, Credit, Adjustment"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(focus_text(replace(kFocusRow, "Standard", "On-Demand")), "p.csv");
      },
      {"p.csv:2: ", "PricingCategory 'On-Demand' is unknown"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_focus_csv(
            focus_text(replace(kFocusRow, "0.096,0.096,0.096", "NULL,0.096,0.096")), "n.csv");
      },
      {"n.csv:2: ", "BilledCost is NULL"}));
  EXPECT_TRUE(throws_with(
      [] { cfsim::parse_focus_csv(focus_text(replace(kFocusRow, ",USD", ",NULL")), "n.csv"); },
      {"n.csv:2: ", "BillingCurrency is NULL"}));
  EXPECT_TRUE(throws_with(
      [] { cfsim::parse_focus_csv(kFocusHeader + ",BilledCost\n" + kFocusRow + ",1\n", "d.csv"); },
      {"d.csv:1: ", "column BilledCost appears twice"}));
}

TEST(ImportFocusErrors, FixtureRowStartsAfterAQuotedLineBreak) {
  // Row 3 of focus_bad_number.csv has a description over two lines, so row 4 starts on line 5;
  // its BilledCost is "0.096 USD".
  EXPECT_TRUE(throws_with([] { cfsim::load_focus_csv(kCost + "focus_bad_number.csv"); },
                          {"focus_bad_number.csv:5: ", "BilledCost '0.096 USD' is not a number"}));
}

TEST(ImportFocusErrors, LoadReportsThePathAndMissingFile) {
  EXPECT_TRUE(throws_with<cfsim::InputError>(
      [] { cfsim::load_focus_csv(kCost + "no_such_file.csv"); }, {"no_such_file.csv"}));
}

// ---------------------------------------------------------------------------------------------
// AWS CUR 2.0 (tests/fixtures/cost/cur2_small.csv, written by hand with us-east-1 list prices:
// m5.large $0.096/h, c5.xlarge $0.17/h, m5.xlarge $0.192/h, c6i.large $0.085/h)

class ImportCur : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    trace_ = new CostTrace(cfsim::load_cur2_csv(kCost + "cur2_small.csv"));
  }
  static void TearDownTestSuite() { delete trace_; }
  static const CostTrace& t() { return *trace_; }

private:
  static inline CostTrace* trace_ = nullptr;
};

TEST_F(ImportCur, MapsLineItemTypesAndPricingTerms) {
  ASSERT_EQ(t().records.size(), 15u);
  EXPECT_EQ(t().format, "cur-2.0");
  EXPECT_EQ(t().extra_columns, std::vector<std::string>{"x_LineItemType"});
  EXPECT_EQ(t().sha256, cfsim::sha256_hex(cfsim::read_file(kCost + "cur2_small.csv")));
  // By hand from the fixture's line_item_line_item_type and pricing_term columns:
  // Usage ×7, DiscountedUsage, SavingsPlanCoveredUsage → Usage (9); RIFee, Fee,
  // SavingsPlanRecurringFee → Purchase (3); Tax (1); Credit, SavingsPlanNegation → Credit (2).
  std::map<std::string, int> category, pricing;
  for (const CostRecord& r : t().records) {
    ++category[r.charge_category];
    ++pricing[r.pricing_category];
  }
  EXPECT_EQ(category,
            (std::map<std::string, int>{{"Usage", 9}, {"Purchase", 3}, {"Tax", 1}, {"Credit", 2}}));
  // OnDemand → Standard (rows 1, 2, 9, 11, 12, 13), Spot → Dynamic (3, 4), Reserved or covered
  // usage → Committed (5, 6, 8), empty term → NULL (7, 10, 14, 15).
  EXPECT_EQ(pricing, (std::map<std::string, int>{
                         {"Standard", 6}, {"Dynamic", 2}, {"Committed", 3}, {"", 4}}));

  const CostRecord& spot = t().records[3]; // li-0004: half an hour of c5.xlarge spot
  EXPECT_EQ(spot.charge_start_s, k0901_00);
  EXPECT_EQ(spot.charge_end_s, k0901_01);
  EXPECT_EQ(spot.resource_id, "i-0a1b2c3d4e5f60003");
  EXPECT_EQ(spot.service_name, "AmazonEC2");
  EXPECT_EQ(spot.region_id, "us-east-1");
  EXPECT_EQ(spot.pricing_category, "Dynamic");
  EXPECT_EQ(spot.consumed_quantity, 0.5);
  EXPECT_EQ(spot.consumed_unit, "Hrs");
  EXPECT_EQ(spot.billed_cost, 0.0381);
  EXPECT_EQ(spot.list_cost, 0.085); // pricing_public_on_demand_cost: 0.5 h × $0.17
  EXPECT_EQ(spot.instance_type, "c5.xlarge");
  EXPECT_EQ(spot.billing_currency, "USD");
  EXPECT_EQ(spot.extra, std::vector<std::string>{"Usage"});

  const CostRecord& tax = t().records[13]; // li-0014: no product_servicecode, no region
  EXPECT_EQ(tax.charge_category, "Tax");
  EXPECT_EQ(tax.service_name, "AmazonEC2"); // from line_item_product_code
  EXPECT_EQ(tax.region_id, "");
  EXPECT_TRUE(std::isnan(tax.consumed_quantity)); // FOCUS: NULL unless ChargeCategory Usage
  EXPECT_TRUE(std::isnan(tax.list_cost));         // empty pricing_public_on_demand_cost
  EXPECT_EQ(tax.charge_end_s, k1001_00);
  const CostRecord& credit = t().records[14];
  EXPECT_EQ(credit.charge_category, "Credit");
  EXPECT_EQ(credit.billed_cost, -10.0);
}

TEST_F(ImportCur, EffectiveCostFollowsTheAmortizedRule) {
  const std::vector<CostRecord>& r = t().records;
  EXPECT_EQ(r[0].effective_cost, 0.096);        // Usage: its unblended cost
  EXPECT_EQ(r[4].billed_cost, 0.0);             // DiscountedUsage: unblended 0 ...
  EXPECT_EQ(r[4].effective_cost, 0.121);        // ... reservation_effective_cost
  EXPECT_EQ(r[5].billed_cost, 87.12);           // RIFee: 720 h × $0.121 billed ...
  EXPECT_EQ(r[5].effective_cost, 12.1);         // ... only the unused part: 0.0 + 12.1
  EXPECT_EQ(r[6].effective_cost, 0.0);          // Fee with a reservation ARN: amortized away
  EXPECT_EQ(r[7].billed_cost, 0.085);           // SavingsPlanCoveredUsage: on-demand unblended ...
  EXPECT_EQ(r[7].effective_cost, 0.0612);       // ... savings_plan_savings_plan_effective_cost
  EXPECT_EQ(r[8].billed_cost, -0.085);          // SavingsPlanNegation ...
  EXPECT_EQ(r[8].effective_cost, 0.0);          // ... nothing in the amortized view
  EXPECT_EQ(r[9].effective_cost, 0.1 - 0.0612); // recurring fee: commitment − used
  // Sums: `python3 -c "import pandas as pd, math; print(math.fsum(pd.to_numeric(pd.read_csv(
  // 'cur2_small.csv').line_item_unblended_cost)))"` → 581.9510534; EffectiveCost by hand:
  // 0.096+0.096+0.0345+0.0381+0.121+12.1+0+0.0612+0+0.0388+0.0109589+0.0004945+0.135+4.32−10
  // = 7.0520534.
  double billed = 0, effective = 0;
  for (const CostRecord& x : r) {
    billed += x.billed_cost;
    effective += x.effective_cost;
  }
  EXPECT_NEAR(billed, 581.9510534, 1e-9);
  EXPECT_NEAR(effective, 7.0520534, 1e-9);
}

const std::string kCurHeader =
    "line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,"
    "line_item_product_code,line_item_resource_id,line_item_usage_amount,"
    "line_item_currency_code,line_item_unblended_cost,pricing_public_on_demand_cost,"
    "pricing_term,pricing_unit,product_region_code";
const std::string kCurRow = "Usage,2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,AmazonEC2,i-1,1,"
                            "USD,0.096,0.096,OnDemand,Hrs,us-east-1";

TEST(ImportCurErrors, BadRowsAndColumns) {
  // The minimal header parses (product_servicecode and product_instance_type are optional).
  const CostTrace ok = cfsim::parse_cur2_csv(kCurHeader + "\n" + kCurRow + "\n", "ok.csv");
  ASSERT_EQ(ok.records.size(), 1u);
  EXPECT_EQ(ok.records[0].instance_type, "");
  EXPECT_EQ(ok.records[0].pricing_category, "Standard");

  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cur2_csv(replace(kCurHeader, ",product_region_code", "") + "\n" +
                                  replace(kCurRow, ",us-east-1", "") + "\n",
                              "m.csv");
      },
      {"m.csv:1: ", "lacks the CUR 2.0 column(s) product_region_code or product_region"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cur2_csv(kCurHeader + "\n" + replace(kCurRow, "Usage", "Usage2") + "\n",
                              "t.csv");
      },
      {"t.csv:2: ", "line_item_line_item_type 'Usage2' is unknown", "SavingsPlanCoveredUsage"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cur2_csv(
            kCurHeader + "\n" + replace(kCurRow, "OnDemand", "Reserved Instances") + "\n", "p.csv");
      },
      {"p.csv:2: ", "pricing_term 'Reserved Instances' is unknown"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cur2_csv(
            kCurHeader + "\n" + replace(kCurRow, "USD,0.096", "USD,-0.096") + "\n", "n.csv");
      },
      {"n.csv:2: ", "negative cost line_item_unblended_cost -0.096 on a Usage row",
       "allowed only for Credit and Adjustment rows"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cur2_csv(kCurHeader + "\n" + replace(kCurRow, "USD,0.096", "USD,0,096") + "\n",
                              "f.csv");
      },
      {"f.csv:2: ", "row has 13 fields, expected 12"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cur2_csv(kCurHeader + "\n" + replace(kCurRow, "01:00:00Z", "00:00:00Z") + "\n",
                              "e.csv");
      },
      {"e.csv:2: ", "is not after line_item_usage_start_date"}));
  // A reservation-covered row needs the column its EffectiveCost comes from.
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cur2_csv(
            kCurHeader + "\n" +
                replace(replace(kCurRow, "Usage", "DiscountedUsage"), "USD,0.096", "USD,0") + "\n",
            "r.csv");
      },
      {"r.csv:2: ", "DiscountedUsage needs the column reservation_effective_cost"}));
  EXPECT_TRUE(throws_with([] { cfsim::parse_cur2_csv("", "empty.csv"); },
                          {"empty.csv:1: ", "empty file", "line_item_usage_start_date"}));
}

// ---------------------------------------------------------------------------------------------
// Cost Explorer GetCostAndUsage JSON (fixtures written by hand in the shape of the API reference)

TEST(ImportCostExplorer, PagesConcatenatedAndGroupsMapped) {
  const std::vector<std::string> paths = {kCost + "ce_hourly_page1.json",
                                          kCost + "ce_hourly_page2.json"};
  const CostTrace t = cfsim::load_cost_explorer_json(paths);
  EXPECT_EQ(t.format, "cost-explorer");
  EXPECT_EQ(t.origin, paths[0] + ";" + paths[1]);
  EXPECT_EQ(t.sha256, cfsim::sha256_hex(cfsim::read_file(paths[0]) + cfsim::read_file(paths[1])));
  // Page 2's period is Estimated: the flag is kept as x_Estimated on every record.
  EXPECT_EQ(t.extra_columns, std::vector<std::string>{"x_Estimated"});
  // Page 1: 00:00 NoInstanceType + m5.large, 01:00 m5.large; page 2: 02:00 c5.xlarge + m5.large.
  ASSERT_EQ(t.records.size(), 5u);
  const std::vector<std::string> types = {"", "m5.large", "m5.large", "c5.xlarge", "m5.large"};
  const std::vector<TimeS> starts = {k0901_00, k0901_00, k0901_01, k0901_02, k0901_02};
  const std::vector<double> costs = {0.1458534, 0.1305, 0.096, 0.0381, 0.096};
  for (std::size_t i = 0; i < 5; ++i) {
    const CostRecord& r = t.records[i];
    EXPECT_EQ(r.instance_type, types[i]) << i;
    EXPECT_EQ(r.charge_start_s, starts[i]) << i;
    EXPECT_EQ(r.charge_end_s, starts[i] + 3600) << i;
    EXPECT_EQ(r.billed_cost, costs[i]) << i;        // exact: "0.1305" parses to the double 0.1305
    EXPECT_TRUE(std::isnan(r.effective_cost)) << i; // no AmortizedCost requested
    EXPECT_TRUE(std::isnan(r.list_cost)) << i;
    EXPECT_EQ(r.billing_currency, "USD");
    EXPECT_EQ(r.charge_category, ""); // not stated without a RECORD_TYPE group
    EXPECT_EQ(r.extra, std::vector<std::string>{i >= 3 ? "true" : "false"}) << i;
  }
  EXPECT_EQ(t.records[1].consumed_quantity, 2.0);
  EXPECT_EQ(t.records[1].consumed_unit, "Hrs");
}

TEST(ImportCostExplorer, DailyTotalsWithoutGroups) {
  const CostTrace t = cfsim::load_cost_explorer_json({kCost + "ce_daily_total.json"});
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].charge_start_s, k0901_00); // "2024-09-01"
  EXPECT_EQ(t.records[0].charge_end_s, k0902_00);
  EXPECT_EQ(t.records[1].charge_end_s, k0903_00);
  EXPECT_EQ(t.records[0].billed_cost, 3.2404);
  EXPECT_EQ(t.records[0].effective_cost, 3.1876543); // AmortizedCost when the response has it
  EXPECT_EQ(t.records[1].billed_cost, 3.0012);
  EXPECT_TRUE(std::isnan(t.records[0].consumed_quantity));
  EXPECT_EQ(t.extra_columns, std::vector<std::string>{"x_Estimated"});
  EXPECT_EQ(t.records[1].extra, std::vector<std::string>{"true"});
  // metric = AmortizedCost makes it the billed amount too.
  const CostTrace a =
      cfsim::load_cost_explorer_json({kCost + "ce_daily_total.json"}, "AmortizedCost");
  EXPECT_EQ(a.records[1].billed_cost, 2.95);
}

std::string ce_page(const std::string& results, const std::string& tail = "") {
  return "{\"GroupDefinitions\":[{\"Type\":\"DIMENSION\",\"Key\":\"INSTANCE_TYPE\"}],"
         "\"ResultsByTime\":[" +
         results + "]" + tail + "}";
}
std::string ce_result(const std::string& start, const std::string& end, const std::string& key,
                      const std::string& amount) {
  return "{\"TimePeriod\":{\"Start\":\"" + start + "\",\"End\":\"" + end +
         "\"},\"Total\":{},\"Groups\":[{\"Keys\":[\"" + key +
         "\"],\"Metrics\":{\"UnblendedCost\":{\"Amount\":\"" + amount +
         "\",\"Unit\":\"USD\"}}}],\"Estimated\":false}";
}

TEST(ImportCostExplorer, OtherDimensionsAndTagsAreExtraColumns) {
  const std::string page =
      "{\"GroupDefinitions\":[{\"Type\":\"DIMENSION\",\"Key\":\"REGION\"},"
      "{\"Type\":\"DIMENSION\",\"Key\":\"SERVICE\"},{\"Type\":\"DIMENSION\",\"Key\":"
      "\"RESOURCE_ID\"},{\"Type\":\"DIMENSION\",\"Key\":\"USAGE_TYPE\"},{\"Type\":\"TAG\","
      "\"Key\":\"Project\"},{\"Type\":\"DIMENSION\",\"Key\":\"RECORD_TYPE\"}],"
      "\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-09-01T00:00:00Z\",\"End\":"
      "\"2024-09-01T01:00:00Z\"},\"Total\":{},\"Groups\":["
      "{\"Keys\":[\"us-east-1\",\"Amazon Elastic Compute Cloud - Compute\",\"i-0abc\","
      "\"USE1-BoxUsage:m5.large\",\"Project$alpha\",\"Usage\"],\"Metrics\":{\"UnblendedCost\":"
      "{\"Amount\":\"0.096\",\"Unit\":\"USD\"}}},"
      "{\"Keys\":[\"NoRegion\",\"Tax\",\"NoResourceId\",\"\",\"Project$\",\"Credit\"],"
      "\"Metrics\":{\"UnblendedCost\":{\"Amount\":\"-1.5\",\"Unit\":\"USD\"}}}],"
      "\"Estimated\":false}]}";
  const CostTrace t = cfsim::parse_cost_explorer_json({page}, "g.json");
  EXPECT_EQ(t.extra_columns,
            (std::vector<std::string>{"x_USAGE_TYPE", "x_Project", "x_RECORD_TYPE"}));
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].region_id, "us-east-1");
  EXPECT_EQ(t.records[0].service_name, "Amazon Elastic Compute Cloud - Compute");
  EXPECT_EQ(t.records[0].resource_id, "i-0abc");
  EXPECT_EQ(t.records[0].charge_category, "Usage");
  EXPECT_EQ(t.records[0].extra,
            (std::vector<std::string>{"USE1-BoxUsage:m5.large", "alpha", "Usage"}));
  EXPECT_EQ(t.records[1].region_id, "");
  EXPECT_EQ(t.records[1].resource_id, "");
  EXPECT_EQ(t.records[1].charge_category, "Credit"); // so its negative amount is allowed
  EXPECT_EQ(t.records[1].billed_cost, -1.5);
  EXPECT_EQ(t.records[1].extra, (std::vector<std::string>{"", "", "Credit"}));
}

TEST(ImportCostExplorerErrors, WrongAmountStrings) {
  for (const char* bad : {"12abc", " 0.1", "0.1 ", "", "1,5", "NaN", "+1", "0x1p3"})
    EXPECT_TRUE(throws_with(
        [&] {
          cfsim::parse_cost_explorer_json(
              {ce_page(ce_result("2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "m5.large", bad))},
              "a.json");
        },
        {"a.json: /ResultsByTime/0/Groups/0/Metrics/UnblendedCost/Amount: ",
         "is not a decimal number"}))
        << bad;
  // A JSON number instead of the documented decimal string.
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cost_explorer_json(
            {replace(ce_page(ce_result("2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "m5.large",
                                       "0.5")),
                     "\"0.5\"", "0.5")},
            "n.json");
      },
      {"n.json: /ResultsByTime/0/Groups/0/Metrics/UnblendedCost/Amount: ",
       "expected a string, got a number"}));
}

TEST(ImportCostExplorerErrors, PagesOutOfOrder) {
  const std::string first =
      ce_page(ce_result("2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "m5.large", "0.096"),
              ",\"NextPageToken\":\"tok-1\"");
  const std::string last =
      ce_page(ce_result("2024-09-01T01:00:00Z", "2024-09-01T02:00:00Z", "m5.large", "0.096"));
  EXPECT_EQ(cfsim::parse_cost_explorer_json({first, last}, "ce").records.size(), 2u);
  // The last page first: it has no NextPageToken although another page follows.
  EXPECT_TRUE(throws_with(
      [&] {
        cfsim::parse_cost_explorer_json({last, first}, "ce");
      },
      {"ce page 1: /NextPageToken: missing, yet page 2 (ce page 2) follows"}));
  // A page that continues, given last: the response is incomplete.
  EXPECT_TRUE(throws_with([&] { cfsim::parse_cost_explorer_json({first}, "ce"); },
                          {"ce: /NextPageToken: is set on the last page given"}));
  // Tokens in place but periods going back in time.
  const std::string earlier =
      ce_page(ce_result("2024-08-31T23:00:00Z", "2024-09-01T00:00:00Z", "m5.large", "0.096"));
  EXPECT_TRUE(throws_with(
      [&] {
        cfsim::parse_cost_explorer_json({first, earlier}, "ce");
      },
      {"ce page 2: /ResultsByTime/0/TimePeriod/Start: 2024-08-31T23:00:00Z is earlier than "
       "the previous period's start 2024-09-01T00:00:00Z"}));
  // The same page twice.
  EXPECT_TRUE(throws_with(
      [&] {
        cfsim::parse_cost_explorer_json({first, first, last}, "ce");
      },
      {"ce page 2: /ResultsByTime/0/Groups/0/Keys: ", "appears twice"}));
}

TEST(ImportCostExplorerErrors, MalformedResponses) {
  EXPECT_TRUE(throws_with([] { cfsim::parse_cost_explorer_json({"\n  "}, "e.json"); },
                          {"e.json:1: ", "empty file"}));
  EXPECT_TRUE(throws_with(
      [] { cfsim::parse_cost_explorer_json({"{\n\"ResultsByTime\": [,]\n}"}, "s.json"); },
      {"s.json:2: ", "JSON syntax error"}));
  EXPECT_TRUE(throws_with([] { cfsim::parse_cost_explorer_json({}, "none"); }, {"no pages"}));
  EXPECT_TRUE(throws_with([] { cfsim::parse_cost_explorer_json({"{}"}, "k.json"); },
                          {"k.json: missing key \"ResultsByTime\""}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cost_explorer_json(
            {ce_page(ce_result("2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "m5.large", "0.1"))},
            "m.json", "NetUnblendedCost");
      },
      {"m.json: /ResultsByTime/0/Groups/0/Metrics: has no metric NetUnblendedCost",
       "metrics here: UnblendedCost"}));
  EXPECT_TRUE(throws_with<cfsim::ConfigError>(
      [] { cfsim::parse_cost_explorer_json({"{}"}, "q.json", "UsageQuantity"); },
      {"not a cost metric"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cost_explorer_json(
            {ce_page(ce_result("2024-09-01T00:00:00Z", "01/09/2024", "m5.large", "0.1"))},
            "t.json");
      },
      {"t.json: /ResultsByTime/0/TimePeriod/End: "}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cost_explorer_json(
            {ce_page(
                ce_result("2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "m5.large", "-0.1"))},
            "neg.json");
      },
      {"neg.json: /ResultsByTime/0/Groups/0/Metrics: negative cost -0.1",
       "allowed only for Credit and Adjustment rows"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_cost_explorer_json(
            {ce_page(ce_result("2024-09-01T00:00:00Z", "2024-09-01T00:00:00Z", "m5.large", "0.1"))},
            "p.json");
      },
      {"p.json: /ResultsByTime/0/TimePeriod/End: ", "is not after Start"}));
}

// ---------------------------------------------------------------------------------------------
// describe-spot-price-history (tests/fixtures/cost/spot_history_use1.json, newest first as AWS
// returns it; one change listed twice)

constexpr TimeS k0831_224107 = 1725144067; // 2024-08-31 22:41:07
constexpr TimeS k0901_031245 = 1725160365; // 2024-09-01 03:12:45
constexpr TimeS k0901_0930 = 1725183000;   // 2024-09-01 09:30:00
constexpr TimeS k0901_12 = 1725192000;     // 2024-09-01 12:00:00
constexpr TimeS k0831_180551 = 1725127551; // 2024-08-31 18:05:51
constexpr TimeS k0901_06 = 1725170400;     // 2024-09-01 06:00:00
constexpr TimeS k0901_08 = 1725177600;     // 2024-09-01 08:00:00

void expect_steps(const RawSeries& s, const std::vector<TimeS>& starts,
                  const std::vector<TimeS>& ends, const std::vector<double>& prices) {
  EXPECT_EQ(s.start_s, starts);
  EXPECT_EQ(s.end_s, ends);
  EXPECT_EQ(s.value, prices);
  EXPECT_EQ(s.quality, std::vector<cfsim::Quality>(prices.size(), cfsim::Quality::measured));
}

TEST(ImportSpotHistory, StepSeriesPerKeyByHand) {
  const auto m = cfsim::load_spot_price_history_json(kCost + "spot_history_use1.json", k0901_12);
  ASSERT_EQ(m.size(), 2u);
  // 1a: 0.0352 from 22:41:07 (listed twice, same price), 0.0345 from 03:12:45, 0.0361 from
  // 09:30:00 until end_s 12:00.
  const RawSeries& a = m.at("us-east-1a/m5.large/Linux/UNIX");
  expect_steps(a, {k0831_224107, k0901_031245, k0901_0930}, {k0901_031245, k0901_0930, k0901_12},
               {0.0352, 0.0345, 0.0361});
  // 1b: 0.034 from 18:05:51, 0.0338 from 06:00 until 12:00.
  const RawSeries& b = m.at("us-east-1b/m5.large/Linux/UNIX");
  expect_steps(b, {k0831_180551, k0901_06}, {k0901_06, k0901_12}, {0.034, 0.0338});
  EXPECT_EQ(a.provenance.units, "USD h-1");
  EXPECT_EQ(a.provenance.signal, cfsim::SignalKind::price);
  EXPECT_EQ(a.provenance.basis, cfsim::EmissionBasis::none);
  EXPECT_EQ(a.provenance.fill_policy, "none");
  EXPECT_EQ(a.provenance.zone, "");
  EXPECT_EQ(a.provenance.sha256,
            cfsim::sha256_hex(cfsim::read_file(kCost + "spot_history_use1.json")));
}

TEST(ImportSpotHistory, ChangesAtOrAfterEndAreDropped) {
  const auto m = cfsim::load_spot_price_history_json(kCost + "spot_history_use1.json", k0901_08);
  // The 09:30 change of 1a is after end_s 08:00: dropped; the 03:12:45 price holds to 08:00.
  expect_steps(m.at("us-east-1a/m5.large/Linux/UNIX"), {k0831_224107, k0901_031245},
               {k0901_031245, k0901_08}, {0.0352, 0.0345});
  expect_steps(m.at("us-east-1b/m5.large/Linux/UNIX"), {k0831_180551, k0901_06},
               {k0901_06, k0901_08}, {0.034, 0.0338});
  // A key whose every change is at or after end_s has no series; no key at all is an error.
  EXPECT_TRUE(throws_with(
      [] { cfsim::load_spot_price_history_json(kCost + "spot_history_use1.json", k0831_180551); },
      {"all 5 distinct price changes are at or after end_s 2024-08-31T18:05:51Z"}));
}

std::string spot_event(const std::string& price, const std::string& ts) {
  return "{\"AvailabilityZone\":\"us-east-1a\",\"InstanceType\":\"m5.large\","
         "\"ProductDescription\":\"Linux/UNIX\",\"SpotPrice\":\"" +
         price + "\",\"Timestamp\":\"" + ts + "\"}";
}

TEST(ImportSpotHistoryErrors, BadEvents) {
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_spot_price_history_json(
            "{\"SpotPriceHistory\":[" + spot_event("0.0345", "2024-09-01T03:12:45+00:00") + "," +
                spot_event("0.0350", "2024-09-01T03:12:45Z") + "]}",
            "d.json", k0901_12);
      },
      {"d.json: /SpotPriceHistory/1: ", "us-east-1a/m5.large/Linux/UNIX has two prices at "
                                        "2024-09-01T03:12:45Z: 0.0345 (entry 0) and 0.0350"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_spot_price_history_json("{\"SpotPriceHistory\":[" +
                                                 spot_event("0.03x", "2024-09-01T03:12:45Z") + "]}",
                                             "p.json", k0901_12);
      },
      {"p.json: /SpotPriceHistory/0/SpotPrice: '0.03x' is not a decimal number"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_spot_price_history_json("{\"SpotPriceHistory\":[" +
                                                 spot_event("-0.01", "2024-09-01T03:12:45Z") + "]}",
                                             "n.json", k0901_12);
      },
      {"n.json: /SpotPriceHistory/0/SpotPrice: -0.01 is negative"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_spot_price_history_json(
            "{\"SpotPriceHistory\":[" + spot_event("0.01", "yesterday") + "]}", "t.json", k0901_12);
      },
      {"t.json: /SpotPriceHistory/0/Timestamp: 'yesterday' is not a time"}));
  EXPECT_TRUE(throws_with(
      [] { cfsim::parse_spot_price_history_json("{\"SpotPriceHistory\":[]}", "e.json", 0); },
      {"e.json: /SpotPriceHistory: is empty"}));
  EXPECT_TRUE(throws_with([] { cfsim::parse_spot_price_history_json("", "z.json", 0); },
                          {"z.json:1: ", "empty file"}));
  EXPECT_TRUE(throws_with(
      [] {
        cfsim::parse_spot_price_history_json("{\"SpotPriceHistory\":[{\"SpotPrice\":\"1\"}]}",
                                             "k.json", 0);
      },
      {"k.json: /SpotPriceHistory/0: missing key \"AvailabilityZone\""}));
}

// ---------------------------------------------------------------------------------------------
// Writing the canonical FOCUS subset

TEST(WriteFocus, ExactTextWithQuotingAndNulls) {
  CostTrace t;
  t.extra_columns = {"x_Note"};
  CostRecord r;
  r.charge_start_s = k0901_00;
  r.charge_end_s = k0901_01;
  r.resource_id = "i-1";
  r.service_name = "Amazon \"EC2\", compute";
  r.region_id = "";
  r.charge_category = "Usage";
  r.pricing_category = "Standard";
  r.consumed_quantity = kNaN;
  r.consumed_unit = "";
  r.billed_cost = 0.1;
  r.effective_cost = 0.0;
  r.list_cost = 1e-7;
  r.billing_currency = "USD";
  r.instance_type = "m5.large";
  r.extra = {"two\nlines"};
  t.records.push_back(r);
  EXPECT_EQ(cfsim::format_focus_csv(t),
            kFocusHeader +
                ",x_InstanceType,x_Note\n"
                "2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,i-1,\"Amazon \"\"EC2\"\", compute\","
                "NULL,Usage,Standard,NULL,NULL,0.1,0,1e-07,USD,m5.large,\"two\nlines\"\n");
  // Without any instance type the column is left out.
  t.records[0].instance_type.clear();
  EXPECT_EQ(cfsim::format_focus_csv(t).substr(0, kFocusHeader.size() + 8),
            kFocusHeader + ",x_Note\n");
}

TEST(WriteFocus, RoundTripsEveryImportedTrace) {
  ASSERT_TRUE(sha_matches(kFocusSample, kFocusSha));
  const std::vector<CostTrace> traces = {
      cfsim::load_focus_csv(kShared + kFocusSample),
      cfsim::load_focus_csv(kCost + "focus_1.1_small.csv"),
      cfsim::load_cur2_csv(kCost + "cur2_small.csv"),
      cfsim::load_cost_explorer_json(
          {kCost + "ce_hourly_page1.json", kCost + "ce_hourly_page2.json"}),
      cfsim::load_cost_explorer_json({kCost + "ce_daily_total.json"}),
  };
  for (const CostTrace& t : traces) {
    const std::string text = cfsim::format_focus_csv(t);
    const CostTrace back = cfsim::parse_focus_csv(text, "round-trip.csv");
    EXPECT_TRUE(same_records(t, back)) << t.origin;
    EXPECT_EQ(back.format, "focus-1.x") << t.origin; // the subset states no version
    EXPECT_EQ(cfsim::format_focus_csv(back), text) << t.origin;
  }
}

} // namespace
