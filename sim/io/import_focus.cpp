// FOCUS 1.0–1.2 CSV (FinOps Open Cost and Usage Specification), docs/formats.md "FOCUS CSV".
// Columns are found by their exact FOCUS names, in any order; only the canonical subset of
// DESIGN §4 is required. `NULL` (or an empty field) is a null: NaN for numbers, "" for text.
// Rows are not required to be sorted: a FOCUS export is a set of charges, not a time series.
#include <array>
#include <cmath>
#include <limits>
#include <map>
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

// The canonical subset (DESIGN §4), in the order format_focus_csv writes it.
enum Col : std::size_t {
  c_start,
  c_end,
  c_resource,
  c_service,
  c_region,
  c_category,
  c_pricing,
  c_quantity,
  c_unit,
  c_billed,
  c_effective,
  c_list,
  c_currency,
  c_count
};
constexpr std::array<std::string_view, c_count> kRequired = {
    "ChargePeriodStart", "ChargePeriodEnd", "ResourceId",       "ServiceName",  "RegionId",
    "ChargeCategory",    "PricingCategory", "ConsumedQuantity", "ConsumedUnit", "BilledCost",
    "EffectiveCost",     "ListCost",        "BillingCurrency"};

// Columns that first appear in a FOCUS version (FOCUS 1.1 and 1.2 specifications, "Column
// changes"). A header holding any of them is at least that version.
constexpr std::array<std::string_view, 7> kSince12 = {"BillingAccountType",
                                                      "SubAccountType",
                                                      "InvoiceId",
                                                      "PricingCurrency",
                                                      "PricingCurrencyContractedUnitPrice",
                                                      "PricingCurrencyEffectiveCost",
                                                      "PricingCurrencyListUnitPrice"};
constexpr std::array<std::string_view, 7> kSince11 = {
    "CapacityReservationId",  "CapacityReservationStatus", "CommitmentDiscountQuantity",
    "CommitmentDiscountUnit", "ServiceSubcategory",        "SkuMeter",
    "SkuPriceDetails"};
// ChargeClass replaced 1.0-preview's ChargeSubcategory in FOCUS 1.0 and is mandatory from then on.
constexpr std::string_view kSince10 = "ChargeClass";

constexpr std::array<std::string_view, 5> kCategories = {"Usage", "Purchase", "Tax", "Credit",
                                                         "Adjustment"};
constexpr std::array<std::string_view, 4> kPricing = {"Standard", "Dynamic", "Committed", "Other"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& a, std::string_view s) {
  for (const std::string_view x : a)
    if (x == s)
      return true;
  return false;
}

template <std::size_t N> std::string join(const std::array<std::string_view, N>& a) {
  std::string out;
  for (const std::string_view x : a)
    out += (out.empty() ? "" : ", ") + std::string(x);
  return out;
}

bool is_null(const std::string& field) {
  return field.empty() || field == "NULL";
}

std::string text_of(const std::string& field) {
  return is_null(field) ? std::string() : field;
}

// A nullable number column: NaN for a null.
double number_or_nan(const csv::Reader& r, std::size_t col, std::string_view name) {
  if (is_null(r[col]))
    return std::numeric_limits<double>::quiet_NaN();
  return csv::number_field(r, col, name);
}

std::string infer_version(const csv::Header& h) {
  for (const std::string_view n : kSince12)
    if (h.find(n))
      return "focus-1.2";
  for (const std::string_view n : kSince11)
    if (h.find(n))
      return "focus-1.1";
  if (h.find(kSince10))
    return "focus-1.0";
  return "focus-1.x";
}

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// "<family>.<size>" as EC2 spells instance types: family [a-z][a-z0-9-]*, size [a-z0-9]+.
bool looks_like_instance_type(std::string_view s) {
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == s.size() ||
      s.find('.', dot + 1) != std::string_view::npos || !(s[0] >= 'a' && s[0] <= 'z'))
    return false;
  for (std::size_t i = 0; i < dot; ++i)
    if (!is_lower_alnum(s[i]) && s[i] != '-')
      return false;
  for (std::size_t i = dot + 1; i < s.size(); ++i)
    if (!is_lower_alnum(s[i]))
      return false;
  return true;
}

// AWS's EC2 usage description "$0.0104 per On Demand Linux t3.micro Instance Hour": the word
// before a final " Instance Hour" is the instance type. Other wordings ("... instance-hour (or
// partial hour)" for EBS bandwidth, "db.t3.micro ... instance hour" for RDS) are not EC2
// instance usage and give "".
std::string instance_type_from_description(std::string_view d) {
  constexpr std::string_view suffix = " Instance Hour";
  if (d.size() <= suffix.size() || d.substr(d.size() - suffix.size()) != suffix)
    return {};
  d.remove_suffix(suffix.size());
  const std::size_t space = d.rfind(' ');
  const std::string_view word = space == std::string_view::npos ? d : d.substr(space + 1);
  return looks_like_instance_type(word) ? std::string(word) : std::string();
}

// A custom column that states the instance type (x_InstanceType, x_instance_type, any case).
bool is_instance_type_column(const std::string& name) {
  const std::string f = csv::fold_name(name);
  return f == "x_instancetype" || f == "x_instance_type";
}

} // namespace

