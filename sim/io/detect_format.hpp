// Recognises an input file's format from its content (the header of a CSV, the keys of a JSON
// document), for commands that take traces without being told their format (`cfsim quality`).
// Only the shape is sniffed; the importer of the detected format then validates every row.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cfsim {

enum class InputKind { carbon, cost, other };

// One entry per recognised format: the only list of format names (--format, error messages).
struct FormatInfo {
  const char* name;        // "em-portal", "focus", ...
  InputKind kind;          // carbon traces and cost traces are read; `other` only recognised
  const char* description; // what the file is and how it is recognised
};
const std::vector<FormatInfo>& known_formats();

// The format's entry; UsageError naming the valid names when `name` is unknown.
const FormatInfo& format_named(std::string_view name);

struct DetectedFormat {
  const FormatInfo* format = nullptr; // nullptr: not recognised
  std::string evidence;               // what decided it, e.g. "header `Time,Carbon Intensity`"
};
// Sniffs `text`. Never throws: an unrecognised text gives format == nullptr.
DetectedFormat detect_format(std::string_view text);

// "tidy (…), two-column (…), …" for error messages: the formats of `kind`.
std::string format_list(InputKind kind);

} // namespace cfsim
