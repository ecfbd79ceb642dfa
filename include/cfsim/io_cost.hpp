// Importers of billing and price data (sim/io/import_focus.cpp, import_cur.cpp,
// import_cost_explorer.cpp, import_spot_history.cpp) and the canonical FOCUS writer.
// Every importer has a parse_* twin over text and reports `file:line: what (allowed)`.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/cost_trace.hpp"
#include "cfsim/series.hpp"

namespace cfsim {

// FOCUS 1.0–1.2 CSV: quoted fields, `NULL` literals, `YYYY-MM-DD HH:MM:SS` or ISO `Z` times,
// `x_` custom columns kept; the FOCUS version is inferred from the columns (or given).
CostTrace parse_focus_csv(std::string_view text, std::string_view origin);
CostTrace load_focus_csv(const std::string& path);

// AWS Cost and Usage Report 2.0 CSV (line_item_*, product_*, pricing_* columns).
CostTrace parse_cur2_csv(std::string_view text, std::string_view origin);
CostTrace load_cur2_csv(const std::string& path);

// AWS Cost Explorer GetCostAndUsage JSON (hourly or daily; `Amount` decimal strings; groups;
// one text per page, in `NextPageToken` order). `metric` picks the amount (UnblendedCost,
// AmortizedCost, ...).
CostTrace parse_cost_explorer_json(const std::vector<std::string>& pages, std::string_view origin,
                                   const std::string& metric = "UnblendedCost");
CostTrace load_cost_explorer_json(const std::vector<std::string>& paths,
                                  const std::string& metric = "UnblendedCost");

// `aws ec2 describe-spot-price-history` JSON: price change events → one step series per
// (availability zone, instance type, product) key "az/instance_type/product", USD per hour.
// Holding a price until the next change is the source's own semantics (DESIGN §4).
// `end_s` closes the last step of each series.
std::map<std::string, RawSeries> parse_spot_price_history_json(std::string_view text,
                                                               std::string_view origin, TimeS end_s);
std::map<std::string, RawSeries> load_spot_price_history_json(const std::string& path, TimeS end_s);

// Writes the canonical FOCUS subset CSV (DESIGN §4 columns, then the x_ columns).
std::string format_focus_csv(const CostTrace& trace);

} // namespace cfsim
