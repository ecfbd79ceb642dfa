// The canonical FOCUS subset CSV (DESIGN §4, docs/formats.md "Writing FOCUS CSV"): the 13
// canonical columns, `x_InstanceType` when any record states one, then the trace's x_ columns.
// parse_focus_csv reads the output back to an equal trace (records and extra columns).
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "cfsim/error.hpp"
#include "cfsim/io_cost.hpp"
#include "io/focus_format.hpp"

namespace cfsim::focus {
namespace {

constexpr std::string_view kHeader =
    "ChargePeriodStart,ChargePeriodEnd,ResourceId,ServiceName,RegionId,ChargeCategory,"
    "PricingCategory,ConsumedQuantity,ConsumedUnit,BilledCost,EffectiveCost,ListCost,"
    "BillingCurrency";

// Bytes a row can take at most: a text field is at most doubled by quoting (+2 quotes, or
// "NULL"), a number at most 24 characters (std::to_chars' shortest form), a time 20 (or
// format_utc's longer form for years outside 0000–9999), plus one separator per field.
constexpr std::size_t kNumberBound = 32;
constexpr std::size_t kTimeBound = 48;
std::size_t text_bound(std::string_view s) {
  return 2 * s.size() + 6;
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled
// (csv::append_field's rule). An empty text is written as FOCUS NULL. (A text that is literally
// "NULL" reads back as NULL, i.e. "": the one text that does not survive a round trip.)
char* put_text(char* p, std::string_view s) {
  if (s.empty())
    return std::copy_n("NULL", 4, p);
  bool plain = true;
  for (const char c : s) // the four special bytes are all below '-' (0x2D): one compare mostly
    if (c < '-' && (c == ',' || c == '"' || c == '\r' || c == '\n')) {
      plain = false;
      break;
    }
  if (plain)
    return std::copy(s.begin(), s.end(), p);
  *p++ = '"';
  for (const char c : s) {
    if (c == '"')
      *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

// The shortest text that reads back as the same double (std::to_chars); NaN is NULL.
char* put_number(char* p, double v) {
  if (std::isnan(v))
    return std::copy_n("NULL", 4, p);
  CFSIM_CHECK(std::isfinite(v), "an infinite cost or quantity in a CostTrace");
  return std::to_chars(p, p + kNumberBound, v).ptr;
}

char* put_2(char* p, unsigned v) {
  *p++ = static_cast<char>('0' + v / 10);
  *p++ = static_cast<char>('0' + v % 10);
  return p;
}

// format_utc's "2020-03-29T01:00:00Z" without snprintf or a std::string per call.
char* put_time(char* p, TimeS t) {
  const CivilTime c = to_civil(t);
  if (c.year < 0 || c.year > 9999) {
    const std::string s = format_utc(t);
    return std::copy(s.begin(), s.end(), p);
  }
  const auto y = static_cast<unsigned>(c.year);
  p = put_2(p, y / 100);
  p = put_2(p, y % 100);
  *p++ = '-';
  p = put_2(p, c.month);
  *p++ = '-';
  p = put_2(p, c.day);
  *p++ = 'T';
  p = put_2(p, static_cast<unsigned>(c.hour));
  *p++ = ':';
  p = put_2(p, static_cast<unsigned>(c.minute));
  *p++ = ':';
  p = put_2(p, static_cast<unsigned>(c.second));
  *p++ = 'Z';
  return p;
}

} // namespace

void append_header(OutBuffer& out, bool instance_column,
                   const std::vector<std::string>& extra_columns) {
  out.append(kHeader);
  if (instance_column) {
    out.append(",");
    out.append(kInstanceTypeColumn);
  }
  for (const std::string& name : extra_columns) {
    CFSIM_CHECK(name != kInstanceTypeColumn, "x_InstanceType is written from "
                                             "CostRecord::instance_type, not kept as an extra "
                                             "column");
    char* p = out.room(text_bound(name) + 1);
    *p++ = ',';
    out.commit(put_text(p, name));
  }
  out.append("\n");
}

void append_row(OutBuffer& out, const Row& r, bool instance_column) {
  const std::string_view texts[] = {r.resource_id, r.service_name, r.region_id, r.charge_category,
                                    r.pricing_category};
  std::size_t need = 2 * kTimeBound + 4 * kNumberBound + 16 + text_bound(r.consumed_unit) +
                     text_bound(r.billing_currency) + text_bound(r.instance_type);
  for (const std::string_view s : texts)
    need += text_bound(s);
  for (const std::string_view s : r.extra)
    need += text_bound(s) + 1;
  char* p = out.room(need);
  p = put_time(p, r.charge_start_s);
  *p++ = ',';
  p = put_time(p, r.charge_end_s);
  for (const std::string_view s : texts) {
    *p++ = ',';
    p = put_text(p, s);
  }
  *p++ = ',';
  p = put_number(p, r.consumed_quantity);
  *p++ = ',';
  p = put_text(p, r.consumed_unit);
  for (const double v : {r.billed_cost, r.effective_cost, r.list_cost}) {
    *p++ = ',';
    p = put_number(p, v);
  }
  *p++ = ',';
  p = put_text(p, r.billing_currency);
  if (instance_column) {
    *p++ = ',';
    p = put_text(p, r.instance_type);
  }
  for (const std::string_view s : r.extra) {
    *p++ = ',';
    p = put_text(p, s);
  }
  *p++ = '\n';
  out.commit(p);
}

} // namespace cfsim::focus

namespace cfsim {

std::string format_focus_csv(const CostTrace& trace) {
  bool any_instance = false;
  for (const CostRecord& r : trace.records)
    any_instance = any_instance || !r.instance_type.empty();
  focus::OutBuffer out;
  focus::append_header(out, any_instance, trace.extra_columns);
  focus::Row row;
  for (const CostRecord& r : trace.records) {
    CFSIM_CHECK(r.extra.size() == trace.extra_columns.size(),
                "a CostRecord has " + std::to_string(r.extra.size()) + " extra values for " +
                    std::to_string(trace.extra_columns.size()) + " extra columns");
    row.charge_start_s = r.charge_start_s;
    row.charge_end_s = r.charge_end_s;
    row.resource_id = r.resource_id;
    row.service_name = r.service_name;
    row.region_id = r.region_id;
    row.charge_category = r.charge_category;
    row.pricing_category = r.pricing_category;
    row.consumed_quantity = r.consumed_quantity;
    row.consumed_unit = r.consumed_unit;
    row.billed_cost = r.billed_cost;
    row.effective_cost = r.effective_cost;
    row.list_cost = r.list_cost;
    row.billing_currency = r.billing_currency;
    row.instance_type = r.instance_type;
    row.extra.assign(r.extra.begin(), r.extra.end());
    focus::append_row(out, row, any_instance);
  }
  return std::string(out.view());
}

} // namespace cfsim
