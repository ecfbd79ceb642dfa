// Published annual means of carbon intensity, the reference of the aggregation-fidelity metric
// (docs/metrics.md §5): `zonecode,<year>,<year>,...`, one zone per row, g CO2e/kWh, e.g.
// em-portal/mean_stats_eurosys24.csv (Sukprasert et al., "On the Limitations of Carbon-Aware
// Temporal and Spatial Workload Shifting in the Cloud", EuroSys 2024: annual means of the
// Electricity Maps hourly lifecycle intensity). An empty value means the source published no
// mean for that zone-year; it is never read as 0.
#include <map>
#include <string>

#include "cfsim/error.hpp"
#include "cfsim/io.hpp"
#include "cfsim/metrics.hpp"
#include "io/csv.hpp"

namespace cfsim {
namespace {

constexpr std::string_view kExpected = "zonecode,<year>,<year>,... (e.g. zonecode,2020,2021,2022)";

// A column name that is a year: four digits.
bool parse_year(const std::string& s, int& year) {
  if (s.size() != 4)
    return false;
  year = 0;
  for (const char c : s) {
    if (c < '0' || c > '9')
      return false;
    year = year * 10 + (c - '0');
  }
  return true;
}

std::string list_keys(const std::map<std::string, std::map<int, double>>& m) {
  std::string out;
  for (const auto& kv : m)
    out += (out.empty() ? "" : ", ") + kv.first;
  return out.empty() ? "none" : out;
}

} // namespace

double PublishedMeans::mean(const std::string& zone, int year) const {
  const auto z = means.find(zone);
  if (z == means.end())
    throw ConfigError(origin + ": no published mean for zone '" + zone +
                      "' (zones: " + list_keys(means) + ")");
  const auto y = z->second.find(year);
  if (y == z->second.end()) {
    std::string published;
    for (const auto& kv : z->second)
      published += (published.empty() ? "" : ", ") + std::to_string(kv.first);
    throw ConfigError(origin + ": no published mean for zone '" + zone + "' in " +
                      std::to_string(year) + " (years published for " + zone + ": " +
                      (published.empty() ? "none" : published) + ")");
  }
  return y->second;
}

PublishedMeans parse_published_means_csv(std::string_view text, std::string_view origin) {
  PublishedMeans out;
  out.origin = std::string(origin);
  csv::Reader r(text, origin);
  const csv::Header h = csv::read_header(r, kExpected);
  if (h.size() < 2 || h.names()[0] != "zonecode")
    r.fail("header is `" + h.joined() + "` (expected `" + std::string(kExpected) + "`)");
  for (std::size_t i = 1; i < h.size(); ++i) {
    int year = 0;
    if (!parse_year(h.names()[i], year))
      r.fail("column `" + h.names()[i] + "` is not a year (expected four digits such as 2022)");
    for (const int y : out.years)
      if (y == year)
        r.fail("year " + h.names()[i] + " appears twice in the header (one column per year)");
    out.years.push_back(year);
  }
  const std::string header_text = h.joined();
  std::map<std::string, long> zone_line;
  while (r.next()) {
    csv::expect_fields(r, h.size(), header_text);
    const std::string& zone = r[0];
    if (zone.empty())
      r.fail("zonecode is empty (expected a zone id such as ES or US-CAL-CISO)");
    if (const auto seen = zone_line.find(zone); seen != zone_line.end())
      r.fail("zone " + zone + " repeats line " + std::to_string(seen->second) +
             " (one row per zone)");
    zone_line.emplace(zone, r.line());
    std::map<int, double>& row = out.means[zone];
    for (std::size_t i = 1; i < h.size(); ++i) {
      if (r[i].empty()) // not published: absent, never 0
        continue;
      const double v = csv::number_field(r, i, h.names()[i]);
      if (v < 0)
        r.fail(h.names()[i] + " " + r[i] + " is negative (a mean intensity is >= 0 g/kWh)");
      row.emplace(out.years[i - 1], v);
    }
  }
  if (out.means.empty())
    throw TraceError(std::string(origin), 2,
                     "no data rows after the header (expected one row per zone)");
  return out;
}

PublishedMeans load_published_means_csv(const std::string& path) {
  const std::string text = read_file(path);
  PublishedMeans out = parse_published_means_csv(text, path);
  out.sha256 = sha256_hex(text);
  return out;
}

} // namespace cfsim
