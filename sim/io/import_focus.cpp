// FOCUS CSV into a CostTrace, for callers that need every record at once (the data-quality
// metrics). The parsing and validation are focus_rows.cpp's, shared with the streaming
// `cfsim import focus` (focus_import.cpp); here each row is copied into a CostRecord.
#include <string>
#include <string_view>

#include "cfsim/io_cost.hpp"
#include "io/focus_rows.hpp"

namespace cfsim {
namespace focus {
namespace {

// Collects rows into `out`.
struct TraceBuilder {
  CostTrace& out;

  void header(const Layout& l) {
    out.format = l.format;
    out.extra_columns = l.extra_columns;
  }

  void row(const Row& r) {
    CostRecord& rec = out.records.emplace_back();
    rec.charge_start_s = r.charge_start_s;
    rec.charge_end_s = r.charge_end_s;
    rec.resource_id = r.resource_id;
    rec.service_name = r.service_name;
    rec.region_id = r.region_id;
    rec.charge_category = r.charge_category;
    rec.pricing_category = r.pricing_category;
    rec.consumed_quantity = r.consumed_quantity;
    rec.consumed_unit = r.consumed_unit;
    rec.billed_cost = r.billed_cost;
    rec.effective_cost = r.effective_cost;
    rec.list_cost = r.list_cost;
    rec.billing_currency = r.billing_currency;
    rec.instance_type = r.instance_type;
    rec.extra.assign(r.extra.begin(), r.extra.end());
  }
};

} // namespace

CostTrace parse_trace(std::string_view text, std::string_view origin, std::size_t block_bytes) {
  CostTrace out;
  TraceBuilder b{out};
  scan_focus_text(
      text, origin, block_bytes, [&](const Layout& l) { b.header(l); },
      [&](const Row& r) { b.row(r); });
  out.origin = std::string(origin);
  return out;
}

CostTrace load_trace(const std::string& path, const BlockOptions& options) {
  CostTrace out;
  TraceBuilder b{out};
  out.sha256 =
      scan_focus_file(
          path, options, [&](const Layout& l) { b.header(l); }, [&](const Row& r) { b.row(r); })
          .sha256;
  out.origin = path;
  return out;
}

} // namespace focus

CostTrace parse_focus_csv(std::string_view text, std::string_view origin) {
  return focus::parse_trace(text, origin, focus::kDefaultBlockBytes);
}

CostTrace load_focus_csv(const std::string& path) {
  focus::BlockOptions options;
  options.sha256 = true;
  return focus::load_trace(path, options);
}

} // namespace cfsim
