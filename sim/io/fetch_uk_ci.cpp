// UK Carbon Intensity API fetcher (National Grid ESO, no authentication): half-hourly national
// intensity from /intensity/{from}/{to}, which serves at most 14 days per request.
#include <string>

#include "cfsim/fetch.hpp"
#include "io/http.hpp"

namespace cfsim {

FetchReport fetch_uk_ci(const UkCiFetch& what, const FetchOptions& opt) {
  if (what.start_s % 60 != 0 || what.end_s % 60 != 0)
    throw ConfigError("uk-ci: the API takes whole minutes; start " + format_utc(what.start_s) +
                      " and end " + format_utc(what.end_s) + " must have no seconds");
  const std::vector<Interval> windows = split_windows(what.start_s, what.end_s, kUkCiMaxWindowS);
  http::Session s(opt, "uk-ci", "");
  const std::string base = s.base_url("CFSIM_UK_CI_BASE_URL", "https://api.carbonintensity.org.uk");
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const Interval& w = windows[i];
    http::Request req;
    req.url =
        base + "/intensity/" + http::iso_minutes(w.start_s) + "/" + http::iso_minutes(w.end_s);
    req.headers.push_back("Accept: application/json");
    const http::JsonResponse r = s.get_json(req, {}, true, http::require_array({"data"}));
    s.write_output(
        "uk_ci_" + http::file_stamp(w.start_s) + "_" + http::file_stamp(w.end_s) + ".json", r.body);
    s.progress("uk-ci [" + std::to_string(i + 1) + "/" + std::to_string(windows.size()) + "] " +
               http::iso_seconds(w.start_s) + " .. " + http::iso_seconds(w.end_s) + ": " +
               std::to_string(http::array_size(r.json, {"data"})) + " half-hours" +
               (r.from_cache ? " (cache)" : ""));
  }
  return s.report();
}

} // namespace cfsim