CostTrace parse_focus_csv(std::string_view text, std::string_view origin) {
  std::string required_list;
  for (const std::string_view n : kRequired)
    required_list += (required_list.empty() ? "" : ",") + std::string(n);

  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, required_list);
  const std::vector<std::string>& names = h.names();

  std::map<std::string, std::size_t, std::less<>> first_at;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (const auto [it, fresh] = first_at.try_emplace(names[i], i); !fresh)
      r.fail("column " + names[i] + " appears twice, as columns " + std::to_string(it->second + 1) +
             " and " + std::to_string(i + 1) + " (every FOCUS column name must be unique)");

  std::array<std::size_t, c_count> col{};
  std::string missing;
  for (std::size_t k = 0; k < c_count; ++k) {
    if (const auto i = h.find(kRequired[k]))
      col[k] = *i;
    else
      missing += (missing.empty() ? "" : ", ") + std::string(kRequired[k]);
  }
  if (!missing.empty()) {
    std::string note;
    if (h.find("Region") && !h.find("RegionId"))
      note = "; `Region` and `UsageQuantity` are FOCUS 1.0-preview names, which cfsim does not "
             "read";
    r.fail("header lacks the FOCUS column(s) " + missing + " (required: " + join(kRequired) + note +
           ")");
  }

  const std::optional<std::size_t> c_description = h.find("ChargeDescription");
  std::optional<std::size_t> c_instance;
  CostTrace out;
  std::vector<std::size_t> extra_cols;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].rfind("x_", 0) != 0)
      continue;
    if (is_instance_type_column(names[i])) {
      if (c_instance)
        r.fail("columns " + names[*c_instance] + " and " + names[i] +
               " both state the instance type (expected at most one)");
      c_instance = i;
      continue;
    }
    extra_cols.push_back(i);
    out.extra_columns.push_back(names[i]);
  }
  out.format = infer_version(h);
  out.origin = std::string(origin);
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
    rec.charge_start_s = csv::time_field(r, col[c_start], kRequired[c_start]);
    rec.charge_end_s = csv::time_field(r, col[c_end], kRequired[c_end]);
    if (rec.charge_end_s <= rec.charge_start_s)
      r.fail("ChargePeriodEnd " + r[col[c_end]] + " is not after ChargePeriodStart " +
             r[col[c_start]] + " (a charge period must have a positive length)");
    rec.resource_id = text_of(r[col[c_resource]]);
    rec.service_name = text_of(r[col[c_service]]);
    rec.region_id = text_of(r[col[c_region]]);
    rec.charge_category = text_of(r[col[c_category]]);
    if (!rec.charge_category.empty() && !contains(kCategories, rec.charge_category))
      r.fail("ChargeCategory '" + rec.charge_category + "' is unknown (expected " +
             join(kCategories) + ", or NULL)");
    rec.pricing_category = text_of(r[col[c_pricing]]);
    if (!rec.pricing_category.empty() && !contains(kPricing, rec.pricing_category))
      r.fail("PricingCategory '" + rec.pricing_category + "' is unknown (expected " +
             join(kPricing) + ", or NULL)");
    rec.consumed_quantity = number_or_nan(r, col[c_quantity], kRequired[c_quantity]);
    rec.consumed_unit = text_of(r[col[c_unit]]);
    if (is_null(r[col[c_billed]]))
      r.fail("BilledCost is NULL (FOCUS requires a number in every row)");
    rec.billed_cost = csv::number_field(r, col[c_billed], kRequired[c_billed]);
    rec.effective_cost = number_or_nan(r, col[c_effective], kRequired[c_effective]);
    rec.list_cost = number_or_nan(r, col[c_list], kRequired[c_list]);
    rec.billing_currency = text_of(r[col[c_currency]]);
    if (rec.billing_currency.empty())
      r.fail("BillingCurrency is NULL (FOCUS requires a currency code such as USD in every row)");

    // Negative money is a credit, an adjustment, or the reversal of usage (a negative
    // ConsumedQuantity, as in the Microsoft rows of the FOCUS 1.0 sample data); anything else
    // is a sign error in the export.
    const bool reduction = rec.charge_category == "Credit" || rec.charge_category == "Adjustment" ||
                           rec.consumed_quantity < 0;
    for (const std::size_t k : {c_billed, c_effective, c_list}) {
      const double v = k == c_billed      ? rec.billed_cost
                       : k == c_effective ? rec.effective_cost
                                          : rec.list_cost;
      if (v < 0 && !reduction)
        r.fail("negative cost " + std::string(kRequired[k]) + " " + r[col[k]] + " on a " +
               (rec.charge_category.empty() ? std::string("NULL") : rec.charge_category) +
               " row (allowed only for Credit and Adjustment rows, or with a negative "
               "ConsumedQuantity for reversed usage)");
    }

    if (c_instance && !is_null(r[*c_instance]))
      rec.instance_type = r[*c_instance];
    else if (c_description)
      rec.instance_type = instance_type_from_description(r[*c_description]);
    rec.extra.reserve(extra_cols.size());
    for (const std::size_t i : extra_cols)
      rec.extra.push_back(text_of(r[i]));
    out.records.push_back(std::move(rec));
  }
  if (out.records.empty())
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected at least one charge row)");
  return out;
}

CostTrace load_focus_csv(const std::string& path) {
  const std::string text = read_file(path);
  CostTrace out = parse_focus_csv(text, path);
  out.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
