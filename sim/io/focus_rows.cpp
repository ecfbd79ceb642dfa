// FOCUS 1.0–1.2 CSV (FinOps Open Cost and Usage Specification), docs/formats.md "FOCUS CSV".
// Columns are found by their exact FOCUS names, in any order; only the canonical subset of
// DESIGN §4 is required. `NULL` (or an empty field) is a null: NaN for numbers, "" for text.
// Rows are not required to be sorted: a FOCUS export is a set of charges, not a time series.
//
// Rows are validated one at a time as the blocks stream past (focus_blocks.hpp), so neither the
// file nor its rows are ever held whole; numbers go through fast_float (csv::parse_number) and
// times through the allocation-free parse_utc.
#include "io/focus_rows.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "cfsim/error.hpp"
#include "io/csv.hpp"

namespace cfsim::focus {
namespace {

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

bool is_null(std::string_view field) {
  return field.empty() || field == "NULL";
}

std::string_view text_of(std::string_view field) {
  return is_null(field) ? std::string_view() : field;
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
std::string_view instance_type_from_description(std::string_view d) {
  constexpr std::string_view suffix = " Instance Hour";
  if (d.size() <= suffix.size() || d.substr(d.size() - suffix.size()) != suffix)
    return {};
  d.remove_suffix(suffix.size());
  const std::size_t space = d.rfind(' ');
  const std::string_view word = space == std::string_view::npos ? d : d.substr(space + 1);
  return looks_like_instance_type(word) ? word : std::string_view();
}

// A custom column that states the instance type (x_InstanceType, x_instance_type, any case).
bool is_instance_type_column(const std::string& name) {
  const std::string f = csv::fold_name(name);
  return f == "x_instancetype" || f == "x_instance_type";
}

[[noreturn]] void fail_at(const std::string& origin, long line, const std::string& what) {
  throw TraceError(origin, line, what);
}

std::string required_list() {
  std::string out;
  for (const std::string_view n : kRequired)
    out += (out.empty() ? "" : ",") + std::string(n);
  return out;
}

Layout read_layout(const RecordView& rec, const std::string& origin) {
  const auto fail = [&](const std::string& what) { fail_at(origin, rec.line, what); };
  const csv::Header h(std::vector<std::string>(rec.fields.begin(), rec.fields.end()));
  const std::vector<std::string>& names = h.names();

  std::map<std::string, std::size_t, std::less<>> first_at;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (const auto [it, fresh] = first_at.try_emplace(names[i], i); !fresh)
      fail("column " + names[i] + " appears twice, as columns " + std::to_string(it->second + 1) +
           " and " + std::to_string(i + 1) + " (every FOCUS column name must be unique)");

  Layout out;
  out.n_columns = names.size();
  std::string missing;
  for (std::size_t k = 0; k < c_count; ++k) {
    if (const auto i = h.find(kRequired[k]))
      out.col[k] = *i;
    else
      missing += (missing.empty() ? "" : ", ") + std::string(kRequired[k]);
  }
  if (!missing.empty()) {
    std::string note;
    if (h.find("Region") && !h.find("RegionId"))
      note = "; `Region` and `UsageQuantity` are FOCUS 1.0-preview names, which cfsim does not "
             "read";
    fail("header lacks the FOCUS column(s) " + missing + " (required: " + join(kRequired) + note +
         ")");
  }

  out.description = h.find("ChargeDescription");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].rfind("x_", 0) != 0)
      continue;
    if (is_instance_type_column(names[i])) {
      if (out.instance)
        fail("columns " + names[*out.instance] + " and " + names[i] +
             " both state the instance type (expected at most one)");
      out.instance = i;
      continue;
    }
    out.extra_cols.push_back(i);
    out.extra_columns.push_back(names[i]);
  }
  out.format = infer_version(h);
  return out;
}

