#include "io/csv.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <system_error>

#include <fast_float/fast_float.h>

#include "cfsim/error.hpp"

namespace cfsim::csv {

Reader::Reader(std::string_view text, std::string_view origin) : text_(text), origin_(origin) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (text_.substr(0, bom.size()) == bom)
    pos_ = bom.size();
}

void Reader::fail(const std::string& what) const {
  throw TraceError(origin_, line_, what);
}

// Length of the line ending at `pos` (2 for CRLF, 1 for LF), 0 if there is none.
std::size_t Reader::line_end_length(std::size_t pos) const {
  if (pos < text_.size() && text_[pos] == '\n')
    return 1;
  if (pos + 1 < text_.size() && text_[pos] == '\r' && text_[pos + 1] == '\n')
    return 2;
  return 0;
}

std::size_t Reader::max_records() const {
  if (pos_ >= text_.size())
    return 0;
  return static_cast<std::size_t>(
             std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_), text_.end(), '\n')) +
         1;
}

bool Reader::only_line_ends_from(std::size_t pos) const {
  return text_.find_first_not_of("\r\n", pos) == std::string_view::npos;
}

bool Reader::next() {
  // Field strings are reused from record to record (their capacity stays), so a file of
  // same-shaped rows allocates only for its first record.
  std::size_t k = 0;
  const auto slot = [&]() -> std::string& {
    if (k == fields_.size())
      fields_.emplace_back();
    std::string& f = fields_[k++];
    f.clear();
    return f;
  };
  const auto done = [&] {
    fields_.resize(k);
    return true;
  };
  if (pos_ >= text_.size()) {
    fields_.clear();
    return false;
  }
  line_ = next_line_;

  if (const std::size_t eol = line_end_length(pos_); eol > 0) {
    if (only_line_ends_from(pos_)) { // trailing blank lines end the text
      pos_ = text_.size();
      fields_.clear();
      return false;
    }
    pos_ += eol;
    ++next_line_;
    return done(); // a blank line in the middle: a record without fields
  }

  while (true) {
    std::string& field = slot();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      while (true) {
        if (pos_ >= text_.size())
          fail("unterminated quoted field (a field that starts with '\"' must end with '\"')");
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n')
          ++next_line_;
        field += c;
        ++pos_;
      }
      if (pos_ >= text_.size() || (pos_ + 1 == text_.size() && text_[pos_] == '\r')) {
        pos_ = text_.size();
        return done();
      }
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (const std::size_t eol = line_end_length(pos_); eol > 0) {
        pos_ += eol;
        ++next_line_;
        return done();
      }
      fail(std::string("unexpected character '") + text_[pos_] +
           "' after a closing quote (a quoted field ends at a comma or the end of the line)");
    }

    const std::size_t end = text_.find_first_of(",\n", pos_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    std::string_view raw = text_.substr(pos_, stop - pos_);
    if ((end == std::string_view::npos || text_[end] == '\n') && !raw.empty() && raw.back() == '\r')
      raw.remove_suffix(1);
    if (raw.find('"') != std::string_view::npos)
      fail("quote inside an unquoted field (quote the whole field and double the quotes in it)");
    field.assign(raw);
    if (end == std::string_view::npos) {
      pos_ = text_.size();
      return done();
    }
    pos_ = end + 1;
    if (text_[end] == '\n') {
      ++next_line_;
      return done();
    }
  }
}

std::optional<std::size_t> Header::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name)
      return i;
  return std::nullopt;
}

std::vector<std::size_t> Header::find_folded(std::string_view name) const {
  const std::string want = fold_name(name);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (fold_name(names_[i]) == want)
      out.push_back(i);
  return out;
}

std::string Header::joined() const {
  std::string out;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (i > 0)
      out += ',';
    out += names_[i];
  }
  return out;
}

std::string fold_name(std::string_view name) {
  constexpr std::string_view sub2 = "\xE2\x82\x82"; // U+2082 SUBSCRIPT TWO
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    if (name.substr(i, sub2.size()) == sub2) {
      out += '2';
      i += sub2.size();
      continue;
    }
    const char c = name[i++];
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::size_t b = out.find_first_not_of(' ');
  if (b == std::string::npos)
    return {};
  return out.substr(b, out.find_last_not_of(' ') - b + 1);
}

Header read_header(Reader& r, std::string_view expected) {
  if (!r.next())
    throw TraceError(r.origin(), 1,
                     "empty file (expected the header `" + std::string(expected) + "`)");
  return Header(r.fields());
}

