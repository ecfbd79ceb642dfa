// Electricity Maps API v3 fetcher: hourly history from /v3/carbon-intensity/past-range, which
// serves at most 10 days of hourly data per request, so longer ranges go window by window.
// Authentication: the `auth-token` header from ELECTRICITYMAPS_TOKEN.
#include <string>

#include "cfsim/fetch.hpp"
#include "io/http.hpp"

namespace cfsim {

FetchReport fetch_electricity_maps(const EmFetch& what, const FetchOptions& opt) {
  if (what.zone.empty())
    throw ConfigError("em: a zone is required (an Electricity Maps zone key, e.g. DE, FR, "
                      "US-CAL-CISO)");
  const std::string& eft = what.emission_factor_type;
  if (!eft.empty() && eft != "lifecycle" && eft != "direct")
    throw ConfigError("em: unknown emission factor type '" + eft +
                      "' (allowed: lifecycle, direct)");
  const std::vector<Interval> windows = split_windows(what.start_s, what.end_s, kEmMaxWindowS);

  http::Session s(opt, "em", "ELECTRICITYMAPS_TOKEN");
  const std::string base = s.base_url("CFSIM_EM_BASE_URL", "https://api.electricitymap.org");
  http::Auth auth;
  auth.apply = [&s](http::Request& r) {
    r.headers.push_back("auth-token: " + s.require_secret("ELECTRICITYMAPS_TOKEN"));
  };
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const Interval& w = windows[i];
    http::Request req;
    req.url = base + "/v3/carbon-intensity/past-range?zone=" + http::percent_encode(what.zone) +
              "&start=" + http::percent_encode(http::iso_seconds(w.start_s)) +
              "&end=" + http::percent_encode(http::iso_seconds(w.end_s));
    if (!eft.empty())
      req.url += "&emissionFactorType=" + eft;
    req.headers.push_back("Accept: application/json");
    const http::JsonResponse r =
        s.get_json(req, auth, true, http::require_array({"data", "history"}));
    s.write_output("em_" + http::file_safe(what.zone) + "_" + http::file_stamp(w.start_s) + "_" +
                       http::file_stamp(w.end_s) + ".json",
                   r.body);
    s.progress("em " + what.zone + " [" + std::to_string(i + 1) + "/" +
               std::to_string(windows.size()) + "] " + http::iso_seconds(w.start_s) + " .. " +
               http::iso_seconds(w.end_s) + ": " +
               std::to_string(http::array_size(r.json, {"data", "history"})) + " points" +
               (r.from_cache ? " (cache)" : ""));
  }
  return s.report();
}

} // namespace cfsim