// Checks one record and fills `row`, in the order the checks have always run (so a row with two
// faults reports the same one as before).
void read_row(const Layout& l, const RecordView& rec, const std::string& origin, Row& row) {
  const auto fail = [&](const std::string& what) { fail_at(origin, rec.line, what); };
  if (rec.fields.size() != l.n_columns) {
    if (rec.blank())
      fail("empty line (every row needs " + std::to_string(l.n_columns) +
           " fields, one per header column)");
    fail("row has " + std::to_string(rec.fields.size()) + " fields, expected " +
         std::to_string(l.n_columns) + " (one per header column)");
  }
  const auto field = [&](Col k) { return rec.fields[l.col[k]]; };
  const auto time = [&](Col k) {
    const std::string_view text = field(k);
    if (const auto t = parse_utc(text))
      return *t;
    fail_at(origin, rec.line, csv::not_a_timestamp(kRequired[k], text));
  };
  const auto number = [&](Col k) {
    const std::string_view text = field(k);
    if (const auto v = csv::parse_number(text))
      return *v;
    fail_at(origin, rec.line, csv::not_a_number(kRequired[k], text));
  };
  const auto number_or_nan = [&](Col k) {
    return is_null(field(k)) ? std::numeric_limits<double>::quiet_NaN() : number(k);
  };

  row.charge_start_s = time(c_start);
  row.charge_end_s = time(c_end);
  if (row.charge_end_s <= row.charge_start_s)
    fail("ChargePeriodEnd " + std::string(field(c_end)) + " is not after ChargePeriodStart " +
         std::string(field(c_start)) + " (a charge period must have a positive length)");
  row.resource_id = text_of(field(c_resource));
  row.service_name = text_of(field(c_service));
  row.region_id = text_of(field(c_region));
  row.charge_category = text_of(field(c_category));
  if (!row.charge_category.empty() && !contains(kCategories, row.charge_category))
    fail("ChargeCategory '" + std::string(row.charge_category) + "' is unknown (expected " +
         join(kCategories) + ", or NULL)");
  row.pricing_category = text_of(field(c_pricing));
  if (!row.pricing_category.empty() && !contains(kPricing, row.pricing_category))
    fail("PricingCategory '" + std::string(row.pricing_category) + "' is unknown (expected " +
         join(kPricing) + ", or NULL)");
  row.consumed_quantity = number_or_nan(c_quantity);
  row.consumed_unit = text_of(field(c_unit));
  if (is_null(field(c_billed)))
    fail("BilledCost is NULL (FOCUS requires a number in every row)");
  row.billed_cost = number(c_billed);
  row.effective_cost = number_or_nan(c_effective);
  row.list_cost = number_or_nan(c_list);
  row.billing_currency = text_of(field(c_currency));
  if (row.billing_currency.empty())
    fail("BillingCurrency is NULL (FOCUS requires a currency code such as USD in every row)");

  // Negative money is a credit, an adjustment, or the reversal of usage (a negative
  // ConsumedQuantity, as in the Microsoft rows of the FOCUS 1.0 sample data); anything else
  // is a sign error in the export.
  const bool reduction = row.charge_category == "Credit" || row.charge_category == "Adjustment" ||
                         row.consumed_quantity < 0;
  for (const Col k : {c_billed, c_effective, c_list}) {
    const double v = k == c_billed      ? row.billed_cost
                     : k == c_effective ? row.effective_cost
                                        : row.list_cost;
    if (v < 0 && !reduction)
      fail("negative cost " + std::string(kRequired[k]) + " " + std::string(field(k)) + " on a " +
           (row.charge_category.empty() ? std::string("NULL") : std::string(row.charge_category)) +
           " row (allowed only for Credit and Adjustment rows, or with a negative "
           "ConsumedQuantity for reversed usage)");
  }

  if (l.instance && !is_null(rec.fields[*l.instance]))
    row.instance_type = rec.fields[*l.instance];
  else if (l.description)
    row.instance_type = instance_type_from_description(rec.fields[*l.description]);
  else
    row.instance_type = {};
  row.extra.resize(l.extra_cols.size());
  for (std::size_t i = 0; i < l.extra_cols.size(); ++i)
    row.extra[i] = text_of(rec.fields[l.extra_cols[i]]);
}

// Turns records into rows: the first record is the header.
class RowReader {
public:
  RowReader(std::string origin, const HeaderFn& on_header, const RowFn& on_row)
      : origin_(std::move(origin)), on_header_(on_header), on_row_(on_row) {}

  void operator()(const RecordView& rec) {
    if (!layout_) {
      layout_ = read_layout(rec, origin_);
      on_header_(*layout_);
      return;
    }
    read_row(*layout_, rec, origin_, row_);
    on_row_(row_);
    ++rows_;
  }

  // After the last record: the file must have had a header and a row.
  std::size_t finish() const {
    if (!layout_)
      throw TraceError(origin_, 1, "empty file (expected the header `" + required_list() + "`)");
    if (rows_ == 0)
      throw TraceError(origin_, 2,
                       "no data rows after the header (expected at least one charge row)");
    return rows_;
  }

private:
  std::string origin_;
  const HeaderFn& on_header_;
  const RowFn& on_row_;
  std::optional<Layout> layout_;
  Row row_;
  std::size_t rows_ = 0;
};

} // namespace

ScanResult scan_focus_file(const std::string& path, const BlockOptions& options,
                           const HeaderFn& on_header, const RowFn& on_row) {
  RowReader reader(path, on_header, on_row);
  ScanResult out;
  out.sha256 = scan_csv_file(path, options, [&](const RecordView& rec) { reader(rec); });
  out.rows = reader.finish();
  return out;
}

ScanResult scan_focus_text(std::string_view text, std::string_view origin, std::size_t block_bytes,
                           const HeaderFn& on_header, const RowFn& on_row) {
  RowReader reader(std::string(origin), on_header, on_row);
  scan_csv_text(text, origin, block_bytes, [&](const RecordView& rec) { reader(rec); });
  ScanResult out;
  out.rows = reader.finish();
  return out;
}

} // namespace cfsim::focus
