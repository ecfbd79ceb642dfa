// Importers of billing and price data (sim/io/import_focus.cpp, import_cur.cpp,
// import_cost_explorer.cpp, import_spot_history.cpp) and the canonical FOCUS writer.
// Every importer has a parse_* twin over text and reports `file:line: what (allowed)`.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/cost_trace.hpp"
#include "cfsim/series.hpp"

namespace cfsim {

// FOCUS 1.0–1.2 CSV: quoted fields, `NULL` literals, `YYYY-MM-DD HH:MM:SS` or ISO `Z` times,
// `x_` custom columns kept (an `x_InstanceType` column becomes CostRecord::instance_type); the
// FOCUS version is inferred from the columns ("focus-1.x" when they do not tell,
// docs/formats.md). Negative costs only on Credit/Adjustment rows or reversed usage.
CostTrace parse_focus_csv(std::string_view text, std::string_view origin);
CostTrace load_focus_csv(const std::string& path);

// `cfsim import focus`: streams the FOCUS CSV at `in_path` into the canonical subset CSV at
// `out_path`, byte for byte format_focus_csv(load_focus_csv(in_path)), with memory independent
// of the file's size (fixed-size blocks; rows are never collected). Written to out_path + ".tmp"
// and renamed when complete: on an error the .tmp is removed and an existing out_path is left as
// it was. Errors as load_focus_csv's, plus StoreError for the output.
struct FocusImportSummary {
  std::size_t rows = 0;
  std::string sha256; // of the input file's bytes, as CostTrace::sha256
};
FocusImportSummary import_focus_csv(const std::string& in_path, const std::string& out_path);

// AWS Cost and Usage Report 2.0 CSV (line_item_*, product_*, pricing_* columns).
CostTrace parse_cur2_csv(std::string_view text, std::string_view origin);
CostTrace load_cur2_csv(const std::string& path);

// AWS Cost Explorer GetCostAndUsage JSON (hourly or daily; `Amount` decimal strings; groups;
// one text per page, in `NextPageToken` order). `metric` picks the amount (UnblendedCost,
// AmortizedCost, ...; ConfigError for a non-cost metric). Errors name the page and the JSON
// pointer of the bad value.
CostTrace parse_cost_explorer_json(const std::vector<std::string>& pages, std::string_view origin,
                                   const std::string& metric = "UnblendedCost");
CostTrace load_cost_explorer_json(const std::vector<std::string>& paths,
                                  const std::string& metric = "UnblendedCost");

// `aws ec2 describe-spot-price-history` JSON: price change events → one step series per
// (availability zone, instance type, product) key "az/instance_type/product", USD per hour.
// Holding a price until the next change is the source's own semantics (DESIGN §4).
// `end_s` closes the last step of each series.
std::map<std::string, RawSeries>
parse_spot_price_history_json(std::string_view text, std::string_view origin, TimeS end_s);
std::map<std::string, RawSeries> load_spot_price_history_json(const std::string& path, TimeS end_s);

// Writes the canonical FOCUS subset CSV (DESIGN §4 columns, `x_InstanceType` when any record
// has one, then the x_ columns); parse_focus_csv reads it back to the same records.
std::string format_focus_csv(const CostTrace& trace);

} // namespace cfsim
