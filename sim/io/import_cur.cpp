// AWS Cost and Usage Report 2.0 CSV (Data Exports, `line_item_*`, `pricing_*`, `product_*`,
// `reservation_*`, `savings_plan_*` columns) → the FOCUS subset, docs/formats.md "AWS CUR 2.0".
//
// ChargeCategory from line_item_line_item_type follows the FinOps Foundation's CUR→FOCUS
// conversion (focus-converters, AWS configuration) and the FOCUS 1.0 category definitions.
// EffectiveCost follows the amortized-cost rule of the AWS CUR Query Library (Well-Architected
// Labs): covered usage carries the commitment's effective cost, the recurring fees only their
// unused part, and negation and upfront-fee rows nothing, so that a sum over all rows is the
// amortized total.
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/io_cost.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

struct TypeMapping {
  std::string_view line_item_type;
  std::string_view charge_category;
};
// Every line_item_line_item_type AWS documents for CUR 2.0; an unknown one is an error.
constexpr std::array<TypeMapping, 16> kTypes = {{
    {"Usage", "Usage"},
    {"DiscountedUsage", "Usage"},         // usage covered by a reservation
    {"SavingsPlanCoveredUsage", "Usage"}, // usage covered by a Savings Plan
    {"Tax", "Tax"},
    {"Credit", "Credit"},
    {"Refund", "Credit"},
    {"SavingsPlanNegation", "Credit"}, // offsets the covered usage's on-demand unblended cost
    {"BundledDiscount", "Credit"},
    {"EdpDiscount", "Credit"},
    {"PrivateRateDiscount", "Credit"},
    {"DistributorDiscount", "Credit"},
    {"Discount", "Credit"},
    {"Fee", "Purchase"},   // upfront reservation fees, support, marketplace subscriptions
    {"RIFee", "Purchase"}, // a reservation's recurring (hourly) fee
    {"SavingsPlanUpfrontFee", "Purchase"},
    {"SavingsPlanRecurringFee", "Purchase"},
}};

struct TermMapping {
  std::string_view pricing_term;
  std::string_view pricing_category;
};
constexpr std::array<TermMapping, 3> kTerms = {{
    {"OnDemand", "Standard"},
    {"Reserved", "Committed"},
    {"Spot", "Dynamic"},
}};

std::string known_types() {
  std::string out;
  for (const TypeMapping& m : kTypes)
    out += (out.empty() ? "" : ", ") + std::string(m.line_item_type);
  return out;
}

// Column indices; the optional ones are looked up once and required only by the rows that
// need them.
struct Columns {
  std::size_t start = 0, end = 0, resource = 0, type = 0, term = 0, amount = 0, unit = 0,
              unblended = 0, list = 0, currency = 0;
  std::optional<std::size_t> servicecode, product_code, region, instance_type;
  std::optional<std::size_t> reservation_effective, reservation_arn, reservation_unused_upfront,
      reservation_unused_recurring, sp_effective, sp_commitment_to_date, sp_used_commitment;
};

double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

std::string shortest(double v) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

// A number column that may be empty (CUR writes nothing for "not applicable"): NaN then.
double number_or_nan(const csv::Reader& r, std::size_t col, std::string_view name) {
  return r[col].empty() ? nan() : csv::number_field(r, col, name);
}

// A number the row's line item type needs; the column and the value must be there.
double needed_number(const csv::Reader& r, const std::optional<std::size_t>& col,
                     std::string_view name, const std::string& type) {
  if (!col)
    r.fail("line_item_line_item_type " + type + " needs the column " + std::string(name) +
           " for EffectiveCost (the CUR amortized-cost rule; export it with the report)");
  if (r[*col].empty())
    r.fail(std::string(name) + " is empty on a " + type + " row (EffectiveCost needs it)");
  return csv::number_field(r, *col, name);
}

} // namespace

