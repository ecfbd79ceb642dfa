// The canonical FOCUS subset CSV (DESIGN §4, docs/formats.md "Writing FOCUS CSV"): the 13
// canonical columns, `x_InstanceType` when any record states one, then the trace's x_ columns.
// parse_focus_csv reads the output back to an equal trace (records and extra columns).
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "cfsim/error.hpp"
#include "cfsim/io_cost.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

constexpr std::string_view kHeader =
    "ChargePeriodStart,ChargePeriodEnd,ResourceId,ServiceName,RegionId,ChargeCategory,"
    "PricingCategory,ConsumedQuantity,ConsumedUnit,BilledCost,EffectiveCost,ListCost,"
    "BillingCurrency";
constexpr std::string_view kInstanceType = "x_InstanceType";

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
// An empty text is written as FOCUS NULL. (A text that is literally "NULL" reads back as NULL,
// i.e. "": the one text that does not survive a round trip.)
void put_text(std::string& out, const std::string& s) {
  if (s.empty()) {
    out += "NULL";
    return;
  }
  csv::append_field(out, s);
}

// The shortest text that reads back as the same double (std::to_chars); NaN is NULL.
void put_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NULL";
    return;
  }
  CFSIM_CHECK(std::isfinite(v), "an infinite cost or quantity in a CostTrace");
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), res.ptr);
}

} // namespace

std::string format_focus_csv(const CostTrace& trace) {
  bool any_instance = false;
  for (const CostRecord& r : trace.records)
    any_instance = any_instance || !r.instance_type.empty();
  std::string out(kHeader);
  if (any_instance)
    (out += ',') += kInstanceType;
  for (const std::string& name : trace.extra_columns) {
    CFSIM_CHECK(name != kInstanceType, "x_InstanceType is written from CostRecord::instance_type, "
                                       "not kept as an extra column");
    out += ',';
    put_text(out, name);
  }
  out += '\n';
  for (const CostRecord& r : trace.records) {
    CFSIM_CHECK(r.extra.size() == trace.extra_columns.size(),
                "a CostRecord has " + std::to_string(r.extra.size()) + " extra values for " +
                    std::to_string(trace.extra_columns.size()) + " extra columns");
    out += format_utc(r.charge_start_s);
    out += ',';
    out += format_utc(r.charge_end_s);
    for (const std::string* s :
         {&r.resource_id, &r.service_name, &r.region_id, &r.charge_category, &r.pricing_category}) {
      out += ',';
      put_text(out, *s);
    }
    out += ',';
    put_number(out, r.consumed_quantity);
    out += ',';
    put_text(out, r.consumed_unit);
    for (const double v : {r.billed_cost, r.effective_cost, r.list_cost}) {
      out += ',';
      put_number(out, v);
    }
    out += ',';
    put_text(out, r.billing_currency);
    if (any_instance) {
      out += ',';
      put_text(out, r.instance_type);
    }
    for (const std::string& v : r.extra) {
      out += ',';
      put_text(out, v);
    }
    out += '\n';
  }
  return out;
}

} // namespace cfsim
