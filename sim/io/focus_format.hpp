// Internal to sim/io: the canonical FOCUS subset CSV, one row at a time (DESIGN §4,
// docs/formats.md "Writing FOCUS CSV"). format_focus_csv (whole traces) and the streaming
// `cfsim import focus` (focus_import.cpp) both write through these, so their bytes agree.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/focus_rows.hpp"

namespace cfsim::focus {

// A growing byte buffer written through raw pointers: room(n) once per row, then commit().
// Avoids a capacity check per appended piece; it only grows (never shrinks) when cleared.
class OutBuffer {
public:
  // Makes room for `n` more bytes and returns where they go.
  char* room(std::size_t n) {
    if (size_ + n > capacity_) {
      // Grown without zeroing (a std::vector would zero every new byte first).
      const std::size_t capacity = std::max(2 * capacity_, size_ + n);
      std::unique_ptr<char[]> bigger(new char[capacity]);
      if (size_ > 0)
        std::memcpy(bigger.get(), bytes_.get(), size_);
      bytes_ = std::move(bigger);
      capacity_ = capacity;
    }
    return bytes_.get() + size_;
  }
  // The bytes written since room() end at `end`.
  void commit(const char* end) { size_ = static_cast<std::size_t>(end - bytes_.get()); }
  void append(std::string_view s) {
    char* p = room(s.size());
    s.copy(p, s.size());
    commit(p + s.size());
  }
  std::string_view view() const { return {bytes_.get(), size_}; }
  std::size_t size() const { return size_; }
  void clear() { size_ = 0; }

private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_ = 0, capacity_ = 0;
};

// The header line: the 13 canonical columns, `x_InstanceType` when `instance_column`, then the
// kept x_ columns.
void append_header(OutBuffer& out, bool instance_column,
                   const std::vector<std::string>& extra_columns);
// One row, in the header's column order; `row.extra` must match the header's x_ columns.
void append_row(OutBuffer& out, const Row& row, bool instance_column);

// The column that append_header adds for CostRecord::instance_type.
inline constexpr std::string_view kInstanceTypeColumn = "x_InstanceType";
// Number of canonical columns, before x_InstanceType and the x_ columns.
inline constexpr std::size_t kCanonicalColumns = c_count;

} // namespace cfsim::focus
