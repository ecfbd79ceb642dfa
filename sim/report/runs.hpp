// Internal to sim/report: picking runs and summary fields out of a ResultSet, shared by the
// table and the check so both select runs and report unknown names the same way.
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <vector>

#include "cfsim/error.hpp"
#include "cfsim/result.hpp"

namespace cfsim::report {

// find_field, field_number and attribute: cfsim/result.hpp.

// The first field of that name in any run: its units and type stand for the column (the store
// keeps one type and unit per field).
inline const Field* field_anywhere(const ResultSet& rs, const std::string& name) {
  for (const RunResult& r : rs.runs)
    if (const Field* f = find_field(r, name))
      return f;
  return nullptr;
}

// Every field name of the file in first-seen order, comma-separated (for error messages).
inline std::string field_names(const ResultSet& rs) {
  std::vector<std::string> seen;
  std::string out;
  for (const RunResult& r : rs.runs)
    for (const Field& f : r.summary) {
      bool known = false;
      for (const std::string& s : seen)
        known = known || s == f.name;
      if (!known) {
        seen.push_back(f.name);
        out += (out.empty() ? "" : ", ") + f.name;
      }
    }
  return out.empty() ? "(none: no run has a summary)" : out;
}

// Indices of the runs whose name contains a match of the ECMAScript expression `regex` (all
// runs when it is empty), as `sweep --filter` selects them. UsageError for a bad expression or
// when nothing is left, so an empty table or golden file is never written by accident.
inline std::vector<std::size_t> select_runs(const ResultSet& rs, const std::string& regex) {
  std::regex re;
  try {
    re = std::regex(regex.empty() ? std::string(".*") : regex, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw UsageError("--runs '" + regex + "' is not a valid regular expression (" + e.what() +
                     "; ECMAScript syntax, e.g. 'lowest_window|no_wait')");
  }
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < rs.runs.size(); ++i)
    if (regex.empty() || std::regex_search(rs.runs[i].name, re))
      out.push_back(i);
  if (out.empty())
    throw UsageError(rs.runs.empty() ? std::string("the result file has no runs")
                                     : "--runs '" + regex + "' matches none of the " +
                                           std::to_string(rs.runs.size()) + " runs (e.g. '" +
                                           rs.runs.front().name + "')");
  return out;
}

} // namespace cfsim::report
