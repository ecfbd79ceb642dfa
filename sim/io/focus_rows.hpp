// Internal to sim/io: the one FOCUS CSV parser. It streams a file or text through
// focus_blocks.hpp, finds the canonical columns in the header, validates every row as
// docs/formats.md "FOCUS CSV" states and hands each one on as a Row of views. parse_focus_csv /
// load_focus_csv (import_focus.cpp) collect the rows into a CostTrace; `cfsim import focus`
// (focus_import.cpp) formats each straight into the output file.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cfsim/cost_trace.hpp"
#include "cfsim/time.hpp"
#include "io/focus_blocks.hpp"

namespace cfsim::focus {

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

// Where the header puts each column, and what it says about the file.
struct Layout {
  std::size_t n_columns = 0;
  std::array<std::size_t, c_count> col{};
  std::optional<std::size_t> description; // ChargeDescription
  std::optional<std::size_t> instance;    // x_InstanceType (any case, x_instance_type too)
  std::vector<std::size_t> extra_cols;    // the other x_ columns, kept
  std::vector<std::string> extra_columns; // their names
  std::string format;                     // "focus-1.0" ... "focus-1.x"
  // Whether a row can state an instance type at all (CostRecord::instance_type).
  bool may_state_instance() const { return description.has_value() || instance.has_value(); }
};

// One validated row. Text views point into the block being parsed (valid during the callback);
// a FOCUS NULL is "" for text and NaN for numbers, as in CostRecord.
struct Row {
  TimeS charge_start_s = 0;
  TimeS charge_end_s = 0;
  std::string_view resource_id, service_name, region_id, charge_category, pricing_category;
  double consumed_quantity = 0;
  std::string_view consumed_unit;
  double billed_cost = 0;
  double effective_cost = 0;
  double list_cost = 0;
  std::string_view billing_currency;
  std::string_view instance_type;
  std::vector<std::string_view> extra; // Layout::extra_columns' values; reused from row to row
};

using HeaderFn = std::function<void(const Layout&)>;
using RowFn = std::function<void(const Row&)>;

struct ScanResult {
  std::size_t rows = 0;
  std::string sha256; // of the file, when asked for
};

// Calls on_header once, then on_row for every data row, in file order. TraceError
// "origin:line: what (allowed)" at the first bad record; "no data rows" (line 2) when the header
// is all there is; InputError when the file cannot be opened.
ScanResult scan_focus_file(const std::string& path, const BlockOptions& options,
                           const HeaderFn& on_header, const RowFn& on_row);
ScanResult scan_focus_text(std::string_view text, std::string_view origin, std::size_t block_bytes,
                           const HeaderFn& on_header, const RowFn& on_row);

// parse_focus_csv and load_focus_csv (include/cfsim/io_cost.hpp) with the block size and
// threading stated, for tests that put block boundaries in awkward places.
CostTrace parse_trace(std::string_view text, std::string_view origin, std::size_t block_bytes);
CostTrace load_trace(const std::string& path, const BlockOptions& options);

} // namespace cfsim::focus
