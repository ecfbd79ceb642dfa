// Internal to sim/io: a small CSV reader over text, strict number and timestamp fields, and the
// sample-span rule the intensity importers share (docs/formats.md). Every failure is a
// TraceError "origin:line: what is wrong (what is allowed)", raised where the bad byte is.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cfsim/io.hpp"
#include "cfsim/series.hpp"
#include "cfsim/time.hpp"

namespace cfsim::csv {

// Reads one record at a time (RFC 4180). Fields are separated by ','; a field that starts with
// '"' is quoted: '""' inside it is one quote, and commas and line breaks inside it are data.
// Records end at LF or CRLF (a CR before the LF, or before the end of the text, is dropped).
// A UTF-8 byte-order mark at the very start is skipped. Blank lines at the end of the text are
// not records; a blank line anywhere else is returned as a record with no fields, so that the
// importer rejects it instead of skipping it silently.
class Reader {
public:
  Reader(std::string_view text, std::string_view origin);

  // Reads the next record; false at the end of the text.
  bool next();

  // 1-based line on which the current record starts (a quoted field may span lines).
  long line() const { return line_; }
  std::size_t size() const { return fields_.size(); }
  bool blank() const { return fields_.empty(); }
  const std::vector<std::string>& fields() const { return fields_; }
  const std::string& operator[](std::size_t i) const { return fields_[i]; }
  const std::string& origin() const { return origin_; }
  // An upper bound on the number of records left (line breaks + 1), to reserve storage.
  std::size_t max_records() const;

  // Throws TraceError(origin, line of the current record, what).
  [[noreturn]] void fail(const std::string& what) const;

private:
  std::size_t line_end_length(std::size_t pos) const;
  bool only_line_ends_from(std::size_t pos) const;

  std::string_view text_;
  std::string origin_;
  std::size_t pos_ = 0;
  long next_line_ = 1;
  long line_ = 0;
  std::vector<std::string> fields_;
};

// The header record, with column lookup by name.
class Header {
public:
  Header() = default;
  explicit Header(std::vector<std::string> names) : names_(std::move(names)) {}

  const std::vector<std::string>& names() const { return names_; }
  std::size_t size() const { return names_.size(); }
  // Index of the column named exactly `name`.
  std::optional<std::size_t> find(std::string_view name) const;
  // Indices of the columns whose fold_name() equals fold_name(name).
  std::vector<std::size_t> find_folded(std::string_view name) const;
  // The names joined with ',' (for error messages).
  std::string joined() const;

private:
  std::vector<std::string> names_;
};

// A column name folded for tolerant matching: ASCII letters lower-cased, the subscript two
// "₂" (U+2082) replaced by "2", surrounding spaces removed.
std::string fold_name(std::string_view name);

// Reads the header record. TraceError at line 1 if the text has no record at all ("empty file"),
// naming `expected` (the header the format wants).
Header read_header(Reader& r, std::string_view expected);

// The current record must have exactly `n` fields; otherwise TraceError naming the header.
void expect_fields(const Reader& r, std::size_t n, std::string_view header_text);

// A whole-field decimal number ("218.29", "0.0", "-1.5e3"). nullopt for anything else: empty
// text, spaces, a leading '+', trailing characters, NaN and infinity spellings, overflow.
std::optional<double> parse_number(std::string_view text);

// The messages number_field and time_field fail with, for readers that hold a field as a view.
std::string not_a_number(std::string_view column, std::string_view text);
std::string not_a_timestamp(std::string_view column, std::string_view text);

// Field `col` of the current record as a number; TraceError naming `column` otherwise.
double number_field(const Reader& r, std::size_t col, std::string_view column);
// Field `col` of the current record as a UTC timestamp (cfsim::parse_utc formats).
TimeS time_field(const Reader& r, std::size_t col, std::string_view column);
// true/false, case-insensitive; TraceError naming `column` otherwise.
bool bool_field(const Reader& r, std::size_t col, std::string_view column);

// Rows must be sorted by time without duplicates: checks each row's time against the last one.
class TimeOrder {
public:
  void check(const Reader& r, TimeS t, std::string_view text);

private:
  bool any_ = false;
  TimeS prev_ = 0;
  std::string prev_text_;
};

// Samples as read: start times only (strictly increasing), values (NaN when missing), quality.
struct SampleRows {
  std::vector<TimeS> start_s;
  std::vector<double> value;
  std::vector<Quality> quality;
  std::size_t size() const { return start_s.size(); }
  void reserve(std::size_t n) {
    start_s.reserve(n);
    value.reserve(n);
    quality.reserve(n);
  }
  void add(TimeS start, double v, Quality q) {
    start_s.push_back(start);
    value.push_back(v);
    quality.push_back(q);
  }
};

// The most common spacing between consecutive starts (ties → the smaller); 0 if fewer than two.
TimeS most_common_spacing(const std::vector<TimeS>& start_s);

// The sample-span rule: sample i covers [start_i, min(start_{i+1}, start_i + span)), the last one
// [start_n, start_n + span), where span = opt.max_sample_s, or the file's most common spacing
// when it is 0. A longer spacing leaves a gap. Pushes every sample into `out`.
// TraceError at `first_row_line` if the span must be inferred from a single row;
// ConfigError if max_sample_s < 0.
void push_with_spans(RawSeries& out, const SampleRows& rows, const SampleSpan& opt,
                     std::string_view origin, long first_row_line);

// Provenance of an intensity trace read from `origin`: units "g kW-1 h-1", fill policy "none".
Provenance intensity_provenance(std::string zone, SignalKind signal, EmissionBasis basis,
                                std::string source, std::string_view origin);

// Appends one CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break,
// its quotes doubled. Shared by every CSV writer.
void append_field(std::string& out, std::string_view s);

} // namespace cfsim::csv
