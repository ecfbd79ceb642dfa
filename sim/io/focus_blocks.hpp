// Internal to sim/io: a CSV file or text read in fixed-size blocks and split into records, each
// handed on as views into the block, so that memory does not grow with the file. The FOCUS
// importer (sim/io/focus_rows.cpp) is built on it; docs/performance.md has its throughput.
//
// The records are exactly csv::Reader's (sim/io/csv.hpp), with the same errors: RFC 4180 quoted
// fields ('""' is one quote; commas and line breaks inside are data), records ending at LF or
// CRLF, a UTF-8 byte-order mark skipped, blank lines at the end of the text ignored and a blank
// line anywhere else returned as a record without fields. A record that does not end inside one
// block is carried over to the next: only the partial record is copied, into room kept in front
// of each block.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace cfsim::focus {

// One CSV record. The views are valid during the callback only.
struct RecordView {
  long line = 0; // 1-based line the record starts on (a quoted field may span lines)
  std::span<const std::string_view> fields;
  bool blank() const { return fields.empty(); }
};

// Called once per record, in file order. Throwing stops the scan.
using RecordFn = std::function<void(const RecordView&)>;

// 8 MiB: large enough that a read, the carried-over partial row and the hand-over between the
// two threads cost little per byte, small enough to stay in the last-level cache's neighbourhood
// and keep peak memory ~30 MB (three blocks in flight).
inline constexpr std::size_t kDefaultBlockBytes = std::size_t{8} << 20;

struct BlockOptions {
  std::size_t block_bytes = kDefaultBlockBytes; // bytes read at a time, >= 1
  bool sha256 = false;                          // hash the file's bytes (CostTrace::sha256)
  // Read and hash on a second thread, which runs one or two blocks ahead of the parser.
  // The digest is the same either way: one thread hashes the blocks in file order.
  bool second_thread = true;
};

// Reads the file at `path` block by block and calls `on_record` for every record. Returns the
// file's sha256 (lower-case hex) when options.sha256, else "". InputError if the file cannot be
// opened; TraceError "path:line: ..." for malformed CSV.
std::string scan_csv_file(const std::string& path, const BlockOptions& options,
                          const RecordFn& on_record);

// The same over text already in memory (single thread, no hash); `origin` names it in errors.
void scan_csv_text(std::string_view text, std::string_view origin, std::size_t block_bytes,
                   const RecordFn& on_record);

} // namespace cfsim::focus