CostTrace parse_cur2_csv(std::string_view text, std::string_view origin) {
  constexpr std::array<std::string_view, 10> kRequired = {"line_item_usage_start_date",
                                                          "line_item_usage_end_date",
                                                          "line_item_resource_id",
                                                          "line_item_line_item_type",
                                                          "pricing_term",
                                                          "line_item_usage_amount",
                                                          "pricing_unit",
                                                          "line_item_unblended_cost",
                                                          "pricing_public_on_demand_cost",
                                                          "line_item_currency_code"};
  std::string required_list;
  for (const std::string_view n : kRequired)
    required_list += (required_list.empty() ? "" : ", ") + std::string(n);
  required_list += ", product_servicecode or line_item_product_code, product_region_code or "
                   "product_region";

  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, required_list);
  std::array<std::size_t, kRequired.size()> idx{};
  std::string missing;
  for (std::size_t k = 0; k < kRequired.size(); ++k) {
    if (const auto i = h.find(kRequired[k]))
      idx[k] = *i;
    else
      missing += (missing.empty() ? "" : ", ") + std::string(kRequired[k]);
  }
  Columns c;
  c.servicecode = h.find("product_servicecode");
  c.product_code = h.find("line_item_product_code");
  c.region = h.find("product_region_code");
  if (!c.region)
    c.region = h.find("product_region");
  if (!c.servicecode && !c.product_code)
    missing +=
        std::string(missing.empty() ? "" : ", ") + "product_servicecode or line_item_product_code";
  if (!c.region)
    missing += std::string(missing.empty() ? "" : ", ") + "product_region_code or product_region";
  if (!missing.empty())
    r.fail("header lacks the CUR 2.0 column(s) " + missing + " (required: " + required_list + ")");
  c.start = idx[0];
  c.end = idx[1];
  c.resource = idx[2];
  c.type = idx[3];
  c.term = idx[4];
  c.amount = idx[5];
  c.unit = idx[6];
  c.unblended = idx[7];
  c.list = idx[8];
  c.currency = idx[9];
  c.instance_type = h.find("product_instance_type");
  c.reservation_effective = h.find("reservation_effective_cost");
  c.reservation_arn = h.find("reservation_reservation_a_r_n");
  c.reservation_unused_upfront =
      h.find("reservation_unused_amortized_upfront_fee_for_billing_period");
  c.reservation_unused_recurring = h.find("reservation_unused_recurring_fee");
  c.sp_effective = h.find("savings_plan_savings_plan_effective_cost");
  c.sp_commitment_to_date = h.find("savings_plan_total_commitment_to_date");
  c.sp_used_commitment = h.find("savings_plan_used_commitment");

  CostTrace out;
  out.format = "cur-2.0";
  out.origin = std::string(origin);
  out.extra_columns = {"x_LineItemType"};
  out.records.reserve(r.max_records());

  while (r.next()) {
    if (r.size() != h.size()) {
      if (r.blank())
        r.fail("empty line (every row needs " + std::to_string(h.size()) +
               " fields, one per header column)");
      r.fail("row has " + std::to_string(r.size()) + " fields, expected " +
             std::to_string(h.size()) + " (one per header column)");
    }
    CostRecord rec;
    rec.charge_start_s = csv::time_field(r, c.start, "line_item_usage_start_date");
    rec.charge_end_s = csv::time_field(r, c.end, "line_item_usage_end_date");
    if (rec.charge_end_s <= rec.charge_start_s)
      r.fail("line_item_usage_end_date " + r[c.end] + " is not after line_item_usage_start_date " +
             r[c.start] + " (a line item must cover a positive time)");

    const std::string& type = r[c.type];
    const TypeMapping* mapping = nullptr;
    for (const TypeMapping& m : kTypes)
      if (m.line_item_type == type)
        mapping = &m;
    if (mapping == nullptr)
      r.fail("line_item_line_item_type '" + type + "' is unknown (expected one of " +
             known_types() + ")");
    rec.charge_category = std::string(mapping->charge_category);

    const std::string& term = r[c.term];
    if (type == "DiscountedUsage" || type == "SavingsPlanCoveredUsage") {
      rec.pricing_category = "Committed";
    } else if (!term.empty()) {
      for (const TermMapping& m : kTerms)
        if (m.pricing_term == term)
          rec.pricing_category = std::string(m.pricing_category);
      if (rec.pricing_category.empty())
        r.fail("pricing_term '" + term +
               "' is unknown (expected OnDemand, Reserved, Spot, or empty)");
    }

    rec.resource_id = r[c.resource];
    if (c.servicecode && !r[*c.servicecode].empty())
      rec.service_name = r[*c.servicecode];
    else if (c.product_code)
      rec.service_name = r[*c.product_code];
    rec.region_id = r[*c.region];
    if (rec.charge_category == "Usage") { // FOCUS: ConsumedQuantity is null for other rows
      rec.consumed_quantity = number_or_nan(r, c.amount, "line_item_usage_amount");
      rec.consumed_unit = r[c.unit];
    } else {
      rec.consumed_quantity = nan();
    }
    if (r[c.unblended].empty())
      r.fail("line_item_unblended_cost is empty (every line item needs its cost)");
    rec.billed_cost = csv::number_field(r, c.unblended, "line_item_unblended_cost");
    rec.list_cost = number_or_nan(r, c.list, "pricing_public_on_demand_cost");

    if (type == "DiscountedUsage") {
      rec.effective_cost =
          needed_number(r, c.reservation_effective, "reservation_effective_cost", type);
    } else if (type == "SavingsPlanCoveredUsage") {
      rec.effective_cost =
          needed_number(r, c.sp_effective, "savings_plan_savings_plan_effective_cost", type);
    } else if (type == "RIFee") {
      rec.effective_cost =
          needed_number(r, c.reservation_unused_upfront,
                        "reservation_unused_amortized_upfront_fee_for_billing_period", type) +
          needed_number(r, c.reservation_unused_recurring, "reservation_unused_recurring_fee",
                        type);
    } else if (type == "SavingsPlanRecurringFee") {
      rec.effective_cost =
          needed_number(r, c.sp_commitment_to_date, "savings_plan_total_commitment_to_date", type) -
          needed_number(r, c.sp_used_commitment, "savings_plan_used_commitment", type);
    } else if (type == "SavingsPlanNegation" || type == "SavingsPlanUpfrontFee") {
      rec.effective_cost = 0.0;
    } else if (type == "Fee") {
      if (!c.reservation_arn)
        r.fail("line_item_line_item_type Fee needs the column reservation_reservation_a_r_n "
               "(an upfront reservation fee is amortized into the covered usage, EffectiveCost "
               "0; another fee keeps its cost)");
      rec.effective_cost = r[*c.reservation_arn].empty() ? rec.billed_cost : 0.0;
    } else {
      rec.effective_cost = rec.billed_cost;
    }

    const bool reduction = rec.charge_category == "Credit" || rec.charge_category == "Adjustment" ||
                           rec.consumed_quantity < 0;
    if (rec.billed_cost < 0 && !reduction)
      r.fail("negative cost line_item_unblended_cost " + r[c.unblended] + " on a " + type +
             " row (allowed only for Credit and Adjustment rows, or with a negative "
             "line_item_usage_amount for reversed usage)");
    if (rec.effective_cost < 0 && !reduction)
      r.fail("negative EffectiveCost " + shortest(rec.effective_cost) + " on a " + type +
             " row (allowed only for Credit and Adjustment rows)");
    if (rec.list_cost < 0 && !reduction)
      r.fail("negative cost pricing_public_on_demand_cost " + r[c.list] + " on a " + type +
             " row (allowed only for Credit and Adjustment rows)");

    rec.billing_currency = r[c.currency];
    if (rec.billing_currency.empty())
      r.fail("line_item_currency_code is empty (expected a currency code such as USD)");
    if (c.instance_type)
      rec.instance_type = r[*c.instance_type];
    rec.extra = {type};
    out.records.push_back(std::move(rec));
  }
  if (out.records.empty())
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one line item)");
  return out;
}

CostTrace load_cur2_csv(const std::string& path) {
  const std::string text = read_file(path);
  CostTrace out = parse_cur2_csv(text, path);
  out.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