void expect_fields(const Reader& r, std::size_t n, std::string_view header_text) {
  if (r.size() == n)
    return;
  if (r.blank())
    r.fail("empty line (every row needs " + std::to_string(n) + " fields: `" +
           std::string(header_text) + "`)");
  r.fail("row has " + std::to_string(r.size()) + " fields, expected " + std::to_string(n) + " (`" +
         std::string(header_text) + "`)");
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  double v = 0.0;
  const char* const last = text.data() + text.size();
  const auto res = fast_float::from_chars(text.data(), last, v);
  if (res.ec != std::errc() || res.ptr != last || !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::string not_a_number(std::string_view column, std::string_view text) {
  return std::string(column) + " '" + std::string(text) +
         "' is not a number (expected a decimal number such as 218.29, 0.0 or 1.5e3, with "
         "nothing around it)";
}

std::string not_a_timestamp(std::string_view column, std::string_view text) {
  return std::string(column) + " '" + std::string(text) +
         "' is not a timestamp (expected UTC 'YYYY-MM-DD HH:MM:SS' or ISO 8601 such as "
         "2020-03-29T01:00:00Z)";
}

double number_field(const Reader& r, std::size_t col, std::string_view column) {
  const std::string& text = r[col];
  if (const auto v = parse_number(text))
    return *v;
  r.fail(not_a_number(column, text));
}

TimeS time_field(const Reader& r, std::size_t col, std::string_view column) {
  const std::string& text = r[col];
  if (const auto t = parse_utc(text))
    return *t;
  r.fail(not_a_timestamp(column, text));
}

bool bool_field(const Reader& r, std::size_t col, std::string_view column) {
  std::string lower = r[col];
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  if (lower == "true")
    return true;
  if (lower == "false")
    return false;
  r.fail(std::string(column) + " '" + r[col] + "' is not a boolean (expected true or false)");
}

void TimeOrder::check(const Reader& r, TimeS t, std::string_view text) {
  if (any_ && t <= prev_) {
    const char* how =
        t == prev_ ? " repeats the previous row's " : " is earlier than the previous row's ";
    r.fail("timestamp " + std::string(text) + how + prev_text_ +
           " (rows must be sorted by time without duplicates)");
  }
  any_ = true;
  prev_ = t;
  prev_text_.assign(text);
}

TimeS most_common_spacing(const std::vector<TimeS>& start_s) {
  std::map<TimeS, std::size_t> counts;
  for (std::size_t i = 1; i < start_s.size(); ++i)
    ++counts[start_s[i] - start_s[i - 1]];
  TimeS best = 0;
  std::size_t best_count = 0;
  for (const auto& [spacing, count] : counts) // ascending spacing: a tie keeps the smaller
    if (count > best_count) {
      best = spacing;
      best_count = count;
    }
  return best;
}

void push_with_spans(RawSeries& out, const SampleRows& rows, const SampleSpan& opt,
                     std::string_view origin, long first_row_line) {
  if (opt.max_sample_s < 0)
    throw ConfigError(std::string(origin) + ": max_sample_s " + std::to_string(opt.max_sample_s) +
                      " is negative (0 = the file's most common spacing, or a span in seconds)");
  TimeS span = opt.max_sample_s;
  if (span == 0) {
    span = most_common_spacing(rows.start_s);
    if (span == 0)
      throw TraceError(std::string(origin), first_row_line,
                       "a single row gives no spacing to infer its duration from (state the "
                       "sample span, max_sample_s > 0)");
  }
  const std::size_t n = rows.size();
  out.start_s.reserve(out.size() + n);
  out.end_s.reserve(out.size() + n);
  out.value.reserve(out.size() + n);
  out.quality.reserve(out.size() + n);
  for (std::size_t i = 0; i < n; ++i) {
    const TimeS start = rows.start_s[i];
    const TimeS end = i + 1 < n ? std::min(rows.start_s[i + 1], start + span) : start + span;
    out.push(start, end, rows.value[i], rows.quality[i]);
  }
}

Provenance intensity_provenance(std::string zone, SignalKind signal, EmissionBasis basis,
                                std::string source, std::string_view origin) {
  Provenance p;
  p.zone = std::move(zone);
  p.signal = signal;
  p.basis = basis;
  p.source = std::move(source);
  p.origin = std::string(origin);
  p.units = "g kW-1 h-1";
  p.fill_policy = "none";
  return p;
}

void append_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (const char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}

} // namespace cfsim::csv
